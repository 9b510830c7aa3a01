"""Real exports made by NVivo (Windows, Mac) and ATLAS.ti, from ``../shared/reference/qda-exports``.

These files are not copied into the project: the tests skip, saying why, when ``../shared`` is
not beside it (a fresh clone alone). The checks are independent of botu's own slicing: quotes
are compared with the source text read straight from the archive, in UTF-16 code units.
"""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import yaml

from botu.cli import main
from botu.dataset import load_dataset
from botu.qdpx import import_project
from tests.conftest import REPO

EXPORTS = REPO.parent / "shared" / "reference" / "qda-exports"
NVIVO = ("nvivo-win-12.6", "nvivo-mac-12.7")
ALL = (*NVIVO, "atlasti-8.4-sample")

pytestmark = pytest.mark.skipif(
    not EXPORTS.is_dir(), reason=f"the real QDA exports are not here ({EXPORTS} is absent)"
)


def export(name: str) -> Path:
    return EXPORTS / f"{name}.qdpx"


def rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def expected_quotes(name: str) -> list[tuple[str, str]]:
    """(source name, quote) of every text selection, sliced in UTF-16 units from the archive."""
    ns = {"q": "urn:QDA-XML:project:1.0"}
    with zipfile.ZipFile(export(name)) as z:
        root = ET.fromstring(z.read("project.qde"))
        texts = {n.rsplit("/", 1)[-1].lower(): z.read(n) for n in z.namelist()}
    found = []
    for source in root.iterfind(".//q:TextSource", ns):
        path = source.get("plainTextPath").split("://", 1)[1].lower()
        units = texts[path].decode("utf-8-sig").encode("utf-16-le")
        for sel in source.iterfind("q:PlainTextSelection", ns):
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            found.append((source.get("name"), units[2 * start : 2 * end].decode("utf-16-le")))
    return found


@pytest.fixture(scope="module")
def studies(tmp_path_factory) -> dict[str, tuple[Path, object]]:
    """Each export, imported without a mapping into a study made by ``init``."""
    base = tmp_path_factory.mktemp("real")
    made = {}
    for name in ALL:
        root = base / name
        assert main(["init", str(root)]) == 0
        report = import_project(export(name), root / "data" / "raw")  # no --force after init
        made[name] = (root, report)
    return made


@pytest.mark.parametrize("name", NVIVO)
def test_nvivo_imports_to_valid_tables_with_every_quote_exact(studies, name):
    root, report = studies[name]
    raw = root / "data" / "raw"
    assert report.valid, [str(p) for p in report.validation]
    data = load_dataset(raw)  # validates
    docs = {d["document_id"]: d for d in rows(raw / "documents.csv")}
    segments = rows(raw / "segments.csv")
    quotes = {(docs[s["document_id"]]["title"], s["text"]) for s in segments}
    expected = expected_quotes(name)
    assert len(expected) in (303, 297)
    assert set(expected) == quotes  # every selection's quote, exactly
    # no cases or sets: the whole project is one team, named after the export, and said so
    assert [t["team_id"] for t in rows(raw / "teams.csv")] == [name]
    assert {d["team_id"] for d in docs.values()} == {name}
    assert {d["kind"] for d in docs.values()} == {"document"}
    assert "the whole project is one team" in report.summary()
    # the codes keep the tool's tree, under 'unassigned'; the language is not guessed
    book = yaml.safe_load((raw / "codebook.yml").read_text(encoding="utf-8"))
    tool = [c for c in book["codes"] if "tool" in c]
    assert len(tool) == 152
    assert sum(1 for c in tool if c["parent"] == "unassigned") == 12  # the top-level codes
    assert "language" not in book["meta"]
    assert set(data.codebook.unassigned) >= {c["id"] for c in tool}
    # nothing could confirm the convention by name; the text did
    assert "word boundaries" in report.summary() and "UTF-16" in report.summary()


def test_nvivo_windows_says_whose_codings_these_are(studies):
    _, report = studies["nvivo-win-12.6"]
    assert report.coders == ["Gergo"]
    message = next(w.message for w in report.warnings if "another user than" in w.message)
    assert "297 credited to Gergo on selections by floriansipos" in message
    assert "coder_from: selection" in message


def test_nvivo_coder_from_selection_and_joined_names(tmp_path):
    mapping = tmp_path / "m.yml"
    mapping.write_text("coder_from: selection\ncoders: {floriansipos: FS, SF: FS, Gergo: GP}\n")
    win = import_project(export("nvivo-win-12.6"), tmp_path / "win", mapping)
    mac = import_project(export("nvivo-mac-12.7"), tmp_path / "mac", mapping)
    # one person, one id, from both exports; an entry naming a user by id or name is used
    assert win.coders == ["FS", "GP"] and mac.coders == ["FS"]
    unused = [[w.message for w in r.warnings if "matches nothing" in w.message] for r in (win, mac)]
    assert unused == [["'SF' matches nothing in the project"], []]  # SF: the Mac export's id


def test_forcing_the_wrong_convention_warns_and_names_utf16(tmp_path):
    report = import_project(export("nvivo-win-12.6"), tmp_path / "raw", positions="codepoints")
    warning = next(w.message for w in report.warnings if "fit the text badly" in w.message)
    assert "UTF-16 code units" in warning and "--positions utf16" in warning


