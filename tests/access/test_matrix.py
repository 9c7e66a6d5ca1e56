"""Every workspace route, with every seeded role: allowed or refused exactly as declared.

New routes join automatically (app.url_map); a route with no declared
permission, or missing from EXPECTED, fails here.
"""
import pytest

from app.access.permissions import PUBLIC, declared_permission
from app.access.seed import SEEDED_ROLES
from tests.conftest import client_as

ROLES = [key for key, *_ in SEEDED_ROLES]
EVERYONE = set(ROLES)
ADMINS = {"owner", "admin"}
# Per the seeded roles (app/access/seed.py): who may do what with customers and contacts.
VIEWERS = EVERYONE
CUSTOMER_CREATORS = {"owner", "admin", "sales_manager", "sales_rep", "call_center_agent"}
CUSTOMER_EDITORS = {"owner", "admin", "sales_manager", "sales_rep"}
CONTACT_EDITORS = CUSTOMER_EDITORS | {"service_agent"}
CUSTOMER_DELETERS = {"owner", "admin", "sales_manager"}
CUSTOMER_EXPORTERS = {"owner", "admin", "sales_manager"}
SALES_VIEW = {"owner", "admin", "sales_manager", "sales_rep", "read_only"}
SALES_WORK = {"owner", "admin", "sales_manager", "sales_rep"}
SALES_EXPORT = {"owner", "admin", "sales_manager"}
CATALOGUE = {"owner", "admin", "sales_manager"}  # products create / edit / archive
TASK_WORK = EVERYONE - {"read_only"}  # everyone plans their own work
TASK_EXPORT = {"owner", "admin", "sales_manager"}

