"""The calendar's clock: a user's zone, their local day, and the UTC bounds of the day,
week and month grids they look at. Meetings are stored in UTC; everything a user types
or reads is in their own zone (else the workspace's)."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tenants.context import current_tenant

VIEWS = ("day", "week", "month")


def zone_name(user) -> str:
    tenant = current_tenant()
    return (getattr(user, "time_zone", None) or (tenant.time_zone if tenant else None) or "UTC")


def user_zone(user) -> ZoneInfo:
    return ZoneInfo(zone_name(user))


def local_today(user, now: datetime | None = None) -> date:
    return (now or datetime.now(ZoneInfo("UTC"))).astimezone(user_zone(user)).date()


def to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """A wall-clock time in zone as an aware UTC datetime. A time skipped by a spring-forward
    (02:30 on a DST day) lands an hour later, as phone calendars do (fold=0)."""
    local = datetime.combine(day, at, tzinfo=zone)
    return local.astimezone(ZoneInfo("UTC"))


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return to_utc(day, time(0), zone)


@dataclass(frozen=True)
class Range:
    """What one calendar page shows: [start, end) as local days, and as UTC instants."""
    view: str
    anchor: date      # the day the page is about
    first: date       # first local day shown
    days: int         # how many local days
    zone: ZoneInfo

    @property
    def last(self) -> date:
        return self.first + timedelta(days=self.days - 1)

    @property
    def start_utc(self) -> datetime:
        return local_midnight(self.first, self.zone)

    @property
    def end_utc(self) -> datetime:
        return local_midnight(self.first + timedelta(days=self.days), self.zone)

    def day_list(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range(self.days)]

    @property
    def previous(self) -> date:
        return _step(self.view, self.anchor, -1)

    @property
    def next(self) -> date:
        return _step(self.view, self.anchor, 1)


def _step(view: str, anchor: date, direction: int) -> date:
    if view == "day":
        return anchor + timedelta(days=direction)
    if view == "week":
        return anchor + timedelta(weeks=direction)
    month = anchor.month - 1 + direction
    return date(anchor.year + month // 12, month % 12 + 1, 1)


def page_range(view: str, anchor: date, zone: ZoneInfo) -> Range:
    """Day: that day. Week: Monday to Sunday. Month: the whole weeks (Monday first) that
    hold the month, as a wall calendar shows them (the grid's first and last rows may show
    days of the neighbouring months)."""
    if view == "day":
        return Range(view, anchor, anchor, 1, zone)
    if view == "week":
        return Range(view, anchor, anchor - timedelta(days=anchor.weekday()), 7, zone)
    first_of_month = anchor.replace(day=1)
    next_month = _step("month", first_of_month, 1)
    first = first_of_month - timedelta(days=first_of_month.weekday())
    last = next_month - timedelta(days=1)
    last = last + timedelta(days=6 - last.weekday())
    return Range("month", first_of_month, first, (last - first).days + 1, zone)
