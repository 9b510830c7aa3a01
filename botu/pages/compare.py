"""The comparison page (``30-compare``): the teams side by side. The findings with their
numbers, factor scores, composition, plan origin and resident involvement, barriers,
responsiveness, the actors teams share, an illustrative crisp-set QCA, and the evidence check.
Numbers in prose come from ``summary.json``; teams appear under their names."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from botu import i18n
from botu import labels as catalogue
from botu.codebook import FACTORS
from botu.pages.common import (
    NBSP,
    Notice,
    check_lang,
    code_names,
    count,
    fictional_banner,
    implied_text,
    listing,
    md,
    number,
    percent,
    plots,
    say,
    sentence,
    short,
    table,
    team_names,
    triangulation_frame,
    word,
)
from botu.pipeline import load_summary, load_table
from botu.profiles import BARRIERS, INVOLVEMENT, ORIGIN, RESPONSIVE_ACTORS, TIES

SCORE_FACTORS = (*FACTORS, ORIGIN, INVOLVEMENT, *TIES)
QCA_OPERATORS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "!=": "≠", "==": "="}
# what the page reads of data/processed: a change elsewhere does not rerun it (botu.report)
INPUTS = (
    "summary",
    "codebook",
    "teams",
    "factor_profiles",
    "team_members",
    "triangulation",
    "coalition_check",
    "actor_types",
    "composition",
    "origin_involvement",
    "barriers",
    "responsiveness",
    "shared_actors",
    "phases",
)


@dataclass
class ComparePage:
    summary: dict[str, Any]
    lang: str
    names: dict[str, str]  # code id → label
    teams: dict[str, str]  # team id → name
    root: Path | None = None

    @property
    def fictional(self) -> bool:
        return bool(self.summary["data"]["is_fictional"])

    @property
    def banner(self) -> Notice:
        return fictional_banner(self.fictional, self.lang)

    def team_list(self, ids: list[str]) -> str:
        """Team names, comma-separated (a name may contain 'en' or 'and' itself)."""
        return ", ".join(md(self.teams.get(t, t)) for t in ids) or "–"

    def figure(self, draw, data, name: str, **options):
        """Draw ``data`` with ``draw`` (a :mod:`botu.plots` chart) in the page's language,
        save it for print as ``name`` and show it."""
        fig = draw(data, lang=self.lang, fictional=self.fictional, **options)
        return plots.publish(fig, name, self.lang)

    def with_team_names(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame.assign(team_id=frame["team_id"].map(lambda t: self.teams.get(t, t)))


def start(lang: object, root: Path | None = None) -> ComparePage:
    """The page's parameters checked and the summary loaded."""
    lang = check_lang(lang)
    return ComparePage(load_summary(root), lang, code_names(lang, root), team_names(root), root)


# --- what the data cannot show yet ------------------------------------------------------


def _members_recorded(root: Path | None) -> bool:
    return not load_table("team_members", root).empty


def _composition_notice(lang: str) -> Notice:
    return Notice(say("text.compare.composition_unknown", lang))


def missing_notice(page: ComparePage, topic: str) -> Notice:
    """What a section over all teams cannot show yet, or ``""`` when the data are there.

    Args:
        topic: ``scores`` (factor heat map), ``uit_door`` (origin vs involvement),
            ``barriers``, ``responsiveness``, ``composition`` or ``network``.
    """
    lang, root = page.lang, page.root
    if topic in ("composition", "network"):
        return Notice("") if _members_recorded(root) else _composition_notice(lang)
    wanted = {
        "scores": SCORE_FACTORS,
        "uit_door": (ORIGIN, INVOLVEMENT),
        "barriers": BARRIERS,
        "responsiveness": (*RESPONSIVE_ACTORS, "responsiviteit"),
    }
    if topic not in wanted:
        choices = ", ".join([*wanted, "composition", "network"])
        raise ValueError(f"unknown topic {topic!r}; choose from {choices}")
    profiles = load_table("factor_profiles", root)
    if profiles[profiles["factor_id"].isin(wanted[topic])]["score"].notna().any():
        return Notice("")
    what = say(f"text.compare.topics.{topic}", lang)
    return Notice(say("text.compare.not_rated", lang, what=what))


# --- findings ---------------------------------------------------------------------------


