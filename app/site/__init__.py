"""The public site: home page (pricing and sign-up build on it)."""
