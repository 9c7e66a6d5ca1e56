"""The contact list's columns, filters and sorts."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.contacts.models import Contact
from app.lists.spec import Column, Filter, ListSpec

CONTACT_LIST = ListSpec(
    model=Contact,
    columns=(
        Column("name", _l("Name"), lambda c: c.name, default=True),
        Column("customer", _l("Customer"), lambda c: c.customer.name if c.customer else "",
               default=True),
        Column("title", _l("Job title"), lambda c: c.title or "", default=True),
        Column("mobile", _l("Mobile"), lambda c: c.mobile or "", default=True),
        Column("phone", _l("Phone"), lambda c: c.phone or ""),
        Column("email", _l("E-mail"), lambda c: c.email or "", default=True),
        Column("wechat", _l("WeChat"), lambda c: c.wechat or ""),
        Column("department", _l("Department"), lambda c: c.department or ""),
        Column("created", _l("Created"), lambda c: c.created_at),
    ),
    filters=(
        Filter("customer", _l("Customer"), "id", Contact.customer_id),
        Filter("owner", _l("Owner"), "id", Contact.owner_id),
        Filter("title", _l("Job title"), "text", Contact.title),
        Filter("department", _l("Department"), "text", Contact.department),
        Filter("decision_role", _l("Role in decisions"), "text", Contact.decision_role),
        Filter("created_from", _l("Created from"), "date_from", Contact.created_at),
        Filter("created_to", _l("Created until"), "date_to", Contact.created_at),
    ),
    sorts={"name": (_l("Name"), Contact.name), "created": (_l("Created"), Contact.created_at)},
    default_sort="name",
)


def live_contacts_query(user) -> sa.Select:
    from app.access.visibility import visible_to

    return sa.select(Contact).where(Contact.deleted_at.is_(None), visible_to(user, Contact))
