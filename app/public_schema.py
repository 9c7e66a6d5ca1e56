"""What the public schema holds: importing this module imports every public model."""
from app.db_base import PublicModel
from app.auth import throttle as _login_throttle  # noqa: F401
from app import rate_limits as _rate_limits  # noqa: F401
from app.mail import models as _mail_models  # noqa: F401  (public.mail_outbox)
from app.provider import models as _provider_models  # noqa: F401
from app.scheduler import models as _scheduler_models  # noqa: F401
from app.signup import models as _signup_models  # noqa: F401
from billing import invoice_models as _invoice_models  # noqa: F401
from billing import models as _billing_models  # noqa: F401
from tenants import models as _tenant_registry  # noqa: F401

metadata = PublicModel.metadata
