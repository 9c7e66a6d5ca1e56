"""Customer information management: the complete customer file."""