# endpoint → the seeded roles that may open it (PUBLIC: also without logging in).
EXPECTED = {
    "workspace.auth.login": PUBLIC,
    "workspace.auth.second_factor": PUBLIC,
    "workspace.auth.forgot_password": PUBLIC,
    "workspace.auth.reset_password": PUBLIC,
    "workspace.auth.accept_invitation": PUBLIC,
    "workspace.auth.logout": EVERYONE,
    "workspace.myday.home": EVERYONE,
    "workspace.notifications.index": EVERYONE,
    "workspace.notifications.mark_read": EVERYONE,
    "workspace.notifications.mark_all_read": EVERYONE,
    "workspace.notifications.preferences": EVERYONE,
    "workspace.announcements.index": ADMINS,
    "workspace.announcements.new": ADMINS,
    "workspace.announcements.edit": ADMINS,
    "workspace.announcements.delete": ADMINS,
    "workspace.announcements.dismiss": EVERYONE,
    "workspace.profile.edit": EVERYONE,
    "workspace.profile.password": EVERYONE,
    "workspace.profile.two_factor": EVERYONE,
    "workspace.profile.enable_two_factor": EVERYONE,
    "workspace.profile.disable_two_factor": EVERYONE,
    "workspace.profile.sessions_list": EVERYONE,
    "workspace.profile.end_session": EVERYONE,
    "workspace.profile.end_other_sessions": EVERYONE,
    "workspace.admin.users": ADMINS,
    "workspace.admin.invite": ADMINS,
    "workspace.admin.user": ADMINS,
    "workspace.admin.deactivate": ADMINS,
    "workspace.admin.reactivate": ADMINS,
    "workspace.admin.reset_password": ADMINS,
    "workspace.admin.reassign": ADMINS,
    "workspace.admin.resend_invitation": ADMINS,
    "workspace.admin.revoke_invitation": ADMINS,
    "workspace.admin.login_events": ADMINS,
    "workspace.admin.units": ADMINS,
    "workspace.admin.new_unit": ADMINS,
    "workspace.admin.edit_unit": ADMINS,
    "workspace.admin.roles": ADMINS,
    "workspace.admin.edit_role": ADMINS,
    "workspace.admin.copy": ADMINS,
    "workspace.admin.stages": ADMINS,
    "workspace.admin.new_stage": ADMINS,
    "workspace.admin.edit_stage": ADMINS,
    "workspace.admin.move_stage": ADMINS,
    "workspace.admin.remove_stage": ADMINS,
    "workspace.admin.jobs": ADMINS,
    "workspace.admin.retry_job": ADMINS,
    "workspace.audit.index": ADMINS,
    "workspace.export.index": ADMINS,
    "workspace.export.start": ADMINS,
    "workspace.export.status": ADMINS,
    "workspace.export.download": ADMINS,
    "workspace.branding.edit": ADMINS,
    "workspace.branding.stylesheet": PUBLIC,
    "workspace.branding.logo": PUBLIC,
    "workspace.mail.index": ADMINS,
    "workspace.mail.retry": ADMINS,
    "workspace.mail.discard": ADMINS,
    "workspace.customers.index": VIEWERS,
    "workspace.customers.show": VIEWERS,
    "workspace.customers.new": CUSTOMER_CREATORS,
    "workspace.customers.edit": CUSTOMER_EDITORS,
    "workspace.customers.add_to_timeline": CUSTOMER_EDITORS,
    "workspace.customers.addresses": CUSTOMER_EDITORS,
    "workspace.customers.merge": CUSTOMER_EDITORS,
    "workspace.customers.bulk": CUSTOMER_EDITORS,
    "workspace.customers.delete": CUSTOMER_DELETERS,
    "workspace.customers.export": CUSTOMER_EXPORTERS,
    "workspace.contacts.index": VIEWERS,
    "workspace.contacts.show": VIEWERS,
    "workspace.contacts.new": CUSTOMER_CREATORS,
    "workspace.contacts.edit": CONTACT_EDITORS,
    "workspace.contacts.delete": CUSTOMER_DELETERS,
    "workspace.attachments.upload": CUSTOMER_EDITORS,
    "workspace.attachments.download": VIEWERS,
    "workspace.attachments.delete": CUSTOMER_EDITORS,
    "workspace.customfields.index": ADMINS,
    "workspace.customfields.new": ADMINS,
    "workspace.customfields.edit": ADMINS,
    "workspace.automation.index": ADMINS,
    "workspace.automation.new": ADMINS,
    "workspace.automation.edit": ADMINS,
    "workspace.automation.switch": ADMINS,
    "workspace.automation.delete": ADMINS,
    "workspace.automation.log": ADMINS,
    "workspace.imports.upload": CUSTOMER_CREATORS,
    "workspace.imports.mapping": CUSTOMER_CREATORS,
    "workspace.imports.sheet": CUSTOMER_CREATORS,
    "workspace.imports.status": CUSTOMER_CREATORS,
    "workspace.imports.error_report": CUSTOMER_CREATORS,
    "workspace.lists.save": EVERYONE,
    "workspace.tasks.index": EVERYONE,
    "workspace.tasks.show": EVERYONE,
    "workspace.tasks.export": TASK_EXPORT,
    "workspace.tasks.new": TASK_WORK,
    "workspace.tasks.edit": TASK_WORK,
    "workspace.tasks.done": TASK_WORK,
    "workspace.tasks.undone": TASK_WORK,
    "workspace.tasks.delete": TASK_WORK,
    "workspace.lists.open_view": EVERYONE,
    "workspace.lists.delete": EVERYONE,
    "workspace.search.results": EVERYONE,
    "workspace.billing.overview": ADMINS,
    "workspace.billing.pay": ADMINS,
    "workspace.billing.pay_invoice": ADMINS,
    "workspace.billing.portal": ADMINS,
    "workspace.billing.change_plan": ADMINS,
    "workspace.billing.change_seats": ADMINS,
    "workspace.billing.cancel": ADMINS,
    "workspace.billing.invoice": ADMINS,
    "workspace.documents.invoice_pdf": ADMINS,
    "workspace.documents.quote_pdf": SALES_VIEW,
    "workspace.products.index": EVERYONE,
    "workspace.products.lookup": EVERYONE,
    "workspace.products.show": EVERYONE,
    "workspace.products.image": EVERYONE,
    "workspace.products.thumbnail": EVERYONE,
    "workspace.products.export": CATALOGUE,
    "workspace.products.new": CATALOGUE,
    "workspace.products.edit": CATALOGUE,
    "workspace.products.archive": CATALOGUE,
    "workspace.products.restore": CATALOGUE,
    "workspace.products.price_lists": EVERYONE,
    "workspace.products.new_price_list": CATALOGUE,
    "workspace.products.price_list": CATALOGUE,
    "workspace.products.remove_item": CATALOGUE,
    # Teams: everyone who sees the record reaches the route; changing the team is then
    # refused (403) unless they own it, manage its owner or administer (tests/teams/).
    "workspace.customer_team.add_member": VIEWERS,
    "workspace.customer_team.remove_member": VIEWERS,
    "workspace.customer_team.share": VIEWERS,
    "workspace.customer_team.unshare": VIEWERS,
    "workspace.deal_team.add_member_to_deal": SALES_VIEW,
    "workspace.deal_team.remove_member_from_deal": SALES_VIEW,
    "workspace.deal_team.share_deal": SALES_VIEW,
    "workspace.deal_team.unshare_deal": SALES_VIEW,
    "workspace.opportunities.board": SALES_VIEW,
    "workspace.opportunities.index": SALES_VIEW,
    "workspace.opportunities.show": SALES_VIEW,
    "workspace.opportunities.stages_report": SALES_VIEW,
    "workspace.opportunities.new": SALES_WORK,
    "workspace.opportunities.edit": SALES_WORK,
    "workspace.opportunities.move": SALES_WORK,
    "workspace.quotes.index": SALES_VIEW,
    "workspace.quotes.show": SALES_VIEW,
    "workspace.quotes.print_page": SALES_VIEW,
    "workspace.quotes.line_info": SALES_VIEW,
    "workspace.quotes.new": SALES_WORK,
    "workspace.quotes.edit": SALES_WORK,
    "workspace.quotes.submit": SALES_WORK,
    "workspace.quotes.send": SALES_WORK,
    "workspace.quotes.accept": SALES_WORK,
    "workspace.quotes.reject": SALES_WORK,
    "workspace.quotes.revise": SALES_WORK,
    "workspace.orders.index": SALES_VIEW,
    "workspace.orders.show": SALES_VIEW,
    "workspace.orders.export": SALES_EXPORT,
    "workspace.approvals.index": EVERYONE,
    "workspace.approvals.decide": EVERYONE,
    "workspace.approvals.rules": ADMINS,
    "workspace.approvals.edit_rule": ADMINS,
    "workspace.forecast.index": SALES_VIEW,
    "workspace.forecast.export": SALES_EXPORT,
    "workspace.forecast.rates_page": SALES_VIEW,
    "workspace.forecast.set_rate": ADMINS,
    "workspace.forecast.remove_rate": ADMINS,
    "workspace.competitors.index": SALES_VIEW,
    "workspace.competitors.show": SALES_VIEW,
    "workspace.competitors.new": SALES_WORK,
    "workspace.competitors.edit": SALES_WORK,
    "workspace.competitors.swot": SALES_WORK,
    "workspace.competitors.upload_attachment": SALES_WORK,
    "workspace.competitors.attachment": SALES_VIEW,
    "workspace.competitors.remove_attachment": SALES_WORK,
    # Comments, following and mentions: anyone who may see the record (checked per record).
    "workspace.activity.add_comment": EVERYONE,
    "workspace.activity.edit_comment": EVERYONE,
    "workspace.activity.delete_comment": EVERYONE,
    "workspace.activity.follow": EVERYONE,
    "workspace.activity.unfollow": EVERYONE,
    "workspace.activity.mentionable": EVERYONE,
    # The calendar is work planning, like tasks: the "tasks" module's view, create and edit.
    "workspace.calendar.index": EVERYONE,
    "workspace.calendar.show": EVERYONE,
    "workspace.calendar.new": TASK_WORK,
    "workspace.calendar.edit": TASK_WORK,
    "workspace.calendar.cancel": TASK_WORK,
    "workspace.calendar.held": TASK_WORK,
    "workspace.calendar.settings": VIEWERS,
    "workspace.calendar.new_feed": VIEWERS,
    "workspace.calendar.feed": PUBLIC,
    "workspace.calendar.weekly_report": VIEWERS,
    "workspace.calendar.reminder_settings": ADMINS,
}
# Arguments that name nothing: an allowed role gets past the check to a 404 or a
# "link expired" redirect, never to a change.
PLACEHOLDER_ARGS = {"int": 987654, "default": "not-a-token"}


