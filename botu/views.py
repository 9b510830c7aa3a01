"""What the notebooks show, read from the processed tables only.

Each function returns a DataFrame or Markdown text ready to display; the notebooks call
these and add nothing but prose and figures. Numbers in prose come from ``summary.json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from botu.codebook import FACTORS
from botu.pipeline import load_table
from botu.profiles import BARRIERS, INITIATIVE, INVOLVEMENT, ORIGIN, RESOURCES, TIES
from botu.schema import CONSENSUS_RATER

PROFILE_ROWS = (*FACTORS, ORIGIN, INVOLVEMENT, *RESOURCES, *TIES, "rs_gemeente", "rs_corporatie")


def labels(lang: str = "nl", root: Path | None = None) -> dict[str, str]:
    """Code id → label in ``lang`` (from the processed codebook)."""
    book = load_table("codebook", root)
    return dict(zip(book["code_id"], book[f"label_{lang}"].fillna(book["code_id"]), strict=True))


# the processed tables the team notebook reads (rows of one team only): the report runner
# reruns a team's page only when these rows change
TEAM_TABLES = (
    "teams",
    "factor_profiles",
    "team_members",
    "origin_involvement",
    "barriers",
    "responsiveness",
    "evidence_matrix",
    "coded_segments",
    "composition",
    "ratings",
)


def fictional_banner(is_fictional: bool, lang: str = "nl") -> str:
    """A Markdown warning when the data are the fictional demo set, else ''."""
    if not is_fictional:
        return ""
    if lang == "en":
        return (
            "> **Fictional demo data.** No real team, organisation or person appears here; "
            "the numbers only show what the analysis does."
        )
    return (
        "> **Fictieve demodata.** Hier staan geen echte teams, organisaties of personen; "
        "de cijfers laten alleen zien wat de analyse doet."
    )


HEADERS = {
    "nl": {
        "label": "code",
        "code_id": "id",
        "n_segments": "segmenten",
        "n_documents": "documenten",
        "n_respondents": "respondenten",
        "severity": "ernst (0–3)",
        "barrier": "barrière",
        "pseudonym": "pseudoniem",
        "actor_type": "type actor",
        "role": "rol",
        "prior_collaboration_years": "jaren eerdere samenwerking",
        "is_capital_rich": "kapitaalkrachtig",
        "is_local": "lokaal",
        "team_id": "team",
        "name": "naam",
        "coalition_type": "coalitie",
        "n_members": "leden",
        "actor_types": "typen actoren",
        "prior_collaboration_years_median": "mediaan jaren samenwerking",
        "n_capital_rich_targeted": "kapitaalkrachtig benaderd",
        "n_capital_rich_joined": "kapitaalkrachtig aangehaakt",
        "rule_score": "regelscore",
        "is_municipality_co_developing": "gemeente ontwikkelt mee",
        "municipality_roles_coded": "rollen gemeente (gecodeerd)",
        "teams": "teams",
        "n_teams": "aantal teams",
        "segment_id": "segment",
        "disagreement": "soort",
        "applied_by": "toegepast door",
        "not_applied_by": "niet door",
        "values": "waarden",
        "text": "citaat",
    },
    "en": {
        "label": "code",
        "code_id": "id",
        "n_segments": "segments",
        "n_documents": "documents",
        "n_respondents": "respondents",
        "severity": "severity (0–3)",
        "barrier": "barrier",
        "pseudonym": "pseudonym",
        "actor_type": "actor type",
        "role": "role",
        "prior_collaboration_years": "years of prior collaboration",
        "is_capital_rich": "capital-rich",
        "is_local": "local",
        "team_id": "team",
        "name": "name",
        "coalition_type": "coalition",
        "n_members": "members",
        "actor_types": "actor types",
        "prior_collaboration_years_median": "median years of collaboration",
        "n_capital_rich_targeted": "capital-rich targeted",
        "n_capital_rich_joined": "capital-rich joined",
        "rule_score": "rule score",
        "is_municipality_co_developing": "municipality co-develops",
        "municipality_roles_coded": "municipality roles (coded)",
        "teams": "teams",
        "n_teams": "teams linked",
        "segment_id": "segment",
        "disagreement": "kind",
        "applied_by": "applied by",
        "not_applied_by": "not by",
        "values": "values",
        "text": "quote",
    },
}


def table(
    frame: pd.DataFrame,
    lang: str = "nl",
    labels_for: dict[str, str] | None = None,
    precision: int = 1,
):
    """A table for display: no index, readable headers, whole numbers as such, NA as '–'.

    Columns named after codebook ids get the code's label (``labels_for``); other known
    columns a header in ``lang``.
    """
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_float_dtype(values) and values.dropna().mod(1).eq(0).all():
            out[column] = values.astype("Int64")
        elif pd.api.types.is_bool_dtype(values):
            yes, no = ("ja", "nee") if lang == "nl" else ("yes", "no")
            out[column] = values.map({True: yes, False: no})
    names = {**HEADERS.get(lang, {}), **(labels_for or {})}
    out = out.rename(columns={c: names.get(c, c) for c in out.columns})
    return out.style.hide(axis="index").format(na_rep="–", precision=precision)


def evidence_text(summary: dict[str, Any], lang: str = "nl") -> str:
    """One sentence on the evidence check, from ``summary.json``."""
    ev = summary["evidence"]
    n, bad = ev["n_ratings_2plus"], ev["n_ratings_2plus_insufficient"]
    if lang == "en":
        head = f"{n - bad} of the {n} scores of 2 or more rest on at least two segments from "
        return (
            head
            + "at least two documents."
            + (f" Not yet: {', '.join(ev['insufficient'])}." if bad else "")
        )
    head = f"{n - bad} van de {n} scores van 2 of hoger rusten op minstens twee segmenten uit "
    return (
        head
        + "minstens twee documenten."
        + (f" Nog niet: {', '.join(ev['insufficient'])}." if bad else "")
    )


# --- one team --------------------------------------------------------------------------


@dataclass
class TeamView:
    team_id: str
    team: pd.Series
    profile: pd.DataFrame
    members: pd.DataFrame
    origin: pd.Series
    barriers: pd.DataFrame
    responsiveness: pd.Series
    evidence: pd.DataFrame
    coded: pd.DataFrame
    composition: pd.Series

    @property
    def is_fictional(self) -> bool:
        """The team's row says it is fictional demo material."""
        value = self.team.get("is_fictional", False)
        return bool(value) if not pd.isna(value) else False


