"""Managing a tenant's users: invitations, deactivation, reassignment, seats."""
