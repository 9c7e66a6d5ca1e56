"""Custom fields: tenant-defined fields on customers, contacts, opportunities and tickets (JSONB)."""
