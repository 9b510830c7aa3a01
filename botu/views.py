"""What the notebooks show, read from the processed tables only.

Each function returns a DataFrame or Markdown text ready to display; the notebooks call
these and add nothing but prose and figures. Numbers in prose come from ``summary.json``.

A reader meets words, not ids: codes show their codebook label, cell values (themes, actor
types, roles, …) and column headers their word from :mod:`botu.labels`, numbers the
decimal comma on a Dutch page (:func:`number`).

A study in progress (no ratings yet, one coder, no memberships recorded) still renders: where
the data cannot give a table, the function returns a :class:`Notice` saying so in the
reader's language instead of an empty or NaN-filled table.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from botu import labels as catalogue
from botu.codebook import FACTORS
from botu.pipeline import load_table
from botu.profiles import (
    BARRIERS,
    INITIATIVE,
    INVOLVEMENT,
    ORIGIN,
    RESOURCES,
    RESPONSIVE_ACTORS,
    TIES,
)
from botu.schema import CONSENSUS_RATER

PROFILE_ROWS = (*FACTORS, ORIGIN, INVOLVEMENT, *RESOURCES, *TIES, "rs_gemeente", "rs_corporatie")
QUOTES_PER_CODE = 2  # example quotes per code on a team page that has no ratings yet
_MARKDOWN_ACTIVE = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")  # < > & become entities


def md(value: object) -> str:
    """A string from the data, made inert for Markdown and HTML: Markdown's punctuation
    backslash-escaped, then ``<``, ``>``, ``&`` and quotes as HTML entities; line breaks as
    spaces. Every team, actor or code name and every quote goes through this (or
    :func:`md_quote`) before it enters a page."""
    text = re.sub(r"\s*[\r\n]+\s*", " ", str(value))
    return html.escape(_MARKDOWN_ACTIVE.sub(r"\\\1", text), quote=True)


def md_quote(value: object) -> str:
    """A quote as the body of a Markdown block quote: inert, its line breaks kept."""
    lines = [md(line) for line in str(value).splitlines() or [""]]
    return "\n> ".join(lines)


class Notice(str):
    """Markdown shown where the data cannot give a table or figure yet (``""``: nothing)."""

    def _repr_markdown_(self) -> str:
        return str(self)


def _say(lang: str, nl: str, en: str) -> str:
    return en if lang == "en" else nl


def _segments(n: int, lang: str = "nl") -> str:
    if lang == "en":
        return f"{n} segment" + ("" if n == 1 else "s")
    return f"{n} segment" + ("" if n == 1 else "en")


def _documents(n: int, lang: str = "nl") -> str:
    if lang == "en":
        return f"{n} document" + ("" if n == 1 else "s")
    return f"{n} document" + ("" if n == 1 else "en")


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


NBSP = "\u00a0"  # keeps an interval or a number with its unit on one line
# columns whose cells are values with a word in the catalogue (lists: comma-separated)
VALUE_COLUMNS = frozenset(
    {
        "actor_type",
        "actor_types",
        "coalition_type",
        "disagreement",
        "kind",
        "level",
        "municipality_roles_coded",
        "role",
        "scope",
        "sibd_status",
        "theme",
        "values",
    }
)


# columns that keep their decimals even when every value is whole (one style per column)
_COEFFICIENTS = frozenset({"consistency", "coverage", *catalogue.FORMATS})


def number(value: object, digits: int = 1, lang: str = "nl") -> str:
    """A number as a reader of ``lang`` writes it: ``0,806`` on a Dutch page, ``–`` if missing."""
    if value is None or pd.isna(value):
        return "–"
    text = f"{float(value):.{digits}f}"
    return text.replace(".", ",") if lang == "nl" else text


def percent(value: object, digits: int = 1, lang: str = "nl") -> str:
    """A share as a percentage: ``98,4%`` (nl), ``98.4%`` (en)."""
    if value is None or pd.isna(value):
        return "–"
    return f"{number(100 * float(value), digits, lang)}%"


def interval(low: object, high: object, digits: int = 2, lang: str = "nl") -> str:
    """``[0,71; 0,89]`` (nl) or ``[0.71, 0.89]`` (en), kept on one line."""
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return "–"
    sep = ";" if lang == "nl" else ","
    return f"[{number(low, digits, lang)}{sep}{NBSP}{number(high, digits, lang)}]"


def word(value: object, lang: str = "nl", names: dict[str, str] | None = None) -> str:
    """What a reader sees for an id: the code's label, else the value's or column's word."""
    text = "" if value is None else str(value)
    if names and text in names:
        return names[text]
    if text in catalogue.VALUES[lang]:
        return catalogue.value(text, lang)
    header = catalogue.column("", text, lang)[0]
    return header if header != text or "_" not in text else text.replace("_", " ")


def table(
    frame: pd.DataFrame,
    lang: str = "nl",
    labels_for: dict[str, str] | None = None,
    precision: int = 1,
    name: str = "",
    numbers: tuple[str, ...] = (),
):
    """A table for display: no index, readable headers, whole numbers as such, NA as '–'.

    Columns named after codebook ids get the code's label (``labels_for``); other columns
    their header in ``lang`` from :data:`botu.labels.COLUMNS` (``name``: the table, for
    headers said for one table only). Cells of :data:`VALUE_COLUMNS` show their word;
    numbers use the decimal comma on a Dutch page. Cells are classed ``botu-num`` (numbers,
    and the columns named in ``numbers``: preformatted numbers) or ``botu-text``, so the
    stylesheet aligns them.
    """
    out = frame.copy()
    yes, no = catalogue.text("yes", lang), catalogue.text("no", lang)
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_bool_dtype(values):
            out[column] = values.map({True: yes, False: no})
        elif (
            pd.api.types.is_float_dtype(values)
            and column not in _COEFFICIENTS
            and values.dropna().mod(1).eq(0).all()
        ):
            out[column] = values.astype("Int64")
        elif column in VALUE_COLUMNS and not pd.api.types.is_numeric_dtype(values):
            out[column] = values.map(lambda v: v if pd.isna(v) else catalogue.values(v, lang))
    is_number = [
        (pd.api.types.is_numeric_dtype(out[c]) and not pd.api.types.is_bool_dtype(out[c]))
        or c in numbers
        for c in out.columns
    ]
    codes = labels_for or {}
    heads = [
        codes[c] if c in codes else catalogue.column(name, str(c), lang)[0] for c in out.columns
    ]
    seen: dict[str, int] = {}
    unique = []
    for head in heads:
        seen[head] = seen.get(head, 0) + 1
        unique.append(head if seen[head] == 1 else f"{head} ({seen[head]})")
    out.columns = unique
    classes = pd.DataFrame(
        [["botu-num" if n else "botu-text" for n in is_number]] * len(out),
        index=out.index,
        columns=out.columns,
    )
    styler = out.style.hide(axis="index").set_td_classes(classes)
    styler = styler.set_table_attributes('class="botu-table"')
    return _inert(styler, precision, lang)


def _inert(styler, precision: int, lang: str = "nl"):
    """A styled table whose cells and headers from the data are HTML-escaped (a Styler, unlike
    a plain DataFrame, writes them as they are); missing values as '–', the decimal comma on
    a Dutch page."""
    return styler.format(
        na_rep="–", precision=precision, escape="html", decimal="," if lang == "nl" else "."
    ).format_index(escape="html", axis=1)


