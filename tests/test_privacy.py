import pytest

from botu import config
from botu.privacy import PrivacyError, check_outputs, read_names, scan


@pytest.fixture
def outputs(tmp_path):
    paths = config.paths(tmp_path)
    paths.reports.mkdir(parents=True)
    paths.figures.mkdir()
    (paths.reports / "team-T01.html").write_text("<p>R-T01-01 zegt:</p>\n<p>Jan Jansen</p>\n")
    (paths.figures / "f.svg").write_text("<svg><text>Welzijnsorganisatie W1</text></svg>")
    (paths.figures / "f.png").write_bytes(b"\x89PNG Jan Jansen")  # not scanned: drawn text
    return paths


def test_read_names_skips_comments_blanks_and_short_strings(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("\ufeff# sleutel\nJan Jansen\n\nAl\n  Fatima El Amrani \n", encoding="utf-8")
    assert read_names(path) == ["Jan Jansen", "Fatima El Amrani"]


def test_scan_finds_name_case_insensitively_with_line(outputs):
    leaks = scan([outputs.reports, outputs.figures], ["jan jansen", "Piet Pieters"])
    assert [(p.path.name, p.line) for p in leaks] == [("team-T01.html", 2)]
    assert "j…n" in str(leaks[0]) and "jan jansen" not in str(leaks[0])


def test_check_outputs_raises_and_passes(outputs, tmp_path, monkeypatch):
    names = tmp_path / "private.txt"
    names.write_text("Jan Jansen\n", encoding="utf-8")
    monkeypatch.setenv("BOTU_PRIVATE_NAMES", str(names))
    with pytest.raises(PrivacyError, match=r"team-T01\.html, line 2"):
        check_outputs(outputs)
    names.write_text("Piet Pieters\n", encoding="utf-8")
    assert check_outputs(outputs) == 1


def test_no_private_list_means_nothing_to_check(outputs, monkeypatch):
    monkeypatch.delenv("BOTU_PRIVATE_NAMES", raising=False)
    assert check_outputs(outputs) == 0


def test_named_list_that_does_not_exist_is_an_error(outputs, tmp_path, monkeypatch):
    monkeypatch.setenv("BOTU_PRIVATE_NAMES", str(tmp_path / "missing.txt"))
    with pytest.raises(PrivacyError, match="not found"):
        check_outputs(outputs)


# --- variants of a listed name (issue 9, part 4) --------------------------------------------

NAME = "Zoë O'Brien-van Dijk"
VARIANTS = {
    "as written": "Zoë O'Brien-van Dijk",
    "other case": "ZOË O'BRIEN-VAN DIJK",
    "accent left out on the page": "Zoe O'Brien-van Dijk",
    "decomposed accent (NFD)": "Zoe\u0308 O'Brien-van Dijk",
    "line break inside": "Zoë O'Brien-van\nDijk",
    "double space": "Zoë  O'Brien-van Dijk",
    "non-breaking space": "Zoë\u00a0O'Brien-van Dijk",
    "curly apostrophe": "Zoë O\u2019Brien-van Dijk",
    "HTML entity": "Zoë O&#x27;Brien-van Dijk",
}


@pytest.mark.parametrize("written", VARIANTS.values(), ids=VARIANTS.keys())
def test_every_variant_of_a_name_is_found(tmp_path, written):
    page = tmp_path / "reports" / "team-T01.html"
    page.parent.mkdir()
    page.write_text(f"<p>Intro</p>\n<p>{written}</p>\n", encoding="utf-8")
    leaks = scan([tmp_path / "reports"], [NAME])
    assert [(leak.path.name, leak.line) for leak in leaks] == [("team-T01.html", 2)]
    assert NAME not in str(leaks[0]) and "Brien" not in str(leaks[0])


def test_a_name_listed_without_its_accent_is_found_with_it(tmp_path):
    (tmp_path / "out.csv").write_text("naam\nZoë de Vries\n", encoding="utf-8")
    assert scan([tmp_path], ["zoe de vries"])


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"], ids=str)
def test_the_names_file_may_come_in_any_usual_encoding(tmp_path, encoding):
    path = tmp_path / "names.txt"
    path.write_bytes("# sleutel\nZoë Janssen\nFrançois Müller\n".encode(encoding))
    assert read_names(path) == ["Zoë Janssen", "François Müller"]


def test_the_workbook_is_scanned_too(tmp_path):
    import pandas as pd

    from botu.io import write_workbook

    processed = tmp_path / "data" / "processed"
    processed.mkdir(parents=True)
    frame = pd.DataFrame({"pseudonym": ["R-T01-01"], "note": ["gesproken met Zoë Janssen"]})
    write_workbook({"actors": frame}, processed / "botu-processed.xlsx")
    leaks = scan([processed], ["Zoe Janssen"])
    assert [leak.path.name for leak in leaks] == ["botu-processed.xlsx"]
