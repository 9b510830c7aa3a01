"""Re-import rules: what comes from the tool is replaced, what people wrote stays."""

from __future__ import annotations

import zipfile

import pytest
import yaml

from botu.errors import InputError
from botu.qdpx import import_project
from botu.qdpx.merge import coding_changes, dangling, merge_rows, stable_segment_ids
from tests.qdpx.builders import STYLES, build_qdpx, gid, hostile, read_rows


def seg(sid, doc, start, end, text):
    return {"segment_id": sid, "document_id": doc, "start": start, "end": end, "text": text}


def test_segments_keep_their_ids_when_found_again():
    old = [
        seg("S0001", "D1", "0", "5", "alpha"),
        seg("S0002", "D1", "10", "14", "beta"),
        seg("S0003", "D1", "20", "25", "gamma"),
        seg("S0004", "D2", "0", "5", "delta"),
    ]
    new = [
        seg("S0001", "D1", 3, 8, "alpha"),  # moved: text inserted before it
        seg("S0002", "D1", 10, 14, "BETA"),  # same span, text edited: changed
        seg("S0003", "D1", 30, 37, "epsilon"),  # new
        seg("S0004", "D2", 0, 5, "delta"),  # unchanged
    ]
    codings = [{"segment_id": s["segment_id"], "code_id": "c", "coder_id": "A"} for s in new]
    segments, codings, counts = stable_segment_ids(new, codings, old)
    assert [s["segment_id"] for s in segments] == ["S0001", "S0002", "S0005", "S0004"]
    assert [c["segment_id"] for c in codings] == ["S0001", "S0002", "S0005", "S0004"]
    assert counts == {"added": 1, "removed": 1, "changed": 1}  # gamma is gone


def test_a_fresh_import_keeps_the_importers_ids():
    new = [seg("S001", "D1", 0, 5, "alpha")]
    segments, _, counts = stable_segment_ids(new, [], [])
    assert segments[0]["segment_id"] == "S001" and counts["added"] == 1


def test_cells_explicit_then_the_studys_then_defaults():
    new = [{"document_id": "D1", "title": "A.txt", "kind": ""}, {"document_id": "D3"}]
    old = [
        {"document_id": "D1", "kind": "interview", "respondent_id": "R1", "title": "old"},
        {"document_id": "D2", "kind": "document"},
    ]
    defaults = {("documents", "D1"): {"kind": "document"}, ("documents", "D3"): {"kind": "x"}}
    rows = merge_rows("documents", new, old, defaults, keep_old=False)
    assert rows[0]["kind"] == "interview" and rows[0]["respondent_id"] == "R1"
    assert rows[0]["title"] == "A.txt"  # the tool's title wins
    assert rows[1]["kind"] == "x"
    assert [r["document_id"] for r in rows] == ["D1", "D3"]  # D2 left the export
    teams = merge_rows("teams", [{"team_id": "T1"}], [{"team_id": "T9", "name": "hand"}], {}, True)
    assert [t["team_id"] for t in teams] == ["T1", "T9"]  # a team made by hand stays


def test_changes_and_dangling_rows():
    old = [{"segment_id": "S1", "code_id": "a", "coder_id": "C", "value": ""}]
    new = [
        {"segment_id": "S1", "code_id": "a", "coder_id": "C", "value": "x"},
        {"segment_id": "S2", "code_id": "a", "coder_id": "C", "value": ""},
    ]
    assert coding_changes(new, old) == {"added": 1, "removed": 0, "changed": 1}
    found = dangling(
        {
            "teams": [{"team_id": "T1"}],
            "segments": [{"segment_id": "S1"}],
            "ratings": [{"team_id": "T2", "evidence": "S1;S9"}],
            "memberships": [{"team_id": "T1"}],
        }
    )
    assert found == [
        "ratings.csv, row 2: evidence S9 is no longer in the export; cite the segments anew",
        "ratings.csv, row 2: team 'T2' is gone",
    ]


