"""flask quotes expire: the daily pass over every tenant, on each tenant's own calendar day."""
import re
from datetime import date, datetime, timedelta
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import time_machine

from flask_babel import force_locale

from app.audit.models import AuditEntry
from app.extensions import db
from app.quotes import services, workflow
from app.timeline.events import entry_text
from app.quotes.models import Quote
from app.quotes.services import LineEntry
from app.timeline.models import TimelineEntry
from tenants.context import tenant_scope
from tests.sales.conftest import customer, owner_id, product

VALID_UNTIL = date(2030, 3, 10)
# 00:30 on 11 March in Shanghai is still 10 March in UTC (and on a UTC server's clock).
NEXT_DAY_IN_SHANGHAI = datetime(2030, 3, 11, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def _quote(buyer, status: str, valid_until=VALID_UNTIL) -> int:
    quote = services.create_quote({"customer_id": buyer.id, "currency": "CNY",
                                   "discount_percent": D("0"), "valid_until": valid_until},
                                  [LineEntry("SOFA-1", D("1"))], owner_id())
    if status != "draft":
        workflow.submit(quote, owner_id())
    if status in ("sent", "accepted"):
        workflow.send(quote, "buyer@example.com", "", owner_id())
    if status == "accepted":
        workflow.accept(quote, owner_id())
    assert quote.status == status
    return quote.id


def _workspace_with_quotes(app, tenant) -> dict[str, int]:
    with app.test_request_context(), tenant_scope(tenant):
        product("SOFA-1")
        buyer = customer()
        ids = {status: _quote(buyer, status) for status in ("draft", "approved", "sent", "accepted")}
        ids["sent_until_today"] = _quote(buyer, "sent", valid_until=date(2030, 3, 11))
        ids["no_date"] = _quote(buyer, "sent", valid_until=None)
        db.session.commit()
    return ids


def _statuses(app, tenant, ids) -> dict[str, str]:
    with app.app_context(), tenant_scope(tenant):
        return {name: db.session.get(Quote, quote_id).status for name, quote_id in ids.items()}


def _expire(app, *args):
    result = app.test_cli_runner().invoke(args=["quotes", "expire", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_sent_and_approved_quotes_past_their_date_expire_on_the_tenants_day(app, tenant):
    ids = _workspace_with_quotes(app, tenant)
    with time_machine.travel(datetime(2030, 3, 10, 23, 0, tzinfo=ZoneInfo("Asia/Shanghai"))):
        assert _expire(app, tenant.slug) == "0 quotes expired in 1 tenants\n"  # still the 10th
    with time_machine.travel(NEXT_DAY_IN_SHANGHAI):
        assert _expire(app, tenant.slug) == "2 quotes expired in 1 tenants\n"
    assert _statuses(app, tenant, ids) == {
        "draft": "draft", "approved": "expired", "sent": "expired", "accepted": "accepted",
        "sent_until_today": "sent", "no_date": "sent"}


def test_each_expiry_is_on_the_timeline_and_in_the_audit_log_once(app, tenant):
    ids = _workspace_with_quotes(app, tenant)
    with time_machine.travel(NEXT_DAY_IN_SHANGHAI):
        _expire(app, tenant.slug)
        assert _expire(app, tenant.slug) == "0 quotes expired in 1 tenants\n"  # idempotent
    with app.app_context(), tenant_scope(tenant):
        titles = db.session.scalars(sa.select(TimelineEntry.title).where(
            TimelineEntry.ref_type == "quote", TimelineEntry.title.like("%expired%"))
            .order_by(TimelineEntry.ref_id)).all()
        changes = db.session.scalars(sa.select(AuditEntry).where(
            AuditEntry.record_type == "quotes", AuditEntry.action == "update",
            AuditEntry.record_id.in_([str(ids["approved"]), str(ids["sent"])]))
            .order_by(AuditEntry.id)).all()
    assert titles == ["Quote Q000002 v1 expired: it was valid until 2030-03-10",
                      "Quote Q000003 v1 expired: it was valid until 2030-03-10"]
    expiries = [entry for entry in changes if entry.changes.get("status", [None, None])[1] == "expired"]
    assert [entry.changes["status"] for entry in expiries] == [["approved", "expired"],
                                                               ["sent", "expired"]]
    assert all(entry.user_id is None for entry in expiries)  # the job, not a person


def test_one_run_covers_every_tenant_in_its_own_language(app, new_tenant):
    english, chinese = new_tenant(), new_tenant(locale="zh_Hans")
    english_ids, chinese_ids = (_workspace_with_quotes(app, english),
                                _workspace_with_quotes(app, chinese))
    with time_machine.travel(NEXT_DAY_IN_SHANGHAI):
        output = _expire(app)
    counts = re.fullmatch(r"(\d+) quotes expired in (\d+) tenants\n", output)
    assert int(counts[1]) >= 4 and int(counts[2]) >= 2  # other tests' tenants may be there too
    assert _statuses(app, english, english_ids)["sent"] == "expired"
    assert _statuses(app, chinese, chinese_ids)["approved"] == "expired"
    with app.test_request_context(), tenant_scope(chinese):
        entry = db.session.scalars(sa.select(TimelineEntry).where(
            TimelineEntry.ref_id == chinese_ids["sent"], TimelineEntry.ref_type == "quote")
            .order_by(TimelineEntry.id.desc())).first()
        # A structured event: each reader sees it in their own language.
        with force_locale("zh_Hans"):
            chinese_text = entry_text(entry)
        with force_locale("en"):
            english_text = entry_text(entry)
    assert "Q000003" in chinese_text and "expired" not in chinese_text
    assert english_text == "Quote Q000003 v1 expired: it was valid until 2030-03-10"


def test_an_unknown_tenant_is_an_error(app):
    result = app.test_cli_runner().invoke(args=["quotes", "expire", "no-such-tenant"])
    assert result.exit_code != 0 and "no active tenant 'no-such-tenant'" in result.output


def test_opening_the_quotes_no_longer_changes_them(app, tenant, owner_client):
    ids = _workspace_with_quotes(app, tenant)
    with app.app_context(), tenant_scope(tenant):
        db.session.get(Quote, ids["sent"]).valid_until = date(2020, 1, 1)
        db.session.commit()
    assert owner_client.get(f"/t/{tenant.slug}/quotes/").status_code == 200
    assert owner_client.get(f"/t/{tenant.slug}/quotes/{ids['sent']}").status_code == 200
    assert _statuses(app, tenant, ids)["sent"] == "sent"  # only the job expires quotes


def test_a_quote_past_its_date_says_so_until_the_job_expires_it(app, tenant, owner_client):
    # Real time (a jump of years would end the login session): dates around today.
    ids = _workspace_with_quotes(app, tenant)
    today = datetime.now(ZoneInfo(tenant.time_zone)).date()
    with app.app_context(), tenant_scope(tenant):
        db.session.get(Quote, ids["sent"]).valid_until = today - timedelta(days=1)
        db.session.get(Quote, ids["sent_until_today"]).valid_until = today
        db.session.get(Quote, ids["draft"]).valid_until = today - timedelta(days=1)
        db.session.commit()

    def notice(name):
        page = owner_client.get(f"/t/{tenant.slug}/quotes/{ids[name]}").get_data(as_text=True)
        return 'data-testid="past-validity"' in page and "next daily run" in page

    assert notice("sent")
    assert not notice("sent_until_today") and not notice("draft")  # drafts never expire
    _expire(app, tenant.slug)
    assert _statuses(app, tenant, ids)["sent"] == "expired" and not notice("sent")