def evidence_text(summary: dict[str, Any], lang: str = "nl") -> str:
    """One sentence on the evidence check, from ``summary.json``."""
    ev = summary["evidence"]
    n, bad = ev["n_ratings_2plus"], ev["n_ratings_2plus_insufficient"]
    if n == 0:
        if summary["data"].get("n_ratings", 1) == 0:
            return _say(
                lang,
                "Nog geen scores (`ratings` is leeg), dus nog niets om te onderbouwen.",
                "No scores yet (`ratings` is empty), so nothing to back up yet.",
            )
        return _say(
            lang,
            "Geen enkele score is 2 of hoger, dus geen score die onderbouwing nodig heeft.",
            "No score is 2 or more, so no score needs backing up.",
        )
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


# --- the overview ------------------------------------------------------------------------

_CODE_ID = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
_CODE_FAMILY = re.compile(r"\b([a-z][a-z0-9]*(?:_[a-z0-9]+)*)_\*")


def _ids_to_words(
    text: object, names: dict[str, str], lang: str, parents: dict[str, str] | None = None
) -> str:
    """Codebook prose with each code id it names (``bar_tijd``; ``na_*``: the codes under a
    factor) as its label."""
    parents = parents or {}

    def family(found: re.Match) -> str:
        under = {parents.get(c) for c in names if c.startswith(found.group(1) + "_")}
        under.discard(None)
        under.discard("")
        if len(under) != 1:
            return found.group(0)
        return _say(lang, "codes onder ", "codes under ") + f"‘{names.get(under.pop(), '')}’"

    def one(found: re.Match) -> str:
        ident = found.group(0)
        if ident in names:
            return f"‘{names[ident]}’"
        return catalogue.value(ident, lang)

    text = "" if text is None or pd.isna(text) else str(text)
    return _CODE_ID.sub(one, _CODE_FAMILY.sub(family, text))


def codebook_table(codebook, lang: str = "nl"):
    """The codebook for readers: names, not ids; only the page's language."""
    frame = codebook.to_frame(lang)
    names = dict(zip(frame["code_id"], frame["label"], strict=True))
    parents = dict(zip(frame["code_id"], frame["parent"], strict=True))
    out = pd.DataFrame(
        {
            "label": frame["label"],
            "parent": frame["parent"].map(lambda c: names.get(c, c)),
            "level": frame["level"],
            "definition": frame["definition"].map(lambda t: _ids_to_words(t, names, lang, parents)),
            "include": frame["include"].map(lambda t: _ids_to_words(t, names, lang, parents)),
            "exclude": frame["exclude"].map(lambda t: _ids_to_words(t, names, lang, parents)),
            "codebook.values": frame["values"],
        }
    )
    out = out.rename(columns={"codebook.values": "values"})
    return table(out, lang, name="codebook")


def counts_table(counts: pd.DataFrame, lang: str = "nl"):
    """Rows per table of the raw data (``dataset.table_counts``), the tables by name."""
    words = catalogue.RAW_TABLES[lang]
    out = counts.copy()
    out["table"] = out["table"].map(
        lambda t: words.get(t.split(" ")[0], t) if isinstance(t, str) else t
    )
    return table(out, lang)


def sources_table(crosstab: pd.DataFrame, lang: str = "nl"):
    """Segments per team and kind of source (``dataset.segments_by_team``)."""
    out = crosstab.rename(columns=lambda c: catalogue.value(c, lang)).reset_index()
    out.columns.name = None
    return table(out, lang)


def problems(frame: pd.DataFrame, lang: str = "nl"):
    """The validation problems (``dataset.problems_table``): file, row, column, what."""
    out = frame.copy()
    if "severity" in out:
        out["severity"] = out["severity"].map(lambda v: catalogue.value(v, lang))
    return table(out, lang, name="validation")


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


def _attribute(value: object, lang: str = "nl") -> str:
    """A team attribute for prose: 'onbekend' / 'unknown' when missing, 4 not 4.0."""
    if value is None or pd.isna(value) or str(value).strip() == "":
        return _say(lang, "onbekend", "unknown")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def team_header(view: TeamView, lang: str = "nl") -> str:
    """Markdown title block of a team page."""
    t, c = view.team, view.composition
    theme, coalition, phase = (
        catalogue.value(_attribute(t[k], lang), lang)
        for k in ("theme", "coalition_type", "sibd_phase_reached")
    )
    if view.members.empty:
        members = _say(lang, "samenstelling niet vastgelegd", "composition not recorded")
    else:
        members = _say(
            lang,
            f"{c['n_members']} leden van {c['n_actor_types']} typen actoren",
            f"{c['n_members']} members of {c['n_actor_types']} actor types",
        )
    name, team_id = md(t["name"]), md(view.team_id)
    theme, coalition, phase = md(theme), md(coalition), md(phase)
    if lang == "en":
        return (
            f"# {name} ({team_id})\n\nTheme **{theme}** · coalition "
            f"**{coalition}** · SiBD phase reached **{phase}** · {members}"
        )
    return (
        f"# {name} ({team_id})\n\nThema **{theme}** · coalitie "
        f"**{coalition}** · SiBD-fase bereikt **{phase}** · {members}"
    )


def is_rated(view: TeamView) -> bool:
    """The team has at least one consensus rating (a score or NA) in ``ratings``."""
    return not view.profile.empty


def _coded_by_family(view: TeamView, lang: str, root: Path | None) -> str:
    """'Hulpbronnen 12 segmenten, Niet toegewezen 80 segmenten' for the team's codings."""
    names = labels(lang, root)
    per_family = view.coded.groupby("factor_id", sort=False)["segment_id"].nunique()
    book = list(load_table("codebook", root)["code_id"])
    order = sorted(per_family.index, key=lambda f: book.index(f) if f in book else len(book))
    return ", ".join(f"{md(names.get(f, f))} {_segments(int(per_family[f]), lang)}" for f in order)


def not_rated_notice(view: TeamView, lang: str = "nl", root: Path | None = None) -> Notice:
    """Says that the team's factor scores are not rated yet, and what was coded instead."""
    n_segments = view.coded["segment_id"].nunique()
    n_documents = view.coded["document_id"].nunique()
    n_codes = view.coded["code_id"].nunique()
    if lang == "en":
        head = (
            "**Not rated yet.** The factor scores of this team have not been rated: "
            f"`ratings` holds no consensus score ({CONSENSUS_RATER}) for it, so there is no "
            "profile to draw."
        )
        if not n_segments:
            return Notice(head + " Nothing has been coded for this team yet either.")
        return Notice(
            f"{head} What there is, is the coded material: {_segments(n_segments, 'en')} from "
            f"{_documents(n_documents, 'en')}, coded with {n_codes} code(s) — by factor: "
            f"{_coded_by_family(view, 'en', root)}. The evidence matrix and the quotes below "
            "show which codes."
        )
    head = (
        "**Nog niet beoordeeld.** De factorscores van dit team zijn nog niet beoordeeld: "
        f"`ratings` heeft nog geen consensusscore ({CONSENSUS_RATER}) voor dit team, dus er is "
        "nog geen profiel te tekenen."
    )
    if not n_segments:
        return Notice(head + " Er is voor dit team ook nog niets gecodeerd.")
    return Notice(
        f"{head} Wel is er gecodeerd materiaal: {_segments(n_segments)} uit "
        f"{_documents(n_documents)}, gecodeerd met {n_codes} code(s) — per factor: "
        f"{_coded_by_family(view, 'nl', root)}. De bewijsmatrix en de citaten hieronder laten "
        "zien welke codes."
    )


