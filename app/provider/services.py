"""Provider staff accounts."""
import sqlalchemy as sa

from app.auth.passwords import hash_password, verify_password
from app.extensions import db
from app.provider.models import PROVIDER_ROLES, ProviderUser


class ProviderUserError(ValueError):
    pass


def find_by_email(email: str) -> ProviderUser | None:
    return db.session.scalars(
        sa.select(ProviderUser).where(sa.func.lower(ProviderUser.email) == email.strip().lower())
    ).first()


def create_provider_user(email: str, name: str, password: str, role: str) -> ProviderUser:
    if role not in PROVIDER_ROLES:
        raise ProviderUserError(f"role must be one of {', '.join(PROVIDER_ROLES)}")
    if find_by_email(email) is not None:
        raise ProviderUserError(f"{email} already has a provider account")
    user = ProviderUser(email=email.strip().lower(), name=name, role=role,
                        password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> ProviderUser | None:
    """The staff member whose password this is (the same work for unknown addresses), or None."""
    user = find_by_email(email)
    matches = verify_password(user.password_hash if user else None, password)
    if user is None or not user.active or not matches:
        return None
    return user


def reset_two_factor(user: ProviderUser) -> None:
    """Forget the TOTP secret (a lost phone): the next log-in enrols again."""
    user.totp_secret = None
    user.session_version += 1
    db.session.flush()
