"""Quotations: lines from the catalogue, price history, versions, approval, sending, orders."""
