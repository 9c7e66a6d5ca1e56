"""The tenant's audit log: who created, changed or deleted what, and admin actions."""
