"""Coded segments and the evidence matrix: which codes occur in which team, and where.

The tables are computed over the whole codings table at once (a sort, group-wise joins and
counts, look-ups by id), so their cost grows with the codings, not with teams × codes.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
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
    codings = data.codings[["segment_id", "code_id", "coder_id", "value"]]
    if coders is not None:
        codings = codings[codings["coder_id"].isin(list(coders))]
    codings = codings.dropna(subset=["segment_id", "code_id"])  # as a group-by leaves them out
    codings = _taken(codings, sort_order(codings, ["segment_id", "code_id", "coder_id"]))
    starts = group_starts(codings, ["segment_id", "code_id"])
    group = np.cumsum(starts) - 1  # each coding's (segment, code), numbered in order
    n_groups = int(starts.sum())
    out = codings.iloc[np.flatnonzero(starts)][["segment_id", "code_id"]].reset_index(drop=True)
    code, code_ids = numbered(out["code_id"])
    book = data.codebook
    factors = np.array([book.factor_of(c) for c in code_ids], dtype=object)
    parents = np.array([book[c].parent or "" for c in code_ids], dtype=object)
    out["factor_id"] = pd.array(factors[code], dtype="string")
    out["parent"] = pd.array(parents[code], dtype="string")
    coder_ids = np.asarray(codings["coder_id"], dtype=object)
    out["coders"] = pd.array(join_groups(coder_ids, group, n_groups, ";"), dtype="string")
    # the distinct values each (segment, code) was given, sorted
    has_value = codings["value"].notna().to_numpy()
    value_rank, value_ids = pd.factorize(
        np.asarray(codings["value"], dtype=object)[has_value], sort=True
    )
    given = np.lexsort((value_rank, group[has_value]))
    value_rank, value_group = value_rank[given], group[has_value][given]
    first = _changes(value_group) | _changes(value_rank)
    values = join_groups(value_ids[value_rank[first]], value_group[first], n_groups, "|")
    out["value"] = pd.array(values, dtype="string")
    out = pd.concat([out, _segment_context(data, out["segment_id"])], axis=1)
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
    # in segment and code order already: a stable sort by team keeps that order within a team
    return _taken(out[columns], sort_order(out, ["team_id"])).reset_index(drop=True)


def _segment_context(data: Dataset, segment_ids: pd.Series) -> pd.DataFrame:
    """Each segment's team, document, kind, phase, respondent (with role and organisation
    pseudonym) and text, row for row with ``segment_ids``."""
    respondents = data.respondents.merge(
        data.actors[["actor_id", "pseudonym"]], on="actor_id", how="left", validate="m:1"
    ).rename(columns={"role": "respondent_role", "pseudonym": "actor_pseudonym"})
    documents = data.documents[["document_id", "team_id", "kind", "phase", "respondent_id"]].merge(
        respondents[["respondent_id", "respondent_role", "actor_pseudonym"]],
        on="respondent_id",
        how="left",
        validate="m:1",
    )
    # ids are unique per table (the data contract's keys): a plain left merge keeps the rows
    segments = data.segments[["segment_id", "document_id", "text"]]
    out = (
        segment_ids.to_frame("segment_id")
        .merge(segments, on="segment_id", how="left")
        .merge(documents, on="document_id", how="left")
    )
    return out.drop(columns="segment_id")


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
    team, team_ids = numbered(coded["team_id"])
    code, code_ids = numbered(coded["code_id"])
    cell = np.where((team >= 0) & (code >= 0), team * len(code_ids) + code, -1)
    n_cells = len(team_ids) * len(code_ids)
    counts = pd.DataFrame(
        {
            f"n_{name}s": distinct_counts(cell, numbered(coded[f"{name}_id"])[0], n_cells)
            for name in ("segment", "document", "respondent")
        },
        index=pd.MultiIndex.from_product([team_ids, code_ids], names=["team_id", "code_id"]),
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


# Group-wise work over a whole table: what the tables above (and :mod:`botu.profiles`,
# :mod:`botu.triangulation`) are computed with. Ids are numbered once, then sorted, joined and
# counted as numbers, instead of a small pandas operation per team, code or segment.


def numbered(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each value's number (0, 1, … in order of appearance; -1 when missing) and the values
    by number, as :func:`pandas.factorize` gives them.

    Equal values next to each other (the team, segment and document ids of
    :func:`coded_segments`' sorted rows) are numbered per run: by the runs' order when the
    column is sorted, else by hashing once per run instead of once per row.
    """
    values = np.asarray(column, dtype=object)
    try:
        if len(values) > 1 and _in_runs(values[:1000]):
            starts = _changes(values)
            runs = values[starts]
            if not pd.isna(runs).any():
                if _increasing(runs):  # sorted: every run has a value of its own
                    return np.cumsum(starts) - 1, runs
                numbers, uniques = pd.factorize(runs)
                return numbers[np.cumsum(starts) - 1], uniques
    except TypeError:  # pd.NA cannot be compared
        pass
    return pd.factorize(values)


