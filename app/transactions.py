"""The one transaction boundary of a request.

Views and services never commit. A request that ends with a success or a
redirect (status < 400) commits; any error status rolls back, so a form shown
again with its errors (422) leaves nothing half-saved.
"""
from contextlib import contextmanager

from flask import Flask, current_app
from sqlalchemy.exc import DBAPIError

from app.extensions import db
from tenants.context import current_tenant, deactivate, set_schema_on


def register(app: Flask) -> None:
    @app.url_value_preprocessor
    def start_without_tenant(_endpoint, _values):
        # Runs before any blueprint's preprocessor: a thread reused from an
        # earlier request must not start with that request's tenant.
        deactivate()

    @app.after_request
    def commit_or_roll_back(response):
        if response.status_code < 400:
            try:
                db.session.commit()
            except DBAPIError as error:
                # The database went away at the commit itself: answered like a failure in
                # the view (app.errors: 503 "try again" for a lost connection), not a crash.
                return current_app.make_response(current_app.handle_user_exception(error))
        else:
            db.session.rollback()
        return response

    @app.teardown_request
    def forget_tenant(_exc):
        deactivate()


@contextmanager
def own_transaction():
    """A connection in a short transaction of its own, in the current tenant's schema.

    For the few writes that others must see at once, whatever becomes of the
    surrounding request's or job's transaction (a job's progress). Never
    write a row here that the surrounding transaction has changed: it would
    wait on that transaction's lock for ever.
    """
    tenant = current_tenant()
    with db.engine.begin() as connection:
        set_schema_on(connection, tenant.schema if tenant is not None else None)
        yield connection