def profile_table(view: TeamView, lang: str = "nl", root: Path | None = None):
    """The team's factor profile: consensus, each rater, and the evidence behind it.

    A team without any consensus rating gets :func:`not_rated_notice` instead.
    """
    if not is_rated(view):
        return not_rated_notice(view, lang, root)
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
            "n_coded_segments": frame["n_coded_segments"],
            "n_cited": frame["n_cited"],
            "n_cited_documents": frame["n_cited_documents"],
            "is_evidence_ok": frame["is_evidence_ok"],
        }
    )
    return table(out, lang, name="factor_profiles")


def profile_for_plot(view: TeamView) -> pd.DataFrame:
    """Rows factor_id, score of the four factors and the two resident-initiative dimensions."""
    wanted = [*FACTORS[:1], INITIATIVE, ORIGIN, INVOLVEMENT, *FACTORS[2:]]
    frame = view.profile.set_index("factor_id").reindex(wanted)
    return frame.reset_index()[["factor_id", "score"]]


def members_table(view: TeamView, lang: str = "nl"):
    """Team members under their pseudonyms, with role and prior collaboration."""
    if view.members.empty:
        return Notice(
            _say(
                lang,
                "**Samenstelling niet vastgelegd.** Voor dit team staan nog geen leden in "
                "`memberships` (en `actors`): wie er in het team zit, is nog niet vastgelegd.",
                "**Composition not recorded.** No members of this team are in `memberships` "
                "(and `actors`) yet: who is in the team has not been recorded.",
            )
        )
    columns = [
        "pseudonym",
        "actor_type",
        "role",
        "prior_collaboration_years",
        "is_capital_rich",
        "is_local",
    ]
    return table(view.members[columns], lang, name="team_members")


def barrier_rows(view: TeamView, lang: str = "nl", root: Path | None = None):
    """The team's barriers: label, severity and the segments naming each.

    When no barrier has a consensus severity yet, a sentence instead, naming the barriers
    that are coded.
    """
    names = labels(lang, root)
    if not set(view.profile["factor_id"]) & set(BARRIERS):
        coded = view.barriers[view.barriers["n_segments"] > 0]
        named = ", ".join(
            f"{md(names.get(r.barrier_id, r.barrier_id))} ({_segments(int(r.n_segments), lang)})"
            for r in coded.itertuples()
        )
        if lang == "en":
            rest = f"Coded so far: {named}." if named else "No barrier has been coded yet either."
            return Notice(f"**Not rated yet.** No barrier severity has been rated. {rest}")
        rest = f"Wel gecodeerd: {named}." if named else "Er is ook nog geen barrière gecodeerd."
        return Notice(
            f"**Nog niet beoordeeld.** De ernst van de barrières is nog niet beoordeeld. {rest}"
        )
    frame = view.barriers.assign(barrier=view.barriers["barrier_id"].map(names))
    return table(frame[["barrier", "severity", "n_segments"]], lang, name="barriers")


def _score(value: object) -> str:
    return "NA" if value is None or pd.isna(value) else str(int(value))


def origin_text(view: TeamView, lang: str = "nl", root: Path | None = None) -> str:
    """One paragraph on plan origin vs resident involvement, numbers from the team's row."""
    o = view.origin
    step = o.get("highest_involvement_coded")
    step = md(labels(lang, root).get(step, step)) if isinstance(step, str) and step else "—"
    if not set(view.profile["factor_id"]) & {ORIGIN, INVOLVEMENT, INITIATIVE}:
        coded = step != "—"
        if lang == "en":
            return (
                "**Not rated yet.** Plan origin (*uit de wijk*) and resident involvement "
                "(*door de wijk*) have no consensus score yet. "
                + (
                    f"Highest involvement step coded: *{step}*."
                    if coded
                    else "No involvement step has been coded yet either."
                )
            )
        return (
            "**Nog niet beoordeeld.** Herkomst van het plan (*uit de wijk*) en betrokkenheid van "
            "bewoners (*door de wijk*) hebben nog geen consensusscore. "
            + (
                f"Hoogste gecodeerde trede van betrokkenheid: *{step}*."
                if coded
                else "Er is ook nog geen trede van betrokkenheid gecodeerd."
            )
        )
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
    """The quotes behind each consensus factor score, speakers under pseudonyms.

    A team without ratings gets :func:`coded_quotes_markdown`: example quotes per code used.
    """
    from botu.coding import quotes

    if not is_rated(view):
        return coded_quotes_markdown(view, lang, root)
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
        parts.append(f"#### {md(names.get(factor, factor))} — score {score}\n")
        found = quotes(view.coded, segment_ids=cited)
        if found.empty:
            parts.append("_Geen citaten aangehaald._\n" if lang == "nl" else "_No quotes cited._\n")
        for q in found.itertuples():
            parts.append(
                f"> {md_quote(q.text)}\n>\n> — {md(q.source)}, {md(q.segment_id)} "
                f"({'; '.join(md(names.get(c, c)) for c in q.codes.split(', '))})\n"
            )
    return "\n".join(parts)


def coded_quotes_markdown(
    view: TeamView, lang: str = "nl", root: Path | None = None, per_code: int = QUOTES_PER_CODE
) -> str:
    """Example quotes for every code used in the team, in codebook order (no ratings needed)."""
    from botu.coding import quotes

    names = labels(lang, root)
    used = view.evidence[view.evidence["n_segments"] > 0]
    if used.empty:
        return _say(
            lang, "_Nog niets gecodeerd, dus geen citaten._", "_Nothing coded yet, so no quotes._"
        )
    parts = [
        _say(
            lang,
            f"Nog geen factorscores, dus nog geen citaten als onderbouwing; hieronder per "
            f"gebruikte code tot {per_code} voorbeeldcitaten.\n",
            f"No factor scores yet, so no quotes cited as evidence; below, up to {per_code} "
            "example quotes per code used.\n",
        )
    ]
    for row in used.itertuples():
        found = quotes(view.coded, code_ids=[row.code_id])
        parts.append(
            f"#### {md(names.get(row.code_id, row.code_id))} — {_segments(row.n_segments, lang)}\n"
        )
        for q in found.head(per_code).itertuples():
            codes = "; ".join(md(names.get(c, c)) for c in q.codes.split(", "))
            parts.append(
                f"> {md_quote(q.text)}\n>\n> — {md(q.source)}, {md(q.segment_id)} ({codes})\n"
            )
        if len(found) > per_code:
            more = len(found) - per_code
            parts.append(_say(lang, f"_… en nog {more}._\n", f"_… and {more} more._\n"))
    return "\n".join(parts)