def _missing(summary: dict[str, Any], lang: str) -> list[str]:
    """What a study in progress has not recorded yet."""
    d, co = summary["data"], summary["coalitions"]
    n = d["n_teams"]
    key = "text.compare.missing."
    items = []
    unrated = n - d.get("n_teams_rated", n)
    if d.get("n_ratings_consensus", 1) == 0:
        items.append(say(key + "ratings", lang))
    elif unrated > 0:
        items.append(say(key + "ratings_some", lang, unrated=unrated, n=n))
    if d.get("n_memberships", 1) == 0:
        items.append(say(key + "composition", lang))
    unknown = co.get("n_unknown", 0)
    if unknown:
        items.append(
            say(key + "coalition", lang)
            if unknown == n
            else say(key + "coalition_some", lang, unknown=unknown, n=n)
        )
    if d.get("n_respondents", 1) == 0:
        items.append(say(key + "respondents", lang))
    if (summary.get("reliability") or {}).get("n_segments_double_coded", 1) == 0:
        items.append(say(key + "double_coding", lang))
    return items


def status_markdown(summary: dict[str, Any], lang: str = i18n.DEFAULT_LANG) -> str:
    """One paragraph on what a study in progress lacks yet; ``""`` when nothing is missing."""
    items = _missing(summary, lang)
    unassigned = summary["data"].get("n_codes_unassigned", 0)
    parts = []
    if items:
        parts.append(say("text.compare.in_progress", lang, items="; ".join(items)))
    if unassigned:
        codes = count("text.codes", unassigned, lang)
        parts.append(say("text.compare.unassigned", lang, codes=codes))
    return " ".join(parts)


def _coalition_finding(page: ComparePage) -> str:
    summary, lang = page.summary, page.lang
    co, n = summary["coalitions"], summary["data"]["n_teams"]
    if co["n_new"] is None:
        teams = count("text.teams_of", n, lang)
        return say("text.compare.coalitions_unknown", lang, teams=teams)
    mix = co["n_new_with_residents_municipality_and_semi_public_or_market"]
    text = say(
        "text.compare.coalitions",
        lang,
        n_established=co["n_established"],
        n=n,
        years=short(co["established_prior_collaboration_years_median"], 1, lang),
        n_new=co["n_new"],
        new_teams=page.team_list(co["new_team_ids"]),
        mix=say("text.compare.coalitions_mix", lang, n=mix)
        if mix is not None
        else say("text.compare.coalitions_mix_unknown", lang),
    )
    unknown = co.get("n_unknown", 0)
    return text + (say("text.compare.coalitions_some_unknown", lang, n=unknown) if unknown else "")


def _initiative_finding(page: ComparePage) -> str:
    summary, lang = page.summary, page.lang
    ri, n = summary["resident_initiative"], summary["data"]["n_teams"]
    if not ri["uit_de_wijk"]["n_rated"] and not ri["door_de_wijk"]["n_rated"]:
        return say("text.compare.initiative_unknown", lang)
    two = ri["door_de_wijk_2plus_team_ids"]
    return say(
        "text.compare.initiative",
        lang,
        n_origin=short(ri["n_teams_origin_2plus"], 1, lang),
        n=n,
        origin=short(ri["uit_de_wijk"]["median"], 1, lang),
        involvement=short(ri["door_de_wijk"]["median"], 1, lang),
        teams=page.team_list(two) if two else say("text.none", lang),
    )


def _institutions_finding(page: ComparePage) -> str:
    summary, lang = page.summary, page.lang
    nw, rs, n = summary["networks"], summary["responsiveness"], summary["data"]["n_teams"]
    co_develops = rs["n_municipality_co_develops"]
    if not nw["linking"]["n_rated"] and not nw["bonding"]["n_rated"] and co_develops is None:
        return say("text.compare.institutions_unknown", lang)
    return say(
        "text.compare.institutions",
        lang,
        linking=short(nw["linking"]["min"], 1, lang),
        bonding=short(nw["bonding"]["max"], 1, lang),
        co_develops=short(co_develops, 1, lang),
        n=n,
    )


