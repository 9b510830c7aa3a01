"""Ratings held against the coded material: for every team and rated factor, the score the
codebook's rules give from the evidence, beside the consensus rating.

A rule gives a range of scores (``implied_low`` … ``implied_high``; one score when they are
equal). The consensus *agrees* when it lies in the range, *diverges* when it does not; where a
rule cannot be computed from the data (nothing coded it could read, or its parts not rated)
the row says so (``status = not_computable`` and the ``reason``). Every rule is the codebook's
own, as its rubrics state them (``data/raw/codebook.yml``, ``CODEBOOK.md``):

- ``uit_de_wijk`` (plan origin): the origin coded most often (ties: the higher) —
  residents 3, local organisations 2, external 1, the programme's call 0.
- ``door_de_wijk`` (resident involvement): the highest involvement step coded (its
  ``order``; deciding or carrying out oneself is 3).
- ``bewonersinitiatief``: from those two — 3 plan of residents and residents decide, 2 plan
  from the neighbourhood and residents at least consulted, 1 one of the two, 0 neither.
- ``responsiviteit``: best of municipality and housing corporation, one lower when another
  rated actor scores ≤ 1 (the rule of :func:`botu.profiles.responsiveness`).
- ``hulpbronnen``: 3 knowledge, time and money all ≥ 2; 2 one or two of them ≥ 2; 1 one
  ≥ 1; 0 none.
- ``netwerkaansluiting``: 3 bridging and linking ≥ 2 with bonding ≥ 1; 2 bridging or linking
  ≥ 2; 1 any tie ≥ 1; 0 none.
- ``barrieres``: the severity of the worst barrier.
  (A part not scored yet may be anything from 0 to 3: these three rules then give a range.)
- a barrier (``bar_*``): rated 0 exactly when no segment names it ("0: niet genoemd"); a named
  subsidy dependence besides follows the funding coded (``hb_geld`` values): no subsidised
  source 1, only subsidised sources 2–3, both 1–2.
- every other rated code: a score of 1 or more needs a segment coded with it; when it is
  coded, the level is not in the material (``level_not_coded``).

Coalition type is derived too (:func:`coalition_checks`): *gevestigd* when at least two core
members worked together before the call or the plan is at least a year older than the call,
else *nieuw*; *hybride* is a judgement the data cannot make.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from botu.codebook import Codebook
from botu.coding import distinct_counts, numbered
from botu.dataset import Dataset
from botu.profiles import (
    BARRIERS,
    INITIATIVE,
    INVOLVEMENT,
    ORIGIN,
    RESPONSIVE_ACTORS,
    TIES,
    responsiveness_rule,
)

STATUSES = ("agrees", "diverges", "not_computable")
ORIGIN_SCORE = {
    "bi_herkomst_bewoners": 3,
    "bi_herkomst_lokale_org": 2,
    "bi_herkomst_extern": 1,
    "bi_herkomst_programma": 0,
}
TOP_SCORE = 3
# funding sources paid from public or programme money: a plan living on them depends on
# subsidies (hb_geld values; "eigen", "corporatie" and "privaat" are not)
SUBSIDISED = frozenset({"fonds", "gemeente", "rijk_semi_overheid", "programma"})
SUBSIDY = "bar_subsidieafhankelijkheid"
FUNDING = "hb_geld"  # its values name the sources of money
CORE_ROLE = "kern"
COLUMNS = [
    "team_id",
    "factor_id",
    "score",
    "implied_low",
    "implied_high",
    "status",
    "rule",
    "reason",
    "basis",
]


class _Team:
    """What the rules read about one team: per code the segments coded with it and the
    values given with it, and the team's consensus scores."""

    def __init__(
        self,
        n_segments: dict[str, int],
        coded_values: dict[str, list[str]],
        scores: dict[str, float],
    ):
        self.n_segments = n_segments
        self.coded_values = coded_values
        self.scores = scores

    @classmethod
    def of(cls, coded: pd.DataFrame, scores: dict[str, float]) -> _Team:
        """The team whose coded segments are ``coded`` (all of one team)."""
        n_segments, values = _material(coded.assign(team_id=""))
        return cls(n_segments.get("", {}), values.get("", {}), scores)

    def segments(self, code: str) -> int:
        return self.n_segments.get(code, 0)

    def values(self, code: str) -> list[str]:
        return self.coded_values.get(code, [])

    def score(self, factor: str) -> float | None:
        value = self.scores.get(factor)
        return None if value is None or pd.isna(value) else float(value)


