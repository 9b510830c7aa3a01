"""Coded segments and the evidence matrix: which codes occur in which team, and where."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from botu.dataset import Dataset


def coded_segments(data: Dataset, coders: Iterable[str] | None = None) -> pd.DataFrame:
    """One row per (segment, code): the code applied by at least one coder, with context.

    The evidence counts use the union over coders (as ATLAS.ti and MAXQDA merge projects);
    pass ``coders`` to restrict to some coders. ``coders`` lists who applied the code and
    ``value`` the attribute value(s) they gave, ``|``-joined when they differ.

    Returns:
        Columns segment_id, code_id, factor_id, parent, coders, value, team_id, document_id,
        kind, phase, respondent_id, respondent_role, actor_pseudonym, text.
    """
    codings = data.codings
    if coders is not None:
        codings = codings[codings["coder_id"].isin(list(coders))]
    grouped = (
        codings.sort_values(["segment_id", "code_id", "coder_id"])
        .groupby(["segment_id", "code_id"], as_index=False, sort=True)
        .agg(
            coders=("coder_id", lambda s: ";".join(s)),
            value=("value", lambda s: "|".join(sorted({v for v in s.dropna()}))),
        )
    )
    grouped["factor_id"] = grouped["code_id"].map(data.codebook.factor_of)
    grouped["parent"] = grouped["code_id"].map(lambda c: data.codebook[c].parent or "")
    context = data.segments_with_context()
    respondents = data.respondents.merge(
        data.actors[["actor_id", "pseudonym"]], on="actor_id", how="left", validate="m:1"
    ).rename(columns={"role": "respondent_role", "pseudonym": "actor_pseudonym"})
    context = context.merge(
        respondents[["respondent_id", "respondent_role", "actor_pseudonym"]],
        on="respondent_id",
        how="left",
        validate="m:1",
    )
    out = grouped.merge(
        context[
            [
                "segment_id",
                "team_id",
                "document_id",
                "kind",
                "phase",
                "respondent_id",
                "respondent_role",
                "actor_pseudonym",
                "text",
            ]
        ],
        on="segment_id",
        how="left",
        validate="m:1",
    )
    columns = [
        "team_id",
        "segment_id",
        "code_id",
        "factor_id",
        "parent",
        "coders",
        "value",
        "document_id",
        "kind",
        "phase",
        "respondent_id",
        "respondent_role",
        "actor_pseudonym",
        "text",
    ]
    return out[columns].sort_values(["team_id", "segment_id", "code_id"]).reset_index(drop=True)


def evidence_matrix(
    coded: pd.DataFrame, teams: Iterable[str], codes: Iterable[str]
) -> pd.DataFrame:
    """Team × code counts, long form: segments, documents and respondents behind each cell.

    Every (team, code) pair appears, zero-filled, so absent evidence is visible.

    Args:
        coded: output of :func:`coded_segments`.
        teams: every team id to show.
        codes: every segment code to show, in display order.
    """
    grid = pd.MultiIndex.from_product([list(teams), list(codes)], names=["team_id", "code_id"])
    counts = coded.groupby(["team_id", "code_id"]).agg(
        n_segments=("segment_id", "nunique"),
        n_documents=("document_id", "nunique"),
        n_respondents=("respondent_id", "nunique"),
    )
    out = counts.reindex(grid, fill_value=0).reset_index()
    return out.astype({"n_segments": "int64", "n_documents": "int64", "n_respondents": "int64"})


def matrix(evidence: pd.DataFrame, count: str = "n_segments") -> pd.DataFrame:
    """The evidence matrix as a wide team × code table of one count."""
    if count not in ("n_segments", "n_documents", "n_respondents"):
        raise ValueError(f"count must be n_segments, n_documents or n_respondents, not {count!r}")
    codes = list(dict.fromkeys(evidence["code_id"]))
    wide = evidence.pivot(index="team_id", columns="code_id", values=count)
    return wide[codes]


def quotes(
    coded: pd.DataFrame,
    *,
    team_id: str | None = None,
    code_ids: Iterable[str] | None = None,
    segment_ids: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The quotes behind a cell of the evidence matrix (or behind a rating's evidence).

    Each quote lists all codes its segment carries. Speakers appear only as pseudonymous
    respondent ids with role and organisation pseudonym.
    """
    selected = coded
    if team_id is not None:
        selected = selected[selected["team_id"] == team_id]
    if code_ids is not None:
        selected = selected[selected["code_id"].isin(list(code_ids))]
    if segment_ids is not None:
        selected = selected[selected["segment_id"].isin(list(segment_ids))]
    # every code of the selected segments, not only the ones selected by
    rows = coded[coded["segment_id"].isin(set(selected["segment_id"]))].copy()
    rows["source"] = rows.apply(_source_label, axis=1)
    out = (
        rows.groupby("segment_id", sort=True)
        .agg(
            team_id=("team_id", "first"),
            document_id=("document_id", "first"),
            source=("source", "first"),
            codes=("code_id", lambda s: ", ".join(sorted(set(s)))),
            text=("text", "first"),
        )
        .reset_index()
    )
    return out[["segment_id", "team_id", "document_id", "source", "codes", "text"]]


def _source_label(row: pd.Series) -> str:
    if isinstance(row.get("respondent_id"), str) and row["respondent_id"]:
        parts = [
            p
            for p in (row.get("respondent_role"), row.get("actor_pseudonym"))
            if isinstance(p, str) and p
        ]
        return f"{row['respondent_id']} ({', '.join(parts)})" if parts else row["respondent_id"]
    return f"{row['kind']} {row['document_id']}"
