"""Signed, expiring tokens for e-mailed links (password reset, set password).

A token names the tenant and the user and carries the user's session_version,
so it stops working once used (the password change bumps the version) and
cannot be replayed in another tenant.
"""
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"kehu.{purpose}")


def make_token(purpose: str, tenant_id: int, user) -> str:
    return _serializer(purpose).dumps([tenant_id, user.id, user.session_version])


def read_token(purpose: str, token: str, max_age_s: int) -> tuple[int, int, int] | None:
    """(tenant id, user id, session version), or None if forged, mangled or expired."""
    try:
        tenant_id, user_id, version = _serializer(purpose).loads(token, max_age=max_age_s)
        return int(tenant_id), int(user_id), int(version)
    except (BadSignature, SignatureExpired, ValueError, TypeError):
        return None
