"""Team factor profiles: consensus ratings, the evidence behind them, and derived views.

A rating of 2 or more must rest on at least two segments from at least two documents
(``MIN_EVIDENCE_SEGMENTS``, ``MIN_EVIDENCE_DOCUMENTS``), each coded inside the rated factor.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from botu.codebook import FACTORS, Codebook
from botu.dataset import Dataset
from botu.schema import CONSENSUS_RATER

MIN_EVIDENCE_SEGMENTS = 2
MIN_EVIDENCE_DOCUMENTS = 2
EVIDENCE_THRESHOLD = 2  # ratings at or above this score need the evidence above

BARRIERS = (
    "bar_tijd",
    "bar_geld",
    "bar_subsidieafhankelijkheid",
    "bar_privaat_kapitaal",
    "bar_regels",
    "bar_draagvlak",
    "bar_coordinatie",
)
RESOURCES = ("hb_kennis", "hb_tijd", "hb_geld", "hb_fysiek")
TIES = ("na_bonding", "na_bridging", "na_linking")
RESPONSIVE_ACTORS = (
    "rs_gemeente",
    "rs_corporatie",
    "rs_professionals",
    "rs_fonds",
    "rs_privaat",
    "rs_programma",
)
ORIGIN, INVOLVEMENT, INITIATIVE = "uit_de_wijk", "door_de_wijk", "bewonersinitiatief"


def _split(evidence: object) -> list[str]:
    if not isinstance(evidence, str):
        return []
    return [s for s in evidence.split(";") if s]


def evidence_check(data: Dataset, coded: pd.DataFrame) -> pd.DataFrame:
    """Every rating (any rater) with the evidence it cites, and whether that evidence suffices.

    A cited segment counts when it belongs to the rated team and some coder applied a code
    from the rated factor's subtree to it.

    Returns:
        One row per rating: team_id, factor_id, rater_id, score, n_cited, n_cited_valid,
        n_cited_documents, needs_evidence (score ≥ 2), is_evidence_ok.
    """
    codebook = data.codebook
    in_factor = {
        factor: set(codebook.subtree(factor)) for factor in data.ratings["factor_id"].unique()
    }
    code_sets = coded.groupby("segment_id")["code_id"].agg(set).to_dict()
    seg_doc = dict(zip(coded["segment_id"], coded["document_id"], strict=True))
    seg_team = dict(zip(coded["segment_id"], coded["team_id"], strict=True))
    rows = []
    for rating in data.ratings.itertuples(index=False):
        cited = _split(rating.evidence)
        valid = [
            s
            for s in cited
            if seg_team.get(s) == rating.team_id
            and code_sets.get(s, set()) & in_factor[rating.factor_id]
        ]
        score = rating.score
        needs = bool(pd.notna(score) and score >= EVIDENCE_THRESHOLD)
        n_docs = len({seg_doc[s] for s in valid})
        rows.append(
            {
                "team_id": rating.team_id,
                "factor_id": rating.factor_id,
                "rater_id": rating.rater_id,
                "score": score,
                "n_cited": len(cited),
                "n_cited_valid": len(valid),
                "n_cited_documents": n_docs,
                "needs_evidence": needs,
                "is_evidence_ok": (not needs)
                or (len(valid) >= MIN_EVIDENCE_SEGMENTS and n_docs >= MIN_EVIDENCE_DOCUMENTS),
            }
        )
    columns = [
        "team_id",
        "factor_id",
        "rater_id",
        "score",
        "n_cited",
        "n_cited_valid",
        "n_cited_documents",
        "needs_evidence",
        "is_evidence_ok",
    ]
    out = pd.DataFrame(rows, columns=columns)
    out["score"] = out["score"].astype("Int64")
    out[["needs_evidence", "is_evidence_ok"]] = out[["needs_evidence", "is_evidence_ok"]].astype(
        bool
    )
    return out.sort_values(["team_id", "factor_id", "rater_id"]).reset_index(drop=True)


def factor_profiles(data: Dataset, coded: pd.DataFrame) -> pd.DataFrame:
    """Consensus rating per team and rateable factor, beside each rater and the evidence.

    Returns:
        One row per (team, factor) with a consensus: team_id, factor_id, parent, family
        (top-level factor), score (consensus), one ``score_<rater>`` column per rater,
        n_coded_segments / n_coded_documents (all segments in the team coded inside the
        factor), n_cited / n_cited_documents (evidence cited by the consensus), is_evidence_ok.
    """
    codebook = data.codebook
    ratings = data.ratings
    raters = sorted(r for r in ratings["rater_id"].unique() if r != CONSENSUS_RATER)
    wide = ratings.pivot(index=["team_id", "factor_id"], columns="rater_id", values="score")
    check = evidence_check(data, coded)
    cons = check[check["rater_id"] == CONSENSUS_RATER].set_index(["team_id", "factor_id"])
    rows = []
    for (team_id, factor_id), row in cons.iterrows():
        subtree = codebook.subtree(factor_id)
        in_team = coded[(coded["team_id"] == team_id) & coded["code_id"].isin(subtree)]
        record = {
            "team_id": team_id,
            "factor_id": factor_id,
            "parent": codebook[factor_id].parent or "",
            "family": codebook.factor_of(factor_id),
            "score": row["score"],
        }
        for rater in raters:
            record[f"score_{rater}"] = wide.get(rater, pd.Series(dtype="Int64")).get(
                (team_id, factor_id), pd.NA
            )
        record.update(
            {
                "n_coded_segments": in_team["segment_id"].nunique(),
                "n_coded_documents": in_team["document_id"].nunique(),
                "n_cited": row["n_cited_valid"],
                "n_cited_documents": row["n_cited_documents"],
                "is_evidence_ok": row["is_evidence_ok"],
            }
        )
        rows.append(record)
    columns = [
        "team_id",
        "factor_id",
        "parent",
        "family",
        "score",
        *[f"score_{r}" for r in raters],
        "n_coded_segments",
        "n_coded_documents",
        "n_cited",
        "n_cited_documents",
        "is_evidence_ok",
    ]
    out = pd.DataFrame(rows, columns=columns)
    for column in ["score", *[f"score_{r}" for r in raters]]:
        out[column] = out[column].astype("Int64")
    order = {cid: i for i, cid in enumerate(codebook.codes)}
    out = out.assign(_o=out["factor_id"].map(order)).sort_values(["team_id", "_o"])
    return out.drop(columns="_o").reset_index(drop=True)


def scores(
    profiles: pd.DataFrame,
    factor_ids: tuple[str, ...] | list[str],
    team_ids: list[str] | None = None,
) -> pd.DataFrame:
    """Wide team × factor table of consensus scores for the given factors (missing = NA).

    With ``team_ids`` every team gets a row, also a team nobody rated yet.
    """
    wide = profiles.pivot(index="team_id", columns="factor_id", values="score")
    wide = wide.reindex(columns=list(factor_ids))
    if team_ids is not None:
        wide = wide.reindex(sorted(team_ids))
    wide.index.name = "team_id"
    wide.columns.name = "factor_id"
    return wide.astype("Float64").astype("Int64")


def origin_involvement(
    profiles: pd.DataFrame,
    coded: pd.DataFrame,
    codebook: Codebook,
    team_ids: list[str] | None = None,
) -> pd.DataFrame:
    """ "Uit de wijk, door de wijk": plan origin vs resident involvement per team.

    Besides the consensus scores it reports the highest involvement step coded in the team's
    material and checks the codebook rule: initiative ≤ origin and ≤ involvement + 1.
    """
    table = scores(profiles, (ORIGIN, INVOLVEMENT, INITIATIVE), team_ids).reset_index()
    steps = {
        cid: codebook[cid].order
        for cid in codebook.children(INVOLVEMENT)
        if codebook[cid].order is not None
    }
    origins = codebook.children(ORIGIN)
    involved = coded[coded["code_id"].isin(list(steps))]
    highest = involved.assign(step=involved["code_id"].map(steps)).groupby("team_id")["step"].max()
    by_step = {v: k for k, v in steps.items()}
    table["highest_involvement_coded"] = table["team_id"].map(
        lambda t: by_step.get(highest.get(t), "")
    )
    origin_counts = (
        coded[coded["code_id"].isin(origins)]
        .groupby(["team_id", "code_id"])["segment_id"]
        .nunique()
        .unstack(fill_value=0)
        .reindex(columns=origins, fill_value=0)
    )
    table["main_origin_coded"] = table["team_id"].map(
        lambda t: (
            origin_counts.loc[t].idxmax()
            if t in origin_counts.index and origin_counts.loc[t].max() > 0
            else ""
        )
    )
    o, i, b = (table[c].astype("Float64") for c in (ORIGIN, INVOLVEMENT, INITIATIVE))
    table["is_rule_ok"] = ((b <= o) & (b <= i + 1)).fillna(True).astype(bool)
    table["gap"] = (o - i).astype("Int64")
    return table


LEAD_ACTORS = ("rs_gemeente", "rs_corporatie")


def responsiveness_rule(actor_scores: dict[str, object]) -> int | None:
    """The codebook's team responsiveness from the actors' scores: best of municipality and
    housing corporation, one lower when another rated actor scores ≤ 1, never below 0;
    ``None`` when neither lead actor is scored."""
    known = {a: float(v) for a, v in actor_scores.items() if v is not None and not pd.isna(v)}
    lead = [known[a] for a in LEAD_ACTORS if a in known]
    if not lead:
        return None
    weak = any(v <= 1 for a, v in known.items() if a not in LEAD_ACTORS)
    return max(int(max(lead)) - int(weak), 0)


def responsiveness(
    profiles: pd.DataFrame, coded: pd.DataFrame, team_ids: list[str] | None = None
) -> pd.DataFrame:
    """Per-actor responsiveness beside the team score the codebook's rule gives.

    Rule: best of municipality and housing corporation, one lower when another rated actor
    scores ≤ 1 (the plan depends on every actor that was rated); never below 0. The consensus
    ``responsiviteit`` is shown next to it so a difference is visible, not hidden.
    """
    table = scores(profiles, (*RESPONSIVE_ACTORS, "responsiviteit"), team_ids).reset_index()
    table["rule_score"] = pd.array(
        [responsiveness_rule(row) for row in table[list(RESPONSIVE_ACTORS)].to_dict("records")],
        dtype="Int64",
    )
    table["is_municipality_co_developing"] = (table["rs_gemeente"] == 3).fillna(False).astype(bool)
    roles = coded[coded["code_id"] == "rs_gemeente"]
    table["municipality_roles_coded"] = table["team_id"].map(
        lambda t: ", ".join(
            sorted(
                {
                    v
                    for val in roles.loc[roles["team_id"] == t, "value"].dropna()
                    for v in str(val).split("|")
                    if v
                }
            )
        )
    )
    return table


def barriers(
    profiles: pd.DataFrame, coded: pd.DataFrame, team_ids: list[str] | None = None
) -> pd.DataFrame:
    """Long table of barrier severity (consensus) and the segments naming each barrier."""
    severity = (
        scores(profiles, BARRIERS, team_ids)
        .reset_index()
        .melt(id_vars="team_id", var_name="barrier_id", value_name="severity")
    )
    counts = (
        coded[coded["code_id"].isin(BARRIERS)]
        .groupby(["team_id", "code_id"])["segment_id"]
        .nunique()
        .rename("n_segments")
        .reset_index()
        .rename(columns={"code_id": "barrier_id"})
    )
    out = severity.merge(counts, on=["team_id", "barrier_id"], how="left", validate="1:1")
    out["n_segments"] = out["n_segments"].fillna(0).astype("int64")
    out["severity"] = out["severity"].astype("Int64")
    order = {b: i for i, b in enumerate(BARRIERS)}
    return (
        out.assign(_o=out["barrier_id"].map(order))
        .sort_values(["team_id", "_o"])
        .drop(columns="_o")
        .reset_index(drop=True)
    )


def main_factors(profiles: pd.DataFrame) -> pd.DataFrame:
    """Wide team × the four resilience factors (consensus)."""
    return scores(profiles, FACTORS)


def median_score(values: pd.Series) -> float | None:
    """Median of scores ignoring NA; ``None`` when there is nothing to take it of."""
    clean = pd.to_numeric(values, errors="coerce").dropna()
    return float(np.median(clean)) if len(clean) else None
