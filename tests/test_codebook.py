import pytest

from botu.codebook import load_codebook
from botu.errors import InputError
from tests.conftest import REPO, TINY_CODEBOOK


@pytest.fixture
def book(tmp_path):
    path = tmp_path / "codebook.yml"
    path.write_text(TINY_CODEBOOK, encoding="utf-8")
    return load_codebook(path)


def test_hierarchy(book):
    assert book.subtree("bewonersinitiatief") == [
        "bewonersinitiatief",
        "uit_de_wijk",
        "bi_herkomst_bewoners",
        "door_de_wijk",
        "bi_inv_raadplegen",
        "bi_inv_meedenken",
    ]
    assert book.factor_of("bi_inv_meedenken") == "bewonersinitiatief"
    assert book.ancestors("bi_inv_meedenken") == ["door_de_wijk", "bewonersinitiatief"]
    assert book.children("door_de_wijk") == ["bi_inv_raadplegen", "bi_inv_meedenken"]


def test_levels_and_rating(book):
    assert "hb_kennis" in book.rateable  # a rated segment code
    assert "bi_inv_meedenken" not in book.rateable
    assert book.segment_codes[:2] == ["hb_kennis", "hb_geld"]
    assert book.values_of("hb_geld") == ("fonds", "gemeente")


def test_labels_fall_back(book):
    assert book.label("hulpbronnen", "en") == "Resources"
    assert book.label("hb_kennis", "en") == "Kennis"  # no English label: Dutch
    assert book.label("unknown") == "unknown"
    assert book.scale_label(3, "en") == "strong"
    assert book.scale_label(None) == "n.v.t."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("codes: [\n  {id: a, level: segment", "codebook.yml, row 2: is not valid YAML"),
        (
            "codes:\n  - {id: a, level: nope, label: {nl: A}}\n",
            "codebook.yml, row 2, column 'level': 'nope' is not one of",
        ),
        (
            "codes:\n  - {id: a, level: segment, label: {nl: A}}\n"
            "  - {id: a, level: segment, label: {nl: B}}\n",
            "row 3, column 'id': code id 'a' is defined twice",
        ),
        (
            "codes:\n  - {id: a, parent: zz, level: segment, label: {nl: A}}\n",
            "column 'parent': parent 'zz' of 'a' is not a code",
        ),
        (
            "codes:\n  - {id: a, parent: b, level: segment, label: {nl: A}}\n"
            "  - {id: b, parent: a, level: segment, label: {nl: B}}\n",
            "is its own ancestor",
        ),
        (
            "codes:\n  - {id: a, level: team_rating, label: {nl: A}, rubric: {5: x}}\n",
            "has score 5, not 0–3",
        ),
        ("nothing: here\n", "expected a mapping with a list 'codes'"),
    ],
)
def test_broken_codebook_is_located(tmp_path, text, expected):
    path = tmp_path / "codebook.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_codebook(path)
    assert expected in str(info.value)


def test_codebook_yaml_tags_are_not_executed(tmp_path):
    path = tmp_path / "codebook.yml"
    path.write_text("codes: !!python/object/apply:os.system ['echo hi']\n", encoding="utf-8")
    with pytest.raises(InputError, match="not valid YAML"):
        load_codebook(path)


def test_the_codebook_reads_the_same_on_libyaml_as_on_pyyaml():
    # libyaml parses, PyYAML's own loader only what libyaml refuses (for its messages)
    import yaml

    from botu import codebook, io

    fast = io._on_libyaml(codebook._LineLoader)
    if fast is None:
        pytest.skip("this PyYAML was built without libyaml")
    for path in [REPO / "data" / "raw" / "codebook.yml", codebook.STARTER_CODEBOOK]:
        text = path.read_text(encoding="utf-8")
        assert yaml.load(text, Loader=fast) == yaml.load(text, Loader=codebook._LineLoader)
