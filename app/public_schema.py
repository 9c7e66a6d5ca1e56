"""What the public schema holds: importing this module imports every public model."""
from app.db_base import PublicModel
from app.provider import models as _provider_models  # noqa: F401
from tenants import models as _tenant_registry  # noqa: F401

metadata = PublicModel.metadata