def _hurdles_finding(page: ComparePage) -> str:
    summary, lang = page.summary, page.lang
    res, pc, bar = summary["resources"], summary["private_capital"], summary["barriers"]
    if pc["n_teams_targeted"] is None:
        capital = say("text.compare.capital_unknown", lang)
    else:
        capital = say(
            "text.compare.capital",
            lang,
            targeted=pc["n_teams_targeted"],
            joined=pc["n_teams_joined"],
        )
    resources_rated = any(res[k]["n_rated"] for k in ("kennis", "tijd", "geld"))
    n, n_rated = summary["data"]["n_teams"], bar["time"].get("n_teams_rated")
    teams = say("text.compare.all_teams", lang)  # shares are over the teams rated
    if n_rated is not None and 0 < n_rated < n:
        teams = say("text.compare.rated_teams", lang, n=n_rated)
    barriers_rated = any(b.get("n_teams_rated", 1) for b in bar.values())
    if not resources_rated and not barriers_rated:
        return say("text.compare.hurdles_unknown", lang, capital=capital)

    def share(key: str) -> str:
        return percent(bar[key]["share_teams_severity_2plus"], 0, lang)

    return say(
        "text.compare.hurdles",
        lang,
        knowledge=short(res["kennis"]["median"], 1, lang),
        time=short(res["tijd"]["median"], 1, lang),
        money=short(res["geld"]["median"], 1, lang),
        time_share=share("time"),
        teams=teams,
        money_share=share("money"),
        subsidy_share=share("subsidy_dependency"),
        capital=capital,
    )


def findings(page: ComparePage) -> Notice:
    """The synthesis' headlines with the numbers computed from the data.

    A headline whose numbers the data cannot give yet (not rated, not recorded) is replaced
    by a sentence saying so; a study in progress gets :func:`status_markdown` first.
    """
    paragraphs = [
        status_markdown(page.summary, page.lang),
        _coalition_finding(page),
        _initiative_finding(page),
        _institutions_finding(page),
        _hurdles_finding(page),
        _triangulation_finding(page),
    ]
    return Notice("\n\n".join(p for p in paragraphs if p))


def _divergences_by_team(page: ComparePage, items: list[dict[str, Any]]) -> str:
    """Divergences from ``summary.json`` grouped per team: 'Demo-team X: Responsiviteit
    (3; 2), Door de wijk (1; 2); Demo-team Y: …' — the consensus, then what the material
    gives."""
    teams: dict[str, list[str]] = {}
    for item in items:
        implied = implied_text(item["implied_low"], item["implied_high"], page.lang)
        factor = page.names.get(item["factor_id"], item["factor_id"])
        teams.setdefault(item["team_id"], []).append(f"{md(factor)} ({item['score']}; {implied})")
    return "; ".join(
        f"{md(page.teams.get(team, team))}: {', '.join(found)}" for team, found in teams.items()
    )


def _triangulation_finding(page: ComparePage) -> str:
    """The scores that the coded material does not bear out, named (from ``summary.json``)."""
    tri = page.summary.get("triangulation")
    if not tri or not tri["n_diverge"]:
        return ""
    return say(
        "text.compare.finding_triangulation",
        page.lang,
        n_diverge=tri["n_diverge"],
        n=tri["n_agree"] + tri["n_diverge"],
        n_teams=tri["n_teams_diverging"],
        examples=_divergences_by_team(page, tri["divergences"]),
    )


def triangulation_text(page: ComparePage) -> Notice:
    """How the scores hold against the material, over all teams, and the coalition types."""
    tri, lang = page.summary.get("triangulation"), page.lang
    if not tri or not tri["n_checked"]:
        return Notice(say("text.team.triangulation_none", lang))
    parts = [
        say(
            "text.compare.triangulation_head",
            lang,
            n=tri["n_agree"] + tri["n_diverge"],
            n_diverge=tri["n_diverge"],
            n_teams=tri["n_teams_diverging"],
            n_all=page.summary["data"]["n_teams"],
        )
        if tri["n_diverge"]
        else say("text.compare.triangulation_none", lang)
    ]
    coalition = tri.get("coalition_type", {})
    if coalition.get("n_diverge"):
        named = [
            f"{md(page.teams.get(d['team_id'], d['team_id']))} "
            f"({catalogue.value(d['typed'], lang)}; {catalogue.value(d['derived'], lang)})"
            for d in coalition["divergences"]
        ]
        parts.append(say("text.compare.triangulation_coalition", lang, teams=listing(named, lang)))
    elif coalition:
        parts.append(say("text.compare.triangulation_coalition_ok", lang))
    return Notice(" ".join(parts))


