"""The fictional demo data set is made from data files, and remade byte for byte (issue 9).

``scripts/make_demo_data.py`` holds the logic, ``scripts/demo_data/`` the data, and the codebook
has one source: ``botu/starter/codebook.yml``.
"""

import shutil
import subprocess
import sys

import pytest

from botu.codebook import STARTER_CODEBOOK
from tests.conftest import REPO

SCRIPT = REPO / "scripts" / "make_demo_data.py"
DATA = REPO / "scripts" / "demo_data"
RAW = REPO / "data" / "raw"
DATA_FILES = [
    "teams.yml",
    "actors.csv",
    "consensus.csv",
    "templates.yml",
    "tails.yml",
    "speakers.yml",
    "second_coder.yml",
]
LANGUAGE = "  language: nl\n"  # the demo copy's one addition to the starter codebook


def make(target, *args):
    return subprocess.run(
        [sys.executable, "scripts/make_demo_data.py", str(target), *args],
        capture_output=True,
        text=True,
        cwd=REPO,
    )


def first_difference(made: bytes, committed: bytes) -> str:
    new, old = made.decode("utf-8").splitlines(), committed.decode("utf-8").splitlines()
    for n, (a, b) in enumerate(zip(new, old, strict=False), 1):
        if a != b:
            return f"line {n}: made {a!r}, committed {b!r}"
    return f"made {len(new)} lines, committed {len(old)} (or the line ends differ)"


def body(path) -> str:
    """A codebook file's text after its leading comment lines."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    return "".join(lines)


def test_the_demo_data_are_remade_byte_for_byte(tmp_path):
    result = make(tmp_path)
    assert result.returncode == 0, result.stderr
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == sorted(p.name for p in RAW.iterdir())
    for name in made:
        new, old = (tmp_path / name).read_bytes(), (RAW / name).read_bytes()
        assert new == old, f"data/raw/{name} differs: {first_difference(new, old)}"


def test_the_codebook_has_one_source():
    demo, starter = body(RAW / "codebook.yml"), body(STARTER_CODEBOOK)
    assert demo.startswith("meta:\n") and "\ncodes:\n" in demo
    # the demo copy adds the language the starter leaves unset (an import never guesses it)
    assert LANGUAGE in demo
    assert demo.replace(LANGUAGE, "", 1) == starter.replace(LANGUAGE, "", 1)
    assert (RAW / "codebook.yml").read_text(encoding="utf-8").startswith("# Codebook: ")


def test_the_generator_holds_logic_not_data():
    source = SCRIPT.read_text(encoding="utf-8")
    assert len(source.splitlines()) < 700
    assert sorted(p.name for p in DATA.iterdir()) == sorted(DATA_FILES)
    for name in DATA_FILES:
        text = (DATA / name).read_text(encoding="utf-8")
        assert text.startswith("# FICTIONAL demo material"), name
    # a quote, an actor, a rubric: each lives in a data file or the codebook, not in the script
    for literal in [
        "Kennis is het probleem niet",
        "Gemeente Rotterdam (gebiedsteam)",
        "Niet genoemd.",
    ]:
        assert literal not in source
    assert "Kennis is het probleem niet" in (DATA / "templates.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "old", "new", "said"),
    [
        (  # a template naming a code the codebook lacks
            "templates.yml",
            "also: [bar_tijd]",
            "also: [bar_tijdgebrek]",
            "'hb_tijd', quote 1, also: 'bar_tijdgebrek' is not a segment code of the codebook",
        ),
        (  # a team naming an actor that actors.csv lacks
            "teams.yml",
            "- [A18, kern, 6]",
            "- [A99, kern, 6]",
            "team T01: member 'A99' is not in actors.csv",
        ),
        (  # a rated factor of the codebook without consensus scores
            "consensus.csv",
            "bar_coordinatie,1,2,2,2,1,1,0\n",
            "",
            "no row for the codebook's factor 'bar_coordinatie'",
        ),
        (  # a placeholder no team fills in
            "templates.yml",
            "{lead} werkt al jaren",
            "{leider} werkt al jaren",
            "'hb_kennis', quote 1: no team has ['leider']",
        ),
    ],
)
def test_a_bad_data_file_is_named_without_a_traceback(tmp_path, name, old, new, said):
    data = tmp_path / "demo_data"
    shutil.copytree(DATA, data)
    text = (data / name).read_text(encoding="utf-8")
    assert old in text
    (data / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    out = tmp_path / "out"
    result = make(out, "--data", str(data))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr == f"make_demo_data: {data / name}: {said}\n"
    assert not out.exists()  # nothing is written
