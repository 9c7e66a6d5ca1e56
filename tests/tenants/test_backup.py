"""flask tenants backup/restore: the round trip loses nothing, bad files are refused."""
import json
import zipfile

import pytest
import sqlalchemy as sa

from app.access.models import Role
from app.audit import services as audit
from app.auth.models import User
from app.branding.models import Branding
from app.export.models import ExportJob
from app.extensions import db
from app.sales.models import PipelineStage
from app.tenant_schema import metadata as tenant_metadata
from tenants.backup import tenant_tables
from tenants.context import tenant_scope
from tenants.files import upload_dir
from tenants.models import Tenant
from tests.conftest import login

pytestmark = pytest.mark.xdist_group("registry")


def _run(app, *args):
    return app.test_cli_runner().invoke(args=["tenants", *args])


def _fingerprints(app, tenant) -> dict:
    """Per table: row count and md5 of every row's text, in primary-key order."""
    result = {}
    with app.app_context(), tenant_scope(tenant):
        for table in tenant_tables():
            order = ", ".join(f't."{c.name}"' for c in table.primary_key.columns)
            result[table.name] = db.session.execute(sa.text(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY {order}), '')) "
                f'FROM "{table.name}" t'
            )).one()
        db.session.rollback()
    return result


def _fill(app, tenant):
    """Awkward data in every table: CJK, quotes, commas, newlines, NULLs, JSON, gaps in ids."""
    with app.app_context(), tenant_scope(tenant):
        rep = db.session.scalars(sa.select(Role).where(Role.key == "sales_rep")).one()
        rep.permissions = {**rep.permissions, "note": ['逗号,"引号"\n换行']}
        for n in range(5):
            db.session.add(User(email=f"u{n}@x.example", name=f'王 "{n}",\n第二行', role_id=rep.id,
                                locale=None if n % 2 else "zh_Hant", time_zone=None))
        gone = PipelineStage(name="Will be deleted", position=8, probability=1)
        db.session.add(gone)
        db.session.flush()
        db.session.delete(gone)
        audit.record("export_requested", details={"note": "tab\there"})
        owner = db.session.scalars(sa.select(User).order_by(User.id)).first()
        db.session.add(Branding(id=1, company_name="连天红", primary_color="#aa0000",
                                email_footer="第一行\n第二行", call_greeting="", call_closing="",
                                quote_header="", quote_footer=""))
        db.session.add(ExportJob(requested_by=owner.id, status="failed", error="x,\"y\"\n"))
        _fill_org_and_customers(owner, rep)
        _fill_sales(owner)
        _fill_notifications(owner, rep)
        _fill_automation(owner)
        _fill_tasks(owner)
        _fill_calendar(owner)
        db.session.commit()
    with app.app_context():
        folder = upload_dir(tenant) / "branding"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))


def _fill_automation(owner):
    from app.automation.models import AutomationRule, RuleRun

    rule = AutomationRule(name='新线索 "轮流",\n分配', record_type="customer", trigger="created",
                          conditions=[{"field": "type", "op": "=", "value": "prospect"}],
                          actions=[{"type": "assign", "user_id": owner.id}],
                          rotation_user_id=owner.id, created_by_id=owner.id)
    db.session.add(rule)
    db.session.flush()
    db.session.add(RuleRun(rule_id=rule.id, record_type="customer", record_id=1,
                           run_key="changed:abc", status="failed", detail="HTTP 500,\n\"x\""))


def _fill_tasks(owner):
    """A weekly task about a customer, with a reminder, in a tricky title."""
    from datetime import date, datetime

    from app.customers.models import Customer
    from app.tasks.recurrence import Rule
    from app.tasks.services import TaskInput, create_task

    customer = db.session.scalars(sa.select(Customer).order_by(Customer.id)).first()
    create_task(TaskInput('回电话, "报价"\n确认', owner.id, "Asia/Shanghai",
                          due_date=date(2099, 1, 4), rule=Rule("weekly", count=3),
                          remind_at=datetime(2099, 1, 4, 9), related=("customer", customer)),
                owner.id)


