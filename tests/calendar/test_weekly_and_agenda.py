"""The weekly work report (generated, edited, sent to the manager) and the opt-in daily
agenda e-mail; the calendar's My day panels; the workspace's reminder settings."""
from datetime import date, datetime, timedelta
from decimal import Decimal as D

import sqlalchemy as sa

from app.auth.models import User
from app.calendar import agenda, myday, weekly
from app.calendar.models import CalendarSettings, WeeklyReport, WorkSettings
from app.customers.services import create_customer
from app.extensions import db
from app.job_scope import job_scope
from app.opportunities.services import create_opportunity, move_stage
from app.org.services import create_unit, set_manager
from app.quotes import services as quotes
from app.quotes.services import LineEntry
from app.products.services import save_product
from app.sales.models import PipelineStage
from app.tasks.models import Task
from app.timeline.services import add_entry
from tenants.context import tenant_scope
from tests.calendar.helpers import UTC, meeting, user
from tests.conftest import login, owner_id
from tests.mailbox import latest_mail, mail_count

MONDAY = date(2026, 12, 7)
WEDNESDAY = datetime(2026, 12, 9, 3, 0, tzinfo=UTC)  # 11:00 in Shanghai


def _team(with_manager=True):
    """A rep in a store whose manager is in Shanghai too; returns (rep, manager)."""
    store = create_unit("静安店", "store", None)
    rep = user(name="李雷", time_zone="Asia/Shanghai", unit_id=store.id, email=f"lilei{store.id}@cal.example")
    manager = user("sales_manager", name="韩梅梅", time_zone="Asia/Shanghai", unit_id=store.id,
                   email=f"hanmeimei{store.id}@cal.example")
    if with_manager:
        set_manager(store, manager.id)
    return rep, manager


def _week_of_work(rep):
    stages = db.session.scalars(sa.select(PipelineStage).order_by(PipelineStage.position)).all()
    client = create_customer({"name": "连天红家具"}, rep.id)
    deal = create_opportunity({"name": "一百套沙发", "customer_id": client.id, "amount": D("100"),
                               "currency": "CNY", "stage_id": stages[0].id, "probability": None}, rep.id)
    move_stage(deal, stages[1].id, rep.id)
    add_entry(customer_id=client.id, kind="call", title="Called 王经理 about delivery", user_id=rep.id,
              occurred_at=WEDNESDAY)
    add_entry(customer_id=client.id, kind="note", title="Last week's note", user_id=rep.id,
              occurred_at=WEDNESDAY - timedelta(days=7))
    save_product(None, {"code": "SOFA-1", "name": "Sofa", "tax_rate": D("13"), "cost": None,
                        "list_prices": {"CNY": D("1000.00")}})
    quote = quotes.create_quote({"customer_id": client.id, "currency": "CNY", "discount_percent": D("0"),
                                 "valid_until": date(2027, 1, 1)}, [LineEntry("SOFA-1", D("2"), D("1000"))],
                                rep.id)
    quote.status, quote.sent_at = "sent", WEDNESDAY
    db.session.add(Task(title="Measure the showroom", owner_id=rep.id, done_at=WEDNESDAY, done_by_id=rep.id))
    visit = meeting(rep, title="Showroom visit", kind="visit", starts=WEDNESDAY, ends=WEDNESDAY + timedelta(hours=1))
    visit.held_at, visit.outcome = WEDNESDAY, "Liked the leather"
    # the stage change happened this week
    from app.opportunities.models import StageChange
    db.session.execute(sa.update(StageChange).values(changed_at=WEDNESDAY))
    db.session.flush()
    return quote


def test_the_report_gathers_the_reps_week(scope):
    rep, _manager = _team()
    quote = _week_of_work(rep)
    text = weekly.generate(rep, MONDAY)
    assert "2026-12-07 – 2026-12-13" in text
    assert "Called 王经理 about delivery" in text and "Last week's note" not in text
    assert "Showroom visit — Liked the leather" in text
    assert "Tasks done (1)\n- Measure the showroom" in text
    assert "Deals moved (1)\n- 一百套沙发 → Needs analysis" in text
    assert f"Quotes sent (1)\n- {quote.number} 2260.00 CNY" in text
    assert weekly.manager_for(rep).name == "韩梅梅"


