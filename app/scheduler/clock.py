"""Next due times for daily handlers, in the tenant's own time zone."""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from tenants.context import current_tenant


def next_local(now: datetime, at: time) -> datetime:
    """The first moment after `now` when the tenant's clocks show `at` (UTC-aware result).

    Computed on the local calendar, so a daily handler runs once per local day across a
    daylight-saving change (the day has 23 or 25 hours, not 24). A local time skipped by
    the change (02:30 on a spring-forward night) comes out as the same offset past the gap.
    """
    tenant = current_tenant()
    zone = ZoneInfo(tenant.time_zone if tenant is not None else "UTC")
    local_day = now.astimezone(zone).date()
    for days in (0, 1, 2):
        candidate = datetime.combine(local_day + timedelta(days=days), at, tzinfo=zone)
        if candidate > now:
            return candidate.astimezone(ZoneInfo("UTC"))
    raise AssertionError("unreachable: a local day later always comes after now")