def workspace_rules(app):
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint.startswith("workspace.")),
                  key=lambda r: r.endpoint)


def request_for(rule, slug):
    values = {}
    for arg, converter in rule._converters.items():
        if arg != "tenant_slug":
            kind = "int" if type(converter).__name__ == "IntegerConverter" else "default"
            values[arg] = PLACEHOLDER_ARGS[kind]
    path = rule.build({**values, "tenant_slug": slug}, append_unknown=False)[1]
    method = "GET" if "GET" in rule.methods else "POST"
    return method, path


def test_every_workspace_route_declares_a_permission_and_an_expectation(app):
    for rule in workspace_rules(app):
        view = app.view_functions[rule.endpoint]
        declared = declared_permission(view)
        assert declared is not None, f"{rule.endpoint} declares no permission"
        assert rule.endpoint in EXPECTED, f"{rule.endpoint} is missing from EXPECTED"
        if declared == PUBLIC:
            assert EXPECTED[rule.endpoint] == PUBLIC, rule.endpoint
    assert {r.endpoint for r in workspace_rules(app)} == set(EXPECTED)


@pytest.fixture(scope="module")
def role_clients(app):
    from tests.conftest import make_tenant

    tenant = make_tenant(app, prefix="m")
    return tenant, {role: client_as(app, tenant, role) for role in ROLES}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_is_allowed_or_refused_per_the_table(app, role_clients, role):
    tenant, clients = role_clients
    client = clients[role]
    for rule in workspace_rules(app):
        if rule.endpoint == "workspace.auth.logout":
            continue  # would end this client's session; see the next test
        method, path = request_for(rule, tenant.slug)
        response = client.open(path, method=method)
        expected = EXPECTED[rule.endpoint]
        allowed = expected == PUBLIC or role in expected
        if allowed:
            assert response.status_code != 403, f"{role} refused {method} {path}"
        else:
            assert response.status_code == 403, f"{role} got {response.status_code} on {path}"
            assert "You do not have permission to see this page." in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_log_out(app, tenant, role):
    client = client_as(app, tenant, role)
    assert client.post(f"/t/{tenant.slug}/logout").status_code == 302
    assert client.get(f"/t/{tenant.slug}/").status_code == 302


