"""Roles and permissions: who may do what in a tenant's workspace."""
