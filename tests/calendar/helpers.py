"""Small factories of the calendar tests (inside a tenant scope)."""
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.access.models import Role
from app.auth.models import User
from app.auth.passwords import hash_password
from app.calendar import services
from app.calendar.services import MeetingInput
from app.extensions import db
from tests.conftest import TEST_PASSWORD

UTC = ZoneInfo("UTC")


def user(role="sales_rep", name=None, time_zone=None, unit_id=None, email=None) -> User:
    role_row = db.session.scalars(sa.select(Role).where(Role.key == role)).one()
    count = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    person = User(email=email or f"{role}{count}@cal.example", name=name or f"{role} {count}",
                  password_hash=hash_password(TEST_PASSWORD), role_id=role_row.id,
                  time_zone=time_zone, unit_id=unit_id)
    db.session.add(person)
    db.session.flush()
    return person


def meeting(actor, title="拜访客户", starts=datetime(2026, 12, 10, 2, 0, tzinfo=UTC),
            ends=datetime(2026, 12, 10, 3, 0, tzinfo=UTC), **fields):
    return services.save_meeting(None, MeetingInput(title=title, kind=fields.pop("kind", "meeting"),
                                                    starts_at=starts, ends_at=ends, **fields), actor)
