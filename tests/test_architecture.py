"""The shape of the code: no import cycles, click only in the CLI, the CLI only uses public
library names, and the package's public list is whole.

Imports are read from the source with `ast`, at module level and inside functions alike
(an import inside a function hides a cycle from Python, not from this test). Imports under
`if TYPE_CHECKING:` never run and are left out.
"""

from __future__ import annotations

import ast
import functools
import inspect
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import llm_core
from llm_core import errors

PACKAGE = Path(llm_core.__file__).parent
ROOT = PACKAGE.parent


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _type_checking_block(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def _walk(node: ast.AST) -> Iterator[ast.AST]:
    """ast.walk, skipping `if TYPE_CHECKING:` bodies."""
    for child in ast.iter_child_nodes(node):
        if _type_checking_block(child):
            yield from (n for c in child.orelse for n in [c, *_walk(c)])
            continue
        yield child
        yield from _walk(child)


def _absolute(importer: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".")
    if not is_package(importer):
        base.pop()
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


class Import:
    """One import statement's effect: the module imported and, for `from m import n`, n."""

    def __init__(self, module: str, name: str | None, line: int) -> None:
        self.module, self.name, self.line = module, name, line

    @property
    def target(self) -> str:
        """The module this import loads: `m.n` when n is a submodule, else `m`."""
        if self.name and f"{self.module}.{self.name}" in MODULES:
            return f"{self.module}.{self.name}"
        return self.module


@functools.cache
def _tree(module: str) -> ast.Module:
    """A module's syntax tree, parsed once for all the tests here (they walk every module)."""
    return ast.parse(MODULES[module].read_text(), str(MODULES[module]))


@functools.cache
def imports_of(module: str) -> tuple[Import, ...]:
    tree = _tree(module)
    found = []
    for node in _walk(tree):
        if isinstance(node, ast.Import):
            found += [Import(alias.name, None, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, node)
            found += [Import(base, alias.name, node.lineno) for alias in node.names]
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None))
              == "import_module" and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)):
            found.append(Import(node.args[0].value, None, node.lineno))
    return tuple(found)


def import_graph() -> dict[str, dict[str, int]]:
    """Our modules -> {our module it imports: the line of the first such import}."""
    graph: dict[str, dict[str, int]] = {}
    for module in MODULES:
        edges = graph.setdefault(module, {})
        for imp in imports_of(module):
            target = imp.target
            if target in MODULES and target != module:
                edges.setdefault(target, imp.line)
    return graph


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def describe(component: list[str], graph: dict[str, dict[str, int]]) -> str:
    members = set(component)
    lines = [f"cycle among {', '.join(component)}:"]
    for module in component:
        for target, line in sorted(graph[module].items()):
            if target in members:
                lines.append(f"  {MODULES[module].relative_to(ROOT)}:{line} imports {target}")
    return "\n".join(lines)


def test_the_graph_reader_sees_every_kind_of_import():
    graph = import_graph()
    # Module level, inside a function, `from pkg import submodule`, relative imports.
    assert "llm_core.errors" in graph["llm_core.config"]
    assert "llm_core.models.registry" in graph["llm_core.models.sync"]  # from llm_core.models import registry
    assert "llm_core.utils._anthropic_count" in graph["llm_core.utils.tokens"]  # inside a function
    assert "llm_core.cli._common" in graph["llm_core.cli.models"]
    assert cycles({"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b": 1}, "b": {}}) == []


def test_relative_imports_resolve():
    node = ast.parse("from ..errors import InputError\nfrom . import registry").body
    assert _absolute("llm_core.models.select", node[0]) == "llm_core.errors"
    assert _absolute("llm_core.models.select", node[1]) == "llm_core.models"
    assert _absolute("llm_core.models", node[1]) == "llm_core.models"


def test_no_import_cycles():
    graph = import_graph()
    found = cycles(graph)
    assert not found, "\n\n".join(describe(c, graph) for c in found)


def test_only_the_cli_imports_click():
    offenders = [
        f"{MODULES[m].relative_to(ROOT)}:{imp.line}"
        for m in MODULES
        if not (m == "llm_core.cli" or m.startswith("llm_core.cli."))
        for imp in imports_of(m)
        if imp.module == "click" or imp.module.startswith("click.")
    ]
    assert not offenders, "click imported outside llm_core/cli/: " + ", ".join(offenders)


