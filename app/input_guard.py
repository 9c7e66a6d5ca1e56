"""Refuse, at the door, request text no view can store or send on: NUL bytes.

PostgreSQL text cannot hold U+0000 (psycopg2 raises ValueError), so a NUL in any
argument reached the database as a 500 from exports, search, filters and the
provider console. One hook answers 400 before any view runs.
"""
from flask import Flask, abort, request


def _has_nul(values) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values.getlist(key))
               for key in values.keys())


def register(app: Flask) -> None:
    @app.before_request
    def refuse_nul_bytes():
        if "\x00" in request.path or _has_nul(request.args) or (
                request.method != "GET" and _has_nul(request.form)):
            abort(400)
