"""The package as pip installs it: every module found, every run-time import declared."""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# import name -> distribution name, where they differ
DISTRIBUTIONS = {"skimage": "scikit-image", "sklearn": "scikit-learn", "PIL": "pillow", "IPython": "ipython"}


def _imports(package: str) -> set[str]:
    found = set()
    for path in (REPO / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {name for name in found if name not in sys.stdlib_module_names and name != package}


def _declared(extra: str | None = None) -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + (project["optional-dependencies"][extra] if extra else [])
    return {r.split(">")[0].split("<")[0].split("=")[0].split("[")[0].strip().lower() for r in requirements}


def test_every_third_party_import_of_cnnlib_is_a_declared_dependency():
    used = {DISTRIBUTIONS.get(name, name) for name in _imports("cnnlib")}
    assert used, "found no imports at all?"
    assert used <= _declared(), f"imported but not declared in pyproject.toml: {used - _declared()}"


def test_coursetools_imports_are_declared_as_the_instructor_extra():
    used = {DISTRIBUTIONS.get(name, name) for name in _imports("coursetools")} - {"cnnlib", "traitlets"}
    assert used <= _declared("instructor"), used - _declared("instructor")


def test_setuptools_discovers_every_package_with_code():
    from setuptools import find_packages

    found = set(find_packages(str(REPO), include=["cnnlib*", "coursetools*"]))
    on_disk = {
        ".".join(p.parent.relative_to(REPO).parts)
        for p in REPO.glob("*/**/__init__.py")
        if p.parts[len(REPO.parts)] in ("cnnlib", "coursetools")
    }
    assert found == on_disk and {"cnnlib", "cnnlib.checks", "coursetools"} <= found


def test_every_grading_module_has_its_own_unit_test_file():
    modules = {p.stem for p in (REPO / "coursetools" / "grading").glob("*.py") if p.stem != "__init__"}
    tested = {p.stem.removeprefix("test_") for p in (REPO / "tests" / "grading").glob("test_*.py")}
    assert modules - tested == set(), "tests/grading/test_<module>.py missing"
