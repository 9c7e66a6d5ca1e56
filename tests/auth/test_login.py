"""Tenant users log in to their own workspace only; password reset by e-mailed link."""
import re

import sqlalchemy as sa

from app.auth.models import User
from app.extensions import db
from tenants.context import tenant_scope
from tests.conftest import TEST_PASSWORD, login
from tests.mailbox import latest_mail, link_path


def _html(response):
    return response.get_data(as_text=True)


def test_owner_logs_in_and_sees_the_workspace(client, tenant):
    response = login(client, tenant)
    assert response.status_code == 302 and response.location.endswith(f"/t/{tenant.slug}/")
    page = client.get(f"/t/{tenant.slug}/")
    assert page.status_code == 200
    assert tenant.name in _html(page) and "Owner" in _html(page)


def test_wrong_password_shows_the_form_again_with_the_error(client, tenant):
    response = login(client, tenant, password="not-the-password")
    assert response.status_code == 422
    assert "Wrong e-mail or password." in _html(response)
    assert client.get(f"/t/{tenant.slug}/").status_code == 302


def test_malformed_login_form_is_a_validation_message(client, tenant):
    response = client.post(f"/t/{tenant.slug}/login", data={"email": "not an email", "password": ""})
    assert response.status_code == 422
    assert "Invalid email address." in _html(response)
    assert "This field is required." in _html(response)


def test_workspace_needs_login(client, tenant):
    response = client.get(f"/t/{tenant.slug}/")
    assert response.status_code == 302 and f"/t/{tenant.slug}/login" in response.location


def test_a_session_never_opens_another_tenants_workspace(client, new_tenant):
    first, second = new_tenant(), new_tenant()
    login(client, first)
    assert client.get(f"/t/{first.slug}/").status_code == 200
    response = client.get(f"/t/{second.slug}/")
    assert response.status_code == 302 and f"/t/{second.slug}/login" in response.location


def test_same_email_in_two_tenants_are_two_accounts(client, new_tenant):
    first = new_tenant(admin_email="shared@example.com")
    second = new_tenant(admin_email="shared@example.com")
    login(client, first, email="shared@example.com")
    assert client.get(f"/t/{second.slug}/").status_code == 302


def test_logout_ends_the_session(client, tenant):
    login(client, tenant)
    assert client.post(f"/t/{tenant.slug}/logout").status_code == 302
    assert client.get(f"/t/{tenant.slug}/").status_code == 302


def test_unknown_or_malformed_workspace_is_a_404_page(client):
    for path in ("/t/no-such-tenant/", "/t/BAD_slug!/login", "/t/x/"):
        response = client.get(path)
        assert response.status_code == 404
        assert "There is nothing at this address." in _html(response)
        assert "Traceback" not in _html(response)


def test_password_reset_by_mailed_link(app, client, tenant):
    email = f"owner@{tenant.slug}.example"
    other_browser = app.test_client()
    login(other_browser, tenant)
    response = client.post(f"/t/{tenant.slug}/password/forgot", data={"email": email})
    assert response.status_code == 302
    path = link_path(latest_mail(app, email), "password/reset")

    weak = client.post(path, data={"password": "short", "confirm": "short"})
    assert weak.status_code == 422 and "Use at least 10 characters." in _html(weak)
    assert client.post(path, data={"password": "a-new-long-secret", "confirm": "a-new-long-secret"}
                       ).status_code == 302

    assert login(client, tenant).status_code == 422  # the old password no longer works
    assert login(client, tenant, password="a-new-long-secret").status_code == 302
    # the other browser's session ended with the password change
    assert other_browser.get(f"/t/{tenant.slug}/").status_code == 302
    # and the link works only once
    reused = client.get(path)
    assert reused.status_code == 302 and "forgot" in reused.location


def test_reset_for_an_unknown_address_says_the_same_and_sends_nothing(app, client, tenant):
    response = client.post(f"/t/{tenant.slug}/password/forgot", data={"email": "nobody@x.example"},
                           follow_redirects=True)
    assert "If that address has an account here" in _html(response)
    assert latest_mail(app, "nobody@x.example") is None


def test_a_reset_link_of_one_tenant_is_refused_in_another(app, client, new_tenant):
    first, second = new_tenant(), new_tenant()
    email = f"owner@{first.slug}.example"
    client.post(f"/t/{first.slug}/password/forgot", data={"email": email})
    path = link_path(latest_mail(app, email), "password/reset").replace(first.slug, second.slug)
    response = client.get(path)
    assert response.status_code == 302 and "forgot" in response.location


def test_deactivated_user_is_logged_out_and_cannot_log_in(app, client, tenant):
    login(client, tenant)
    with app.app_context(), tenant_scope(tenant):
        user = db.session.scalars(sa.select(User)).one()
        user.active = False
        user.session_version += 1
        db.session.commit()
    assert client.get(f"/t/{tenant.slug}/").status_code == 302
    assert login(client, tenant).status_code == 422


def test_suspended_workspace_shows_a_clear_page(app, client, tenant):
    from tenants.models import Tenant

    login(client, tenant)
    with app.app_context():
        db.session.get(Tenant, tenant.id).status = "suspended"
        db.session.commit()
    response = client.get(f"/t/{tenant.slug}/")
    assert response.status_code == 403
    assert "This workspace is suspended" in _html(response)
    assert "No data has been deleted" in _html(response)


def test_login_form_needs_its_csrf_token(app, tenant):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        response = client.post(f"/t/{tenant.slug}/login",
                               data={"email": f"owner@{tenant.slug}.example", "password": TEST_PASSWORD})
        assert response.status_code == 400
        assert "The form expired" in _html(response)
        page = _html(client.get(f"/t/{tenant.slug}/login"))
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = client.post(f"/t/{tenant.slug}/login", data={
            "email": f"owner@{tenant.slug}.example", "password": TEST_PASSWORD, "csrf_token": token})
        assert response.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_security_headers_are_sent(client):
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_next_parameter_cannot_redirect_off_site(client, tenant):
    response = client.post(f"/t/{tenant.slug}/login?next=https://evil.example/",
                           data={"email": f"owner@{tenant.slug}.example", "password": TEST_PASSWORD})
    assert response.location.endswith(f"/t/{tenant.slug}/")