def test_reimport_keeps_hand_edits_to_documents_and_the_codebook(tmp_path):
    qdpx = build_qdpx(tmp_path / "a.qdpx", STYLES["qualcoder"])
    raw = tmp_path / "raw"
    import_project(qdpx, raw)
    docs = (raw / "documents.csv").read_text(encoding="utf-8")
    edited = docs.replace(",document,,,", ",document,2,2021-03-04,", 1)  # phase, date by hand
    (raw / "documents.csv").write_text(edited, "utf-8")
    book = yaml.safe_load((raw / "codebook.yml").read_text(encoding="utf-8"))
    gemeente = next(c for c in book["codes"] if c.get("tool") == "Gemeente")
    gemeente["parent"] = "responsiviteit"  # placed under a factor by hand
    gemeente["rubric"] = {0: "niets", 3: "veel"}
    gemeente["label"] = {"nl": "Gemeente reageert", "en": "Municipality responds"}
    (raw / "codebook.yml").write_text(yaml.safe_dump(book, allow_unicode=True), "utf-8")
    report = import_project(qdpx, raw, force=True)
    first = read_rows(raw / "documents.csv")[0]
    assert (first["phase"], first["date"]) == ("2", "2021-03-04")
    again = yaml.safe_load((raw / "codebook.yml").read_text(encoding="utf-8"))
    kept = next(c for c in again["codes"] if c.get("tool") == "Gemeente")
    assert kept["parent"] == "responsiviteit" and kept["rubric"] == {0: "niets", 3: "veel"}
    assert kept["label"] == {"nl": "Gemeente reageert", "en": "Municipality responds"}
    assert report.changes is not None and "segments: unchanged" in report.summary()
    assert report.valid


SETS_PROJECT = """<Project xmlns="urn:QDA-XML:project:1.0" name="Sets" origin="ATLAS.ti 9">
  <Users><User guid="{u}" name="Anna"/></Users>
  <CodeBook><Codes><Code guid="{c}" name="Kennis en ervaring" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="{s1}" name="Interview 1.txt">
      <PlainTextContent>een twee drie</PlainTextContent>
      <PlainTextSelection guid="{p1}" startPosition="4" endPosition="8" creatingUser="{u}">
        <Coding guid="{k1}" creatingUser="{u}"><CodeRef targetGUID="{c}"/></Coding>
      </PlainTextSelection></TextSource>
    <TextSource guid="{s2}" name="Verslag 2.txt"><PlainTextContent>vier vijf</PlainTextContent>
    </TextSource>
    <TextSource guid="{s3}" name="Interview 3.txt"><PlainTextContent>zes</PlainTextContent>
    </TextSource>
  </Sources>
  <Sets>
    <Set guid="{a}" name="Team Zorg"><MemberSource targetGUID="{s1}"/>
      <MemberSource targetGUID="{s2}"/></Set>
    <Set guid="{b}" name="Team Jeugd"><MemberSource targetGUID="{s3}"/></Set>
    <Set guid="{all}" name="Alle documenten"><MemberSource targetGUID="{s1}"/>
      <MemberSource targetGUID="{s2}"/><MemberSource targetGUID="{s3}"/></Set>
  </Sets>
</Project>"""


def sets_project(tmp_path):
    keys = ("u", "c", "s1", "s2", "s3", "p1", "k1", "a", "b", "all")
    xml = SETS_PROJECT.format(**{k: gid(k) for k in keys})
    return hostile(tmp_path, {"project.qde": xml.encode()}, name="sets.qdpx")


def test_document_sets_that_split_the_documents_are_teams(tmp_path):
    report = import_project(sets_project(tmp_path), tmp_path / "raw")
    teams = read_rows(tmp_path / "raw" / "teams.csv")
    assert [(t["team_id"], t["name"]) for t in teams] == [
        ("Team_Zorg", "Team Zorg"),
        ("Team_Jeugd", "Team Jeugd"),
    ]
    docs = read_rows(tmp_path / "raw" / "documents.csv")
    assert [d["team_id"] for d in docs] == ["Team_Zorg", "Team_Zorg", "Team_Jeugd"]
    assert docs[0]["groups"] == "Team Zorg; Alle documenten"
    assert report.teams_from == "2 document set(s) of the project"
    # the code named like a codebook label is that code
    assert {c["code_id"] for c in read_rows(tmp_path / "raw" / "codings.csv")} == {"hb_kennis"}


def test_mapping_teams_and_document_patterns(tmp_path):
    mapping = tmp_path / "m.yml"
    mapping.write_text(
        "teams:\n  Team Jeugd: {team_id: T02, coalition_type: nieuw}\n  T09: {name: Los team}\n"
        "documents:\n  'Interview*': {kind: interview}\n  Verslag 2.txt: {team_id: T09}\n",
        encoding="utf-8",
    )
    report = import_project(sets_project(tmp_path), tmp_path / "raw", mapping)
    teams = read_rows(tmp_path / "raw" / "teams.csv")
    # the one set named a team; the document in none of the named sets gets a team of its own
    assert [(t["team_id"], t["coalition_type"]) for t in teams] == [("T02", "nieuw"), ("Sets", "")]
    docs = read_rows(tmp_path / "raw" / "documents.csv")
    assert [(d["kind"], d["team_id"]) for d in docs] == [
        ("interview", "Sets"),
        ("document", "T09"),
        ("interview", "T02"),
    ]
    # the entry T09 matched no set: reported, not silently dropped
    assert any("'T09' matches nothing" in w.message for w in report.warnings)


