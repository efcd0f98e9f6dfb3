"""Imports run one way, flows -> expectations -> transforms, and transforms stays pure.

Read from the source (ASTs), not by importing: every import counts, at module level or
inside a function, so a lazy import cannot hide a cycle or an upward dependency.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("flows", "expectations", "transforms", "evaluation")

MAY_IMPORT = {  # project packages each package may import (itself included)
    "flows": {"flows", "expectations", "transforms"},
    "expectations": {"expectations", "transforms"},
    "transforms": {"transforms"},
    "evaluation": {"evaluation", "flows", "expectations", "transforms"},  # scores what the flow writes
}
IMPURE_FOR_TRANSFORMS = {"prefect", "great_expectations", "pandas"}
FILE_MODULES = {"os", "shutil", "io", "pathlib", "tempfile", "glob", "fileinput"}
"""Modules whose business is the file system: importing one under transforms/ is file I/O."""
FILE_CALLS = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "unlink", "mkdir", "rmdir",
              "touch", "iterdir", "rglob", "scandir", "listdir", "makedirs", "rmtree", "copyfile", "copytree"}
"""Calls that touch the file system whatever they are called on (``open(...)``, ``path.read_text()``);
names that strings and lists share (``replace``, ``remove``) are caught through the modules above."""
PACKAGE_DATA_READERS = {("transforms.lexicon", "read_text")}
"""The lexicon loader reads its own package data (through importlib.resources): the one exception."""


@dataclass(frozen=True, slots=True)
class Module:
    name: str
    source: str
    is_package: bool = False


def project_modules(root: Path = ROOT) -> list[Module]:
    modules = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            is_package = parts[-1] == "__init__"
            name = ".".join(parts[:-1] if is_package else parts)
            modules.append(Module(name, path.read_text(encoding="utf-8"), is_package))
    return modules


def imports_of(module: Module) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the module, wherever it stands;
    ``from package import name`` is listed as ``package.name`` (a submodule or an attribute)."""
    found = []
    base = module.name.split(".") if module.is_package else module.name.split(".")[:-1]
    for node in ast.walk(ast.parse(module.source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            prefix = ".".join(base[:len(base) - node.level + 1] + ([node.module] if node.module else [])) \
                if node.level else node.module
            found += [(node.lineno, f"{prefix}.{alias.name}") for alias in node.names if alias.name != "*"]
            found.append((node.lineno, prefix))
    return found


def _top(name: str) -> str:
    return name.split(".")[0]


def direction_violations(modules: list[Module]) -> list[str]:
    """Imports of project packages against the direction flows -> expectations -> transforms."""
    return [f"{m.name}:{line} imports {name}" for m in modules for line, name in imports_of(m)
            if _top(name) in MAY_IMPORT and _top(name) not in MAY_IMPORT[_top(m.name)]]


def impure_imports(modules: list[Module]) -> list[str]:
    return [f"{m.name}:{line} imports {name}" for m in modules if _top(m.name) == "transforms"
            for line, name in imports_of(m) if _top(name) in IMPURE_FOR_TRANSFORMS]


def file_io(modules: list[Module]) -> list[str]:
    """File-system calls and file-system modules under transforms/ (package data reading aside)."""
    found = []
    for m in (m for m in modules if _top(m.name) == "transforms"):
        found += [f"{m.name}:{line} imports {name}" for line, name in imports_of(m) if _top(name) in FILE_MODULES]
        for node in ast.walk(ast.parse(m.source)):
            if not isinstance(node, ast.Call):
                continue
            called = node.func.id if isinstance(node.func, ast.Name) else \
                node.func.attr if isinstance(node.func, ast.Attribute) else None
            if called in FILE_CALLS and (m.name, called) not in PACKAGE_DATA_READERS \
                    and (isinstance(node.func, ast.Attribute) or called == "open"):
                found.append(f"{m.name}:{node.lineno} calls {called}()")
    return found


def import_cycles(modules: list[Module]) -> list[list[str]]:
    """Every cycle of the project's import graph (as strongly connected components of two or
    more modules, or a module importing itself). Importing a module imports its packages too."""
    names = {m.name for m in modules}
    graph: dict[str, set[str]] = {}
    for m in modules:
        targets = set()
        for _, name in imports_of(m):
            while name and name not in names:          # ``package.attribute`` -> ``package``
                name = name.rpartition(".")[0]
            parts = name.split(".") if name else []
            targets |= {".".join(parts[:i]) for i in range(1, len(parts) + 1)} & names
        graph[m.name] = targets - ({m.name} if m.is_package else set())
    return [sorted(c) for c in _strongly_connected(graph) if len(c) > 1 or c[0] in graph[c[0]]]


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            components.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


MODULES = project_modules()


def test_the_walk_sees_every_package():
    assert {_top(m.name) for m in MODULES} == set(PACKAGES)
    assert {"flows.etl", "expectations.validate", "transforms.schemas", "evaluation.score"} <= {m.name for m in MODULES}


def test_imports_run_flows_to_expectations_to_transforms():
    assert direction_violations(MODULES) == []


def test_transforms_import_no_orchestration_validation_or_pandas():
    assert impure_imports(MODULES) == []


def test_transforms_touch_no_files_but_their_package_data():
    assert file_io(MODULES) == []


def test_no_import_cycle():
    assert import_cycles(MODULES) == []


BAD = [
    Module("transforms", ""),
    Module("transforms.bad", "import os\nfrom flows.etl import newsfacts\n\n\ndef f():\n    import pandas as pd\n"
                             "    from pathlib import Path\n    return open('x'), Path('y').write_text('z')\n"),
    Module("transforms.a", "from transforms import b\n"),
    Module("transforms.b", "def later():\n    from . import a\n"),
    Module("expectations", ""),
    Module("expectations.suites", "from flows import storage\n"),
    Module("evaluation", ""),
    Module("evaluation.score", ""),
    Module("expectations.report", "import evaluation.score\n"),
    Module("flows", "", is_package=True),
    Module("flows.etl", "from expectations.suites import x\nfrom flows import storage\n"),
    Module("flows.storage", "from ..flows.etl import y\nimport flows.etl\n"),
]


@pytest.mark.parametrize(("check", "expected"), [
    (direction_violations, ["transforms.bad:2 imports flows.etl.newsfacts", "transforms.bad:2 imports flows.etl",
                            "expectations.suites:1 imports flows.storage", "expectations.suites:1 imports flows",
                            "expectations.report:1 imports evaluation.score"]),
    (impure_imports, ["transforms.bad:6 imports pandas"]),
    (file_io, ["transforms.bad:1 imports os", "transforms.bad:7 imports pathlib.Path",
               "transforms.bad:7 imports pathlib", "transforms.bad:8 calls open()",
               "transforms.bad:8 calls write_text()"]),
    (import_cycles, [["transforms.a", "transforms.b"], ["expectations.suites", "flows.etl", "flows.storage"]]),
])
def test_the_checks_catch_a_bad_module(check, expected):
    found = check(BAD)
    assert sorted(map(str, found)) == sorted(map(str, expected))