def team_evidence_table(view: TeamView, lang: str = "nl", root: Path | None = None):
    """The team's row of the evidence matrix, codes that occur only."""
    names = labels(lang, root)
    rows = view.evidence[view.evidence["n_segments"] > 0].copy()
    if rows.empty:
        return Notice(
            _say(
                lang,
                "_Voor dit team is nog niets gecodeerd._",
                "_Nothing coded for this team yet._",
            )
        )
    rows.insert(1, "label", rows["code_id"].map(names).fillna(rows["code_id"]))
    if not rows["n_respondents"].any():  # no interviews (or no respondents recorded) yet
        rows = rows.drop(columns="n_respondents")
    return table(rows.drop(columns=["team_id", "code_id"]), lang, name="evidence_matrix")


# --- all teams -------------------------------------------------------------------------


def factor_matrix(
    lang: str = "nl",
    root: Path | None = None,
    factors: tuple[str, ...] = (*FACTORS, ORIGIN, INVOLVEMENT, *TIES),
) -> pd.DataFrame:
    """Team × factor consensus scores (columns: factor ids, in the order given).

    Every team is a row, also one nobody rated yet (all NA), so no team drops out of sight.
    """
    profiles = load_table("factor_profiles", root)
    teams = sorted(load_table("teams", root)["team_id"])
    wide = profiles.pivot(index="team_id", columns="factor_id", values="score")
    wide = wide.reindex(index=pd.Index(teams, name="team_id"), columns=list(factors))
    return wide.astype("Float64").astype("Int64")


def barrier_table(root: Path | None = None) -> pd.DataFrame:
    """Long table of barrier severity per team, in codebook order."""
    frame = load_table("barriers", root)
    order = {b: i for i, b in enumerate(BARRIERS)}
    return frame.sort_values(["team_id"], kind="stable").sort_values(
        "barrier_id", key=lambda s: s.map(order), kind="stable"
    )


def _members_recorded(root: Path | None = None) -> bool:
    return not load_table("team_members", root).empty


def _composition_notice(lang: str) -> Notice:
    return Notice(
        _say(
            lang,
            "**Samenstelling niet vastgelegd.** `memberships` en `actors` hebben nog geen rijen: "
            "welke organisaties en bewonersgroepen in de teams zitten, is nog niet vastgelegd.",
            "**Composition not recorded.** `memberships` and `actors` have no rows yet: which "
            "organisations and resident groups are in the teams has not been recorded.",
        )
    )


def composition_table(lang: str = "nl", root: Path | None = None):
    """Composition per team: coalition, members, types, collaboration, capital-rich parties."""
    if not _members_recorded(root):
        return _composition_notice(lang)
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
    return table(frame[columns], lang, name="composition")


def responsiveness_table(lang: str = "nl", root: Path | None = None):
    """Per-actor responsiveness, the consensus team score and the codebook rule's score."""
    frame = load_table("responsiveness", root)
    scored = [c for c in (*RESPONSIVE_ACTORS, "responsiviteit") if c in frame]
    if frame[scored].isna().all().all():
        return missing_notice("responsiveness", lang, root)
    return table(frame, lang, labels_for=labels(lang, root), name="responsiveness")


def shared_actors_table(lang: str = "nl", root: Path | None = None):
    """Actors in more than one team, with the teams they link."""
    if not _members_recorded(root):
        return _composition_notice(lang)
    frame = load_table("shared_actors", root)
    if frame.empty:
        return Notice(
            _say(
                lang,
                "Geen actor zit in meer dan één team.",
                "No actor is in more than one team.",
            )
        )
    return table(frame[["pseudonym", "actor_type", "teams", "n_teams"]], lang, name="shared_actors")


def missing_notice(topic: str, lang: str = "nl", root: Path | None = None) -> Notice:
    """What a section over all teams cannot show yet, or ``""`` when the data are there.

    Args:
        topic: ``scores`` (factor heat map), ``uit_door`` (origin vs involvement),
            ``barriers``, ``responsiveness``, ``composition`` or ``network``.
    """
    if topic in ("composition", "network"):
        return Notice("") if _members_recorded(root) else _composition_notice(lang)
    wanted = {
        "scores": (*FACTORS, ORIGIN, INVOLVEMENT, *TIES),
        "uit_door": (ORIGIN, INVOLVEMENT),
        "barriers": BARRIERS,
        "responsiveness": (*RESPONSIVE_ACTORS, "responsiviteit"),
    }
    if topic not in wanted:
        raise ValueError(
            f"unknown topic {topic!r}; choose from {', '.join([*wanted, 'composition', 'network'])}"
        )
    profiles = load_table("factor_profiles", root)
    rated = profiles[profiles["factor_id"].isin(wanted[topic])]["score"].notna().any()
    if rated:
        return Notice("")
    what = {
        "scores": ("de veerkrachtfactoren", "the resilience factors"),
        "uit_door": (
            "herkomst van het plan en betrokkenheid van bewoners",
            "plan origin and resident involvement",
        ),
        "barriers": ("de barrières", "the barriers"),
        "responsiveness": (
            "de responsiviteit van instituties",
            "the responsiveness of institutions",
        ),
    }[topic]
    return Notice(
        _say(
            lang,
            f"**Nog niet beoordeeld.** Voor {what[0]} heeft nog geen team een consensusscore "
            f"({CONSENSUS_RATER}) in `ratings`; dit onderdeel volgt zodra de teams beoordeeld "
            "zijn.",
            f"**Not rated yet.** No team has a consensus score ({CONSENSUS_RATER}) for "
            f"{what[1]} in `ratings` yet; this section follows once the teams are rated.",
        )
    )


def actor_type_counts(root: Path | None = None) -> pd.DataFrame:
    """Team × actor type counts of joined members."""
    return load_table("actor_types", root).set_index("team_id")


def _fmt(value: float | None, digits: int = 1, lang: str = "en") -> str:
    if value is None:
        return "—"
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "nl" else text


def _pct(value: float | None, lang: str = "en") -> str:
    return "—" if value is None else f"{round(100 * value)}%"


def _missing(summary: dict[str, Any], lang: str = "nl") -> list[str]:
    """What a study in progress has not recorded yet, each item naming its table."""
    d, co = summary["data"], summary["coalitions"]
    n = d["n_teams"]
    items = []
    unrated = n - d.get("n_teams_rated", n)
    if d.get("n_ratings_consensus", 1) == 0:
        items.append(_say(lang, "factorscores (`ratings`)", "factor scores (`ratings`)"))
    elif unrated > 0:
        items.append(
            _say(
                lang,
                f"factorscores van {unrated} van de {n} teams (`ratings`)",
                f"factor scores of {unrated} of {n} teams (`ratings`)",
            )
        )
    if d.get("n_memberships", 1) == 0:
        items.append(
            _say(
                lang,
                "samenstelling van de teams (`actors`, `memberships`)",
                "team composition (`actors`, `memberships`)",
            )
        )
    unknown = co.get("n_unknown", 0)
    if unknown:
        items.append(
            _say(lang, "coalitietype (`teams`)", "coalition type (`teams`)")
            if unknown == n
            else _say(
                lang,
                f"coalitietype van {unknown} van de {n} teams (`teams`)",
                f"coalition type of {unknown} of {n} teams (`teams`)",
            )
        )
    if d.get("n_respondents", 1) == 0:
        items.append(_say(lang, "respondenten (`respondents`)", "respondents (`respondents`)"))
    reliability = summary.get("reliability") or {}
    if reliability.get("n_segments_double_coded", 1) == 0:
        items.append(
            _say(
                lang,
                "dubbele codering (een tweede codeur op een deel van de segmenten)",
                "double coding (a second coder on part of the segments)",
            )
        )
    return items


