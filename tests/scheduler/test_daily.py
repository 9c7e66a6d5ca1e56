"""Daily handlers run once per local day in the tenant's time zone, across daylight saving,
and the built-in ones (customer tiers, quote expiry, the billing run) are on the scheduler."""
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import time_machine

from app.extensions import db
from app.scheduler import handlers, public_handlers
from app.scheduler.clock import next_local
from app.scheduler.models import Wakeup
from app.scheduler.tick import tick
from tenants.context import TenantRef, tenant_scope

NEW_YORK = ZoneInfo("America/New_York")


def _every_half_hour(start: datetime, days: int):
    moment = start
    while moment < start + timedelta(days=days):
        yield moment
        moment += timedelta(minutes=30)


def test_a_daily_handler_fires_once_per_local_day_across_both_dst_changes(app, new_tenant, handler):
    tenant = new_tenant(time_zone="America/New_York")
    handler.next = lambda now: next_local(now, time(0, 5))
    # 2026-11-01: clocks go back (a 25-hour day); 2027-03-14: forward (a 23-hour day).
    for start in (datetime(2026, 10, 30, 12, tzinfo=timezone.utc), datetime(2027, 3, 12, 12, tzinfo=timezone.utc)):
        handler.calls.clear()
        for moment in _every_half_hour(start, days=4):
            with time_machine.travel(moment, tick=False), app.app_context():
                tick(names=[handler.name])
        local_days = [now.astimezone(NEW_YORK).date() for now in handler.runs_of(tenant)]
        # the first run is the catch-up of a new row; then one a day just after local midnight
        assert len(local_days) == len(set(local_days)) == 5
        assert [now.astimezone(NEW_YORK).time() for now in handler.runs_of(tenant)[1:]] == [time(0, 30)] * 4


def test_next_local_counts_local_days_not_24_hours(app):
    ref = TenantRef(id=1, slug="x", schema="tenant_x", time_zone="America/New_York")
    with app.app_context(), tenant_scope(ref):
        # 00:05 on Sunday 1 November, then 00:05 on Monday: 25 hours apart (the clocks went back)
        first = next_local(datetime(2026, 11, 1, 3, tzinfo=timezone.utc), time(0, 5))
        second = next_local(first, time(0, 5))
        assert first == datetime(2026, 11, 1, 4, 5, tzinfo=timezone.utc)
        assert second - first == timedelta(hours=25)
        assert second.astimezone(NEW_YORK).time() == time(0, 5)


def test_tiers_and_quote_expiry_are_daily_handlers_and_the_billing_run_is_public_work(app, tenant):
    assert {"customers.tiers", "quotes.expire"} <= set(handlers())
    assert {"billing.daily_run", "scheduler.prune"} <= set(public_handlers())
    moment = datetime(2026, 12, 7, 15, 17, tzinfo=timezone.utc)  # 23:17 in Shanghai
    with time_machine.travel(moment, tick=False), app.app_context():
        result = tick(names=["customers.tiers", "quotes.expire", "billing.daily_run"])
        assert (tenant.id, "customers.tiers") in result.done and (None, "billing.daily_run") in result.done
        due = dict(db.session.execute(sa.select(Wakeup.handler, Wakeup.due_at).where(
            Wakeup.tenant_id == tenant.id)).all())
        billing_due = db.session.scalars(sa.select(Wakeup.due_at).where(
            Wakeup.tenant_id.is_(None), Wakeup.handler == "billing.daily_run")).one()
    shanghai = ZoneInfo("Asia/Shanghai")
    assert due["quotes.expire"].astimezone(shanghai) == datetime(2026, 12, 8, 0, 5, tzinfo=shanghai)
    assert due["customers.tiers"].astimezone(shanghai) == datetime(2026, 12, 8, 2, 0, tzinfo=shanghai)
    assert billing_due == datetime(2026, 12, 7, 16, 0, tzinfo=timezone.utc)
