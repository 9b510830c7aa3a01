import pytest

from botu import i18n
from botu.pages import common, compare, reliability
from botu.pipeline import load_summary
from tests.conftest import REPO


def test_qca_cases_join_attributes_and_scores(built):
    cases = compare.qca_cases(built).set_index("team_id")
    assert cases.loc["T02", "coalition_type"] == "nieuw"
    assert cases.loc["T02", "door_de_wijk"] == 2


@pytest.mark.parametrize(
    ("outcome", "conditions", "calibration", "message"),
    [
        ("door_de_wijk", ["kleur"], {}, r"unknown QCA column\(s\) \['kleur'\]; choose from"),
        ("door_de_wijk", [], {}, "non-empty list"),
        ("door_de_wijk", [f"c{i}" for i in range(11)], {}, "at most 10"),
        ("door_de_wijk", ["coalition_type"], {"kleur": [">=", 1]}, "unknown column 'kleur'"),
    ],
)
def test_check_qca_names_what_is_wrong(built, outcome, conditions, calibration, message):
    with pytest.raises(ValueError, match=message):
        compare.check_qca(outcome, conditions, calibration, root=built)


def test_check_qca_reads_one_value_as_a_list_of_one_and_refuses_other_rules(built):
    _, _, rules, _ = compare.check_qca(
        "door_de_wijk", ["coalition_type"], {"coalition_type": "nieuw"}, root=built
    )
    assert rules == {"coalition_type": {"nieuw"}}  # not {'n', 'i', 'e', 'u', 'w'}
    with pytest.raises(ValueError, match="must be \\[operator, threshold\\] or a list"):
        compare.check_qca("door_de_wijk", ["coalition_type"], {"coalition_type": 2}, root=built)


@pytest.mark.parametrize("cutoff", [0, 1.5, "0.8", True])
def test_check_qca_refuses_a_cutoff_off_the_scale(built, cutoff):
    with pytest.raises(ValueError, match="qca_cutoff must be a number above 0"):
        compare.check_qca("door_de_wijk", ["coalition_type"], {}, cutoff, root=built)


def test_check_qca_turns_literals_into_rules(built):
    _, _, rules, cutoff = compare.check_qca(
        "door_de_wijk",
        ["coalition_type"],
        {"door_de_wijk": [">=", 2], "coalition_type": ["nieuw"]},
        0.75,
        root=built,
    )
    assert rules == {"door_de_wijk": (">=", 2), "coalition_type": {"nieuw"}}
    assert cutoff == 0.75


def test_findings_prose_uses_the_summary(built):
    summary = load_summary(built)
    text = compare.findings(compare.start("nl", built))
    n_established, n_teams = summary["coalitions"]["n_established"], summary["data"]["n_teams"]
    assert f"{n_established} van de {n_teams} teams" in text
    english = compare.findings(compare.start("en", built))
    assert "Established cooperation dominates" in english


def test_reliability_text_reads_each_value(built):
    text = reliability.headline(reliability.start("en", built))
    assert "α =" in text and "κ =" in text and "Team ratings" in text


