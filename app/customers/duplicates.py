"""Finding a customer that is probably already on file (same code, phone, e-mail, similar name)."""
import re
from difflib import SequenceMatcher

import sqlalchemy as sa

from app.customers.models import Customer
from app.extensions import db
from app.search.builder import matching
from app.search.tokenizer import fold

# Legal-form words that make two names of one company look different.
_SUFFIXES = re.compile(
    r"(有限责任公司|股份有限公司|有限公司|公司|集团|\bco\b|\bltd\b|\blimited\b|\binc\b|"
    r"\bcorp(oration)?\b|\bllc\b|\bgmbh\b)", re.IGNORECASE)
SIMILAR = 0.85


def normalized_name(name: str) -> str:
    return re.sub(r"[\W_]+", "", _SUFFIXES.sub("", fold(name or "")))


def similar_names(a: str, b: str) -> bool:
    left, right = normalized_name(a), normalized_name(b)
    if not left or not right:
        return False
    return left == right or SequenceMatcher(None, left, right).ratio() >= SIMILAR


def find_duplicates(values: dict, exclude_id: int | None = None, limit: int = 5) -> list[Customer]:
    """Live customers that share a code, phone or e-mail with values, or have a similar name."""
    live = [Customer.deleted_at.is_(None)]
    if exclude_id is not None:
        live.append(Customer.id != exclude_id)
    exact = []
    if values.get("code"):
        exact.append(sa.func.lower(Customer.code) == values["code"].lower())
    if values.get("phone_e164"):
        exact.append(Customer.phone_e164 == values["phone_e164"])
    if values.get("email"):
        exact.append(sa.func.lower(Customer.email) == values["email"].lower())
    found = []
    if exact:
        found = list(db.session.scalars(sa.select(Customer).where(*live, sa.or_(*exact)).limit(limit)))
    name = values.get("name") or ""
    core = _SUFFIXES.sub(" ", fold(name))
    match = matching(Customer, core, any_token=True) if normalized_name(name) else None
    if match is not None and len(found) < limit:
        where, rank = match
        candidates = db.session.scalars(
            sa.select(Customer).where(*live, where).order_by(rank.desc()).limit(20))
        found += [c for c in candidates if c not in found and similar_names(c.name, name)]
    return found[:limit]


def split_by_visibility(found: list[Customer], user) -> tuple[list[Customer], int]:
    """The duplicates user may see, and how many others there are: a hidden one is only
    counted, so the warning tells of it without its code, name, phone or e-mail."""
    from app.access.visibility import visible_to

    if not found:
        return [], 0
    seen = set(db.session.scalars(sa.select(Customer.id).where(
        Customer.id.in_([c.id for c in found]), visible_to(user, Customer))))
    return [c for c in found if c.id in seen], sum(c.id not in seen for c in found)
