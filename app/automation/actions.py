"""What a rule does, one function per action type: each returns a line for the run log
and raises ActionFailed (or anything) when it cannot do its work."""
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from app.auth.models import User
from app.automation import templates
from app.automation.fields import parse_value, settable_fields
from app.automation.models import AutomationRule
from app.extensions import db
from app.i18n import N_, workspace_today
from app.records import record_type

ACTION_TYPES = ("task", "notify", "assign", "set", "email", "webhook")


class ActionFailed(RuntimeError):
    pass


def _owner_id(record) -> int | None:
    return getattr(record, "owner_id", None)


def _user(user_id) -> User:
    user = db.session.get(User, int(user_id)) if user_id else None
    if user is None or not user.active:
        raise ActionFailed(_("User %(id)s does not exist or is deactivated.", id=user_id))
    return user


def _target_ids(who, record) -> list[int]:
    if who == "owner":
        return [_owner_id(record)] if _owner_id(record) else []
    return [_user(who).id]


def create_task(run, action: dict) -> str:
    from app.tasks.models import Task

    assignee = _target_ids(action.get("assignee", "owner"), run.record)
    owner = db.session.get(User, assignee[0]) if assignee else None
    task = Task(title=templates.render(action.get("title") or run.rule.name, run.context)[:200],
                due_date=workspace_today() + timedelta(days=int(action.get("due_days") or 0)),
                owner_id=owner.id if owner else None, unit_id=owner.unit_id if owner else None,
                related_type=run.type_key, related_id=run.record.id,
                customer_id=record_type(run.type_key).customer_id(run.record))
    db.session.add(task)
    db.session.flush()
    return _("Task created: %(title)s", title=task.title)


def notify_someone(run, action: dict) -> str:
    from app.notifications import notify

    users = _target_ids(action.get("to", "owner"), run.record)
    message = templates.render(action.get("message") or "", run.context)
    notify(users, "automation", N_("%(rule)s on %(record)s: %(message)s"),
           {"rule": run.rule.name, "record": run.title, "message": message},
           subject=(run.type_key, run.record.id))
    return _("Notified %(count)d user(s).", count=len(users))


def assign_owner(run, action: dict) -> str:
    from app.notifications import notify

    if "owner_id" not in run.record.__table__.c:
        raise ActionFailed(_("This kind of record has no owner."))
    user = _user(action["user_id"]) if action.get("user_id") else _next_in_unit(run.rule, action)
    run.record.owner_id = user.id
    if "unit_id" in run.record.__table__.c and user.unit_id:
        run.record.unit_id = user.unit_id  # so unit visibility follows the new owner
    notify([user.id], "assigned", N_("%(rule)s assigned %(record)s to you"),
           {"rule": run.rule.name, "record": run.title}, subject=(run.type_key, run.record.id))
    return _("Assigned to %(name)s.", name=user.name)


def _next_in_unit(rule, action: dict) -> User:
    """Round-robin: the next active user of the unit after the last one chosen. The rule's
    row is locked first, so two records created at once go to two different people."""
    locked = db.session.scalars(sa.select(AutomationRule).where(AutomationRule.id == rule.id)
                                .with_for_update().execution_options(populate_existing=True)).one()
    users = db.session.scalars(sa.select(User).where(
        User.unit_id == int(action["unit_id"]), User.active).order_by(User.id)).all()
    if not users:
        raise ActionFailed(_("The department or store has no active users."))
    chosen = next((u for u in users if locked.rotation_user_id and u.id > locked.rotation_user_id),
                  users[0])
    locked.rotation_user_id = chosen.id
    return chosen


def set_field(run, action: dict) -> str:
    field = settable_fields(run.type_key).get(action.get("field"))
    if field is None:
        raise ActionFailed(_("The field %(field)s may not be set by a rule.", field=action.get("field")))
    setattr(run.record, field.column.key, parse_value(field, action.get("value") or ""))
    return _("%(field)s set to %(value)s.", field=field.label, value=action.get("value"))


def send_email(run, action: dict) -> str:
    from app.mail import send_after_commit

    address = _address(run, action.get("to", "contact"))
    if not address:
        raise ActionFailed(_("There is no e-mail address to send to."))
    send_after_commit(address, templates.render(action.get("subject") or "", run.context)[:200],
                      templates.render(action.get("body") or "", run.context))
    return _("E-mail sent to %(address)s.", address=address)


def _address(run, who: str) -> str | None:
    from app.contacts.models import Contact
    from app.customers.models import Customer

    record = run.record
    if who == "owner":
        owner = db.session.get(User, _owner_id(record)) if _owner_id(record) else None
        return owner.email if owner and owner.active else None
    if getattr(record, "email", None):
        return record.email
    contact_id = getattr(record, "contact_id", None)
    if contact_id and (contact := db.session.get(Contact, contact_id)) and contact.email:
        return contact.email
    customer_id = record_type(run.type_key).customer_id(record)
    customer = db.session.get(Customer, customer_id) if customer_id else None
    return customer.email if customer else None


def call_webhook(run, action: dict) -> str:
    """Queued for after the run commits: the request (or job) never waits on a remote host."""
    from app.jobs import enqueue_after_commit
    from tenants.context import require_tenant

    payload = {"rule": run.rule.name, "record_type": run.type_key, "record_id": run.record.id,
               "event": run.key, "record": run.context["record"]}
    enqueue_after_commit("app.automation.jobs.call_webhook", require_tenant().id, run.rule.id,
                         run.log.id, action["url"], payload)
    return _("Webhook queued: %(url)s", url=action["url"])


PERFORM = {"task": create_task, "notify": notify_someone, "assign": assign_owner,
           "set": set_field, "email": send_email, "webhook": call_webhook}
