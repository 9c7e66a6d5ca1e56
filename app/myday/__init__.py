""""My day", the home page: panels contributed by the modules.

    @panel("tasks.today", order=10, template="tasks/_myday_today.html")
    def tasks_today(user) -> dict | None:
        return {"tasks": [...]}   # None or {} hides the panel

The page (app/myday/views.py) renders, in `order`, every panel whose function
returns something, each template getting the returned dict as `panel`.
"""
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    order: int
    template: str
    build: Callable[[object], dict | None]


_panels: dict[str, Panel] = {}


def panel(key: str, *, order: int, template: str):
    def register(build):
        _panels[key] = Panel(key, order, template, build)
        return build
    return register


def panels() -> list[Panel]:
    return sorted(_panels.values(), key=lambda p: (p.order, p.key))
