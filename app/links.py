"""Absolute links for e-mails and payment pages, built from BASE_URL, never the request's Host.

The Host header is whatever the client sent: a link built from it (url_for with
_external=True) lets anyone mail a valid reset or invitation token to a domain of
their choosing. Every link that leaves the site goes through external_url().
"""
from flask import current_app, url_for


def external_url(endpoint: str, **values) -> str:
    """BASE_URL (scheme and host) followed by the endpoint's path."""
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, **values)