def team_view(team_id: str, root: Path | None = None) -> TeamView:
    """Every processed row about one team."""

    def rows(name: str) -> pd.DataFrame:
        frame = load_table(name, root)
        return frame[frame["team_id"] == team_id].reset_index(drop=True)

    return TeamView(
        team_id=team_id,
        team=rows("teams").iloc[0],
        profile=rows("factor_profiles"),
        members=rows("team_members"),
        origin=rows("origin_involvement").iloc[0],
        barriers=rows("barriers"),
        responsiveness=rows("responsiveness").iloc[0],
        evidence=rows("evidence_matrix"),
        coded=rows("coded_segments"),
        composition=rows("composition").iloc[0],
    )


def team_header(view: TeamView, lang: str = "nl") -> str:
    """Markdown title block of a team page."""
    t, c = view.team, view.composition
    if lang == "en":
        return (
            f"# {t['name']} ({view.team_id})\n\nTheme **{t['theme']}** · coalition "
            f"**{t['coalition_type']}** · SiBD phase reached **{t['sibd_phase_reached']}**"
            f" · {c['n_members']} members of {c['n_actor_types']} actor types"
        )
    return (
        f"# {t['name']} ({view.team_id})\n\nThema **{t['theme']}** · coalitie "
        f"**{t['coalition_type']}** · SiBD-fase bereikt **{t['sibd_phase_reached']}**"
        f" · {c['n_members']} leden van {c['n_actor_types']} typen actoren"
    )


