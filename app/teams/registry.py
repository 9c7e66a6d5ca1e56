"""Plugs teams and shares into visibility and customer merges (imported by app.tenant_schema).

A team or a share on a customer reaches the whole account: the customer, its contacts,
opportunities, quotes and orders. One on an opportunity reaches the deal, its quotes
and its orders. Each table says here which records' teams open its rows.
"""
from app.access.visibility import reached_through
from app.customers.merging import MERGE_HOOKS
from app.teams.services import move_customer_teams

reached_through("customers", ("customer", "id"))
reached_through("contacts", ("customer", "customer_id"))
reached_through("opportunities", ("opportunity", "id"), ("customer", "customer_id"))
reached_through("quotes", ("customer", "customer_id"), ("opportunity", "opportunity_id"))
reached_through("orders", ("customer", "customer_id"), ("opportunity", "opportunity_id"))
MERGE_HOOKS.append(move_customer_teams)