def triangulation_table(page: ComparePage):
    """Every score the material does not bear out, over all teams (team, factor, consensus,
    what the material gives, the rule and what it read)."""
    rows = load_table("triangulation", page.root)
    rows = rows[rows["status"] == "diverges"]
    if rows.empty:
        return Notice("")
    frame = triangulation_frame(rows, page.names, page.lang).drop(columns="status")
    frame.insert(0, "team_id", rows["team_id"].map(lambda t: page.teams.get(t, t)).to_numpy())
    return table(frame, page.lang, name="triangulation", numbers=("implied",))


def coalition_table(page: ComparePage):
    """The coalition type typed beside the type the data give, per team."""
    rows = load_table("coalition_check", page.root)
    if rows.empty:
        return Notice("")
    frame = page.with_team_names(rows)
    frame["coalition_type_derived"] = frame["coalition_type_derived"].map(
        lambda v: catalogue.value(v, page.lang) if isinstance(v, str) and v else "–"
    )
    return table(frame, page.lang, name="coalition_check", worded=("coalition_type_derived",))


def readme_findings(summary: dict[str, Any]) -> str:
    """The README's one-paragraph digest of the demo findings (a test keeps the README equal)."""
    d, co, ri = summary["data"], summary["coalitions"], summary["resident_initiative"]
    rs, pc = summary["responsiveness"], summary["private_capital"]
    n = d["n_teams"]
    return (
        f"On the demo data ({n} teams, {d['n_segments']} segments, {d['n_codings']} codings): "
        f"{co['n_established']} of {n} teams are established coalitions and {co['n_new']} are "
        f"new ({', '.join(co['new_team_ids'])}); plan origin has median "
        f"{short(ri['uit_de_wijk']['median'], 1, 'en')} but resident involvement median "
        f"{short(ri['door_de_wijk']['median'], 1, 'en')}; the municipality co-develops in "
        f"{rs['n_municipality_co_develops']} of {n} teams; capital-rich private parties were "
        f"targeted in {pc['n_teams_targeted']} teams and joined in {pc['n_teams_joined']}."
    )


def evidence_text(page: ComparePage) -> Notice:
    """One sentence on the evidence check, from ``summary.json``."""
    summary, lang = page.summary, page.lang
    ev = summary["evidence"]
    n, bad = ev["n_ratings_2plus"], ev["n_ratings_2plus_insufficient"]
    if n == 0:
        none_rated = summary["data"].get("n_ratings", 1) == 0
        key = "evidence_none_rated" if none_rated else "evidence_none_2plus"
        return Notice(say(f"text.compare.{key}", lang))
    text = say("text.compare.evidence", lang, ok=n - bad, n=n)
    if bad:
        named = dict.fromkeys(_evidence_item(page, item) for item in ev["insufficient"])
        items = listing(list(named), lang)  # a team and factor once, whichever rater
        text += say("text.compare.evidence_not_yet", lang, items=items)
    return Notice(text)


def _evidence_item(page: ComparePage, item: str) -> str:
    """A score without enough evidence, ``T03/hulpbronnen/consensus`` in ``summary.json``, as
    a reader names it: 'Demo-team X: Hulpbronnen'."""
    team, _, rest = str(item).partition("/")
    factor = rest.partition("/")[0]
    return f"{md(page.teams.get(team, team))}: {md(page.names.get(factor, factor))}"


# --- tables and figures -----------------------------------------------------------------


def factor_matrix(page: ComparePage, factors: tuple[str, ...] = SCORE_FACTORS) -> pd.DataFrame:
    """Team × factor consensus scores (rows: team names; columns: factor ids, in order).

    Every team is a row, also one nobody rated yet (all NA), so no team drops out of sight.
    """
    profiles = load_table("factor_profiles", page.root)
    teams = sorted(page.teams)
    wide = profiles.pivot(index="team_id", columns="factor_id", values="score")
    wide = wide.reindex(index=pd.Index(teams, name="team_id"), columns=list(factors))
    wide.index = pd.Index([page.teams[t] for t in teams], name="team_id")
    return wide.astype("Float64").astype("Int64")


