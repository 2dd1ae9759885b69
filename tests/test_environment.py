"""The two package sets (README, "Requirements"), stated once each, and their agreement.

- requirements.txt: the reader's set, exact pip pins; environment.yml (Binder, conda-forge) names the
  same packages at the same versions, by their conda-forge names.
- requirements-dev.txt: the maintainer's tools on top (it includes requirements.txt); none of them
  is in environment.yml, so a tool missing on conda-forge cannot break a reader's Binder launch.
"""

from __future__ import annotations

import os
import re
import tomllib

import pytest
import yaml

from conftest import ROOT

# pip name -> conda-forge name, where they differ. On conda-forge, `playwright` is the Node.js tool
# and `torch`/`matplotlib` are not the packages a reader wants (matplotlib pulls in Qt).
CONDA_NAMES = {"torch": "pytorch", "matplotlib": "matplotlib-base", "playwright": "playwright-python"}
READER_SET = {"torch", "numpy", "matplotlib", "ipywidgets", "ipykernel", "jupyterlab", "nbval"}
PIN = re.compile(r"([A-Za-z0-9_.-]+)==([0-9][A-Za-z0-9.]*)")


def _pins(name: str) -> tuple[dict[str, str], list[str]]:
    """(name -> version, included files) of a requirements file; every other line is an error."""
    pins, includes = {}, []
    for line in (ROOT / name).read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        if line.startswith("-r "):
            includes.append(line[3:].strip())
            continue
        match = PIN.fullmatch(line)
        assert match, f"{name}: {line!r} is not an exact pin 'name==version'"
        pins[match.group(1).lower()] = match.group(2)
    return pins, includes


def _environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def _conda_pins() -> dict[str, tuple[str, str | None]]:
    pins = {}
    for dep in _environment()["dependencies"]:
        assert isinstance(dep, str), f"environment.yml: pip-only packages are not expected, got {dep!r}"
        parts = dep.split("=")
        pins[parts[0].lower()] = (parts[1] if len(parts) > 1 else "", parts[2] if len(parts) > 2 else None)
    return pins


READER, _ = _pins("requirements.txt")
TOOLS, TOOLS_INCLUDE = _pins("requirements-dev.txt")


def test_reader_set_is_what_reading_and_running_the_notebooks_needs():
    assert set(READER) == READER_SET


def test_requirements_pin_torch_exactly():
    assert READER["torch"] == "2.13.0"


def test_maintainer_set_builds_on_the_reader_set_without_repeating_it():
    assert TOOLS_INCLUDE == ["requirements.txt"]
    assert not set(TOOLS) & set(READER), "a package pinned in both files"


def test_environment_uses_conda_forge_only_and_python_311():
    env = _environment()
    assert env["channels"] == ["conda-forge", "nodefaults"]
    assert _conda_pins()["python"][0] == "3.11"


def test_environment_asks_for_the_cpu_build_of_pytorch():
    version, build = _conda_pins()["pytorch"]
    assert build is not None and build.startswith("cpu_"), "pin pytorch=<version>=cpu_* (no CUDA on Binder)"


@pytest.mark.parametrize("name", sorted(READER))
def test_every_reader_package_is_in_environment_yml_at_the_same_version(name):
    conda = _conda_pins()
    conda_name = CONDA_NAMES.get(name, name)
    assert conda_name in conda, f"{name} (conda-forge: {conda_name}) is missing from environment.yml"
    assert conda[conda_name][0] == READER[name], f"{conda_name}: environment.yml and requirements.txt differ"


def test_environment_yml_holds_the_reader_set_and_nothing_else():
    expected = {CONDA_NAMES.get(n, n) for n in READER} | {"python", "pip"}
    assert set(_conda_pins()) == expected


@pytest.mark.parametrize("pip_name", sorted(CONDA_NAMES))
def test_environment_yml_never_uses_a_pip_name_that_means_something_else_on_conda_forge(pip_name):
    assert pip_name not in _conda_pins(), f"conda-forge calls it {CONDA_NAMES[pip_name]!r}, not {pip_name!r}"


def test_no_maintainer_tool_is_in_environment_yml():
    conda = _conda_pins()
    assert not {CONDA_NAMES.get(n, n) for n in TOOLS} & set(conda)


def test_postbuild_installs_the_repo_without_dependencies_the_lab_settings_and_the_font_cache():
    post_build = ROOT / "postBuild"
    assert os.access(post_build, os.X_OK), "postBuild must be executable (git update-index --chmod=+x)"
    text = post_build.read_text()
    assert re.search(r"pip install --no-deps .*-e \.", text)
    assert "scripts/install_jupyter_config.py" in text
    assert 'python -c "import matplotlib.pyplot"' in text, "build the font cache before any notebook runs"


def test_package_declares_no_dependencies_so_installing_it_cannot_replace_torch():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["dependencies"] == []


def test_the_jupyterlab_settings_install_into_a_prefix(tmp_path):
    import json
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from install_jupyter_config import install

    written = {p.relative_to(tmp_path).as_posix() for p in install(tmp_path)}
    assert written == {"share/jupyter/lab/settings/overrides.json", "etc/jupyter/jupyter_lab_config.json"}
    overrides = json.loads((tmp_path / "share/jupyter/lab/settings/overrides.json").read_text())
    assert overrides["@jupyterlab/apputils-extension:notification"] == {"fetchNews": "false", "checkForUpdates": False}
    assert json.loads((tmp_path / "etc/jupyter/jupyter_lab_config.json").read_text())["LabApp"]["news_url"] is None
