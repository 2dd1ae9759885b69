"""Run a command with no network at all: in a fresh network namespace that has only loopback.

``make test`` runs the notebooks through this, so a notebook or test that reaches for the network
fails instead of quietly depending on it. Creating the namespace needs root, ``unshare`` (util-linux)
and ``ip`` (iproute2). Where they are missing the command runs with the network and a printed
notice, unless the environment variable CI is set: then that is an error.

Usage: python scripts/offline.py COMMAND [ARG ...]
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys


def _inside(argv: list[str]) -> int:
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    links = subprocess.run(["ip", "-o", "link", "show"], check=True, capture_output=True, text=True).stdout
    names = sorted(line.split(":")[1].strip().split("@")[0] for line in links.splitlines() if line.strip())
    routes = subprocess.run(["ip", "route", "show"], check=True, capture_output=True, text=True).stdout.strip()
    if names != ["lo"] or routes:
        print(f"offline: expected only loopback, found interfaces {names} and routes {routes!r}", file=sys.stderr)
        return 2
    print("offline: running in a network namespace with loopback only (no routes)", flush=True)
    os.execvp(argv[0], argv)
    return 0  # not reached


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--inside":
        return _inside(argv[1:])
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    can = hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("unshare") and shutil.which("ip")
    if can:
        return subprocess.call(["unshare", "--net", "--", sys.executable, __file__, "--inside", *argv])
    reason = "offline: cannot create a network namespace (needs root, unshare and ip)"
    if os.environ.get("CI"):
        print(f"{reason}; CI requires the offline run", file=sys.stderr)
        return 2
    print(f"{reason}; running WITH the network", file=sys.stderr, flush=True)
    return subprocess.call(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
