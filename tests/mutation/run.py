"""`make mutate`: mutation testing of the core modules, each against its own tests.

Run by hand or nightly, never in CI (it takes tens of minutes). For every
module below, mutmut changes one thing at a time (an operator, a constant, a
comparison …) and runs the module's tests; a mutant the tests do not fail on
"survived". Per module the kill rate and the surviving mutants (as diffs) are
written to instance/mutation/; docs/TESTING.md keeps the figures and says
which survivors are equivalent (no behaviour can tell them apart).

    python -m tests.mutation.run                 every module
    python -m tests.mutation.run tokenizer pricing   modules whose path contains a word

mutmut edits the file in place and puts it back after each mutant; do not run
other tests in the same checkout meanwhile.
"""
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "instance" / "mutation"

# module → (the tests that hold its behaviour in place, the functions counted or None for all).
# models.py is counted for Role's rules only: its column declarations are held by the
# migration parity tests (tests/tenants/test_migrations.py), not by unit tests.
TARGETS = {
    "billing/states.py": (["tests/billing/test_states.py"], None),
    "app/access/permissions.py": (["tests/access/test_permissions.py"], None),
    "app/access/models.py": (["tests/access/test_permissions.py"], ["Role.is_owner", "Role.allows"]),
    "app/access/visibility.py": (["tests/access/test_visibility.py",
                                  "tests/access/test_visibility_lookups.py"], None),
    "tenants/context.py": (["tests/tenants/test_context.py"], None),
    "app/quotes/pricing.py": (["tests/sales/test_pricing.py", "tests/sales/test_quote_arithmetic.py"], None),
    "app/quotes/services.py": (["tests/sales/test_quote_arithmetic.py", "tests/sales/test_quotes.py"], None),
    "app/search/tokenizer.py": (["tests/search/test_tokenizer.py"], None),
}


def _lines_of(module: str, names: list[str] | None) -> set[int] | None:
    """1-based line numbers of the named functions (Class.method), or None for the whole file."""
    if names is None:
        return None
    import ast

    tree, lines = ast.parse((ROOT / module).read_text()), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and f"{node.name}.{item.name}" in names:
                    lines.update(range(item.lineno, item.end_lineno + 1))
    return lines


def run_module(module: str, tests: list[str], scope: list[str] | None) -> dict:
    cache = ROOT / ".mutmut-cache"
    cache.unlink(missing_ok=True)
    runner = f"{sys.executable} -m tests.mutation.runner -x -q -p no:cacheprovider {' '.join(tests)}"
    subprocess.run([sys.executable, "-m", "mutmut", "run", "--paths-to-mutate", module,
                    "--runner", runner, "--tests-dir", "tests", "--no-progress"],
                   cwd=ROOT, env=os.environ, stdout=subprocess.DEVNULL)
    with sqlite3.connect(cache) as db:
        rows = db.execute("SELECT m.id, m.status, l.line_number + 1, l.line FROM Mutant m"
                          " JOIN Line l ON l.id = m.line ORDER BY m.id").fetchall()
    counted = _lines_of(module, scope)
    rows = [row for row in rows if counted is None or row[2] in counted]
    counts = {}
    for _id, status, _n, _line in rows:
        counts[status] = counts.get(status, 0) + 1
    survivors = [(mutant_id, number) for mutant_id, status, number, _l in rows
                 if status in ("bad_survived", "bad_timeout")]
    diffs = [subprocess.run([sys.executable, "-m", "mutmut", "show", str(mutant_id)], cwd=ROOT,
                            capture_output=True, text=True).stdout for mutant_id, _n in survivors]
    name = module.replace("/", "_").removesuffix(".py")
    (OUT / f"{name}.survivors.diff").write_text("\n".join(diffs))
    cache.rename(OUT / f"{name}.mutmut-cache")
    # ok_suspicious: killed, only slower than the unmutated run.
    return {"module": module, "total": len(rows),
            "killed": counts.get("ok_killed", 0) + counts.get("ok_suspicious", 0),
            "survived": len(survivors), "statuses": counts}


def main(words: list[str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    chosen = {m: t for m, t in TARGETS.items() if not words or any(w in m for w in words)}
    for module, (tests, scope) in chosen.items():
        result = run_module(module, tests, scope)
        rate = 100 * result["killed"] / result["total"] if result["total"] else 100
        line = (f"{module}{' (' + ', '.join(scope) + ')' if scope else ''}: {result['killed']}/{result['total']} killed ({rate:.0f} %),"
                f" {result['survived']} survived {result['statuses']}")
        print(line, flush=True)
        with (OUT / "summary.txt").open("a") as summary:
            summary.write(line + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
