"""Helpers every template can call (registered as a context processor)."""
from dataclasses import dataclass
from decimal import Decimal

from urllib.parse import urlencode

from flask import Flask, request
from flask_babel import format_currency, get_locale, lazy_gettext as _l
from flask_login import current_user
from jinja2 import pass_context

from app.access.labels import role_display_name
from app.access.permissions import can
from app.approvals.labels import APPROVAL_STATUS_NAMES

from app.customers.addresses import ADDRESS_LABELS
from app.customers.forms import TYPE_LABELS
from app.customfields.values import display as custom_display
from app.i18n import LANGUAGE_NAMES
from app.plan_display import limit_text, plan_limits, storage_text
from app.quotes.labels import QUOTE_STATUS_NAMES
from app.timeline.comments import comment_html
from app.timeline.events import entry_text
from app.timeline.forms import ENTRY_LABELS
from app.tenant_admin import is_tenant_admin
from billing.features import endpoint_in_plan, has_feature, is_built, plan_features
from billing.labels import FEATURE_NAMES, INVOICE_STATUS_NAMES, SUBSCRIPTION_STATUS_NAMES
from tenants.labels import STATUS_NAMES

_HTML_LANG = {"zh_Hans": "zh-Hans", "zh_Hant": "zh-Hant", "en": "en"}


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object
    # (module, action) the user needs to see the entry; None: every signed-in user.
    permission: tuple[str, str] | None = None


@dataclass(frozen=True)
class NavGroup:
    """A drop-down of related entries (shown when the user may open at least one)."""
    label: object
    items: tuple

    @property
    def blueprints(self) -> set[str]:
        return {item.endpoint.rpartition(".")[0] for item in self.items}


# The workspace's modules, in menu order. A module adds its entry here.
WORKSPACE_NAV = [
    NavItem("workspace.myday.home", _l("My day")),
    NavItem("workspace.tasks.index", _l("Tasks"), ("tasks", "view")),
    NavItem("workspace.calendar.index", _l("Calendar"), ("tasks", "view")),
    NavItem("workspace.customers.index", _l("Customers"), ("customers", "view")),
    NavItem("workspace.contacts.index", _l("Contacts"), ("contacts", "view")),
    NavGroup(_l("Sales"), (
        NavItem("workspace.opportunities.board", _l("Pipeline"), ("sales", "view")),
        NavItem("workspace.quotes.index", _l("Quotes"), ("sales", "view")),
        NavItem("workspace.orders.index", _l("Orders"), ("sales", "view")),
        NavItem("workspace.approvals.index", _l("Approvals")),
        NavItem("workspace.forecast.index", _l("Forecast"), ("sales", "view")),
        NavItem("workspace.competitors.index", _l("Competitors"), ("sales", "view")),
        NavItem("workspace.products.index", _l("Products"), ("products", "view")),
    )),
    NavItem("workspace.admin.users", _l("Admin"), ("admin", "admin")),
    NavItem("workspace.billing.overview", _l("Billing"), ("admin", "admin")),
]

# The tenant admin's pages, in the user menu of admins only.
ADMIN_NAV = [
    NavItem("workspace.audit.index", _l("Audit log")),
    NavItem("workspace.export.index", _l("Export all my data")),
    NavItem("workspace.branding.edit", _l("Branding")),
    NavItem("workspace.mail.index", _l("Outgoing mail")),
    NavItem("workspace.customfields.index", _l("Custom fields")),
    NavItem("workspace.announcements.index", _l("Announcements")),
    NavItem("workspace.automation.index", _l("Automation")),
    NavItem("workspace.calendar.reminder_settings", _l("Reminder settings")),
]


def nav_for(user) -> list:
    """The menu entries (and groups, reduced to their allowed entries) user may open."""
    allowed = []
    for entry in WORKSPACE_NAV:
        if isinstance(entry, NavGroup):
            items = tuple(nav_for_items(user, entry.items))
            if items:
                allowed.append(NavGroup(entry.label, items))
        elif _may_open(user, entry):
            allowed.append(entry)
    return allowed


