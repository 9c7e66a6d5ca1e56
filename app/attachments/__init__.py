"""Documents and contracts attached to customers, contacts and competitor profiles."""
