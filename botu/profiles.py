"""Team factor profiles: consensus ratings, the evidence behind them, and derived views.

A rating of 2 or more must rest on at least two segments from at least two documents
(``MIN_EVIDENCE_SEGMENTS``, ``MIN_EVIDENCE_DOCUMENTS``), each coded inside the rated factor.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from botu.codebook import FACTORS, Codebook
from botu.coding import distinct_counts, numbered
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


def _subtrees(codebook: Codebook, factors: Iterable[str]) -> pd.DataFrame:
    """Every (factor, code) pair with the code in the factor's subtree (the factor included)."""
    pairs = [
        (factor, code) for factor in dict.fromkeys(factors) for code in codebook.subtree(factor)
    ]
    return pd.DataFrame(pairs, columns=["factor_id", "code_id"], dtype=object)


def evidence_check(data: Dataset, coded: pd.DataFrame) -> pd.DataFrame:
    """Every rating (any rater) with the evidence it cites, and whether that evidence suffices.

    A cited segment counts when it belongs to the rated team and some coder applied a code
    from the rated factor's subtree to it.

    Returns:
        One row per rating: team_id, factor_id, rater_id, score, n_cited, n_cited_valid,
        n_cited_documents, needs_evidence (score ≥ 2), is_evidence_ok.
    """
    ratings = data.ratings.reset_index(drop=True)
    # one row per citation: a segment cited twice by a rating counts twice, as it is cited
    citations = [(i, s) for i, evidence in enumerate(ratings["evidence"]) for s in _split(evidence)]
    cited = pd.DataFrame(
        {
            "rating": np.array([i for i, _ in citations], dtype="int64"),
            "segment_id": np.array([s for _, s in citations], dtype=object),
            "citation": np.arange(len(citations)),
        }
    )
    cited["team_id"] = ratings["team_id"].to_numpy(dtype=object)[cited["rating"]]
    cited["factor_id"] = ratings["factor_id"].to_numpy(dtype=object)[cited["rating"]]
    # the cited segments' codes, each with the team and document of its segment
    columns = ["segment_id", "code_id", "team_id", "document_id"]
    found = coded.loc[coded["segment_id"].isin(set(cited["segment_id"])), columns]
    found = found.astype(object)  # plain objects, as the citations' ids, to merge on
    valid = (
        cited.merge(found, on=["segment_id", "team_id"])
        .merge(_subtrees(data.codebook, ratings["factor_id"].unique()), on=["factor_id", "code_id"])
        .drop_duplicates("citation")
    )
    n_cited = np.bincount(cited["rating"], minlength=len(ratings))
    n_valid = np.bincount(valid["rating"], minlength=len(ratings))
    documents = valid.drop_duplicates(["rating", "document_id"])
    n_documents = np.bincount(documents["rating"], minlength=len(ratings))
    score = ratings["score"].astype("Int64")
    needs = (score >= EVIDENCE_THRESHOLD).fillna(False).to_numpy(dtype=bool)
    enough = (n_valid >= MIN_EVIDENCE_SEGMENTS) & (n_documents >= MIN_EVIDENCE_DOCUMENTS)
    out = pd.DataFrame(
        {
            "team_id": ratings["team_id"].astype(str),
            "factor_id": ratings["factor_id"].astype(str),
            "rater_id": ratings["rater_id"].astype(str),
            "score": score,
            "n_cited": n_cited,
            "n_cited_valid": n_valid,
            "n_cited_documents": n_documents,
            "needs_evidence": needs,
            "is_evidence_ok": ~needs | enough,
        }
    )
    return out.sort_values(["team_id", "factor_id", "rater_id"]).reset_index(drop=True)


