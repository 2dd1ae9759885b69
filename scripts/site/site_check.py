"""Whether a built site loads anything from another site (scripts/build_site.py fails the build if so).

The site must work offline and leak no reader's visit to a CDN: every script, style sheet, font, icon
and image comes from the site itself.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.I)  # http://, https://, //host (not data: or relative)
CSS_URL = re.compile(r"""(?:url\(\s*|@import\s+(?!url\())['"]?([^'")\s;]+)""")
CDN = re.compile(r"(?:https?:)?//(?:[\w-]+\.)*(?:jsdelivr\.net|unpkg\.com|cdnjs\.cloudflare\.com|"
                 r"""googleapis\.com|gstatic\.com|bootstrapcdn\.com|cdn\.[\w.-]+|mathjax\.org|polyfill\.io)[^\s'"<>)]*""")


class _Sources(HTMLParser):
    """The addresses an HTML page loads by itself (scripts, style sheets, icons, images, frames)."""

    ATTRIBUTES = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src",
                  "video": "src", "audio": "src", "embed": "src", "object": "data"}

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and not {"stylesheet", "icon", "preload", "modulepreload", "manifest"} & set(
                (values.get("rel") or "").lower().split()):
            return
        if tag in self.ATTRIBUTES and values.get(self.ATTRIBUTES[tag]):
            self.found.append(values[self.ATTRIBUTES[tag]])
        if values.get("srcset"):
            self.found += [part.split()[0] for part in values["srcset"].split(",") if part.strip()]
        if values.get("style"):
            self.found += CSS_URL.findall(values["style"])


def remote_resources(site: Path) -> list[str]:
    """What the built site would load from another site: 'file: address' lines (empty: none).

    HTML: the addresses of scripts, style sheets, icons, images and frames; CSS: ``url()`` and
    ``@import``; JavaScript and everything else: the names of the usual CDNs."""
    found = []
    for path in sorted(site.rglob("*")):
        if path.suffix not in {".html", ".css", ".js"}:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        addresses = CSS_URL.findall(text) if path.suffix == ".css" else []
        if path.suffix == ".html":
            parser = _Sources()
            parser.feed(text)
            addresses += parser.found + CSS_URL.findall(" ".join(re.findall(r"<style[^>]*>(.*?)</style>", text, re.S)))
        addresses = [a for a in addresses if REMOTE.match(a)]
        addresses += CDN.findall(text)
        found += [f"{path.relative_to(site).as_posix()}: {address}" for address in addresses]
    return found
