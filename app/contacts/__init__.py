"""Contacts: people at customers (or standalone), found from any phone format."""
