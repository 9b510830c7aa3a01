"""What a study still lacks for a full report (``python -m botu status``), in plain words.

A study in progress is not an error: it loads and validates, but some tables are not filled in
yet (no consensus ratings, one coder, no actors, …). :func:`study_status` loads the study and
lists each such gap with a count and where to fill it in; :meth:`StudyStatus.lines` renders it
for the terminal, in English or Dutch. Data that do not validate are an error (exit status 2)
that points at ``python -m botu validate``.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from botu import config
from botu.codebook import SCORES, UNASSIGNED, Codebook, load_codebook
from botu.dataset import Dataset, load_dataset
from botu.errors import InputError, Problem
from botu.io import CODEBOOK_NAME
from botu.schema import CONSENSUS_RATER
from botu.study import has_no_rows

LANGS = ("en", "nl")
MAX_IDS = 5  # ids named in one line; the rest are counted
MAX_LABELS = 3  # code labels named in one line
COUNTED = ("teams", "documents", "segments", "codings", "coders", "ratings")
_WORDS = {
    "en": {
        "teams": ("team", "teams"),
        "documents": ("document", "documents"),
        "segments": ("segment", "segments"),
        "codings": ("coding", "codings"),
        "coders": ("coder", "coders"),
        "ratings": ("rating", "ratings"),
    },
    "nl": {
        "teams": ("team", "teams"),
        "documents": ("document", "documenten"),
        "segments": ("segment", "segmenten"),
        "codings": ("codering", "coderingen"),
        "coders": ("codeur", "codeurs"),
        "ratings": ("score", "scores"),
    },
}


@dataclass(frozen=True)
class Gap:
    """One thing the study lacks for a full report.

    ``key`` is stable across languages (``"consensus:responsiviteit"``, ``"second_coder"``, …);
    ``count`` is how many teams, documents or codes lack it; ``message`` says it in words.
    """

    key: str
    count: int
    message: str


@dataclass
class StudyStatus:
    """What a study holds and what it still lacks."""

    root: Path
    counts: dict[str, int]  # teams, documents, segments, codings, coders, ratings
    coders: list[str]
    gaps: list[Gap] = field(default_factory=list)
    warnings: int = 0  # validation warnings (not errors)
    is_fictional: bool = False
    lang: str = "en"
    command: str = "python -m botu"  # how the hints name the study (with its --root)

    @property
    def ready(self) -> bool:
        """Nothing is missing for a full report."""
        return not self.gaps

    def gap(self, key: str) -> Gap | None:
        return next((g for g in self.gaps if g.key == key), None)

    def lines(self) -> list[str]:
        """The status as terminal lines: the study, what it holds, then what it lacks."""
        nl = self.lang == "nl"
        fictional = (" (FICTIEVE demodata)" if nl else " (FICTIONAL demo data)") * self.is_fictional
        lines = [f"{'studie' if nl else 'study'} {self.root}{fictional}", self.holdings()]
        if self.ready:
            lines.append("klaar voor een volledig rapport" if nl else "ready for a full report")
        else:
            lines.append(
                "nog nodig voor een volledig rapport:" if nl else "still missing for a full report:"
            )
            lines += [f"  - {g.message}" for g in self.gaps]
        if self.warnings:
            lines.append(
                f"{self.warnings} waarschuwing(en) bij de controle: `{self.command} validate` "
                "noemt ze"
                if nl
                else f"{self.warnings} validation warning(s): `{self.command} validate` lists them"
            )
        return lines

    def holdings(self) -> str:
        """One line: teams, documents, segments, codings, coders (by id), ratings."""
        c = self.counts
        words = _WORDS[self.lang]
        parts = [_n(c[key], *words[key]) for key in COUNTED]
        if self.coders:
            parts[4] += f" ({_listed(self.coders)})"
        return ", ".join(parts)


def _listed(items: list[str], limit: int = MAX_IDS) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f", … (+{len(items) - limit})" if len(items) > limit else "")


def _n(count: int, one: str, many: str) -> str:
    """``count`` with the singular or plural phrase: ``_n(1, "team has", "teams have")``."""
    return f"{count} {one if count == 1 else many}"


def _command(root: str | Path | None) -> str:
    """``python -m botu`` with the study as the user named it (none: the default study)."""
    return "python -m botu" + (f" --root {shlex.quote(str(root))}" if root is not None else "")


def study_status(root: str | Path | None = None, *, lang: str = "en") -> StudyStatus:
    """Load the study at ``root`` (default: ``$BOTU_ROOT`` or the repository) and list its gaps.

    A folder just made by ``init`` (nothing imported yet) is a study with nothing in it, not an
    error.

    Raises:
        InputError: one message: there is no study at ``root``, or its data do not validate
            (naming the first problem and ``python -m botu validate``, which lists them all).
    """
    if lang not in LANGS:
        raise InputError(Problem("--lang", None, None, f"'{lang}' is not one of en, nl"))
    where = config.paths(root)
    raw = where.raw
    if not raw.is_dir():
        raise InputError(
            Problem(
                str(where.root),
                None,
                None,
                f"is not a study: {raw} does not exist; create one with "
                f"`python -m botu init {shlex.quote(str(root or where.root))}`",
            )
        )
    if has_no_rows(raw):
        if (raw / CODEBOOK_NAME).exists():
            load_codebook(raw / CODEBOOK_NAME)  # a broken codebook is said, not hidden
        return _fresh(where.root, root, lang)
    try:
        data = load_dataset(raw)
    except InputError as exc:
        errors = [p for p in exc.problems if p.severity == "error"] or exc.problems
        raise InputError(
            Problem(
                str(where.root),
                None,
                None,
                f"the study's data do not validate ({_n(len(errors), 'problem', 'problems')}; "
                f"the first: {errors[0]}); `{_command(root)} validate` lists every problem",
            )
        ) from None
    status = dataset_status(data, where.root, lang=lang)
    status.command = _command(root)
    return status


def _fresh(study: Path, root: str | Path | None, lang: str) -> StudyStatus:
    raw_arg = shlex.quote(str(Path(root if root is not None else study) / "data" / "raw"))
    command = f"python -m botu import export.qdpx --into {raw_arg}"
    message = (
        f"nog niets geïmporteerd: exporteer een REFI-QDA-project (.qdpx) en importeer het "
        f"(`{command}`)"
        if lang == "nl"
        else f"nothing imported yet: export a REFI-QDA project (.qdpx) and import it (`{command}`)"
    )
    counts = dict.fromkeys(COUNTED, 0)
    return StudyStatus(study, counts, [], [Gap("nothing_imported", 0, message)], lang=lang)


def dataset_status(data: Dataset, root: Path | None = None, *, lang: str = "en") -> StudyStatus:
    """The status of an already loaded data set."""
    coders = sorted(data.codings["coder_id"].dropna().astype(str).unique())
    counts = {
        "teams": len(data.teams),
        "documents": len(data.documents),
        "segments": len(data.segments),
        "codings": len(data.codings),
        "coders": len(coders),
        "ratings": len(data.ratings),
    }
    warnings = sum(p.severity != "error" for p in data.warnings)
    return StudyStatus(
        Path(root) if root is not None else Path(data.raw_dir or ".").parent.parent,
        counts,
        coders,
        find_gaps(data, lang=lang),
        warnings,
        data.is_fictional,
        lang,
    )


# --- the gaps --------------------------------------------------------------------------------


def find_gaps(data: Dataset, *, lang: str = "en") -> list[Gap]:
    """Everything the study lacks for a full report, in the order a researcher fills it in."""
    nl = lang == "nl"
    gaps: list[Gap] = []
    gaps += _codebook_gaps(data.codebook, nl)
    gaps += _team_gaps(data, nl)
    gaps += _document_gaps(data, nl)
    gaps += _coding_gaps(data, nl)
    gaps += _actor_gaps(data, nl)
    gaps += _rating_gaps(data, lang)
    return gaps


def _ids(values: pd.Series | list) -> list[str]:
    return sorted(str(v) for v in values)


def _codebook_gaps(codebook: Codebook, nl: bool) -> list[Gap]:
    gaps = []
    unassigned = codebook.unassigned
    if unassigned:
        n = len(unassigned)
        gaps.append(
            Gap(
                "unassigned_codes",
                n,
                f"{_n(n, 'code is', 'codes zijn')} niet aan een factor toegewezen (zet ze onder "
                "een factor in codebook.yml of koppel ze met `factors:` in de importmapping)"
                if nl
                else f"{_n(n, 'code is', 'codes are')} not assigned to a factor (move them under "
                "a factor in codebook.yml or map them with `factors:` in the import mapping)",
            )
        )
    placed = [c for c in codebook.rateable if codebook.factor_of(c) != UNASSIGNED]
    no_rubric = [c for c in placed if set(codebook[c].rubric) != set(SCORES)]
    if no_rubric:
        n = len(no_rubric)
        labels = _labels(codebook, no_rubric, "nl" if nl else "en")
        gaps.append(
            Gap(
                "rubrics",
                n,
                f"{_n(n, 'gescoorde code heeft', 'gescoorde codes hebben')} geen rubriek voor "
                f"elke score 0–3 in codebook.yml ({labels})"
                if nl
                else f"{_n(n, 'rated code has', 'rated codes have')} no rubric for every score "
                f"0–3 in codebook.yml ({labels})",
            )
        )
    return gaps


def _labels(codebook: Codebook, code_ids: list[str], lang: str) -> str:
    names = [codebook.label(c, lang) for c in code_ids]
    more = len(names) - MAX_LABELS
    return ", ".join(names[:MAX_LABELS]) + (f", … (+{more})" if more > 0 else "")


def _team_gaps(data: Dataset, nl: bool) -> list[Gap]:
    teams = data.teams
    gaps = []
    no_documents = _ids(set(teams["team_id"]) - set(data.documents["team_id"].dropna()))
    if no_documents:
        n = len(no_documents)
        gaps.append(
            Gap(
                "team_documents",
                n,
                f"{_n(n, 'team heeft', 'teams hebben')} geen documenten: {_listed(no_documents)}"
                if nl
                else f"{_n(n, 'team has', 'teams have')} no documents: {_listed(no_documents)}",
            )
        )
    for column, key, en, nl_text in (
        (
            "coalition_type",
            "coalition_type",
            "no coalition type (coalition_type in teams.csv: gevestigd, nieuw or hybride)",
            "geen coalitietype (coalition_type in teams.csv: gevestigd, nieuw of hybride)",
        ),
        (
            "sibd_phase_reached",
            "sibd_phase",
            "no SiBD phase reached (sibd_phase_reached in teams.csv: 1–4)",
            "geen bereikte SiBD-fase (sibd_phase_reached in teams.csv: 1–4)",
        ),
    ):
        missing = _ids(teams.loc[teams[column].isna(), "team_id"])
        if missing:
            n = len(missing)
            gaps.append(
                Gap(
                    key,
                    n,
                    f"{_n(n, 'team heeft', 'teams hebben')} {nl_text}: {_listed(missing)}"
                    if nl
                    else f"{_n(n, 'team has', 'teams have')} {en}: {_listed(missing)}",
                )
            )
    return gaps


def _document_gaps(data: Dataset, nl: bool) -> list[Gap]:
    documents = data.documents
    gaps = []
    for column, key, en, nl_text in (
        ("phase", "document_phase", "no phase", "geen fase"),
        ("date", "document_date", "no date", "geen datum"),
    ):
        n = int(documents[column].isna().sum())
        if n:
            gaps.append(
                Gap(
                    key,
                    n,
                    f"{_n(n, 'document heeft', 'documenten hebben')} {nl_text} ({column} in "
                    "documents.csv)"
                    if nl
                    else f"{_n(n, 'document has', 'documents have')} {en} ({column} in "
                    "documents.csv)",
                )
            )
    interviews = documents[(documents["kind"] == "interview") & documents["respondent_id"].isna()]
    if len(interviews):
        n = len(interviews)
        gaps.append(
            Gap(
                "interview_respondent",
                n,
                f"{_n(n, 'interview heeft', 'interviews hebben')} geen respondent "
                "(respondent_id in documents.csv, de respondent in respondents.csv)"
                if nl
                else f"{_n(n, 'interview has', 'interviews have')} no respondent "
                "(respondent_id in documents.csv, the respondent in respondents.csv)",
            )
        )
    return gaps


def _coding_gaps(data: Dataset, nl: bool) -> list[Gap]:
    codings = data.codings
    if codings.empty:
        return [
            Gap(
                "codings",
                0,
                "nog niets gecodeerd: codings.csv is leeg (importeer een gecodeerd project)"
                if nl
                else "nothing is coded yet: codings.csv has no rows (import a coded project)",
            )
        ]
    gaps = []
    in_documents = codings.merge(
        data.segments[["segment_id", "document_id"]], on="segment_id", how="left"
    )
    uncoded = _ids(set(data.documents["document_id"]) - set(in_documents["document_id"].dropna()))
    if uncoded:
        n = len(uncoded)
        gaps.append(
            Gap(
                "uncoded_documents",
                n,
                f"{_n(n, 'document heeft', 'documenten hebben')} geen gecodeerd segment: "
                f"{_listed(uncoded)}"
                if nl
                else f"{_n(n, 'document has', 'documents have')} no coded segment: "
                f"{_listed(uncoded)}",
            )
        )
    documents_coders = in_documents.groupby("document_id")["coder_id"].nunique()
    double_documents = int((documents_coders >= 2).sum())
    double_segments = int((codings.groupby("segment_id")["coder_id"].nunique() >= 2).sum())
    n_documents = len(data.documents)
    if not double_documents:
        gaps.append(
            Gap(
                "second_coder",
                n_documents,
                "geen document is door een tweede codeur gecodeerd: de intercodeursbetrouw"
                "baarheid is niet te berekenen"
                if nl
                else "no document is coded by a second coder: intercoder reliability cannot be "
                "computed",
            )
        )
    elif not double_segments:
        gaps.append(
            Gap(
                "second_coder_segments",
                double_documents,
                f"{_n(double_documents, 'document is', 'documenten zijn')} door twee codeurs "
                "gecodeerd, maar geen enkel segment: zij kozen andere passages, dus de "
                "overeenstemming per segment is niet te berekenen"
                if nl
                else f"{_n(double_documents, 'document is', 'documents are')} coded by two "
                "coders, but no segment is: they selected different passages, so agreement per "
                "segment cannot be computed",
            )
        )
    return gaps


def _actor_gaps(data: Dataset, nl: bool) -> list[Gap]:
    actors, memberships = data.actors, data.memberships
    if actors.empty and memberships.empty:
        return [
            Gap(
                "actors",
                len(data.teams),
                "geen actoren of lidmaatschappen vastgelegd (actors.csv, memberships.csv): de "
                "samenstelling van de teams en het netwerk zijn niet te tonen"
                if nl
                else "no actors or memberships recorded (actors.csv, memberships.csv): "
                "composition and the network cannot be shown",
            )
        ]
    if memberships.empty:
        return [
            Gap(
                "memberships",
                len(data.teams),
                "geen lidmaatschappen vastgelegd (memberships.csv: welke actor in welk team, met "
                "welke rol): de samenstelling en het netwerk zijn niet te tonen"
                if nl
                else "no memberships recorded (memberships.csv: which actor is in which team, in "
                "which role): composition and the network cannot be shown",
            )
        ]
    no_members = _ids(set(data.teams["team_id"]) - set(memberships["team_id"].dropna()))
    if not no_members:
        return []
    n = len(no_members)
    return [
        Gap(
            "team_members",
            n,
            f"{_n(n, 'team heeft', 'teams hebben')} geen leden in memberships.csv: "
            f"{_listed(no_members)}"
            if nl
            else f"{_n(n, 'team has', 'teams have')} no members in memberships.csv: "
            f"{_listed(no_members)}",
        )
    ]


def _rating_gaps(data: Dataset, lang: str) -> list[Gap]:
    nl = lang == "nl"
    codebook = data.codebook
    teams = _ids(data.teams["team_id"])
    rateable = [c for c in codebook.rateable if codebook.factor_of(c) != UNASSIGNED]
    ratings = data.ratings
    consensus = ratings[ratings["rater_id"] == CONSENSUS_RATER]
    gaps: list[Gap] = []
    if rateable and consensus.empty:
        n = len(teams)
        gaps.append(
            Gap(
                "consensus",
                n,
                f"nog geen consensusscores (rater {CONSENSUS_RATER} in ratings.csv): geen "
                f"factor is gescoord voor {_n(n, 'team', 'teams')}"
                if nl
                else f"no consensus ratings yet (rater {CONSENSUS_RATER} in ratings.csv): no "
                f"factor is scored for {_n(n, 'team', 'teams')}",
            )
        )
    elif rateable:
        rated = set(zip(consensus["team_id"], consensus["factor_id"], strict=True))
        roots = list(dict.fromkeys(codebook.factor_of(c) for c in rateable))
        for root in roots:
            codes = [c for c in rateable if codebook.factor_of(c) == root]
            label = codebook.label(root, lang)
            if root in codes:
                missing = [t for t in teams if (t, root) not in rated]
                if missing:
                    n = len(missing)
                    gaps.append(
                        Gap(
                            f"consensus:{root}",
                            n,
                            f"{_n(n, 'team heeft', 'teams hebben')} geen consensusscore voor "
                            f"{label}: {_listed(missing)}"
                            if nl
                            else f"{_n(n, 'team has', 'teams have')} no consensus rating for "
                            f"{label}: {_listed(missing)}",
                        )
                    )
            subs = [c for c in codes if c != root]
            lacking = [c for c in subs if any((t, c) not in rated for t in teams)]
            if not lacking:
                continue
            missing = [t for t in teams if any((t, c) not in rated for c in lacking)]
            n, k = len(missing), len(lacking)
            names = _labels(codebook, lacking, lang)
            gaps.append(
                Gap(
                    f"consensus_sub:{root}",
                    n,
                    f"{_n(n, 'team mist', 'teams missen')} consensusscores voor "
                    f"{_n(k, 'deelscore', 'deelscores')} van {label} ({names}): {_listed(missing)}"
                    if nl
                    else f"{_n(n, 'team lacks', 'teams lack')} consensus ratings for "
                    f"{_n(k, 'sub-score', 'sub-scores')} of {label} ({names}): {_listed(missing)}",
                )
            )
    own = ratings[ratings["rater_id"] != CONSENSUS_RATER]
    double = own.groupby(["team_id", "factor_id"])["rater_id"].nunique()
    if rateable and not (double >= 2).any():
        gaps.append(
            Gap(
                "second_rater",
                len(teams),
                "geen team is door twee beoordelaars gescoord (elk met een eigen rater_id in "
                "ratings.csv, naast CONS): de interbeoordelaarsbetrouwbaarheid is niet te "
                "berekenen"
                if nl
                else "no team is rated by two raters (each with their own rater_id in "
                "ratings.csv, besides CONS): inter-rater reliability cannot be computed",
            )
        )
    return gaps