def profile_table(view: TeamView, lang: str = "nl", root: Path | None = None):
    """The team's factor profile: consensus, each rater, and the evidence behind it."""
    names = labels(lang, root)
    frame = (
        view.profile.set_index("factor_id")
        .reindex([f for f in PROFILE_ROWS if f in set(view.profile["factor_id"])])
        .reset_index()
    )
    raters = [c for c in frame.columns if c.startswith("score_")]
    out = pd.DataFrame(
        {
            "factor": frame["factor_id"].map(names),
            "score": frame["score"].astype("Int64"),
            **{r.removeprefix("score_"): frame[r].astype("Int64") for r in raters},
            "coded_segments": frame["n_coded_segments"],
            "cited_segments": frame["n_cited"],
            "cited_documents": frame["n_cited_documents"],
            "evidence_ok": frame["is_evidence_ok"],
        }
    )
    headers = {
        "nl": (
            "gecodeerde segmenten",
            "geciteerde segmenten",
            "geciteerde documenten",
            "onderbouwing ok",
        ),
        "en": ("coded segments", "cited segments", "cited documents", "evidence ok"),
    }[lang]
    out = out.rename(
        columns={
            "score": f"score ({CONSENSUS_RATER})",
            **dict(
                zip(
                    ("coded_segments", "cited_segments", "cited_documents", "evidence_ok"),
                    headers,
                    strict=True,
                )
            ),
        }
    )
    return table(out, lang)


def profile_for_plot(view: TeamView) -> pd.DataFrame:
    """Rows factor_id, score of the four factors and the two resident-initiative dimensions."""
    wanted = [*FACTORS[:1], INITIATIVE, ORIGIN, INVOLVEMENT, *FACTORS[2:]]
    frame = view.profile.set_index("factor_id").reindex(wanted)
    return frame.reset_index()[["factor_id", "score"]]


def members_table(view: TeamView, lang: str = "nl"):
    """Team members under their pseudonyms, with role and prior collaboration."""
    columns = [
        "pseudonym",
        "actor_type",
        "role",
        "prior_collaboration_years",
        "is_capital_rich",
        "is_local",
    ]
    return table(view.members[columns], lang)


def barrier_rows(view: TeamView, lang: str = "nl", root: Path | None = None):
    """The team's barriers: label, severity and the segments naming each."""
    names = labels(lang, root)
    frame = view.barriers.assign(barrier=view.barriers["barrier_id"].map(names))
    return table(frame[["barrier", "severity", "n_segments"]], lang)


def _score(value: object) -> str:
    return "NA" if value is None or pd.isna(value) else str(int(value))


def origin_text(view: TeamView, lang: str = "nl", root: Path | None = None) -> str:
    """One paragraph on plan origin vs resident involvement, numbers from the team's row."""
    o = view.origin
    step = o.get("highest_involvement_coded")
    step = labels(lang, root).get(step, step) if isinstance(step, str) and step else "—"
    origin, involvement, initiative = (_score(o.get(k)) for k in (ORIGIN, INVOLVEMENT, INITIATIVE))
    if lang == "en":
        return (
            f"Plan origin (*uit de wijk*) scores **{origin}**, resident involvement in working "
            f"it out (*door de wijk*) **{involvement}**; resident initiative overall "
            f"**{initiative}**. Highest involvement step coded: *{step}*."
        )
    return (
        f"Herkomst van het plan (*uit de wijk*) scoort **{origin}**, betrokkenheid van bewoners "
        f"bij de uitwerking (*door de wijk*) **{involvement}**; bewonersinitiatief als geheel "
        f"**{initiative}**. Hoogste gecodeerde trede van betrokkenheid: *{step}*."
    )


