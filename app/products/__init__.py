"""Product catalogue and price lists (dealer, retail, VIP …) assigned per customer tier."""
