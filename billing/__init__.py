"""Billing: plans, subscriptions and their state machine, invoices, gateways, dunning.

Public-schema only; never imports a CRM module. Services flush, callers commit.
"""