def test_a_rep_edits_and_sends_the_report_to_the_manager(app, tenant):
    with app.test_request_context(), tenant_scope(tenant):
        rep, manager = _team()
        rep_email, manager_email = rep.email, manager.email
        db.session.commit()
    client = app.test_client()
    assert login(client, tenant, email=rep_email).status_code == 302
    url = f"/t/{tenant.slug}/calendar/weekly-report?week=2026-12-09"
    assert "Weekly report of 李雷, 2026-12-07" in client.get(url).get_data(as_text=True)
    saved = client.post(url, data={"body": "Draft: visited 3 stores", "save": "1"})
    assert saved.status_code == 302 and mail_count(app, manager_email) == 0
    assert "Draft: visited 3 stores" in client.get(url).get_data(as_text=True)
    sent = client.post(url, data={"body": "Visited 3 stores; next week: 连天红", "send": "1"})
    assert sent.status_code == 302
    assert "Visited 3 stores; next week: 连天红" in latest_mail(app, manager_email)
    with app.app_context(), tenant_scope(tenant):
        report = db.session.scalars(sa.select(WeeklyReport)).one()
        assert (report.week_start, report.sent_to_id is not None, report.sent_at is not None) == (MONDAY, True, True)
    assert client.post(url, data={"body": "", "send": "1"}).status_code == 422