def factor_figure(page: ComparePage):
    return page.figure(
        plots.score_heatmap, factor_matrix(page), "compare-factoren", labels=page.names
    )


def composition_figure(page: ComparePage):
    counts = page.with_team_names(load_table("actor_types", page.root)).set_index("team_id")
    return page.figure(plots.composition_bars, counts, "compare-samenstelling")


def composition_table(page: ComparePage):
    """Composition per team: coalition, members, types, collaboration, capital-rich parties."""
    if not _members_recorded(page.root):
        return _composition_notice(page.lang)
    frame = load_table("composition", page.root)
    columns = [
        "name",
        "coalition_type",
        "n_members",
        "actor_types",
        "prior_collaboration_years_median",
        "n_capital_rich_targeted",
        "n_capital_rich_joined",
    ]
    return table(frame[columns], page.lang, name="composition")


def origin_figure(page: ComparePage):
    frame = page.with_team_names(load_table("origin_involvement", page.root))
    new = [page.teams.get(t, t) for t in page.summary["coalitions"]["new_team_ids"] or []]
    return page.figure(plots.origin_involvement_plot, frame, "compare-uit-door", new_team_ids=new)


def barrier_table(page: ComparePage) -> pd.DataFrame:
    """Long table of barrier severity per team (teams by name), in codebook order."""
    frame = load_table("barriers", page.root)
    order = {b: i for i, b in enumerate(BARRIERS)}
    frame = frame.sort_values(["team_id"], kind="stable").sort_values(
        "barrier_id", key=lambda s: s.map(order), kind="stable"
    )
    return page.with_team_names(frame)


def barrier_figure(page: ComparePage):
    return page.figure(
        plots.barrier_heatmap, barrier_table(page), "compare-barrieres", labels=page.names
    )


def responsiveness_table(page: ComparePage):
    """Per-actor responsiveness, the consensus team score and the codebook rule's score."""
    frame = load_table("responsiveness", page.root)
    scored = [c for c in (*RESPONSIVE_ACTORS, "responsiviteit") if c in frame]
    if frame[scored].isna().all().all():
        return missing_notice(page, "responsiveness")
    frame = page.with_team_names(frame).rename(columns={"team_id": "team"})
    return table(frame, page.lang, labels_for=page.names, name="responsiveness")


def network_figure(page: ComparePage):
    members = page.with_team_names(load_table("team_members", page.root))
    return page.figure(plots.actor_network, members, "compare-netwerk")


def shared_actors_table(page: ComparePage):
    """Actors in more than one team, with the teams they link (by name)."""
    if not _members_recorded(page.root):
        return _composition_notice(page.lang)
    frame = load_table("shared_actors", page.root)
    if frame.empty:
        return Notice(say("text.compare.no_shared_actor", page.lang))
    frame = frame.assign(
        teams=frame["teams"].map(
            lambda ids: ", ".join(page.teams.get(t.strip(), t.strip()) for t in str(ids).split(";"))
        )
    )
    return table(
        frame[["pseudonym", "actor_type", "teams", "n_teams"]], page.lang, name="shared_actors"
    )


# --- configurational comparison (illustrative) -------------------------------------------


def qca_cases(root: Path | None = None) -> pd.DataFrame:
    """One row per team: its attributes and every consensus score, the QCA's raw material.

    Every rateable code of the codebook is a column, NA where a team has no consensus yet.
    """
    teams = load_table("teams", root)[["team_id", "coalition_type", "sibd_phase_reached"]]
    book = load_table("codebook", root)
    rateable = book.loc[book["is_rated"].astype(bool), "code_id"].tolist()
    profiles = load_table("factor_profiles", root)
    wide = profiles.pivot(index="team_id", columns="factor_id", values="score")
    wide = wide.reindex(index=teams["team_id"], columns=rateable).reset_index()
    wide.columns.name = None
    return teams.merge(wide, on="team_id", how="left", validate="1:1")


