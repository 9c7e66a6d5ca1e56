"""The customer list: its columns, filters and sorts (read by the list, export and saved views)."""
import sqlalchemy as sa
from flask import g
from flask_babel import lazy_gettext as _l

from app.customers.forms import TYPE_LABELS
from app.customers.models import TIERS, Customer
from app.lists.spec import Column, Filter, ListSpec


def _type_label(row):
    # Translated once per request: a lazy label per row meant 50 gettext calls per page.
    if "customer_type_labels" not in g:
        g.customer_type_labels = {key: str(label) for key, label in TYPE_LABELS.items()}
    return g.customer_type_labels.get(row.type, row.type)


def _owner_name(row):
    return row.owner.name if row.owner else ""


CUSTOMER_LIST = ListSpec(
    model=Customer,
    columns=(
        Column("code", _l("Code"), lambda c: c.code, default=True),
        Column("name", _l("Name"), lambda c: c.name, default=True),
        Column("type", _l("Type"), _type_label, default=True),
        Column("tier", _l("Tier"), lambda c: c.tier or "", default=True),
        Column("owner", _l("Sales rep"), _owner_name, default=True),
        Column("phone", _l("Phone"), lambda c: c.phone or "", default=True),
        Column("email", _l("E-mail"), lambda c: c.email or ""),
        Column("region", _l("Region"), lambda c: c.region or ""),
        Column("industry", _l("Industry"), lambda c: c.industry or ""),
        Column("source", _l("Source"), lambda c: c.source or ""),
        Column("currency", _l("Currency"), lambda c: c.currency),
        Column("credit_limit", _l("Credit limit"), lambda c: c.credit_limit),
        Column("sales_volume", _l("Sales volume"), lambda c: c.sales_volume),
        Column("tags", _l("Tags"), lambda c: ", ".join(c.tags or [])),
        Column("created", _l("Created"), lambda c: c.created_at),
    ),
    filters=(
        Filter("type", _l("Type"), "choice", Customer.type, tuple(TYPE_LABELS.items())),
        Filter("tier", _l("Tier"), "choice", Customer.tier, tuple((t, t) for t in TIERS)),
        Filter("owner", _l("Sales rep"), "id", Customer.owner_id),
        Filter("unit", _l("Department or store"), "id", Customer.unit_id),
        Filter("tag", _l("Tag"), "tag", Customer.tags),
        Filter("region", _l("Region"), "text", Customer.region),
        Filter("industry", _l("Industry"), "text", Customer.industry),
        Filter("source", _l("Source"), "text", Customer.source),
        Filter("currency", _l("Currency"), "text", Customer.currency),
        Filter("payment_terms", _l("Payment terms"), "text", Customer.payment_terms),
        Filter("credit_rating", _l("Credit rating"), "text", Customer.credit_rating),
        Filter("credit_min", _l("Credit limit from"), "number_min", Customer.credit_limit),
        Filter("credit_max", _l("Credit limit to"), "number_max", Customer.credit_limit),
        Filter("sales_min", _l("Sales volume from"), "number_min", Customer.sales_volume),
        Filter("created_from", _l("Created from"), "date_from", Customer.created_at),
        Filter("created_to", _l("Created until"), "date_to", Customer.created_at),
    ),
    sorts={
        "name": (_l("Name"), Customer.name),
        "code": (_l("Code"), Customer.code),
        "created": (_l("Created"), Customer.created_at),
        "sales_volume": (_l("Sales volume"), Customer.sales_volume),
    },
    default_sort="-created",
)


def live_customers_query(user) -> sa.Select:
    """Live customers the user may see (record visibility computed in the query)."""
    from app.access.visibility import visible_to

    return sa.select(Customer).where(Customer.deleted_at.is_(None), visible_to(user, Customer))


def customer_list() -> ListSpec:
    """The list spec with this tenant's custom fields as extra columns and filters."""
    from app.customfields.services import fields_of

    return CUSTOMER_LIST.with_custom_fields(fields_of("customers"))
