"""The import pipeline: map → validate every row → write everything in one transaction.

Validation runs over the whole file first; if any row is invalid nothing is
written and the job carries the error report. Writing happens in the caller's
single transaction, so an import is all-or-nothing: a failure leaves no half
state. Progress is written through a separate connection so a browser polling
the job sees it while the transaction is still open.

Whatever differs between targets (customers, contacts, products) is on the
ImportTarget; nothing here asks which target it is handling.
"""
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from app.extensions import db
from app.imports.matching import Matcher
from app.imports.models import ImportJob, ImportMapping
from app.imports.targets import ImportTarget
from app.numbering import advance_to, reserve_numbers
from billing import limits
from tenants.context import require_tenant, set_schema_on

CHUNK = 2000


@dataclass
class ValidRow:
    line: int
    values: dict
    region: str | None = None  # the region assumed for its phone numbers


class ImportContext:
    """Who imports, what the file maps, and lookups made once per import."""

    def __init__(self, actor, mapped=()):
        self.actor, self.mapped, self._cache = actor, set(mapped), {}
        self.actor_id = actor.id if actor is not None else None

    def lookup(self, key: str, build):
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    def unit_of(self, user_id: int | None) -> int | None:
        from app.auth.models import User

        units = self.lookup("units", lambda: dict(db.session.execute(sa.select(User.id, User.unit_id)).all()))
        return units.get(user_id)


def suggest_mapping(target: ImportTarget, headers: list[str], user_id: int | None,
                    user=None) -> dict:
    """{header: field or ""}: what the user used last time, else what the header suggests.
    A remembered field that no longer exists (a deactivated custom field) is forgotten."""
    remembered = {}
    if user_id is not None:
        saved = db.session.get(ImportMapping, (user_id, target.key))
        remembered = saved.mapping if saved else {}
    columns = target.all_columns(user)
    return {h: remembered[h] if remembered.get(h) in columns else (target.suggest(h, columns) or "")
            for h in headers}


def unknown_fields(target: ImportTarget, mapping: dict, user=None) -> set[str]:
    """Fields the mapping names that the target (for this user) does not offer."""
    return set(mapping.values()) - set(target.all_columns(user)) - {""}


def remember_mapping(target: ImportTarget, user_id: int, mapping: dict) -> None:
    saved = db.session.get(ImportMapping, (user_id, target.key))
    if saved is None:
        db.session.add(ImportMapping(user_id=user_id, target=target.key, mapping=mapping))
    else:
        saved.mapping = mapping


def validate(target: ImportTarget, headers: list[str], rows: list[list[str]], mapping: dict,
             region: str | None = None, on_progress=None, user=None):
    """(valid rows, errors as [line, column, message]); line 2 is the first data row."""
    unknown = unknown_fields(target, mapping, user)
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
        if on_progress is not None and line % CHUNK == 0:
            on_progress(line - 1)
        if not any(cell.strip() for cell in row):
            continue
        values = {name: row[index] for index, name in columns}
        form.phone_region = (target.row_region and target.row_region(values)) or region
        form.process(formdata=form_class.row_data(values))
        if form.validate():
            valid.append(ValidRow(line, form.cleaned(), form.phone_region))
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


def progress(job_id: int, **counts) -> None:
    """Job counters through a connection of their own, seen while the import's is open."""
    with db.engine.begin() as connection:
        set_schema_on(connection, require_tenant().schema)
        connection.execute(sa.update(ImportJob.__table__)
                           .where(ImportJob.__table__.c.id == job_id).values(**counts))


