"""A logged-in provider-console client, for tests outside tests/provider."""
import secrets

PASSWORD = "provider-secret-99"


def console_client(app, role: str):
    """A new provider staff user with role (owner, billing, support), logged in."""
    email = f"{role}-{secrets.token_hex(4)}@provider.example"
    result = app.test_cli_runner().invoke(args=["provider", "create-user", email, "--role", role],
                                          input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    client = app.test_client()
    assert client.post("/provider/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client
