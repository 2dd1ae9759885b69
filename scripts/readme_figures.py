"""Write the README's pictures, notebooks/figures/*.png, from the notebooks' own stored figures.

Each picture is the PNG output of one code cell, found by a piece of its source, as `make execute`
last produced it; `make execute` runs this script afterwards, and tests/test_readme_figures.py
checks that the committed files still equal those outputs.

Usage: python scripts/readme_figures.py [--check]
"""

from __future__ import annotations

import base64
import json
import sys

from notebook_env import NOTEBOOKS

FIGURES = NOTEBOOKS / "figures"
# file name -> (notebook, a piece of the source of the cell that draws it)
SOURCES = {
    "relu_family.png": ("02_activations.ipynb", 'title="The ReLU family"'),
    "bce_against_logit.png": ("06_binary_losses.ipynb", 'title="binary cross-entropy against the logit"'),
}


def stored_png(notebook: str, marker: str) -> bytes:
    nb = json.loads((NOTEBOOKS / notebook).read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if c["cell_type"] == "code" and marker in "".join(c["source"])]
    if len(cells) != 1:
        raise SystemExit(f"{notebook}: expected one code cell containing {marker!r}, found {len(cells)}")
    images = [o["data"]["image/png"] for o in cells[0].get("outputs", []) if "image/png" in o.get("data", {})]
    if not images:
        raise SystemExit(f"{notebook}: the cell containing {marker!r} has no PNG output; run make execute")
    data = images[0]
    return base64.b64decode("".join(data) if isinstance(data, list) else data)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    FIGURES.mkdir(exist_ok=True)
    stale = []
    for name, (notebook, marker) in SOURCES.items():
        png = stored_png(notebook, marker)
        path = FIGURES / name
        if check:
            if not path.exists() or path.read_bytes() != png:
                stale.append(name)
        else:
            path.write_bytes(png)
            print(f"wrote {path.relative_to(NOTEBOOKS.parent)} from {notebook}")
    if stale:
        print(f"stale README figures: {stale}; run python scripts/readme_figures.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
