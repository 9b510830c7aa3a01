"""The team page (``10-team``): one team's factor profile, composition, plan origin and
resident involvement, barriers, and the coded evidence and quotes behind its scores. Reads the
processed tables, rows of this team only (:data:`TEAM_TABLES`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from botu import labels as catalogue
from botu.codebook import FACTORS
from botu.coding import quotes
from botu.labels import value as value_word
from botu.pages.common import (
    Notice,
    check_lang,
    code_names,
    count,
    fictional_banner,
    implied_text,
    listing,
    md,
    md_quote,
    plots,
    say,
    table,
    triangulation_frame,
)
from botu.pipeline import load_table
from botu.profiles import BARRIERS, INITIATIVE, INVOLVEMENT, ORIGIN, RESOURCES, TIES
from botu.schema import CONSENSUS_RATER

PROFILE_ROWS = (*FACTORS, ORIGIN, INVOLVEMENT, *RESOURCES, *TIES, "rs_gemeente", "rs_corporatie")
QUOTES_PER_CODE = 2  # example quotes per code on a team page that has no ratings yet

# the processed tables the team page reads (rows of one team only): the report runner
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
    "triangulation",
    "phases",
)


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
    ratings: pd.DataFrame
    triangulation: pd.DataFrame
    phases: pd.DataFrame
    lang: str = "nl"
    names: dict[str, str] | None = None  # code id → label in ``lang``

    @property
    def is_fictional(self) -> bool:
        """The team's row says it is fictional demo material."""
        value = self.team.get("is_fictional", False)
        return bool(value) if not pd.isna(value) else False

    @property
    def name(self) -> str:
        return str(self.team["name"])

    @property
    def banner(self) -> Notice:
        return fictional_banner(self.is_fictional, self.lang)

    def label(self, code: str) -> str:
        return (self.names or {}).get(code, code)


def check_team(team_id: object, root: Path | None = None) -> str:
    """Validate the page's ``team_id`` parameter against the teams in the processed data.

    Raises:
        ValueError: naming the valid team ids (a number such as 1 is rejected: ids are text).
    """
    teams = sorted(load_table("teams", root)["team_id"])
    if not isinstance(team_id, str) or team_id not in teams:
        raise ValueError(
            f"team_id must be one of {', '.join(teams)} (as text, e.g. '{teams[0]}'), "
            f"not {team_id!r}"
        )
    return team_id


def team_view(team_id: str, lang: str = "nl", root: Path | None = None) -> TeamView:
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
        ratings=rows("ratings"),
        triangulation=rows("triangulation"),
        phases=rows("phases"),
        lang=lang,
        names=code_names(lang, root),
    )


def start(team_id: object, lang: object, root: Path | None = None) -> TeamView:
    """The page's parameters checked and the team's rows loaded."""
    lang = check_lang(lang)
    return team_view(check_team(team_id, root), lang, root)


def _attribute(value: object, lang: str) -> str:
    """A team attribute for prose: its word, 'onbekend' / 'unknown' when missing, 4 not 4.0."""
    if value is None or pd.isna(value) or str(value).strip() == "":
        return say("text.unknown", lang)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value_word(value, lang)


def header(view: TeamView) -> Notice:
    """Markdown title block of a team page: its name, theme, coalition, phase, members."""
    lang, t, c = view.lang, view.team, view.composition
    if view.members.empty:
        members = say("text.team.members_unknown", lang)
    else:
        members = say(
            "text.team.members", lang, n_members=c["n_members"], n_types=c["n_actor_types"]
        )
    theme, coalition, phase = (
        md(_attribute(t[k], lang)) for k in ("theme", "coalition_type", "sibd_phase_reached")
    )
    return Notice(
        say(
            "text.team.header",
            lang,
            name=md(view.name),
            theme=theme,
            coalition=coalition,
            phase=phase,
            members=members,
        )
    )


def is_rated(view: TeamView) -> bool:
    """The team has at least one consensus rating (a score or NA) in ``ratings``."""
    return not view.profile.empty


