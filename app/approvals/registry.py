"""Document types that use approvals. A module registers its type once at import:

    register(DocumentType("quote", _l("Quote"), metrics={"discount_percent": _l(...), ...},
                          describe=..., on_decided=...))

`describe(document_id)` gives (title, url) for the approver's list and e-mail;
`on_decided(document_id, approved, comment, actor_id)` is called once the
document is approved by every approver asked, or rejected by one of them.
"""
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class DocumentType:
    key: str
    label: object
    metrics: dict  # metric key -> label, e.g. {"discount_percent": "Total discount (%)"}
    describe: Callable[[int], tuple[str, str]]
    on_decided: Callable[[int, bool, str | None, int | None], None]


DOCUMENT_TYPES: dict[str, DocumentType] = {}


def register(document_type: DocumentType) -> None:
    DOCUMENT_TYPES[document_type.key] = document_type


def metric_choices() -> list[tuple[str, str]]:
    """("quote:discount_percent", "Quote · Total discount (%)") for every registered metric."""
    return [(f"{t.key}:{m}", f"{t.label} · {label}")
            for t in DOCUMENT_TYPES.values() for m, label in t.metrics.items()]