def _material(
    coded: pd.DataFrame,
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, list[str]]]]:
    """What :class:`_Team` reads, for every team at once: per team and code the number of
    segments coded with it, and the distinct values given with it (sorted, ``|`` split)."""
    team, team_ids = numbered(coded["team_id"])
    code, code_ids = numbered(coded["code_id"])
    cell = np.where((team >= 0) & (code >= 0), team * len(code_ids) + code, -1)
    counts = distinct_counts(cell, numbered(coded["segment_id"])[0], len(team_ids) * len(code_ids))
    n_segments: dict[str, dict[str, int]] = {}
    for at in np.flatnonzero(counts):
        team_id, code_id = team_ids[at // len(code_ids)], code_ids[at % len(code_ids)]
        n_segments.setdefault(team_id, {})[code_id] = int(counts[at])
    value = coded["value"]
    given = coded.loc[value.notna() & ~value.isin([""]), ["team_id", "code_id", "value"]]
    given = given.dropna().drop_duplicates()
    found: dict[tuple[str, str], set[str]] = {}
    for team_id, code_id, cell_value in given.itertuples(index=False, name=None):
        found.setdefault((team_id, code_id), set()).update(
            v for v in str(cell_value).split("|") if v
        )
    values: dict[str, dict[str, list[str]]] = {}
    for (team_id, code_id), distinct in found.items():
        values.setdefault(team_id, {})[code_id] = sorted(distinct)
    return n_segments, values


Implied = tuple[int, int, str] | str  # (low, high, basis) or the reason it cannot be computed
Rule = Callable[[_Team, Codebook], Implied]


def _origin(team: _Team, codebook: Codebook) -> Implied:
    counts = {code: team.segments(code) for code in ORIGIN_SCORE}
    coded = {code: n for code, n in counts.items() if n}
    if not coded:
        return "no_origin_coded"
    main = max(coded, key=lambda code: (coded[code], ORIGIN_SCORE[code]))
    return ORIGIN_SCORE[main], ORIGIN_SCORE[main], main


def _involvement(team: _Team, codebook: Codebook) -> Implied:
    steps = {
        c: codebook[c].order
        for c in codebook.children(INVOLVEMENT)
        if codebook[c].order is not None
    }
    coded = [c for c in steps if team.segments(c)]
    if not coded:
        return "no_involvement_coded"
    top = max(coded, key=lambda c: steps[c])
    score = min(int(steps[top]), TOP_SCORE)
    return score, score, top


def _initiative(team: _Team, codebook: Codebook) -> Implied:
    origin, involvement = _origin(team, codebook), _involvement(team, codebook)
    if isinstance(origin, str) or isinstance(involvement, str):
        return origin if isinstance(origin, str) else involvement
    o, i = origin[0], involvement[0]
    if o == TOP_SCORE and i == TOP_SCORE:
        score = 3
    elif o >= 2 and i >= 1:
        score = 2
    elif o >= 2 or i >= 1:
        score = 1
    else:
        score = 0
    return score, score, f"{origin[2]}|{involvement[2]}"


def _ranged(team: _Team, parts: tuple[str, ...], score: Callable[[dict[str, float]], int]):
    """``score`` of the parts' scores as a range: a part not scored yet may be 0 to 3."""
    found = {p: team.score(p) for p in parts}
    if all(v is None for v in found.values()):
        return "parts_unrated"
    low = score({p: (0.0 if v is None else v) for p, v in found.items()})
    high = score({p: (float(TOP_SCORE) if v is None else v) for p, v in found.items()})
    return min(low, high), max(low, high), "|".join(p for p, v in found.items() if v is not None)


def _responsiveness(team: _Team, codebook: Codebook) -> Implied:
    found = {p: team.score(p) for p in RESPONSIVE_ACTORS}
    score = responsiveness_rule(found)
    if score is None:
        return "parts_unrated"
    return score, score, "|".join(p for p, v in found.items() if v is not None)


def _resources(team: _Team, codebook: Codebook) -> Implied:
    def score(parts: dict[str, float]) -> int:
        ample = sum(v >= 2 for v in parts.values())
        some = sum(v >= 1 for v in parts.values())
        return 3 if ample == 3 else 2 if ample else 1 if some else 0

    return _ranged(team, ("hb_kennis", "hb_tijd", "hb_geld"), score)


def _network(team: _Team, codebook: Codebook) -> Implied:
    def score(parts: dict[str, float]) -> int:
        bonding, bridging, linking = (parts[t] for t in TIES)
        if bridging >= 2 and linking >= 2 and bonding >= 1:
            return 3
        if bridging >= 2 or linking >= 2:
            return 2
        return 1 if max(parts.values()) >= 1 else 0

    return _ranged(team, TIES, score)


def _barriers(team: _Team, codebook: Codebook) -> Implied:
    return _ranged(team, BARRIERS, lambda parts: int(max(parts.values())))


def _named(code: str) -> Rule:
    def rule(team: _Team, codebook: Codebook) -> Implied:
        n = team.segments(code)
        if not n:  # not named: 0, whatever else the material says
            return 0, 0, f"{code}=0"
        funding = team.values(FUNDING) if code == SUBSIDY else []
        if not funding:
            return 1, TOP_SCORE, f"{code}={n}"
        subsidised = [v for v in funding if v in SUBSIDISED]
        if not subsidised:
            low, high = 1, 1  # named, yet the plan lives on no subsidy: at most manageable
        elif len(subsidised) == len(funding):
            low, high = 2, TOP_SCORE
        else:
            low, high = 1, 2
        return low, high, f"{FUNDING}=" + "|".join(funding)

    return rule


def _coded(code: str) -> Rule:
    def rule(team: _Team, codebook: Codebook) -> Implied:
        n = team.segments(code)
        return "level_not_coded" if n else (0, 0, f"{code}=0")

    return rule


def rules(codebook: Codebook) -> dict[str, tuple[str, Rule]]:
    """Every rated factor's rule: factor id → (rule name, rule)."""
    found: dict[str, tuple[str, Rule]] = {
        ORIGIN: ("origin", _origin),
        INVOLVEMENT: ("involvement", _involvement),
        INITIATIVE: ("initiative", _initiative),
        "responsiviteit": ("responsiveness", _responsiveness),
        "hulpbronnen": ("resources", _resources),
        "netwerkaansluiting": ("network", _network),
        "barrieres": ("barriers", _barriers),
    }
    for code in codebook.segment_codes:
        if code in found or not codebook[code].rated:
            continue
        if code in BARRIERS or code.startswith("bar_"):
            found[code] = ("funding" if code == SUBSIDY else "named", _named(code))
        else:
            found[code] = ("coded", _coded(code))
    return {k: v for k, v in found.items() if k in codebook.codes}


def triangulate(data: Dataset, coded: pd.DataFrame, profiles: pd.DataFrame) -> pd.DataFrame:
    """One row per team and rated factor with a consensus score: the score, the range its
    rule gives, the status and what the rule read (``basis``: codes, or ``code=n``).

    Args:
        data: the validated data set (its codebook).
        coded: :func:`botu.coding.coded_segments`.
        profiles: :func:`botu.profiles.factor_profiles` (the consensus scores).
    """
    codebook = data.codebook
    table = rules(codebook)
    n_segments, values = _material(coded)
    scores: dict[str, dict[str, float]] = {}
    for team_id, factor, score in zip(
        profiles["team_id"], profiles["factor_id"], profiles["score"], strict=True
    ):
        scores.setdefault(team_id, {})[factor] = score
    rows = []
    for team_id in data.team_ids:
        team = _Team(n_segments.get(team_id, {}), values.get(team_id, {}), scores.get(team_id, {}))
        for factor, (name, rule) in table.items():
            score = team.score(factor)
            if score is None:
                continue  # not rated (yet): nothing to hold against the material
            implied = rule(team, codebook)
            row = {"team_id": team_id, "factor_id": factor, "score": int(score), "rule": name}
            if isinstance(implied, str):
                row.update(status="not_computable", reason=implied)
            else:
                low, high, basis = implied
                row.update(implied_low=low, implied_high=high, basis=basis)
                row["status"] = "agrees" if low <= score <= high else "diverges"
            rows.append(row)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("score", "implied_low", "implied_high"):
        frame[column] = frame[column].astype("Int64")
    for column in ("reason", "basis"):
        frame[column] = [v if isinstance(v, str) else "" for v in frame[column]]
    return frame


COALITION_COLUMNS = [
    "team_id",
    "coalition_type",
    "coalition_type_derived",
    "n_core_worked_together",
    "plan_age_at_call",
    "status",
]


def coalition_checks(data: Dataset) -> pd.DataFrame:
    """Per team the coalition type typed beside the one the data give (see the module): when
    neither two core members known to have worked together nor the plan's age decides it and
    something is unknown, the data cannot tell (nor when no type was typed)."""
    teams = data.teams.sort_values("team_id").reset_index(drop=True)
    ids = teams["team_id"]
    members = data.memberships
    core = members[members["role"] == CORE_ROLE]
    years = pd.to_numeric(core["prior_collaboration_years"], errors="coerce")
    by_team = pd.DataFrame(
        {"team_id": core["team_id"], "together": (years > 0).fillna(False), "unknown": years.isna()}
    ).groupby("team_id")
    together = by_team["together"].sum().reindex(ids, fill_value=0).to_numpy(dtype="int64")
    unknown = by_team["unknown"].any().reindex(ids, fill_value=False).to_numpy(dtype=bool)
    no_core = ~ids.isin(core["team_id"]).to_numpy(dtype=bool)

    def year(column: str) -> pd.Series:
        if column not in teams:
            return pd.Series(pd.NA, index=teams.index, dtype="Float64")
        return pd.to_numeric(teams[column], errors="coerce").astype("Float64")

    plan_age = (year("call_year") - year("plan_start_year")).astype("Int64")
    established = (together >= 2) | (plan_age >= 1).fillna(False).to_numpy(dtype=bool)
    undecided = unknown | plan_age.isna().to_numpy() | no_core  # an unknown could still decide
    derived = np.where(established, "gevestigd", np.where(undecided, "", "nieuw"))
    typed = teams["coalition_type"].to_numpy(dtype=object, na_value=None)
    status = np.where(
        (derived == "") | (typed == "hybride") | pd.isna(typed),
        "not_computable",
        np.where(typed == derived, "agrees", "diverges"),
    )
    return pd.DataFrame(
        {
            "team_id": ids.astype(str),
            "coalition_type": teams["coalition_type"].astype(str),
            "coalition_type_derived": pd.Series(derived, dtype=str),
            "n_core_worked_together": together,
            "plan_age_at_call": plan_age,
            "status": pd.Series(status, dtype=str),
        },
        columns=COALITION_COLUMNS,
    )


def divergences(table: pd.DataFrame) -> list[dict[str, object]]:
    """The rows whose consensus lies outside the rule's range, for ``summary.json``."""
    rows = table[table["status"] == "diverges"]
    return [
        {
            "team_id": r.team_id,
            "factor_id": r.factor_id,
            "score": int(r.score),
            "implied_low": int(r.implied_low),
            "implied_high": int(r.implied_high),
            "rule": r.rule,
        }
        for r in rows.itertuples()
    ]
