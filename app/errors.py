"""Error pages: a clear page in the user's language, never a stack trace."""
import logging

from flask import Flask, render_template
from flask.globals import request_ctx
from sqlalchemy.exc import DBAPIError
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.extensions import db
from billing.features import FeatureUnavailable
from billing.limits import LimitReached

log = logging.getLogger(__name__)

_TITLES = {
    400: "Bad request", 403: "Not allowed", 404: "Page not found", 405: "Not allowed",
    413: "Too large", 422: "Check your input", 429: "Too many requests",
}


def _page(status: int, message: str):
    db.session.rollback()
    if request_ctx and request_ctx.url_adapter is None:
        # The Host header is not in TRUSTED_HOSTS: no link can be built, so no page either.
        return message, status, {"Content-Type": "text/plain; charset=utf-8"}
    return render_template("errors/error.html", status=status, message=message), status


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        return _page(400, _("The form expired or was sent from elsewhere. Please try again."))

    @app.errorhandler(LimitReached)
    def limit_reached(error):
        """A plan limit refused a change that no form catches: say so, link to the upgrade."""
        db.session.rollback()
        return render_template("errors/limit.html", limit=error), 422

    @app.errorhandler(FeatureUnavailable)
    def feature_unavailable(error):
        """A module the tenant's plan does not include: say so, link admins to the upgrade."""
        db.session.rollback()
        return render_template("errors/feature.html", refusal=error), 403

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code and error.code < 400:
            return error
        messages = {
            403: _("You do not have permission to see this page."),
            404: _("There is nothing at this address."),
            405: _("This address does not accept that request."),
            413: _("What you sent is too large."),
            429: _("Too many attempts. Please wait a moment and try again."),
        }
        return _page(error.code or 500, messages.get(error.code, _("The request was not understood.")))

    @app.errorhandler(DBAPIError)
    def database_error(error):
        """PostgreSQL went away (restart, failover, network): a clear "try again", not a 500.

        The pool throws the dead connections away (and checks the others before
        use: app.database.ping_on_checkout), so the next request gets a working one.
        """
        if not error.connection_invalidated and not _is_disconnect(error):
            return unexpected_error(error)
        log.warning("database unavailable: %s", error.orig)
        db.session.rollback()  # returns the dead connection to the pool, which discards it
        _forget_user()
        message = _("The database did not answer. Please try again in a moment.")
        return (render_template("errors/error.html", status=503, message=message), 503,
                {"Retry-After": "5"})

    @app.errorhandler(Exception)
    def unexpected_error(error):
        log.exception("unhandled error", exc_info=error)
        return _page(500, _("Something went wrong on our side. It has been logged; please try again."))


def _is_disconnect(error: DBAPIError) -> bool:
    """A connection refused or broken before the pool could tell (server down or restarting)."""
    from sqlalchemy.exc import InterfaceError, OperationalError

    return isinstance(error, (OperationalError, InterfaceError))


def _forget_user() -> None:
    """The error page must not ask the database for the user again (for the page's
    language): it is shown as to a visitor, in the tenant's or the browser's language."""
    from flask import g
    from flask_login import AnonymousUserMixin

    g._login_user = AnonymousUserMixin()
