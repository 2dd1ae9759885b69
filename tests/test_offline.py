"""scripts/offline.py runs a command in a network namespace that has loopback and nothing else."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

OFFLINE = ROOT / "scripts" / "offline.py"
CAN = hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("unshare") and shutil.which("ip")


@pytest.fixture(autouse=True)
def needs_namespaces():
    if not CAN:
        reason = "network namespaces need root, unshare and ip"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI requires the offline run")
        pytest.skip(reason)


def _inside(*command: str) -> str:
    result = subprocess.run([sys.executable, str(OFFLINE), *command], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_only_loopback_exists_and_it_is_up():
    links = _inside("ip", "-o", "link", "show").splitlines()
    names = [line.split(":")[1].strip() for line in links[1:]]  # first line: offline.py's notice
    assert names == ["lo"]
    assert "UP" in links[1]


def test_there_is_no_route_out():
    assert _inside("ip", "route", "show").splitlines()[1:] == []


def test_loopback_still_works_for_kernels():
    code = (
        "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(); "
        "c = socket.create_connection(s.getsockname()); print('loopback ok')"
    )
    assert _inside(sys.executable, "-c", code).splitlines()[-1] == "loopback ok"


def test_exit_code_of_the_command_is_passed_on():
    result = subprocess.run([sys.executable, str(OFFLINE), sys.executable, "-c", "raise SystemExit(3)"])
    assert result.returncode == 3
