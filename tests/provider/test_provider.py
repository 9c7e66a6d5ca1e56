"""Provider staff: created on the command line, their own login, tenants listed."""
import pytest

from tests.conftest import login

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
    return client.post("/provider/login", data={"email": email, "password": password})


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
