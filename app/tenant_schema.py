"""What every tenant schema holds: its tables and its seed rows.

Importing this module imports every tenant model, so TenantModel.metadata
is complete. Tenancy code (tenants/) reaches it through
current_app.extensions["tenant_schema"], never by importing CRM modules.
"""
from app.access import models as _access_models  # noqa: F401  (registers tables)
from app.access.seed import seed_roles
from app.audit import models as _audit_models  # noqa: F401
from app.auth import models as _auth_models  # noqa: F401
from app.branding import models as _branding_models  # noqa: F401
from app.db_base import TenantModel
from app.export import models as _export_models  # noqa: F401
from app.sales import models as _sales_models  # noqa: F401
from app.sales.seed import seed_stages

metadata = TenantModel.metadata


def seed(session, locale: str) -> None:
    """Insert the rows a new tenant starts with (roles, pipeline stages)."""
    seed_roles(session)
    seed_stages(session, locale)