def _coded_by_family(view: TeamView) -> str:
    """'Hulpbronnen 12 segmenten, Niet toegewezen 80 segmenten' for the team's codings."""
    per_family = view.coded.groupby("factor_id", sort=False)["segment_id"].nunique()
    book = list((view.names or {}).keys())
    order = sorted(per_family.index, key=lambda f: book.index(f) if f in book else len(book))
    return ", ".join(
        f"{md(view.label(f))} {count('text.segments', int(per_family[f]), view.lang)}"
        for f in order
    )


def not_rated_notice(view: TeamView) -> Notice:
    """Says that the team's factor scores are not rated yet, and what was coded instead."""
    lang = view.lang
    head = say("text.team.not_rated", lang)
    n_segments = view.coded["segment_id"].nunique()
    if not n_segments:
        return Notice(f"{head} {say('text.team.nothing_coded', lang)}")
    rest = say(
        "text.team.coded_instead",
        lang,
        segments=count("text.segments", n_segments, lang),
        documents=count("text.documents", view.coded["document_id"].nunique(), lang),
        codes=count("text.codes", view.coded["code_id"].nunique(), lang),
        families=_coded_by_family(view),
    )
    return Notice(f"{head} {rest}")


def profile_table(view: TeamView):
    """The team's factor profile: consensus, each rater, and the evidence behind it.

    A team without any consensus rating gets :func:`not_rated_notice` instead.
    """
    if not is_rated(view):
        return not_rated_notice(view)
    frame = (
        view.profile.set_index("factor_id")
        .reindex([f for f in PROFILE_ROWS if f in set(view.profile["factor_id"])])
        .reset_index()
    )
    raters = [c for c in frame.columns if c.startswith("score_")]
    out = pd.DataFrame(
        {
            "factor": frame["factor_id"].map(view.label),
            "score": frame["score"].astype("Int64"),
            **{r: frame[r].astype("Int64") for r in raters},  # 'score C1', 'score C2'
            "n_coded_segments": frame["n_coded_segments"],
            "n_cited": frame["n_cited"],
            "n_cited_documents": frame["n_cited_documents"],
            # a missing score needs no evidence: neither 'yes' nor 'no'
            "is_evidence_ok": frame["is_evidence_ok"].astype("boolean").mask(frame["score"].isna()),
        }
    )
    return table(out, view.lang, name="factor_profiles")


def profile_for_plot(view: TeamView) -> pd.DataFrame:
    """Rows factor_id, score of the four factors and the two resident-initiative dimensions."""
    wanted = [*FACTORS[:1], INITIATIVE, ORIGIN, INVOLVEMENT, *FACTORS[2:]]
    frame = view.profile.set_index("factor_id").reindex(wanted)
    return frame.reset_index()[["factor_id", "score"]]


def profile_figure(view: TeamView):
    """The factor profile as bars, saved for print and shown."""
    fig = plots.profile_bars(
        profile_for_plot(view),
        labels=view.names,
        lang=view.lang,
        title=say("text.team.figure_profile", view.lang, team=view.name),
        fictional=view.is_fictional,
    )
    return plots.publish(fig, f"team-{view.team_id}-profiel", view.lang)


def members_table(view: TeamView):
    """Team members under their pseudonyms, with role and prior collaboration."""
    if view.members.empty:
        return Notice(say("text.team.composition_unknown", view.lang))
    columns = [
        "pseudonym",
        "actor_type",
        "role",
        "prior_collaboration_years",
        "is_capital_rich",
        "is_local",
    ]
    return table(view.members[columns], view.lang, name="team_members")


