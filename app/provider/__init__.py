"""The provider console: the company renting out the CRM manages its tenants here."""
