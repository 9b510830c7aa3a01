"""The mapping file: tool names to our ids."""

from __future__ import annotations

import pytest
import yaml

from botu.errors import InputError
from botu.qdpx import import_project
from tests.conftest import write_project
from tests.qdpx.builders import (
    FIXTURES,
    STYLES,
    build_qdpx,
    read_rows,
)


def test_mapping_maps_and_reports_unmapped_codes(tmp_path):
    qdpx = build_qdpx(tmp_path / "a.qdpx", STYLES["atlasti"])
    report = import_project(qdpx, tmp_path / "raw", FIXTURES / "mapping.yml")
    raw = tmp_path / "raw"
    codes = {
        c["id"]: c["parent"]
        for c in yaml.safe_load((raw / "codebook.yml").read_text(encoding="utf-8"))["codes"]
        if "tool" in c
    }
    # Kennis is mapped onto the codebook's hb_kennis; the category Hulpbronnen is the factor
    assert codes == {"trots_op_de_wijk": "hulpbronnen", "gemeente_reageert": "unassigned"}
    assert {c["code_id"] for c in read_rows(raw / "codings.csv")} == {
        "hb_kennis",
        "trots_op_de_wijk",
        "gemeente_reageert",
    }
    # codes without a mapping are reported, with the id they were given
    assert report.unmapped_codes == [("Hulpbronnen/Trots op de wijk", "trots_op_de_wijk")]
    assert report.matched_codes == [("Hulpbronnen", "hulpbronnen")]
    assert "1 of 2 tool codes are not under a factor" in report.summary()
    assert {c["coder_id"] for c in read_rows(raw / "codings.csv")} == {"C1", "C2"}
    assert read_rows(raw / "teams.csv")[0]["team_id"] == "T01"
    documents = read_rows(raw / "documents.csv")
    assert documents[0]["document_id"] == "D-T01-01" and documents[0]["team_id"] == "T01"
    # a mapping entry that matched nothing is a warning, not silence
    assert any("{5C1D9B1E" in p.message for p in report.warnings)


def test_mapping_drop_and_null(tmp_path):
    mapping = tmp_path / "m.yml"
    mapping.write_text("codes:\n  Gemeente: null\nunmapped: drop\n", encoding="utf-8")
    report = import_project(
        build_qdpx(tmp_path / "a.qdpx", STYLES["nvivo"]), tmp_path / "r", mapping
    )
    assert report.codings == 0 and report.segments == 0
    assert ("Gemeente", "mapped to null") in report.dropped_codes
    assert ("Hulpbronnen/Kennis", "no mapping (unmapped: drop)") in report.dropped_codes


def test_mapping_onto_an_existing_codebook(tmp_path):
    raw = write_project(tmp_path / "project")
    mapping = tmp_path / "m.yml"
    mapping.write_text(
        "codebook: project/data/raw/codebook.yml\ncodes:\n  Trots op de wijk: bi_inv_meedenken\n"
        "teams:\n  Team Zorg: T01\n",
        encoding="utf-8",
    )
    report = import_project(
        build_qdpx(tmp_path / "a.qdpx", STYLES["atlasti"]), tmp_path / "r", mapping
    )
    assert (tmp_path / "r" / "codebook.yml").read_text() == (raw / "codebook.yml").read_text()
    assert ("Hulpbronnen", "hulpbronnen") in report.matched_codes  # by id
    assert ("Hulpbronnen/Kennis", "hb_kennis") in report.matched_codes  # by label
    assert ("Gemeente", "no mapping, not in the codebook") in report.dropped_codes
    codes = {c["code_id"] for c in read_rows(tmp_path / "r" / "codings.csv")}
    assert codes == {"bi_inv_meedenken", "hb_kennis"}


def test_bad_mapping_file_is_one_clear_error(tmp_path):
    mapping = tmp_path / "m.yml"
    mapping.write_text("kodes: {}\ncodes:\n  A: not an id\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        import_project(build_qdpx(tmp_path / "a.qdpx", STYLES["nvivo"]), tmp_path / "r", mapping)
    text = str(info.value)
    assert "unknown section" in text and "'not an id' is not a valid id" in text
    assert not (tmp_path / "r").exists()


# --- unreadable and hostile input ----------------------------------------------------------
