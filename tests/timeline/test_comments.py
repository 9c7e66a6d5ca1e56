"""Comments with @mentions on any record, and following a record."""
import sqlalchemy as sa
import pytest

from app.auth.models import User
from app.extensions import db
from app.timeline.models import CommentMention, Follower, TimelineEntry
from tenants.context import tenant_scope
from tests.conftest import login
from tests.timeline.world import NotifySpy, make_world, user_client


@pytest.fixture
def spy(monkeypatch):
    """notify() is a contract whose storage lands elsewhere: the calls are what we check."""
    calls = NotifySpy()
    monkeypatch.setattr("app.notifications.services.notify", calls)
    return calls


def _comments(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        return list(db.session.scalars(sa.select(TimelineEntry.body).where(
            TimelineEntry.kind == "comment").order_by(TimelineEntry.id)))


def _comment_id(app, tenant, body):
    with app.app_context(), tenant_scope(tenant):
        return db.session.scalar(sa.select(TimelineEntry.id).where(TimelineEntry.body == body))


def _post(client, tenant, path, **data):
    return client.post(f"/t/{tenant.slug}{path}", data=data)


def _token(app, tenant, user_id):
    with app.app_context(), tenant_scope(tenant):
        user = db.session.get(User, user_id)
        return f"@[{user.name}](user:{user.id})"


def test_a_comment_is_escaped_and_shown_with_its_author(app, owner_client, tenant):
    world = make_world(app, tenant)
    response = _post(owner_client, tenant, f"/records/customer/{world.customer_id}/comments",
                     body="<script>alert(1)</script> looks <b>fine</b>")
    assert response.status_code == 302 and response.location.endswith("#activity")
    page = owner_client.get(f"/t/{tenant.slug}/customers/{world.customer_id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; looks &lt;b&gt;fine&lt;/b&gt;" in page
    assert "<script>alert(1)" not in page


@pytest.mark.parametrize("body, message", [
    ("   ", "Write a comment first."),
    ("x" * 10_001, "A comment can be at most 10,000 characters (this one has 10,001)."),
])
def test_an_empty_or_too_long_comment_comes_back_with_its_error(app, owner_client, tenant,
                                                                body, message):
    world = make_world(app, tenant)
    response = _post(owner_client, tenant, f"/records/opportunity/{world.opportunity_id}/comments",
                     body=body)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page
    if body.strip():
        assert body in page  # what was typed is kept
    assert _comments(app, tenant) == []


def test_ten_thousand_characters_are_allowed(app, owner_client, tenant):
    world = make_world(app, tenant)
    body = "长" * 10_000
    assert _post(owner_client, tenant, f"/records/quote/{world.quote_id}/comments",
                 body=body).status_code == 302
    assert _comments(app, tenant) == [body]


def test_records_of_another_tenant_or_of_no_type_are_404(app, owner_client, tenant, new_tenant):
    elsewhere = new_tenant()
    theirs = make_world(app, elsewhere)
    make_world(app, tenant)  # ids 1 here are ours: make theirs a higher one
    theirs_too = make_world(app, elsewhere, name="Third")
    for path in (f"/records/customer/{theirs_too.customer_id}/comments",
                 f"/records/nonsense/{theirs.customer_id}/comments",
                 f"/records/opportunity/{theirs_too.opportunity_id}/follow"):
        assert _post(owner_client, tenant, path, body="hi").status_code == 404
    assert owner_client.get(
        f"/t/{tenant.slug}/records/quote/{theirs_too.quote_id}/mentionable").status_code == 404
    assert _comments(app, tenant) == [] and _comments(app, elsewhere) == []


def test_a_rep_cannot_comment_on_or_follow_a_record_hidden_from_them(app, tenant):
    world = make_world(app, tenant)
    rep, _rep_id = user_client(app, tenant, "sales_rep")
    for path in (f"/records/opportunity/{world.opportunity_id}/comments",
                 f"/records/customer/{world.customer_id}/follow"):
        assert _post(rep, tenant, path, body="peek").status_code == 404
    assert _comments(app, tenant) == []


def test_only_the_author_edits_and_the_author_or_an_admin_deletes(app, tenant, spy):
    world = make_world(app, tenant)
    manager, _m = user_client(app, tenant, "admin")
    rep, rep_id = user_client(app, tenant, "sales_manager")
    with app.app_context(), tenant_scope(tenant):
        from app.customers.models import Customer

        db.session.get(Customer, world.customer_id).owner_id = rep_id
        db.session.commit()
    path = f"/records/customer/{world.customer_id}/comments"
    assert _post(rep, tenant, path, body="First draft").status_code == 302
    assert _post(manager, tenant, path, body="Manager's note").status_code == 302
    draft, note = _comment_id(app, tenant, "First draft"), _comment_id(app, tenant, "Manager's note")
    assert _post(rep, tenant, f"/records/comments/{draft}/edit", body="Second draft").status_code == 302
    refused = _post(rep, tenant, f"/records/comments/{note}/edit", body="Rewritten")
    assert refused.status_code == 422 and "You can only edit your own comments." in refused.get_data(as_text=True)
    assert _post(manager, tenant, f"/records/comments/{draft}/edit", body="X").status_code == 422
    assert _post(rep, tenant, f"/records/comments/{note}/delete").status_code == 303
    assert _comments(app, tenant) == ["Second draft", "Manager's note"]
    page = rep.get(f"/t/{tenant.slug}/customers/{world.customer_id}").get_data(as_text=True)
    assert "Second draft" in page and "edited" in page
    assert _post(manager, tenant, f"/records/comments/{draft}/delete").status_code == 302
    assert _post(rep, tenant, f"/records/comments/{draft}/delete").status_code == 404  # gone
    assert _comments(app, tenant) == ["Manager's note"]


def test_a_mentioned_colleague_is_notified_once(app, owner_client, tenant, spy):
    world = make_world(app, tenant)
    _client, boss_id = user_client(app, tenant, "admin", name="Boss Chen")
    token = _token(app, tenant, boss_id)
    path = f"/records/opportunity/{world.opportunity_id}/comments"
    assert _post(owner_client, tenant, path, body=f"{token} can we give 5%?").status_code == 302
    told = spy.to(boss_id, "mentioned")
    assert len(told) == 1
    assert told[0]["subject"] == ("opportunity", world.opportunity_id)
    assert told[0]["params"]["record"] == "Sofa deal"
    assert told[0]["message"] == "%(actor)s mentioned you on %(record)s"
    page = owner_client.get(f"/t/{tenant.slug}/opportunities/{world.opportunity_id}").get_data(as_text=True)
    assert '<span class="mention">@Boss Chen</span> can we give 5%?' in page
    # editing the comment does not mention Boss Chen a second time
    entry_id = _comment_id(app, tenant, f"{token} can we give 5%?")
    assert _post(owner_client, tenant, f"/records/comments/{entry_id}/edit",
                 body=f"{token} can we give 6%?").status_code == 302
    assert len(spy.to(boss_id, "mentioned")) == 1


def test_a_mention_never_reveals_a_record_to_someone_who_cannot_see_it(app, owner_client,
                                                                        tenant, spy):
    world = make_world(app, tenant)
    _rep, rep_id = user_client(app, tenant, "sales_rep", name="Rep Outsider")  # own records only
    _agent, agent_id = user_client(app, tenant, "service_agent", name="Agent Outsider")
    for user_id, kind, record_id in ((rep_id, "opportunity", world.opportunity_id),
                                     (agent_id, "quote", world.quote_id)):
        token = _token(app, tenant, user_id)
        response = _post(owner_client, tenant, f"/records/{kind}/{record_id}/comments",
                         body=f"{token} look at this")
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "cannot see this record, so they cannot be mentioned here." in page
        assert f"{token} look at this" in page  # kept for the author to fix
        names = owner_client.get(
            f"/t/{tenant.slug}/records/{kind}/{record_id}/mentionable?q=Outsider").get_json()
        assert names == []
    assert spy.calls == [] and _comments(app, tenant) == []


def test_a_deactivated_user_cannot_be_mentioned(app, owner_client, tenant, spy):
    world = make_world(app, tenant)
    _client, gone_id = user_client(app, tenant, "admin", name="Former Colleague")
    token = _token(app, tenant, gone_id)
    with app.app_context(), tenant_scope(tenant):
        db.session.get(User, gone_id).active = False
        db.session.commit()
    response = _post(owner_client, tenant, f"/records/customer/{world.customer_id}/comments",
                     body=f"ask {token}")
    assert response.status_code == 422
    assert "Former Colleague is deactivated and cannot be mentioned." in response.get_data(as_text=True)
    assert owner_client.get(f"/t/{tenant.slug}/records/customer/{world.customer_id}"
                            "/mentionable?q=Former").get_json() == []
    assert spy.calls == []


def test_a_forged_mention_shows_the_real_name_and_an_unknown_id_is_refused(app, owner_client,
                                                                            tenant, spy):
    world = make_world(app, tenant)
    _client, boss_id = user_client(app, tenant, "admin", name="Boss Chen")
    path = f"/records/customer/{world.customer_id}/comments"
    assert _post(owner_client, tenant, path,
                 body=f"@[The CEO](user:{boss_id}) hi").status_code == 302
    assert _comments(app, tenant) == [f"@[Boss Chen](user:{boss_id}) hi"]
    response = _post(owner_client, tenant, path, body="@[Ghost](user:99999) hi")
    assert response.status_code == 422 and "does not exist" in response.get_data(as_text=True)


def test_the_autocomplete_lists_active_users_who_may_see_the_record(app, owner_client, tenant):
    world = make_world(app, tenant)
    _a, admin_id = user_client(app, tenant, "admin", name="Zhang Wei")
    user_client(app, tenant, "sales_rep", name="Zhang Rep")  # cannot see the owner's deal
    found = owner_client.get(f"/t/{tenant.slug}/records/opportunity/{world.opportunity_id}"
                             "/mentionable?q=zhang").get_json()
    assert found == [{"id": admin_id, "name": "Zhang Wei",
                      "token": f"@[Zhang Wei](user:{admin_id})"}]
    # % and _ are searched for as themselves
    assert owner_client.get(f"/t/{tenant.slug}/records/opportunity/{world.opportunity_id}"
                            "/mentionable?q=%25").get_json() == []


def test_owners_follow_their_records_and_followers_hear_of_activity(app, owner_client, tenant, spy):
    world = make_world(app, tenant)
    with app.app_context(), tenant_scope(tenant):
        following = set(db.session.execute(sa.select(Follower.subject_type, Follower.subject_id)
                                           .where(Follower.user_id == world.owner_id)).all())
    assert {("customer", world.customer_id), ("contact", world.contact_id),
            ("opportunity", world.opportunity_id), ("quote", world.quote_id)} <= following
    colleague, colleague_id = user_client(app, tenant, "admin")
    path = f"/records/opportunity/{world.opportunity_id}"
    assert _post(colleague, tenant, f"{path}/follow").status_code == 302
    assert _post(colleague, tenant, f"{path}/follow").status_code == 302  # double click: one row
    page = colleague.get(f"/t/{tenant.slug}/opportunities/{world.opportunity_id}").get_data(as_text=True)
    assert "Unfollow" in page
    assert _post(owner_client, tenant, f"{path}/comments", body="Price agreed").status_code == 302
    told = spy.to(colleague_id, "followed")
    assert len(told) == 1 and told[0]["message"] == "%(actor)s commented on %(record)s"
    assert spy.to(world.owner_id) == []  # not the one who wrote it
    # system activity too: the colleague moves the stage, the owner is told
    with app.app_context(), tenant_scope(tenant):
        from app.sales.models import PipelineStage

        second = db.session.scalars(sa.select(PipelineStage.id).order_by(PipelineStage.position)).all()[1]
    assert colleague.post(f"/t/{tenant.slug}/opportunities/{world.opportunity_id}/move",
                          data={"stage_id": second}).status_code in (302, 303)
    assert [c["message"] for c in spy.to(world.owner_id, "followed")] == ["New activity on %(record)s"]
    assert _post(colleague, tenant, f"{path}/unfollow").status_code == 302
    _post(owner_client, tenant, f"{path}/comments", body="Shipping next week")
    assert len(spy.to(colleague_id, "followed")) == 1
    with app.app_context(), tenant_scope(tenant):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Follower).where(
            Follower.user_id == colleague_id)) == 0