def status_markdown(summary: dict[str, Any], lang: str = "nl") -> str:
    """One paragraph on what a study in progress lacks yet; ``""`` when nothing is missing."""
    items = _missing(summary, lang)
    unassigned = summary["data"].get("n_codes_unassigned", 0)
    if not items and not unassigned:
        return ""
    parts = []
    if items:
        parts.append(
            _say(
                lang,
                f"**Studie in uitvoering.** Nog niet vastgelegd: {'; '.join(items)}. Waar een "
                "bevinding die gegevens nodig heeft, staat dat erbij; niets wordt aangevuld of "
                "geschat.",
                f"**Study in progress.** Not recorded yet: {'; '.join(items)}. Where a finding "
                "needs these data it says so; nothing is filled in or estimated.",
            )
        )
    if unassigned:
        parts.append(
            _say(
                lang,
                f"{unassigned} code(s) staan nog niet onder een factor (groep `unassigned` in "
                "codebook.yml); ze tellen mee als bewijs, maar niet voor een factor.",
                f"{unassigned} code(s) are not placed under a factor yet (group `unassigned` in "
                "codebook.yml); they count as evidence, but not towards a factor.",
            )
        )
    return " ".join(parts)


def _all_teams(n: int, lang: str) -> str:
    if n == 1:
        return _say(lang, "het enige team", "the only team")
    return _say(lang, f"alle {n} teams", f"all {n} teams")


def _coalition_finding(summary: dict[str, Any], lang: str) -> str:
    co, n = summary["coalitions"], summary["data"]["n_teams"]
    if co["n_new"] is None:
        return _say(
            lang,
            "**Coalities.** Het coalitietype (gevestigd, nieuw, hybride) is nog niet vastgelegd "
            f"(`coalition_type` in `teams` is leeg voor {_all_teams(n, 'nl')}), dus er valt nog "
            "niets te zeggen over bestaande en nieuwe samenwerking.",
            "**Coalitions.** The coalition type (established, new, hybrid) is not recorded yet "
            f"(`coalition_type` in `teams` is empty for {_all_teams(n, 'en')}), so nothing can "
            "be said yet about established and new cooperation.",
        )
    mix = co["n_new_with_residents_municipality_and_semi_public_or_market"]
    unknown = co.get("n_unknown", 0)
    if lang == "en":
        text = (
            f"**Established cooperation dominates.** {co['n_established']} of {n} teams are "
            f"established coalitions (median prior collaboration "
            f"{_fmt(co['established_prior_collaboration_years_median'], lang=lang)} years); "
            f"{co['n_new']} are new ({', '.join(co['new_team_ids']) or '—'}), "
            + (
                f"{mix} of them joining residents, the municipality and a (semi-)public or "
                "market party."
                if mix is not None
                else "their composition not recorded yet."
            )
        )
        return text + (f" Coalition type not recorded for {unknown} team(s)." if unknown else "")
    text = (
        f"**Bestaande samenwerking dominant.** {co['n_established']} van de {n} teams zijn "
        f"gevestigde coalities (mediaan "
        f"{_fmt(co['established_prior_collaboration_years_median'], lang=lang)} jaar eerdere "
        f"samenwerking); {co['n_new']} zijn nieuw "
        f"({', '.join(co['new_team_ids']) or '—'}), "
        + (
            f"waarvan {mix} met bewoners, gemeente én een (semi)publieke of marktpartij."
            if mix is not None
            else "hun samenstelling is nog niet vastgelegd."
        )
    )
    return text + (f" Voor {unknown} team(s) is het coalitietype nog onbekend." if unknown else "")


def _initiative_finding(summary: dict[str, Any], lang: str) -> str:
    ri, n = summary["resident_initiative"], summary["data"]["n_teams"]
    if not ri["uit_de_wijk"]["n_rated"] and not ri["door_de_wijk"]["n_rated"]:
        return _say(
            lang,
            "**Uit de wijk, door de wijk.** Herkomst van het plan en betrokkenheid van bewoners "
            "zijn nog niet beoordeeld (geen consensusscores voor `uit_de_wijk` en "
            "`door_de_wijk` in `ratings`).",
            "**From and by the neighbourhood.** Plan origin and resident involvement have not "
            "been rated yet (no consensus scores for `uit_de_wijk` and `door_de_wijk` in "
            "`ratings`).",
        )
    origin_2plus = _fmt(ri["n_teams_origin_2plus"], lang=lang)
    if lang == "en":
        return (
            f"**From, but not (yet) by, the neighbourhood.** Plan origin scores at least 2 in "
            f"{origin_2plus} of {n} teams (median "
            f"{_fmt(ri['uit_de_wijk']['median'], lang=lang)}); resident involvement has median "
            f"{_fmt(ri['door_de_wijk']['median'], lang=lang)} and reaches 2 only in "
            f"{', '.join(ri['door_de_wijk_2plus_team_ids']) or 'no team'}."
        )
    return (
        f"**Wel uit de buurt, maar (nog) niet door de buurt.** De herkomst van het plan scoort "
        f"in {origin_2plus} van de {n} teams minstens 2 (mediaan "
        f"{_fmt(ri['uit_de_wijk']['median'], lang=lang)}); de betrokkenheid van bewoners heeft "
        f"mediaan "
        f"{_fmt(ri['door_de_wijk']['median'], lang=lang)} en haalt alleen in "
        f"{', '.join(ri['door_de_wijk_2plus_team_ids']) or 'geen enkel team'} een 2."
    )


def _institutions_finding(summary: dict[str, Any], lang: str) -> str:
    nw, rs, n = summary["networks"], summary["responsiveness"], summary["data"]["n_teams"]
    co_develops = rs["n_municipality_co_develops"]
    if not nw["linking"]["n_rated"] and not nw["bonding"]["n_rated"] and co_develops is None:
        return _say(
            lang,
            "**Instituties.** Netwerkbanden (bonding, bridging, linking) en de responsiviteit "
            "van instituties zijn nog niet beoordeeld.",
            "**Institutions.** Network ties (bonding, bridging, linking) and the responsiveness "
            "of institutions have not been rated yet.",
        )
    linking, bonding = _fmt(nw["linking"]["min"], lang=lang), _fmt(nw["bonding"]["max"], lang=lang)
    if lang == "en":
        return (
            f"**Well tied to institutions.** Linking ties score at least "
            f"{linking} everywhere, bonding at most {bonding}; the "
            f"municipality co-develops in {_fmt(co_develops, lang=lang)} of {n} teams."
        )
    return (
        f"**Goed aangehaakt bij instituties.** Linking-banden scoren overal minstens "
        f"{linking}, bonding hoogstens {bonding}; de gemeente "
        f"ontwikkelt mee in {_fmt(co_develops, lang=lang)} van de {n} teams."
    )


