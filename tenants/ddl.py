"""The tenant schema as one DDL script, compiled once per process.

A new tenant schema is created from the current models in one round trip and
stamped with the head of the tenant migration history; a test proves the
result is identical to running every migration from the start.

What the models cannot say (functions, triggers) a model module appends to
`metadata.info["extra_ddl"]`: plain statements run after every table exists.
"""
from functools import lru_cache

from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex, CreateTable

VERSION_TABLE_DDL = (
    "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
    "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
)


@lru_cache(maxsize=4)
def tenant_ddl_script(metadata, head_revision: str) -> str:
    """All CREATE statements for a tenant schema, unqualified, joined into one script."""
    dialect = postgresql.dialect()
    statements = []
    for table in metadata.sorted_tables:
        statements.append(str(CreateTable(table).compile(dialect=dialect)).strip())
        for index in sorted(table.indexes, key=lambda ix: ix.name):
            statements.append(str(CreateIndex(index).compile(dialect=dialect)).strip())
    statements.extend(metadata.info.get("extra_ddl", ()))
    statements.append(VERSION_TABLE_DDL)
    statements.append(f"INSERT INTO alembic_version (version_num) VALUES ('{head_revision}')")
    script = ";\n".join(statements) + ";"
    if "%" in script:  # psycopg2 would read it as a parameter marker
        script = script.replace("%", "%%")
    return script
