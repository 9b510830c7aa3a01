"""Take the README's screenshots of the demo report: a team page and the comparison.

    python -m botu report --lang nl,en      # the demo site, both languages
    python scripts/readme_screenshots.py    # → docs/screenshot-team.png, -compare.png

Needs Chromium (Debian's ``chromium``) and Playwright for Python (a dev dependency).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHOTS = {  # page → (file, how much of the page's top to show, in CSS pixels)
    "team-T03.html": ("screenshot-team.png", 1500),
    "compare.html": ("screenshot-compare.png", 1500),
}
WIDTH = 1100


def main() -> int:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("no Chromium installed (apt install chromium)", file=sys.stderr)
        return 2
    reports = ROOT / "reports"
    missing = [page for page in SHOTS if not (reports / page).exists()]
    if missing:
        print(f"build the report first (make report): no {', '.join(missing)}", file=sys.stderr)
        return 2
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": WIDTH, "height": 900}, device_scale_factor=1)
        for name, (target, height) in SHOTS.items():
            page.goto((reports / name).as_uri(), wait_until="load")
            out = ROOT / "docs" / target
            out.parent.mkdir(exist_ok=True)
            page.screenshot(
                path=str(out),
                full_page=True,
                clip={"x": 0, "y": 0, "width": WIDTH, "height": height},
            )
            print(f"wrote {out.relative_to(ROOT)}")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
