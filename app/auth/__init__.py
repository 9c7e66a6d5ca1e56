"""Tenant users: accounts, log in and out, password reset."""