def _hurdles_finding(summary: dict[str, Any], lang: str) -> str:
    res, pc, bar = summary["resources"], summary["private_capital"], summary["barriers"]
    if pc["n_teams_targeted"] is None:
        capital = _say(
            lang,
            "Of kapitaalkrachtige private partijen werden benaderd of aanhaakten, is nog niet "
            "vastgelegd (`memberships`).",
            "Whether capital-rich private parties were targeted or joined is not recorded yet "
            "(`memberships`).",
        )
    else:
        capital = _say(
            lang,
            f"Kapitaalkrachtige private partijen werden in {pc['n_teams_targeted']} teams "
            f"benaderd en haakten in {pc['n_teams_joined']} teams aan.",
            f"Capital-rich private parties were targeted in {pc['n_teams_targeted']} teams and "
            f"joined in {pc['n_teams_joined']}.",
        )
    resources_rated = any(res[k]["n_rated"] for k in ("kennis", "tijd", "geld"))
    n, n_rated = summary["data"]["n_teams"], bar["time"].get("n_teams_rated")
    rated_teams = "teams"  # the shares are over the teams whose barriers are rated
    if n_rated is not None and 0 < n_rated < n:
        rated_teams = _say(lang, f"{n_rated} beoordeelde teams", f"the {n_rated} rated teams")
    barriers_rated = any(b.get("n_teams_rated", 1) for b in bar.values())
    if not resources_rated and not barriers_rated:
        return _say(
            lang,
            "**Hulpbronnen en barrières.** Hulpbronnen (kennis, tijd, geld) en barrières zijn "
            f"nog niet beoordeeld. {capital}",
            "**Resources and barriers.** Resources (knowledge, time, money) and barriers have "
            f"not been rated yet. {capital}",
        )
    if lang == "en":
        return (
            f"**Same hurdles: time and money.** Knowledge has median "
            f"{_fmt(res['kennis']['median'], lang=lang)}, time "
            f"{_fmt(res['tijd']['median'], lang=lang)}, money "
            f"{_fmt(res['geld']['median'], lang=lang)}. Time is a barrier (severity ≥ 2) in "
            f"{_pct(bar['time']['share_teams_severity_2plus'], lang=lang)} of {rated_teams}, money "
            f"in "
            f"{_pct(bar['money']['share_teams_severity_2plus'], lang=lang)}, subsidy dependency in "
            f"{_pct(bar['subsidy_dependency']['share_teams_severity_2plus'], lang=lang)}. {capital}"
        )
    return (
        f"**Zelfde hobbels: tijd en geld.** Kennis heeft mediaan "
        f"{_fmt(res['kennis']['median'], lang=lang)}, tijd "
        f"{_fmt(res['tijd']['median'], lang=lang)}, geld "
        f"{_fmt(res['geld']['median'], lang=lang)}. Tijd is een barrière (ernst ≥ 2) in "
        f"{_pct(bar['time']['share_teams_severity_2plus'], lang=lang)} van de {rated_teams}, geld "
        f"in "
        f"{_pct(bar['money']['share_teams_severity_2plus'], lang=lang)}, subsidieafhankelijkheid "
        f"in "
        f"{_pct(bar['subsidy_dependency']['share_teams_severity_2plus'], lang=lang)}. {capital}"
    )


def findings_markdown(summary: dict[str, Any], lang: str = "nl") -> str:
    """The synthesis' headlines with the numbers computed from the data (Dutch or English).

    A headline whose numbers the data cannot give yet (not rated, not recorded) is replaced
    by a sentence saying so; a study in progress gets :func:`status_markdown` first.
    """
    paragraphs = [
        status_markdown(summary, lang),
        _coalition_finding(summary, lang),
        _initiative_finding(summary, lang),
        _institutions_finding(summary, lang),
        _hurdles_finding(summary, lang),
    ]
    return "\n\n".join(p for p in paragraphs if p)


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


def _interval(low: pd.Series, high: pd.Series, lang: str = "en") -> pd.Series:
    return pd.Series(
        [interval(a, b, 2, lang) for a, b in zip(low, high, strict=True)], index=low.index
    )


