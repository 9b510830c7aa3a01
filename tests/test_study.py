"""`python -m botu init DIR`: a new study folder, written whole or not at all."""

import os
import tomllib

import pytest

from botu import study
from botu.cli import main
from botu.codebook import STARTER_CODEBOOK
from botu.dataset import load_dataset
from botu.errors import InputError
from botu.io import read_csv_table
from botu.schema import TABLE_ORDER, TABLES
from tests.conftest import REPO

RAW_FILES = {"codebook.yml", *(f"{name}.csv" for name in TABLE_ORDER)}


def tree(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


def test_init_writes_the_study_folder(tmp_path):
    root = tmp_path / "my study"
    made = study.init_study(root)
    assert made.root == root.resolve()
    assert {p.name for p in (root / "data" / "raw").iterdir()} == RAW_FILES
    assert set(tree(root)) == {
        "README.md",
        ".gitignore",
        "data",
        "data/raw",
        *(f"data/raw/{name}" for name in RAW_FILES),
    }
    assert not (root / "data" / "private").exists()
    assert (root / "data" / "raw" / "codebook.yml").read_bytes() == STARTER_CODEBOOK.read_bytes()
    assert [p.as_posix() for p in made.files][:2] == ["README.md", ".gitignore"]
    # permissions as under the umask, not tempfile's 0700
    assert os.stat(root).st_mode & 0o777 == 0o777 & ~_umask()


def _umask():
    current = os.umask(0)
    os.umask(current)
    return current


def test_tables_have_the_contract_header_and_no_rows(tmp_path):
    raw = study.init_study(tmp_path / "s").root / "data" / "raw"
    for name, table in TABLES.items():
        read = read_csv_table(raw / f"{name}.csv")
        assert read.frame.empty
        header = list(read.frame.columns)
        assert header == study.starter_columns(name)
        required = [c.name for c in table.columns if c.required]
        assert [c for c in header if c in required] == required  # in contract order
        assert set(header) <= set(table.column_names)
        assert "is_fictional" not in header
        assert (raw / f"{name}.csv").read_bytes().endswith(b"\n")
    assert "title" in study.starter_columns("documents")
    assert "call_year" in study.starter_columns("teams")


def test_a_fresh_study_fails_validation_only_for_having_no_teams(tmp_path):
    raw = study.init_study(tmp_path / "s").root / "data" / "raw"
    with pytest.raises(InputError) as caught:
        load_dataset(raw)
    assert [str(p) for p in caught.value.problems] == [
        "teams.csv: has no rows: at least one team is needed"
    ]


def test_gitignore_covers_private_and_generated_folders(tmp_path):
    lines = (study.init_study(tmp_path / "s").root / ".gitignore").read_text().splitlines()
    for entry in ("data/private/", "data/processed/", "figures/", "reports/"):
        assert entry in lines
    assert "data/raw/" not in lines and "data/" not in lines


def test_readme_names_tables_and_commands_in_order(tmp_path):
    text = (study.init_study(tmp_path / "my study").root / "README.md").read_text()
    assert text.startswith("# my study\n")
    assert "python -m botu init 'my study'" in text
    steps = [
        "python -m botu init",
        "python -m botu import export.qdpx --into data/raw",
        "python -m botu --root . status",
        "python -m botu --root . report",
    ]
    positions = [text.index(step) for step in steps]
    assert positions == sorted(positions)
    for name in ["codebook.yml", *(f"{t}.csv" for t in TABLE_ORDER)]:
        assert f"`{name}`" in text
    assert "{{" not in text
    assert "CONS" in text and "rubric" in text and "data/private/" in text


def test_starter_files_ship_as_package_data():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "starter/*" in config["tool"]["setuptools"]["package-data"]["botu"]
    for path in (study.README_TEMPLATE, study.GITIGNORE_TEMPLATE, STARTER_CODEBOOK):
        assert path.parent.name == "starter" and path.is_file()


def test_an_empty_existing_folder_is_used(tmp_path):
    root = tmp_path / "s"
    root.mkdir()
    inode = root.stat().st_ino
    study.init_study(root)
    assert root.stat().st_ino == inode  # the folder itself is kept (it may be the shell's cwd)
    assert (root / "data" / "raw" / "teams.csv").is_file()
    assert tree(tmp_path) == [p for p in tree(tmp_path) if not p.startswith(".")]


@pytest.mark.parametrize("kind", ["non-empty", "file", "symlink"])
def test_refuses_to_overwrite_anything(tmp_path, kind, capsys):
    root = tmp_path / "s"
    if kind == "non-empty":
        root.mkdir()
        (root / "notes.txt").write_text("mine")
    elif kind == "file":
        root.write_text("mine")
    else:
        (tmp_path / "elsewhere").mkdir()
        root.symlink_to(tmp_path / "elsewhere")
    before = {p: p.read_bytes() if p.is_file() else None for p in tmp_path.rglob("*")}
    assert main(["init", str(root)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {root}: ") and err.count("\n") == 1
    assert "Traceback" not in err
    after = {p: p.read_bytes() if p.is_file() else None for p in tmp_path.rglob("*")}
    assert after == before


def test_a_folder_that_cannot_be_written_is_refused(tmp_path, capsys):
    (tmp_path / "afile").write_text("x")
    assert main(["init", str(tmp_path / "afile" / "s")]) == 2
    assert "cannot be written" in capsys.readouterr().err
    assert tree(tmp_path) == ["afile"]


def test_a_failure_midway_leaves_nothing(tmp_path, monkeypatch):
    def broken(staging, name):
        (staging / "README.md").write_text("half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(study, "_fill", broken)
    with pytest.raises(InputError, match="No space left on device"):
        study.init_study(tmp_path / "s")
    assert tree(tmp_path) == []
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError):
        study.init_study(tmp_path / "empty")
    assert tree(tmp_path) == ["empty"]


def test_cli_init_says_what_it_made_and_what_comes_next(tmp_path, capsys):
    root = tmp_path / "s"
    assert main(["init", str(root)]) == 0
    out = capsys.readouterr().out
    assert f"created study folder {root}" in out
    assert "data/raw/teams.csv" in out
    assert f"python -m botu import export.qdpx --into {root}/data/raw" in out
    assert f"python -m botu --root {root} status" in out
