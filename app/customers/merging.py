"""Merging a duplicate customer into the one kept, without losing anything.

Contacts, timeline entries and every registered reference move to the kept
customer; empty fields of the kept customer are filled from the duplicate;
tags are united and sales volumes added; the duplicate is soft-deleted with
`merged_into_id` pointing at the kept one, so old links still lead somewhere.
"""
import sqlalchemy as sa

from app.attachments.models import Attachment
from app.contacts.models import Contact
from app.customers.forms import CustomerForm
from app.customers.models import Customer
from app.customers.services import CustomerError
from app.extensions import db
from app.timeline.models import TimelineEntry
from app.i18n import N_
from app.timeline.services import add_entry, move_subject

# (table, column) pairs holding a customer id. Other modules (opportunities,
# quotes, tickets, attachments) append theirs so a merge moves them too.
CUSTOMER_REFERENCES: list[tuple[object, str]] = [
    (Contact.__table__, "customer_id"),
    (TimelineEntry.__table__, "customer_id"),
    (Attachment.__table__, "customer_id"),
]
# Callables (keep_id, duplicate_id) for what names a customer otherwise than by a
# customer_id column (teams and shares name it as a record type and id).
MERGE_HOOKS: list = []


def merge_customers(keep: Customer, duplicate: Customer, actor_id: int | None) -> Customer:
    if keep.id == duplicate.id:
        raise CustomerError("duplicate", "a customer cannot be merged into itself")
    if duplicate.deleted_at is not None or keep.deleted_at is not None:
        raise CustomerError("duplicate", "only live customers can be merged")
    for table, column in CUSTOMER_REFERENCES:
        db.session.execute(sa.update(table).where(table.c[column] == duplicate.id)
                           .values({column: keep.id}))
    for hook in MERGE_HOOKS:
        hook(keep.id, duplicate.id)
    for address in list(duplicate.addresses):
        if not any(a.kind == address.kind for a in keep.addresses):
            address.customer = keep
    if keep.sales_history is not None and duplicate.sales_history is not None:
        keep.sales_history += duplicate.sales_history  # both figures count (else one is copied)
    for name in CustomerForm.PLAIN_FIELDS:
        if getattr(keep, name) in (None, "", []) and getattr(duplicate, name) not in (None, "", []):
            setattr(keep, name, getattr(duplicate, name))
    if not keep.phone_e164:
        keep.phone_e164 = duplicate.phone_e164
    keep.tags = list(dict.fromkeys([*(keep.tags or []), *(duplicate.tags or [])]))
    keep.sales_volume = (keep.sales_volume or 0) + (duplicate.sales_volume or 0)
    keep.custom = {**(duplicate.custom or {}), **(keep.custom or {})}
    duplicate.deleted_at, duplicate.merged_into_id = sa.func.now(), keep.id
    move_subject("customer", duplicate.id, keep.id)
    add_entry(customer_id=keep.id, kind="merge", user_id=actor_id,
              event=(N_("%(duplicate)s merged into %(kept)s"),
                     {"duplicate": f"{duplicate.code} {duplicate.name}", "kept": keep.code}))
    db.session.flush()
    db.session.expire(keep, ["addresses"])
    return keep