def _in_runs(head: np.ndarray) -> bool:
    """Whether a column's first values are sorted or mostly repeat the one before them
    (none missing)."""
    if pd.isna(head).any():
        return False
    starts = _changes(head)
    return _increasing(head[starts]) or 2 * starts.sum() <= len(head)


def _increasing(values: np.ndarray) -> bool:
    return bool(np.all(values[1:] > values[:-1]))


def distinct_counts(group: np.ndarray, value: np.ndarray, n_groups: int) -> np.ndarray:
    """How many distinct values each group has, as ``groupby(...).nunique()`` counts them.

    Args:
        group: each row's group, 0 … ``n_groups`` - 1 (-1: in none).
        value: each row's value as a number (:func:`numbered`; -1: missing, not counted).
        n_groups: how many groups there are (also those without a row).

    Returns:
        An array of ``n_groups`` counts.
    """
    keep = (group >= 0) & (value >= 0)
    width = int(value.max()) + 1 if keep.any() else 1
    pairs = np.sort(group[keep].astype("int64") * width + value[keep])
    return np.bincount(pairs[_changes(pairs)] // width, minlength=n_groups)


def sort_order(frame: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """The row positions that sort ``frame`` by ``keys`` as a stable ``sort_values`` would
    (missing values last).

    Tables are mostly written in order already, which one pass over the keys confirms.
    Otherwise the first key is sorted as it is (a stable sort of nearly sorted text takes
    about one pass), and the others (codes, coders: few distinct values) only order the rows
    within each run of the first, by their ranks.
    """
    if _in_order([np.asarray(frame[key], dtype=object) for key in keys]):
        return np.arange(len(frame))
    first = np.asarray(frame[keys[0]], dtype=object)
    if pd.isna(first).any():  # only a table that failed its checks lacks ids: as pandas sorts
        return frame.reset_index(drop=True).sort_values(keys, kind="stable").index.to_numpy()
    order = np.argsort(first, kind="stable")
    if len(keys) == 1:
        return order
    ranks = []
    for key in reversed(keys[1:]):
        rank, uniques = pd.factorize(np.asarray(frame[key], dtype=object)[order], sort=True)
        ranks.append(np.where(rank < 0, len(uniques), rank))  # missing last
    runs = np.cumsum(_changes(first[order]))
    return order[np.lexsort((*ranks, runs))]


def group_starts(frame: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """For a frame sorted by ``keys`` (none missing): True on each row that starts a new group
    of them."""
    starts = np.zeros(len(frame), dtype=bool)
    for key in keys:
        starts |= _changes(np.asarray(frame[key], dtype=object))
    return starts


def join_groups(values: np.ndarray, group: np.ndarray, n_groups: int, sep: str) -> np.ndarray:
    """``sep``-join the strings of each group in the order given; ``""`` for a group with none.

    Args:
        values: the strings, the ones of a group next to each other.
        group: each value's group, numbered 0 … ``n_groups`` - 1 in order.
        n_groups: how many groups there are (also those without a value).
        sep: what goes between two values.

    Returns:
        An object array of ``n_groups`` strings, built in as many passes over the values as
        the largest group has values (the first value of every group, then the second, …).
    """
    out = np.full(n_groups, "", dtype=object)
    if not len(values):
        return out
    values, group = np.asarray(values, dtype=object), np.asarray(group)
    first = np.flatnonzero(_changes(group))
    rank = np.arange(len(group)) - np.repeat(first, np.diff(np.r_[first, len(group)]))
    for position in range(int(rank.max()) + 1):
        at = rank == position
        which = group[at]
        out[which] = values[at] if position == 0 else out[which] + sep + values[at]
    return out


def _in_order(columns: list[np.ndarray]) -> bool:
    """True when the rows are in the order of ``columns`` (the first, then the next, …)
    already, none missing."""

    def ordered(rows: slice) -> bool:
        ahead = tie = None  # a row sorts before the next / ties with it, on the keys so far
        for values in columns[:-1]:
            this, following = values[rows][:-1], values[rows][1:]
            less, same = this < following, this == following
            ahead = less if ahead is None else ahead | (tie & less)
            tie = same if tie is None else tie & same
        this, following = columns[-1][rows][:-1], columns[-1][rows][1:]
        last = this <= following
        return bool(np.all(last if ahead is None else ahead | (tie & last)))

    if len(columns[0]) < 2:
        return True
    try:  # the first rows tell most unsorted tables quickly
        return ordered(slice(0, 1000)) and ordered(slice(None))
    except TypeError:  # a missing value cannot be compared
        return False


def _changes(values: np.ndarray) -> np.ndarray:
    """True where a value differs from the one before it (and on the first)."""
    changes = np.ones(len(values), dtype=bool)
    changes[1:] = values[1:] != values[:-1]
    return changes


def _taken(frame: pd.DataFrame, order: np.ndarray) -> pd.DataFrame:
    """``frame``'s rows in ``order`` (the frame itself when that is the order it has)."""
    if np.array_equal(order, np.arange(len(frame))):
        return frame
    return frame.take(order)
