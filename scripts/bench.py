"""``make bench``: per-notebook execution time and kernel peak memory, suite time over the floor.

Each notebook runs in a fresh kernel with the settings nbval uses (notebook_env.py); its time runs
from the kernel's start to the end of its last cell, and its peak memory is the kernel process's
peak resident set size (VmHWM). The *floor* is the same measurement for a kernel that only imports
torch, matplotlib and helpers and calls setup_notebook(): one floor kernel per notebook, alternated
with the notebooks in the same run so that both see the same machine load. Loss-function timings
(scripts/bench_focal.py) follow when that script exists, then the time ``make site`` takes to build
the website and the site's size (scripts/build_site.py; budget 60 s).

The results table is printed and written into README.md between the bench markers.
Budgets (../shared/DESIGN.md): 10 s per notebook, suite / floor <= 2.0, 600 MB peak per kernel.

Usage: python scripts/bench.py [NOTEBOOK ...] [--no-readme]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import platform
import re
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import torch

from execute_notebooks import client_for
from notebook_env import NOTEBOOKS, ROOT, apply_kernel_env, notebook_paths

TIME_BUDGET_S = 10.0
SITE_BUDGET_S = 60.0
RATIO_BUDGET = 2.0
MEMORY_BUDGET_MB = 600.0
README = ROOT / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
FLOOR_SOURCE = "import matplotlib.pyplot as plt\nimport torch\n\nimport helpers\n\nhelpers.setup_notebook()"


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


def run_notebook(nb: nbformat.NotebookNode) -> tuple[float, float]:
    """Execute ``nb`` in a fresh kernel; return (seconds from kernel start to last cell, peak MB)."""
    client = client_for(nb, NOTEBOOKS)
    start = time.perf_counter()
    with client.setup_kernel():
        pid = client.km.provisioner.process.pid
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        elapsed = time.perf_counter() - start
        peak = _peak_rss_mb(pid)
    return elapsed, peak


def floor_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(FLOOR_SOURCE)]
    return nb


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = re.findall(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), flags=re.M)
        if names:
            cpu = names[0].strip()
    mem = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo.read_text()).group(1))
        mem = f", {kb / 1024**2:.0f} GiB RAM"
    return (
        f"{cpu}, {os.cpu_count()} cores{mem}; {platform.system()} {platform.machine()}; "
        f"Python {platform.python_version()}, torch {torch.__version__.split('+')[0]}; kernels on 1 thread"
    )


def loss_table(script: str) -> str | None:
    """A loss benchmark's table (scripts/<script>.py: run() and markdown_table()), if the script exists:
    bench_focal (helpers.focal_loss against the inline expression), bench_diagnose (diagnose_loss
    against the loss's own forward)."""
    path = ROOT / "scripts" / f"{script}.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location(script, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.markdown_table(module.run())


def site_line() -> tuple[str, float]:
    """Build the site as ``make site`` does (scripts/build_site.py, into a temporary folder, so build/site
    is left alone); return the line for the results and the seconds it took."""
    from build_site import build_site, site_size

    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        out = Path(tmp) / "site"
        seconds = build_site(out)
        files, size = site_size(out)
    flag = "" if seconds <= SITE_BUDGET_S else " ⚠"
    return (f"Site (`make site`): built in {seconds:.1f} s{flag} (budget {SITE_BUDGET_S:.0f}); "
            f"{files} files, {size / 2**20:.1f} MB."), seconds


def table(rows: list[dict], floor_total: float, suite_total: float, focal: str | None,
          diagnose: str | None = None) -> str:
    ratio = suite_total / floor_total
    lines = [
        f"Measured by `make bench` on {dt.date.today().isoformat()}: {machine()}.",
        "",
        f"| notebook | time (s), budget {TIME_BUDGET_S:.0f} | peak memory (MB), budget {MEMORY_BUDGET_MB:.0f} | floor kernel (s) |",
        "|---|---:|---:|---:|",
    ]
    for r in rows:
        flag_t = "" if r["time"] <= TIME_BUDGET_S else " ⚠"
        flag_m = "" if r["peak"] <= MEMORY_BUDGET_MB else " ⚠"
        lines.append(f"| `{r['name']}` | {r['time']:.1f}{flag_t} | {r['peak']:.0f}{flag_m} | {r['floor']:.1f} |")
    lines += [
        "",
        f"Suite: {suite_total:.1f} s for {len(rows)} notebooks; floor ({len(rows)} kernels that only import "
        f"torch, matplotlib and helpers): {floor_total:.1f} s; ratio **{ratio:.2f}** (budget {RATIO_BUDGET:.1f}).",
    ]
    if focal:
        lines += [
            "",
            "Loss-function timings (forward + backward, median of interleaved rounds; budget: within 1.1x of",
            "the inline fused expression):",
            "",
            focal,
        ]
    if diagnose:
        lines += [
            "",
            "`helpers.diagnose_loss` on one batch of 1,000,000 elements against the loss's own forward",
            "(median of interleaved rounds, 1 thread; budget: at most 3x):",
            "",
            diagnose,
        ]
    return "\n".join(lines)


def write_readme(text: str, rows: list[dict]) -> None:
    """Put the table between the bench markers and each notebook's time in the index's last column."""
    readme = README.read_text(encoding="utf-8")
    for r in rows:
        number = r["name"][:2]
        readme = re.sub(
            rf"^(\| {number} \| \[[^\n]*\| )[^|\n]*(\|)$",
            lambda m, t=r["time"]: f"{m.group(1)}{t:.0f} s {m.group(2)}",
            readme,
            flags=re.M,
        )
    if START not in readme or END not in readme:
        print(f"README.md has no {START} ... {END} section; table not written", file=sys.stderr)
        return
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*")
    parser.add_argument("--no-readme", action="store_true", help="print only; do not update README.md")
    args = parser.parse_args(argv)
    apply_kernel_env()
    paths = notebook_paths(args.notebooks)
    run_notebook(floor_notebook())  # warm the file cache once; not counted
    rows = []
    for path in paths:
        floor_time, _ = run_notebook(floor_notebook())
        elapsed, peak = run_notebook(nbformat.read(path, as_version=4))
        rows.append({"name": path.name, "time": elapsed, "peak": peak, "floor": floor_time})
        print(f"{path.name}: {elapsed:.1f} s, {peak:.0f} MB (floor kernel {floor_time:.1f} s)", flush=True)
    floor_total = sum(r["floor"] for r in rows)
    suite_total = sum(r["time"] for r in rows)
    text = table(rows, floor_total, suite_total, loss_table("bench_focal"), loss_table("bench_diagnose"))
    site, site_seconds = site_line()
    text = f"{text}\n\n{site}"
    print()
    print(text)
    if not args.notebooks and not args.no_readme:
        write_readme(text, rows)
    over = [r["name"] for r in rows if r["time"] > TIME_BUDGET_S or r["peak"] > MEMORY_BUDGET_MB]
    if site_seconds > SITE_BUDGET_S:
        over.append("make site")
    if over or suite_total / floor_total > RATIO_BUDGET:
        print(f"\nbudget missed: {', '.join(over) or 'suite/floor ratio'} (reported, not enforced)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
