"""Phone numbers normalized to E.164 so a caller is found whatever format was typed."""
import phonenumbers
from flask import g

_REGION_BY_ZONE = {
    "Asia/Shanghai": "CN", "Asia/Chongqing": "CN", "Asia/Urumqi": "CN", "Asia/Taipei": "TW",
    "Asia/Hong_Kong": "HK", "Asia/Macau": "MO", "Asia/Singapore": "SG",
    "America/New_York": "US", "America/Los_Angeles": "US", "America/Chicago": "US",
}


class InvalidPhone(ValueError):
    pass


def default_region() -> str:
    """Numbers typed without a country code are read as the tenant's country."""
    tenant = g.get("tenant")
    zone = getattr(tenant, "time_zone", None)
    return _REGION_BY_ZONE.get(zone, "CN")


def to_e164(raw: str | None, region: str | None = None) -> str | None:
    """'+8613800138000' for '138 0013 8000' (in China); None for blank; InvalidPhone if not a number."""
    if raw is None or not raw.strip():
        return None
    try:
        number = phonenumbers.parse(raw, region or default_region())
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(str(exc)) from exc
    if not phonenumbers.is_possible_number(number):
        raise InvalidPhone(f"{raw!r} is not a possible phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