def check_qca(
    outcome: object,
    conditions: object,
    calibration: object,
    cutoff: object = 0.8,
    root: Path | None = None,
) -> tuple[str, list[str], dict[str, Any], float]:
    """Validate the QCA parameters of the page and turn their literals into rules.

    ``calibration`` maps a column to ``[operator, threshold]`` (e.g. ``[">=", 2]``) or to a
    list of the values that count as 1 (e.g. ``["nieuw"]``); a score without a rule is a
    fuzzy set. ``cutoff``: the inclusion cut-off, above 0 and at most 1.

    Raises:
        ValueError: naming the columns that can be used.
    """
    if isinstance(cutoff, bool) or not isinstance(cutoff, int | float) or not 0 < cutoff <= 1:
        raise ValueError(f"qca_cutoff must be a number above 0 and at most 1, not {cutoff!r}")
    from botu.compare import MAX_CONDITIONS

    columns = [c for c in qca_cases(root).columns if c != "team_id"]
    if not isinstance(conditions, list | tuple) or not conditions:
        raise ValueError("qca_conditions must be a non-empty list of column names")
    if len(conditions) > MAX_CONDITIONS:
        raise ValueError(f"qca_conditions takes at most {MAX_CONDITIONS} conditions")
    unknown = [c for c in [outcome, *conditions] if c not in columns]
    if unknown:
        raise ValueError(f"unknown QCA column(s) {unknown}; choose from: {', '.join(columns)}")
    if not isinstance(calibration, dict):
        raise ValueError("qca_calibration must map column names to a rule")
    rules: dict[str, Any] = {}
    for column, rule in calibration.items():
        if column not in columns:
            raise ValueError(f"qca_calibration names unknown column {column!r}")
        if isinstance(rule, str):
            rule = [rule]  # one value that counts as 1
        if not isinstance(rule, list | tuple | set):
            raise ValueError(
                f"qca_calibration for {column!r} must be [operator, threshold] or a list of "
                f"values, not {rule!r}"
            )
        is_threshold = (
            isinstance(rule, list | tuple) and len(rule) == 2 and rule[0] in QCA_OPERATORS
        )
        rules[column] = tuple(rule) if is_threshold else set(rule)
    return str(outcome), list(conditions), rules, float(cutoff)


@dataclass
class QCAView:
    result: Any  # botu.compare.TeamQCA, or None when the QCA cannot be run on these data
    problem: str = ""
    reason: dict[str, str] = field(default_factory=dict)  # why not, by language
    rules: dict[str, Any] = field(default_factory=dict)  # the calibration, column → rule
    lang: str = i18n.DEFAULT_LANG
    names: dict[str, str] = field(default_factory=dict)  # code id → label
    teams: dict[str, str] = field(default_factory=dict)  # team id → name


def qca_missing(
    cases: pd.DataFrame, outcome: str, conditions: list[str], root: Path | None = None
) -> dict[str, str]:
    """Why the data cannot carry the QCA yet, in every language; ``{}`` when they can.

    The QCA needs at least two teams and, for the outcome and every condition, a value for
    some team: a rated factor without any consensus score, or a team attribute nobody filled
    in, leaves every case out.
    """
    book = load_table("codebook", root)
    rated = set(book.loc[book["is_rated"].astype(bool), "code_id"])
    empty = [c for c in [outcome, *conditions] if cases[c].isna().all()]
    unrated = [c for c in empty if c in rated]
    unrecorded = [c for c in empty if c not in rated]
    reasons = {}
    for lang in i18n.LANGUAGES:
        names = code_names(lang, root)

        def words(columns: list[str], lang: str = lang, names: dict = names) -> str:
            return listing([md(word(c, lang, names)) for c in columns], lang)

        parts = []
        if len(cases) < 2:
            parts.append(say("text.compare.qca_too_few", lang, n=len(cases)))
        if unrated:
            parts.append(
                count("text.compare.qca_unrated", len(unrated), lang, names=words(unrated))
            )
        if unrecorded:
            parts.append(say("text.compare.qca_unrecorded", lang, names=words(unrecorded)))
        if parts:
            reasons[lang] = sentence("; ".join(parts))
    return reasons


