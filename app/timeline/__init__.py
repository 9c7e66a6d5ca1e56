"""One timeline per customer: every module adds its entries here."""
