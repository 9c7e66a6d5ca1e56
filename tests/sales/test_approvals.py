"""Approvals: rules, approvers from the org tree, notify, decide with a comment, audited."""
from decimal import Decimal as D

import pytest
import sqlalchemy as sa

from app.access.models import Role
from app.approvals import services as approvals
from app.approvals.models import ApprovalRequest, ApprovalRule
from app.audit.models import AuditEntry
from app.auth.models import User
from app.extensions import db
from app.org.models import Unit, UnitManager
from app.quotes import services, workflow
from app.quotes.services import LineEntry
from tests.conftest import add_user, client_as, login
from tests.mailbox import latest_mail
from tests.sales.conftest import customer, product


@pytest.fixture
def org(app, scope):
    """HQ (director) → East region (manager) → Shanghai store (rep); rules on quotes."""
    def user(role, email, unit):
        role_id = db.session.scalar(sa.select(Role.id).where(Role.key == role))
        person = User(email=email, name=email.split("@")[0], role_id=role_id, unit_id=unit.id,
                      password_hash="x")
        db.session.add(person)
        db.session.flush()
        return person

    hq = Unit(name="总部", kind="head_office")
    db.session.add(hq)
    db.session.flush()
    east = Unit(name="华东", kind="region", parent_id=hq.id)
    db.session.add(east)
    db.session.flush()
    store = Unit(name="上海店", kind="store", parent_id=east.id)
    db.session.add(store)
    db.session.flush()
    people = {"director": user("sales_manager", "director@x.example", hq),
              "manager": user("sales_manager", "manager@x.example", east),
              "rep": user("sales_rep", "rep@x.example", store)}
    db.session.add_all([UnitManager(unit_id=hq.id, user_id=people["director"].id),
                        UnitManager(unit_id=east.id, user_id=people["manager"].id)])
    db.session.add_all([
        ApprovalRule(document_type="quote", metric="discount_percent", threshold=D("10"),
                     approver="unit_manager"),
        ApprovalRule(document_type="quote", metric="amount", threshold=D("100000"),
                     approver="director"),
    ])
    product("SOFA-1", price="1000", tax="0")
    db.session.flush()
    return people


def rep_quote(people, quantity="1", discount="0"):
    values = {"customer_id": customer().id, "currency": "CNY", "discount_percent": D(discount)}
    quote = services.create_quote(values, [LineEntry("SOFA-1", D(quantity))], people["rep"].id)
    quote.unit_id = people["rep"].unit_id
    return quote


def test_no_rule_tripped_means_approved_at_once(org):
    quote = rep_quote(org, discount="10")           # 10% is not above 10%
    workflow.submit(quote, org["rep"].id)
    assert quote.status == "approved"
    assert approvals.requests_for("quote", quote.id) == []


def test_a_big_discount_waits_for_the_unit_manager_who_is_mailed(app, org):
    quote = rep_quote(org, discount="15")
    workflow.submit(quote, org["rep"].id)
    assert quote.status == "pending_approval"
    [request] = approvals.requests_for("quote", quote.id)
    assert request.approver_id == org["manager"].id and "15.00 > 10.00" in request.reason
    db.session.commit()  # mail leaves with the commit of what it tells of
    assert "waits for your approval" in latest_mail(app, "manager@x.example")
    assert approvals.pending_for(org["manager"]) == [request]
    assert approvals.pending_for(org["director"]) == []
    with pytest.raises(services.QuoteError):
        services.edit_quote(quote, {"customer_id": quote.customer_id, "currency": "CNY"}, [],
                            org["rep"].id)           # nothing changes while it waits
    approvals.decide(request, org["manager"], True, "可以")
    assert quote.status == "approved" and request.decided_at is not None
    audit = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "approval_approved")).one()
    assert audit.changes["comment"] == "可以"


