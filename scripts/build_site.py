"""``make site``: the series' website, built from the notebooks as stored (no execution) into build/site/.

nbval already vouches for every stored output, so the site renders exactly those. The tool is Sphinx
with myst-nb and sphinx-book-theme: it builds offline from installed packages (MathJax included, from
sphinx-mathjax-offline), and any warning (a missing image, file or cross-reference, a broken internal
link or anchor) fails the build, as does a page that would load anything from another site. In
scripts/site/: conf.py (Sphinx's settings), series_site.py (a small extension: the page bar, intended
errors, MathJax), site_pages.py (the pages, staged), site_check.py (the offline check), home.md and
static/ (the style sheet, the icon).

What the site is made of, staged in a temporary folder:
- ``index.md``, the home page: README.md's opening (what the series is, who it is for) and its
  "Notebooks" section (the table: what you learn, run time), then scripts/site/home.md (how to run
  the notebooks), and the table of contents in series order. Links to repository files that are not on
  the site point to GitHub.
- ``notebooks/NN_x.ipynb``: each notebook with its stored outputs. Its links to README.md lead to the
  home page. An explorer widget cannot run without a kernel: its output shows the figure it carries
  (``image/png``) if any, never an empty widget box, and a note follows it with the launch link.
- For each page: a Binder launch button for that notebook, the ``.ipynb`` download, its student
  edition (scripts/make_student.py's ``student_notebook``: ``build/site/student/NN_x.ipynb``), and its
  source on GitHub. The repository comes from one setting: ``--repository``, or the environment variable
  ``SITE_REPOSITORY`` (``make site SITE_REPOSITORY=owner/name``), default ``OWNER/REPOSITORY``.

Usage: python scripts/build_site.py [--repository OWNER/NAME] [--branch BRANCH] [--out DIR] [--jobs N]
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONF_DIR = ROOT / "scripts" / "site"
SITE = ROOT / "build" / "site"
DEFAULT_REPOSITORY = "OWNER/REPOSITORY"
sys.path.insert(0, str(CONF_DIR))

from make_student import student_notebook  # noqa: E402  (scripts/, beside this file)
from site_check import remote_resources  # noqa: E402  (scripts/site/, put on the path above)
from site_pages import DEFAULT_BRANCH, Repository, SiteBuildError, stage_site  # noqa: E402

# --- the build ------------------------------------------------------------------------------------------

def run_sphinx(src: Path, out: Path, work: Path, overrides: dict, jobs: int) -> None:
    """Sphinx's HTML builder, every warning an error (reported all, then SiteBuildError)."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    warnings = io.StringIO()
    # As sphinx-build does: docutils' registries are global, and are restored afterwards, so that a second
    # build in the same process (the tests) starts clean.
    with patch_docutils(CONF_DIR), docutils_namespace():
        app = Sphinx(str(src), str(CONF_DIR), str(out), str(work / "doctrees"), "html", confoverrides=overrides,
                     status=None, warning=warnings, freshenv=True, warningiserror=True, parallel=jobs)
        app.build(force_all=True)
    if app.statuscode or warnings.getvalue().strip():
        raise SiteBuildError("the site build reported warnings (every one is an error):\n"
                             + readable_warnings(warnings.getvalue(), src))


def readable_warnings(text: str, src: Path) -> str:
    """Sphinx's warnings without colour codes, with the repository's paths and the notebooks' cells
    (myst-nb numbers the lines of cell k, counted from 1, from k * 10000)."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", text).replace(f"{src}{os.sep}", "")

    def cell(match: re.Match) -> str:
        number = int(match.group(2))
        return f"{match.group(1)} (cell {number // 10000}):"

    return re.sub(r"(\S+\.ipynb):(\d{5,}):", cell, text)


def build_site(out: Path = SITE, *, root: Path = ROOT, repository: Repository | None = None,
               jobs: int | None = None, student: Callable[[dict], dict] | None = student_notebook) -> float:
    """Build the site of the notebooks under ``root`` into ``out`` (replaced); return the seconds taken.

    ``student``: what makes a notebook's student edition (None: no student edition, for the tests'
    tiny sites). Raises SiteBuildError on any warning of the build, and when a page loads
    anything (script, style sheet, font, image) from another site."""
    start = time.perf_counter()
    repository = repository or Repository.parse(os.environ.get("SITE_REPOSITORY") or DEFAULT_REPOSITORY)
    jobs = jobs or min(2, os.cpu_count() or 1)
    with tempfile.TemporaryDirectory(prefix="site-") as tmp:
        work = Path(tmp)
        pages = stage_site(root, work / "src", work / "extra", repository, student)
        staged_out = work / "html"
        run_sphinx(work / "src", staged_out, work, {
            "series_pages": pages,
            "html_extra_path": [str(work / "extra")],
            "html_theme_options.repository_url": repository.url,
            "html_theme_options.repository_branch": repository.branch,
        }, jobs)
        for folder in (".doctrees", "_sources"):  # Sphinx's cache; the sources are not copied (empty)
            shutil.rmtree(staged_out / folder, ignore_errors=True)
        (staged_out / ".buildinfo").unlink(missing_ok=True)
        for source_map in (staged_out / "_static").rglob("*.map"):  # the theme's debugging aids, 3 MB
            source_map.unlink()
        remote = remote_resources(staged_out)
        if remote:
            raise SiteBuildError("pages load resources from other sites (the site must work offline):\n"
                                 + "\n".join(remote))
        if out.exists():
            shutil.rmtree(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(staged_out, out)
    return time.perf_counter() - start


def site_size(site: Path) -> tuple[int, int]:
    """(number of files, total bytes) of a built site."""
    files = [p for p in site.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repository", default=os.environ.get("SITE_REPOSITORY") or DEFAULT_REPOSITORY,
                        help="GitHub 'owner/name' of the launch and source links (env SITE_REPOSITORY)")
    parser.add_argument("--branch", default=DEFAULT_BRANCH)
    parser.add_argument("--out", type=Path, default=SITE)
    parser.add_argument("--jobs", type=int, default=None, help="Sphinx's parallel jobs (default: up to 2)")
    args = parser.parse_args(argv)
    try:
        repository = Repository.parse(args.repository, args.branch)
        seconds = build_site(args.out, repository=repository, jobs=args.jobs)
    except (SiteBuildError, ValueError) as error:
        print(f"make site: FAILED: {error}", file=sys.stderr)
        return 1
    count, size = site_size(args.out)
    shown = args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out
    print(f"site: {shown}/index.html, {count} files, {size / 2**20:.1f} MB, built in {seconds:.1f} s "
          f"(launch links: {repository.url})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
