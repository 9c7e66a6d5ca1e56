"""Logging provider staff in (password, then the TOTP step), for every test that needs the console."""
import re
import secrets

import pyotp

PASSWORD = "provider-secret-99"


def staff_secret(app, email: str) -> str | None:
    """The staff member's enrolled TOTP secret, read from the database."""
    from app.extensions import db
    from app.provider.services import find_by_email

    with app.app_context():
        user = find_by_email(email)
        secret = user.totp_secret if user else None
        db.session.rollback()
    return secret


def provider_login(client, email: str, password: str = PASSWORD):
    """Log in as a staff member the way a browser does; enrols the authenticator on first use.

    Returns the last response: a redirect into the console when both steps passed, otherwise
    the page that refused (the password step's or the code step's)."""
    first = client.post("/provider/login", data={"email": email, "password": password})
    if first.status_code != 302 or "/provider/login/code" not in first.location:
        return first
    page = client.get("/provider/login/code").get_data(as_text=True)
    shown = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', page)
    secret = shown.group(1) if shown else staff_secret(client.application, email)
    return client.post("/provider/login/code", data={"code": pyotp.TOTP(secret).now()})


def console_client(app, role: str):
    """A new provider staff user with role (owner, billing, support), logged in."""
    email = f"{role}-{secrets.token_hex(4)}@provider.example"
    result = app.test_cli_runner().invoke(args=["provider", "create-user", email, "--role", role],
                                          input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    client = app.test_client()
    assert provider_login(client, email).status_code == 302
    return client
