"""Billing tables (public schema): plans, prices, subscriptions and their history."""
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_base import PublicModel

CURRENCIES = ("CNY", "TWD", "HKD", "USD")
INTERVALS = ("month", "year")
SUBSCRIPTION_STATUSES = ("trialing", "active", "past_due", "suspended", "canceled", "purged")
MONEY = sa.Numeric(12, 2)


def _now_column():
    return mapped_column(sa.DateTime(timezone=True), server_default=sa.func.now())


class Plan(PublicModel):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(32), unique=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    position: Mapped[int] = mapped_column(default=0)
    is_trial: Mapped[bool] = mapped_column(default=False)
    trial_days: Mapped[int] = mapped_column(default=0)
    # None means unlimited.
    seat_limit: Mapped[int | None]
    record_limit: Mapped[int | None]
    storage_limit_mb: Mapped[int | None]
    features: Mapped[list] = mapped_column(sa.JSON, default=list)
    public: Mapped[bool] = mapped_column(default=True)
    active: Mapped[bool] = mapped_column(default=True)

    prices: Mapped[list["PlanPrice"]] = relationship(
        back_populates="plan", order_by="PlanPrice.id", cascade="all, delete-orphan"
    )

    def price(self, currency: str, interval: str) -> "PlanPrice | None":
        return next((p for p in self.prices if p.currency == currency and p.interval == interval), None)

    def __repr__(self) -> str:
        return f"<Plan {self.key}>"


class PlanPrice(PublicModel):
    __tablename__ = "plan_prices"
    __table_args__ = (
        sa.UniqueConstraint("plan_id", "currency", "interval", name="uq_plan_prices_plan_currency_interval"),
        sa.CheckConstraint("amount >= 0", name="amount_not_negative"),
        sa.CheckConstraint("interval IN ('month', 'year')", name="interval_known"),
        sa.CheckConstraint("seat_amount >= 0", name="seat_amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("public.plans.id", ondelete="CASCADE"))
    currency: Mapped[str] = mapped_column(sa.String(3))
    interval: Mapped[str] = mapped_column(sa.String(5))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    # One extra user (on top of the plan's seat limit) for this currency and interval;
    # None: extra users are not sold on this plan in this currency and interval.
    seat_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    stripe_price_id: Mapped[str | None] = mapped_column(sa.String(64))

    plan: Mapped[Plan] = relationship(back_populates="prices")


class Subscription(PublicModel):
    __tablename__ = "subscriptions"
    __table_args__ = (
        sa.CheckConstraint(
            "status IN ('trialing', 'active', 'past_due', 'suspended', 'canceled', 'purged')",
            name="status_known",
        ),
        sa.CheckConstraint("extra_seats >= 0", name="extra_seats_not_negative"),
    )

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    # Kept (SET NULL) when a purged tenant's registry row is deleted: invoices outlive it.
    tenant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("public.tenants.id", ondelete="SET NULL"), unique=True
    )
    tenant_slug: Mapped[str] = mapped_column(sa.String(32))
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("public.plans.id"))
    currency: Mapped[str] = mapped_column(sa.String(3))
    interval: Mapped[str] = mapped_column(sa.String(5), default="month")
    status: Mapped[str] = mapped_column(sa.String(16), index=True)
    gateway: Mapped[str] = mapped_column(sa.String(16), default="manual")
    # Who receives invoices and reminders (the admin who signed up, unless changed).
    billing_name: Mapped[str] = mapped_column(sa.String(200), default="")
    billing_email: Mapped[str] = mapped_column(sa.String(254), default="")
    trial_ends_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    current_period_start: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    current_period_end: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    cancel_at_period_end: Mapped[bool] = mapped_column(default=False)
    past_due_since: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    canceled_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    export_offered_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    credit_balance: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))
    # Users bought on top of the plan's seat limit (billing/seats.py).
    extra_seats: Mapped[int] = mapped_column(default=0, server_default="0")
    stripe_customer_id: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    stripe_subscription_id: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    # The Stripe subscription item whose quantity is extra_seats (found or made on the first change).
    stripe_seat_item_id: Mapped[str | None] = mapped_column(sa.String(64))
    # Stripe's `created` of the newest event applied: older events never overwrite newer state.
    stripe_state_at: Mapped[int | None] = mapped_column(sa.BigInteger)
    # When this app last changed the Stripe subscription (seats, plan), epoch seconds: subscription
    # events Stripe created before then show the state from before the change (billing/stripe_sync.py).
    stripe_changed_at: Mapped[int | None] = mapped_column(sa.BigInteger)
    created_at: Mapped[datetime] = _now_column()

    plan: Mapped[Plan] = relationship(lazy="joined")
    history: Mapped[list["SubscriptionTransition"]] = relationship(
        order_by="SubscriptionTransition.id", back_populates="subscription"
    )

    def __repr__(self) -> str:
        return f"<Subscription {self.tenant_slug} {self.status}>"


class SubscriptionTransition(PublicModel):
    """One row per status change, plan change or seat change: who or what, when, and why.

    A plan or seat change keeps the status, so from_status equals to_status there.
    """

    __tablename__ = "subscription_transitions"

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        sa.ForeignKey("public.subscriptions.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str | None] = mapped_column(sa.String(16))
    to_status: Mapped[str] = mapped_column(sa.String(16))
    actor: Mapped[str] = mapped_column(sa.String(120))
    reason: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = _now_column()

    subscription: Mapped[Subscription] = relationship(back_populates="history")


class ExchangeRate(PublicModel):
    """Provider-set rates: 1 unit of `currency` in the reporting currency (MRR, dashboard)."""

    __tablename__ = "exchange_rates"

    currency: Mapped[str] = mapped_column(sa.String(3), primary_key=True)
    rate: Mapped[Decimal] = mapped_column(sa.Numeric(14, 6))


class StripeEvent(PublicModel):
    """Stripe event ids already processed: a redelivered event is a no-op."""

    __tablename__ = "stripe_events"

    id: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    type: Mapped[str] = mapped_column(sa.String(80))
    created: Mapped[int] = mapped_column(sa.BigInteger)
    processed_at: Mapped[datetime] = _now_column()


class BillingReminder(PublicModel):
    """A reminder sent (kind, per subscription, per day): `flask billing run` sends each once."""

    __tablename__ = "billing_reminders"
    __table_args__ = (
        sa.UniqueConstraint("subscription_id", "kind", "day", name="uq_billing_reminders_once"),
    )

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        sa.ForeignKey("public.subscriptions.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(sa.String(32))
    day: Mapped[str] = mapped_column(sa.String(10))  # the period or date the reminder is about
    sent_at: Mapped[datetime] = _now_column()


class BillingFlag(PublicModel):
    """Something provider staff must look at by hand, never applied automatically: a Stripe
    event for a subscription other than the linked one, a payment for an invoice already paid."""

    __tablename__ = "billing_flags"

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    subscription_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("public.subscriptions.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(40))  # other_subscription, paid_twice
    stripe_event_id: Mapped[str | None] = mapped_column(sa.String(255))
    reference: Mapped[str] = mapped_column(sa.String(120), default="")  # a Stripe id to look up
    detail: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = _now_column()
    resolved_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    resolved_by: Mapped[str | None] = mapped_column(sa.String(120))


class BankAccount(PublicModel):
    """Where bank-transfer customers pay, per invoice currency (set in the provider console)."""

    __tablename__ = "bank_accounts"

    currency: Mapped[str] = mapped_column(sa.String(3), primary_key=True)
    details: Mapped[str] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), onupdate=sa.func.now()
    )
