"""Opportunity rules: create, edit, move between stages (with history), reopen won deals.

Services flush, never commit. Every opportunity is on its customer's timeline.
"""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.audit import services as audit
from app.auth.models import User
from app.contacts.models import Contact
from app.customers.models import Customer
from app.extensions import db
from app.forecast.rates import MissingRate, require_rate
from app.i18n import N_, workspace_today
from app.opportunities.models import Opportunity, OpportunityContact, StageChange
from app.sales.models import PipelineStage
from app.sales.stages import live_stages
from app.timeline.services import add_entry

FIELDS = ("name", "customer_id", "owner_id", "unit_id", "amount", "currency", "expected_close",
          "probability", "source", "next_step", "next_step_date", "product_id", "won_lost_reason")


class OpportunityError(ValueError):
    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field, self.message = field, message


def stages() -> list[PipelineStage]:
    """The stages in use (removed ones left out), in board order."""
    return live_stages()


def _check(values: dict) -> None:
    customer = db.session.get(Customer, values["customer_id"])
    if customer is None or customer.deleted_at is not None:
        raise OpportunityError("customer_code", _l("No customer has this code."))
    if values["amount"] is not None and values["amount"] < 0:
        raise OpportunityError("amount", _l("The amount cannot be negative."))
    try:
        require_rate(values["currency"])
    except MissingRate as error:
        raise OpportunityError("currency", error.message)


def _set_contacts(opportunity: Opportunity, contact_ids: list[int]) -> None:
    db.session.execute(sa.delete(OpportunityContact).where(
        OpportunityContact.opportunity_id == opportunity.id))
    valid = db.session.scalars(sa.select(Contact.id).where(
        Contact.id.in_(contact_ids or []), Contact.customer_id == opportunity.customer_id)).all()
    for contact_id in valid:
        db.session.add(OpportunityContact(opportunity_id=opportunity.id, contact_id=contact_id))


def create_opportunity(values: dict, actor_id: int | None) -> Opportunity:
    """A new deal in its first stage (recorded in the stage history) and on the timeline."""
    values = dict(values)
    _check(values)
    stage = db.session.get(PipelineStage, values.pop("stage_id"))
    contact_ids = values.pop("contact_ids", [])
    custom = values.pop("custom", None) or {}
    if values.get("owner_id") is None:
        values["owner_id"] = actor_id
    if values.get("unit_id") is None and values["owner_id"] is not None:
        values["unit_id"] = db.session.get(User, values["owner_id"]).unit_id
    if values.get("probability") is None:
        values["probability"] = stage.probability
    opportunity = Opportunity(stage_id=stage.id, custom=custom,
                              **{k: values.get(k) for k in FIELDS})
    if stage.outcome != "open":
        opportunity.closed_on = workspace_today()
    db.session.add(opportunity)
    db.session.flush()
    _set_contacts(opportunity, contact_ids)
    db.session.add(StageChange(opportunity_id=opportunity.id, from_stage_id=None,
                               to_stage_id=stage.id, user_id=actor_id))
    add_entry(customer_id=opportunity.customer_id, kind="opportunity", user_id=actor_id,
              event=(N_("Opportunity created: %(name)s"), {"name": opportunity.name}),
              ref_type="opportunity", ref_id=opportunity.id,
              subject=("opportunity", opportunity.id))
    db.session.flush()
    return opportunity


def update_opportunity(opportunity: Opportunity, values: dict, actor_id: int | None,
                       reason: str | None = None) -> Opportunity:
    values = dict(values)
    _check(values)
    stage_id = values.pop("stage_id")
    contact_ids = values.pop("contact_ids", None)
    if "custom" in values:  # merged: values of fields no longer in use are kept
        opportunity.custom = {**(opportunity.custom or {}), **values.pop("custom")}
    for name in FIELDS:
        if name in values and not (name == "probability" and values[name] is None):
            setattr(opportunity, name, values[name])
    if contact_ids is not None:
        _set_contacts(opportunity, contact_ids)
    move_stage(opportunity, stage_id, actor_id, reason, keep_probability="probability" in values
               and values["probability"] is not None)
    db.session.flush()
    return opportunity


def move_stage(opportunity: Opportunity, stage_id: int, actor_id: int | None,
               reason: str | None = None, keep_probability: bool = False) -> StageChange | None:
    """Move a deal to another stage; leaving a won or lost stage needs a reason (audited)."""
    if stage_id == opportunity.stage_id:
        return None
    old = db.session.get(PipelineStage, opportunity.stage_id)
    new = db.session.get(PipelineStage, stage_id)
    if new is None or new.removed_at is not None:
        raise OpportunityError("stage_id", _l("Choose a stage."))
    reason = (reason or "").strip() or None
    if old.outcome != "open" and reason is None:
        raise OpportunityError("reason", _l(
            "This deal is closed (%(stage)s). Give a reason to move it back; it is kept in the "
            "audit trail.", stage=old.name))
    opportunity.stage_id = new.id
    if not keep_probability:
        opportunity.probability = new.probability
    opportunity.closed_on = workspace_today() if new.outcome != "open" else None
    if new.outcome != "open" and reason:
        opportunity.won_lost_reason = reason
    change = StageChange(opportunity_id=opportunity.id, from_stage_id=old.id, to_stage_id=new.id,
                         user_id=actor_id, reason=reason)
    db.session.add(change)
    if old.outcome != "open":
        audit.record("opportunity_reopened", "opportunities", opportunity.id,
                     {"from": old.name, "to": new.name, "reason": reason})
    add_entry(customer_id=opportunity.customer_id, kind="opportunity", user_id=actor_id,
              event=(N_("%(name)s: stage changed from %(from)s to %(to)s"),
                     {"name": opportunity.name, "from": old.name, "to": new.name}),
              body=reason, ref_type="opportunity", ref_id=opportunity.id,
              subject=("opportunity", opportunity.id))
    db.session.flush()
    return change


def contacts_of(opportunity: Opportunity) -> list[Contact]:
    return list(db.session.scalars(sa.select(Contact).join(
        OpportunityContact, OpportunityContact.contact_id == Contact.id)
        .where(OpportunityContact.opportunity_id == opportunity.id).order_by(Contact.name)))


def close_as_won(opportunity_id: int, actor_id: int | None) -> None:
    """An accepted quote wins its deal (if the deal is still open)."""
    opportunity = db.session.get(Opportunity, opportunity_id)
    stage = db.session.get(PipelineStage, opportunity.stage_id)
    won = next((s for s in live_stages() if s.outcome == "won"), None)
    if stage.outcome == "open" and won is not None:
        move_stage(opportunity, won.id, actor_id)
