"""environment.yml (conda) and pyproject.toml (pip) describe the same environment."""

import re
import tomllib

import yaml

from tests.conftest import REPO


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _split(requirements):
    return {_name(r): r.replace(" ", "")[len(_name(r)) :] for r in requirements}


def test_conda_and_pip_dependencies_agree():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    pip_side = _split(project["dependencies"] + project["optional-dependencies"]["dev"])
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    conda_side = _split(d for d in conda if _name(d) not in {"python", "pip"})
    assert conda_side == pip_side  # same packages, same version bounds
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip_section == ["-e ."]
    python = next(d for d in conda if _name(d) == "python")
    assert python.replace("python", "") == project["requires-python"]