def write(target: ImportTarget, job: ImportJob, rows: list[ValidRow], context: ImportContext):
    """Create, update or skip each valid row per the job's policy; flushes, caller commits.

    Only records visible to the importing user are matched; a row whose code belongs to
    a record they cannot see is skipped and reported as not theirs. Refuses the whole
    import (billing.limits.LimitReached, nothing written) when the rows it would create
    do not fit in the plan's record limit.
    """
    # The job row is only written at the end: progress goes through another
    # connection, which would wait forever on a row this transaction had updated.
    matcher = Matcher(target, context.actor)
    creates, extras, updates, restored, skipped, not_yours = [], [], {}, [], 0, []
    for row in rows:
        values = target.prepare(dict(row.values), context) if target.prepare else dict(row.values)
        row_extras = values.pop("_extras", None)
        match = matcher.find(values)
        if match is not None and job.policy != "create":
            if match.id < 0:  # repeats an earlier row of the file
                skipped += 1
            elif match.hidden:
                not_yours.append([row.line, "", _("Not yours: this row matches a record you "
                                                  "may not see or change. It was skipped.")])
            elif job.policy == "update":
                updates[match.id] = ({k: v for k, v in values.items() if v not in (None, "", [])},
                                     row_extras)
                if match.deleted:
                    restored.append(match.id)
            else:
                skipped += 1
            continue
        if any(matcher.code_taken(name, values.get(name)) for name in target.unique_on):
            for name in target.unique_on:
                values[name] = None  # a new record never takes a code already in use
        if target.code_counter is None and any(not values.get(n) for n in target.unique_on):
            not_yours.append([row.line, "", _("This code is not available: it was skipped.")])
            continue
        creates.append(values)
        extras.append(row_extras)
        matcher.remember(-len(creates), values)
    limits.check("records", len(creates))
    _number(target, creates, matcher)
    created = _insert(target, job, creates, extras)
    _apply_updates(target, updates, restored)
    job.created_count, job.updated_count = len(creates), len(updates)
    job.skipped_count = skipped + len(not_yours)
    job.errors = not_yours
    job.processed_rows = len(rows)
    if target.after_write is not None:
        target.after_write(context, created, {rid: ex for rid, (_v, ex) in updates.items()})


def _insert(target: ImportTarget, job: ImportJob, creates: list[dict], extras: list) -> dict:
    """Insert in chunks; {new id: extras} for the rows that carry extras."""
    created, want_ids = {}, any(extras)
    statement = sa.insert(target.model).execution_options(render_nulls=True)
    if want_ids:
        statement = statement.returning(target.model.id, sort_by_parameter_order=True)
    for start in range(0, len(creates), CHUNK):
        chunk = creates[start:start + CHUNK]
        for values in chunk:
            values["search_vector"] = target.search_vector(values)
        result = db.session.execute(statement, chunk)
        if want_ids:
            for new_id, row_extras in zip(result.scalars(), extras[start:start + CHUNK]):
                created[new_id] = row_extras
        progress(job.id, processed_rows=start + len(chunk))
    if len(creates) > 1000:
        # Fresh statistics before the queries that follow (tiers): an automatic ANALYZE
        # run meanwhile would have seen none of these rows and planned for an empty table.
        db.session.execute(sa.text(f'ANALYZE "{target.model.__tablename__}"'))
    return created


def _number(target: ImportTarget, creates: list[dict], matcher: Matcher) -> None:
    """Codes for rows without one, from the numbering service, past every code in use
    (typed by hand, imported, or kept by a deleted record)."""
    if target.code_counter is None:
        return
    missing = [values for values in creates if not values.get("code")]
    if not missing:
        return
    highest = matcher.highest_number(target.code_prefix)
    if highest:
        advance_to(target.code_counter, highest)
    for values, number in zip(missing, reserve_numbers(target.code_counter, len(missing))):
        values["code"] = f"{target.code_prefix}{number:06d}"


def _apply_updates(target: ImportTarget, updates: dict[int, tuple], restored: list[int]) -> None:
    ids = [record_id for record_id in updates if record_id > 0]
    for start in range(0, len(ids), CHUNK):
        records = db.session.scalars(
            sa.select(target.model).where(target.model.id.in_(ids[start:start + CHUNK])))
        for record in records:
            for name, value in updates[record.id][0].items():
                if name not in target.fixed:
                    current = getattr(record, name)
                    if isinstance(value, dict) and isinstance(current, dict):
                        value = {**current, **value}  # JSON maps merge (list prices, custom)
                    setattr(record, name, value)
            if record.id in restored:
                record.deleted_at = None  # "update" brings a deleted record back
        db.session.flush()
