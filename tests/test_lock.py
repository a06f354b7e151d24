"""requirements.lock: production installs from it, so every dependency in pyproject.toml must be in it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)", re.MULTILINE)


def _locked() -> dict[str, str]:
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    return {canonicalize_name(name): version for name, version in PIN.findall(text)}


def test_every_dependency_is_locked_at_a_version_it_allows() -> None:
    """Fails when someone adds or changes a dependency without running bin/lock."""
    locked = _locked()
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    problems = []
    for line in declared:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        if name not in locked:
            problems.append(f"{requirement.name} is not in requirements.lock")
        elif not requirement.specifier.contains(locked[name], prereleases=True):
            problems.append(f"{requirement.name}=={locked[name]} does not satisfy {requirement.specifier}")
        for extra in requirement.extras:
            # psycopg[binary] pulls psycopg-binary: the lock must carry the extra's packages too.
            if name == "psycopg" and extra == "binary" and "psycopg-binary" not in locked:
                problems.append("psycopg-binary (psycopg[binary]) is not in requirements.lock")
    assert problems == [], "run bin/lock and commit requirements.lock: " + "; ".join(problems)


def test_every_pin_carries_hashes() -> None:
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[-1])
    pinned = [block for block in blocks if PIN.match(block)]
    assert pinned and all("--hash=sha256:" in block for block in pinned)
