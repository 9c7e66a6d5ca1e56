"""The approval workflow: which rules a document trips, who must approve, deciding.

Approvers come from the organisation tree: the *unit manager* is the nearest
manager at or above the document's unit (other than the requester); the
*director* is the next manager above that one. A *role* rule asks every
active holder of the role (any one of them decides). With no manager found,
the request goes to the owners. Services flush, never commit; every request
and decision is audited (ApprovalRequest is __audited__, plus an audit entry
per decision with its comment).
"""
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.access.models import Role
from app.approvals.models import ApprovalRequest, ApprovalRule
from app.approvals.registry import DOCUMENT_TYPES
from app.audit import services as audit
from app.extensions import db
from billing.features import has_feature
from app.org.models import UnitManager
from app.org.tree import ancestor_ids


class ApprovalError(ValueError):
    """A decision that is refused; the message is for the user."""


def matching_rules(document_type: str, metrics: dict[str, Decimal]) -> list[ApprovalRule]:
    """Active rules whose metric is above their threshold (strictly: "above 10%")."""
    rules = db.session.scalars(sa.select(ApprovalRule).where(
        ApprovalRule.document_type == document_type, ApprovalRule.active)
        .order_by(ApprovalRule.id)).all()
    return [r for r in rules if r.metric in metrics and metrics[r.metric] > r.threshold]


def managers_above(unit_id: int | None, requester_id: int | None) -> list[int]:
    """Managers from the unit upwards, nearest first, without the requester or repeats."""
    if unit_id is None:
        return []
    chain = ancestor_ids(unit_id)
    managers = dict(db.session.execute(sa.select(UnitManager.unit_id, UnitManager.user_id)
                                       .where(UnitManager.unit_id.in_(chain))).all())
    ordered = [managers[u] for u in chain if u in managers and managers[u] != requester_id]
    return list(dict.fromkeys(ordered))


def _owner_role_id() -> int:
    return db.session.scalar(sa.select(Role.id).where(Role.key == "owner"))


def resolve(rule: ApprovalRule, unit_id: int | None, requester_id: int | None):
    """(approver user id, approver role id): exactly one of them is set."""
    if rule.approver == "role":
        return None, rule.role_id
    managers = managers_above(unit_id, requester_id)
    wanted = 0 if rule.approver == "unit_manager" else 1
    if len(managers) > wanted:
        return managers[wanted], None
    return None, _owner_role_id()


def request_approval(document_type: str, document_id: int, metrics: dict, unit_id: int | None,
                     requester_id: int | None) -> list[ApprovalRequest]:
    """Open one request per tripped rule (one per approver); none: no approval needed.

    A plan without approval workflows asks for none: its documents go straight on."""
    if not has_feature("approvals"):
        return []
    requests, seen = [], set()
    for rule in matching_rules(document_type, metrics):
        approver_id, role_id = resolve(rule, unit_id, requester_id)
        if (approver_id, role_id) in seen:
            continue
        seen.add((approver_id, role_id))
        request = ApprovalRequest(
            document_type=document_type, document_id=document_id, rule_id=rule.id,
            reason=describe_rule(rule, metrics)[:200], approver_id=approver_id,
            approver_role_id=role_id, requested_by_id=requester_id, status="pending")
        db.session.add(request)
        requests.append(request)
    db.session.flush()
    if requests:
        from app.approvals.notify import notify_approvers
        notify_approvers(requests)
    return requests


def describe_rule(rule: ApprovalRule, metrics: dict | None = None) -> str:
    label = DOCUMENT_TYPES[rule.document_type].metrics.get(rule.metric, rule.metric)
    value = f" = {metrics[rule.metric]}" if metrics and rule.metric in metrics else ""
    return f"{label}{value} > {rule.threshold}"


def may_decide(request: ApprovalRequest, user) -> bool:
    return request.status == "pending" and (
        request.approver_id == user.id
        or (request.approver_role_id is not None and request.approver_role_id == user.role_id))


def pending_for(user) -> list[ApprovalRequest]:
    """What waits for this user's decision, oldest first."""
    return list(db.session.scalars(sa.select(ApprovalRequest).where(
        ApprovalRequest.status == "pending",
        sa.or_(ApprovalRequest.approver_id == user.id,
               ApprovalRequest.approver_role_id == user.role_id))
        .order_by(ApprovalRequest.id)))


def requests_for(document_type: str, document_id: int) -> list[ApprovalRequest]:
    return list(db.session.scalars(sa.select(ApprovalRequest).where(
        ApprovalRequest.document_type == document_type,
        ApprovalRequest.document_id == document_id).order_by(ApprovalRequest.id)))


def decide(request: ApprovalRequest, user, approve: bool, comment: str | None) -> None:
    """Approve or reject; the document hears once all have approved or one has rejected."""
    if not may_decide(request, user):
        raise ApprovalError(_l("This request is not waiting for your decision."))
    comment = (comment or "").strip() or None
    if not approve and comment is None:
        raise ApprovalError(_l("Say why you reject it: the requester reads your comment."))
    request.status = "approved" if approve else "rejected"
    request.comment, request.decided_by_id = comment, user.id
    request.decided_at = sa.func.now()
    db.session.flush()
    audit.record(f"approval_{request.status}", request.document_type, request.document_id,
                 {"request": request.id, "comment": comment})
    handler = DOCUMENT_TYPES[request.document_type]
    if not approve:
        cancel_pending(request.document_type, request.document_id)
        handler.on_decided(request.document_id, False, comment, user.id)
    elif not any(r.status == "pending" for r in requests_for(request.document_type,
                                                               request.document_id)):
        handler.on_decided(request.document_id, True, comment, user.id)


def cancel_pending(document_type: str, document_id: int) -> None:
    for request in requests_for(document_type, document_id):
        if request.status == "pending":
            request.status, request.decided_at = "canceled", sa.func.now()
    db.session.flush()
