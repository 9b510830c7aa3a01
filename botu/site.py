"""The readers' site: one frame around every page, one shared stylesheet.

Every page of ``reports/`` comes from the Jinja templates in ``botu/templates``: the notebook
pages from ``botu_page.html.j2`` (nbconvert's lab template, its inlined CSS and CDN scripts
replaced by the frame), ``index.html`` and ``downloads.html`` from templates of their own that
extend ``botu_site.html.j2``. All of them call the macros of ``botu_frame.html.j2``, so every
page carries the same head (``lang``, ``<title>``, viewport, one stylesheet link), masthead with
the study's title and navigation, team pager and colophon footer.

The frame depends on the team list and names, the language, the study's title and the
colophon (commit, versions), not on the data: :func:`frame_key` is part of each page's stamp,
and a page whose frame changed is rendered again from its executed notebook without running it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import quote

from botu import i18n
from botu.io import atomic_path
from botu.workers import skip_unused_schema_formats

TEMPLATES = Path(__file__).parent / "templates"
PAGE_TEMPLATE = TEMPLATES / "botu_page.html.j2"
FRAME_CSS = TEMPLATES / "botu.css"
STYLESHEET = "assets/botu.css"  # relative to reports/
DEFAULT_TITLE = "BoTu: veerkracht samen organiseren"
DOWNLOAD_SUFFIXES = {".csv", ".xlsx", ".json"}
FIGURE_SUFFIXES = {".png", ".svg"}

STRINGS: dict[str, dict[str, str]] = i18n.section("site")
PAGE_TITLES: dict[str, dict[str, str]] = i18n.section("pages")


def page_title(page: str, lang: str = i18n.DEFAULT_LANG) -> str:
    """The title of one of the report's pages (``overview``, ``reliability``, ``compare``)."""
    return PAGE_TITLES[i18n.check_lang(lang)][page]


def team_title(name: str) -> str:
    """A team page's title: its name, with "Team" before it unless the name says so already
    ("Demo-team Zorg", not "Team Demo-team Zorg")."""
    return name if "team" in name.casefold() else f"Team {name}"


@dataclass(frozen=True)
class Page:
    """One page of the site as the frame sees it: file name, title, navigation group."""

    name: str  # file name without .html
    title: str
    group: str  # "overview", "team", "reliability", "compare", "home", "downloads"
    team_id: str = ""


def study_title(raw_dir: Path | None) -> str:
    """The study's title: ``meta.title`` of the codebook, else the BoTu synthesis's title."""
    from botu.codebook import load_codebook
    from botu.errors import BotuError

    if raw_dir is None:
        return DEFAULT_TITLE
    try:
        meta = load_codebook(Path(raw_dir) / "codebook.yml").meta
    except (BotuError, OSError):
        return DEFAULT_TITLE
    title = meta.get("title")
    return str(title).strip() if isinstance(title, str) and title.strip() else DEFAULT_TITLE


