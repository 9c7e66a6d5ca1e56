"""The import pipeline: map → validate every row → write everything in one transaction.

Validation runs over the whole file first; if any row is invalid nothing is
written and the job carries the error report. Writing happens in the caller's
single transaction, so an import is all-or-nothing: a failure leaves no half
state. Progress is written through a separate connection so a browser polling
the job sees it while the transaction is still open.
"""
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from app.extensions import db
from app.imports.models import ImportJob, ImportMapping
from app.imports.targets import ImportTarget, customer_ids_by_code
from app.numbering import reserve_numbers
from billing import limits
from tenants.context import require_tenant, set_schema_on

CHUNK = 2000


@dataclass
class ValidRow:
    line: int
    values: dict


def suggest_mapping(target: ImportTarget, headers: list[str], user_id: int | None) -> dict:
    """{header: field or ""}: what the user used last time, else what the header suggests."""
    remembered = {}
    if user_id is not None:
        saved = db.session.get(ImportMapping, (user_id, target.key))
        remembered = saved.mapping if saved else {}
    columns = target.all_columns()
    return {h: remembered.get(h, target.suggest(h, columns) or "") for h in headers}


def remember_mapping(target: ImportTarget, user_id: int, mapping: dict) -> None:
    saved = db.session.get(ImportMapping, (user_id, target.key))
    if saved is None:
        db.session.add(ImportMapping(user_id=user_id, target=target.key, mapping=mapping))
    else:
        saved.mapping = mapping


def validate(target: ImportTarget, headers: list[str], rows: list[list[str]], mapping: dict):
    """(valid rows, errors as [line, column, message]); line 2 is the first data row."""
    unknown = set(mapping.values()) - set(target.all_columns()) - {""}
    if unknown:
        raise ValueError(f"unknown fields in mapping: {sorted(unknown)}")
    columns = [(index, mapping.get(header)) for index, header in enumerate(headers)
               if mapping.get(header)]
    if "name" not in {name for _, name in columns}:
        return [], [[1, "name", _("Map a column to Name: every row needs a name.")]]
    # One form for the whole file, refilled per row: binding a form's fields costs more
    # than validating them, and an import validates up to 500,000 rows.
    valid, errors = [], []
    form_class = _mapped_only(target.full_form(), {name for _, name in columns})
    form = form_class(formdata=None, meta={"csrf": False})
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        form.process(formdata=form_class.row_data({name: row[index] for index, name in columns}))
        if form.validate():
            valid.append(ValidRow(line, form.cleaned()))
        else:
            for name, messages in form.errors.items():
                errors.append([line, str(form[name].label.text), "; ".join(map(str, messages))])
    return valid, errors


def _mapped_only(form_class, names: set[str]):
    """form_class without the fields no column maps to (validating 29 fields per row when
    the file has 4 columns is most of an import's time); forms that allow it only."""
    if not getattr(form_class, "PARTIAL_OK", False):
        return form_class
    fields = form_class(formdata=None, meta={"csrf": False})._fields
    unmapped = {name: None for name in fields if name not in names and name != "csrf_token"}
    return type(form_class.__name__ + "Mapped", (form_class,), unmapped)


class _Matcher:
    """Finds the existing record a row stands for (and rows seen earlier in the same file)."""

    def __init__(self, target: ImportTarget):
        self.target, self.keys = target, {}
        model = target.model
        columns = [model.id] + [getattr(model, name) for name in target.match_on]
        for row in db.session.execute(sa.select(*columns).where(target.live_filter())):
            self._remember(row[0], dict(zip(target.match_on, row[1:])))

    @staticmethod
    def _key(name, value):
        return (name, value.lower()) if isinstance(value, str) else (name, value)

    def _remember(self, record_id, values):
        for name in self.target.match_on:
            if values.get(name):
                self.keys.setdefault(self._key(name, values[name]), record_id)

    def find(self, values) -> int | None:
        for name in self.target.match_on:
            if values.get(name) and self._key(name, values[name]) in self.keys:
                return self.keys[self._key(name, values[name])]
        return None


