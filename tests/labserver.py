"""Start ``scripts/lab.py`` (what ``make lab`` runs) on a free port and read the token it prints."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
URL_RE = re.compile(r"http://127\.0\.0\.1:(\d+)/lab\?token=([0-9a-f]+)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stale_jupyter_config(prefix: Path = Path(sys.prefix)) -> list[str]:
    """The files of jupyter/ whose installed copy in ``prefix`` (the venv) is missing or differs.

    ``make lab`` runs JupyterLab with the installed copies (scripts/install_jupyter_config.py); a test
    of the copies proves the repository's files only while the two agree.
    """
    from install_jupyter_config import SOURCE, TARGETS  # scripts/ is on sys.path (tests/conftest.py)

    stale = []
    for name, target in TARGETS.items():
        installed = prefix / target / Path(name).name
        if not installed.is_file() or installed.read_bytes() != (SOURCE / name).read_bytes():
            stale.append(f"jupyter/{name}")
    return stale


def http_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


class LabServer:
    """A JupyterLab started exactly as ``make lab`` starts it, plus ``extra`` arguments."""

    def __init__(self, tmp: Path, extra: list[str] | None = None, env: dict[str, str] | None = None):
        self.port = free_port()
        self.log: list[str] = []
        runtime = tmp / "runtime"
        runtime.mkdir(parents=True, exist_ok=True)
        full_env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime), **(env or {})}
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "scripts" / "lab.py"), "--no-browser", f"--port={self.port}",
             "--ServerApp.port_retries=0", *(extra or [])],
            cwd=ROOT, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        self.token = self._wait_for_token()
        self.base = f"http://127.0.0.1:{self.port}"

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.log.append(line)

    def _wait_for_token(self, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.log):
                match = URL_RE.search(line)
                if match and int(match.group(1)) == self.port:
                    return match.group(2)
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("JupyterLab did not print its URL:\n" + "".join(self.log))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