def _fill_org_and_customers(owner, rep):
    from decimal import Decimal

    from app.auth.models import LoginEvent, UserSession
    from app.contacts.models import Contact
    from app.customers.models import Address, Customer
    from app.imports.models import ImportJob, ImportMapping
    from app.numbering import next_number
    from app.org.models import Unit, UnitManager
    from app.timeline.services import add_entry
    from app.users.models import Invitation

    head = Unit(name="总部 HQ", kind="head_office")
    db.session.add(head)
    db.session.flush()
    store = Unit(name='Store "7", 台北', kind="store", parent_id=head.id)
    db.session.add(store)
    db.session.flush()
    db.session.add(UnitManager(unit_id=store.id, user_id=owner.id))
    db.session.add(Invitation(email="new@x.example", role_id=rep.id, unit_id=store.id,
                              invited_by_id=owner.id))
    db.session.add(LoginEvent(user_id=owner.id, email=owner.email, ip="127.0.0.1", success=False,
                              reason="password"))
    db.session.add(UserSession(user_id=owner.id, key="k" * 64, ip="127.0.0.1", user_agent="a, \"b\""))
    # A merged customer points at one created after it: loading by id order must still work.
    merged = Customer(code="C9", name="旧客户", tags=["a,b", "引号\""], custom={"k": [1, None]})
    db.session.add(merged)
    db.session.flush()
    keep = Customer(code="C10", name="連天紅", unit_id=store.id, owner_id=owner.id,
                    credit_limit=Decimal("1234.50"), tags=[], custom={})
    db.session.add(keep)
    db.session.flush()
    merged.merged_into_id, merged.deleted_at = keep.id, sa.func.now()
    db.session.add(Address(customer_id=keep.id, kind="invoice", line1="南京路 1 号\n3 楼"))
    contact = Contact(name="王小明", customer_id=keep.id, mobile_e164="+8613800138000")
    db.session.add(contact)
    db.session.flush()
    add_entry(customer_id=keep.id, contact_id=contact.id, kind="note", title="第一次见面, \"fair\"")
    from app.timeline.comments import add_comment

    add_comment(("customer", keep.id), f'评论, "引号"\n@[Me](user:{owner.id})', owner)
    next_number("customer_code")
    db.session.add(ImportJob(target="customers", filename="客户.csv", policy="skip",
                             file_key="imports/x.csv", errors=[[2, "Name", "required"]]))
    db.session.add(ImportMapping(user_id=owner.id, target="customers", mapping={"名称": "name"}))
    from app.attachments.models import Attachment
    from app.customfields.models import CustomField
    from app.lists.models import SavedView

    db.session.add(CustomField(entity="customers", key="store_size", label="门店面积 (m²)",
                               type="choice", options=["<100", "100–500", "\"大\""]))

    db.session.add(Attachment(customer_id=keep.id, filename="合同 v2.pdf", content_type="application/pdf",
                              size=3, storage_key="attachments/abc", uploaded_by_id=owner.id))
    db.session.add(SavedView(module="customers", name="我的 \"A\" 客户", query="tier=A&sort=-created",
                             user_id=owner.id, shared_with_unit_id=store.id))
    from app.access.teams import RecordShare, TeamMember

    db.session.add(TeamMember(record_type="customer", record_id=keep.id, user_id=owner.id,
                              role="executive_sponsor"))
    db.session.add(RecordShare(record_type="customer", record_id=keep.id, unit_id=store.id,
                               access="edit"))


def _fill_notifications(owner, rep):
    """A notification with JSON parameters, a preference, an announcement read by its author."""
    from app.announcements.models import Announcement, AnnouncementRead
    from app.notifications.models import Notification, NotificationPreference

    db.session.add(Notification(user_id=owner.id, event="mentioned", msgid="Hi %(who)s",
                                params={"who": '王 "一",\n二', "n": [1, None]},
                                subject_type="customer", subject_id=1, actor_id=owner.id))
    db.session.add(NotificationPreference(user_id=owner.id, event="mentioned", in_app=False,
                                          email=True))
    news = Announcement(title="放假, \"通知\"", body="第一行\n第二行", author_id=owner.id)
    db.session.add(news)
    db.session.flush()
    db.session.add(AnnouncementRead(announcement_id=news.id, user_id=owner.id))