def test_both_rules_need_both_approvers_and_one_rejection_sends_it_back(org):
    quote = rep_quote(org, quantity="200", discount="20")  # 160,000 and 20% off
    workflow.submit(quote, org["rep"].id)
    requests = approvals.requests_for("quote", quote.id)
    assert [r.approver_id for r in requests] == [org["manager"].id, org["director"].id]
    approvals.decide(requests[0], org["manager"], True, None)
    assert quote.status == "pending_approval"      # the director has not decided yet
    with pytest.raises(approvals.ApprovalError):
        approvals.decide(requests[1], org["director"], False, "  ")   # a rejection says why
    with pytest.raises(approvals.ApprovalError):
        approvals.decide(requests[1], org["rep"], True, None)         # not the rep's to decide
    approvals.decide(requests[1], org["director"], False, "折扣太大")
    assert quote.status == "draft"
    assert [r.status for r in approvals.requests_for("quote", quote.id)] == ["approved", "rejected"]


def test_the_requester_is_never_their_own_approver_and_roles_can_approve(org):
    quote = rep_quote(org, discount="15")
    quote.unit_id = org["manager"].unit_id           # the manager quotes in their own region
    workflow.submit(quote, org["manager"].id)
    [request] = approvals.requests_for("quote", quote.id)
    assert request.approver_id == org["director"].id
    role = db.session.scalar(sa.select(Role).where(Role.key == "admin"))
    rule = db.session.scalars(sa.select(ApprovalRule)).first()
    rule.approver, rule.role_id = "role", role.id
    other = rep_quote(org, discount="15")
    workflow.submit(other, org["rep"].id)
    [by_role] = approvals.requests_for("quote", other.id)
    assert (by_role.approver_id, by_role.approver_role_id) == (None, role.id)


def test_without_managers_the_owners_approve(scope):
    db.session.add(ApprovalRule(document_type="quote", metric="discount_percent",
                                threshold=D("5"), approver="director"))
    product("SOFA-1", price="100")
    values = {"customer_id": customer().id, "currency": "CNY", "discount_percent": D("50")}
    quote = services.create_quote(values, [LineEntry("SOFA-1", D("1"))], None)
    workflow.submit(quote, None)
    [request] = approvals.requests_for("quote", quote.id)
    owner_role = db.session.scalar(sa.select(Role.id).where(Role.key == "owner"))
    assert request.approver_role_id == owner_role


def test_approving_through_the_waiting_list_page(app, tenant):
    from tenants.context import tenant_scope

    manager_id = add_user(app, tenant, "sales_manager", "boss@x.example")
    with app.test_request_context(), tenant_scope(tenant):
        store = Unit(name="Store", kind="store")
        db.session.add(store)
        db.session.flush()
        db.session.add(UnitManager(unit_id=store.id, user_id=manager_id))
        db.session.add(ApprovalRule(document_type="quote", metric="discount_percent",
                                    threshold=D("0"), approver="unit_manager"))
        product("SOFA-1", price="100")
        values = {"customer_id": customer().id, "currency": "CNY", "discount_percent": D("3")}
        quote = services.create_quote(values, [LineEntry("SOFA-1", D("1"))], None)
        quote.unit_id = store.id
        workflow.submit(quote, None)
        db.session.commit()
        request_id, quote_id = approvals.requests_for("quote", quote.id)[0].id, quote.id
    boss = app.test_client()
    assert login(boss, tenant, email="boss@x.example").status_code == 302
    page = boss.get(f"/t/{tenant.slug}/approvals/").get_data(as_text=True)
    assert "Q000001 v1" in page
    refused = boss.post(f"/t/{tenant.slug}/approvals/{request_id}", data={"decision": "reject"})
    assert refused.status_code == 303                 # a rejection without a comment
    assert boss.post(f"/t/{tenant.slug}/approvals/{request_id}",
                     data={"decision": "approve", "comment": "ok"}).status_code == 302
    with app.app_context(), tenant_scope(tenant):
        assert db.session.get(ApprovalRequest, request_id).status == "approved"
        from app.quotes.models import Quote
        assert db.session.get(Quote, quote_id).status == "approved"
    # In Chinese the quote page names the decision and the quote's status in words.
    owner = client_as(app, tenant, "owner")
    owner.post("/language", data={"language": "zh_Hans", "next": f"/t/{tenant.slug}/"})
    quote_page = owner.get(f"/t/{tenant.slug}/quotes/{quote_id}").get_data(as_text=True)
    assert "<strong>已批准</strong>" in quote_page and "<strong>approved</strong>" not in quote_page