def build_frame(
    pages: list[Page],
    *,
    lang: str = "nl",
    title: str = DEFAULT_TITLE,
    colophon: dict[str, Any] | None = None,
    sites: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Everything the frame shows, as plain JSON-able data (its digest is :func:`frame_key`).

    ``pages`` are the notebook pages in reading order; the index and downloads pages are
    added here. ``colophon`` is :func:`botu.report.colophon` without the input checksums.
    ``sites`` are the report's languages in order, each with its site's folder under
    ``reports/`` (``""``: reports/ itself; default: only ``lang``, there); every page links
    to itself in the other languages.
    """
    strings = STRINGS[i18n.check_lang(lang)]
    sites = sites or {lang: ""}
    site_dir, languages = sites[lang], list(sites)
    up = "../" * len(Path(site_dir).parts) if site_dir else ""
    switch = [
        {
            "lang": other,
            "label": STRINGS[other]["language_name"],
            "prefix": up + (f"{folder}/" if folder else ""),
        }
        for other, folder in sites.items()
        if other != lang
    ]
    info = colophon or {}
    packages = ", ".join(f"{k} {v}" for k, v in info.get("packages", {}).items())
    teams = [p for p in pages if p.group == "team"]
    nav: list[dict[str, Any]] = []
    for page in pages:
        if page.group == "team":
            if not nav or nav[-1]["group"] != "team":
                nav.append({"group": "team", "label": strings["teams"], "items": []})
            nav[-1]["items"].append(
                {"name": page.name, "href": f"{page.name}.html", "label": page.title}
            )
        else:
            nav.append(
                {
                    "group": page.group,
                    "name": page.name,
                    "href": f"{page.name}.html",
                    "label": strings.get(page.group, page.title),
                }
            )
    nav.append(
        {
            "group": "downloads",
            "name": "downloads",
            "href": "downloads.html",
            "label": strings["downloads"],
        }
    )
    return {
        "lang": lang,
        "title": title,
        "strings": strings,
        "stylesheet": up + STYLESHEET,
        "site_dir": site_dir,
        "languages": languages,
        "switch": switch,
        "nav": nav,
        "pages": [p.__dict__ for p in pages],
        "teams": [{"name": p.name, "title": p.title, "team_id": p.team_id} for p in teams],
        "colophon": {
            "text": strings["built"].format(
                commit=info.get("commit", "unknown"),
                python=info.get("python", "?"),
                packages=packages,
            )
            if info
            else "",
        },
    }


def page_context(frame: dict[str, Any], name: str, title: str | None = None) -> dict[str, Any]:
    """The current page within the frame: its title, group and, for a team, its neighbours."""
    page = next((p for p in frame["pages"] if p["name"] == name), None)
    own_title = title or (page["title"] if page else name)
    context: dict[str, Any] = {
        "name": name,
        "title": own_title,
        "group": page["group"] if page else name,
        "html_title": own_title
        if own_title == frame["title"]
        else f"{own_title} — {frame['title']}",
        "previous": None,
        "next": None,
    }
    names = [t["name"] for t in frame["teams"]]
    if name in names:
        i = names.index(name)
        context["previous"] = frame["teams"][i - 1] if i > 0 else None
        context["next"] = frame["teams"][i + 1] if i + 1 < len(names) else None
    return context


def frame_key(frame: dict[str, Any]) -> str:
    """Digest of a frame and the templates it is drawn with."""
    digest = hashlib.sha256(json.dumps(frame, sort_keys=True).encode())
    for template in sorted(TEMPLATES.glob("*.j2")):
        digest.update(template.name.encode() + template.read_bytes())
    return digest.hexdigest()


# --- rendering -------------------------------------------------------------------------


@functools.cache
def page_exporter() -> Any:
    """nbconvert's HTML exporter with the page template, code hidden; made once per process
    (its templates compiled once), the page and frame given with each notebook."""
    skip_unused_schema_formats()
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_file=str(PAGE_TEMPLATE),
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )


def warm_page_exporter() -> None:
    """Render a small page once and throw it away: a report worker does this while its
    kernel starts, so that its first page does not wait for what the first rendering in a
    process compiles (the page templates, the notebook schema's validator, the selectors of
    nbconvert's checks: about half a second)."""
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    outputs = [
        new_output("display_data", {"text/html": "<table><tr><td>1</td></tr></table>"}),
        new_output("display_data", {"text/markdown": "*1*"}),
    ]
    notebook = new_notebook(cells=[new_markdown_cell("# 1"), new_code_cell("1", outputs=outputs)])
    frame = build_frame([], title=DEFAULT_TITLE)
    resources = {"botu": {"frame": frame, "page": page_context(frame, "index")}}
    page_exporter().from_notebook_node(notebook, resources=resources)


def render_notebook(
    notebook_path: Path, target: Path, frame: dict[str, Any], name: str | None = None
) -> Path:
    """Render an executed notebook into the frame, code hidden, linking the shared stylesheet."""
    skip_unused_schema_formats()
    import nbformat

    exporter = page_exporter()
    nb = nbformat.read(notebook_path, as_version=4)
    page = page_context(frame, name or Path(target).stem)
    body, _ = exporter.from_notebook_node(nb, resources={"botu": {"frame": frame, "page": page}})
    with atomic_path(target) as tmp:
        tmp.write_text(body, encoding="utf-8")
    return target


def _environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def render_site_page(template: str, target: Path, frame: dict[str, Any], name: str, **data):
    """Render one of the site's own pages (index, downloads) with the frame."""
    page = page_context(frame, name, data.pop("title", None))
    text = _environment().get_template(template).render(frame=frame, page=page, **data)
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return target


def write_index(
    reports: Path, frame: dict[str, Any], summary: dict[str, Any], commit: str = ""
) -> Path:
    """``reports/index.html``: the study's title, what the site holds and every page."""
    data = summary.get("data", {})
    counts = frame["strings"]["counts"].format(
        n_teams=data.get("n_teams", "?"), n_segments=data.get("n_segments", "?")
    )
    return render_site_page(
        "botu_index.html.j2",
        Path(reports) / "index.html",
        frame,
        "index",
        title=frame["title"],
        fictional=bool(data.get("is_fictional", False)),
        counts=counts,
    )


def _href(path: Path, reports: Path) -> str:
    return quote(Path(os.path.relpath(path, reports)).as_posix())


def _size(n: int) -> str:
    return f"{max(1, round(n / 1024))} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def write_downloads(
    reports: Path,
    processed: Path,
    figures: Path,
    frame: dict[str, Any],
    inputs: dict[str, str] | None = None,
    leave_out: set[str] = frozenset(),
    published: Callable[[Path], Path] = Path,
) -> Path:
    """``downloads.html``: links to the processed tables, the workbook and the figures (files
    named in ``leave_out``, say the workbook of another language, are not listed).
    ``published`` maps a path of a staged site to where it will be published: the links are
    written between the published places."""
    reports, processed, figures = Path(reports), Path(processed), Path(figures)
    home = published(reports)

    def listing(folder: Path, suffixes: set[str]) -> list[dict[str, str]]:
        if not folder.is_dir():
            return []
        return [
            {
                "name": p.name,
                "href": _href(published(p), home),
                "size": _size(p.stat().st_size),
            }
            for p in sorted(folder.iterdir())
            if p.suffix in suffixes and p.is_file() and p.name not in leave_out
        ]

    figure_files = listing(figures, FIGURE_SUFFIXES)
    grouped: dict[str, list[dict[str, str]]] = {}
    for f in figure_files:
        grouped.setdefault(Path(f["name"]).stem, []).append(f)
    return render_site_page(
        "botu_downloads.html.j2",
        reports / "downloads.html",
        frame,
        "downloads",
        title=frame["strings"]["downloads"],
        tables=listing(processed, DOWNLOAD_SUFFIXES),
        figures=[{"stem": stem, "files": files} for stem, files in grouped.items()],
        inputs=[{"name": k, "digest": v} for k, v in (inputs or {}).items()],
    )


# --- the shared stylesheet -------------------------------------------------------------

# Classes the hidden-code pages use from nbconvert's lab CSS (its templates' cell and output
# wrappers, rendered Markdown/HTML/images/text, pandas tables, ANSI colours). Rules whose
# selectors need any other class (JupyterLab's menus, dialogs, file browser, editor, icons)
# are left out of the shared stylesheet.
KEPT_CLASSES = {
    "jp-Notebook",
    "jp-Notebook-cell",
    "jp-mod-noInput",
    "jp-mod-noOutputs",
    "dataframe",
    "anchor-link",
}
KEPT_PREFIXES = (
    "jp-Cell",
    "jp-CodeCell",
    "jp-MarkdownCell",
    "jp-OutputArea",
    "jp-InputArea",
    "jp-Rendered",
    "jp-MarkdownOutput",
    "jp-Collapser",
    "jp-InputCollapser",
    "jp-OutputCollapser",
    "jp-OutputPrompt",
    "jp-InputPrompt",
    "ansi-",
)
_CLASS = re.compile(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)")
_NOT = re.compile(r":not\([^()]*\)")


def _selector_kept(selector: str) -> bool:
    classes = _CLASS.findall(_NOT.sub("", selector))
    return all(c in KEPT_CLASSES or c.startswith(KEPT_PREFIXES) for c in classes)


def _split_selectors(prelude: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(prelude):
        depth += ch in "(["
        depth -= ch in ")]"
        if ch == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    parts.append(prelude[start:])
    return [p.strip() for p in parts if p.strip()]


def prune_css(css: str) -> str:
    """Keep the rules of ``css`` that can match a hidden-code notebook page (see KEPT_*)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    out: list[str] = []
    i = 0
    while i < len(css):
        brace = css.find("{", i)
        semi = css.find(";", i)
        if brace < 0:
            break
        if 0 <= semi < brace and css[i:semi].strip().startswith("@"):  # @import, @charset
            i = semi + 1
            continue
        prelude = css[i:brace].strip()
        depth, j = 1, brace + 1
        while j < len(css) and depth:
            depth += (css[j] == "{") - (css[j] == "}")
            j += 1
        body = css[brace + 1 : j - 1]
        i = j
        if prelude.startswith(("@media", "@supports")):
            inner = prune_css(body)
            if inner.strip():
                out.append(f"{prelude} {{\n{inner}}}\n")
        elif prelude.startswith("@"):
            continue  # @font-face, @keyframes, @page: not used by the pages
        else:
            kept = [s for s in _split_selectors(prelude) if _selector_kept(s)]
            if kept:
                declarations = " ".join(line.strip() for line in body.strip().splitlines())
                out.append(f"{', '.join(kept)} {{ {declarations} }}\n")
    return "".join(out)


_VAR = re.compile(r"var\((--[\w-]+)")
_RULE = re.compile(r"^(?P<sel>[^{}\n]+)\{ (?P<body>.*) \}$", re.M)


def _declarations(body: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(body):
        depth += ch == "("
        depth -= ch == ")"
        if ch == ";" and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    return [p.strip() for p in parts if p.strip()]


def prune_variables(css: str, also_used: set[str] = frozenset()) -> str:
    """Drop the custom properties (``--jp-…``) no kept rule (nor ``also_used``) uses, even
    indirectly.

    Works on the one-rule-per-line output of :func:`prune_css`.
    """
    defined: dict[str, list[str]] = {}
    used: set[str] = set(also_used)
    for rule in _RULE.finditer(css):
        for declaration in _declarations(rule["body"]):
            name, _, value = declaration.partition(":")
            if name.strip().startswith("--"):
                defined.setdefault(name.strip(), []).append(value)
            else:
                used.update(_VAR.findall(value))
    todo = list(used)
    while todo:
        for value in defined.get(todo.pop(), []):
            for name in _VAR.findall(value):
                if name not in used:
                    used.add(name)
                    todo.append(name)

    def keep(rule: re.Match) -> str:
        kept = [
            d
            for d in _declarations(rule["body"])
            if not d.startswith("--") or d.partition(":")[0].strip() in used
        ]
        return f"{rule['sel']}{{ {'; '.join(kept)} }}" if kept else ""

    return re.sub(r"\n{2,}", "\n", _RULE.sub(keep, css))


def stylesheet_text() -> str:
    """The one stylesheet of the site: nbconvert's lab CSS as the pages use it, then botu's."""
    from jupyter_core.paths import jupyter_path

    lab = None
    for base in jupyter_path("nbconvert", "templates"):
        candidate = Path(base) / "lab" / "static"
        if (candidate / "index.css").exists():
            lab = candidate
            break
    frame = FRAME_CSS.read_text(encoding="utf-8")
    if lab is None:
        return frame
    lab_css = "".join(
        prune_css((lab / name).read_text(encoding="utf-8"))
        for name in ("index.css", "theme-light.css")
    )
    lab_css = prune_variables(lab_css, set(_VAR.findall(frame)))  # and what botu's rules use
    return (
        f"/* nbconvert {metadata.version('nbconvert')} lab/static/index.css and "
        "theme-light.css: the rules a hidden-code page uses */\n"
        f"{lab_css}\n/* botu: the site frame, reading and print styles */\n{frame}"
    )


def write_stylesheet(reports: Path) -> Path:
    """Write ``reports/assets/botu.css`` (only when its content changed)."""
    target = Path(reports) / STYLESHEET
    text = stylesheet_text()
    if target.exists() and target.read_text(encoding="utf-8") == text:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return target