def _library(module: str) -> bool:
    return module in MODULES and not (module == "llm_core.cli" or module.startswith("llm_core.cli."))


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_uses(module: str) -> list[str]:
    """Where a CLI module uses a `_private` name or module of the library."""
    where = MODULES[module].relative_to(ROOT)
    tree = _tree(module)
    found = []
    bound: dict[str, str] = {}  # local name -> library module it names
    for node in _walk(tree):
        imps = []
        if isinstance(node, ast.Import):
            imps = [(Import(a.name, None, node.lineno), a.asname) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            imps = [(Import(_absolute(module, node), a.name, node.lineno), a.asname) for a in node.names]
        for imp, asname in imps:
            target = imp.target
            if not _library(target) and not _library(imp.module):
                continue
            private_module = [p for p in target.split(".") if _private(p)]
            if _library(target) and private_module:
                found.append(f"{where}:{imp.line} imports the private module {target}")
            elif imp.name and target == imp.module and _private(imp.name):
                found.append(f"{where}:{imp.line} imports {imp.module}.{imp.name}")
            if imp.name and target != imp.module:
                bound[asname or imp.name] = target
            elif not imp.name and asname:
                bound[asname] = target
    for node in _walk(tree):
        if (isinstance(node, ast.Attribute) and _private(node.attr)
                and isinstance(node.value, ast.Name) and node.value.id in bound):
            found.append(f"{where}:{node.lineno} uses {bound[node.value.id]}.{node.attr}")
    return found


def test_private_use_finder_sees_each_form(tmp_path, monkeypatch):
    fake = tmp_path / "llm_core" / "cli" / "fake.py"
    fake.parent.mkdir(parents=True)
    fake.write_text(
        "from llm_core.models.registry import _today, get_model\n"
        "from llm_core.models import registry as reg\n"
        "from llm_core.utils import _encodings\n"
        "from . import _common\n"
        "def f():\n"
        "    return reg._load_registry(), reg.find_model('x'), _common._x\n"
    )
    monkeypatch.setitem(MODULES, "llm_core.cli.fake", fake)
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert private_uses("llm_core.cli.fake") == [
        "llm_core/cli/fake.py:1 imports llm_core.models.registry._today",
        "llm_core/cli/fake.py:3 imports the private module llm_core.utils._encodings",
        "llm_core/cli/fake.py:6 uses llm_core.models.registry._load_registry",
    ]


def test_the_cli_uses_only_public_library_names():
    found = [f for m in MODULES if (m == "llm_core.cli" or m.startswith("llm_core.cli.")) for f in private_uses(m)]
    assert not found, "the CLI reaches into private library names:\n" + "\n".join(found)


@pytest.mark.parametrize("name", llm_core.__all__)
def test_every_public_name_resolves(name):
    assert getattr(llm_core, name) is not None


def test_every_error_class_is_exported():
    tree = {
        name for name, obj in inspect.getmembers(errors, inspect.isclass)
        if issubclass(obj, BaseException) and obj.__module__ == errors.__name__
    }
    assert tree, "llm_core.errors defines no error class?"
    missing = sorted(tree - set(llm_core.__all__))
    assert not missing, f"error classes missing from llm_core.__all__: {missing}"
    assert sorted(llm_core.__all__) == sorted(dir(llm_core))


def test_a_package_map_names_every_module_of_its_package():
    """Where a package's docstring maps its modules ("local.py  LocalStorage: ..."), the map
    names each one: it is where a newcomer learns where things live (issue 8)."""
    missing = {}
    for name, path in MODULES.items():
        if not is_package(name):
            continue
        doc = ast.get_docstring(ast.parse(path.read_text())) or ""
        if not re.search(r"\b\w+\.py\b", doc):
            continue  # no map in this package's docstring
        files = sorted(p.name for p in path.parent.glob("*.py") if p.name != "__init__.py")
        if left := [f for f in files if not re.search(rf"(?<![\w.]){re.escape(f)}\b", doc)]:
            missing[name] = left
    assert not missing, f"modules missing from their package's map: {missing}"


def test_no_library_module_is_over_500_lines():
    """Issue 8's bound: a module past it has a seam to split along (config.py had grown to 557
    lines before this test)."""
    sizes = {name: len(path.read_text().splitlines()) for name, path in MODULES.items()}
    assert {name: n for name, n in sizes.items() if n > 500} == {}
