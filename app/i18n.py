"""Language and time-zone choice, and the language switcher.

Order of preference: the language picked with the switcher in this browser
(kept in the session), the signed-in user's setting, the tenant's default,
the browser's Accept-Language, English.
"""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, has_request_context, redirect, request, session
from flask_login import current_user

from app.safe_redirect import safe_next
from tenants.context import current_tenant

bp = Blueprint("i18n", __name__)

LANGUAGE_NAMES = {"zh_Hans": "简体中文", "zh_Hant": "繁體中文", "en": "English"}

# Browser language tags → the three UI languages.
_BROWSER_TAGS = {
    "zh-hans": "zh_Hans", "zh-cn": "zh_Hans", "zh-sg": "zh_Hans", "zh": "zh_Hans",
    "zh-hant": "zh_Hant", "zh-tw": "zh_Hant", "zh-hk": "zh_Hant", "zh-mo": "zh_Hant",
    "en": "en",
}


def browser_language(accept_languages) -> str | None:
    for tag, _quality in accept_languages:
        tag = tag.lower()
        if tag in _BROWSER_TAGS:
            return _BROWSER_TAGS[tag]
        if tag.split("-")[0] in _BROWSER_TAGS:
            return _BROWSER_TAGS[tag.split("-")[0]]
    return None


def select_locale() -> str:
    if not has_request_context():  # CLI and jobs: English unless force_locale says otherwise
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    user_locale = getattr(current_user, "locale", None) if current_user else None
    tenant = current_tenant()
    return (
        session.get("locale")
        or user_locale
        or (tenant.locale if tenant is not None else None)
        or browser_language(request.accept_languages)
        or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def workspace_today() -> date:
    """The current tenant's calendar day in its own time zone, in a request, job or command.

    The server's date is wrong for most of the world part of the day: a deal won at
    07:00 in Shanghai happens at 23:00 UTC the day before.
    """
    tenant = current_tenant()
    return datetime.now(ZoneInfo(tenant.time_zone if tenant is not None else "UTC")).date()


def select_timezone() -> str:
    if not has_request_context():
        return "UTC"
    user_zone = getattr(current_user, "time_zone", None) if current_user else None
    tenant = current_tenant()
    return user_zone or (tenant.time_zone if tenant is not None else None) or "UTC"


@bp.post("/language")
def switch_language():
    language = request.form.get("language", "")
    if language in LANGUAGE_NAMES:
        session["locale"] = language
    return redirect(safe_next(request.form.get("next")))


def N_(message: str) -> str:
    """Mark an English message for extraction without translating it now: it is stored
    (a notification, a timeline event) and translated when a reader sees it."""
    return message