def _no_overlap_notice(what: str, lang: str = "nl") -> Notice:
    """Nothing to compare: no segment two coders coded, or no team two raters scored."""
    if what == "ratings":
        return Notice(
            _say(
                lang,
                "_Geen teamscores van twee beoordelaars: geen team is door twee beoordelaars "
                "afzonderlijk gescoord, dus er is geen overeenstemming te berekenen._",
                "_No team scores by two raters: no team was scored by two raters separately, "
                "so no agreement can be computed._",
            )
        )
    return Notice(
        _say(
            lang,
            "_Niets dubbel gecodeerd: geen segment is door twee codeurs gecodeerd, dus er is "
            "geen overeenstemming te berekenen._",
            "_Nothing double-coded: no segment was coded by two coders, so no agreement can "
            "be computed._",
        )
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
    if not (frame["n_units"] > 0).any():
        return _no_overlap_notice("ratings" if name == "ratings" else "codings", lang)
    out = pd.DataFrame(index=frame.index)
    key = "team_id" if name == "teams" else "factor_id" if name == "ratings" else "code_id"
    if name == "teams":
        out["team_id"] = frame["team_id"]
    else:
        names = _names(lang, root)
        label = frame[key].map(lambda c: names.get(c) if isinstance(c, str) else None)
        label = label.fillna(frame["label"]).fillna(frame[key])
        pooled = frame["scope"].eq("pooled") & (label.isna() | label.eq(""))
        out["label"] = label.mask(pooled, catalogue.value("pooled", lang)).fillna("—")
    if scope is None and "scope" in frame:
        out["scope"] = frame["scope"]
    out["n_units"] = frame["n_units"]
    out["percent_agreement"] = frame["percent_agreement"].map(lambda v: percent(v, 1, lang))
    out["kappa"] = frame["kappa"].map(lambda v: number(v, 3, lang))
    out["kappa_ci"] = _interval(frame["kappa_ci_low"], frame["kappa_ci_high"], lang)
    out["kappa_interpretation"] = frame["kappa"].map(lambda v: interpret_kappa(v, lang))
    out["alpha"] = frame["alpha"].map(lambda v: number(v, 3, lang))
    out["alpha_ci"] = _interval(frame["alpha_ci_low"], frame["alpha_ci_high"], lang)
    out["interpretation"] = frame["alpha"].map(lambda v: interpret_alpha(v, lang))
    out["note"] = frame["note"].map(lambda v: "" if pd.isna(v) else catalogue.note(v, lang))
    numbers = ("percent_agreement", "kappa", "kappa_ci", "alpha", "alpha_ci")
    return table(out, lang, name="reliability_view", numbers=numbers)


def alpha_per_code(root: Path | None = None) -> pd.DataFrame:
    """α per segment code with its interval (rows for the forest plot)."""
    frame = load_table("reliability_segments", root)
    return frame[frame["scope"] == "code"][["code_id", "alpha", "alpha_ci_low", "alpha_ci_high"]]


def disagreement_table(lang: str = "nl", root: Path | None = None):
    """Per code, the segments where the coders differ, with the quote, for discussion."""
    frame = load_table("disagreements", root)
    if frame.empty:
        segments = load_table("reliability_segments", root)
        if not (segments["n_units"] > 0).any():
            return _no_overlap_notice("codings", lang)
        return Notice(
            _say(
                lang,
                "De codeurs verschillen op geen enkel dubbel gecodeerd segment.",
                "The coders differ on no double-coded segment.",
            )
        )
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
    frame = frame[columns].fillna("").copy()
    frame["values"] = frame["values"].map(lambda v: _coder_values(v, lang))
    return table(frame, lang, name="disagreements")


def _coder_values(text: str, lang: str) -> str:
    """'C1: fonds; C2: gemeente' with each value as its word."""

    def one(part: str) -> str:
        coder, sep, value = part.partition(":")
        return f"{coder.strip()}: {catalogue.values(value, lang)}" if sep else part.strip()

    return "; ".join(one(p) for p in str(text).split(";") if p.strip())


def _num(value: float | None, digits: int = 3, lang: str = "en") -> str:
    return number(value, digits, lang)


def _single_coder_text(summary: dict[str, Any], lang: str = "nl") -> str:
    """The reliability headline when nothing is double-coded (one coder, or coders apart)."""
    from botu.reliability import interpret_alpha

    d, r = summary["data"], summary["reliability"]
    n_coders, n_segments = d.get("n_coders", 0), d["n_segments"]
    rat = r.get("ratings_pooled")
    ratings_compared = bool(rat and rat.get("n_units"))
    if lang == "en":
        who = (
            "nothing is coded yet"
            if n_coders == 0
            else "all codings are by one coder"
            if n_coders == 1
            else f"{n_coders} coders coded different segments"
        )
        text = (
            f"**Nothing double-coded.** Of the {n_segments} segments none was coded by two "
            f"coders ({who}), so no intercoder agreement can be computed: percent agreement, "
            "κ and α are undefined. To assess reliability, "
            "have a second coder code a sample of the segments (say 20 %) independently."
        )
        if ratings_compared:
            return text + (
                f" Team ratings: ordinal α = {_num(rat['alpha'], lang=lang)} "
                f"({interpret_alpha(rat['alpha'], 'en')}), weighted κ = "
                f"{_num(rat['kappa'], lang=lang)}."
            )
        return text + " No team has been scored by two raters either."
    who = (
        "er is nog niets gecodeerd"
        if n_coders == 0
        else "alle coderingen zijn van één codeur"
        if n_coders == 1
        else f"{n_coders} codeurs codeerden verschillende segmenten"
    )
    text = (
        f"**Niets dubbel gecodeerd.** Van de {n_segments} segmenten is er geen door twee "
        f"codeurs gecodeerd ({who}), dus er is geen overeenstemming tussen codeurs te "
        "berekenen: percentage overeenstemming, κ en α zijn ongedefinieerd. Laat een "
        "tweede codeur een steekproef van de segmenten "
        "(bijvoorbeeld 20 %) onafhankelijk coderen om de betrouwbaarheid te kunnen beoordelen."
    )
    if ratings_compared:
        return text + (
            f" Teamscores: ordinale α = {_num(rat['alpha'], lang=lang)} "
            f"({interpret_alpha(rat['alpha'])}), gewogen κ = {_num(rat['kappa'], lang=lang)}."
        )
    return text + " Ook is nog geen team door twee beoordelaars gescoord."


def _names(lang: str, root: Path | None = None) -> dict[str, str]:
    """The codebook's labels, or none when the processed codebook is not there."""
    try:
        return labels(lang, root)
    except FileNotFoundError:
        return {}


def reliability_text(summary: dict[str, Any], lang: str = "nl", root: Path | None = None) -> str:
    """The reliability headline, numbers from ``summary.json``, reading beside each value.

    Undefined coefficients (one coder only, no variation) are shown as such, not as numbers.
    """
    from botu.reliability import interpret_alpha, interpret_kappa

    r = summary.get("reliability")
    if not r:
        return ""
    seg, rat = r["segments_pooled"], r["ratings_pooled"]
    if not r["n_segments_double_coded"]:
        return _single_coder_text(summary, lang)

    def ci(values: list) -> str:
        return "" if None in values else f" {interval(values[0], values[1], 2, lang)}"

    names = _names(lang, root)
    weakest = ", ".join(
        f"{md(names.get(w['code_id'], w['code_id']))} (α{NBSP}={NBSP}{_num(w['alpha'], 2, lang)})"
        for w in r["weakest_codes"]
    )
    code = r["most_disputed_code"]
    disputed = md(names.get(code, code)) if code else "—"
    bound = number(0.667, 3, lang)
    if lang == "en":
        text = (
            f"{r['n_segments_double_coded']} segments ("
            f"{_pct(r['share_segments_double_coded'], lang=lang)}) "
            f"were coded by a second coder. Pooled over all codes, α = "
            f"{_num(seg['alpha'], lang=lang)}"
            f"{ci(seg['alpha_ci'])} ({interpret_alpha(seg['alpha'], 'en')}) and κ = "
            f"{_num(seg['kappa'], lang=lang)} ({interpret_kappa(seg['kappa'], 'en')}). "
            f"{r['n_codes_alpha_below_0667']} of {r['n_codes_assessed']} codes with a defined α "
            f"stay below {bound}; the weakest: {weakest or '—'}. Most disputed: {disputed}."
        )
        if rat:
            text += (
                f" Team ratings: ordinal α = {_num(rat['alpha'], lang=lang)}{ci(rat['alpha_ci'])} "
                f"({interpret_alpha(rat['alpha'], 'en')}), weighted κ = "
                f"{_num(rat['kappa'], lang=lang)}."
            )
        return text
    text = (
        f"{r['n_segments_double_coded']} segmenten ("
        f"{_pct(r['share_segments_double_coded'], lang=lang)}) "
        f"zijn door een tweede codeur gecodeerd. Over alle codes samen is α = "
        f"{_num(seg['alpha'], lang=lang)}"
        f"{ci(seg['alpha_ci'])} ({interpret_alpha(seg['alpha'])}) en κ = "
        f"{_num(seg['kappa'], lang=lang)} "
        f"({interpret_kappa(seg['kappa'])}). {r['n_codes_alpha_below_0667']} van de "
        f"{r['n_codes_assessed']} codes met een gedefinieerde α blijven onder {bound}; de zwakste: "
        f"{weakest or '—'}. Meest besproken: {disputed}."
    )
    if rat:
        text += (
            f" Teamscores: ordinale α = {_num(rat['alpha'], lang=lang)}{ci(rat['alpha_ci'])} "
            f"({interpret_alpha(rat['alpha'])}), gewogen κ = {_num(rat['kappa'], lang=lang)}."
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
    reason: dict[str, str] = field(default_factory=dict)  # why not, by language
    rules: dict[str, Any] = field(default_factory=dict)  # the calibration, column → rule


def qca_missing(
    cases: pd.DataFrame, outcome: str, conditions: list[str], root: Path | None = None
) -> dict[str, str]:
    """Why the data cannot carry the QCA yet, in nl and en; ``{}`` when they can.

    The QCA needs at least two teams and, for the outcome and every condition, a value for
    some team: a rated factor without any consensus score, or a team attribute nobody filled
    in, leaves every case out.
    """
    book = load_table("codebook", root)
    rated = set(book.loc[book["is_rated"].astype(bool), "code_id"])
    empty = [c for c in [outcome, *conditions] if cases[c].isna().all()]
    unrated_ids = [c for c in empty if c in rated]
    unrated = ", ".join(f"`{c}`" for c in unrated_ids)
    unrecorded = ", ".join(f"`{c}`" for c in empty if c not in rated)
    many = len(unrated_ids) > 1
    nl, en = [], []
    if len(cases) < 2:
        nl.append(f"de QCA vergelijkt teams en deze studie heeft er {len(cases)}")
        en.append(f"the QCA compares teams and this study has {len(cases)}")
    if unrated:
        nl.append(
            f"de QCA heeft teamscores nodig, en {unrated} {'hebben' if many else 'heeft'} nog "
            "geen consensusscore (`ratings`)"
        )
        en.append(
            f"the QCA needs team scores, and {unrated} {'have' if many else 'has'} no consensus "
            "score yet (`ratings`)"
        )
    if unrecorded:
        nl.append(f"{unrecorded} is voor geen team vastgelegd (`teams`)")
        en.append(f"{unrecorded} is not recorded for any team (`teams`)")
    if not nl:
        return {}
    return {"nl": _sentence("; ".join(nl)), "en": _sentence("; ".join(en))}


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


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

    cases = qca_cases(root)
    missing = qca_missing(cases, outcome, conditions, root)
    if missing:
        return QCAView(None, missing["en"], missing)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dropped conditions and cases are read off the result
        try:
            result = crisp_set_qca(cases, outcome, conditions, calibration, cutoff=cutoff)
        except ValueError as exc:
            return QCAView(None, str(exc), rules=calibration)
    return QCAView(result, rules=calibration)


_OPERATORS = {">=": "≥", "<=": "≤", "!=": "≠", "==": "="}


def condition_word(
    column: str, rule: object = None, lang: str = "nl", names: dict[str, str] | None = None
) -> str:
    """A QCA condition as a reader reads it: 'Bonding ≥ 2', 'type coalitie = nieuw'."""
    name = word(column, lang, names)
    if isinstance(rule, list | tuple) and len(rule) == 2 and rule[0] in (*_OPERATORS, ">", "<"):
        op, threshold = rule
        shown = (
            number(threshold, 0, lang)
            if float(threshold).is_integer()
            else number(threshold, 1, lang)
        )
        return f"{name}{NBSP}{_OPERATORS.get(op, op)}{NBSP}{shown}"
    if isinstance(rule, set | frozenset | list | tuple) and rule:
        ored = _say(lang, " of ", " or ").join(catalogue.value(v, lang) for v in sorted(rule))
        return f"{name}{NBSP}={NBSP}{ored}"
    return name


def _literal(text: str, words: dict[str, str], lang: str) -> str:
    text = text.strip()
    if text.startswith("~"):
        return _say(lang, "niet ", "not ") + words.get(text[1:], text[1:])
    return words.get(text, text)


def _expression(expression: str, words: dict[str, str], lang: str) -> str:
    """'A*~B + C' as 'A · niet B, of C', each condition as its word."""
    if not expression:
        return "—"
    terms = [
        " · ".join(_literal(lit, words, lang) for lit in term.split("*"))
        for term in expression.split("+")
    ]
    return _say(lang, "; of ", "; or ").join(terms)


def _qca_words(view: QCAView, lang: str, root: Path | None = None) -> dict[str, str]:
    names = _names(lang, root)
    r = view.result
    columns = [r.outcome, *r.conditions, *r.dropped_conditions]
    return {c: condition_word(c, view.rules.get(c), lang, names) for c in columns}


def qca_markdown(view: QCAView, lang: str = "nl") -> str:
    """The QCA's solutions and caveats as prose, in ``lang``."""
    r = view.result
    if r is None and view.reason:
        if lang == "en":
            return f"**No QCA on these data yet.** {view.reason['en']}"
        return f"**Nog geen QCA mogelijk op deze data.** {view.reason['nl']}"
    if r is None:
        if lang == "en":
            return f"**No QCA on these data**: {view.problem}."
        return f"**Geen QCA mogelijk op deze data**: {view.problem}."
    cons, pars = r.conservative, r.parsimonious
    words = _qca_words(view, lang)
    conditions = ", ".join(md(words[c]) for c in r.conditions)
    outcome = md(words[r.outcome])
    conservative = md(_expression(cons.expression, words, lang))
    parsimonious = md(_expression(pars.expression, words, lang))
    if lang == "en":
        lines = [
            f"**Illustrative only**: {len(r.data)} cases allow no firm configurational claims. "
            f"Outcome: {outcome}; conditions: {conditions}.",
            "",
            f"- Conservative solution: {conservative} (consistency "
            f"{_fmt(cons.consistency, 2, lang=lang)}, coverage "
            f"{_fmt(cons.coverage, 2, lang=lang)})",
            f"- Parsimonious solution (remainders as don't-cares): {parsimonious} "
            f"(consistency {_fmt(pars.consistency, 2, lang=lang)}, coverage "
            f"{_fmt(pars.coverage, 2, lang=lang)})",
            f"- Contradictory rows: {len(r.contradictions)}",
        ]
        lines += [
            f"- Left out, does not vary across the cases: {md(words[c])}"
            for c in r.dropped_conditions
        ]
        if r.dropped_cases:
            lines.append(f"- Cases left out for a missing value: {', '.join(r.dropped_cases)}")
        return "\n".join(lines)
    lines = [
        f"**Alleen ter illustratie**: {len(r.data)} teams laten geen harde configurationele "
        f"conclusies toe. Uitkomst: {outcome}; condities: {conditions}.",
        "",
        f"- Conservatieve oplossing: {conservative} (consistentie "
        f"{_fmt(cons.consistency, 2, lang=lang)}, dekking {_fmt(cons.coverage, 2, lang=lang)})",
        f"- Spaarzame oplossing (configuraties zonder teams vrij meegeteld): {parsimonious} "
        f"(consistentie {_fmt(pars.consistency, 2, lang=lang)}, dekking "
        f"{_fmt(pars.coverage, 2, lang=lang)})",
        f"- Tegenstrijdige rijen: {len(r.contradictions)}",
    ]
    lines += [
        f"- Weggelaten, varieert niet tussen de teams: {md(words[c])}" for c in r.dropped_conditions
    ]
    if r.dropped_cases:
        lines.append(f"- Teams weggelaten wegens ontbrekende waarde: {', '.join(r.dropped_cases)}")
    return "\n".join(lines)


def qca_table(view: QCAView, which: str = "truth_table", lang: str = "nl"):
    """The truth table (all configurations, remainders too) or the necessity/sufficiency table."""
    if view.result is None:
        return Notice("")  # qca_markdown says why
    words = _qca_words(view, lang)
    frame = getattr(view.result, which).copy()
    if "condition" in frame:
        frame["condition"] = frame["condition"].map(lambda c: _literal(c, words, lang))
    return table(frame, lang, labels_for=words, precision=2, name="qca")
