"""Activity on every record: each record page shows its own entries, the customer's 360 shows
everything beneath it that the reader may see, and system events read in the reader's language."""
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from app.extensions import db
from app.opportunities.services import move_stage
from app.opportunities.models import Opportunity
from app.sales.models import PipelineStage
from app.timeline.models import TimelineEntry
from app.timeline.services import add_entry, entries_for_customer
from tenants.context import tenant_scope
from tests.conftest import owner_id
from tests.sales.conftest import customer
from tests.timeline.world import make_world, user_client


def _page(client, tenant, path):
    response = client.get(f"/t/{tenant.slug}{path}")
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_old_arguments_still_work_and_name_the_contact_or_customer(scope):
    buyer = customer()
    plain = add_entry(customer_id=buyer.id, kind="note", title="Called back")
    assert (plain.subject_type, plain.subject_id) == ("customer", buyer.id)
    from app.contacts.services import create_contact

    person = create_contact({"name": "李四", "customer_code": buyer.code}, owner_id())
    about_contact = add_entry(customer_id=buyer.id, contact_id=person.id, kind="call", title="x")
    assert (about_contact.subject_type, about_contact.subject_id) == ("contact", person.id)


def test_a_subject_brings_its_customer_so_the_360_shows_it(scope):
    buyer = customer()
    person_entry = None
    from app.contacts.services import create_contact

    person = create_contact({"name": "李四", "customer_code": buyer.code}, owner_id())
    person_entry = add_entry(kind="note", title="Likes red", subject=("contact", person.id))
    assert person_entry.customer_id == buyer.id and person_entry.contact_id == person.id
    assert person_entry in entries_for_customer(buyer.id)


def test_each_record_page_shows_its_own_activity_and_the_360_all_of_it(app, owner_client, tenant):
    world = make_world(app, tenant)
    for kind, record_id in (("contact", world.contact_id), ("opportunity", world.opportunity_id),
                            ("quote", world.quote_id)):
        response = owner_client.post(f"/t/{tenant.slug}/records/{kind}/{record_id}/comments",
                                     data={"body": f"A word about the {kind}"})
        assert response.status_code == 302
    contact_page = _page(owner_client, tenant, f"/contacts/{world.contact_id}")
    deal_page = _page(owner_client, tenant, f"/opportunities/{world.opportunity_id}")
    quote_page = _page(owner_client, tenant, f"/quotes/{world.quote_id}")
    assert "A word about the contact" in contact_page and "the opportunity" not in contact_page
    assert "A word about the opportunity" in deal_page and "the quote" not in deal_page
    assert "Opportunity created: Sofa deal" in deal_page
    assert "A word about the quote" in quote_page and "created" in quote_page
    everything = _page(owner_client, tenant, f"/customers/{world.customer_id}")
    for text in ("A word about the contact", "A word about the opportunity",
                 "A word about the quote", "Opportunity created: Sofa deal"):
        assert text in everything
    # entries of records beneath the customer link to them
    assert f'href="/t/{tenant.slug}/opportunities/{world.opportunity_id}"' in everything


def test_an_order_page_shows_its_activity(app, owner_client, tenant):
    world = make_world(app, tenant)
    response = owner_client.post(f"/t/{tenant.slug}/quotes/{world.quote_id}/accept")
    assert response.status_code == 302
    with app.app_context(), tenant_scope(tenant):
        order_id = db.session.scalar(sa.select(TimelineEntry.subject_id).where(
            TimelineEntry.subject_type == "order"))
    page = _page(owner_client, tenant, f"/orders/{order_id}")
    assert "from quote Q" in page and 'data-testid="activity"' in page


def test_the_360_leaves_out_what_the_reader_may_not_see(app, tenant):
    """A rep who owns the customer does not see, on its 360, a manager's deal on it: neither
    its events, nor its comments, nor that it exists."""
    rep, rep_id = user_client(app, tenant, "sales_rep")
    world = make_world(app, tenant)  # the owner's deal, quote and contact
    with app.test_request_context(), tenant_scope(tenant):
        from app.customers.models import Customer

        db.session.get(Customer, world.customer_id).owner_id = rep_id
        db.session.commit()
    boss = app.test_client()
    from tests.conftest import login

    login(boss, tenant)
    boss.post(f"/t/{tenant.slug}/records/opportunity/{world.opportunity_id}/comments",
              data={"body": "Secret margin talk"})
    boss.post(f"/t/{tenant.slug}/records/customer/{world.customer_id}/comments",
              data={"body": "Everyone may read this"})
    rep_view = _page(rep, tenant, f"/customers/{world.customer_id}")
    assert "Everyone may read this" in rep_view
    assert "Secret margin talk" not in rep_view and "Sofa deal" not in rep_view
    assert "王小明" not in rep_view.split('data-testid="activity"')[1]
    boss_view = _page(boss, tenant, f"/customers/{world.customer_id}")
    assert "Secret margin talk" in boss_view and "Sofa deal" in boss_view


