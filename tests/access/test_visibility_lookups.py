"""The loaders every request's record lookup goes through: by id (find_visible,
visible_or_404) and by code (visible_by_code). A deleted or hidden record must look
exactly like one that does not exist; a code is matched in any case and spacing."""
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from werkzeug.exceptions import NotFound

from app.access.models import Role
from app.access.visibility import find_visible, visible_by_code, visible_or_404
from app.auth.models import User
from app.customers.models import Customer
from app.extensions import db
from tests.conftest import add_user


@pytest.fixture
def rep_and_records(app, tenant, scope):
    """A sales rep ("own" visibility), one customer of his, one of the owner's, one deleted."""
    rep = db.session.get(User, add_user(app, tenant, "sales_rep"))
    owner = db.session.scalars(sa.select(User).join(Role).where(Role.key == "owner")).first()

    def customer(code, owner_id, deleted=False):
        record = Customer(code=code, name=f"Customer {code}", owner_id=owner_id, tags=[],
                          custom={}, deleted_at=datetime.now(timezone.utc) if deleted else None)
        db.session.add(record)
        db.session.flush()
        return record

    return rep, {"mine": customer("C-MINE", rep.id), "hidden": customer("C-HIDDEN", owner.id),
                 "deleted": customer("C-GONE", rep.id, deleted=True)}


def test_by_id_a_rep_gets_his_record_and_nothing_hidden_or_deleted(rep_and_records):
    rep, records = rep_and_records
    assert find_visible(Customer, records["mine"].id, rep) is records["mine"]
    assert find_visible(Customer, records["hidden"].id, rep) is None
    assert find_visible(Customer, records["deleted"].id, rep) is None
    assert find_visible(Customer, None, rep) is None


def test_a_deleted_record_is_gone_even_for_who_sees_everything(rep_and_records):
    rep, records = rep_and_records
    everyone = db.session.scalars(sa.select(User).join(Role).where(Role.key == "owner")).first()
    assert find_visible(Customer, records["hidden"].id, everyone) is records["hidden"]
    assert find_visible(Customer, records["deleted"].id, everyone) is None
    assert visible_by_code(Customer, "C-GONE", everyone) is None


def test_visible_or_404_answers_404_for_hidden_and_deleted(rep_and_records):
    rep, records = rep_and_records
    assert visible_or_404(Customer, records["mine"].id, rep) is records["mine"]
    for name in ("hidden", "deleted"):
        with pytest.raises(NotFound):
            visible_or_404(Customer, records[name].id, rep)


def test_a_code_matches_in_any_case_and_with_spaces_around(rep_and_records):
    rep, records = rep_and_records
    for typed in ("C-MINE", "c-mine", "  C-Mine  "):
        assert visible_by_code(Customer, typed, rep) is records["mine"]
    assert visible_by_code(Customer, "C-MIN", rep) is None


@pytest.mark.parametrize("typed", [None, "", "   "])
def test_no_code_finds_nothing(rep_and_records, typed):
    rep, _records = rep_and_records
    assert visible_by_code(Customer, typed, rep) is None


def test_a_hidden_code_is_not_found_unless_it_is_the_link_already_kept(rep_and_records):
    """Editing a quote whose customer the rep no longer sees keeps that link; no other."""
    rep, records = rep_and_records
    hidden, mine = records["hidden"], records["mine"]
    assert visible_by_code(Customer, "C-HIDDEN", rep) is None
    assert visible_by_code(Customer, "C-HIDDEN", rep, linked_id=hidden.id) is hidden
    assert visible_by_code(Customer, "C-HIDDEN", rep, linked_id=mine.id) is None
    assert visible_by_code(Customer, "C-MINE", rep, linked_id=hidden.id) is mine
