"""Item: numbering on import skips every code in use; a deleted customer's code follows the
chosen policy; no database error text ever reaches the user."""
import pytest
import sqlalchemy as sa

from app.customers import services as customers
from app.customers.models import Customer
from app.extensions import db
from tests.imports.conftest import owner_id, run_import


def _live():
    return dict(db.session.execute(sa.select(Customer.code, Customer.name)
                                   .where(Customer.deleted_at.is_(None))).all())


def test_a_file_without_codes_after_imported_codes_gets_fresh_numbers(scope):
    first = run_import(b"code,name\nC000001,Alpha\nC000002,Beta\nc000007,Gamma\n")
    assert first.status == "done"
    second = run_import(b"name\nDelta\nEpsilon\n")
    assert (second.status, second.created_count) == ("done", 2), second.message
    assert _live() == {"C000001": "Alpha", "C000002": "Beta", "c000007": "Gamma",
                       "C000008": "Delta", "C000009": "Epsilon"}
    # the form numbers on from there too
    assert customers.create_customer({"name": "Zeta"}, owner_id()).code == "C000010"


def test_the_create_policy_gives_matching_rows_new_numbers(scope):
    run_import(b"code,name,email\nC000001,Alpha,a@x.example\n")  # typed, not numbered
    job = run_import(b"code,name,email\nC000001,Alpha again,a@x.example\n", policy="create")
    assert (job.status, job.created_count) == ("done", 1), job.message
    assert sorted(_live()) == ["C000001", "C000002"]


@pytest.mark.parametrize("policy, expected, counts", [
    ("skip", {"K2": "Beta"}, (0, 0, 1)),
    ("update", {"K1": "Alpha renamed", "K2": "Beta"}, (0, 1, 0)),
    ("create", {"C000001": "Alpha renamed", "K2": "Beta"}, (1, 0, 0)),
])
def test_reimporting_after_a_customer_was_deleted_follows_the_policy(scope, policy, expected, counts):
    run_import(b"code,name\nK1,Alpha\nK2,Beta\n")
    alpha = db.session.scalars(sa.select(Customer).where(Customer.code == "K1")).one()
    customers.soft_delete([alpha.id])
    job = run_import(b"code,name\nK1,Alpha renamed\n", policy=policy)
    assert job.status == "done", job.message
    assert (job.created_count, job.updated_count, job.skipped_count) == counts
    assert _live() == expected


def test_an_unexpected_database_error_shows_no_database_text(scope, monkeypatch):
    from app.imports import pipeline

    def clash(*args, **kwargs):
        db.session.execute(sa.text("SELECT 1/0"))

    monkeypatch.setattr(pipeline, "_number", clash)
    job = run_import(b"name\nOne\n")
    assert job.status == "failed"
    assert "division" not in job.message and "psycopg" not in job.message.lower()
    assert "went wrong on our side" in job.message and _live() == {}