def quotes_markdown(
    view: TeamView,
    lang: str = "nl",
    root: Path | None = None,
    factors: tuple[str, ...] = (*FACTORS, ORIGIN, INVOLVEMENT),
) -> str:
    """The quotes behind each consensus factor score, speakers under pseudonyms."""
    from botu.coding import quotes

    names = labels(lang, root)
    ratings = load_table("ratings", root)
    cons = ratings[
        (ratings["team_id"] == view.team_id) & (ratings["rater_id"] == CONSENSUS_RATER)
    ].set_index("factor_id")
    parts = []
    for factor in factors:
        if factor not in cons.index:
            continue
        row = cons.loc[factor]
        cited = [s for s in str(row["evidence"]).split(";") if s and s != "nan"]
        score = "NA" if pd.isna(row["score"]) else int(row["score"])
        parts.append(f"#### {names.get(factor, factor)} — score {score}\n")
        found = quotes(view.coded, segment_ids=cited)
        if found.empty:
            parts.append("_Geen citaten aangehaald._\n" if lang == "nl" else "_No quotes cited._\n")
        for q in found.itertuples():
            parts.append(f"> {q.text}\n>\n> — {q.source}, `{q.segment_id}` ({q.codes})\n")
    return "\n".join(parts)


def team_evidence_table(view: TeamView, lang: str = "nl", root: Path | None = None):
    """The team's row of the evidence matrix, codes that occur only."""
    names = labels(lang, root)
    rows = view.evidence[view.evidence["n_segments"] > 0].copy()
    rows.insert(1, "label", rows["code_id"].map(names))
    return table(rows.drop(columns="team_id"), lang)


# --- all teams -------------------------------------------------------------------------


def factor_matrix(
    lang: str = "nl",
    root: Path | None = None,
    factors: tuple[str, ...] = (*FACTORS, ORIGIN, INVOLVEMENT, *TIES),
) -> pd.DataFrame:
    """Team × factor consensus scores (columns: factor ids, in the order given)."""
    profiles = load_table("factor_profiles", root)
    wide = profiles.pivot(index="team_id", columns="factor_id", values="score")
    return wide.reindex(columns=list(factors)).astype("Float64").astype("Int64")


def barrier_table(root: Path | None = None) -> pd.DataFrame:
    """Long table of barrier severity per team, in codebook order."""
    frame = load_table("barriers", root)
    order = {b: i for i, b in enumerate(BARRIERS)}
    return frame.sort_values(["team_id"], kind="stable").sort_values(
        "barrier_id", key=lambda s: s.map(order), kind="stable"
    )


def composition_table(lang: str = "nl", root: Path | None = None):
    """Composition per team: coalition, members, types, collaboration, capital-rich parties."""
    frame = load_table("composition", root)
    columns = [
        "team_id",
        "name",
        "coalition_type",
        "n_members",
        "actor_types",
        "prior_collaboration_years_median",
        "n_capital_rich_targeted",
        "n_capital_rich_joined",
    ]
    return table(frame[columns], lang)


def responsiveness_table(lang: str = "nl", root: Path | None = None):
    """Per-actor responsiveness, the consensus team score and the codebook rule's score."""
    return table(load_table("responsiveness", root), lang, labels_for=labels(lang, root))


def shared_actors_table(lang: str = "nl", root: Path | None = None):
    """Actors in more than one team, with the teams they link."""
    frame = load_table("shared_actors", root)
    return table(frame[["pseudonym", "actor_type", "teams", "n_teams"]], lang)


def actor_type_counts(root: Path | None = None) -> pd.DataFrame:
    """Team × actor type counts of joined members."""
    return load_table("actor_types", root).set_index("team_id")


