"""A user's own profile: details, password and two-factor authentication."""
