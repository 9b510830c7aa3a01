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
    docs = data.documents.copy()
    docs["phase"] = pd.to_numeric(docs["phase"], errors="coerce")
    reached = dict(
        zip(
            data.teams["team_id"],
            pd.to_numeric(data.teams["sibd_phase_reached"], errors="coerce"),
            strict=True,
        )
    )
    rows = []
    for team_id in data.team_ids:
        own = docs[docs["team_id"] == team_id]
        for phase in PHASES:
            in_phase = own[own["phase"] == phase]
            dates = sorted(d for d in in_phase["date"].fillna("").astype(str) if d)
            top = reached.get(team_id)
            rows.append(
                {
                    "team_id": team_id,
                    "phase": phase,
                    "n_documents": len(in_phase),
                    "first_date": dates[0] if dates else "",
                    "last_date": dates[-1] if dates else "",
                    "is_reached": pd.NA if top is None or pd.isna(top) else bool(phase <= top),
                }
            )
    frame = pd.DataFrame(
        rows,
        columns=["team_id", "phase", "n_documents", "first_date", "last_date", "is_reached"],
    )
    frame["is_reached"] = frame["is_reached"].astype("boolean")
    return frame


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
    per_team = []
    for team_id, rows in table.groupby("team_id", sort=True):
        documented = rows.loc[rows["n_documents"] > 0, "phase"]
        top = reached.get(team_id)
        per_team.append(
            {
                "team_id": team_id,
                "reached": None if top is None or pd.isna(top) else int(top),
                "documented": int(documented.max()) if len(documented) else None,
                "began": {str(r.phase): r.first_date for r in rows.itertuples() if r.first_date},
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