def _coded_in_factors(
    codebook: Codebook, coded: pd.DataFrame, factors: Iterable[str]
) -> pd.DataFrame:
    """Per team and factor, how many of the team's segments and documents are coded inside
    the factor (with a code of its subtree); indexed by (team_id, factor_id), 0 where none."""
    factors = list(dict.fromkeys(factors))
    team, team_ids = numbered(coded["team_id"])
    code, code_ids = numbered(coded["code_id"])
    inside = _subtrees(codebook, factors)
    links = pd.DataFrame(
        {
            "code": pd.Index(code_ids).get_indexer(inside["code_id"]),
            "factor": pd.Index(factors).get_indexer(inside["factor_id"]),
        }
    )
    links = links[links["code"] >= 0]  # a code nobody applied adds nothing
    # each coded row once for every factor its code falls in
    rows = pd.DataFrame({"code": code, "row": np.arange(len(code))}).merge(links, on="code")
    row, factor = rows["row"].to_numpy(), rows["factor"].to_numpy()
    cell = np.where(team[row] >= 0, team[row] * len(factors) + factor, -1)
    n_cells = len(team_ids) * len(factors)
    segment, document = (numbered(coded[c])[0][row] for c in ("segment_id", "document_id"))
    return pd.DataFrame(
        {
            "n_coded_segments": distinct_counts(cell, segment, n_cells),
            "n_coded_documents": distinct_counts(cell, document, n_cells),
        },
        index=pd.MultiIndex.from_product([team_ids, factors], names=["team_id", "factor_id"]),
    )


def factor_profiles(
    data: Dataset, coded: pd.DataFrame, check: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Consensus rating per team and rateable factor, beside each rater and the evidence
    (``check``: :func:`evidence_check` of the same data, if computed already).

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
    check = evidence_check(data, coded) if check is None else check
    cons = check[check["rater_id"] == CONSENSUS_RATER].reset_index(drop=True)
    keys = pd.MultiIndex.from_frame(cons[["team_id", "factor_id"]])
    factors = cons["factor_id"].unique()
    coded_in = _coded_in_factors(codebook, coded, factors).reindex(keys, fill_value=0)
    out = cons[["team_id", "factor_id"]].copy()
    out["parent"] = out["factor_id"].map({f: codebook[f].parent or "" for f in factors})
    out["family"] = out["factor_id"].map({f: codebook.factor_of(f) for f in factors})
    out["score"] = cons["score"]
    for rater in raters:
        out[f"score_{rater}"] = wide[rater].reindex(keys).to_numpy()
    out["n_coded_segments"] = coded_in["n_coded_segments"].to_numpy(dtype="int64")
    out["n_coded_documents"] = coded_in["n_coded_documents"].to_numpy(dtype="int64")
    out["n_cited"] = cons["n_cited_valid"]
    out["n_cited_documents"] = cons["n_cited_documents"]
    out["is_evidence_ok"] = cons["is_evidence_ok"]
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


def _segment_counts(coded: pd.DataFrame, codes: list[str] | tuple[str, ...]) -> pd.DataFrame:
    """Team × code, for the given codes: how many segments of the team are coded with it
    (every team with one of the codes coded gets a row)."""
    codes = list(codes)
    own = coded.loc[coded["code_id"].isin(codes), ["team_id", "code_id", "segment_id"]]
    team, team_ids = numbered(own["team_id"])
    code = pd.Index(codes).get_indexer(own["code_id"])
    cell = np.where(team >= 0, team * len(codes) + code, -1)
    counts = distinct_counts(cell, numbered(own["segment_id"])[0], len(team_ids) * len(codes))
    return pd.DataFrame(
        counts.reshape(len(team_ids), len(codes)),
        index=pd.Index(team_ids, name="team_id"),
        columns=pd.Index(codes, name="code_id"),
    )


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
    involved = coded.loc[coded["code_id"].isin(list(steps)), ["team_id", "code_id"]]
    highest = involved.assign(step=involved["code_id"].map(steps)).groupby("team_id")["step"].max()
    by_step = {v: k for k, v in steps.items()}
    table["highest_involvement_coded"] = table["team_id"].map(
        lambda t: by_step.get(highest.get(t), "")
    )
    origin_counts = _segment_counts(coded, origins)
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
    roles = coded.loc[coded["code_id"].isin(["rs_gemeente"]), ["team_id", "value"]]
    roles = roles.dropna().drop_duplicates()
    by_team: dict[str, set[str]] = {}
    for team_id, value in zip(roles["team_id"], roles["value"], strict=True):
        by_team.setdefault(team_id, set()).update(v for v in str(value).split("|") if v)
    table["municipality_roles_coded"] = [
        ", ".join(sorted(by_team.get(t, ()))) for t in table["team_id"]
    ]
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
    named = _segment_counts(coded, BARRIERS).stack()
    cells = pd.MultiIndex.from_frame(severity[["team_id", "barrier_id"]])
    out = severity.assign(n_segments=named.reindex(cells).fillna(0).to_numpy(dtype="int64"))
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
