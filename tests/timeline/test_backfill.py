"""The migration gives every existing timeline entry a subject, and owners follow their records."""
import sqlalchemy as sa

from app.extensions import db
from tenants.migrating import upgrade_tenant_schema

SCHEMA = "timeline_backfill"
# A value of each type for the required columns of a bare row written by hand.
FILLERS = {"character varying": "'x'", "text": "'x'", "integer": "0", "bigint": "0",
           "boolean": "false", "jsonb": "'{}'", "ARRAY": "'{}'", "numeric": "0", "date": "now()",
           "timestamp with time zone": "now()"}


def _insert(run, table, **values):
    required = run(f"SELECT column_name, data_type FROM information_schema.columns "
                   f"WHERE table_schema = '{SCHEMA}' AND table_name = '{table}' "
                   f"AND is_nullable = 'NO' AND column_default IS NULL "
                   f"AND is_identity = 'NO'").all()
    row = {name: FILLERS[kind] for name, kind in required}
    row.update({name: str(value) for name, value in values.items()})
    return run(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join(row.values())}) "
               f"RETURNING id").scalar()


def test_existing_entries_get_the_record_they_stand_for_as_subject(app_ctx):
    with db.engine.connect() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        connection.exec_driver_sql(f"CREATE SCHEMA {SCHEMA}")
        connection.commit()
        try:
            upgrade_tenant_schema(connection, SCHEMA, "0011_tasks_meetings")
            with connection.begin():
                run = connection.exec_driver_sql
                run(f"SET search_path TO {SCHEMA}, public")
                customer = _insert(run, "customers", code="'C1'", kind="'company'", type="'customer'")
                contact = _insert(run, "contacts", customer_id=customer)
                run(f"INSERT INTO timeline_entries (customer_id, contact_id, kind, title, ref_type,"
                    f" ref_id) VALUES ({customer}, NULL, 'quote', 'Quote Q1', 'quote', 41),"
                    f" ({customer}, {contact}, 'call', 'Called Wang', NULL, NULL),"
                    f" ({customer}, {contact}, 'attachment', 'a.pdf', 'attachment', 3),"
                    f" ({customer}, NULL, 'note', 'A note', NULL, NULL)")
            upgrade_tenant_schema(connection, SCHEMA)
            with connection.begin():
                rows = connection.exec_driver_sql(
                    f"SELECT title, subject_type, subject_id, customer_id FROM {SCHEMA}."
                    f"timeline_entries ORDER BY id").all()
        finally:
            connection.rollback()
            connection.exec_driver_sql(f"DROP SCHEMA {SCHEMA} CASCADE")
            connection.commit()
    assert rows == [("Quote Q1", "quote", 41, customer), ("Called Wang", "contact", contact, customer),
                    ("a.pdf", "contact", contact, customer), ("A note", "customer", customer, customer)]
