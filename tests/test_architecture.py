"""The library's shape, checked: layers that import only downwards, no import cycle, small
modules and functions, and `bot/` using only the library's public names."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# Each package of `index` may import only from packages before it (same-package imports are free).
LAYERS: tuple[tuple[str, ...], ...] = (
    ("index.errors", "index.config", "index.model"),
    ("index.corpus",),
    ("index.text",),
    ("index.results",),
    ("index.facts",),
    ("index.retrieval",),
    ("index.store",),
    ("index.milvus",),
    ("index.build",),
    ("index.qa",),
    ("index.evaluation",),
    ("index.trial_index",),
    ("index.opening",),
    ("index",),
)
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80


def modules(package: str) -> Iterator[tuple[str, Path]]:
    root = REPO / package
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, path


def imports(path: Path, name: str) -> set[str]:
    """Every module of ours that ``path`` imports, at module level or inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return {m for m in found if m.split(".")[0] in ("index", "bot")}


def known(names: set[str], all_modules: set[str]) -> set[str]:
    """The imported names that are modules of ours (``from index.x import y`` names y only if y is a module)."""
    return {m for m in names if m in all_modules}


def layer_of(module: str) -> int:
    """The layer of the longest prefix in `LAYERS` that names the module or a package above it."""
    matches = [
        (len(prefix), i)
        for i, group in enumerate(LAYERS)
        for prefix in group
        if module == prefix or module.startswith(prefix + ".")
    ]
    return max(matches)[1]


def graph() -> dict[str, set[str]]:
    mods = dict(modules("index"))
    names = set(mods)
    return {m: known(imports(p, m), names) - {m} for m, p in mods.items()}


def test_no_import_cycle_in_index() -> None:
    g = graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for n in sorted(g.get(m, ())):
            if n == "index" or (m.startswith(n + ".") and n != m):  # a package's own __init__ is not an edge back
                continue
            if state.get(n) == 1:
                cycle = [*stack[stack.index(n) :], n]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if n not in state:
                visit(n)
        stack.pop()
        state[m] = 2

    for m in sorted(g):
        if m not in state:
            visit(m)


def test_packages_import_only_lower_layers() -> None:
    wrong = []
    for m, deps in graph().items():
        if m == "index":
            continue
        mine = layer_of(m)
        for d in deps:
            if d == "index" or m.startswith(d + "."):
                continue
            if layer_of(d) > mine:
                wrong.append(f"{m} imports {d}")
    assert wrong == []


def test_storage_knows_nothing_of_facts() -> None:
    store = {m: deps for m, deps in graph().items() if m.startswith("index.store")}
    assert [m for m, deps in store.items() if any(d.startswith("index.facts") for d in deps)] == []


@pytest.mark.parametrize("package", ["index", "bot"])
def test_modules_and_functions_are_small(package: str) -> None:
    big_modules, big_functions = [], []
    for name, path in modules(package):
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > MAX_MODULE_LINES:
            big_modules.append(f"{name}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = (node.end_lineno or node.lineno) - node.lineno + 1
                if n > MAX_FUNCTION_LINES:
                    big_functions.append(f"{name}.{node.name}: {n} lines")
    assert (big_modules, big_functions) == ([], [])


def test_bot_uses_only_public_names_of_index() -> None:
    """`bot/` imports `index` and its subpackages' public names, never a private (underscored) one."""
    private = []
    for name, path in modules("bot"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("index"):
                private += [f"{name}: {node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
    assert private == []


def fixtures_of(path: Path) -> set[str]:
    """The names of the functions in ``path`` decorated with ``pytest.fixture``."""
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef):
            for d in node.decorator_list:
                target = d.func if isinstance(d, ast.Call) else d
                if ast.unparse(target) == "pytest.fixture":
                    found.add(node.name)
    return found


def test_no_test_imports_another_test_file() -> None:
    """Shared test code lives in tests/conftest.py or tests/helpers/: no test module is imported,
    and from a package's conftest.py only its fixtures are (to reuse them)."""
    wrong = []
    for name, path in modules("tests"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.ImportFrom) and node.module and node.level == 0):
                continue
            last = node.module.rsplit(".", 1)[-1]
            imported = [node.module] if node.module.startswith("tests.") else []
            imported += [f"{node.module}.{a.name}" for a in node.names if a.name.startswith("test_")]
            if any(m.rsplit(".", 1)[-1].startswith("test_") for m in imported):
                wrong.append(f"{name} imports {node.module}")
            elif last == "conftest" and node.module != "tests.conftest":
                source = REPO.joinpath(*node.module.split(".")).with_suffix(".py")
                helpers = sorted({a.name for a in node.names} - fixtures_of(source))
                wrong += [f"{name} imports {node.module}.{h} (not a fixture)" for h in helpers]
    assert wrong == []
