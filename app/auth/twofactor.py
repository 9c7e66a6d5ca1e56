"""Optional TOTP two-factor authentication with single-use recovery codes."""
import hashlib
import secrets

import pyotp

from app.auth.models import User
from app.extensions import db

RECOVERY_CODES = 10


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def code_matches(secret: str, code: str) -> bool:
    """A current code (one step of clock drift allowed either way)."""
    code = "".join(code.split())
    return code.isdigit() and pyotp.TOTP(secret).verify(code, valid_window=1)


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().lower().replace("-", "").encode()).hexdigest()


def new_recovery_codes(user: User) -> list[str]:
    """Fresh recovery codes (shown once); only their hashes are kept."""
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    user.recovery_code_hashes = [_hash(code) for code in codes]
    return codes


def enable(user: User, secret: str) -> list[str]:
    user.totp_secret = secret
    codes = new_recovery_codes(user)
    db.session.flush()
    return codes


def disable(user: User) -> None:
    user.totp_secret = None
    user.recovery_code_hashes = []
    db.session.flush()


def verify_second_factor(user: User, code: str) -> bool:
    """A TOTP code, or an unused recovery code (which is then used up)."""
    if user.totp_secret is None:
        return False
    if code_matches(user.totp_secret, code):
        return True
    hashed = _hash(code)
    if hashed in user.recovery_code_hashes:
        user.recovery_code_hashes = [h for h in user.recovery_code_hashes if h != hashed]
        db.session.flush()
        return True
    return False