def test_without_logging_in_only_public_routes_open(app, role_clients):
    tenant, _clients = role_clients
    anonymous = app.test_client()
    for rule in workspace_rules(app):
        method, path = request_for(rule, tenant.slug)
        response = anonymous.open(path, method=method)
        if EXPECTED[rule.endpoint] == PUBLIC:
            # 404: a public route with nothing to show (no logo uploaded)
            assert response.status_code in (200, 302, 404)
            assert "/login?" not in (response.location or "")
        else:
            assert response.status_code == 302 and "/login" in response.location, rule.endpoint


def test_admin_menu_entry_only_for_roles_allowed_to_administer(app, role_clients):
    tenant, clients = role_clients
    for role, client in clients.items():
        page = client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
        assert (f'href="/t/{tenant.slug}/admin/users"' in page) == (role in ADMINS), role


# Path arguments naming a record with an owner: a rep with "own" visibility who names
# another user's record gets the 404 of a record that does not exist (tests/access/hidden.py).
HIDDEN_ARGS = {"customer_id": "customer_id", "contact_id": "contact_id",
               "opportunity_id": "opportunity_id", "quote_id": "quote_id",
               "order_id": "order_id", "attachment_id": "attachment_id", "task_id": "task_id"}
# Lookups by id or code in the query string or form: (method, path, data).
HIDDEN_BY_CODE = [
    ("GET", "/customers/{own_customer_id}/merge?other={customer_id}", None),
    ("POST", "/customers/{own_customer_id}/merge", {"other": "{customer_id}"}),
    ("GET", "/quotes/new?opportunity={opportunity_id}", None),
    ("POST", "/attachments/", {"customer_id": "{customer_id}"}),
    ("POST", "/attachments/", {"contact_id": "{contact_id}"}),
    ("POST", "/attachments/", {"customer_id": "{own_customer_id}", "contact_id": "{contact_id}"}),
    ("POST", "/records/customer/{customer_id}/comments", {"body": "hello"}),
    ("POST", "/records/contact/{contact_id}/comments", {"body": "hello"}),
    ("POST", "/records/opportunity/{opportunity_id}/comments", {"body": "hello"}),
    ("POST", "/records/quote/{quote_id}/comments", {"body": "hello"}),
    ("POST", "/records/order/{order_id}/comments", {"body": "hello"}),
    ("POST", "/records/opportunity/{opportunity_id}/follow", None),
    ("POST", "/records/order/{order_id}/unfollow", None),
    ("GET", "/records/quote/{quote_id}/mentionable?q=", None),
    ("GET", "/tasks/new?related_type=customer&related_id={customer_id}", None),
    ("POST", "/tasks/new", {"related_type": "opportunity", "related_id": "{opportunity_id}",
                            "title": "Spy", "priority": "normal"}),
]


