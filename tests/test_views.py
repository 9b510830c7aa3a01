import pytest

from botu import views
from botu.pipeline import load_summary


def test_qca_cases_join_attributes_and_scores(built):
    cases = views.qca_cases(built).set_index("team_id")
    assert cases.loc["T02", "coalition_type"] == "nieuw"
    assert cases.loc["T02", "door_de_wijk"] == 2


@pytest.mark.parametrize(
    ("outcome", "conditions", "calibration", "message"),
    [
        ("door_de_wijk", ["kleur"], {}, r"unknown QCA column\(s\) \['kleur'\]; choose from"),
        ("door_de_wijk", [], {}, "non-empty list"),
        ("door_de_wijk", ["a", "b", "c", "d", "e"], {}, "at most 4"),
        ("door_de_wijk", ["coalition_type"], {"kleur": [">=", 1]}, "unknown column 'kleur'"),
    ],
)
def test_check_qca_names_what_is_wrong(built, outcome, conditions, calibration, message):
    with pytest.raises(ValueError, match=message):
        views.check_qca(outcome, conditions, calibration, built)


def test_check_qca_turns_literals_into_rules(built):
    _, _, rules = views.check_qca(
        "door_de_wijk",
        ["coalition_type"],
        {"door_de_wijk": [">=", 2], "coalition_type": ["nieuw"]},
        built,
    )
    assert rules == {"door_de_wijk": (">=", 2), "coalition_type": {"nieuw"}}


def test_findings_prose_uses_the_summary(built):
    summary = load_summary(built)
    text = views.findings_markdown(summary, "nl")
    assert f"{summary['coalitions']['n_established']} van de 2 teams" in text
    english = views.findings_markdown(summary, "en")
    assert "Established cooperation dominates" in english


def test_reliability_text_reads_each_value(built):
    text = views.reliability_text(load_summary(built), "en", root=built)
    assert "α =" in text and "κ =" in text and "Team ratings" in text
