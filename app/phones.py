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


# Countries as spreadsheets name them (folded to lower case); the region phonenumbers uses.
_REGION_NAMES = {
    "CN": ("cn", "china", "prc", "mainland china", "中国", "中國", "中国大陆", "中國大陸", "大陆", "大陸"),
    "TW": ("tw", "taiwan", "台湾", "台灣", "臺灣", "中华民国", "中華民國"),
    "HK": ("hk", "hong kong", "香港"),
    "MO": ("mo", "macau", "macao", "澳门", "澳門"),
    "SG": ("sg", "singapore", "新加坡"),
    "US": ("us", "usa", "united states", "美国", "美國"),
}
# Places an address starts with that name the country without saying it.
_REGION_PLACES = {
    "TW": ("台北", "臺北", "新北", "台中", "臺中", "台南", "臺南", "高雄", "桃园", "桃園", "新竹"),
}
PHONE_REGIONS = tuple(_REGION_NAMES)


def region_named(text: str | None) -> str | None:
    """'TW' for 'Taiwan', '臺灣' or an address starting 臺北市…; None when the text names no
    country we know (the caller then falls back to a default region)."""
    folded = (text or "").strip().lower()
    if not folded:
        return None
    for region, names in _REGION_NAMES.items():
        if folded in names or any(folded.startswith(n) for n in names if not n.isascii() or len(n) > 2):
            return region
    for region, places in _REGION_PLACES.items():
        if folded.startswith(places):
            return region
    return None
