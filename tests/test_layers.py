"""The layering the README's Layout section draws, held by reading the source (standard
library `ast` only): which room may import which, SQL only in `store`, printing only in
`cli`, and no modules that import each other in a circle.

Every import counts, also one inside a function (a lazy import is still a dependency);
only imports under `if TYPE_CHECKING:` are left out, as they never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "movement_cli"

# The rooms, bottom up. A module's room is its package under movement_cli, or for a
# top-level module its own name.
GROUND = {"text", "core", "store", "errors", "clock", "resources", "i18n", "yaml_files"}
MIDDLE = {"ingest", "criteria", "documents", "writers", "config_keys"}
ROOMS = {
    **{room: "ground" for room in GROUND},
    **{room: "middle" for room in MIDDLE},
    "workflows": "workflows",
    "cli": "cli",
    "__main__": "cli",
    "launch": "cli",  # the entry point: starts a recognize import's reading, then cli.main
    "__init__": "ground",  # movement_cli/__init__.py: the version only
}

# What each room may import, besides itself and the standard library and third parties.
# Ground rooms import only the ground rooms named here; `text` imports nothing of ours.
ALLOWED: dict[str, set[str]] = {
    "text": set(),
    "errors": {"i18n"},
    "clock": {"errors", "text", "i18n"},
    "resources": set(),
    "i18n": set(),
    "yaml_files": {"i18n", "text"},  # the one strict YAML reader of hand-written files
    "__init__": set(),
    "core": {"text", "errors", "clock", "i18n"},
    "store": {"core", "text", "errors", "clock", "resources", "i18n"},
    # Middle rooms: the ground but not the database (what they need of it, a workflow
    # passes in), never each other, never workflows or cli.
    **{room: (GROUND - {"store"}) | {"__init__"} for room in MIDDLE},
    "workflows": GROUND | MIDDLE | {"__init__"},
    "cli": set(ROOMS),
    "__main__": {"launch"},
    "launch": {"cli", "ingest"},
}

SQL_CALLS = {"execute", "executemany", "executescript"}
OUTPUT_STREAMS = {"stdout", "stderr"}


def _modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its __init__)."""
    modules = {}
    for path in sorted((SOURCE / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(SOURCE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


MODULES = _modules()


def _room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _nodes(tree: ast.AST):
    """Every node that runs: the tree without the bodies of `if TYPE_CHECKING:`."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                stack.extend(child.orelse)
            else:
                stack.append(child)


def _target(importer: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".")
    if MODULES[importer].name != "__init__.py":
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str, tree: ast.AST) -> list[tuple[str, int]]:
    """The package's modules ``module`` imports, with the line of each import."""
    found = []
    for node in _nodes(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _target(module, node)
            # `from package import name` imports the submodule when there is one.
            names = [f"{target}.{alias.name}" if f"{target}.{alias.name}" in MODULES
                     else target for alias in node.names]
        else:
            continue
        for name in names:
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name.startswith(PACKAGE) and name != module:
                found.append((name, node.lineno))
    return found


def _trees() -> dict[str, ast.AST]:
    return {module: ast.parse(path.read_text(encoding="utf-8"), str(path))
            for module, path in MODULES.items()}


TREES = _trees()


def _where(module: str, line: int) -> str:
    return f"{MODULES[module].relative_to(SOURCE.parent)}:{line}"


def test_every_room_is_known():
    assert {_room(m) for m in MODULES} <= set(ROOMS), (
        "a new package or top-level module: give it a room in ROOMS and in the README")


def import_violations(trees: dict[str, ast.AST]) -> list[str]:
    problems = []
    for module, tree in trees.items():
        room = _room(module)
        for target, line in _imports(module, tree):
            other = _room(target)
            if other != room and other not in ALLOWED[room]:
                problems.append(f"{_where(module, line)}: {room} ({ROOMS[room]}) imports "
                                f"{target} ({ROOMS[other]})")
    return problems


def test_rooms_import_only_downwards():
    assert import_violations(TREES) == []


def _call_name(node: ast.Call) -> tuple[str, ...]:
    """The dotted name called: ("sys", "stdout", "write"), ("print",)."""
    parts = []
    func = node.func
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name):
        parts.append(func.id)
    return tuple(reversed(parts))


def test_sql_runs_only_in_store():
    problems = []
    for module, tree in TREES.items():
        if _room(module) == "store":
            continue
        for node in _nodes(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in SQL_CALLS:
                problems.append(f"{_where(module, node.lineno)}: .{node.func.attr}(")
    assert problems == []


def print_violations(trees: dict[str, ast.AST]) -> list[str]:
    problems = []
    for module, tree in trees.items():
        if _room(module) == "cli" or module == f"{PACKAGE}.__main__":
            continue
        for node in _nodes(tree):
            if isinstance(node, ast.Call):
                name = _call_name(node)
                if name == ("print",) or (
                        len(name) == 3 and name[0] == "sys" and name[1] in OUTPUT_STREAMS
                        and name[2] == "write"):
                    problems.append(f"{_where(module, node.lineno)}: {'.'.join(name)}(")
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) \
                    else [node.module or ""]
                if any(n == "rich" or n.startswith("rich.") for n in names):
                    problems.append(f"{_where(module, node.lineno)}: imports rich")
    return problems


def test_only_cli_prints():
    assert print_violations(TREES) == []


def import_cycles(trees: dict[str, ast.AST]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    graph = {m: sorted({t for t, _ in _imports(m, tree)}) for m, tree in trees.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for node in graph:
        if node not in index:
            visit(node)
    return cycles


def test_no_modules_import_each_other_in_a_circle():
    assert import_cycles(TREES) == []


# The test must be able to fail: the same checks on the source with one wrong line added.


def _with_line(module: str, line: str) -> dict[str, ast.AST]:
    trees = dict(TREES)
    source = MODULES[module].read_text(encoding="utf-8") + "\n" + line + "\n"
    trees[module] = ast.parse(source)
    return trees


@pytest.mark.parametrize(("module", "line", "expected"), [
    ("movement_cli.core.kinds", "from movement_cli.store import db",
     "core (ground) imports movement_cli.store"),
    ("movement_cli.documents.context", "from movement_cli.criteria import load",
     "documents (middle) imports movement_cli.criteria.load (middle)"),
    ("movement_cli.store.db", "import movement_cli.workflows.render",
     "store (ground) imports movement_cli.workflows.render (workflows)"),
    ("movement_cli.ingest.roster", "from movement_cli.store.units import unit_on",
     "ingest (middle) imports movement_cli.store.units (ground)"),
])
def test_an_upward_or_sideways_import_is_caught(module, line, expected):
    assert any(expected in problem for problem in import_violations(_with_line(module, line)))


def test_a_print_below_cli_is_caught():
    problems = print_violations(_with_line("movement_cli.workflows.status", "print('x')"))
    assert any("workflows/status.py" in p and "print(" in p for p in problems)


def test_a_circle_is_caught():
    trees = _with_line("movement_cli.text", "from movement_cli.core import kinds")
    assert any({"movement_cli.text", "movement_cli.core.kinds"} <= set(group)
               for group in import_cycles(trees))
