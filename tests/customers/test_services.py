"""Customer rules at the service level: codes, search, duplicates, merge, ownership, tiers."""
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.contacts.models import Contact
from app.customers import services
from app.customers.duplicates import find_duplicates
from app.customers.merging import merge_customers
from app.customers.models import Customer
from app.extensions import db
from app.search.builder import matching
from app.timeline.services import add_entry, entries_for_customer
from tenants.context import tenant_scope


@pytest.fixture
def scope(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        yield tenant
        db.session.rollback()


def _owner_id():
    return db.session.scalars(sa.select(User.id)).first()


def _new(name, **values):
    return services.create_customer({"name": name, **values}, _owner_id())


def _search(query):
    where, rank = matching(Customer, query)
    return [c.name for c in db.session.scalars(
        sa.select(Customer).where(where, Customer.deleted_at.is_(None)).order_by(rank.desc()))]


def test_codes_are_numbered_without_gaps_and_skip_hand_typed_ones(scope):
    first = _new("First")
    _new("Typed", code="C000002")
    third = _new("Third")
    assert (first.code, third.code) == ("C000001", "C000003")


def test_a_code_that_collides_is_refused(scope):
    _new("One", code="VIP-1")
    with pytest.raises(services.CustomerError) as error:
        _new("Two", code="vip-1")
    assert error.value.field == "code"


def test_search_finds_chinese_in_either_script_latin_codes_and_phones(scope):
    _new("连天红家具有限公司", phone="021-6234 5678", phone_e164="+862162345678")
    _new("Acme Trading", code="ACME-7", email="sales@acme.example")
    assert _search("連天紅") == ["连天红家具有限公司"]
    assert _search("连天红") == ["连天红家具有限公司"]
    assert _search("家具") == ["连天红家具有限公司"]
    assert _search("acme-7") == ["Acme Trading"]
    assert _search("Acm") == ["Acme Trading"]                    # prefix while typing
    assert _search("sales@acme.example") == ["Acme Trading"]
    assert _search("6234 5678") == ["连天红家具有限公司"]       # phone typed another way
    assert _search("红木") == []


def test_editing_a_customer_updates_what_search_finds(scope):
    customer = _new("Old Name")
    services.update_customer(customer, {"name": "新名字"})
    assert _search("old") == [] and _search("新名") == ["新名字"]


def test_duplicates_by_code_phone_email_and_similar_name(scope):
    original = _new("上海连天红家具有限公司", code="LTH", email="a@lth.example",
                    phone_e164="+862162345678")
    assert find_duplicates({"code": "lth"}) == [original]
    assert find_duplicates({"phone_e164": "+862162345678"}) == [original]
    assert find_duplicates({"email": "A@LTH.example"}) == [original]
    assert find_duplicates({"name": "上海連天紅家具公司"}) == [original]
    assert find_duplicates({"name": "北京新华书店"}) == []
    assert find_duplicates({"code": "LTH"}, exclude_id=original.id) == []


def test_merge_moves_contacts_and_timeline_and_keeps_both_histories(scope):
    keep = _new("Acme", tags=["vip"], sales_volume=Decimal("100.00"))
    duplicate = _new("ACME Ltd", website="acme.example", tags=["export"],
                     sales_volume=Decimal("50.50"))
    db.session.add(Contact(name="Li Lei", customer_id=duplicate.id))
    add_entry(customer_id=duplicate.id, kind="note", title="met at the fair")
    add_entry(customer_id=keep.id, kind="call", title="called")
    merge_customers(keep, duplicate, _owner_id())
    assert {c.name for c in db.session.scalars(
        sa.select(Contact).where(Contact.customer_id == keep.id))} == {"Li Lei"}
    titles = [e.title for e in entries_for_customer(keep.id)]
    assert "met at the fair" in titles and "called" in titles
    assert any(t.startswith(duplicate.code) for t in titles)  # the merge itself is on the timeline
    assert keep.website == "acme.example" and keep.tags == ["vip", "export"]
    assert keep.sales_volume == Decimal("150.50")
    assert duplicate.deleted_at is not None and duplicate.merged_into_id == keep.id
    with pytest.raises(services.CustomerError):
        merge_customers(keep, keep, None)


def test_reassigning_keeps_the_history(scope):
    from app.access.models import Role

    rep_role = db.session.scalars(sa.select(Role.id).where(Role.key == "sales_rep")).one()
    rep = User(email="rep@x.example", name="New Rep", role_id=rep_role)
    db.session.add(rep)
    db.session.flush()
    customer = _new("Handed over")
    assert services.reassign([customer.id], rep.id, _owner_id()) == 1
    assert customer.owner_id == rep.id
    assert [e.kind for e in entries_for_customer(customer.id)] == ["ownership"]
    assert "New Rep" in entries_for_customer(customer.id)[0].title


def test_tiers_follow_sales_volume_unless_set_by_hand(scope):
    # Volumes come from the history figure (and orders): setting sales_volume by hand is
    # what no user can do.
    for i in range(10):
        _new(f"Customer {i}", sales_history=Decimal(i * 100))
    manual = _new("Manual", tier="A")
    _new("No data")
    services.refresh_sales_volumes()
    services.recompute_tiers()
    tiers = dict(db.session.execute(sa.select(Customer.name, Customer.tier)).all())
    assert tiers["Customer 9"] == "A" and tiers["Customer 8"] == "A"
    assert tiers["Customer 5"] == "B" and tiers["Customer 0"] == "C"
    assert tiers["Manual"] == "A" and manual.tier_is_manual
    assert tiers["No data"] is None


def test_soft_deleted_customers_leave_search(scope):
    customer = _new("Gone Soon")
    assert services.soft_delete([customer.id]) == 1
    assert _search("gone") == []


def test_the_tiers_command_recomputes_every_tenant(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        owner = db.session.scalars(sa.select(User.id)).first()
        for i in range(5):
            services.create_customer({"name": f"T{i}", "sales_history": Decimal(i)}, owner)
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["customers", "tiers", tenant.slug])
    assert result.exit_code == 0 and "for 1 tenants" in result.output
    with app.app_context(), tenant_scope(tenant):
        assert db.session.scalar(sa.select(Customer.tier).where(Customer.name == "T4")) == "A"
    assert app.test_cli_runner().invoke(args=["customers", "tiers", "nope-nope"]).exit_code != 0
