"""One locked environment: requirements.lock (exact versions with hashes) is generated from
pyproject.toml; `make` and environment.yml install it; one ruff version everywhere."""

import re
import tomllib

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.version import Version

from tests.conftest import REPO

LOCK = REPO / "requirements.lock"


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _project():
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _declared() -> dict[str, Requirement]:
    project = _project()
    requirements = [Requirement(r) for r in project["dependencies"]]
    requirements += [Requirement(r) for r in project["optional-dependencies"]["dev"]]
    return {_canonical(r.name): r for r in requirements}


def _lock_entries() -> list[dict]:
    """One entry per pinned requirement: name, version, marker, hashes, via (annotations)."""
    entries: list[dict] = []
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        pin = re.match(r"^([A-Za-z0-9_.-]+)==([^ ;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$", line)
        if pin:
            name, version, marker = pin.groups()
            entries.append(
                {"name": _canonical(name), "version": version, "marker": marker, "hashes": []}
            )
            entries[-1]["via"] = []
            continue
        assert not re.match(r"^[A-Za-z0-9]", line), f"requirements.lock: unpinned line {line!r}"
        if entries and (found := re.search(r"--hash=sha256:([0-9a-f]{64})", line)):
            entries[-1]["hashes"].append(found.group(1))
        elif entries and (via := re.search(r"#\s+(?:via\s+)?(.+)$", line)):
            entries[-1]["via"].append(via.group(1).strip())
    return entries


def test_every_locked_package_is_pinned_with_hashes():
    entries = _lock_entries()
    assert len(entries) > 50, "requirements.lock holds the whole environment, not a few packages"
    without = [e["name"] for e in entries if not e["hashes"]]
    assert not without, f"requirements.lock: no hash for {without}"


def test_lock_follows_pyproject():
    """Every dependency in pyproject.toml is locked at a version its bound allows, and what the
    lock names as coming from pyproject.toml is exactly that list (so `make lock` was run)."""
    declared = _declared()
    entries = _lock_entries()
    locked = {}
    for entry in entries:
        locked.setdefault(entry["name"], []).append(entry)
    for name, requirement in declared.items():
        assert name in locked, f"{name} is in pyproject.toml but not in requirements.lock"
        for entry in locked[name]:
            assert requirement.specifier.contains(Version(entry["version"]), prereleases=True), (
                f"requirements.lock pins {name}=={entry['version']}, outside {requirement}"
            )
    from_project = {e["name"] for e in entries if "botu (pyproject.toml)" in e["via"]}
    assert from_project == set(declared), "requirements.lock is stale: run `make lock`"


def test_environment_yml_installs_the_lock_and_nothing_else():
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    assert sorted(re.split(r"[=<>]", d)[0] for d in conda) == ["pip", "python"]
    python = next(d for d in conda if d.startswith("python"))
    lock_python = re.search(r"--python-version (\d+\.\d+)", (REPO / "Makefile").read_text())
    assert lock_python, "the Makefile's lock target names the Python it locks for"
    assert python == f"python={lock_python.group(1)}"
    assert Version(lock_python.group(1)) >= Version(_project()["requires-python"].lstrip(">="))
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip_section == ["--require-hashes", "-r requirements.lock"]


def test_make_installs_from_the_lock():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "LOCK := requirements.lock" in makefile
    install = re.search(r"^INSTALL = (.+?)\n\S", makefile, re.S | re.M)
    assert install, "the Makefile defines how the environment is installed"
    assert "--require-hashes -r $(LOCK)" in install.group(1)
    assert "--no-deps" in install.group(1)  # botu itself: its dependencies come from the lock
    assert "pip install --quiet -e" not in makefile  # nothing installed around the lock


def test_one_ruff_version_everywhere():
    pinned = str(_declared()["ruff"].specifier)
    assert pinned.startswith("=="), "pyproject.toml pins ruff exactly"
    version = pinned[2:]
    assert [e["version"] for e in _lock_entries() if e["name"] == "ruff"] == [version]
    hooks = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    ruff_hook = [r for r in hooks["repos"] if r["repo"].endswith("/ruff-pre-commit")]
    assert [r["rev"] for r in ruff_hook] == [f"v{version}"]


@pytest.mark.parametrize("package", ["pandas", "papermill", "nbconvert", "ruff", "pytest"])
def test_the_running_environment_is_the_locked_one(package):
    """The environment the tests run in was installed from the lock (not a stale one)."""
    from importlib.metadata import version

    locked = [e["version"] for e in _lock_entries() if e["name"] == package]
    assert version(package) in locked, f"{package} {version(package)} installed, lock: {locked}"
