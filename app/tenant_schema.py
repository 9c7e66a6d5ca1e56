"""What every tenant schema holds: its tables and its seed rows.

Importing this module imports every tenant model, so TenantModel.metadata
is complete. Tenancy code (tenants/) reaches it through
current_app.extensions["tenant_schema"], never by importing CRM modules.
"""
from app.access import models as _access_models  # noqa: F401  (registers tables)
from app.access.seed import seed_roles
from app.attachments import models as _attachment_models  # noqa: F401
from app.automation import registry as _automation_registry  # noqa: F401  (tables, capture, rules)
from app.audit import models as _audit_models  # noqa: F401
from app.auth import models as _auth_models  # noqa: F401
from app.contacts import models as _contact_models  # noqa: F401
from app.customers import models as _customer_models  # noqa: F401
from app.customers import ownership as _customer_ownership  # noqa: F401  (registers owners)
from app.customers import search as _customer_search  # noqa: F401  (registers with search)
from app.customfields import models as _custom_field_models  # noqa: F401
from app.imports import models as _import_models  # noqa: F401
from app.lists import models as _list_models  # noqa: F401
from app.mail import registry as _mail_registry  # noqa: F401  (the outbox; customer merges)
from app.org import models as _org_models  # noqa: F401
from app.branding import models as _branding_models  # noqa: F401
from app.db_base import TenantModel
from app.export import models as _export_models  # noqa: F401
from app.approvals import models as _approval_models  # noqa: F401
from app.announcements import models as _announcement_models  # noqa: F401
from app.notifications import models as _notification_models  # noqa: F401
from app.competitors import models as _competitor_models  # noqa: F401
from app.forecast import models as _forecast_models  # noqa: F401
from app.opportunities import models as _opportunity_models  # noqa: F401
from app.orders import models as _order_models  # noqa: F401
from app.products import models as _product_models  # noqa: F401
from app.quotes import models as _quote_models  # noqa: F401
from app.sales import models as _sales_models  # noqa: F401
from app.sales import registry as _sales_registry  # noqa: F401  (merges, ownership, search)
from app.sales.seed import seed_stages
from app.timeline import models as _timeline_models  # noqa: F401
from app.tasks import models as _task_models  # noqa: F401
from app.tasks import registry as _task_registry  # noqa: F401  (record type, merges, owners, search)
from app.calendar import models as _calendar_models  # noqa: F401
from app.calendar import registry as _calendar_registry  # noqa: F401  (record type, reminders)
from app.records import builtin as _record_types  # noqa: F401  (registers record types)
from app.teams import registry as _team_registry  # noqa: F401  (teams and shares in visibility)
from app import numbering as _numbering  # noqa: F401
from app.users import models as _users_models  # noqa: F401

metadata = TenantModel.metadata


def seed(session, locale: str) -> None:
    """Insert the rows a new tenant starts with (roles, pipeline stages)."""
    seed_roles(session)
    seed_stages(session, locale)
