"""The tenant outbox in the tenant schema: its table, and its rows follow a customer merge."""
from app.customers.merging import CUSTOMER_REFERENCES
from app.mail.models import OutboxMail

if (OutboxMail.__table__, "customer_id") not in CUSTOMER_REFERENCES:
    CUSTOMER_REFERENCES.append((OutboxMail.__table__, "customer_id"))
