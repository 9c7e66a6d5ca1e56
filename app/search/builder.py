"""The search builder: every searchable model registers here once.

A registered model has a `search_vector` tsvector column (GIN-indexed). The
vector is computed in Python from the model's weighted fields whenever a row
is inserted or changed (a before_flush hook), with the same tokenizer the
queries use, stored as 'simple' lexemes, and ranked with ts_rank.
Weights: A = names and codes, B = phones and e-mails, C = everything else.
"""
from dataclasses import dataclass
from typing import Callable

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.search.tokenizer import query_tokens

MAX_POSITION = 16383  # PostgreSQL's limit for tsvector positions


@dataclass(frozen=True)
class SearchSpec:
    model: type
    kind: str
    # obj -> {"A": [tokens], "B": [...], "C": [...]}
    document: Callable[[object], dict[str, list[str]]]
    # For the global search box (leave `label` None to keep a kind out of it):
    label: object = None  # the heading of this kind's results
    module: str = ""  # the permission module whose "view" the results need
    visible: Callable | None = None  # user -> WHERE clause of the rows the user may find
    link: Callable | None = None  # obj -> (endpoint, url arguments)
    title: Callable = str
    subtitle: Callable = lambda obj: ""


_REGISTRY: dict[type, SearchSpec] = {}


def register(spec: SearchSpec) -> None:
    _REGISTRY[spec.model] = spec


def registered() -> list[SearchSpec]:
    return list(_REGISTRY.values())


def search_vector_column() -> Mapped[str | None]:
    return mapped_column(TSVECTOR, nullable=True, deferred=True)


def gin_index(table_name: str) -> sa.Index:
    return sa.Index(f"ix_{table_name}_search_vector", "search_vector", postgresql_using="gin")


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def vector_literal(weighted: dict[str, list[str]]) -> str:
    """A tsvector in its text form: 'lexeme':position+weight, weights A–D."""
    parts, position = [], 0
    for weight in "ABCD":
        for token in weighted.get(weight, ()):
            position = min(position + 1, MAX_POSITION)
            parts.append(f"{_quote(token)}:{position}{weight}")
    return " ".join(parts)


def tsquery_literal(query: str, any_token: bool = False) -> str | None:
    """Every token must match, the last one as a prefix (search as you type);
    with any_token, one matching token is enough (finding look-alikes)."""
    tokens = query_tokens(query)
    if not tokens:
        return None
    quoted = [_quote(token) for token in tokens]
    if any_token:
        return " | ".join(quoted)
    quoted[-1] += ":*"
    return " & ".join(quoted)


def matching(model, query: str, any_token: bool = False):
    """(where clause, rank expression) for model rows matching query, or None if query is empty."""
    literal = tsquery_literal(query, any_token)
    if literal is None:
        return None
    tsquery = sa.cast(sa.literal(literal), sa.dialects.postgresql.TSQUERY)
    column = model.__table__.c.search_vector
    return column.op("@@")(tsquery), sa.func.ts_rank(column, tsquery)


@event.listens_for(Session, "before_flush")
def _refresh_vectors(session, _flush_context, _instances):
    for obj in list(session.new) + list(session.dirty):
        spec = _REGISTRY.get(type(obj))
        if spec is not None and (obj in session.new or session.is_modified(obj)):
            obj.search_vector = vector_literal(spec.document(obj))