def test_atlasti_sample_keeps_its_codes_and_sets_and_says_what_it_left_out(studies):
    root, report = studies["atlasti-8.4-sample"]
    raw = root / "data" / "raw"
    book = yaml.safe_load((raw / "codebook.yml").read_text(encoding="utf-8"))
    tool = {c["id"]: c for c in book["codes"] if "tool" in c}
    assert len(tool) == 14
    assert tool["diet_coke"]["parent"] == "coke"  # 'Coke::diet Coke' nests under 'Coke'
    assert tool["cornflakes"]["color"] == "#DC0000"
    assert "negative feelings" in tool["sleepy"]["groups"]  # code sets
    docs = rows(raw / "documents.csv")
    assert len(docs) == 8 and all(re.fullmatch(r"[\w.:-]+", d["document_id"]) for d in docs)
    mabel = next(d for d in docs if d["title"] == "Mabel.txt")
    assert "gender: female" in mabel["groups"]  # document sets
    summary = report.summary()
    assert "4 text source(s) whose text file is missing (kept as documents" in summary
    assert "1 picture(s) with 1 selection(s)" in summary and "2 video source(s)" in summary
    assert "PDF region selection(s)" in summary and "1 audio source(s)" in summary
    assert any("is not in the archive" in w.message for w in report.warnings)
    assert report.valid, [str(p) for p in report.validation]


def test_atlasti_sample_is_refused_whole_when_strict(tmp_path):
    from botu.errors import InputError

    with pytest.raises(InputError, match="is not in the archive"):
        import_project(export("atlasti-8.4-sample"), tmp_path / "raw", strict=True)
    assert not (tmp_path / "raw").exists()


def test_reimport_keeps_what_people_completed(tmp_path):
    root = tmp_path / "study"
    assert main(["init", str(root)]) == 0
    raw = root / "data" / "raw"
    import_project(export("nvivo-mac-12.7"), raw)
    teams = (raw / "teams.csv").read_text(encoding="utf-8").splitlines()
    teams[1] = teams[1].replace(",,", ",Vaccinatie,", 1)  # a theme, by hand
    teams[1] = teams[1].replace("nvivo-mac-12.7,nvivo-mac-12.7", "nvivo-mac-12.7,Oltás")
    (raw / "teams.csv").write_text("\n".join(teams) + "\n", encoding="utf-8")
    segment = rows(raw / "segments.csv")[40]
    header = (raw / "ratings.csv").read_text(encoding="utf-8").strip().split(",")
    rating = {"team_id": "nvivo-mac-12.7", "factor_id": "hulpbronnen", "rater_id": "CONS"}
    rating |= {"score": "2", "evidence": segment["segment_id"]}
    with open(raw / "ratings.csv", "a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, header, restval="", lineterminator="\n").writerow(rating)
    before_teams = rows(raw / "teams.csv")
    # an updated export: the Windows one holds more codings of the same text
    assert main(["import", str(export("nvivo-mac-12.7")), "--into", str(raw)]) == 2
    report = import_project(export("nvivo-mac-12.7"), raw, force=True)
    assert rows(raw / "teams.csv") == before_teams
    assert rows(raw / "teams.csv")[0]["name"] == "Oltás"
    assert [{k: v for k, v in r.items() if v} for r in rows(raw / "ratings.csv")] == [rating]
    # the evidence still names the same passage
    again = {s["segment_id"]: s["text"] for s in rows(raw / "segments.csv")}
    assert again[segment["segment_id"]] == segment["text"]
    assert report.changes is not None and report.changes.kept == {"ratings": 1}
    assert "segments: unchanged" in report.summary()
    assert report.valid


def test_a_skeleton_mapping_left_as_written_imports_as_no_mapping(tmp_path):
    skeleton = tmp_path / "mapping.yml"
    report = import_project(export("atlasti-8.4-sample"), tmp_path / "raw", write_mapping=skeleton)
    assert report.mapping_written == skeleton and not (tmp_path / "raw").exists()
    data = yaml.safe_load(skeleton.read_text(encoding="utf-8"))
    assert set(data) >= {"factors", "codes", "teams", "documents", "coders", "language"}
    assert len(data["codes"]) == 14 and len(data["documents"]) == 8
    assert set(data["coders"]) == {"ATLAS.ti", "Friedrich Markgraf", "Sebastian Petrausch"}
    assert "Mabel" in skeleton.read_text(encoding="utf-8")  # sets, offered as teams
    import_project(export("atlasti-8.4-sample"), tmp_path / "plain")
    import_project(export("atlasti-8.4-sample"), tmp_path / "mapped", skeleton)
    for name in ("codebook.yml", "documents.csv", "teams.csv"):
        plain = (tmp_path / "plain" / name).read_text(encoding="utf-8")
        assert (tmp_path / "mapped" / name).read_text(encoding="utf-8") == plain
    with pytest.raises(Exception, match="exists already"):
        import_project(export("atlasti-8.4-sample"), tmp_path / "raw", write_mapping=skeleton)


@pytest.mark.integration
@pytest.mark.parametrize("name", ALL)
def test_each_export_reaches_a_report(studies, name):
    root, _ = studies[name]
    for command in (["validate"], ["build"], ["report", "-j", "2"]):
        assert main(["--root", str(root), *command]) == 0, command
    assert (root / "reports" / "index.html").is_file()
