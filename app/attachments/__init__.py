"""Documents and contracts attached to customers and contacts."""