def _progress(job_id: int, **counts) -> None:
    with db.engine.begin() as connection:
        set_schema_on(connection, require_tenant().schema)
        connection.execute(sa.update(ImportJob.__table__)
                           .where(ImportJob.__table__.c.id == job_id).values(**counts))


def write(target: ImportTarget, job: ImportJob, rows: list[ValidRow], actor_id: int | None):
    """Create, update or skip each valid row per the job's policy; flushes, caller commits.

    Refuses the whole import (billing.limits.LimitReached, nothing written) when
    the rows it would create do not fit in the plan's record limit.
    """
    # The job row is only written at the end: progress goes through another
    # connection, which would wait forever on a row this transaction had updated.
    matcher, creates, updates, skipped = _Matcher(target), [], {}, 0
    customer_codes = customer_ids_by_code() if target.key == "contacts" else {}
    for row in rows:
        values = _prepare(target, row.values, customer_codes, actor_id)
        existing = matcher.find(values)
        if existing is not None and job.policy != "create":
            if job.policy == "update":
                updates[existing] = {k: v for k, v in values.items() if v not in (None, "", [])}
            else:
                skipped += 1
            continue
        if existing is not None and "code" in values:
            values["code"] = None  # a new record may not take an existing code
        creates.append(values)
        matcher._remember(-len(creates), values)
    limits.check("records", len(creates))
    _number(target, creates)
    if target.key == "customers":
        _give_computed_tiers(creates)
    for start in range(0, len(creates), CHUNK):
        chunk = creates[start:start + CHUNK]
        for values in chunk:
            values["search_vector"] = target.search_vector(values)
        db.session.execute(sa.insert(target.model).execution_options(render_nulls=True), chunk)
        _progress(job.id, processed_rows=start + len(chunk))
    if len(creates) > 1000:
        # Fresh statistics before the queries that follow (tiers): an automatic ANALYZE
        # run meanwhile would have seen none of these rows and planned for an empty table.
        db.session.execute(sa.text(f'ANALYZE "{target.model.__tablename__}"'))
    _apply_updates(target, updates)
    job.created_count, job.updated_count, job.skipped_count = len(creates), len(updates), skipped
    job.processed_rows = len(rows)
    if target.key == "customers":
        from app.customers.services import recompute_tiers

        recompute_tiers()


def _prepare(target, values, customer_codes, actor_id) -> dict:
    values = dict(values)
    if target.prepare is not None:
        return target.prepare(values, actor_id)
    values["owner_id"] = actor_id
    if target.key == "contacts":
        code = values.pop("customer_code", None)
        values["customer_id"] = customer_codes.get(code.lower()) if code else None
        values["decision_role"] = values.get("decision_role") or None
    else:
        tier = values.pop("tier", None)
        values.update(tier=tier, tier_is_manual=tier is not None, created_by_id=actor_id)
    return values


def _give_computed_tiers(creates: list[dict]) -> None:
    """New rows get the tier recompute_tiers would give them, so that it rewrites only
    the existing rows whose tier shifts (rewriting 100,000 new rows doubled an import's
    writes)."""
    from app.customers.services import tier_of_new_customers

    tier = tier_of_new_customers(len(creates))
    for values in creates:
        if values.get("tier") is None:
            values["tier"] = tier


def _number(target: ImportTarget, creates: list[dict]) -> None:
    if target.code_counter is None:
        return
    missing = [values for values in creates if not values.get("code")]
    numbers = reserve_numbers(target.code_counter, len(missing)) if missing else []
    for values, number in zip(missing, numbers):
        values["code"] = f"{target.code_prefix}{number:06d}"


def _apply_updates(target: ImportTarget, updates: dict[int, dict]) -> None:
    ids = list(updates)
    for start in range(0, len(ids), CHUNK):
        records = db.session.scalars(
            sa.select(target.model).where(target.model.id.in_(ids[start:start + CHUNK])))
        for record in records:
            for name, value in updates[record.id].items():
                if name not in ("owner_id", "created_by_id", "code", "tier_is_manual"):
                    current = getattr(record, name)
                    if isinstance(value, dict) and isinstance(current, dict):
                        value = {**current, **value}  # JSON maps merge (list prices, custom)
                    setattr(record, name, value)
        db.session.flush()
