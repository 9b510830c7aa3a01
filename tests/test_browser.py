"""The built site in a real browser: headless Chromium (Debian's ``chromium``) via Playwright.

One report is built in Dutch and English (``--lang nl,en``): the demo data with markup put into
a team name, a pseudonym, a document title, a quote and a code's label (see
:mod:`tests.test_escaping`). Every page is opened at
desktop (1280 px) and phone (390 px) width and checked: it loads from disk with no request
leaving the site, no console error and no dialog (an injected ``alert`` would open one), no
sideways scrolling of the page (wide tables scroll in their own box), and an alt text on every
image that says something; every link resolves; it has its own title, a ``lang`` and one H1.
A screenshot of every page at both widths goes to ``reports/screenshots/`` of the repository
(generated, not committed).

Skipped, saying so, when Chromium or Playwright is not installed (``.ci/run`` installs the
browser on CI).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from tests.conftest import REPO
from tests.test_escaping import _inject

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
WIDTHS = {"desktop": 1280, "phone": 390}

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="no Chromium installed: browser tests skipped (apt install chromium)",
    ),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from botu import config, report

    root = tmp_path_factory.mktemp("browser")
    _inject(root)
    results = report.make_report(root, lang="nl,en", echo=lambda _: None)
    assert {r.status for r in results} == {"ran"}
    return config.paths(root).reports


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is not installed: browser tests skipped"
    )
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        yield launched
        launched.close()


def pages_of(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "failed" not in p.parts)


def test_every_page_loads_offline_without_errors(site, browser):
    shots = REPO / "reports" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    pages = pages_of(site)
    assert len(pages) >= 20 and any(p.parent.name == "en" for p in pages)
    outside: list[str] = []

    def only_local(route, found=outside):
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            found.append(route.request.url)
            route.abort()

    for name, width in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": 900})
        context.route("**/*", only_local)
        for path in pages:
            page = context.new_page()
            errors: list[str] = []
            dialogs: list[str] = []
            page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
            page.on("dialog", lambda d, s=dialogs: (s.append(d.message), d.dismiss()))
            page.goto(path.as_uri(), wait_until="load")
            where = f"{path.relative_to(site)} at {width} px"
            assert not errors, (where, errors)
            assert not dialogs, (where, "injected script ran", dialogs)
            title = page.title()
            assert title and title != "Notebook", where
            assert page.evaluate("document.documentElement.lang"), where
            assert page.locator("h1").count() == 1, where
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= width + 1, (where, f"scrolls sideways: {wide} px")
            alts = page.eval_on_selector_all("img", "els => els.map(e => e.alt || '')")
            assert all(a.strip() and "No description" not in a for a in alts), (where, alts)
            if path.stem.startswith(("team-", "reliability", "compare")):
                assert alts, (where, "no figure on the page")  # so the alt check cannot go quiet
            stem = "-".join(path.relative_to(site).with_suffix("").parts)
            shot = shots / f"{stem}-{name}.png"
            page.screenshot(path=str(shot), full_page=True)
            page.close()
        context.close()
        assert not outside, outside  # nothing is fetched from the web


def test_every_link_resolves(site, browser):
    page = browser.new_page()
    for path in pages_of(site):
        page.goto(path.as_uri())
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            url = urlparse(href)
            if url.scheme in ("http", "https", "mailto"):
                pytest.fail(f"{path.name} links outside the site: {href}")
            if url.scheme != "file":
                continue
            assert Path(unquote(url.path)).exists(), (path.name, href)
    page.close()


def test_the_language_switch_opens_the_same_page_in_the_other_language(site, browser):
    page = browser.new_page()
    for path in pages_of(site):
        page.goto(path.as_uri())
        lang = page.evaluate("document.documentElement.lang")
        switch = page.locator("nav.botu-lang a")
        assert switch.count() == 1, path
        other = switch.get_attribute("hreflang")
        assert other and other != lang, path
        switch.click()
        page.wait_for_load_state("load")
        assert page.evaluate("document.documentElement.lang") == other, path
        assert Path(unquote(urlparse(page.url).path)).name == path.name, (path, page.url)
    page.close()
