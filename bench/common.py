"""What every benchmark shares: its database, and its section of docs/PERFORMANCE.md."""
import os
import re
from pathlib import Path

from sqlalchemy.engine import make_url

from app.database import create_database_if_missing, embedded_server_url, sqlalchemy_url

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "PERFORMANCE.md"
DOC_INTRO = """# Performance

Figures measured on the project's development machine (2 cores). Each section
holds the figures of the latest `make bench`, which rewrites it. Benchmarks
are not tests: a missed target is reported here and by the run, and never
fails the build.
"""


def bench_database_url(database: str) -> str:
    """`database` on the DATABASE_URL server, else on the embedded server under
    instance/pgdata-bench (default durable settings, unlike the test server)."""
    server = os.environ.get("DATABASE_URL")
    if not server:
        return embedded_server_url(ROOT / "instance" / "pgdata-bench", database)
    admin_url = make_url(sqlalchemy_url(server))
    create_database_if_missing(admin_url.render_as_string(hide_password=False), database)
    return admin_url.set(database=database).render_as_string(hide_password=False)


def write_section(heading: str, section: str, doc: Path = DOC) -> None:
    """Replace the "## heading" section of doc (docs/PERFORMANCE.md by default; up to the
    next "## "), keep the rest."""
    text = doc.read_text() if doc.exists() else DOC_INTRO
    pattern = re.compile(rf"^## {re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section.rstrip("\n") + "\n\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    doc.write_text(text.rstrip("\n") + "\n")
