"""Notifications and each user's choice of how to receive them (tenant schema).

A notification keeps its English msgid and its parameters, not a rendered text:
it is translated when read, in the reader's language.
"""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db_base import TenantModel


class Notification(TenantModel):
    __tablename__ = "notifications"
    __table_args__ = (
        # "My notifications, newest first" and the unread count in the navigation.
        sa.Index("ix_notifications_user_time", "user_id", "id"),
        sa.Index("ix_notifications_user_unread", "user_id", postgresql_where=sa.text("read_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(sa.String(30))
    msgid: Mapped[str] = mapped_column(sa.Text)
    params: Mapped[dict] = mapped_column(JSONB, default=dict)
    subject_type: Mapped[str | None] = mapped_column(sa.String(30))
    subject_id: Mapped[int | None] = mapped_column(sa.BigInteger)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now())
    read_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class NotificationPreference(TenantModel):
    """A user's choice for one event; without a row the defaults of preferences.py apply."""
    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    event: Mapped[str] = mapped_column(sa.String(30), primary_key=True)
    in_app: Mapped[bool] = mapped_column()
    email: Mapped[bool] = mapped_column()
