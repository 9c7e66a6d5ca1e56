"""Provider staff: created on the command line, their own login, tenants listed."""
import re

import pyotp
import pytest

from tests.conftest import login
from tests.console import provider_login, staff_secret

PASSWORD = "provider-secret-99"


@pytest.fixture(scope="module")
def staff_email(app):
    email = "ops-" + __name__.replace(".", "-") + "@provider.example"
    result = app.test_cli_runner().invoke(
        args=["provider", "create-user", email, "--role", "support"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    return email


def _provider_login(client, email, password=PASSWORD):
    return provider_login(client, email, password)


def test_staff_log_in_and_see_tenants(client, staff_email, tenant):
    assert _provider_login(client, staff_email).status_code == 302
    page = client.get("/provider/").get_data(as_text=True)
    assert tenant.slug in page and tenant.name in page


def test_wrong_password_is_refused_in_place(client, staff_email):
    response = _provider_login(client, staff_email, "nope-nope-nope")
    assert response.status_code == 422
    assert client.get("/provider/").status_code == 302


def test_tenant_users_cannot_open_the_console(client, tenant):
    login(client, tenant)
    response = client.get("/provider/")
    assert response.status_code == 302 and "/provider/login" in response.location


def test_staff_session_opens_no_workspace(client, staff_email, tenant):
    _provider_login(client, staff_email)
    assert client.get(f"/t/{tenant.slug}/").status_code == 302


def test_duplicate_and_weak_accounts_are_refused(app, staff_email):
    runner = app.test_cli_runner()
    duplicate = runner.invoke(args=["provider", "create-user", staff_email.upper()],
                              input=f"{PASSWORD}\n{PASSWORD}\n")
    assert duplicate.exit_code != 0 and "already has a provider account" in duplicate.output
    weak = runner.invoke(args=["provider", "create-user", "weak@provider.example"],
                         input="short\nshort\n")
    assert weak.exit_code != 0 and "at least 10 characters" in weak.output


def test_the_console_needs_a_code_from_an_authenticator_enrolled_at_first_log_in(app, client):
    email = "totp-" + __name__.replace(".", "-") + "@provider.example"
    app.test_cli_runner().invoke(args=["provider", "create-user", email, "--role", "owner"],
                                 input=f"{PASSWORD}\n{PASSWORD}\n")
    after_password = client.post("/provider/login", data={"email": email, "password": PASSWORD})
    assert after_password.status_code == 302 and "/provider/login/code" in after_password.location
    assert client.get("/provider/").status_code == 302  # a password alone opens nothing
    page = client.get("/provider/login/code").get_data(as_text=True)
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', page).group(1)
    assert client.post("/provider/login/code", data={"code": "000000"}).status_code == 422
    assert client.post("/provider/login/code",
                       data={"code": pyotp.TOTP(secret).now()}).status_code == 302
    assert client.get("/provider/").status_code == 200
    assert staff_secret(app, email) == secret

    again = app.test_client()  # enrolled: the next log-in asks for a code, shows no secret
    again.post("/provider/login", data={"email": email, "password": PASSWORD})
    assert "totp-secret" not in again.get("/provider/login/code").get_data(as_text=True)
    assert again.post("/provider/login/code",
                      data={"code": pyotp.TOTP(secret).now()}).status_code == 302


def test_console_log_in_is_throttled_per_address(app, staff_email):
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "10.9.0.1"
    for _ in range(4):
        assert _provider_login(attacker, staff_email, "nope-nope-nope").status_code == 422
    held = _provider_login(attacker, staff_email)
    assert held.status_code == 429 and "Too many failed log-ins" in held.get_data(as_text=True)
    owner = app.test_client()
    owner.environ_base["REMOTE_ADDR"] = "10.9.0.2"
    assert _provider_login(owner, staff_email).status_code == 302


def test_log_out_ends_the_console_session_for_a_copied_cookie(app, staff_email):
    client = app.test_client()
    assert _provider_login(client, staff_email).status_code == 302
    copied = app.test_client()
    copied.set_cookie("session", client.get_cookie("session").value)
    assert copied.get("/provider/").status_code == 200
    client.post("/provider/logout")
    assert copied.get("/provider/").status_code == 302


def test_a_lost_authenticator_is_reset_on_the_command_line(app, staff_email):
    assert _provider_login(app.test_client(), staff_email).status_code == 302  # enrolled
    runner = app.test_cli_runner()
    assert runner.invoke(args=["provider", "reset-two-factor", staff_email]).exit_code == 0
    assert staff_secret(app, staff_email) is None
    client = app.test_client()
    client.post("/provider/login", data={"email": staff_email, "password": PASSWORD})
    assert 'data-testid="totp-secret"' in client.get("/provider/login/code").get_data(as_text=True)
    assert runner.invoke(args=["provider", "reset-two-factor", "nobody@x.example"]).exit_code == 1
