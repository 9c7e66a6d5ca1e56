"""Customer and opportunity teams, and sharing a record with a unit."""
