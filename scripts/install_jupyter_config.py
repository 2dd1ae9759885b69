"""Install the series' JupyterLab settings into the environment of the running Python.

The files live in jupyter/ at the repository root; both `make lab` (through the Makefile's
bootstrap of .venv) and Binder (postBuild) run this, so a learner sees the same quiet JupyterLab
in both places: no news pop-up, no update check (the news feed and the update check are the only
requests JupyterLab makes to the web by itself).

  jupyter/lab/settings/overrides.json          -> <prefix>/share/jupyter/lab/settings/overrides.json
  jupyter/jupyter_lab_config.json              -> <prefix>/etc/jupyter/jupyter_lab_config.json

Usage: python scripts/install_jupyter_config.py
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "jupyter"
TARGETS = {
    "lab/settings/overrides.json": Path("share/jupyter/lab/settings"),  # front-end settings' defaults
    "jupyter_lab_config.json": Path("etc/jupyter"),  # the server side of JupyterLab (LabApp)
}


def install(prefix: Path = Path(sys.prefix)) -> list[Path]:
    written = []
    for name, target in TARGETS.items():
        source = SOURCE / name
        destination = prefix / target / source.name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
        written.append(destination)
    return written


def main() -> int:
    for path in install():
        print(f"installed {path.relative_to(sys.prefix)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