def barrier_rows(view: TeamView):
    """The team's barriers: label, severity and the segments naming each.

    When no barrier has a consensus severity yet, a sentence instead, naming the barriers
    that are coded.
    """
    lang = view.lang
    if not set(view.profile["factor_id"]) & set(BARRIERS):
        coded = view.barriers[view.barriers["n_segments"] > 0]
        named = ", ".join(
            f"{md(view.label(r.barrier_id))} ({count('text.segments', int(r.n_segments), lang)})"
            for r in coded.itertuples()
        )
        rest = (
            say("text.team.barriers_coded", lang, named=named)
            if named
            else say("text.team.barriers_none", lang)
        )
        return Notice(f"{say('text.team.barriers_not_rated', lang)} {rest}")
    frame = view.barriers.assign(barrier=view.barriers["barrier_id"].map(view.label))
    return table(frame[["barrier", "severity", "n_segments"]], lang, name="barriers")


def barrier_figure(view: TeamView):
    """The barriers' severities as bars, saved for print and shown (nothing if none rated)."""
    fig = plots.barrier_bars(
        view.barriers,
        labels=view.names,
        lang=view.lang,
        title=say("text.team.figure_barriers", view.lang, team=view.name),
        fictional=view.is_fictional,
    )
    return plots.publish(fig, f"team-{view.team_id}-barrieres", view.lang)


def _score(value: object) -> str:
    return "–" if value is None or pd.isna(value) else str(int(value))


def origin_text(view: TeamView) -> Notice:
    """One paragraph on plan origin vs resident involvement, numbers from the team's row."""
    lang, o = view.lang, view.origin
    step = o.get("highest_involvement_coded")
    step = md(view.label(step)) if isinstance(step, str) and step else ""
    step_text = (
        say("text.team.step_coded", lang, step=step) if step else say("text.team.step_none", lang)
    )
    if not set(view.profile["factor_id"]) & {ORIGIN, INVOLVEMENT, INITIATIVE}:
        return Notice(f"{say('text.team.origin_not_rated', lang)} {step_text}")
    origin, involvement, initiative = (_score(o.get(k)) for k in (ORIGIN, INVOLVEMENT, INITIATIVE))
    scores = say(
        "text.team.origin", lang, origin=origin, involvement=involvement, initiative=initiative
    )
    return Notice(f"{scores} {step_text}")


def _speaker(view: TeamView, segment_id: str) -> str:
    """Who or what a quote comes from, for a reader: the respondent's pseudonym with role and
    organisation, else the kind of document (its words in the page's language)."""
    row = view.coded[view.coded["segment_id"] == segment_id].iloc[0]

    def given(name: str) -> str:
        value = row.get(name)
        return str(value) if isinstance(value, str) and value.strip() else ""

    if given("respondent_id"):
        about = [value_word(given("respondent_role"), view.lang), given("actor_pseudonym")]
        about = [a for a in about if a]
        return given("respondent_id") + (f" ({', '.join(about)})" if about else "")
    return value_word(given("kind"), view.lang)


def _quote(q, view: TeamView) -> str:
    codes = "; ".join(md(view.label(c)) for c in q.codes.split(", "))
    return f"> {md_quote(q.text)}\n>\n> — {md(_speaker(view, q.segment_id))} ({codes})\n"


def quotes_markdown(
    view: TeamView, factors: tuple[str, ...] = (*FACTORS, ORIGIN, INVOLVEMENT)
) -> Notice:
    """The quotes behind each consensus factor score, speakers under pseudonyms.

    A team without ratings gets :func:`coded_quotes_markdown`: example quotes per code used.
    """
    if not is_rated(view):
        return coded_quotes_markdown(view)
    lang = view.lang
    cons = view.ratings[view.ratings["rater_id"] == CONSENSUS_RATER].set_index("factor_id")
    parts = []
    for factor in factors:
        if factor not in cons.index:
            continue
        row = cons.loc[factor]
        cited = [s for s in str(row["evidence"]).split(";") if s and s != "nan"]
        parts.append(
            say(
                "text.team.quote_heading",
                lang,
                factor=md(view.label(factor)),
                score=_score(row["score"]),
            )
            + "\n"
        )
        found = quotes(view.coded, segment_ids=cited)
        if found.empty:
            parts.append(say("text.team.no_quotes", lang) + "\n")
        parts += [_quote(q, view) for q in found.itertuples()]
    return Notice("\n".join(parts))


