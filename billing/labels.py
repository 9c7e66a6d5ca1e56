"""Billing words in the reader's language: subscription and invoice statuses, plan features
(templates: `subscription_status_name`, `invoice_status_name`, `feature_name`)."""
from flask_babel import lazy_gettext as _l

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
    "approvals": _l("Approval workflows"), "automation": _l("Automation rules"),
}
