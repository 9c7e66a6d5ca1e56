"""The app served by gunicorn for the tenancy-overhead benchmark (bench only).

It is the real app from create_app plus two routes that render the same tiny
page from the same two queries:

* /t/<slug>/bench goes through the normal tenant workspace: registry lookup,
  activate(), SET LOCAL search_path, then unqualified queries;
* /bench-plain skips all of that and queries the same tenant's tables by
  their schema-qualified names on a pooled connection.

The difference between the two is what tenant routing costs per request.
Settings come from the environment: DATABASE_URL and KEHU_BENCH_SCHEMA.
"""
import os
from functools import lru_cache
from unittest import mock

import sqlalchemy as sa
from flask import Blueprint, current_app, render_template

from app import create_app
from app.extensions import db
from tenants import resolution
from tenants.schema_names import checked_schema_name

PAGE = "<p>{{ users }} users</p><ol>{% for name in stages %}<li>{{ name }}</li>{% endfor %}</ol>"
USERS_SQL = "SELECT count(*) FROM {prefix}users"
STAGES_SQL = "SELECT name FROM {prefix}pipeline_stages ORDER BY position"


@lru_cache(maxsize=1)
def page_template():
    """Compiled once, like a file template (render_template_string compiles on every call)."""
    return current_app.jinja_env.from_string(PAGE)


def render_page(connection, prefix: str) -> str:
    """The page both routes serve; prefix is "" (search_path) or '"schema".'."""
    users = connection.execute(sa.text(USERS_SQL.format(prefix=prefix))).scalar_one()
    stages = connection.execute(sa.text(STAGES_SQL.format(prefix=prefix))).scalars().all()
    return render_template(page_template(), users=users, stages=stages)


def tenant_routed_blueprint() -> Blueprint:
    """Nested under the workspace, so the usual tenant resolution runs first."""
    bp = Blueprint("bench", __name__)

    @bp.get("/bench")
    def page():
        return render_page(db.session, "")

    return bp


def plain_blueprint(schema: str) -> Blueprint:
    """No registry lookup, no session hooks, no search_path: a bare pooled connection."""
    bp = Blueprint("bench_plain", __name__)
    prefix = f'"{checked_schema_name(schema)}".'

    @bp.get("/bench-plain")
    def page():
        with db.engine.connect() as connection:
            return render_page(connection, prefix)

    return bp


def create_bench_app():
    """create_app with the bench blueprint nested in the real workspace blueprint.

    A blueprint cannot be nested once its parent is registered on the app, so
    register_blueprints is given a workspace_blueprint() that already holds it.
    """
    make_workspace = resolution.workspace_blueprint

    def workspace_with_bench():
        workspace = make_workspace()
        workspace.register_blueprint(tenant_routed_blueprint())
        return workspace

    with mock.patch.object(resolution, "workspace_blueprint", workspace_with_bench):
        app = create_app()
    app.register_blueprint(plain_blueprint(os.environ["KEHU_BENCH_SCHEMA"]))
    return app


app = create_bench_app()