def _fill_calendar(owner):
    """A visit with a colleague and a contact, held; a dated task; the feed and agenda settings;
    a reminder already sent; a weekly report; the reminder settings."""
    from datetime import date, datetime, timezone

    from app.calendar.models import (CalendarSettings, Meeting, MeetingAttendee, ReminderSent,
                                     WeeklyReport, WorkSettings)
    from app.contacts.models import Contact
    from app.tasks.models import Task

    colleague = db.session.scalars(sa.select(User).where(User.id != owner.id)).first()
    contact = db.session.scalars(sa.select(Contact)).first()
    start = datetime(2026, 12, 10, 2, 0, tzinfo=timezone.utc)
    visit = Meeting(title="拜访, \"连天红\"\n第二行", kind="visit", starts_at=start, ends_at=start,
                    owner_id=owner.id, customer_id=contact.customer_id, related_type="customer",
                    related_id=contact.customer_id, remind_minutes=30, held_at=start, outcome="签约")
    db.session.add(visit)
    db.session.flush()
    db.session.add_all([MeetingAttendee(meeting_id=visit.id, user_id=colleague.id),
                        MeetingAttendee(meeting_id=visit.id, contact_id=contact.id)])
    db.session.add(Task(title="回电话", owner_id=owner.id, due_date=date(2026, 12, 11)))
    db.session.add(CalendarSettings(user_id=owner.id, feed_token="t" * 43, daily_agenda=True,
                                    agenda_sent_on=date(2026, 12, 9)))
    db.session.add(ReminderSent(kind="birthday", record_id=contact.id, occasion=date(2026, 12, 9)))
    db.session.add(WeeklyReport(user_id=owner.id, week_start=date(2026, 12, 7), body="本周\n- 拜访",
                                sent_to_id=colleague.id, sent_at=start))
    db.session.add(WorkSettings(id=1, stale_deal_days=21, quote_expiry_days=5))


def _fill_sales(owner):
    """Products, price lists, a deal with contact, competitor (with a file) and stage history,
    an approved and accepted quote with its order, an approval rule and request, an exchange
    rate."""
    from decimal import Decimal

    from app.approvals.models import ApprovalRequest, ApprovalRule
    from app.attachments.models import Attachment
    from app.competitors.models import Competitor, OpportunityCompetitor
    from app.contacts.models import Contact
    from app.customers.models import Customer
    from app.forecast.models import ExchangeRate
    from app.opportunities import services as opportunities
    from app.opportunities.models import OpportunityContact
    from app.products.services import save_price_list, save_product, set_item
    from app.quotes import services as quotes, workflow

    customer = db.session.scalars(sa.select(Customer).where(Customer.code == "C10")).one()
    contact = db.session.scalars(sa.select(Contact)).first()
    save_product(None, {"code": "SOFA,1", "name": '沙发 "真皮"', "tax_rate": Decimal("13"),
                        "cost": Decimal("400"), "list_prices": {"CNY": Decimal("999.5")}})
    set_item(save_price_list(None, "经销商, A", "CNY", "A"), "SOFA,1", Decimal("800"))
    db.session.add(ExchangeRate(currency="USD", rate=Decimal("7.12345678")))
    stage = db.session.scalars(sa.select(PipelineStage).order_by(PipelineStage.position)).first()
    deal = opportunities.create_opportunity({
        "name": "一百套\n沙发", "customer_id": customer.id, "amount": Decimal("10000"),
        "currency": "CNY", "stage_id": stage.id, "probability": None}, owner.id)
    db.session.add(OpportunityContact(opportunity_id=deal.id, contact_id=contact.id))
    rival = Competitor(name="宜家, IKEA", strengths="价格\n低")
    db.session.add(rival)
    db.session.flush()
    db.session.add(OpportunityCompetitor(opportunity_id=deal.id, competitor_id=rival.id,
                                         strategy="服务"))
    db.session.add(Attachment(competitor_id=rival.id, filename="宜家 价目表.pdf",
                              content_type="application/pdf", size=3,
                              storage_key="attachments/def", uploaded_by_id=owner.id))
    db.session.add(ApprovalRule(document_type="quote", metric="discount_percent",
                                threshold=Decimal("5"), approver="role",
                                role_id=owner.role_id))
    quote = quotes.create_quote({"customer_id": customer.id, "currency": "CNY",
                                 "opportunity_id": deal.id, "discount_percent": Decimal("10")},
                                [quotes.LineEntry("SOFA,1", Decimal("2.5"))], owner.id)
    workflow.submit(quote, owner.id)
    request = db.session.scalars(sa.select(ApprovalRequest)).one()
    from app.approvals.services import decide
    decide(request, owner, True, '好, "ok"')
    workflow.send(quote, "buyer@x.example", '请查收, "报价"', owner.id, pdf=(b"%PDF\x00\xff", "q.pdf"))
    workflow.accept(quote, owner.id)


