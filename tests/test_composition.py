import pytest

from botu import composition as comp
from botu.dataset import load_dataset
from tests.conftest import TINY_TABLES, write_project


@pytest.fixture
def data(tmp_path):
    members = TINY_TABLES["memberships"] + "T01,A04,beoogd_niet_aangehaakt,,true\n"
    actors = (
        TINY_TABLES["actors"]
        + "A04,Vastgoedontwikkelaar V1,vastgoedontwikkelaar_marktpartij,true,false,true\n"
    )
    return load_dataset(write_project(tmp_path, {"memberships": members, "actors": actors}))


def test_composition(data):
    table = comp.composition(data).set_index("team_id")
    t1, t2 = table.loc["T01"], table.loc["T02"]
    assert t1["n_members"] == 2  # the targeted developer did not join
    assert (t1["n_capital_rich_targeted"], t1["n_capital_rich_joined"]) == (1, 0)
    assert t1["prior_collaboration_years_median"] == 4.0
    assert t2["actor_types"] == "bewoners, fonds, gemeente"
    assert t2["has_residents"] and t2["has_municipality"]
    assert not t2["has_semi_public_or_market"]  # a fund is neither
    assert not t2["is_new_coalition_mix"]


def test_shared_actors_and_links(data):
    shared = comp.shared_actors(data)
    assert shared["actor_id"].tolist() == ["A01", "A02"]
    assert shared.loc[0, "teams"] == "T01;T02"
    links = comp.team_links(data)
    assert links.to_dict("records") == [
        {"team_a": "T01", "team_b": "T02", "n_shared": 2, "shared_actor_ids": "A01;A02"}
    ]


def test_actor_type_counts(data):
    counts = comp.actor_type_counts(data)
    assert counts.loc["T02"].to_dict() == {"bewoners": 1, "fonds": 1, "gemeente": 1}
    assert counts.loc["T01", "fonds"] == 0
