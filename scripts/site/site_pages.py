"""The pages of the series' website, staged for Sphinx (scripts/build_site.py, ``make site``).

- ``Repository``: the one setting the launch, source and home links come from.
- Links: README.md's and the notebooks' Markdown links, rewritten for the site (README.md is the home
  page, other repository files are on GitHub, images are copied along).
- The home page: README.md's opening and its "Notebooks" section, then home.md, then the table of
  contents in series order.
- The notebook pages: each notebook with its stored outputs; an explorer widget keeps only its figure
  (``image/png``) and is followed by a note that says where to run it.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from series_site import jupyter_anchor

HOME_TEMPLATE = Path(__file__).resolve().parent / "home.md"
DEFAULT_BRANCH = "main"
HOME_SECTIONS = ("Notebooks",)
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


class SiteBuildError(RuntimeError):
    """The site is not built: a build warning, a page that loads from another site, no notebooks, or a
    README.md without the sections the home page is made of."""


@dataclass(frozen=True)
class Repository:
    """The GitHub repository the site's launch, source and home links point to."""

    owner: str
    name: str
    branch: str = DEFAULT_BRANCH

    @classmethod
    def parse(cls, text: str, branch: str = DEFAULT_BRANCH) -> Repository:
        """``'owner/name'`` (as in a GitHub URL) and a branch; anything else raises ValueError."""
        if not isinstance(text, str) or not isinstance(branch, str):
            raise TypeError(f"repository and branch must be str, got {type(text).__name__} and "
                            f"{type(branch).__name__}")
        parts = text.strip().split("/")
        if len(parts) != 2 or not all(NAME.fullmatch(p) for p in parts):
            raise ValueError(f"repository must be 'owner/name' (letters, digits, '-', '_', '.'), got {text!r}")
        if not branch or any(c in branch for c in " ?#\\") or branch.startswith("/"):
            raise ValueError(f"branch must be a git branch, tag or commit name, got {branch!r}")
        return cls(parts[0], parts[1], branch)

    @property
    def url(self) -> str:
        return f"https://github.com/{self.owner}/{self.name}"

    def binder_url(self, path: str) -> str:
        """mybinder.org opening ``path`` (relative to the repository's root) in JupyterLab."""
        return f"https://mybinder.org/v2/gh/{self.owner}/{self.name}/{self.branch}?urlpath=lab/tree/{path}"

    def source_url(self, path: str) -> str:
        return f"{self.url}/blob/{self.branch}/{path}"

    @property
    def pages_url(self) -> str:
        """Where GitHub Pages publishes the site (the workflow's deploy job)."""
        return f"https://{self.owner}.github.io/{self.name}/"


# --- Markdown links -------------------------------------------------------------------------------------

def link_targets(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, is_image) of the target of every inline Markdown link ``[text](target)`` in ``text``.

    Targets may hold balanced parentheses (JupyterLab's anchors do: ``#6d.-log(softmax(x))``)."""
    found = []
    for match in re.finditer(r"\]\(", text):
        start = end = match.end()
        depth = 1
        while end < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            end += 1
        if depth:
            continue
        opening = text.rfind("[", 0, match.start())
        found.append((start, end - 1, opening > 0 and text[opening - 1] == "!"))
    return found


def rewrite_links(text: str, rewrite: Callable[[str, bool], str]) -> str:
    """``text`` with each inline link target replaced by ``rewrite(target, is_image)``."""
    pieces, last = [], 0
    for start, end, is_image in link_targets(text):
        pieces += [text[last:start], rewrite(text[start:end], is_image)]
        last = end
    return "".join(pieces) + text[last:]


def heading_anchors(markdown: str) -> dict[str, str]:
    """GitHub's anchor of each heading of ``markdown`` (as README.md's links use) -> the site's anchor."""
    from myst_parser.slugs import github_slugify

    anchors = {}
    for line in markdown.splitlines():
        match = re.match(r"#{1,6} +(.+?) *#*$", line)
        if match:
            title = match.group(1).replace("`", "")
            anchors[github_slugify(title)] = jupyter_anchor(title)
    return anchors


@dataclass
class Stage:
    """Where the site's sources are staged, and what they contain."""

    root: Path  # the repository (README.md, notebooks/)
    src: Path  # Sphinx's source folder
    repository: Repository
    notebooks: tuple[str, ...]  # file names, series order
    home_anchors: dict[str, str]

    def rewrite(self, target: str, is_image: bool, folder: str) -> str:
        """A link target of a page in ``folder`` ('' or 'notebooks'), as the site needs it."""
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, flags=re.I) or target.startswith("#") or not target:
            return target
        path, _, anchor = target.partition("#")
        resolved = os.path.normpath(os.path.join(folder, path)).replace(os.sep, "/")
        if resolved == "README.md":
            home = os.path.relpath("index.md", folder or ".").replace(os.sep, "/")
            return f"{home}#{self.home_anchors.get(anchor, anchor)}" if anchor else home
        if resolved.startswith("notebooks/") and resolved[len("notebooks/"):] in self.notebooks:
            return target
        source = self.root / resolved
        if is_image and source.is_file():
            (self.src / resolved).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, self.src / resolved)
            return target
        if source.exists() and not resolved.startswith("../"):
            return self.repository.source_url(resolved) + (f"#{anchor}" if anchor else "")
        return target  # not in the repository: Sphinx reports the broken link and the build fails


# --- the home page --------------------------------------------------------------------------------------