@pytest.fixture(scope="module")
def hidden_world(app):
    from tests.access.hidden import make_hidden, rep_client
    from tests.conftest import make_tenant

    tenant = make_tenant(app, prefix="h")
    hidden, email = make_hidden(app, tenant)
    return tenant, hidden, rep_client(app, tenant, email)


def _record_rules(app):
    return [r for r in workspace_rules(app)
            if set(r.arguments) - {"tenant_slug"} and set(r.arguments) - {"tenant_slug"} <= set(HIDDEN_ARGS)]


def test_every_route_naming_a_hidden_record_by_id_answers_404(app, hidden_world):
    tenant, hidden, rep = hidden_world
    rules = _record_rules(app)
    assert len(rules) >= 25  # customers, contacts, deals, quotes, orders, attachments
    for rule in rules:
        values = {arg: getattr(hidden, HIDDEN_ARGS[arg]) for arg in rule.arguments
                  if arg != "tenant_slug"}
        path = rule.build({**values, "tenant_slug": tenant.slug}, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = rep.open(path, method=method)
            # The permission check comes first: a route the rep may not use at all says 403.
            expected = 404 if "sales_rep" in EXPECTED[rule.endpoint] else 403
            assert response.status_code == expected, f"{method} {path}: {response.status_code}"


@pytest.mark.parametrize("method, path, data", HIDDEN_BY_CODE)
def test_every_lookup_of_a_hidden_record_by_id_in_a_parameter_answers_404(
        hidden_world, method, path, data):
    tenant, hidden, rep = hidden_world
    ids = vars(hidden)
    data = {key: value.format(**ids) for key, value in (data or {}).items()}
    response = rep.open(f"/t/{tenant.slug}" + path.format(**ids), method=method, data=data)
    assert response.status_code == 404
