"""The layers of cnnlib point one way, and coursetools uses only cnnlib's public names.

Every import is counted, those inside functions too (a lazy import is still a dependency). The
table ``MAY_IMPORT`` is the architecture: data, images and ops at the bottom; trainable layers,
plots and the checks above them; the widgets on top; instructor tooling (coursetools) apart.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ANSWERS = {
    "pixels",
    "colour",
    "outputs",
    "convolution",
    "nonlinearity",
    "pooling",
    "filterbanks",
    "deep_stacks",
    "learning",
}

# part of cnnlib -> the parts it may import (besides itself)
MAY_IMPORT: dict[str, set[str]] = {
    "guard": set(),
    "notebook": set(),
    "writing": set(),
    "data": {"guard"},
    "ops": {"guard"},
    **{answers: {"guard", "data", "ops"} for answers in ANSWERS},
    "gradcheck": {"guard"},
    "losses": set(),
    "optim": set(),
    "layers": {"ops"},
    "plots": {"data", "ops", "notebook", "writing"},
    "train": {"layers", "losses", "optim", "notebook", "plots"},
    # lesson 10's answers look at trained networks: layers, training, lesson 08's fields
    "seeing": {"guard", "data", "ops", "layers", "train", "deep_stacks"},
    "checks": {"guard", "data", "ops", "writing", "notebook", "gradcheck", *ANSWERS, "layers", "seeing"},
    "widgets": {"data", "ops", "notebook", "writing", "plots", "checks", "deep_stacks", "layers", "seeing"},
}


def _name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(name: str) -> bool:
    path = REPO / name.replace(".", "/")
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _imports(path: Path) -> set[str]:
    """The modules of this repository that the file at ``path`` imports, anywhere in it."""
    module = _name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:  # `from . import explain` imports a module
                candidate = f"{source}.{alias.name}"
                found.add(candidate if _is_module(candidate) else source)
    return {name for name in found if name.split(".")[0] in ("cnnlib", "coursetools") and name != module}


def _graph(top: str) -> dict[str, set[str]]:
    graph = {}
    for path in sorted((REPO / top).rglob("*.py")):
        module = _name(path)
        edges = set()
        for imported in _imports(path):
            edges.add(imported)
            parts = imported.split(".")
            for i in range(1, len(parts)):  # importing a.b.c runs a.b's __init__ first
                parent = ".".join(parts[:i])
                if not module.startswith(parent + ".") and parent != module:
                    edges.add(parent)
        graph[module] = edges
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle as a list of modules, or [] when there is none."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node], _ = 1, stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        stack.pop()
        return []

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return []


def _part(module: str) -> str:
    return module.split(".")[1] if "." in module else ""


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) == []


@pytest.mark.parametrize("top", ["cnnlib", "coursetools"])
def test_no_module_imports_itself_round_a_circle(top):
    assert _cycle(_graph(top)) == []


def test_every_part_of_cnnlib_imports_only_the_parts_below_it():
    graph = _graph("cnnlib")
    parts = {_part(m) for m in graph if _part(m)}
    assert parts == set(MAY_IMPORT), "a new part of cnnlib: say in MAY_IMPORT what it may import"
    wrong = sorted(
        f"{module} imports {imported}"
        for module, edges in graph.items()
        for imported in edges
        if _part(module)
        and _part(imported) != _part(module)
        and imported != "cnnlib"
        and _part(imported) not in MAY_IMPORT[_part(module)]
    )
    assert wrong == []


def test_cnnlib_never_imports_the_instructor_tooling():
    assert not [m for m, edges in _graph("cnnlib").items() if any(e.startswith("coursetools") for e in edges)]


def test_coursetools_uses_only_cnnlibs_public_names():
    private = []
    for path in sorted((REPO / "coursetools").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("cnnlib"):
                module = importlib.import_module(node.module)
                public = set(getattr(module, "__all__", ()))
                for alias in node.names:
                    if not _is_module(f"{node.module}.{alias.name}") and alias.name not in public:
                        private.append(f"{path.name}: from {node.module} import {alias.name}")
            elif (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                if isinstance(node.value, ast.Name) and node.value.id in (
                    "guard",
                    "checks",
                    "runner",
                    "cnnlib",
                ):
                    private.append(f"{path.name}: {node.value.id}.{node.attr}")
    assert private == []
