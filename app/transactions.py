"""The one transaction boundary of a request.

Views and services never commit. A request that ends with a success or a
redirect (status < 400) commits; any error status rolls back, so a form shown
again with its errors (422) leaves nothing half-saved.
"""
from flask import Flask

from app.extensions import db
from tenants.context import deactivate


def register(app: Flask) -> None:
    @app.url_value_preprocessor
    def start_without_tenant(_endpoint, _values):
        # Runs before any blueprint's preprocessor: a thread reused from an
        # earlier request must not start with that request's tenant.
        deactivate()

    @app.after_request
    def commit_or_roll_back(response):
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
        return response

    @app.teardown_request
    def forget_tenant(_exc):
        deactivate()
