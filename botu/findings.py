"""The numbers behind each headline of the synthesis, computed from processed tables.

``summary.json`` is the only place prose may take numbers from: the comparison notebook
and the README quote it, nothing is typed in by hand. A number that the data cannot give yet
(a study in progress: no ratings, no memberships, coalition types unknown) is ``null``,
never a made-up 0.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from botu.profiles import INITIATIVE, INVOLVEMENT, ORIGIN, median_score


def _ids(frame: pd.DataFrame, mask: pd.Series) -> list[str]:
    return sorted(frame.loc[mask.fillna(False).astype(bool), "team_id"].tolist())


def _share(count: int, total: int) -> float | None:
    return round(count / total, 3) if total else None


def summarise(
    *,
    teams: pd.DataFrame,
    composition: pd.DataFrame,
    profiles: pd.DataFrame,
    origin: pd.DataFrame,
    responsiveness: pd.DataFrame,
    barriers: pd.DataFrame,
    evidence: pd.DataFrame,
    coded: pd.DataFrame,
    counts: dict[str, int],
    is_fictional: bool,
    reliability: dict[str, pd.DataFrame] | None = None,
    triangulated: pd.DataFrame | None = None,
    coalitions: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """Assemble the findings as plain JSON-able data (each headline a small dict)."""
    n_teams = len(teams)
    score = profiles.pivot(index="team_id", columns="factor_id", values="score")

    def col(factor: str) -> pd.Series:
        return score[factor] if factor in score else pd.Series(dtype="Int64")

    def stats(factor: str) -> dict[str, Any]:
        values = pd.to_numeric(col(factor), errors="coerce").dropna()
        return {
            "median": median_score(values),
            "min": int(values.min()) if len(values) else None,
            "max": int(values.max()) if len(values) else None,
            "n_rated": len(values),
        }

    new = composition[composition["coalition_type"] == "nieuw"]
    established = composition[composition["coalition_type"] == "gevestigd"]
    n_typed = int(composition["coalition_type"].notna().sum())
    # composition is known only when memberships were recorded (for any team)
    has_members = counts.get("n_memberships", len(composition)) > 0
    involvement_2plus = _ids(origin, origin[INVOLVEMENT] >= 2)
    severe = barriers[barriers["severity"].fillna(0) >= 2]
    severe_by = severe.groupby("barrier_id")["team_id"].agg(lambda s: sorted(set(s))).to_dict()

    def barrier(bid: str) -> dict[str, Any]:
        ids = severe_by.get(bid, [])
        own = barriers[barriers["barrier_id"] == bid]
        named = sorted(set(own.loc[own["n_segments"] > 0, "team_id"]))
        n_rated = int(own["severity"].notna().sum())
        return {
            "teams_severity_2plus": ids,
            "n_teams_severity_2plus": len(ids) if n_rated else None,
            "share_teams_severity_2plus": _share(len(ids), n_rated),
            "n_teams_named": len(named),
            "n_teams_rated": n_rated,
        }

    def known(value: Any, is_known: bool) -> Any:
        return value if is_known else None

    rated = {f: stats(f)["n_rated"] > 0 for f in (ORIGIN, INVOLVEMENT, INITIATIVE)}
    n_co_develops = int(responsiveness["is_municipality_co_developing"].sum())
    municipality_rated = stats("rs_gemeente")["n_rated"] > 0

    needing = evidence[evidence["needs_evidence"]]
    failing = needing[~needing["is_evidence_ok"]]
    capital = coded.loc[coded["code_id"].isin(["hb_privaat_kapitaal"]), ["value"]]
    capital_results = sorted({v for val in capital["value"].dropna() for v in val.split("|")})
    out = {
        "data": {
            "is_fictional": is_fictional,
            "n_teams": n_teams,
            **counts,
        },
        "coalitions": {
            "by_type": {
                k: int(v)
                for k, v in composition["coalition_type"].value_counts().sort_index().items()
            },
            "n_new": known(len(new), n_typed > 0),
            "new_team_ids": sorted(new["team_id"]),
            "n_new_with_residents_municipality_and_semi_public_or_market": known(
                int(new["is_new_coalition_mix"].sum()), n_typed > 0 and has_members
            ),
            "n_established": known(len(established), n_typed > 0),
            "n_unknown": n_teams - n_typed,
            "established_prior_collaboration_years_median": median_score(
                established["prior_collaboration_years_median"]
            ),
        },
        "resident_initiative": {
            "uit_de_wijk": stats(ORIGIN),
            "door_de_wijk": stats(INVOLVEMENT),
            "door_de_wijk_2plus_team_ids": involvement_2plus,
            "door_de_wijk_2plus_only_in_new_coalitions": known(
                bool(involvement_2plus) and set(involvement_2plus) <= set(new["team_id"]),
                rated[INVOLVEMENT] and n_typed > 0,
            ),
            "n_teams_origin_2plus": known(
                int((origin[ORIGIN] >= 2).fillna(False).sum()), rated[ORIGIN]
            ),
            "n_teams_rule_ok": known(int(origin["is_rule_ok"].sum()), any(rated.values())),
        },
        "networks": {
            "linking": stats("na_linking"),
            "bridging": stats("na_bridging"),
            "bonding": stats("na_bonding"),
            "netwerkaansluiting": stats("netwerkaansluiting"),
        },
        "responsiveness": {
            "n_municipality_co_develops": known(n_co_develops, municipality_rated),
            "municipality_co_develops_team_ids": _ids(
                responsiveness, responsiveness["is_municipality_co_developing"]
            ),
            "share_municipality_co_develops": known(
                _share(n_co_develops, n_teams), municipality_rated
            ),
            "responsiviteit": stats("responsiviteit"),
        },
        "resources": {
            "kennis": stats("hb_kennis"),
            "tijd": stats("hb_tijd"),
            "geld": stats("hb_geld"),
            "hulpbronnen": stats("hulpbronnen"),
        },
        "private_capital": {
            "n_teams_targeted": known(
                int((composition["n_capital_rich_targeted"] > 0).sum()), has_members
            ),
            "n_teams_joined": known(
                int((composition["n_capital_rich_joined"] > 0).sum()), has_members
            ),
            "n_parties_targeted": known(
                int(composition["n_capital_rich_targeted"].sum()), has_members
            ),
            "n_parties_joined": known(int(composition["n_capital_rich_joined"].sum()), has_members),
            "coded_results": capital_results,
        },
        "barriers": {
            "time": barrier("bar_tijd"),
            "money": barrier("bar_geld"),
            "subsidy_dependency": barrier("bar_subsidieafhankelijkheid"),
            "private_capital": barrier("bar_privaat_kapitaal"),
        },
        "evidence": {
            "n_ratings_2plus": len(needing),
            "n_ratings_2plus_insufficient": len(failing),
            "insufficient": [
                f"{r.team_id}/{r.factor_id}/{r.rater_id}" for r in failing.itertuples()
            ],
        },
    }
    if reliability is not None:
        out["reliability"] = reliability_findings(reliability, n_segments=counts["n_segments"])
    if triangulated is not None:
        out["triangulation"] = triangulation_findings(triangulated, coalitions)
    return out


def triangulation_findings(
    table: pd.DataFrame, coalitions: pd.DataFrame | None = None
) -> dict[str, Any]:
    """How the consensus ratings hold against the coded material (:mod:`botu.triangulation`):
    counts, every divergence, and the coalition types typed against derived."""
    from botu.triangulation import divergences

    status = table["status"].value_counts()
    out: dict[str, Any] = {
        "n_checked": len(table),
        "n_agree": int(status.get("agrees", 0)),
        "n_diverge": int(status.get("diverges", 0)),
        "n_not_computable": int(status.get("not_computable", 0)),
        "n_teams_diverging": int(table.loc[table["status"] == "diverges", "team_id"].nunique()),
        "divergences": divergences(table),
        "not_computable": [
            f"{r.team_id}/{r.factor_id}: {r.reason}"
            for r in table[table["status"] == "not_computable"].itertuples()
        ],
    }
    if coalitions is not None:
        off = coalitions[coalitions["status"] == "diverges"]
        out["coalition_type"] = {
            "n_diverge": len(off),
            "divergences": [
                {
                    "team_id": r.team_id,
                    "typed": r.coalition_type,
                    "derived": r.coalition_type_derived,
                }
                for r in off.itertuples()
            ],
        }
    return out


def _number(value: Any, digits: int = 3) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), digits)


def _coefficients(row: pd.Series) -> dict[str, Any]:
    return {
        "n_units": int(row["n_units"]),
        "percent_agreement": _number(row["percent_agreement"]),
        "kappa": _number(row["kappa"]),
        "kappa_ci": [_number(row["kappa_ci_low"]), _number(row["kappa_ci_high"])],
        "alpha": _number(row["alpha"]),
        "alpha_ci": [_number(row["alpha_ci_low"]), _number(row["alpha_ci_high"])],
        "interpretation": row["interpretation"],
    }


def reliability_findings(tables: dict[str, pd.DataFrame], n_segments: int) -> dict[str, Any]:
    """Headline reliability numbers: pooled segment coding, weakest codes, team ratings."""
    segments = tables["reliability_segments"]
    pooled = segments[segments["scope"] == "pooled"].iloc[0]
    codes = segments[(segments["scope"] == "code") & segments["alpha"].notna()]
    weakest = codes.sort_values(["alpha", "code_id"]).head(3)
    families = segments[segments["scope"] == "family"]
    n_overlap = int(families["n_units"].max()) if len(families) else 0
    ratings = tables["reliability_ratings"]
    rated = ratings[ratings["scope"] == "pooled"]
    disagreements = tables["disagreements"]
    return {
        "n_segments_double_coded": n_overlap,
        "share_segments_double_coded": _share(n_overlap, n_segments),
        "segments_pooled": _coefficients(pooled),
        "n_codes_assessed": len(codes),
        "n_codes_alpha_below_0667": int((codes["alpha"] < 0.667).sum()),
        "weakest_codes": [
            {"code_id": r.code_id, "alpha": _number(r.alpha), "interpretation": r.interpretation}
            for r in weakest.itertuples()
        ],
        "ratings_pooled": _coefficients(rated.iloc[0]) if len(rated) else None,
        "n_disagreements": len(disagreements),
        "most_disputed_code": (
            disagreements["code_id"].value_counts().sort_index().idxmax()
            if len(disagreements)
            else None
        ),
    }