def readme_sections(readme: str) -> tuple[str, dict[str, str]]:
    """README.md split into its opening (before the first ``## ``) and its ``## `` sections by title."""
    parts = re.split(r"^## +(.+?) *$", readme, flags=re.M)
    return parts[0], {title: body for title, body in zip(parts[1::2], parts[2::2], strict=True)}


def home_markdown(readme: str, notebooks: tuple[str, ...], repository: Repository) -> str:
    """The home page: README's opening and its Notebooks section, how to run, the table of contents."""
    opening, sections = readme_sections(readme)
    missing = [title for title in HOME_SECTIONS if title not in sections]
    if missing:
        raise SiteBuildError(f"README.md has no section(s) {missing}: the home page is made of them")
    parts = [opening.rstrip()] + [f"## {title}\n{sections[title].rstrip()}" for title in HOME_SECTIONS]
    parts.append(HOME_TEMPLATE.read_text(encoding="utf-8").format(
        binder_url=repository.binder_url("notebooks"), repository_url=repository.url,
        pages_url=repository.pages_url,
    ).rstrip())
    toc = "\n".join(f"notebooks/{Path(name).stem}" for name in notebooks)
    parts.append(f"```{{toctree}}\n:hidden:\n:maxdepth: 1\n\n{toc}\n```")
    return "\n\n".join(parts) + "\n"


# --- the notebook pages ---------------------------------------------------------------------------------

def explorer_note(binder_url: str, has_figure: bool, index: int) -> dict:
    """A Markdown cell that follows an explorer widget: the widget needs a kernel, here is where."""
    figure = ("Above: its figure as the notebook first draws it." if has_figure
              else "Its figure appears when the notebook runs.")
    source = (
        "```{admonition} Interactive explorer: run this notebook to use it\n:class: tip series-explorer\n\n"
        f"Its sliders need a running Python kernel, which a web page does not have. {figure}\n"
        f"[Launch this notebook on Binder]({binder_url}) (JupyterLab in your browser), or run it on "
        "your machine with `make lab` (see [Run the notebooks](../index.md#Run-the-notebooks)).\n```"
    )
    return {"cell_type": "markdown", "id": f"series-explorer-note-{index}",
            "metadata": {"tags": ["series-explorer-note"]}, "source": source}


def site_outputs(outputs: list[dict]) -> tuple[list[dict], bool, bool]:
    """(outputs as the site shows them, whether a widget was among them, whether it carried a figure).

    A widget view cannot render without a kernel: its figure (``image/png``) stays, its text repr
    (``VBox(children=...)``) and the view go."""
    kept, widget, figure = [], False, False
    for output in outputs:
        data = output.get("data", {})
        if WIDGET_VIEW not in data:
            kept.append(output)
            continue
        widget = True
        if "image/png" in data:
            figure = True
            kept.append({**output, "data": {"image/png": data["image/png"]},
                         "metadata": {k: v for k, v in output.get("metadata", {}).items() if k == "image/png"}})
    return kept, widget, figure


def site_notebook(nb: dict, name: str, stage: Stage) -> dict:
    """The notebook as its page shows it: links rewritten, explorers replaced by figure and note."""
    nb = copy.deepcopy(nb)
    cells = []
    binder = stage.repository.binder_url(f"notebooks/{name}")
    for cell in nb["cells"]:
        cells.append(cell)
        if cell["cell_type"] == "markdown":
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = rewrite_links(source, lambda t, img: stage.rewrite(t, img, "notebooks"))
        elif cell["cell_type"] == "code":
            cell["outputs"], widget, figure = site_outputs(cell.get("outputs", []))
            if widget:
                cells.append(explorer_note(binder, figure, len(cells)))
    nb["cells"] = cells
    return nb


def stage_site(root: Path, src: Path, extra: Path, repository: Repository,
               student: Callable[[dict], dict] | None) -> dict[str, dict[str, str]]:
    """Write the site's sources (``src``) and its downloads (``extra``, with the student edition made by
    ``student`` unless None); return ``series_pages``."""
    paths = sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        raise SiteBuildError(f"no notebooks NN_*.ipynb in {root / 'notebooks'}")
    readme = (root / "README.md").read_text(encoding="utf-8")
    notebooks = tuple(p.name for p in paths)
    home = home_markdown(readme, notebooks, repository)
    stage = Stage(root, src, repository, notebooks, heading_anchors(home))
    (src / "notebooks").mkdir(parents=True)
    (src / "index.md").write_text(rewrite_links(home, lambda t, img: stage.rewrite(t, img, "")), encoding="utf-8")
    pages = {}
    for path in paths:
        nb = json.loads(path.read_text(encoding="utf-8"))
        (src / "notebooks" / path.name).write_text(json.dumps(site_notebook(nb, path.name, stage)), encoding="utf-8")
        download = extra / "notebooks" / path.name
        download.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, download)
        links = {
            "binder": repository.binder_url(f"notebooks/{path.name}"),
            "source": repository.source_url(f"notebooks/{path.name}"),
            "download": f"notebooks/{path.name}",
        }
        if student is not None:
            (extra / "student").mkdir(exist_ok=True)
            edition = student(copy.deepcopy(nb))
            (extra / "student" / path.name).write_text(json.dumps(edition, indent=1) + "\n", encoding="utf-8")
            links["student"] = f"student/{path.name}"
        pages[f"notebooks/{path.stem}"] = links
    return pages
