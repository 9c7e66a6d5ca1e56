"""Password hashing (argon2id) and the strength rule every password form uses."""
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


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher().verify(password_hash, password)
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
