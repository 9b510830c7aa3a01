"""The SiBD phases (issue 11, part 4): per team the phases reached and when, from the dated
documents; the timeline figure."""

from __future__ import annotations

import csv

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from botu import phases, plots
from botu.dataset import load_dataset
from tests.conftest import REPO


@pytest.fixture(scope="module")
def demo():
    return load_dataset(REPO / "data" / "raw")


def test_each_team_and_phase_gets_its_documents_and_dates(demo):
    table = phases.phase_table(demo)
    assert len(table) == len(demo.team_ids) * len(phases.PHASES)
    with open(REPO / "data" / "raw" / "documents.csv", encoding="utf-8") as handle:
        docs = list(csv.DictReader(handle))  # counted here without botu
    for row in table.itertuples():
        dates = sorted(
            d["date"] for d in docs if d["team_id"] == row.team_id and d["phase"] == str(row.phase)
        )
        assert row.n_documents == len(dates)
        assert (row.first_date, row.last_date) == ((dates[0], dates[-1]) if dates else ("", ""))


def test_reached_is_the_typed_phase_and_unknown_stays_unknown(demo):
    table = phases.phase_table(demo).set_index(["team_id", "phase"])
    typed = dict(zip(demo.teams["team_id"], demo.teams["sibd_phase_reached"], strict=True))
    for (team, phase), row in table.iterrows():
        assert bool(row["is_reached"]) == (phase <= int(typed[team]))
    teams = demo.teams.copy()
    teams.loc[teams["team_id"] == "T01", "sibd_phase_reached"] = pd.NA
    demo_unknown = type(demo).__new__(type(demo))
    demo_unknown.__dict__.update(demo.__dict__, teams=teams)
    unknown = phases.phase_table(demo_unknown)
    assert unknown.loc[unknown["team_id"] == "T01", "is_reached"].isna().all()


def test_findings_count_the_teams_per_phase_and_flag_material_beyond_it(demo):
    table = phases.phase_table(demo)
    found = phases.phase_findings(table, demo.teams)
    reached = pd.to_numeric(demo.teams["sibd_phase_reached"])
    assert found["n_teams_reached"] == {str(p): int((reached >= p).sum()) for p in phases.PHASES}
    t01 = next(t for t in found["teams"] if t["team_id"] == "T01")
    assert t01["began"]["1"] == "2021-04-02" and t01["documented"] == 3 and t01["reached"] == 4
    assert found["documented_beyond_reached"] == []
    # the material covers the start: teams that got further than it are listed
    assert found["reached_beyond_material"] == sorted(
        t["team_id"] for t in found["teams"] if t["reached"] > t["documented"]
    )
    assert "T01" in found["reached_beyond_material"]  # reached 4, documents up to phase 3
    teams = demo.teams.copy()
    teams.loc[teams["team_id"] == "T01", "sibd_phase_reached"] = 2  # documents of phase 3 exist
    assert phases.phase_findings(table, teams)["documented_beyond_reached"] == ["T01"]


def test_the_timeline_draws_each_documented_phase_and_says_what_it_shows(demo):
    table = phases.phase_table(demo)
    names = dict(zip(demo.teams["team_id"], demo.teams["name"], strict=True))
    fig = plots.phase_timeline(table, team_names=names, reached={"T01": 4}, lang="nl")
    try:
        bars = [p for p in fig.axes[0].patches if p.get_width() > 0]
        assert len(bars) == int((table["n_documents"] > 0).sum())
        assert "fase 4" in " ".join(t.get_text() for t in fig.axes[0].texts)  # T01 reached 4
        alt = plots.alt_text(fig)
        assert all(name in alt for name in names.values()) and "nan" not in alt
        legend = [t.get_text() for t in fig.legends[0].get_texts()]
        assert legend == ["fase 1", "fase 2", "fase 3"]  # the phases with material
    finally:
        plt.close(fig)
    empty = table.assign(first_date="", last_date="")
    assert plots.phase_timeline(empty, lang="en") is None


def test_the_timeline_reads_a_processed_table_with_empty_dates(demo, tmp_path):
    from botu.io import read_processed, write_csv

    write_csv(phases.phase_table(demo), tmp_path / "phases.csv")
    fig = plots.phase_timeline(read_processed("phases", tmp_path), lang="en")
    try:
        assert "nan" not in plots.alt_text(fig)
    finally:
        plt.close(fig)


def test_undated_documents_count_but_give_no_date(demo):
    docs = demo.documents.copy()
    t01 = docs["team_id"] == "T01"
    docs.loc[t01 & (docs["phase"] == 1), "date"] = pd.NaT  # the whole phase undated
    docs.loc[docs.index[t01 & (docs["phase"] == 2)][:1], "date"] = pd.NaT  # one of a phase
    undated = type(demo).__new__(type(demo))
    undated.__dict__.update(demo.__dict__, tables={**demo.tables, "documents": docs})
    table = phases.phase_table(undated).set_index(["team_id", "phase"])
    before = phases.phase_table(demo).set_index(["team_id", "phase"])
    assert (table.loc[("T01", 1), "first_date"], table.loc[("T01", 1), "last_date"]) == ("", "")
    assert table.loc[("T01", 1), "n_documents"] == before.loc[("T01", 1), "n_documents"]
    dated = docs.loc[t01 & (docs["phase"] == 2), "date"].dropna().astype(str)
    assert table.loc[("T01", 2), "first_date"] == dated.min()
    assert (
        "1"
        not in next(
            t
            for t in phases.phase_findings(table.reset_index(), undated.teams)["teams"]
            if t["team_id"] == "T01"
        )["began"]
    )
