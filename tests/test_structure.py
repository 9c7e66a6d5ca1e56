"""The code's shape, read from the source: no import cycles, one blueprint module per package.

Both are read with `ast` (no import runs): a cycle through bottom-of-file imports
works in most import orders and fails in one, so importing would not find it reliably.
"""
import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("app", "billing", "tenants")


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _module_level(nodes):
    """Statements run at import time: the module body, and the bodies of if/try/with in it."""
    for node in nodes:
        yield node
        if isinstance(node, (ast.If, ast.Try, ast.With)):
            yield from _module_level(node.body + getattr(node, "orelse", [])
                                     + getattr(node, "finalbody", []))
            for handler in getattr(node, "handlers", []):
                yield from _module_level(handler.body)


def _imported_at_import_time(tree: ast.Module) -> set[str]:
    names = set()
    for node in _module_level(tree.body):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 5000))
    for node in graph:
        if node not in index:
            visit(node)
    return cycles


def test_no_module_imports_itself_back_through_others():
    modules = _modules()
    graph = {name: {target for target in _imported_at_import_time(ast.parse(path.read_text()))
                    if target in modules and target != name}
             for name, path in modules.items()}
    assert _cycles(graph) == []


def test_a_cycle_is_found_when_there_is_one():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def _route_decorators(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                call = decorator.func if isinstance(decorator, ast.Call) else decorator
                if (isinstance(call, ast.Attribute) and isinstance(call.value, ast.Name)
                        and call.value.id == "bp"):
                    return True
    return False


def _where_bp_comes_from(tree: ast.Module) -> str | None:
    """The module `bp` is imported from; "" if this module creates it; None if neither."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and any(a.name == "bp" and a.asname is None
                                                    for a in node.names):
            return node.module
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "bp"
                                                for t in node.targets):
            return ""
    return None


def test_route_modules_take_bp_from_their_own_package_blueprint_module():
    wrong = []
    for name, path in _modules().items():
        tree = ast.parse(path.read_text())
        if not _route_decorators(tree):
            continue
        source = _where_bp_comes_from(tree)
        package = name.rpartition(".")[0]
        if source != f"{package}.blueprint" and not (
                source == "" and not (path.parent / "blueprint.py").exists()):
            wrong.append(f"{name} (bp from {source or 'itself'})")
    assert wrong == []


def test_billing_sql_never_names_the_public_schema():
    """Public tables are named through their models (metadata schema "public"), so the
    schema is written in one place; hand-written SQL naming it would be a second."""
    import re

    sql_naming_public = re.compile(r"\b(FROM|INTO|UPDATE|JOIN|TABLE)\s+public\.", re.IGNORECASE)
    found = []
    for path in (ROOT / "billing").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and sql_naming_public.search(node.value)):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