def test_backup_and_restore_round_trip_loses_nothing(app, client, tenant, tmp_path):
    with app.test_request_context():  # the sales services write audit entries and url_for
        _fill(app, tenant)
    file = tmp_path / "backup.zip"
    made = _run(app, "backup", tenant.slug, str(file))
    assert made.exit_code == 0, made.output
    new_slug = f"r-{tenant.slug}"[:32].rstrip("-")
    restored = _run(app, "restore", str(file), "--as", new_slug)
    assert restored.exit_code == 0, restored.output
    assert "(1 files)" in restored.output
    with app.app_context():
        copy = db.session.scalars(sa.select(Tenant).where(Tenant.slug == new_slug)).one()
        db.session.expunge(copy)
    source, target = _fingerprints(app, tenant), _fingerprints(app, copy)
    assert set(source) == set(tenant_metadata.tables)
    assert [name for name, (count, _) in source.items() if count == 0] == []  # every table holds rows
    assert source == target
    assert f"{sum(count for count, _ in source.values())} rows" in made.output
    logo = "branding/logo.png"
    with app.app_context():
        assert (upload_dir(copy) / logo).read_bytes() == (upload_dir(tenant) / logo).read_bytes()
    assert copy.name == tenant.name and copy.locale == tenant.locale
    # The copy is a working tenant: its owner logs in, new rows get fresh ids.
    assert login(client, copy, email=f"owner@{tenant.slug}.example").status_code == 302
    with app.app_context(), tenant_scope(copy):
        db.session.add(PipelineStage(name="After restore", position=9, probability=5))
        db.session.commit()


def _tamper(source, target, **manifest_changes):
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "manifest.json":
                data = json.dumps({**json.loads(data), **manifest_changes}).encode()
            new.writestr(item, data)


def test_restore_refuses_bad_files_and_taken_slugs(app, tenant, tmp_path):
    file = tmp_path / "ok.zip"
    assert _run(app, "backup", tenant.slug, str(file)).exit_code == 0
    taken = _run(app, "restore", str(file), "--as", tenant.slug)
    assert taken.exit_code != 0 and "already taken" in taken.output
    old = tmp_path / "old.zip"
    _tamper(file, old, revision="0000_ancient")
    result = _run(app, "restore", str(old), "--as", "from-old-release")
    assert result.exit_code != 0 and "revision 0000_ancient" in result.output
    alien = tmp_path / "alien.zip"
    _tamper(file, alien, tables=[{"name": "pg_authid", "columns": ["rolname"], "rows": 1}])
    assert "does not fit this schema" in _run(app, "restore", str(alien), "--as", "alien-x").output
    not_zip = tmp_path / "not.zip"
    not_zip.write_text("hello")
    assert _run(app, "restore", str(not_zip), "--as", "not-zip-x").exit_code != 0
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(file) as old_zip, zipfile.ZipFile(evil, "w") as new_zip:
        for item in old_zip.infolist():
            new_zip.writestr(item, old_zip.read(item))
        new_zip.writestr("uploads/../../escape.txt", "x")
    assert "unsafe file name" in _run(app, "restore", str(evil), "--as", "evil-x").output
    with app.app_context():
        slugs = {"from-old-release", "alien-x", "not-zip-x", "evil-x"}
        assert not db.session.scalars(sa.select(Tenant).where(Tenant.slug.in_(slugs))).all()
    assert _run(app, "backup", "no-such-tenant", str(tmp_path / "x.zip")).exit_code != 0