def test_without_a_manager_the_report_is_kept_and_the_form_says_why(app, tenant):
    with app.test_request_context(), tenant_scope(tenant):
        rep, _manager = _team(with_manager=False)
        rep_email = rep.email
        db.session.commit()
    client = app.test_client()
    login(client, tenant, email=rep_email)
    response = client.post(f"/t/{tenant.slug}/calendar/weekly-report", data={"body": "My week", "send": "1"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "You have no manager to send it to" in page and "My week" in page


def test_the_daily_agenda_goes_once_each_local_morning_to_who_opted_in(app, tenant, owner_client):
    assert owner_client.post(f"/t/{tenant.slug}/calendar/settings", data={"daily_agenda": "y"}).status_code == 302
    with app.test_request_context(), tenant_scope(tenant):
        owner = db.session.get(User, owner_id())
        owner.time_zone = "Asia/Shanghai"
        other = user(time_zone="Asia/Shanghai")  # not opted in
        meeting(owner, title="Morning stand-up", starts=WEDNESDAY, ends=WEDNESDAY + timedelta(minutes=15))
        meeting(owner, title="Tomorrow's", starts=WEDNESDAY + timedelta(days=1), ends=WEDNESDAY + timedelta(days=1, hours=1))
        db.session.add(Task(title="Send the catalogue", owner_id=owner.id, due_date=date(2026, 12, 8)))
        owner_email, other_email = owner.email, other.email
        db.session.commit()
    at_seven_thirty = datetime(2026, 12, 8, 23, 30, tzinfo=UTC)  # 07:30 on the 9th in Shanghai
    for _tick in range(2):
        with app.app_context(), job_scope(tenant):
            next_run = agenda.send_daily_agendas(at_seven_thirty)
    assert next_run == datetime(2026, 12, 9, 23, 0, tzinfo=UTC)
    assert mail_count(app, owner_email) == 1 and mail_count(app, other_email) == 0
    text = latest_mail(app, owner_email)
    assert "11:00 Morning stand-up" in text and "Tomorrow's" not in text
    assert "Send the catalogue (due 2026-12-08)" in text
    with app.app_context(), job_scope(tenant):
        agenda.send_daily_agendas(at_seven_thirty + timedelta(days=1))
    assert mail_count(app, owner_email) == 2
    assert owner_client.post(f"/t/{tenant.slug}/calendar/settings", data={"submit": "Save"}).status_code == 302
    with app.app_context(), tenant_scope(tenant):
        assert db.session.scalar(sa.select(CalendarSettings.daily_agenda)) is False


def test_my_day_shows_todays_meetings_and_follow_ups_due(scope):
    import time_machine

    owner = db.session.get(User, owner_id())
    owner.time_zone = "Asia/Shanghai"
    stage = db.session.scalars(sa.select(PipelineStage).order_by(PipelineStage.position)).first()
    client = create_customer({"name": "连天红家具"}, owner.id)
    due = create_opportunity({"name": "Due", "customer_id": client.id, "amount": D("1"), "currency": "CNY",
                              "stage_id": stage.id, "probability": None,
                              "next_step_date": date(2026, 12, 9)}, owner.id)
    create_opportunity({"name": "Later", "customer_id": client.id, "amount": D("1"), "currency": "CNY",
                        "stage_id": stage.id, "probability": None, "next_step_date": date(2026, 12, 10)}, owner.id)
    meeting(owner, title="Today", starts=WEDNESDAY, ends=WEDNESDAY + timedelta(hours=1))
    with time_machine.travel(datetime(2026, 12, 8, 17, 0, tzinfo=UTC), tick=False):  # 01:00 on the 9th
        assert [m.title for m in myday.meetings_today(owner)["meetings"]] == ["Today"]
        assert [d.id for d in myday.follow_ups_due(owner)["deals"]] == [due.id]
    with time_machine.travel(datetime(2026, 12, 8, 15, 0, tzinfo=UTC), tick=False):  # 23:00 on the 8th
        assert myday.meetings_today(owner) is None and myday.follow_ups_due(owner) is None


def test_an_admin_sets_the_quiet_deal_days(app, tenant, owner_client):
    url = f"/t/{tenant.slug}/calendar/reminder-settings"
    assert 'value="14"' in owner_client.get(url).get_data(as_text=True)
    assert owner_client.post(url, data={"stale_deal_days": "0", "quote_expiry_days": "3"}).status_code == 422
    assert owner_client.post(url, data={"stale_deal_days": "30", "quote_expiry_days": "5"}).status_code == 302
    with app.app_context(), tenant_scope(tenant):
        settings = db.session.get(WorkSettings, 1)
        assert (settings.stale_deal_days, settings.quote_expiry_days) == (30, 5)


def test_the_deal_form_keeps_a_next_step_date_and_the_customer_form_a_reorder_interval(app, tenant, owner_client):
    with app.app_context(), tenant_scope(tenant):
        code = create_customer({"name": "连天红家具"}, owner_id()).code
        stage_id = db.session.scalars(sa.select(PipelineStage.id).order_by(PipelineStage.position)).first()
        db.session.commit()
    base = f"/t/{tenant.slug}"
    response = owner_client.post(f"{base}/opportunities/new", data={
        "name": "一百套沙发", "customer_code": code, "amount": "100", "currency": "CNY",
        "owner": owner_id_of(app, tenant), "stage": stage_id, "next_step": "Send samples",
        "next_step_date": "2026-12-15"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert "Send samples (" in owner_client.get(response.location).get_data(as_text=True)
    bad = owner_client.post(f"{base}/customers/new", data={"name": "Regular", "reorder_interval_days": "0"})
    assert bad.status_code == 422 and "Between 1 and 3650." in bad.get_data(as_text=True)
    assert owner_client.post(f"{base}/customers/new", data={
        "name": "Regular", "reorder_interval_days": "30", "kind": "company", "type": "customer",
        "currency": "CNY"}).status_code == 302
    with app.app_context(), tenant_scope(tenant):
        from app.customers.models import Customer
        from app.opportunities.models import Opportunity
        assert db.session.scalar(sa.select(Opportunity.next_step_date)) == date(2026, 12, 15)
        assert db.session.scalar(sa.select(Customer.reorder_interval_days).where(
            Customer.name == "Regular")) == 30


def owner_id_of(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        return owner_id()
