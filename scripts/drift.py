"""The notebooks against the newest releases (``make drift``; not part of ``make test``).

The pinned run cannot see a new PyTorch, numpy or matplotlib. This builds a separate environment,
``.venv-drift``, with the newest release of every package of the reader's set (requirements.txt,
names only, pins dropped) plus the test runner, runs strict nbval there with the one line that
names the PyTorch version normalised, and prints what moved: each package whose newest release
differs from its pin, then each cell whose stored output the newest releases change, with the
first lines of the difference. Exit status 0 when nothing changed, 1 when something did.

Usage: python scripts/drift.py [--keep] [NOTEBOOK ...]
  --keep   reuse .venv-drift as it is (no upgrade), e.g. to rerun after editing a notebook
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import venv
import xml.etree.ElementTree as ET
from pathlib import Path

from notebook_env import NBVAL_ARGS, NOTEBOOKS, ROOT, SANITIZE, apply_kernel_env

DRIFT_VENV = ROOT / ".venv-drift"
RUNNER = ["pytest", "pytest-xdist", "nbclient", "nbformat"]
# The setup cell prints "torch 2.13.0 | seed 0 | 1 thread": the version is what drift changes on purpose.
VERSION_LINE = r"""
[torch_version]
regex: torch \d+\.\d+\.\d+\S* \|
replace: torch VERSION |
"""


def pins(path: Path = ROOT / "requirements.txt") -> dict[str, str]:
    """name -> pinned version of every ``name==version`` line."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"\s*([A-Za-z0-9_.-]+)==(\S+)\s*", line.split("#")[0])
        if match:
            found[match.group(1).lower()] = match.group(2)
    return found


def build(python: Path, names: list[str]) -> None:
    if not python.exists():
        venv.create(DRIFT_VENV, with_pip=True)
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--upgrade"]
    subprocess.run([*pip, *names, *RUNNER], check=True)
    subprocess.run([*pip[:-1], "--no-deps", "-e", str(ROOT)], check=True)


def installed(python: Path, names: list[str]) -> dict[str, str]:
    code = (
        "import importlib.metadata as m, json, sys\n"
        "print(json.dumps({n: m.version(n) for n in sys.argv[1:]}))"
    )
    out = subprocess.run([str(python), "-c", code, *names], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def changed_cells(report: Path) -> list[tuple[str, str]]:
    """(test id, first lines of nbval's message) of every failed cell in a JUnit report."""
    failed = []
    for case in ET.parse(report).getroot().iter("testcase"):
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        if problem is not None:
            text = (problem.get("message") or "") + "\n" + (problem.text or "")
            lines = [ln for ln in re.sub(r"\x1b\[[0-9;]*m", "", text).splitlines() if ln.strip()]
            notes = [ln.strip() for ln in lines if re.search(r"mismatch|Unexpected output|Missing output", ln)]
            diff = notes[:2] + [ln for ln in lines if ln.lstrip().startswith(("- ", "+ "))][:6]
            diff = diff or lines[:6]
            failed.append((f"{case.get('classname')}::{case.get('name')}", "\n".join(diff)))
    return failed


def main(argv: list[str]) -> int:
    keep = "--keep" in argv
    paths = [a for a in argv if a != "--keep"] or [str(NOTEBOOKS)]
    python = DRIFT_VENV / "bin" / "python"
    wanted = pins()
    if not (keep and python.exists()):
        build(python, sorted(wanted))
    versions = installed(python, sorted(wanted))
    moved = {n: (wanted[n], v) for n, v in versions.items() if v.split("+")[0] != wanted[n]}
    print("drift: newest releases against the pins of requirements.txt")
    for name in sorted(wanted):
        mark = "  (pinned " + wanted[name] + ")" if name in moved else ""
        print(f"  {name:12s} {versions[name]}{mark}")

    with tempfile.TemporaryDirectory() as tmp:
        sanitize = Path(tmp) / "sanitize.cfg"
        sanitize.write_text(SANITIZE.read_text(encoding="utf-8") + VERSION_LINE, encoding="utf-8")
        report = Path(tmp) / "report.xml"
        args = [a if not a.startswith("--nbval-sanitize-with=") else f"--nbval-sanitize-with={sanitize}"
                for a in NBVAL_ARGS]
        env = dict(os.environ)
        apply_kernel_env(env)
        env["PATH"] = f"{python.parent}{os.pathsep}{env.get('PATH', '')}"  # kernels start the drift python
        subprocess.call([str(python), "-m", "pytest", *args, "-q", f"--junitxml={report}", *paths],
                        cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        if not report.exists():
            print("drift: nbval did not run (no report)", file=sys.stderr)
            return 2
        failed = changed_cells(report)

    if not failed:
        print("drift: every stored output is unchanged under the newest releases")
        return 0
    print(f"drift: {len(failed)} cells show something else under the newest releases:")
    for test_id, diff in failed:
        print(f"\n{test_id}\n{diff}")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
