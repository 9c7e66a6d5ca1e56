"""Signed, expiring tokens for e-mailed links (password reset, set password, invitation).

A token names the tenant, the object (user or invitation) and its version, so
it stops working once used or superseded (the version is bumped) and cannot
be replayed in another tenant.
"""
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"kehu.{purpose}")


def sign(purpose: str, tenant_id: int, object_id: int, version: int) -> str:
    return _serializer(purpose).dumps([tenant_id, object_id, version])


def make_token(purpose: str, tenant_id: int, user) -> str:
    return sign(purpose, tenant_id, user.id, user.session_version)


def read_token(purpose: str, token: str, max_age_s: int) -> tuple[int, int, int] | None:
    """(tenant id, object id, version), or None if forged, mangled or expired."""
    try:
        tenant_id, object_id, version = _serializer(purpose).loads(token, max_age=max_age_s)
        return int(tenant_id), int(object_id), int(version)
    except (BadSignature, SignatureExpired, ValueError, TypeError):
        return None
