"""requirements.txt (pip) and environment.yml (conda/Binder) name the same packages at the same versions."""

from __future__ import annotations

import os
import re
import tomllib

import pytest
import yaml

from conftest import ROOT

# pip name -> conda-forge name, where they differ
CONDA_NAMES = {"torch": "pytorch", "matplotlib": "matplotlib-base"}


def _requirements() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)==([0-9][A-Za-z0-9.]*)", line)
        assert match, f"requirements.txt: {line!r} is not an exact pin 'name==version'"
        pins[match.group(1).lower()] = match.group(2)
    return pins


def _environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def _conda_pins() -> dict[str, tuple[str, str | None]]:
    pins = {}
    for dep in _environment()["dependencies"]:
        assert isinstance(dep, str), f"environment.yml: pip-only packages are not expected, got {dep!r}"
        parts = dep.split("=")
        pins[parts[0].lower()] = (parts[1] if len(parts) > 1 else "", parts[2] if len(parts) > 2 else None)
    return pins


def test_requirements_pin_torch_exactly():
    assert _requirements()["torch"] == "2.13.0"


def test_environment_uses_conda_forge_only_and_python_311():
    env = _environment()
    assert env["channels"] == ["conda-forge", "nodefaults"]
    assert _conda_pins()["python"][0] == "3.11"


def test_environment_asks_for_the_cpu_build_of_pytorch():
    version, build = _conda_pins()["pytorch"]
    assert build is not None and build.startswith("cpu_"), "pin pytorch=<version>=cpu_* (no CUDA on Binder)"


@pytest.mark.parametrize("name", sorted(_requirements()))
def test_every_requirement_is_in_environment_yml_at_the_same_version(name):
    conda = _conda_pins()
    conda_name = CONDA_NAMES.get(name, name)
    assert conda_name in conda, f"{name} (conda: {conda_name}) is missing from environment.yml"
    assert conda[conda_name][0] == _requirements()[name], f"{conda_name}: versions differ"


def test_environment_yml_has_nothing_requirements_txt_lacks():
    expected = {CONDA_NAMES.get(n, n) for n in _requirements()} | {"python", "pip"}
    assert set(_conda_pins()) == expected


def test_postbuild_is_executable_and_installs_the_repo_without_dependencies():
    post_build = ROOT / "postBuild"
    assert os.access(post_build, os.X_OK), "postBuild must be executable (git update-index --chmod=+x)"
    assert re.search(r"pip install --no-deps .*-e \.", post_build.read_text())


def test_package_declares_no_dependencies_so_installing_it_cannot_replace_torch():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["dependencies"] == []