def nav_for_items(user, items):
    return [item for item in items if _may_open(user, item)]


def _may_open(user, item: NavItem) -> bool:
    """The user's role allows the entry and the tenant's plan includes its module."""
    return (item.permission is None or can(user, *item.permission)) and endpoint_in_plan(item.endpoint)


@pass_context
def _in_plan(_context, key: str) -> bool:
    """The `in_plan` template test. pass_context keeps Jinja from folding `"approvals" is
    in_plan` into a constant when it compiles a template: the answer is the current
    tenant's, asked at every rendering, never the first renderer's baked in for all."""
    return has_feature(key)


def query_with(**changes) -> str:
    """The current query string with some arguments replaced (and the page cursor dropped)."""
    args = request.args.to_dict(flat=False)
    args.pop("after", None)
    for key, value in changes.items():
        args[key] = [value]
    return urlencode(args, doseq=True)


def current_locale_code() -> str:
    locale = get_locale()
    if locale is None:
        return "en"
    if locale.language == "zh":
        return "zh_Hant" if locale.script == "Hant" else "zh_Hans"
    return "en"


def register(app: Flask) -> None:
    @app.context_processor
    def helpers():
        return {
            "brand_name": lambda: "Kehu CRM",
            "language_names": lambda: LANGUAGE_NAMES,
            "current_locale_code": current_locale_code,
            "current_locale_tag": lambda: _HTML_LANG[current_locale_code()],
            "workspace_nav": lambda: nav_for(current_user),
            "can": lambda module, action: can(current_user, module, action),
            "role_name": role_display_name,
            "admin_nav": lambda: [i for i in ADMIN_NAV if endpoint_in_plan(i.endpoint)],
            "query_with": query_with,
            "type_label": lambda key: TYPE_LABELS.get(key, key),
            "entry_kind": lambda key: ENTRY_LABELS.get(key, key),
            "entry_text": entry_text,
            "comment_html": comment_html,
            "custom_display": custom_display,
            "address_label": lambda kind: ADDRESS_LABELS.get(kind, kind),
            "is_tenant_admin": is_tenant_admin,
            "status_name": lambda status: STATUS_NAMES.get(status, status),
            "subscription_status_name": lambda s: SUBSCRIPTION_STATUS_NAMES.get(s, s),
            "invoice_status_name": lambda s: INVOICE_STATUS_NAMES.get(s, s),
            "feature_name": lambda key: FEATURE_NAMES.get(key, key),
            "limit_text": limit_text,
            "storage_text": storage_text,
            "plan_limits": plan_limits,
            "plan_features": plan_features,
            "status_label": lambda s: QUOTE_STATUS_NAMES.get(s, s),
            "approval_status_label": lambda s: APPROVAL_STATUS_NAMES.get(s, s),
        }

    # {% if "approvals" is in_plan %}: hide what the tenant's plan does not include
    app.jinja_env.tests["in_plan"] = _in_plan
    app.jinja_env.tests["built_feature"] = is_built  # the provider's plan editor marks the others

    @app.template_filter("quantity")
    def quantity(value):
        """A Decimal quantity without trailing zeros (2.500 → 2.5, 100.000 → 100)."""
        return f"{value.normalize():f}" if isinstance(value, Decimal) else value

    @app.template_filter("amount")
    def amount(value):
        """12345.6 → "12,345.60": the number alone, for big tables (board, forecast) that show the
        currency once. Our three languages (en, zh_Hans, zh_Hant) all group thousands with ","
        and use "." for decimals, and this is ~50x faster than Babel's format_currency."""
        return "" if value is None else f"{Decimal(value):,.2f}"

    @app.template_filter("money")
    def money(amount, currency):
        """Decimal amount in its currency, formatted for the current language."""
        return format_currency(amount, currency)