def coded_quotes_markdown(view: TeamView, per_code: int = QUOTES_PER_CODE) -> Notice:
    """Example quotes for every code used in the team, in codebook order (no ratings needed)."""
    lang = view.lang
    used = view.evidence[view.evidence["n_segments"] > 0]
    if used.empty:
        return Notice(say("text.team.nothing_coded_quotes", lang))
    parts = [say("text.team.example_quotes", lang, n=per_code) + "\n"]
    for row in used.itertuples():
        found = quotes(view.coded, code_ids=[row.code_id])
        segments = count("text.segments", int(row.n_segments), lang)
        parts.append(f"#### {md(view.label(row.code_id))}: {segments}\n")
        parts += [_quote(q, view) for q in found.head(per_code).itertuples()]
        if len(found) > per_code:
            parts.append(say("text.team.more_quotes", lang, n=len(found) - per_code) + "\n")
    return Notice("\n".join(parts))


def evidence_table(view: TeamView):
    """The team's row of the evidence matrix, codes that occur only."""
    rows = view.evidence[view.evidence["n_segments"] > 0].copy()
    if rows.empty:
        return Notice(say("text.team.nothing_coded_table", view.lang))
    rows.insert(1, "label", rows["code_id"].map(view.label))
    if not rows["n_respondents"].any():  # no interviews (or no respondents recorded) yet
        rows = rows.drop(columns="n_respondents")
    return table(rows.drop(columns=["team_id", "code_id"]), view.lang, name="evidence_matrix")


def triangulation_text(view: TeamView) -> Notice:
    """How many of the team's scores a codebook rule can test against the coded material and
    how many of those diverge, naming them; what the material cannot tell, said apart."""
    lang, rows = view.lang, view.triangulation
    if rows.empty:
        return Notice(say("text.team.triangulation_none", lang))
    judged = rows[rows["status"] != "not_computable"]
    off = rows[rows["status"] == "diverges"]
    levels = rows[rows["reason"] == "level_not_coded"]
    open_ = rows[(rows["status"] == "not_computable") & (rows["reason"] != "level_not_coded")]
    parts = []
    if len(judged):
        parts.append(count("text.team.triangulation_head", len(off), lang, total=len(judged)))
    if len(off):
        named = [
            f"{md(view.label(r.factor_id))} "
            f"({r.score}; {implied_text(r.implied_low, r.implied_high, lang)})"
            for r in off.itertuples()
        ]
        parts.append(say("text.team.triangulation_diverging", lang, factors=listing(named, lang)))
    if len(open_):
        named = [
            f"{md(view.label(r.factor_id))} ({catalogue.value(r.reason, lang)})"
            for r in open_.itertuples()
        ]
        parts.append(
            count("text.team.triangulation_open", len(open_), lang, factors=listing(named, lang))
        )
    if len(levels):
        parts.append(count("text.team.triangulation_levels", len(levels), lang))
    return Notice(" ".join(parts))


def triangulation_table(view: TeamView):
    """The team's scores a codebook rule can test against the coded material, beside what the
    rule gives, the divergences first (the others are counted in :func:`triangulation_text`)."""
    rows = view.triangulation
    rows = rows[rows["status"] != "not_computable"]
    if rows.empty:
        return Notice("")
    order = {"diverges": 0, "agrees": 1}
    rows = rows.assign(_o=rows["status"].map(order)).sort_values("_o", kind="stable")
    frame = triangulation_frame(rows, view.names or {}, view.lang)
    return table(frame, view.lang, name="triangulation", numbers=("implied",))


def phases_table(view: TeamView):
    """The team's SiBD phases: the documents about each, the first and last date, and
    whether the team reached it."""
    rows = view.phases
    if rows.empty or not (rows["n_documents"] > 0).any():
        return Notice(say("text.team.phases_none", view.lang))
    frame = rows[["phase", "n_documents", "first_date", "last_date", "is_reached"]]
    return table(frame, view.lang, name="phases")