@pytest.mark.parametrize(
    "notebook", sorted((REPO / "notebooks").glob("*.ipynb")), ids=lambda p: p.stem
)
def test_notebook_prose_comes_from_the_catalogue(notebook):
    """Every Markdown cell names its catalogue entry, and the notebook holds the default
    language's text of it (what the researcher reads when opening it)."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    markdown = [c for c in nb.cells if c.cell_type == "markdown"]
    assert markdown
    for cell in markdown:
        key = cell.metadata.get("botu", {}).get("text")
        assert key, f"{notebook.name}: a Markdown cell without a catalogue key"
        assert cell.source == i18n.say(key, i18n.DEFAULT_LANG), f"{notebook.name}: {key}"
    english = i18n.localise(nb, "en")
    assert all(
        c.source == i18n.say(c.metadata["botu"]["text"], "en")
        for c in english.cells
        if c.cell_type == "markdown"
    )


@pytest.mark.parametrize(
    "notebook", sorted((REPO / "notebooks").glob("*.ipynb")), ids=lambda p: p.stem
)
def test_a_notebook_imports_its_page_module_only(notebook):
    import nbformat

    code = "\n".join(
        c.source for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code"
    )
    imports = [line for line in code.splitlines() if line.startswith(("import ", "from "))]
    assert imports == [f"from botu.pages import {notebook.stem.split('-', 1)[1]} as page"]


def test_scores_without_enough_evidence_are_named_in_words(built):
    page = compare.start("en", built)
    page.summary["evidence"] = {
        "n_ratings_2plus": 4,
        "n_ratings_2plus_insufficient": 2,
        "insufficient": ["T01/hulpbronnen/consensus", "T01/hulpbronnen/C1"],
    }
    text = compare.evidence_text(page)
    assert text.endswith(f"Not yet: {common.md(page.teams['T01'])}: Resources.")
    assert "T01" not in text and "hulpbronnen" not in text and "consensus" not in text


def test_code_names_before_a_build_are_none(tmp_path):
    assert common.code_names("nl", tmp_path) == {}


def test_coder_values_already_in_words_are_not_split_again():
    import pandas as pd

    frame = pd.DataFrame({"values": ["C1: fund; C2: municipality"]})
    assert common.table(frame, "en", worded=("values",)).data.iloc[0, 0] == (
        "C1: fund; C2: municipality"
    )
    assert common.table(frame, "en").data.iloc[0, 0] != "C1: fund; C2: municipality"


def _run_cells(notebook, root, monkeypatch, **parameters):
    """The notebook's code cells in this process, as its kernel would run them (figures
    neither drawn nor saved); the processed tables they read."""
    import nbformat

    from botu import pipeline, plots

    monkeypatch.setenv("BOTU_ROOT", str(root))
    monkeypatch.setattr(plots, "publish", lambda fig, *args, **kwargs: None)
    monkeypatch.setattr(pipeline, "READS", set())
    namespace = {"display": lambda *args, **kwargs: None}
    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type == "code":
            exec(cell.source, namespace)
            namespace.update(parameters)  # papermill's parameters follow the first cell
    return pipeline.READS


@pytest.fixture(scope="module")
def demo_built(tmp_path_factory):
    """The demo study, built (its QCA defaults need the demo's codes)."""
    import shutil

    from botu.cli import main

    root = tmp_path_factory.mktemp("demo")
    shutil.copytree(REPO / "data" / "raw", root / "data" / "raw")
    assert main(["--root", str(root), "build"]) == 0
    return root


@pytest.mark.parametrize("name", ["00-overview", "20-reliability", "30-compare"])
def test_a_page_reads_only_its_declared_inputs(name, demo_built, monkeypatch):
    built = demo_built
    # the report reruns a page only when one of its INPUTS changed: a table a page reads
    # without declaring it would leave the page stale
    from botu import report

    notebook = REPO / "notebooks" / f"{name}.ipynb"
    reads = _run_cells(notebook, built, monkeypatch, lang="en")
    declared = report.PAGE_INPUTS[notebook.name]
    assert reads <= set(declared), f"{name} reads {sorted(reads - set(declared))} undeclared"
    if name != "00-overview":
        assert reads == set(declared), f"{name} declares {sorted(set(declared) - reads)} unread"
    processed = {p.stem for p in (built / "data" / "processed").glob("*.csv")} | {"summary"}
    assert set(declared) <= processed


def test_a_team_page_reads_only_the_team_tables(demo_built, monkeypatch):
    built = demo_built
    from botu.pages.team import TEAM_TABLES

    reads = _run_cells(REPO / "notebooks" / "10-team.ipynb", built, monkeypatch, team_id="T02")
    assert reads <= {*TEAM_TABLES, "codebook"}
