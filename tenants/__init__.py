"""Tenancy: the tenant registry, schema switching, provisioning, migrations, CLI."""
