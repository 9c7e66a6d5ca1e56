"""Password hashing (argon2id) and the strength rule every password form uses."""
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l

MIN_LENGTH = 10


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["PASSWORD_HASH_TIME_COST"],
        memory_cost=config["PASSWORD_HASH_MEMORY_KIB"],
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


_STAND_INS: dict[tuple[int, int], str] = {}


def _stand_in_hash() -> str:
    """A hash made with today's work factors, verified when there is no real one to check."""
    config = current_app.config
    params = (config["PASSWORD_HASH_TIME_COST"], config["PASSWORD_HASH_MEMORY_KIB"])
    if params not in _STAND_INS:
        _STAND_INS[params] = _hasher().hash(secrets.token_hex(16))
    return _STAND_INS[params]


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether password matches; without a hash (unknown user, no password set yet) the same
    work is done against a stand-in, so the answer's timing does not tell the two apart."""
    try:
        return _hasher().verify(password_hash or _stand_in_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


COMMON_PASSWORDS = frozenset({
    "password12", "1234567890", "qwertyuiop", "password123", "iloveyou12", "abcdefghij",
    "0123456789", "12345678910", "passw0rd12", "admin12345", "qwerty1234", "1q2w3e4r5t",
})


def password_problem(password: str):
    """Why password is too weak (a translatable message), or None."""
    if len(password) < MIN_LENGTH:
        return _l("Use at least %(n)d characters.", n=MIN_LENGTH)
    if password.lower() in COMMON_PASSWORDS or len(set(password)) < 4:
        return _l("This password is too easy to guess.")
    return None
