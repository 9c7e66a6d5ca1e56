"""A clone runs anywhere: no code or test names a file of one particular machine.

A fresh clone has nothing beside it (no ../shared, no /work), so a path such as
/work/shared/stripe/fixtures.json stops collection there. Whatever a test needs
lives in the repository and is found relative to the file that reads it.
"""
import re

import pytest

from tests.conftest import ROOT

SCANNED = ("app", "billing", "tenants", "tests", "bench")
SUFFIXES = {".py", ".json", ".html", ".txt", ".cfg", ".ini", ".toml", ".yaml", ".yml", ".sql", ".sh"}

# Roots under which only one machine's files live: home directories, checkouts,
# scratch and mounted disks. System packages (/usr/bin/chromium, which
# `make browser-deps` installs) are where Debian puts them on every machine.
MACHINE_PATH = re.compile(
    r"(?<![\w.~/-])/(?:work|home|Users|root|tmp|mnt|srv|opt|var|media|data|private)/[\w.-]+")


def machine_paths(text: str) -> list[str]:
    return MACHINE_PATH.findall(text)


def scanned_files():
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*")):
            if path.suffix in SUFFIXES and path.is_file() and "artifacts" not in path.parts \
                    and "__pycache__" not in path.parts and path.name != "test_self_contained.py":
                yield path


@pytest.mark.parametrize("text, found", [
    ('Path("/work/shared/stripe/fixtures.json")', ["/work/shared"]),
    ("open('/home/kim/kehu/x.csv')", ["/home/kim"]),
    ('"/tmp/kehu-test"', ["/tmp/kehu-test"]),
    ("'/Users/kim/Downloads'", ["/Users/kim"]),
    ('url = "/t/acme/customers/"', []),
    ('Path(__file__).parent / "stripe_fixtures.json"', []),
    ('CHROMIUM = Path("/usr/bin/chromium")', []),
])
def test_the_scan_recognises_machine_paths(text, found):
    assert machine_paths(text) == found


def test_no_file_names_an_absolute_path_of_this_machine():
    offenders = [f"{path.relative_to(ROOT)}: {hit}"
                 for path in scanned_files()
                 for hit in machine_paths(path.read_text(errors="replace"))]
    assert offenders == []


def test_the_stripe_examples_live_in_the_repository():
    from tests.billing import fake_stripe

    assert (ROOT / "tests" / "billing" / "stripe_fixtures.json").is_file()
    assert fake_stripe.FIXTURES["subscription"]["object"] == "subscription"