def test_a_service_agent_does_not_see_sales_entries_on_the_360(app, owner_client, tenant):
    agent, agent_id = user_client(app, tenant, "service_agent")  # no sales module
    world = make_world(app, tenant)
    with app.test_request_context(), tenant_scope(tenant):
        from app.customers.models import Customer

        db.session.get(Customer, world.customer_id).owner_id = agent_id  # so they see it
        db.session.commit()
    page = _page(agent, tenant, f"/customers/{world.customer_id}")
    assert "Sofa deal" not in page and "Quote Q" not in page


def test_a_deleted_contacts_entries_leave_the_360(app, owner_client, tenant):
    world = make_world(app, tenant)
    owner_client.post(f"/t/{tenant.slug}/records/contact/{world.contact_id}/comments",
                      data={"body": "About Wang"})
    assert "About Wang" in _page(owner_client, tenant, f"/customers/{world.customer_id}")
    assert owner_client.post(f"/t/{tenant.slug}/contacts/{world.contact_id}/delete").status_code == 302
    assert "About Wang" not in _page(owner_client, tenant, f"/customers/{world.customer_id}")


def test_a_record_activity_pages_with_keysets(app, owner_client, tenant):
    world = make_world(app, tenant)
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    with app.test_request_context(), tenant_scope(tenant):
        for number in range(55):
            add_entry(kind="note", title=f"Note number {number:02d}",
                      subject=("opportunity", world.opportunity_id),
                      occurred_at=start + timedelta(minutes=number))
        db.session.commit()
    first = _page(owner_client, tenant, f"/opportunities/{world.opportunity_id}")
    # 50 a page: the deal's creation (today) and notes 54 down to 06
    assert "Note number 54" in first and "Note number 06" in first
    assert "Note number 05" not in first
    older = first.split('data-testid="older" ')[0].rsplit('href="', 1)[1].split('"')[0]
    second = _page(owner_client, tenant,
                   f"/opportunities/{world.opportunity_id}{older.replace('&amp;', '&')}")
    assert "Note number 05" in second and "Note number 00" in second
    assert "Note number 06" not in second and 'data-testid="older"' not in second


def test_a_system_event_reads_in_each_readers_language(app, tenant):
    """A zh_Hans user causes an entry and an English reader reads it in English; and the
    other way round."""
    world = make_world(app, tenant)
    other = make_world(app, tenant, name="Other Co")
    chinese, _cid = user_client(app, tenant, "admin", locale="zh_Hans")
    english, _eid = user_client(app, tenant, "admin", locale="en")
    assert chinese.post(f"/t/{tenant.slug}/quotes/{world.quote_id}/reject",
                        data={"reason": "太贵"}).status_code == 302
    assert english.post(f"/t/{tenant.slug}/quotes/{other.quote_id}/reject",
                        data={"reason": "too dear"}).status_code == 302
    read_in_english = _page(english, tenant, f"/quotes/{world.quote_id}")
    read_in_chinese = _page(chinese, tenant, f"/quotes/{other.quote_id}")
    assert "Q000001 v1 rejected by the customer" in read_in_english
    assert "Q000002 v1 被客户拒绝" in read_in_chinese
    assert "rejected by the customer" not in read_in_chinese


def test_every_stage_move_is_on_the_deal(scope):
    from tests.timeline.world import first_user_id

    buyer = customer()
    from app.opportunities.services import create_opportunity

    stages = db.session.scalars(sa.select(PipelineStage).order_by(PipelineStage.position)).all()
    deal = create_opportunity({"name": "Desk deal", "customer_id": buyer.id, "amount": 1,
                               "currency": "CNY", "stage_id": stages[0].id, "probability": None,
                               "expected_close": None}, first_user_id())
    move_stage(db.session.get(Opportunity, deal.id), stages[1].id, first_user_id())
    entry = db.session.scalars(sa.select(TimelineEntry).where(
        TimelineEntry.subject_type == "opportunity", TimelineEntry.subject_id == deal.id)
        .order_by(TimelineEntry.id.desc())).first()
    assert entry.event == {"msgid": "%(name)s: stage changed from %(from)s to %(to)s",
                           "params": {"name": "Desk deal", "from": stages[0].name,
                                      "to": stages[1].name}}


def test_a_quote_page_shows_the_activity_of_all_its_versions(app, owner_client, tenant):
    world = make_world(app, tenant)
    owner_client.post(f"/t/{tenant.slug}/records/quote/{world.quote_id}/comments",
                      data={"body": "Said about version one"})
    assert owner_client.post(f"/t/{tenant.slug}/quotes/{world.quote_id}/revise").status_code == 302
    with app.app_context(), tenant_scope(tenant):
        from app.quotes.models import Quote

        second = db.session.scalar(sa.select(Quote.id).where(Quote.version == 2))
    page = _page(owner_client, tenant, f"/quotes/{second}")
    assert "Said about version one" in page and "new version" in page
