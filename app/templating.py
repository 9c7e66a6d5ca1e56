"""Helpers every template can call (registered as a context processor)."""
from dataclasses import dataclass

from flask import Flask
from flask_babel import format_currency, get_locale, lazy_gettext as _l

from app.i18n import LANGUAGE_NAMES

ROLE_NAMES = {
    "owner": _l("Owner"), "admin": _l("Administrator"), "sales_manager": _l("Sales manager"),
    "sales_rep": _l("Sales rep"), "service_agent": _l("Service agent"),
    "call_center_agent": _l("Call-center agent"), "read_only": _l("Read-only"),
}
STATUS_NAMES = {
    "pooled": _l("Pooled"), "active": _l("Active"), "suspended": _l("Suspended"),
    "canceled": _l("Canceled"),
}
SUBSCRIPTION_STATUS_NAMES = {
    "trialing": _l("Trial"), "active": _l("Active"), "past_due": _l("Payment due"),
    "suspended": _l("Suspended"), "canceled": _l("Canceled"), "purged": _l("Purged"),
}
INVOICE_STATUS_NAMES = {
    "draft": _l("Draft"), "open": _l("Open"), "paid": _l("Paid"), "void": _l("Void"),
    "uncollectible": _l("Uncollectible"),
}
FEATURE_NAMES = {
    "customers": _l("Customer files"), "contacts": _l("Contacts"), "pipeline": _l("Sales pipeline"),
    "tasks": _l("Tasks and calendar"), "tickets": _l("Service requests"),
    "knowledge_base": _l("Knowledge base"), "campaigns": _l("Mail campaigns"),
    "call_center": _l("Call center"), "forum": _l("Customer forum"), "reports": _l("Reports"),
    "api": _l("REST API and webhooks"), "erp_connector": _l("ERP connector"),
    "approvals": _l("Approval workflows"),
}
_HTML_LANG = {"zh_Hans": "zh-Hans", "zh_Hant": "zh-Hant", "en": "en"}


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object


# The workspace's modules, in menu order. A module adds its entry here.
WORKSPACE_NAV = [
    NavItem("workspace.dashboard.home", _l("Dashboard")),
    NavItem("workspace.billing.overview", _l("Billing")),
]


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
            "workspace_nav": lambda: WORKSPACE_NAV,
            "role_name": lambda role: ROLE_NAMES.get(role.key, role.name) if role else "",
            "status_name": lambda status: STATUS_NAMES.get(status, status),
            "subscription_status_name": lambda s: SUBSCRIPTION_STATUS_NAMES.get(s, s),
            "invoice_status_name": lambda s: INVOICE_STATUS_NAMES.get(s, s),
            "feature_name": lambda key: FEATURE_NAMES.get(key, key),
        }

    @app.template_filter("money")
    def money(amount, currency):
        """Decimal amount in its currency, formatted for the current language."""
        return format_currency(amount, currency)
