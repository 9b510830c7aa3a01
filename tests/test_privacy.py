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
