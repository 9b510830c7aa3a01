"""Who is in each team: actor types, prior collaboration, coalition type, capital-rich
parties targeted vs joined, and actors shared between teams."""

from __future__ import annotations

from itertools import combinations

import pandas as pd

from botu.dataset import Dataset
from botu.schema import JOINED_ROLES

TARGETED_ONLY = "beoogd_niet_aangehaakt"
RESIDENTS, MUNICIPALITY = "bewoners", "gemeente"
# (semi-)public or market parties that make a "new coalition" in the synthesis' sense
SEMI_PUBLIC_OR_MARKET = (
    "woningcorporatie",
    "vastgoedontwikkelaar_marktpartij",
    "ondernemer",
    "zorginstelling",
    "welzijn_maatschappelijk",
    "kennisinstelling",
)


def team_members(data: Dataset) -> pd.DataFrame:
    """Memberships joined to actor facts: one row per actor in a team (targeted ones too)."""
    out = data.memberships.merge(
        data.actors.drop(columns=["is_fictional", "note"], errors="ignore"),
        on="actor_id",
        how="left",
        validate="m:1",
    )
    out["has_joined"] = out["role"].isin(JOINED_ROLES)
    columns = [
        "team_id",
        "actor_id",
        "pseudonym",
        "actor_type",
        "role",
        "has_joined",
        "is_capital_rich",
        "is_local",
        "prior_collaboration_years",
    ]
    return out[columns].sort_values(["team_id", "actor_id"]).reset_index(drop=True)


def composition(data: Dataset) -> pd.DataFrame:
    """One row per team: size, actor-type mix, prior collaboration, coalition type, capital.

    ``is_new_coalition_mix`` says whether the team joins residents, the municipality and a
    (semi-)public or market party, the mark of the new coalitions in the synthesis.
    """
    members = team_members(data)
    members = members.assign(
        is_local=members["is_local"].fillna(False).astype(bool),
        is_capital_rich=members["is_capital_rich"].fillna(False).astype(bool),
        years=members["prior_collaboration_years"].astype("Float64"),
    )
    joined = members[members["has_joined"]]
    teams = data.teams.sort_values("team_id").reset_index(drop=True)
    by_team = joined.groupby("team_id")
    capital = members[members["is_capital_rich"]]
    worked_together = (joined["years"] > 0).fillna(False)
    counts = pd.DataFrame(
        {
            "n_members": by_team.size(),
            "n_local_members": by_team["is_local"].sum(),
            "n_prior_collaborators": worked_together.groupby(joined["team_id"]).sum(),
            "n_capital_rich_targeted": capital.groupby("team_id").size(),
            "n_capital_rich_joined": capital.groupby("team_id")["has_joined"].sum(),
        }
    )
    counts = counts.reindex(teams["team_id"]).astype("Float64").fillna(0).astype("int64")
    median = by_team["years"].median().reindex(teams["team_id"]).astype("float64")
    types = by_team["actor_type"].agg(lambda s: sorted(set(s))).to_dict()
    team_types = [types.get(t, []) for t in teams["team_id"]]
    out = pd.DataFrame(
        {
            "team_id": teams["team_id"].astype(str),
            "name": teams["name"].astype(str),
            "coalition_type": teams["coalition_type"].astype(str),
            "sibd_phase_reached": teams["sibd_phase_reached"],
            "n_members": counts["n_members"].to_numpy(),
            "n_actor_types": [len(t) for t in team_types],
            "actor_types": pd.Series([", ".join(t) for t in team_types], dtype=str),
            "n_local_members": counts["n_local_members"].to_numpy(),
            "prior_collaboration_years_median": median.to_numpy(),
            "n_prior_collaborators": counts["n_prior_collaborators"].to_numpy(),
            "has_residents": [RESIDENTS in t for t in team_types],
            "has_municipality": [MUNICIPALITY in t for t in team_types],
            "has_semi_public_or_market": [
                bool(set(t) & set(SEMI_PUBLIC_OR_MARKET)) for t in team_types
            ],
            "n_capital_rich_targeted": counts["n_capital_rich_targeted"].to_numpy(),
            "n_capital_rich_joined": counts["n_capital_rich_joined"].to_numpy(),
        }
    )
    out["is_new_coalition_mix"] = (
        out["has_residents"] & out["has_municipality"] & out["has_semi_public_or_market"]
    )
    return out


def actor_type_counts(data: Dataset) -> pd.DataFrame:
    """Team × actor type: number of joined members of each type."""
    members = team_members(data)
    joined = members[members["has_joined"]]
    table = pd.crosstab(joined["team_id"], joined["actor_type"])
    return table.reindex(sorted(data.team_ids), fill_value=0)


def shared_actors(data: Dataset) -> pd.DataFrame:
    """Actors that have joined more than one team, with the teams they link."""
    members = team_members(data)
    joined = members[members["has_joined"]]
    grouped = joined.groupby(["actor_id", "pseudonym", "actor_type"], as_index=False).agg(
        teams=("team_id", lambda s: ";".join(sorted(s))), n_teams=("team_id", "nunique")
    )
    shared = grouped[grouped["n_teams"] > 1]
    return shared.sort_values(["n_teams", "actor_id"], ascending=[False, True]).reset_index(
        drop=True
    )


def team_links(data: Dataset) -> pd.DataFrame:
    """Team–team edges of the actor network: how many joined actors two teams share."""
    members = team_members(data)
    joined = members[members["has_joined"]]
    by_team = joined.groupby("team_id")["actor_id"].agg(set).to_dict()
    rows = []
    for a, b in combinations(sorted(by_team), 2):
        common = sorted(by_team[a] & by_team[b])
        if common:
            rows.append(
                {
                    "team_a": a,
                    "team_b": b,
                    "n_shared": len(common),
                    "shared_actor_ids": ";".join(common),
                }
            )
    return pd.DataFrame(rows, columns=["team_a", "team_b", "n_shared", "shared_actor_ids"])
