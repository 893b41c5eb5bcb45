"""No import circles inside the package.

Every module of ``computelimits`` is parsed with ``ast``; its module-level imports
(including those under ``if``/``try`` at module level, excluding those inside
functions and classes, and excluding ``if TYPE_CHECKING:`` blocks) give the edges
of the intra-package import graph. ``from . import x`` is an edge to the
submodule ``x`` when one exists, else to the package. Importing ``a.b.c`` runs
``a/__init__`` and ``a/b/__init__`` first, but those edges are the packages' own
and are not added here: a cycle is a path of explicit imports that returns to
its start. The test fails naming every cycle found.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Set

import pytest

PACKAGE = "computelimits"
ROOT = Path(__file__).resolve().parents[2] / "python" / PACKAGE


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules(root: Path) -> Dict[str, Path]:
    return {_module_name(path, root): path for path in sorted(root.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _module_level_imports(tree: ast.Module) -> Iterator[ast.stmt]:
    """Import statements executed when the module is imported (not inside def/class bodies)."""
    stack: List[ast.stmt] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, ast.If):
            if not _is_type_checking(node):
                stack.extend(node.body)
            stack.extend(node.orelse)
        elif isinstance(node, ast.Try):
            stack.extend(node.body)
            stack.extend(node.orelse)
            stack.extend(node.finalbody)
            for handler in node.handlers:
                stack.extend(handler.body)
        elif isinstance(node, (ast.With, ast.For, ast.While)):
            stack.extend(node.body)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> Optional[str]:
    if node.level == 0:
        return node.module
    base = module.split(".") if is_package else module.split(".")[:-1]
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def import_graph(root: Path = ROOT) -> Dict[str, Set[str]]:
    """Module -> the package modules it imports at module level."""
    modules = _modules(root)
    graph: Dict[str, Set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in _module_level_imports(tree):
            targets: List[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                source = _resolve(name, path.name == "__init__.py", node)
                if source is None:
                    continue
                for alias in node.names:
                    submodule = f"{source}.{alias.name}"
                    targets.append(submodule if submodule in modules else source)
            for target in targets:
                if target in modules and target != name:
                    graph[name].add(target)
    return graph


def find_cycles(graph: Dict[str, Set[str]]) -> List[List[str]]:
    """Each strongly connected component with more than one module, as one cycle through it."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    on_stack: Set[str] = set()
    stack: List[str] = []
    components: List[List[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(_cycle_through(sorted(component), graph))
    return components


def _cycle_through(component: List[str], graph: Dict[str, Set[str]]) -> List[str]:
    """A shortest cycle from the component's first module back to itself (breadth-first)."""
    start, members = component[0], set(component)
    previous: Dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in sorted(graph[node] & members):
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [start, *reversed(path[:-1]), start] if len(path) > 1 else [start, node, start]
                if child not in previous:
                    previous[child] = node
                    following.append(child)
        frontier = following
    return component  # pragma: no cover - a strongly connected component always has a cycle


def test_the_package_has_no_import_cycles():
    cycles = find_cycles(import_graph())
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(cycle) for cycle in cycles)


def test_the_graph_sees_real_edges():
    graph = import_graph()
    assert "computelimits.flops.count" in graph["computelimits.flops"]
    assert "computelimits.flops.models" in graph["computelimits.flops.graph"]
    assert len(graph) > 50


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        ({"a": "from . import b\n", "b": "import computelimits.a\n"}, [["a", "b", "a"]]),
        ({"a": "def f():\n    from . import b\n", "b": "from .a import x\n"}, []),
        (
            {
                "a": "from .b import x\n",
                "b": "from .c import y\n",
                "c": "try:\n    from .a import z\nexcept ImportError:\n    pass\n",
            },
            [["a", "b", "c", "a"]],
        ),
        (
            {
                "a": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import x\n",
                "b": "from .a import y\n",
            },
            [],
        ),
    ],
)
def test_cycles_are_found_and_named(tmp_path, sources, expected):
    package = tmp_path / PACKAGE
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name, text in sources.items():
        (package / f"{name}.py").write_text(text)
    cycles = [[node.rsplit(".", 1)[-1] for node in cycle] for cycle in find_cycles(import_graph(package))]
    assert cycles == expected