def test_a_follower_who_can_no_longer_see_the_record_is_not_told(app, owner_client, tenant, spy):
    world = make_world(app, tenant)
    _rep, rep_id = user_client(app, tenant, "sales_rep")
    with app.app_context(), tenant_scope(tenant):
        db.session.add(Follower(subject_type="opportunity", subject_id=world.opportunity_id,
                                user_id=rep_id))  # followed while it was theirs
        db.session.commit()
    _post(owner_client, tenant, f"/records/opportunity/{world.opportunity_id}/comments", body="hm")
    assert spy.to(rep_id) == []


def test_merging_customers_keeps_their_comments_and_followers(app, owner_client, tenant):
    keep, duplicate = make_world(app, tenant), make_world(app, tenant, name="连天红家具 (copy)")
    _colleague_client, colleague_id = user_client(app, tenant, "admin")
    with app.app_context(), tenant_scope(tenant):
        db.session.add(Follower(subject_type="customer", subject_id=duplicate.customer_id,
                                user_id=colleague_id))
        db.session.commit()
    _post(owner_client, tenant, f"/records/customer/{duplicate.customer_id}/comments",
          body="Said on the copy")
    response = _post(owner_client, tenant, f"/customers/{keep.customer_id}/merge",
                     other=str(duplicate.customer_id), confirm="1")
    assert response.status_code == 302
    page = owner_client.get(f"/t/{tenant.slug}/customers/{keep.customer_id}").get_data(as_text=True)
    assert "Said on the copy" in page and "merged into" in page
    with app.app_context(), tenant_scope(tenant):
        followers = set(db.session.scalars(sa.select(Follower.user_id).where(
            Follower.subject_type == "customer", Follower.subject_id == keep.customer_id)))
        assert {keep.owner_id, colleague_id} <= followers
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Follower).where(
            Follower.subject_type == "customer",
            Follower.subject_id == duplicate.customer_id)) == 0


def test_deleting_a_comment_removes_its_mentions(app, owner_client, tenant, spy):
    world = make_world(app, tenant)
    _client, boss_id = user_client(app, tenant, "admin", name="Boss")
    body = f"{_token(app, tenant, boss_id)} see"
    _post(owner_client, tenant, f"/records/customer/{world.customer_id}/comments", body=body)
    entry_id = _comment_id(app, tenant, body)
    assert _post(owner_client, tenant, f"/records/comments/{entry_id}/delete").status_code == 302
    with app.app_context(), tenant_scope(tenant):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CommentMention)) == 0


def test_a_new_owner_follows_the_record_given_to_them(app, tenant):
    world = make_world(app, tenant)
    _client, successor_id = user_client(app, tenant, "sales_rep")
    with app.test_request_context(), tenant_scope(tenant):
        from app.customers.services import reassign

        reassign([world.customer_id], successor_id, world.owner_id)
        db.session.commit()
        assert db.session.scalar(sa.select(sa.exists().where(
            Follower.subject_type == "customer", Follower.subject_id == world.customer_id,
            Follower.user_id == successor_id)))
