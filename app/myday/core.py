"""The panels of "My day" that come with the core: first steps, announcements, approvals
waiting for me, my open deals by stage, the team's deals gone quiet, recent notifications.

Each builds with one query (the page is everyone's first screen): see docs/work/myday.md.
"""
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l

from app.access.permissions import can
from app.access.visibility import visible_to
from app.announcements.services import unread_for
from app.approvals.models import ApprovalRequest
from app.approvals.registry import DOCUMENT_TYPES
from app.auth.models import User
from app.customers.models import Customer
from app.extensions import db
from app.myday import panel
from app.notifications.services import recent_for
from app.opportunities.models import Opportunity
from app.org.models import Unit, UnitManager
from app.products.models import Product
from app.sales.models import PipelineStage
from app.timeline.models import TimelineEntry
from app.users.models import Invitation
from billing.features import endpoint_in_plan

SHOWN = 10


@panel("first_steps", order=1, template="myday/_first_steps.html")
def first_steps(user) -> dict | None:
    """Set-up steps the user may take and nobody has done yet; gone once all are done."""
    done = db.session.execute(sa.select(
        sa.exists(sa.select(Customer.id)).label("customers"),
        sa.or_(sa.select(sa.func.count(User.id)).scalar_subquery() > 1,
               sa.exists(sa.select(Invitation.id))).label("users"),
        sa.exists(sa.select(Product.id)).label("products"))).one()
    steps = [
        ("customers", _l("Import your customers from a spreadsheet"), ("customers", "create"),
         "workspace.imports.upload", {"target": "customers"}),
        ("users", _l("Invite your colleagues"), ("admin", "admin"), "workspace.admin.invite", {}),
        ("products", _l("Set up your products"), ("products", "create"), "workspace.products.new", {}),
    ]
    todo = [{"key": key, "label": label, "url": url_for(endpoint, **args)}
            for key, label, permission, endpoint, args in steps
            if not getattr(done, key) and can(user, *permission) and endpoint_in_plan(endpoint)]
    return {"steps": todo} if todo else None


@panel("announcements", order=5, template="myday/_announcements.html")
def announcements(user) -> dict | None:
    items = unread_for(user)
    return {"announcements": items} if items else None


@panel("approvals.waiting", order=20, template="myday/_approvals.html")
def approvals_waiting(user) -> dict | None:
    """Approvals waiting for my decision, oldest first (if the plan includes approvals)."""
    if not endpoint_in_plan("workspace.approvals.index"):
        return None
    rows = db.session.scalars(sa.select(ApprovalRequest).where(
        ApprovalRequest.status == "pending",
        sa.or_(ApprovalRequest.approver_id == user.id,
               ApprovalRequest.approver_role_id == user.role_id))
        .order_by(ApprovalRequest.id).limit(SHOWN + 1)).all()
    if not rows:
        return None
    labels = {key: kind.label for key, kind in DOCUMENT_TYPES.items()}
    return {"requests": rows[:SHOWN], "more": len(rows) > SHOWN, "labels": labels}


@panel("deals.mine", order=40, template="myday/_deals.html")
def my_deals(user) -> dict | None:
    """My open deals per stage, in pipeline order (if the plan includes the pipeline)."""
    if not endpoint_in_plan("workspace.opportunities.board"):
        return None
    rows = db.session.execute(sa.select(
        PipelineStage.name, sa.func.count(Opportunity.id).label("deals"))
        .join(Opportunity, Opportunity.stage_id == PipelineStage.id)
        .where(Opportunity.owner_id == user.id, Opportunity.deleted_at.is_(None),
               PipelineStage.outcome == "open")
        .group_by(PipelineStage.id).order_by(PipelineStage.position, PipelineStage.id)).all()
    if not rows:
        return None
    return {"stages": [{"name": row.name, "deals": row.deals} for row in rows],
            "total": sum(row.deals for row in rows)}


def _team_of(user):
    """SELECT of the users in the units user manages and every unit below them (not user)."""
    managed = sa.select(Unit.id).join(UnitManager, UnitManager.unit_id == Unit.id).where(
        UnitManager.user_id == user.id).cte("managed_units", recursive=True)
    managed = managed.union_all(sa.select(Unit.id).join(managed, Unit.parent_id == managed.c.id))
    return sa.select(User.id).where(User.unit_id.in_(sa.select(managed.c.id)), User.id != user.id)


@panel("deals.team_stale", order=50, template="myday/_stale_deals.html")
def team_stale_deals(user) -> dict | None:
    """For managers: open deals of their team with no change and no timeline entry for a
    while, the longest unchanged first (walking ix_opportunities_updated_live from the
    oldest, so it stops after the few it shows)."""
    if not endpoint_in_plan("workspace.opportunities.board"):
        return None
    team = list(db.session.scalars(_team_of(user)))  # one small query; most users manage nobody
    if not team:
        return None
    from app.calendar.reminders import work_settings

    # The workspace's one "quiet deal" threshold (Admin → Reminder settings), as the reminders use.
    days = work_settings().stale_deal_days
    cutoff = datetime.now(timezone.utc) - timedelta(days=days)
    recent_entry = sa.select(TimelineEntry.id).where(
        TimelineEntry.subject_type == "opportunity", TimelineEntry.subject_id == Opportunity.id,
        TimelineEntry.occurred_at >= cutoff).exists()
    rows = db.session.execute(sa.select(
        Opportunity.id, Opportunity.name, User.name.label("owner"),
        Opportunity.updated_at.label("last_activity"))
        .join(PipelineStage, PipelineStage.id == Opportunity.stage_id)
        .join(User, User.id == Opportunity.owner_id)
        .where(Opportunity.owner_id.in_(team), Opportunity.deleted_at.is_(None),
               PipelineStage.outcome == "open", Opportunity.updated_at < cutoff,
               visible_to(user, Opportunity), ~recent_entry)
        .order_by(Opportunity.updated_at, Opportunity.id).limit(SHOWN)).all()
    return {"deals": rows, "days": days} if rows else None


@panel("notifications.recent", order=60, template="myday/_notifications.html")
def recent_notifications(user) -> dict | None:
    items = recent_for(user)
    return {"notifications": items} if items else None
