"""When each tenant's handlers next have work (implemented with the scheduler)."""
from datetime import datetime


def wake_at(name: str, when: datetime) -> None:
    """Placeholder until the scheduler's public wake-up table lands: the tick then runs
    every handler of every tenant."""