def _fmt(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{value:.{digits}f}".rstrip("0").rstrip(".")


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{round(100 * value)}%"


def findings_markdown(summary: dict[str, Any], lang: str = "nl") -> str:
    """The synthesis' headlines with the numbers computed from the data (Dutch or English)."""
    d, co, ri = summary["data"], summary["coalitions"], summary["resident_initiative"]
    nw, rs, res = summary["networks"], summary["responsiveness"], summary["resources"]
    pc, bar = summary["private_capital"], summary["barriers"]
    n = d["n_teams"]
    if lang == "en":
        return "\n".join(
            [
                f"**Established cooperation dominates.** {co['n_established']} of {n} teams are "
                f"established coalitions (median prior collaboration "
                f"{_fmt(co['established_prior_collaboration_years_median'])} years); "
                f"{co['n_new']} are new ({', '.join(co['new_team_ids']) or '—'}), "
                f"{co['n_new_with_residents_municipality_and_semi_public_or_market']} of them "
                "joining residents, the municipality and a (semi-)public or market party.",
                "",
                f"**From, but not (yet) by, the neighbourhood.** Plan origin scores at least 2 in "
                f"{ri['n_teams_origin_2plus']} of {n} teams (median "
                f"{_fmt(ri['uit_de_wijk']['median'])}); resident involvement has median "
                f"{_fmt(ri['door_de_wijk']['median'])} and reaches 2 only in "
                f"{', '.join(ri['door_de_wijk_2plus_team_ids']) or 'no team'}.",
                "",
                f"**Well tied to institutions.** Linking ties score at least "
                f"{nw['linking']['min']} everywhere, bonding at most {nw['bonding']['max']}; the "
                f"municipality co-develops in {rs['n_municipality_co_develops']} of {n} teams.",
                "",
                f"**Same hurdles: time and money.** Knowledge has median "
                f"{_fmt(res['kennis']['median'])}, time {_fmt(res['tijd']['median'])}, money "
                f"{_fmt(res['geld']['median'])}. Time is a barrier (severity ≥ 2) in "
                f"{_pct(bar['time']['share_teams_severity_2plus'])} of teams, money in "
                f"{_pct(bar['money']['share_teams_severity_2plus'])}, subsidy dependency in "
                f"{_pct(bar['subsidy_dependency']['share_teams_severity_2plus'])}. Capital-rich "
                f"private parties were targeted in {pc['n_teams_targeted']} teams and joined in "
                f"{pc['n_teams_joined']}.",
            ]
        )
    return "\n".join(
        [
            f"**Bestaande samenwerking dominant.** {co['n_established']} van de {n} teams zijn "
            f"gevestigde coalities (mediaan "
            f"{_fmt(co['established_prior_collaboration_years_median'])} jaar eerdere "
            f"samenwerking); {co['n_new']} zijn nieuw "
            f"({', '.join(co['new_team_ids']) or '—'}), waarvan "
            f"{co['n_new_with_residents_municipality_and_semi_public_or_market']} met bewoners, "
            "gemeente én een (semi)publieke of marktpartij.",
            "",
            f"**Wel uit de buurt, maar (nog) niet door de buurt.** De herkomst van het plan scoort "
            f"in {ri['n_teams_origin_2plus']} van de {n} teams minstens 2 (mediaan "
            f"{_fmt(ri['uit_de_wijk']['median'])}); de betrokkenheid van bewoners heeft mediaan "
            f"{_fmt(ri['door_de_wijk']['median'])} en haalt alleen in "
            f"{', '.join(ri['door_de_wijk_2plus_team_ids']) or 'geen enkel team'} een 2.",
            "",
            f"**Goed aangehaakt bij instituties.** Linking-banden scoren overal minstens "
            f"{nw['linking']['min']}, bonding hoogstens {nw['bonding']['max']}; de gemeente "
            f"ontwikkelt mee in {rs['n_municipality_co_develops']} van de {n} teams.",
            "",
            f"**Zelfde hobbels: tijd en geld.** Kennis heeft mediaan "
            f"{_fmt(res['kennis']['median'])}, tijd {_fmt(res['tijd']['median'])}, geld "
            f"{_fmt(res['geld']['median'])}. Tijd is een barrière (ernst ≥ 2) in "
            f"{_pct(bar['time']['share_teams_severity_2plus'])} van de teams, geld in "
            f"{_pct(bar['money']['share_teams_severity_2plus'])}, subsidieafhankelijkheid in "
            f"{_pct(bar['subsidy_dependency']['share_teams_severity_2plus'])}. Kapitaalkrachtige "
            f"private partijen werden in {pc['n_teams_targeted']} teams benaderd en haakten in "
            f"{pc['n_teams_joined']} teams aan.",
        ]
    )


def readme_findings(summary: dict[str, Any]) -> str:
    """The README's one-paragraph digest of the demo findings (a test keeps the README equal)."""
    d, co, ri = summary["data"], summary["coalitions"], summary["resident_initiative"]
    rs, pc = summary["responsiveness"], summary["private_capital"]
    n = d["n_teams"]
    return (
        f"On the demo data ({n} teams, {d['n_segments']} segments, {d['n_codings']} codings): "
        f"{co['n_established']} of {n} teams are established coalitions and {co['n_new']} are "
        f"new ({', '.join(co['new_team_ids'])}); plan origin has median "
        f"{_fmt(ri['uit_de_wijk']['median'])} but resident involvement median "
        f"{_fmt(ri['door_de_wijk']['median'])}; the municipality co-develops in "
        f"{rs['n_municipality_co_develops']} of {n} teams; capital-rich private parties were "
        f"targeted in {pc['n_teams_targeted']} teams and joined in {pc['n_teams_joined']}."
    )


# --- reliability -------------------------------------------------------------------------

_RELIABILITY_HEADERS = {
    "nl": {
        "label": "code",
        "n_units": "eenheden",
        "percent_agreement": "overeenstemming",
        "kappa": "κ",
        "kappa_ci": "κ 95%-interval",
        "kappa_interpretation": "κ (Landis & Koch)",
        "alpha": "α",
        "alpha_ci": "α 95%-interval",
        "interpretation": "α (Krippendorff)",
        "note": "opmerking",
        "scope": "niveau",
        "team_id": "team",
    },
    "en": {
        "label": "code",
        "n_units": "units",
        "percent_agreement": "agreement",
        "kappa": "κ",
        "kappa_ci": "κ 95% CI",
        "kappa_interpretation": "κ (Landis & Koch)",
        "alpha": "α",
        "alpha_ci": "α 95% CI",
        "interpretation": "α (Krippendorff)",
        "note": "note",
        "scope": "scope",
        "team_id": "team",
    },
}


def _interval(low: pd.Series, high: pd.Series) -> pd.Series:
    return pd.Series(
        [
            f"[{a:.2f}, {b:.2f}]" if pd.notna(a) and pd.notna(b) else "–"
            for a, b in zip(low, high, strict=True)
        ],
        index=low.index,
    )


def reliability_table(
    name: str, lang: str = "nl", *, scope: str | None = None, root: Path | None = None
):
    """A reliability table for display: value, interval and reading side by side.

    Args:
        name: ``segments``, ``documents``, ``teams`` or ``ratings``.
        scope: keep only rows of this scope (``code``, ``family``, ``pooled``, ``factor``).
    """
    from botu.reliability import interpret_alpha, interpret_kappa

    frame = load_table(f"reliability_{name}", root)
    if scope is not None:
        frame = frame[frame["scope"] == scope]
    out = pd.DataFrame(index=frame.index)
    key = "team_id" if name == "teams" else "factor_id" if name == "ratings" else "code_id"
    if name == "teams":
        out["team_id"] = frame["team_id"]
    else:
        out["label"] = frame["label"].fillna(frame[key]).replace("", "—")
    if scope is None and "scope" in frame:
        out["scope"] = frame["scope"]
    out["n_units"] = frame["n_units"]
    out["percent_agreement"] = frame["percent_agreement"].map(
        lambda v: "–" if pd.isna(v) else f"{100 * v:.1f}%"
    )
    out["kappa"] = frame["kappa"].round(3)
    out["kappa_ci"] = _interval(frame["kappa_ci_low"], frame["kappa_ci_high"])
    out["kappa_interpretation"] = frame["kappa"].map(lambda v: interpret_kappa(v, lang))
    out["alpha"] = frame["alpha"].round(3)
    out["alpha_ci"] = _interval(frame["alpha_ci_low"], frame["alpha_ci_high"])
    out["interpretation"] = frame["alpha"].map(lambda v: interpret_alpha(v, lang))
    out["note"] = frame["note"].fillna("")
    out = out.rename(columns=_RELIABILITY_HEADERS[lang])
    return out.style.hide(axis="index").format(na_rep="–", precision=3)


def alpha_per_code(root: Path | None = None) -> pd.DataFrame:
    """α per segment code with its interval (rows for the forest plot)."""
    frame = load_table("reliability_segments", root)
    return frame[frame["scope"] == "code"][["code_id", "alpha", "alpha_ci_low", "alpha_ci_high"]]


def disagreement_table(lang: str = "nl", root: Path | None = None):
    """Per code, the segments where the coders differ, with the quote, for discussion."""
    frame = load_table("disagreements", root)
    columns = [
        "label",
        "team_id",
        "segment_id",
        "disagreement",
        "applied_by",
        "not_applied_by",
        "values",
        "text",
    ]
    return table(frame[columns].fillna(""), lang)


def _num(value: float | None, digits: int = 3) -> str:
    return "–" if value is None or pd.isna(value) else f"{value:.{digits}f}"


def reliability_text(summary: dict[str, Any], lang: str = "nl") -> str:
    """The reliability headline, numbers from ``summary.json``, reading beside each value.

    Undefined coefficients (one coder only, no variation) are shown as such, not as numbers.
    """
    from botu.reliability import interpret_alpha, interpret_kappa

    r = summary.get("reliability")
    if not r:
        return ""
    seg, rat = r["segments_pooled"], r["ratings_pooled"]

    def ci(values: list) -> str:
        return "" if None in values else f" [{values[0]:.2f}, {values[1]:.2f}]"

    weakest = ", ".join(f"`{w['code_id']}` (α = {_num(w['alpha'], 2)})" for w in r["weakest_codes"])
    disputed = f"`{r['most_disputed_code']}`" if r["most_disputed_code"] else "—"
    if lang == "en":
        text = (
            f"{r['n_segments_double_coded']} segments ({_pct(r['share_segments_double_coded'])}) "
            f"were coded by a second coder. Pooled over all codes, α = {_num(seg['alpha'])}"
            f"{ci(seg['alpha_ci'])} ({interpret_alpha(seg['alpha'], 'en')}) and κ = "
            f"{_num(seg['kappa'])} ({interpret_kappa(seg['kappa'], 'en')}). "
            f"{r['n_codes_alpha_below_0667']} of {r['n_codes_assessed']} codes with a defined α "
            f"stay below .667; the weakest: {weakest or '—'}. Most disputed: {disputed}."
        )
        if rat:
            text += (
                f" Team ratings: ordinal α = {_num(rat['alpha'])}{ci(rat['alpha_ci'])} "
                f"({interpret_alpha(rat['alpha'], 'en')}), weighted κ = {_num(rat['kappa'])}."
            )
        return text
    text = (
        f"{r['n_segments_double_coded']} segmenten ({_pct(r['share_segments_double_coded'])}) "
        f"zijn door een tweede codeur gecodeerd. Over alle codes samen is α = {_num(seg['alpha'])}"
        f"{ci(seg['alpha_ci'])} ({interpret_alpha(seg['alpha'])}) en κ = {_num(seg['kappa'])} "
        f"({interpret_kappa(seg['kappa'])}). {r['n_codes_alpha_below_0667']} van de "
        f"{r['n_codes_assessed']} codes met een gedefinieerde α blijven onder .667; de zwakste: "
        f"{weakest or '—'}. Meest besproken: {disputed}."
    )
    if rat:
        text += (
            f" Teamscores: ordinale α = {_num(rat['alpha'])}{ci(rat['alpha_ci'])} "
            f"({interpret_alpha(rat['alpha'])}), gewogen κ = {_num(rat['kappa'])}."
        )
    return text


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
    outcome: object, conditions: object, calibration: object, root: Path | None = None
) -> tuple[str, list[str], dict[str, Any]]:
    """Validate the QCA parameters of a notebook and turn their literals into rules.

    ``calibration`` maps a column to ``[operator, threshold]`` (e.g. ``[">=", 2]``) or to a
    list of the values that count as 1 (e.g. ``["nieuw"]``).

    Raises:
        ValueError: naming the columns that can be used.
    """
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
        is_threshold = (
            isinstance(rule, list | tuple)
            and len(rule) == 2
            and rule[0] in (">=", ">", "<=", "<", "==", "!=")
        )
        rules[column] = tuple(rule) if is_threshold else set(rule)
    return str(outcome), list(conditions), rules