def run_qca(
    page: ComparePage,
    outcome: str,
    conditions: list[str],
    calibration: dict[str, Any],
    cutoff: float = 0.8,
) -> QCAView:
    """QCA over the teams (:func:`botu.compare.team_qca`): a score without a rule is a fuzzy
    set of the rubric. When the data do not allow a QCA, the reason instead."""
    from botu.compare import team_qca

    cases = qca_cases(page.root)
    missing = qca_missing(cases, outcome, conditions, page.root)
    view = {"rules": calibration, "lang": page.lang, "names": page.names, "teams": page.teams}
    if missing:
        return QCAView(None, missing["en"], missing, **view)
    book = load_table("codebook", page.root)
    scored = set(book.loc[book["is_rated"].astype(bool), "code_id"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dropped conditions and cases are read off the result
        try:
            result = team_qca(cases, outcome, conditions, calibration, scored=scored, cutoff=cutoff)
        except ValueError as exc:
            return QCAView(None, str(exc), **view)
    return QCAView(result, **view)


def condition_word(
    column: str,
    rule: object = None,
    lang: str = i18n.DEFAULT_LANG,
    names: dict[str, str] | None = None,
) -> str:
    """A QCA condition as a reader reads it: 'Bonding ≥ 2', 'type coalitie = nieuw'."""
    name = word(column, lang, names)
    if isinstance(rule, list | tuple) and len(rule) == 2 and rule[0] in QCA_OPERATORS:
        op, threshold = rule
        digits = 0 if float(threshold).is_integer() else 1
        return f"{name}{NBSP}{QCA_OPERATORS[op]}{NBSP}{number(threshold, digits, lang)}"
    if isinstance(rule, set | frozenset | list | tuple) and rule:
        ored = say("text.or", lang).join(catalogue.value(v, lang) for v in sorted(rule))
        return f"{name}{NBSP}={NBSP}{ored}"
    return name


def _literal(text: str, words: dict[str, str], lang: str) -> str:
    text = text.strip()
    if text.startswith("~"):
        return say("text.not", lang) + words.get(text[1:], text[1:])
    return words.get(text, text)


def _expression(expression: str, words: dict[str, str], lang: str) -> str:
    """'A*~B + C' as 'A · niet B; of C', each condition as its word."""
    if not expression:
        return "–"
    terms = [
        " · ".join(_literal(lit, words, lang) for lit in term.split("*"))
        for term in expression.split("+")
    ]
    return say("text.or_term", lang).join(terms)


def _qca_words(view: QCAView) -> dict[str, str]:
    r = view.result
    columns = [r.outcome, *r.conditions, *r.dropped_conditions]
    return {c: condition_word(c, view.rules.get(c), view.lang, view.names) for c in columns}


def _disjunction(text: str, words: dict[str, str], lang: str) -> str:
    """'A + ~B' (a necessary disjunction) as 'A of niet B'."""
    return say("text.or", lang).join(_literal(part, words, lang) for part in text.split(" + "))


def _refusal(error: str, lang: str) -> str:
    """R's reason for refusing a solution, in the page's language."""
    from botu.qca import NOTHING_EXPLAINED

    nothing = error == NOTHING_EXPLAINED
    return say(f"text.compare.qca_reason_{'nothing' if nothing else 'all'}", lang)


def qca_markdown(view: QCAView) -> Notice:
    """The QCA's solutions, every model with its fit, and the caveats, as prose."""
    lang, r = view.lang, view.result
    if r is None and view.reason:
        return Notice(say("text.compare.qca_not_yet", lang, reason=view.reason[lang]))
    if r is None:
        return Notice(say("text.compare.qca_impossible", lang, reason=md(view.problem)))
    words = _qca_words(view)
    key = "text.compare."
    lines = [
        say(
            key + "qca_head",
            lang,
            n=len(r.data),
            outcome=md(words[r.outcome]),
            conditions=", ".join(md(words[c]) for c in r.conditions),
            cutoff=number(r.cutoff, 2, lang),
        ),
        "",
    ]
    if r.fuzzy:
        names = listing([md(words[c]) for c in r.fuzzy if c in words], lang)
        lines.append(say(key + "qca_fuzzy", lang, names=names))
    for solution in r.solutions:
        name = say(key + f"qca_{solution.kind}", lang)
        if solution.error:
            lines.append(
                say(key + "qca_refused", lang, solution=name, reason=_refusal(solution.error, lang))
            )
            continue
        lines.append(say(key + "qca_solution", lang, solution=name))
        several = len(solution.models) > 1
        for i, model in enumerate(solution.models, start=1):
            lines.append(
                say(
                    key + "qca_model",
                    lang,
                    model=f"M{i}: " if several else "",
                    expression=md(_expression(model.expression, words, lang)),
                    incl=number(model.incl, 2, lang),
                    pri=number(model.pri, 2, lang),
                    cov=number(model.cov, 2, lang),
                )
            )
    if any(m.incl < r.cutoff - 1e-9 for solution in r.solutions for m in solution.models):
        lines.append(say(key + "qca_below_cut", lang))
    lines.append(say(key + "qca_contradictions", lang, n=len(r.contradictions)))
    lines += [
        say(key + "qca_dropped_condition", lang, condition=md(words[c]))
        for c in r.dropped_conditions
    ]
    if r.dropped_cases:
        dropped = ", ".join(md(view.teams.get(t, t)) for t in r.dropped_cases)
        lines.append(say(key + "qca_dropped_cases", lang, teams=dropped))
    return Notice("\n".join(lines))


def _team_list(ids: object, teams: dict[str, str]) -> object:
    if not isinstance(ids, str) or not ids:
        return ids
    return "; ".join(teams.get(t.strip(), t.strip()) for t in ids.split(","))


def qca_table(view: QCAView, which: str = "truth_table"):
    """One of the QCA's tables: ``truth_table`` (every configuration, remainders too),
    ``necessity`` (conditions, then necessary disjunctions), ``models`` (every model of every
    solution, term by term) or ``robustness`` (the solutions over a range of cut-offs)."""
    if view.result is None:
        return Notice("")  # qca_markdown says why
    lang, words = view.lang, _qca_words(view)
    frame = getattr(view.result, which).copy()
    if which == "necessity":
        frame["condition"] = frame["condition"].map(lambda c: _disjunction(c, words, lang))
    if which == "models":
        frame["solution"] = frame["solution"].map(lambda k: catalogue.column("qca", k, lang)[0])
        frame["term"] = frame["term"].map(lambda t: _expression(t, words, lang))
    if which == "robustness":
        for kind in ("conservative", "parsimonious", "intermediate"):
            frame[kind] = frame[kind].map(
                lambda text: (
                    _refusal(text, lang)
                    if text.endswith("truth table.")
                    else "; ".join(_expression(m, words, lang) for m in text.split("; "))
                )
            )
    if "cases" in frame:
        frame["cases"] = frame["cases"].map(lambda ids: _team_list(ids, view.teams))
    return table(frame, lang, labels_for=words, precision=2, name="qca")


# --- the SiBD phases --------------------------------------------------------------------


def phases_text(page: ComparePage) -> Notice:
    """How far the teams got through the SiBD phases, and what the material covers."""
    phases, lang = page.summary.get("phases"), page.lang
    if not phases or not phases["teams"]:
        return Notice("")
    reached = phases["n_teams_reached"]
    documented = [t["documented"] for t in phases["teams"] if t["documented"]]
    text = say(
        "text.compare.phases",
        lang,
        n=len(phases["teams"]),
        n4=reached["4"],
        n3=reached["3"],
        n2=reached["2"],
        documented=max(documented) if documented else "–",
    )
    if phases["documented_beyond_reached"]:
        text += " " + say(
            "text.compare.phases_beyond",
            lang,
            teams=page.team_list(phases["documented_beyond_reached"]),
        )
    return Notice(text)


def phases_figure(page: ComparePage):
    """The teams through the phases: a timeline of the material of each phase."""
    rows = load_table("phases", page.root)
    teams = load_table("teams", page.root)
    reached = {
        t: int(p)
        for t, p in zip(teams["team_id"], pd.to_numeric(teams["sibd_phase_reached"]), strict=True)
        if not pd.isna(p)
    }
    return page.figure(
        plots.phase_timeline, rows, "compare-fasen", team_names=page.teams, reached=reached
    )


def phase_profile_table(page: ComparePage):
    """The factor scores beside the phase each team reached, teams by phase reached."""
    teams = load_table("teams", page.root).set_index("team_id")
    scores = factor_matrix(page, FACTORS)
    by_name = {page.teams[t]: t for t in page.teams}
    frame = scores.reset_index()
    frame.insert(
        1,
        "sibd_phase_reached",
        frame["team_id"].map(lambda n: teams.loc[by_name[n], "sibd_phase_reached"]).astype("Int64"),
    )
    frame = frame.sort_values(["sibd_phase_reached", "team_id"], ascending=[False, True])
    return table(frame, page.lang, labels_for=page.names, name="phases")
