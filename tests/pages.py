"""Reading a built page of the site the way the tests check it (standard library only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from urllib.parse import unquote, urlsplit


@dataclass
class Page:
    lang: str | None = None
    titles: list[str] = field(default_factory=list)
    headings: list[int] = field(default_factory=list)
    h1: list[str] = field(default_factory=list)
    viewport: list[str] = field(default_factory=list)
    stylesheets: list[str] = field(default_factory=list)
    styles: list[int] = field(default_factory=list)  # length of each inline <style>
    links: list[str] = field(default_factory=list)  # every href and src
    nav_links: list[str] = field(default_factory=list)  # hrefs inside <nav>
    rel: dict[str, str] = field(default_factory=dict)  # rel=prev/next → href
    scripts: int = 0


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._in: list[str] = []
        self._text: list[str] = []
        self._nav = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        p = self.page
        if tag == "html":
            p.lang = a.get("lang")
        elif tag == "meta" and a.get("name") == "viewport":
            p.viewport.append(a.get("content", ""))
        elif tag == "link" and a.get("rel") == "stylesheet":
            p.stylesheets.append(a.get("href", ""))
        elif tag == "nav":
            self._nav += 1
        elif tag == "script":
            p.scripts += 1
        elif len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            p.headings.append(int(tag[1]))
        for name in ("href", "src"):
            if a.get(name):
                p.links.append(a[name])
        if tag == "a" and self._nav and a.get("href"):
            p.nav_links.append(a["href"])
        if tag == "a" and a.get("rel") in {"prev", "next"}:
            p.rel.setdefault(a["rel"], a.get("href", ""))
        if tag in {"title", "h1", "style"}:
            self._in.append(tag)
            self._text = []

    def handle_endtag(self, tag):
        if tag == "nav":
            self._nav -= 1
        if self._in and tag == self._in[-1]:
            self._in.pop()
            text = "".join(self._text)
            {"title": self.page.titles, "h1": self.page.h1}.get(tag, []).append(text.strip())
            if tag == "style":
                self.page.styles.append(len(text))

    def handle_data(self, data):
        if self._in:
            self._text.append(data)


def read_page(path: Path) -> Page:
    reader = _Reader()
    reader.feed(Path(path).read_text(encoding="utf-8"))
    return reader.page


def local_target(page_path: Path, link: str) -> Path | None:
    """The file a relative link points at, or None for in-page anchors and data: URIs."""
    parts = urlsplit(link)
    if parts.scheme == "data" or not parts.path:
        return None
    assert not parts.scheme and not parts.netloc, f"{page_path.name}: absolute link {link}"
    assert not parts.path.startswith("/"), f"{page_path.name}: root-absolute link {link}"
    return (page_path.parent / unquote(parts.path)).resolve()


def skipped_levels(headings: list[int]) -> list[tuple[int, int]]:
    """Pairs of consecutive heading levels that go down by more than one (h2 → h4)."""
    return [(a, b) for a, b in pairwise(headings) if b > a + 1]