@dataclass
class QCAView:
    result: Any  # botu.compare.QCAResult, or None when the QCA cannot be run on these data
    problem: str = ""


def run_qca(
    outcome: str,
    conditions: list[str],
    calibration: dict[str, Any],
    root: Path | None = None,
    cutoff: float = 1.0,
) -> QCAView:
    """Crisp-set QCA over the teams; when the data do not allow one, the reason instead."""
    import warnings

    from botu.compare import crisp_set_qca

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dropped conditions and cases are read off the result
        try:
            result = crisp_set_qca(qca_cases(root), outcome, conditions, calibration, cutoff=cutoff)
        except ValueError as exc:
            return QCAView(None, str(exc))
    return QCAView(result)


def qca_markdown(view: QCAView, lang: str = "nl") -> str:
    """The QCA's solutions and caveats as prose, in ``lang``."""
    r = view.result
    if r is None:
        if lang == "en":
            return f"**No QCA on these data**: {view.problem}."
        return f"**Geen QCA mogelijk op deze data**: {view.problem}."
    cons, pars = r.conservative, r.parsimonious
    conditions = ", ".join(f"`{c}`" for c in r.conditions)
    if lang == "en":
        lines = [
            f"**Illustrative only**: {len(r.data)} cases allow no firm configurational claims. "
            f"Outcome `{r.outcome}`; conditions {conditions}.",
            "",
            f"- Conservative solution: `{cons.expression or '—'}` (consistency "
            f"{_fmt(cons.consistency, 2)}, coverage {_fmt(cons.coverage, 2)})",
            f"- Parsimonious solution (remainders as don't-cares): `{pars.expression or '—'}` "
            f"(consistency {_fmt(pars.consistency, 2)}, coverage {_fmt(pars.coverage, 2)})",
            f"- Contradictory rows: {len(r.contradictions)}",
        ]
        lines += [
            f"- Left out, does not vary across the cases: `{c}`" for c in r.dropped_conditions
        ]
        if r.dropped_cases:
            lines.append(f"- Cases left out for a missing value: {', '.join(r.dropped_cases)}")
        return "\n".join(lines)
    lines = [
        f"**Alleen ter illustratie**: {len(r.data)} cases laten geen harde configurationele "
        f"conclusies toe. Uitkomst `{r.outcome}`; condities {conditions}.",
        "",
        f"- Conservatieve oplossing: `{cons.expression or '—'}` (consistentie "
        f"{_fmt(cons.consistency, 2)}, dekking {_fmt(cons.coverage, 2)})",
        f"- Spaarzame oplossing (restcategorieën als don't-care): `{pars.expression or '—'}` "
        f"(consistentie {_fmt(pars.consistency, 2)}, dekking {_fmt(pars.coverage, 2)})",
        f"- Tegenstrijdige rijen: {len(r.contradictions)}",
    ]
    lines += [f"- Weggelaten, varieert niet tussen de cases: `{c}`" for c in r.dropped_conditions]
    if r.dropped_cases:
        lines.append(f"- Cases weggelaten wegens ontbrekende waarde: {', '.join(r.dropped_cases)}")
    return "\n".join(lines)


def qca_table(view: QCAView, which: str = "truth_table", lang: str = "nl"):
    """The truth table (all configurations, remainders too) or the necessity/sufficiency table."""
    if view.result is None:
        return table(pd.DataFrame(), lang)
    return table(getattr(view.result, which), lang, precision=2)
