"""Validation of slugs and schema names.

Schema names are only ever taken from the tenant registry, and each one is
checked against SCHEMA_NAME here before it is put into SQL.
"""
import re
import secrets

SCHEMA_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
SLUG = re.compile(r"^[a-z][a-z0-9-]{1,30}[a-z0-9]$")

RESERVED_SLUGS = frozenset({
    "admin", "api", "app", "auth", "billing", "blog", "dashboard", "demo-admin", "docs",
    "help", "login", "logout", "mail", "new", "pricing", "provider", "public", "signup",
    "static", "status", "support", "system", "www", "pg-catalog", "information-schema",
})


class InvalidSchemaName(ValueError):
    pass


def checked_schema_name(name: str) -> str:
    """Return name if it is a safe schema identifier; raise otherwise."""
    if not isinstance(name, str) or not SCHEMA_NAME.match(name) or name.startswith("pg_"):
        raise InvalidSchemaName(f"not a valid tenant schema name: {name!r}")
    return name


def slug_problem(slug: str) -> str | None:
    """Why slug cannot be a workspace address, or None if it can."""
    if not SLUG.match(slug or ""):
        return "3–32 characters: lower-case letters, digits and hyphens, starting with a letter."
    if "--" in slug:
        return "no double hyphens."
    if slug in RESERVED_SLUGS:
        return "this address is reserved."
    return None


def schema_for_slug(slug: str) -> str:
    """t_<slug> with hyphens as underscores (slugs have no underscores, so this is one-to-one)."""
    return checked_schema_name("t_" + slug.replace("-", "_"))


def pooled_schema_name() -> str:
    return checked_schema_name("pool_" + secrets.token_hex(6))


def new_files_key() -> str:
    """A tenant's folder name: random, so no later tenant can be given the same folders."""
    return "f" + secrets.token_hex(16)


def checked_files_key(key: str) -> str:
    """Return key if it is a safe folder name (the schema name rule); raise otherwise."""
    if not isinstance(key, str) or not SCHEMA_NAME.match(key):
        raise InvalidSchemaName(f"not a valid tenant folder name: {key!r}")
    return key
