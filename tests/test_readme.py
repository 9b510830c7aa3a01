"""The README says what the project does and quotes numbers computed from the demo data."""

from botu.dataset import load_dataset
from botu.pages.compare import readme_findings
from botu.pipeline import compute
from tests.conftest import REPO


def test_readme_opens_with_the_two_commands():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    head = text[: text.index("## ")]
    assert "make report" in head and "make test" in head


def test_readme_findings_match_the_demo_data():
    summary = compute(load_dataset(REPO / "data" / "raw"), n_boot=0).summary
    line = readme_findings(summary)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert line in readme, f"update the README's findings paragraph to:\n{line}"


def test_makefile_lists_every_target_in_help():
    import re

    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    targets = re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.M)
    documented = re.findall(r"^([a-z][a-z-]*):.*## ", makefile, flags=re.M)
    assert set(targets) == set(documented)
    assert {"report", "test", "lab", "help", "validate"} <= set(documented)
