"""The teams through the four phases of Social Impact by Design (SiBD): which phases each team
reached and when, read from its material.

Every document is dated and carries the phase it is about (``documents.date``, ``.phase``);
a team's phase is *documented* from its first to its last document of that phase. The phase
the team reached (``teams.sibd_phase_reached``) is typed; material beyond it, or a phase
reached without any material, is listed so a reader sees the two side by side.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from botu.dataset import Dataset

PHASES = (1, 2, 3, 4)


def phase_table(data: Dataset) -> pd.DataFrame:
    """One row per team and phase: the documents about it, the first and last date among
    them ('' when undated or none), and whether the team reached the phase (typed; NA when
    the phase reached is unknown)."""
    docs = pd.DataFrame(
        {
            "team_id": data.documents["team_id"],
            "phase": pd.to_numeric(data.documents["phase"], errors="coerce"),
            "date": data.documents["date"],
        }
    )
    docs = docs[docs["phase"].isin(PHASES)]
    grid = pd.MultiIndex.from_product([data.team_ids, PHASES], names=["team_id", "phase"])
    n_documents = docs.groupby(["team_id", "phase"]).size().reindex(grid, fill_value=0)
    dated = docs[docs["date"].notna()].astype({"date": str})
    dated = dated[dated["date"] != ""]
    span = dated.groupby(["team_id", "phase"])["date"].agg(["min", "max"]).reindex(grid)
    reached = pd.to_numeric(data.teams.set_index("team_id")["sibd_phase_reached"], errors="coerce")
    top = reached.astype("Float64").reindex(grid.get_level_values("team_id")).array
    phase = grid.get_level_values("phase").to_numpy(dtype="int64")
    return pd.DataFrame(
        {
            "team_id": pd.Series(grid.get_level_values("team_id"), dtype=str),
            "phase": phase,
            "n_documents": n_documents.to_numpy(dtype="int64"),
            "first_date": pd.Series(span["min"].fillna("").to_numpy(), dtype=str),
            "last_date": pd.Series(span["max"].fillna("").to_numpy(), dtype=str),
            "is_reached": pd.Series(phase) <= pd.Series(top, dtype="Float64"),
        }
    )


def phase_findings(table: pd.DataFrame, teams: pd.DataFrame) -> dict[str, Any]:
    """Per team the phase reached (typed) and the highest documented, with the date each
    documented phase began; how many teams reached each phase; where the two differ."""
    reached = dict(
        zip(
            teams["team_id"],
            pd.to_numeric(teams["sibd_phase_reached"], errors="coerce"),
            strict=True,
        )
    )
    by_team: dict[str, list[Any]] = {}
    for row in table.itertuples(index=False):
        if pd.notna(row.team_id):
            by_team.setdefault(row.team_id, []).append(row)
    per_team = []
    for team_id, rows in sorted(by_team.items()):
        documented = [r.phase for r in rows if r.n_documents > 0]
        top = reached.get(team_id)
        per_team.append(
            {
                "team_id": team_id,
                "reached": None if top is None or pd.isna(top) else int(top),
                "documented": int(max(documented)) if documented else None,
                "began": {str(r.phase): r.first_date for r in rows if r.first_date},
            }
        )
    known = [t for t in per_team if t["reached"] is not None]
    return {
        "teams": per_team,
        "n_teams_reached": {str(p): sum(1 for t in known if t["reached"] >= p) for p in PHASES},
        "documented_beyond_reached": [
            t["team_id"]
            for t in known
            if t["documented"] is not None and t["documented"] > t["reached"]
        ],
        # reached a later phase than the dated material reaches (the material covers the start)
        "reached_beyond_material": [
            t["team_id"] for t in known if (t["documented"] or 0) < t["reached"]
        ],
    }
