"""Where automation plugs in: its tables, the change capture and the scheduler's work.
Imported once by app.tenant_schema."""
from app.automation import capture as _capture  # noqa: F401  (listens to every session)
from app.automation import models as _models  # noqa: F401  (registers tables)
from app.automation import schedule as _schedule  # noqa: F401  (@due_work("automation.dates"))