def test_teams_from_the_mapping_alone(tmp_path):
    xml = SETS_PROJECT.split("<Sets>")[0].format(
        **{k: gid(k) for k in ("u", "c", "s1", "s2", "s3", "p1", "k1")}
    )
    qdpx = hostile(tmp_path, {"project.qde": (xml + "</Project>").encode()}, name="n.qdpx")
    mapping = tmp_path / "m.yml"
    mapping.write_text(
        "teams:\n  T01: {name: Zorg}\n  T02: {name: Jeugd}\n"
        "documents:\n  'Interview 1*': {team_id: T01}\n  '*': {team_id: T02}\n",
        encoding="utf-8",
    )
    report = import_project(qdpx, tmp_path / "raw", mapping)
    teams = read_rows(tmp_path / "raw" / "teams.csv")
    assert [(t["team_id"], t["name"]) for t in teams] == [("T01", "Zorg"), ("T02", "Jeugd")]
    docs = read_rows(tmp_path / "raw" / "documents.csv")
    assert [d["team_id"] for d in docs] == ["T01", "T02", "T02"]
    assert report.teams_from == "2 team(s) defined in m.yml"
    assert not [w for w in report.warnings if "matches nothing" in w.message]
    assert report.valid


def test_a_study_in_a_workbook_is_not_reimported_as_csv(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "botu.xlsx").write_bytes(b"PK")
    with pytest.raises(InputError, match="keeps its tables in a workbook"):
        import_project(sets_project(tmp_path), raw, force=True)


def test_widened_or_narrowed_selections_keep_their_ids():
    old = [seg("S0001", "D1", "10", "20", "money was short")]
    new = [seg("S0001", "D1", 5, 20, "said money was short")]
    segments, _, counts = stable_segment_ids(new, [], old)
    assert segments[0]["segment_id"] == "S0001" and counts["changed"] == 1


def no_sets_project(tmp_path, name="n.qdpx", source_name="Interview 1.txt", code="Kennis"):
    xml = SETS_PROJECT.split("<Sets>")[0].format(
        **{k: gid(k) for k in ("u", "c", "s1", "s2", "s3", "p1", "k1")}
    )
    xml = xml.replace('name="Interview 1.txt"', f'name="{source_name}"')
    xml = xml.replace('name="Kennis en ervaring"', f'name="{code}"')
    (tmp_path / "x").mkdir(exist_ok=True)
    return hostile(tmp_path / "x", {"project.qde": (xml + "</Project>").encode()}, name=name)


