"""Hostile archives and projects: refused with one clear message, nothing written."""

from __future__ import annotations

import zipfile

import pytest

from botu.errors import InputError
from botu.qdpx import archive as qdpx_archive
from botu.qdpx import export_project, import_project
from tests.qdpx.builders import (
    BILLION_LAUGHS,
    STYLES,
    VALID_QDE,
    XXE,
    assert_nothing_written,
    build_qdpx,
    gid,
    hostile,
    one_selection_project,
    read_rows,
)


@pytest.mark.parametrize("member", ["../../x", "/tmp/botu-abs-x", "a/../../x", "C:\\x"])
def test_archive_member_escaping_the_target_is_refused(tmp_path, member):
    qdpx = hostile(tmp_path, {"project.qde": VALID_QDE, member: b"pwned"})
    into = tmp_path / "work" / "raw"
    with pytest.raises(InputError, match=r"refused: archive member .* outside the target"):
        import_project(qdpx, into)
    assert not (tmp_path.parent / "x").exists() and not (tmp_path / "x").exists()
    assert not into.exists()


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_entity_attacks_are_refused(tmp_path, xml):
    into = tmp_path / "raw"
    with pytest.raises(InputError) as info:
        import_project(hostile(tmp_path, {"project.qde": xml}), into)
    assert "hostile.qdpx[project.qde]: refused: declares a DTD" in str(info.value)
    assert_nothing_written(tmp_path, into)


def test_zip_bomb_by_ratio_is_refused(tmp_path):
    bomb = hostile(tmp_path, {"project.qde": VALID_QDE, "sources/a.txt": b"\0" * (20 * 2**20)})
    assert bomb.stat().st_size < 100_000
    with pytest.raises(InputError, match=r"sources/a.txt' unpacks [\d,]+ times .* zip bomb"):
        import_project(bomb, tmp_path / "raw")
    assert_nothing_written(tmp_path, tmp_path / "raw")


def test_archive_too_large_unpacked_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(qdpx_archive, "MAX_UNPACKED_BYTES", 1000)
    qdpx = build_qdpx(tmp_path / "big.qdpx", STYLES["nvivo"])
    with pytest.raises(InputError, match=r"unpacks to [\d.]+ KB \(at most 1000 bytes\)"):
        import_project(qdpx, tmp_path / "raw")


def test_not_a_zip_and_no_project_file(tmp_path):
    junk = tmp_path / "junk.qdpx"
    junk.write_bytes(b"not a zip")
    with pytest.raises(InputError, match=r"not a readable \.qdpx"):
        import_project(junk, tmp_path / "raw")
    with pytest.raises(InputError, match=r"no project file \(\*.qde\)"):
        import_project(hostile(tmp_path, {"sources/a.txt": b"x"}), tmp_path / "raw")
    with pytest.raises(InputError, match="holds 2 project files"):
        import_project(
            hostile(tmp_path, {"a.qde": VALID_QDE, "b.qde": VALID_QDE}), tmp_path / "raw"
        )
    with pytest.raises(InputError, match="not well-formed XML"):
        import_project(hostile(tmp_path, {"project.qde": b"<Project"}), tmp_path / "raw")


def test_deeply_nested_code_tree_is_refused(tmp_path):
    codes = "".join(f'<Code guid="{gid(str(n))}" name="c{n}" isCodable="true">' for n in range(150))
    xml = (
        '<Project xmlns="urn:QDA-XML:project:1.0" name="x"><CodeBook><Codes>'
        + codes
        + "</Code>" * 150
        + "</Codes></CodeBook></Project>"
    ).encode()
    with pytest.raises(InputError, match="codes nested more than 100 deep"):
        import_project(hostile(tmp_path, {"project.qde": xml}), tmp_path / "raw")


def test_unsupported_xml_encoding_is_one_clear_error(tmp_path):
    xml = b'<?xml version="1.0" encoding="utf-7"?><Project name="x"/>'
    with pytest.raises(InputError, match="unsupported XML encoding"):
        import_project(hostile(tmp_path, {"project.qde": xml}), tmp_path / "raw")


def test_member_names_differing_only_in_case_are_refused(tmp_path):
    qdpx = hostile(tmp_path, {"project.qde": VALID_QDE, "PROJECT.QDE": VALID_QDE})
    with pytest.raises(InputError, match="appears twice"):
        import_project(qdpx, tmp_path / "raw")


@pytest.mark.parametrize(
    ("limit", "value", "message"),
    [
        ("MAX_SELECTED_CHARS", 5, "the selections cover 11 characters"),
        ("MAX_SELECTIONS", 0, "1 text selections"),
        ("MAX_NAME_CHARS", 3, "<Code> name is 6 characters"),
    ],
)
def test_projects_asking_for_unbounded_work_are_refused(
    tmp_path, monkeypatch, limit, value, message
):
    from botu.qdpx import importer

    monkeypatch.setattr(importer, limit, value)
    text = "kennis hier"
    qdpx_file = hostile(
        tmp_path,
        {"project.qde": one_selection_project(text), f"Sources/{gid('src')}.txt": text.encode()},
    )
    with pytest.raises(InputError, match=message):
        import_project(qdpx_file, tmp_path / "raw")
    assert not (tmp_path / "raw").exists()


def test_sidecar_only_from_botu_and_without_yaml_aliases(tmp_path, tiny_raw):
    members = {}
    with zipfile.ZipFile(export_project(tiny_raw, tmp_path / "t.qdpx")) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    bomb = b'a: &a ["x", "x"]\nb: &b [*a, *a]\ncodes: [*b, *b]\n'
    with pytest.raises(InputError, match="anchors and aliases"):
        import_project(hostile(tmp_path, {**members, "botu/codebook.yml": bomb}), tmp_path / "a")
    # a project another tool wrote: a botu/ folder in it is not trusted
    qde = members["project.qde"].replace(b'origin="botu', b'origin="NVivo 14 (was botu')
    import_project(hostile(tmp_path, {**members, "project.qde": qde}, "n.qdpx"), tmp_path / "b")
    assert read_rows(tmp_path / "b" / "ratings.csv") == []