def replace_in(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_reimport_of_a_project_without_teams_keeps_the_studys_teams(tmp_path):
    raw = tmp_path / "raw"
    import_project(no_sets_project(tmp_path), raw)
    assert [t["team_id"] for t in read_rows(raw / "teams.csv")] == ["Sets"]
    replace_in(raw / "teams.csv", "Sets,Sets", "T01,Team Een")  # the team renamed by hand
    replace_in(raw / "documents.csv", ",Sets,", ",T01,")
    # the same project exported under another file name
    report = import_project(no_sets_project(tmp_path, name="export-2025-07.qdpx"), raw, force=True)
    assert [t["team_id"] for t in read_rows(raw / "teams.csv")] == ["T01"]
    assert {d["team_id"] for d in read_rows(raw / "documents.csv")} == {"T01"}
    assert "documents: unchanged" in report.summary() and report.valid


def test_a_source_renamed_in_the_tool_keeps_its_document_and_segments(tmp_path):
    raw = tmp_path / "raw"
    import_project(no_sets_project(tmp_path), raw)
    replace_in(raw / "documents.csv", "Interview_1,Sets,document,,", "Interview_1,Sets,document,2,")
    before = read_rows(raw / "segments.csv")
    renamed = no_sets_project(tmp_path, name="b.qdpx", source_name="Interview 1 (final).txt")
    report = import_project(renamed, raw, force=True)
    docs = read_rows(raw / "documents.csv")
    assert docs[0]["document_id"] == "Interview_1" and docs[0]["phase"] == "2"
    assert docs[0]["title"] == "Interview 1 (final).txt"
    assert read_rows(raw / "segments.csv") == before
    assert "documents: 0 added, 0 removed, 1 changed" in report.summary()


def test_codes_keep_their_id_and_hand_work_across_new_guids_and_deletion(tmp_path):
    raw = tmp_path / "raw"
    import_project(no_sets_project(tmp_path, code="Trots"), raw)
    book = yaml.safe_load((raw / "codebook.yml").read_text(encoding="utf-8"))
    trots = next(c for c in book["codes"] if c.get("tool") == "Trots")
    trots.update(parent="bewonersinitiatief", rubric={0: "geen", 3: "veel"}, rated=True)
    (raw / "codebook.yml").write_text(yaml.safe_dump(book, allow_unicode=True), "utf-8")
    # the same code under another GUID (another installation's export): the same code
    other = no_sets_project(tmp_path, name="c.qdpx", code="Trots")
    with zipfile.ZipFile(other) as z:
        xml = z.read("project.qde").decode().replace(gid("c"), gid("c-new"))
    other = hostile(tmp_path / "x", {"project.qde": xml.encode()}, name="c2.qdpx")
    report = import_project(other, raw, force=True)
    again = yaml.safe_load((raw / "codebook.yml").read_text(encoding="utf-8"))
    kept = next(c for c in again["codes"] if c.get("tool") == "Trots")
    assert kept["id"] == "trots" and kept["parent"] == "bewonersinitiatief"
    assert kept["rubric"] == {0: "geen", 3: "veel"} and kept["tool_guid"] == gid("c-new")
    assert not report.removed_codes
    # deleted in the tool: kept as a code of the study, since people wrote its rubric
    gone = no_sets_project(tmp_path, name="d.qdpx", code="Iets anders")
    report = import_project(gone, raw, force=True)
    codes = {c["id"]: c for c in yaml.safe_load((raw / "codebook.yml").read_text("utf-8"))["codes"]}
    assert "trots" in codes and "tool" not in codes["trots"] and codes["trots"]["rubric"]
    assert any("'trots'" in w.message and "rubric" in w.message for w in report.warnings)


def test_coding_values_and_notes_people_wrote_survive_a_reimport(tmp_path):
    raw = tmp_path / "raw"
    qdpx = no_sets_project(tmp_path, code="Geld")  # hb_geld: its codings need a value
    report = import_project(qdpx, raw)
    assert not report.valid  # the value is for people to fill in
    replace_in(raw / "codings.csv", "hb_geld,Anna,", "hb_geld,Anna,fonds")
    report = import_project(qdpx, raw, force=True)
    assert read_rows(raw / "codings.csv")[0]["value"] == "fonds"
    assert "codings: unchanged" in report.summary() and report.valid


def test_a_codebook_import_keeps_the_codes_the_study_uses(tmp_path, capsys):
    raw = tmp_path / "raw"
    import_project(no_sets_project(tmp_path, code="Trots"), raw)
    qdc = tmp_path / "other.qdc"
    qdc.write_text(
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        f'<Code guid="{gid("q")}" name="Nieuw" isCodable="true"/></Codes></CodeBook>',
        encoding="utf-8",
    )
    report = import_project(qdc, raw, force=True)
    ids = {c["id"] for c in yaml.safe_load((raw / "codebook.yml").read_text("utf-8"))["codes"]}
    assert {"trots", "nieuw"} <= ids and report.valid
    assert any("still used" in w.message for w in report.warnings)


def test_the_repositorys_demo_data_and_a_study_root_are_not_import_targets(tmp_path):
    from tests.conftest import REPO

    qdpx = no_sets_project(tmp_path)
    with pytest.raises(InputError, match="fictional demo data"):
        import_project(qdpx, REPO / "data" / "raw", force=True)
    study = tmp_path / "study"
    (study / "data" / "raw").mkdir(parents=True)
    with pytest.raises(InputError, match=r"import into its data folder: --into .*data/raw"):
        import_project(qdpx, study, force=True)


@pytest.mark.parametrize(
    "text, message",
    [
        ("coders:\n  a: &x C1\n  b: *x\n", "anchors and aliases"),
        ("coders: {Anna: }\n", "give a coder id"),
        ("teams: {Team Zorg: '../../evil'}\n", r"teams.Team Zorg.team_id.*not a valid id"),
        ("documents: {'*': {respondent_id: 'a b'}}\n", "not a valid id"),
    ],
)
def test_bad_mapping_entries_are_refused(tmp_path, text, message):
    mapping = tmp_path / "m.yml"
    mapping.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        import_project(no_sets_project(tmp_path), tmp_path / "raw", mapping)
    assert not (tmp_path / "raw").exists()


def test_documents_in_no_case_get_a_team_of_their_own(tmp_path):
    keys = ("u", "c", "s1", "s2", "s3", "p1", "k1")
    xml = SETS_PROJECT.split("<Sets>")[0].format(**{k: gid(k) for k in keys})
    cases = (
        f'<Cases><Case guid="{gid("case")}" name="Team Zorg">'
        f'<SourceRef targetGUID="{gid("s1")}"/><SourceRef targetGUID="{gid("s2")}"/>'
        "</Case></Cases></Project>"
    )
    (tmp_path / "y").mkdir()
    partial = hostile(tmp_path / "y", {"project.qde": (xml + cases).encode()}, name="p.qdpx")
    report = import_project(partial, tmp_path / "raw")
    teams = read_rows(tmp_path / "raw" / "teams.csv")
    assert [(t["team_id"], t["name"]) for t in teams] == [
        ("Team_Zorg", "Team Zorg"),
        ("Sets", "Sets (rest)"),
    ]
    docs = read_rows(tmp_path / "raw" / "documents.csv")
    assert [d["team_id"] for d in docs] == ["Team_Zorg", "Team_Zorg", "Sets"]
    assert "'Sets' for the 1 document(s) in none of them" in report.summary()
    assert report.valid


def test_a_code_kept_for_its_rubric_moves_up_when_its_parent_leaves(tmp_path):
    raw = tmp_path / "raw"
    project = build_qdpx(tmp_path / "a.qdpx", STYLES["qualcoder"])
    import_project(project, raw)
    book = yaml.safe_load((raw / "codebook.yml").read_text(encoding="utf-8"))
    for code in book["codes"]:
        if code.get("tool") == "Gemeente":
            code["rubric"] = {0: "niets", 3: "veel"}
    (raw / "codebook.yml").write_text(yaml.safe_dump(book, allow_unicode=True), "utf-8")
    other = no_sets_project(tmp_path, code="Iets anders")  # none of those codes any more
    report = import_project(other, raw, force=True)
    codes = {c["id"]: c for c in yaml.safe_load((raw / "codebook.yml").read_text("utf-8"))["codes"]}
    assert codes["gemeente"]["parent"] in codes or codes["gemeente"]["parent"] is None
    assert report.valid, [str(p) for p in report.validation]


def test_export_codebook_keeps_tool_guids_so_a_reimport_knows_the_codes(tmp_path):
    from botu.qdpx import export_codebook

    raw = tmp_path / "raw"
    import_project(build_qdpx(tmp_path / "a.qdpx", STYLES["atlasti"]), raw)
    qdc = export_codebook(raw / "codebook.yml", tmp_path / "book.qdc")
    report = import_project(qdc, raw, force=True)
    ids = [c["id"] for c in yaml.safe_load((raw / "codebook.yml").read_text("utf-8"))["codes"]]
    assert not [i for i in ids if i.endswith("_2")] and len(ids) == len(set(ids))
    assert not report.removed_codes and report.valid


def test_long_names_give_bounded_ids(tmp_path):
    raw = tmp_path / "raw"
    import_project(no_sets_project(tmp_path, source_name="x" * 300, code="y" * 300), raw)
    assert all(len(d["document_id"]) <= 60 for d in read_rows(raw / "documents.csv"))
    assert all(len(c["code_id"]) <= 60 for c in read_rows(raw / "codings.csv"))


def test_a_project_with_nothing_codable_is_refused(tmp_path):
    xml = (
        '<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="NVivo 14"><Sources>'
        f'<PictureSource guid="{gid("pic")}" name="Foto" path="internal://x.png"/>'
        "</Sources></Project>"
    )
    qdpx = hostile(tmp_path, {"project.qde": xml.encode()})
    with pytest.raises(InputError, match=r"nothing codable.*1 picture"):
        import_project(qdpx, tmp_path / "raw")
    assert not (tmp_path / "raw").exists()


def test_a_code_renamed_in_the_tool_gets_its_new_label_unless_people_wrote_one(tmp_path):
    raw = tmp_path / "raw"
    import_project(no_sets_project(tmp_path, code="Trots"), raw)
    report = import_project(no_sets_project(tmp_path, name="r.qdpx", code="Fier"), raw, force=True)
    codes = {c["id"]: c for c in yaml.safe_load((raw / "codebook.yml").read_text("utf-8"))["codes"]}
    assert codes["trots"]["label"] == "Fier" and codes["trots"]["tool"] == "Fier"
    assert report.renamed_codes == [("Trots", "Fier")]
    assert "kept the study's team" not in report.summary()  # the same team: nothing to say
