"""Qualitative Comparative Analysis (QCA), crisp and fuzzy, on a par with R's QCA package.

What R's ``QCA`` (Dusa) computes, without R: calibration (the rubric's 0–3 scores as graded
memberships, or direct calibration with three anchors), the truth table (``n``, inclusion and
PRI per configuration; frequency and inclusion cut-offs), the conservative, parsimonious and
intermediate solutions with *every* equally short model, their fit per model and per term
(inclusion, PRI, raw and unique coverage), and necessity of single conditions and of
disjunctions (with relevance, RoN). Terms are written as R writes them: ``*`` for and, ``~``
for not, conditions in the order given. A solution R refuses (no positive configuration, or
one that would use every configuration) raises :class:`QCAError` with R's reason.

Membership of a case in a configuration is the minimum over its conditions (``x`` or
``1 - x``); a case belongs to the configuration where that is above 0.5 (a membership of
exactly 0.5 belongs to none, yet counts toward inclusion). Crisp data are fuzzy data with
memberships 0 and 1: one code path.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from botu.errors import BotuError, InputError, Problem

NOT = "~"
AND = "*"
OR = " + "
MAX_CONDITIONS = 10  # 3^10 candidate terms: well within a second
# a row whose inclusion is this close to a cut-off counts as reaching it (R: "exactly at the
# cut-off is coded 1"; floating point sums must not decide otherwise)
TOLERANCE = 1e-9
# the rubric's scores as fuzzy memberships (0 absent … 3 strong)
SCORE_MEMBERSHIP = {0: 0.0, 1: 0.33, 2: 0.67, 3: 1.0}
OUTCODES = ("1", "0", "C", "?")  # positive, negative, contradiction, remainder


class QCAError(BotuError):
    """A QCA that cannot be computed as asked; the message says why (as R would)."""


Term = tuple[int, ...]  # per condition: 1 present, 0 absent, -1 not in the term


# --- calibration ------------------------------------------------------------------------


def calibrate_scores(values: pd.Series, points: Mapping[int, float] | None = None) -> pd.Series:
    """Rubric scores (0–3) as fuzzy memberships: 0, .33, .67, 1 by default."""
    table = dict(points or SCORE_MEMBERSHIP)
    numbers = pd.to_numeric(values, errors="coerce")
    unknown = sorted(
        {
            float(v)
            for v in numbers.dropna()
            if not np.isfinite(v) or v != int(v) or int(v) not in table
        }
    )
    unknown = [int(v) if np.isfinite(v) and v.is_integer() else v for v in unknown]
    if unknown:
        raise QCAError(f"{values.name}: scores {unknown} have no membership (expected 0–3)")
    return numbers.map(lambda v: table[int(v)] if pd.notna(v) else np.nan).rename(values.name)


def calibrate_direct(
    values: pd.Series, exclusion: float, crossover: float, inclusion: float, idm: float = 0.95
) -> pd.Series:
    """Direct calibration with three anchors (Ragin 2008; R's ``calibrate(type = "fuzzy",
    logistic = TRUE)``): full non-membership at ``exclusion``, 0.5 at ``crossover``, full
    membership (``idm``, 0.95) at ``inclusion``. Anchors may run downwards (exclusion above
    inclusion) for a set that shrinks as the values grow."""
    if not 0.5 < idm < 1:
        raise QCAError(f"idm must lie between 0.5 and 1 (R's rule), not {idm}")
    e, c, i = float(exclusion), float(crossover), float(inclusion)
    if not (e < c < i or e > c > i):
        raise QCAError(f"anchors must be ordered (exclusion, crossover, inclusion): {e}, {c}, {i}")
    scale = math.log(idm / (1 - idm))
    x = pd.to_numeric(values, errors="coerce").astype(float)
    above = (x - c) / (i - c) * scale
    below = (x - c) / (c - e) * scale
    log_odds = np.where((x - c) * (i - c) >= 0, above, below)
    return pd.Series(1 / (1 + np.exp(-log_odds)), index=values.index, name=values.name)


# --- the truth table --------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One configuration of the truth table."""

    config: str  # "101": the conditions' values in the order given
    out: str  # "1", "0", "C" (contradiction), "?" (remainder)
    n: int
    incl: float | None
    pri: float | None
    cases: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "config": self.config,
            "out": self.out,
            "n": self.n,
            "incl": self.incl,
            "pri": self.pri,
            "cases": list(self.cases),
        }


@dataclass
class TruthTable:
    outcome: str
    conditions: list[str]
    rows: list[Row]
    incl_cut: float
    incl_cut0: float
    n_cut: int
    cases: list[str]
    x: np.ndarray  # cases × conditions memberships
    y: np.ndarray  # outcome memberships
    fuzzy: bool

    def configs(self, *outs: str) -> set[int]:
        return {i for i, row in enumerate(self.rows) if row.out in outs}

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame([row.as_dict() for row in self.rows])


def _memberships(data: pd.DataFrame, columns: Sequence[str]) -> np.ndarray:
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise QCAError(f"not in the data: {', '.join(missing)}")
    frame = data[list(columns)].apply(pd.to_numeric, errors="coerce")
    bad = frame.isna() | (frame < 0) | (frame > 1)
    if bad.to_numpy().any():
        row, col = (int(v[0]) for v in np.nonzero(bad.to_numpy()))
        value = data[list(columns)].iloc[row, col]
        raise QCAError(
            f"case {frame.index[row]}, {frame.columns[col]}: {value} is not a set membership "
            "(0 to 1; calibrate first)"
        )
    return frame.to_numpy(dtype=float)


def _row_memberships(x: np.ndarray) -> np.ndarray:
    """Configurations × cases: the membership of every case in every configuration (the
    first condition the most significant bit, as R orders the rows)."""
    k = x.shape[1]
    bits = (np.arange(2**k)[:, None] >> np.arange(k - 1, -1, -1)[None, :]) & 1  # 2^k × k
    # membership per configuration, case and condition: x where the bit is 1, else 1 - x
    per = np.where(bits[:, None, :] == 1, x[None, :, :], 1 - x[None, :, :])
    return per.min(axis=2)


def _fit(m: np.ndarray, y: np.ndarray) -> tuple[float | None, float | None]:
    """Inclusion (consistency) and PRI of sufficiency of membership ``m`` for ``y``."""
    total = m.sum()
    if total <= 0:
        return None, None
    both = np.minimum(m, y).sum()
    neither = np.minimum(np.minimum(m, y), 1 - y).sum()
    denominator = total - neither
    pri = (both - neither) / denominator if denominator > 0 else 0.0
    return float(both / total), float(pri)


def truth_table(
    data: pd.DataFrame,
    outcome: str,
    conditions: Sequence[str],
    *,
    incl_cut: float = 1.0,
    incl_cut0: float | None = None,
    n_cut: int = 1,
) -> TruthTable:
    """The truth table of ``outcome`` on ``conditions`` (cases in the index, memberships 0–1).

    A configuration with fewer than ``n_cut`` cases is a remainder (``?``); else its outcome
    is 1 when its inclusion reaches ``incl_cut``, 0 when below ``incl_cut0`` (default: the
    same), a contradiction (``C``) in between.
    """
    conditions = list(conditions)
    if not conditions:
        raise QCAError("name at least one condition")
    if len(set(conditions)) != len(conditions) or outcome in conditions:
        raise QCAError("each condition once, and the outcome not among them")
    if len(conditions) > MAX_CONDITIONS:
        raise QCAError(f"at most {MAX_CONDITIONS} conditions ({len(conditions)} given)")
    incl_cut0 = incl_cut if incl_cut0 is None else incl_cut0
    if not (0 <= incl_cut0 <= incl_cut <= 1):
        raise QCAError(
            f"cut-offs must satisfy 0 ≤ incl_cut0 ≤ incl_cut ≤ 1 ({incl_cut0}, {incl_cut})"
        )
    if n_cut < 1:
        raise QCAError(f"n_cut must be at least 1 ({n_cut})")
    x = _memberships(data, conditions)
    y = _memberships(data, [outcome])[:, 0]
    cases = [str(c) for c in data.index]
    members = _row_memberships(x)
    rows = []
    for index, m in enumerate(members):
        inside = np.flatnonzero(m > 0.5)
        incl, pri = _fit(m, y) if len(inside) else (None, None)
        if len(inside) < n_cut:
            out = "?"
        elif incl >= incl_cut - TOLERANCE:
            out = "1"
        elif incl < incl_cut0 - TOLERANCE:
            out = "0"
        else:
            out = "C"
        rows.append(
            Row(
                format(index, f"0{len(conditions)}b"),
                out,
                len(inside),
                incl,
                pri,
                tuple(cases[i] for i in inside),
            )
        )
    fuzzy = bool(((x > 0) & (x < 1)).any() or ((y > 0) & (y < 1)).any())
    return TruthTable(outcome, conditions, rows, incl_cut, incl_cut0, n_cut, cases, x, y, fuzzy)


# --- minimisation -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Space:
    """Every term over k conditions (3^k: each condition absent, present or not in it), the
    configurations each covers and its parents (the terms with one literal fewer)."""

    terms: np.ndarray  # 3^k × k: 0 absent, 1 present, -1 not in the term
    covers: np.ndarray  # 3^k × 2^k booleans
    parents: np.ndarray  # 3^k × k: index of the term without that literal, -1 if none
    index: dict  # term (tuple) → row

    def mask(self, configs: set[int] | frozenset[int]) -> np.ndarray:
        out = np.zeros(self.covers.shape[1], dtype=bool)
        out[list(configs)] = True
        return out


@functools.lru_cache(maxsize=4)
def _space(k: int) -> _Space:
    terms = np.array(list(itertools.product((-1, 0, 1), repeat=k)), dtype=np.int8).reshape(-1, k)
    bits = (np.arange(2**k)[:, None] >> np.arange(k - 1, -1, -1)[None, :]) & 1
    covers = np.ones((len(terms), 2**k), dtype=bool)
    for c in range(k):
        column = terms[:, c][:, None]
        covers &= (column == -1) | (column == bits[None, :, c])
    weights = 3 ** np.arange(k - 1, -1, -1)
    own = (terms.astype(np.int64) + 1) @ weights  # row of each term (base 3)
    parents = np.where(terms >= 0, own[:, None] - (terms + 1) * weights[None, :], -1)
    index = {tuple(int(v) for v in row): i for i, row in enumerate(terms)}
    return _Space(terms, covers, parents, index)


def prime_implicants(on: set[int], allowed: set[int], k: int) -> list[Term]:
    """Every prime implicant of the configurations ``on`` that covers only ``on`` or
    ``allowed`` ones (the remainders a solution may use), in R's order: a term covering
    only such configurations and at least one of ``on``, no literal of which can go."""
    space = _space(k)
    outside = ~space.mask(set(on) | set(allowed))
    valid = ~(space.covers & outside).any(axis=1)
    useful = valid & (space.covers & space.mask(on)).any(axis=1)
    parent_valid = np.where(space.parents >= 0, valid[np.maximum(space.parents, 0)], False)
    prime = useful & ~parent_valid.any(axis=1)
    found = [tuple(int(v) for v in space.terms[i]) for i in np.flatnonzero(prime)]
    return sorted(found, key=term_order)


def covered(term: Term) -> np.ndarray:
    """The configurations ``term`` covers (booleans over all 2^k)."""
    space = _space(len(term))
    return space.covers[space.index[tuple(term)]]


def term_order(term: Term) -> tuple:
    """R's order of terms: fewer literals first; then condition by condition, absent before
    present before not in the term; a term of every condition (a configuration left as it
    is) with present first, as R's minimisation lists them."""
    literals = sum(v >= 0 for v in term)
    if literals == len(term):
        return (literals, tuple(-v for v in term))
    return (literals, tuple(2 if v < 0 else v for v in term))


# search steps a prime implicant chart may take before it counts as too complex (R refuses
# such charts too); generous for the handful of cases a QCA has
MAX_CHART_STEPS = 500_000
TOO_COMPLEX = "The PI chart is too complex for an exact solution."
# more equally short models than this are no answer a reader can use: refused, saying so
MAX_MODELS = 1000
TOO_MANY = (
    f"More than {MAX_MODELS} equally short models: the solution is too ambiguous to report. "
    "Raise the inclusion cut-off or use fewer conditions."
)


def minimal_covers(on: set[int], primes: Sequence[Term], k: int) -> list[list[Term]]:
    """Every cover of ``on`` by the fewest ``primes`` (R's equally short models), each
    model's terms and the models in R's order.

    Exact: a branch-and-bound over the chart that branches on the configuration the fewest
    primes cover, never tries a prime a sibling branch already tried (so no cover is found
    twice), and stops a branch that cannot stay as short as the best cover.

    Raises:
        QCAError: the chart needs more than :data:`MAX_CHART_STEPS` steps.
    """
    targets = sorted(on)
    masks = [covered(p) for p in primes]
    covers_of = {t: [j for j, m in enumerate(masks) if m[t]] for t in targets}
    widest = max((int(m[targets].sum()) for m in masks), default=1) or 1
    best: list[frozenset[int]] = []
    limit = [len(primes) + 1]
    steps = [0]

    def search(chosen: frozenset[int], left: list[int], banned: frozenset[int]) -> None:
        steps[0] += 1
        if steps[0] > MAX_CHART_STEPS:
            raise QCAError(TOO_COMPLEX)
        if not left:
            if len(chosen) < limit[0]:
                limit[0] = len(chosen)
                best.clear()
            best.append(chosen)
            return
        if len(chosen) + -(-len(left) // widest) > limit[0]:
            return  # even the widest primes cannot finish within the best length
        options = {t: [j for j in covers_of[t] if j not in banned] for t in left}
        # configurations no two of which share a prime each need a prime of their own
        apart, used = 0, set()
        for t in sorted(left, key=lambda t: len(options[t])):
            if not used.intersection(options[t]):
                apart += 1
                used.update(options[t])
        if len(chosen) + apart > limit[0]:
            return
        target = min(left, key=lambda t: (len(options[t]), t))
        tried: set[int] = set()
        for j in options[target]:
            mask = masks[j]
            search(chosen | {j}, [t for t in left if not mask[t]], banned | tried)
            tried.add(j)

    search(frozenset(), targets, frozenset())
    if len(best) > MAX_MODELS:
        raise QCAError(TOO_MANY)
    models = sorted(sorted(cover) for cover in best)
    return [[primes[j] for j in model] for model in models]


def format_term(term: Term, conditions: Sequence[str]) -> str:
    return AND.join(
        (conditions[c] if v == 1 else NOT + conditions[c]) for c, v in enumerate(term) if v >= 0
    )


def parse_term(text: str, conditions: Sequence[str]) -> Term:
    """``A*~B`` as a term over ``conditions``."""
    term = [-1] * len(conditions)
    for literal in text.split(AND):
        literal = literal.strip()
        name = literal.lstrip(NOT)
        if name not in conditions:
            raise QCAError(f"{name!r} is not a condition")
        term[conditions.index(name)] = 0 if literal.startswith(NOT) else 1
    return tuple(term)


# --- fit of terms and models ------------------------------------------------------------


def _term_membership(term: Term, x: np.ndarray) -> np.ndarray:
    m = np.ones(x.shape[0])
    for c, v in enumerate(term):
        if v >= 0:
            m = np.minimum(m, x[:, c] if v == 1 else 1 - x[:, c])
    return m


@dataclass
class TermFit:
    term: str
    incl: float
    pri: float
    cov: float  # raw coverage
    cov_unique: float
    cases: list[str]


@dataclass
class Model:
    terms: list[str]
    incl: float
    pri: float
    cov: float
    fit: list[TermFit] = field(default_factory=list)

    @property
    def expression(self) -> str:
        return OR.join(self.terms)


def _coverage(m: np.ndarray, y: np.ndarray) -> float:
    total = y.sum()
    return float(np.minimum(m, y).sum() / total) if total > 0 else 0.0


def fit_model(model: Sequence[Term], table: TruthTable) -> Model:
    x, y = table.x, table.y
    members = [_term_membership(t, x) for t in model]
    union = np.max(members, axis=0) if members else np.zeros(len(y))
    incl, pri = _fit(union, y)
    cov = _coverage(union, y)
    fits = []
    for j, (term, m) in enumerate(zip(model, members, strict=True)):
        others = [mm for i, mm in enumerate(members) if i != j]
        rest = np.max(others, axis=0) if others else np.zeros(len(y))
        t_incl, t_pri = _fit(m, y)
        fits.append(
            TermFit(
                format_term(term, table.conditions),
                t_incl or 0.0,
                t_pri or 0.0,
                _coverage(m, y),
                cov - _coverage(rest, y),
                [table.cases[i] for i in np.flatnonzero((m > 0.5) & (y > 0.5))],
            )
        )
    return Model(
        [format_term(t, table.conditions) for t in model], incl or 0.0, pri or 0.0, cov, fits
    )


# --- solutions --------------------------------------------------------------------------


@dataclass
class Solution:
    kind: str  # "conservative", "parsimonious", "intermediate"
    models: list[Model] = field(default_factory=list)
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        if self.error:
            return {"error": self.error}
        return {
            "models": [m.terms for m in self.models],
            "incl": [m.incl for m in self.models],
            "cov": [m.cov for m in self.models],
            "pri": [m.pri for m in self.models],
        }


NOTHING_EXPLAINED = "None of the values in OUT is explained. Please check the truth table."
ALL_USED = (
    "All truth table configurations are used, all conditions are minimized. "
    "Please check the truth table."
)


def _refusal(on: set[int], allowed: set[int], k: int) -> str | None:
    if not on:
        return NOTHING_EXPLAINED
    if len(on | allowed) == 2**k:
        return ALL_USED
    return None


def _models(table: TruthTable, allowed: set[int]) -> list[list[Term]]:
    k = len(table.conditions)
    on = table.configs("1")
    return minimal_covers(on, prime_implicants(on, allowed, k), k)


def _solved(kind: str, table: TruthTable, allowed: set[int]) -> Solution:
    try:
        return Solution(kind, [fit_model(m, table) for m in _models(table, allowed)])
    except QCAError as exc:  # too complex, or too many models: said, like a refusal
        return Solution(kind, error=str(exc))


def conservative(table: TruthTable) -> Solution:
    on = table.configs("1")
    error = _refusal(on, set(), len(table.conditions))
    if error:
        return Solution("conservative", error=error)
    return _solved("conservative", table, set())


def parsimonious(table: TruthTable) -> Solution:
    on, remainders = table.configs("1"), table.configs("?")
    error = _refusal(on, remainders, len(table.conditions))
    if error:
        return Solution("parsimonious", error=error)
    return _solved("parsimonious", table, remainders)


def _expectations(directional: Mapping[str, Any] | None, conditions: list[str]) -> list[int]:
    """Per condition: 1 (contributes when present), 0 (when absent), -1 (no expectation: as R,
    its literals stay). Default: every condition contributes when present; a condition a
    given mapping leaves out has no expectation."""
    if directional is None:
        return [1] * len(conditions)
    unknown = [c for c in directional if c not in conditions]
    if unknown:
        raise QCAError(f"directional expectation for {', '.join(unknown)}: not a condition")
    values = []
    for c in conditions:
        value = directional.get(c, "-")
        if str(value) in ("1", "0"):
            values.append(int(value))
        elif str(value) == "-":
            values.append(-1)
        else:
            raise QCAError(f"directional expectation for {c}: {value!r} is not 1, 0 or -")
    return values


def _easy(term: Term, expect: Sequence[int]) -> np.ndarray:
    """The configurations that are easy counterfactuals for the conservative ``term``: they
    differ from it only where its literal runs against a directional expectation, and take
    the expected value there (booleans over all 2^k). A literal as expected, or of a
    condition without an expectation, stays (R's ``dir.exp``, where ``-`` keeps it)."""
    k = len(term)
    bits = (np.arange(2**k)[:, None] >> np.arange(k - 1, -1, -1)[None, :]) & 1
    ok = np.ones(2**k, dtype=bool)
    for c, value in enumerate(term):
        if value >= 0 and expect[c] != 1 - value:  # not against the expectation: it stays
            ok &= bits[:, c] == value
    return ok


def intermediate(table: TruthTable, directional: Mapping[str, Any] | None = None) -> Solution:
    """The intermediate solution: the positive configurations minimised with the easy
    counterfactuals only — remainders within a parsimonious term that differ from a
    conservative term it contains only as the directional expectations allow. One set per
    pair of conservative and parsimonious models; equal models are given once."""
    k = len(table.conditions)
    on, remainders = table.configs("1"), table.configs("?")
    error = _refusal(on, set(), k) or _refusal(on, remainders, k)
    if error:
        return Solution("intermediate", error=error)
    expect = _expectations(directional, table.conditions)
    try:
        return _intermediate(table, remainders, expect)
    except QCAError as exc:
        return Solution("intermediate", error=str(exc))


def _intermediate(table: TruthTable, remainders: set[int], expect: list[int]) -> Solution:
    k = len(table.conditions)
    cons_models = _models(table, set())
    pars_models = _models(table, remainders)
    found: list[list[Term]] = []
    solved: dict[frozenset[int], list[list[Term]]] = {}
    open_rows = _space(k).mask(remainders)
    easy_for = {c: _easy(c, expect) for cons in cons_models for c in cons}
    for cons in cons_models:
        for pars in pars_models:
            easy = np.zeros(2**k, dtype=bool)
            for p in pars:
                inside = covered(p)
                for c in cons:
                    if not (covered(c) & ~inside).any():  # p contains c
                        easy |= inside & open_rows & easy_for[c]
            key = frozenset(int(r) for r in np.flatnonzero(easy))
            if key not in solved:
                solved[key] = _models(table, set(key))
            for model in solved[key]:
                if model not in found:
                    found.append(model)
    if len(found) > MAX_MODELS:
        raise QCAError(TOO_MANY)
    return Solution("intermediate", [fit_model(m, table) for m in found])


# --- necessity --------------------------------------------------------------------------


@dataclass
class Necessity:
    condition: str  # "A", "~A" or a disjunction "A + ~B"
    incl: float
    cov: float
    ron: float  # relevance of necessity

    def as_dict(self) -> dict[str, Any]:
        return {"condition": self.condition, "incl": self.incl, "cov": self.cov, "ron": self.ron}


def _necessity_of(m: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Inclusion, coverage and relevance (RoN) of ``m`` as a necessary condition of ``y``."""
    both = np.minimum(m, y)
    incl = both.sum() / y.sum() if y.sum() > 0 else 0.0
    cov = both.sum() / m.sum() if m.sum() > 0 else 0.0
    rest = (1 - both).sum()
    ron = (1 - m).sum() / rest if rest > 0 else 0.0
    return float(incl), float(cov), float(ron)


def necessity(data: pd.DataFrame, outcome: str, conditions: Sequence[str]) -> list[Necessity]:
    """Each condition and its negation as a necessary condition of ``outcome``."""
    conditions = list(conditions)
    x = _memberships(data, conditions)
    y = _memberships(data, [outcome])[:, 0]
    found = []
    for c, name in enumerate(conditions):
        for label, m in ((name, x[:, c]), (NOT + name, 1 - x[:, c])):
            found.append(Necessity(label, *_necessity_of(m, y)))
    return found


def necessary_disjunctions(
    data: pd.DataFrame,
    outcome: str,
    conditions: Sequence[str],
    *,
    incl_cut: float = 0.9,
    cov_cut: float = 0.0,
    ron_cut: float = 0.0,
    depth: int | None = None,
) -> list[Necessity]:
    """R's ``superSubset`` for necessity: the smallest expressions — single literals, then
    disjunctions of literals (each condition once) — whose inclusion reaches ``incl_cut``;
    an expression holding a smaller one already found is left out."""
    conditions = list(conditions)
    x = _memberships(data, conditions)
    y = _memberships(data, [outcome])[:, 0]
    k = len(conditions)
    found: list[tuple[tuple[int, int], ...]] = []
    result = []
    for size in range(1, (depth or k) + 1):
        for positions in itertools.combinations(range(k), size):
            for values in itertools.product((0, 1), repeat=size):
                literals = tuple(zip(positions, values, strict=True))
                if any(set(smaller) <= set(literals) for smaller in found):
                    continue
                m = np.max([x[:, c] if v == 1 else 1 - x[:, c] for c, v in literals], axis=0)
                incl, cov, ron = _necessity_of(m, y)
                if incl >= incl_cut - TOLERANCE and cov >= cov_cut and ron >= ron_cut:
                    found.append(literals)
                    label = OR.join(
                        conditions[c] if v == 1 else NOT + conditions[c] for c, v in literals
                    )
                    result.append(Necessity(label, incl, cov, ron))
    return result


# --- the whole analysis -----------------------------------------------------------------


@dataclass
class Analysis:
    """Truth table, the three solutions and necessity: what ``python -m botu qca`` prints."""

    table: TruthTable
    conservative: Solution
    parsimonious: Solution
    intermediate: Solution
    necessity: list[Necessity]
    supersets: list[Necessity]  # necessary disjunctions (R's superSubset)
    necessity_cut: float = 0.9

    def as_dict(self) -> dict[str, Any]:
        return {
            "truth_table": [row.as_dict() for row in self.table.rows],
            "conservative": self.conservative.as_dict(),
            "parsimonious": self.parsimonious.as_dict(),
            "intermediate": self.intermediate.as_dict(),
            "necessity": [n.as_dict() for n in self.necessity],
            "necessary_disjunctions": [n.as_dict() for n in self.supersets],
        }


def analyse(
    data: pd.DataFrame,
    outcome: str,
    conditions: Sequence[str],
    *,
    incl_cut: float = 1.0,
    incl_cut0: float | None = None,
    n_cut: int = 1,
    directional: Mapping[str, Any] | None = None,
    necessity_cut: float = 0.9,
) -> Analysis:
    """Everything R's QCA gives for ``outcome`` on ``conditions`` (see the module)."""
    _expectations(directional, list(conditions))  # refused before anything is computed
    table = truth_table(
        data, outcome, conditions, incl_cut=incl_cut, incl_cut0=incl_cut0, n_cut=n_cut
    )
    return Analysis(
        table,
        conservative(table),
        parsimonious(table),
        intermediate(table, directional),
        necessity(data, outcome, conditions),
        necessary_disjunctions(data, outcome, conditions, incl_cut=necessity_cut),
        necessity_cut,
    )


def robustness(
    data: pd.DataFrame,
    outcome: str,
    conditions: Sequence[str],
    cutoffs: Sequence[float],
    **options: Any,
) -> pd.DataFrame:
    """The solutions side by side under a range of inclusion cut-offs: one row per cut-off,
    each solution's models (``M1; M2``) or R's reason for refusing it."""
    rows = []
    for cut in cutoffs:
        result = analyse(data, outcome, conditions, incl_cut=cut, **options)
        row: dict[str, Any] = {"cutoff": cut, "positive": len(result.table.configs("1"))}
        for solution in (result.conservative, result.parsimonious, result.intermediate):
            row[solution.kind] = solution.error or "; ".join(m.expression for m in solution.models)
        rows.append(row)
    return pd.DataFrame(rows)


# --- data from a file, and the analysis as text ------------------------------------------


def read_data(
    path: Path, outcome: str, conditions: Sequence[str], *, fuzzy: bool = False
) -> pd.DataFrame:
    """The ``outcome`` and ``conditions`` columns of a QCA data file (CSV, the first column
    the case id), cases in the index: memberships 0 or 1 (crisp), or from 0 to 1 with
    ``fuzzy``. Other columns are not read.

    Raises:
        InputError: naming the file, row and column of what is not a membership, a column
            that is not there, a case id empty or given twice.
    """
    from botu.io import read_csv_table

    table = read_csv_table(Path(path))
    frame, label = table.frame, table.source
    case_column = frame.columns[0] if len(frame.columns) else "case"
    wanted = [*conditions, outcome]
    twice = sorted({c for c in wanted if wanted.count(c) > 1})
    if twice:
        raise InputError(
            Problem(label, None, None, f"{', '.join(twice)}: each set once, the outcome apart")
        )
    if frame.empty:
        raise InputError(Problem(label, None, None, "holds no cases, only a header"))
    missing = [c for c in wanted if c not in frame.columns[1:]]
    if missing:
        there = ", ".join(map(str, frame.columns[1:])) or "none"
        raise InputError(
            Problem(label, 1, None, f"no column {', '.join(missing)} (the sets there: {there})")
        )
    problems = []
    seen: dict[str, int] = {}
    for index, case in enumerate(frame[case_column]):
        row = table.row_number(index)
        if not case.strip():
            problems.append(Problem(label, row, str(case_column), "the case id is empty"))
        elif case in seen:
            problems.append(
                Problem(label, row, str(case_column), f"case {case!r} is also in row {seen[case]}")
            )
        seen.setdefault(case, row)
    values = frame[wanted]
    numbers = values.apply(lambda column: pd.to_numeric(column.str.strip(), errors="coerce"))
    graded = []  # fuzzy memberships in a crisp analysis: one message for them all
    for column in wanted:
        for index in range(len(values)):
            raw, number = values[column].iloc[index], numbers[column].iloc[index]
            where = (label, table.row_number(index), str(column))
            if pd.isna(number):
                what = "is empty" if not raw.strip() else f"{raw!r} is not a number"
            elif not 0 <= number <= 1:
                what = f"{raw} is not a set membership (0 to 1; calibrate it first)"
            elif not fuzzy and number not in (0, 1):
                graded.append((*where, raw))
                continue
            else:
                continue
            problems.append(Problem(*where, what))
    if graded:
        file, row, column, raw = graded[0]
        more = f" (and {len(graded) - 1} more)" if len(graded) > 1 else ""
        problems.append(
            Problem(
                file,
                row,
                column,
                f"{raw} is a fuzzy membership{more}: crisp sets hold 0 or 1; use --fuzzy",
            )
        )
    if problems:
        raise InputError(problems)
    numbers.index = pd.Index(frame[case_column], name=str(case_column))
    return numbers


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def analysis_lines(result: Analysis) -> list[str]:
    """The analysis as text for a terminal, in R's layout and notation."""
    table = result.table
    lines = [f"truth table: {table.outcome} on {', '.join(table.conditions)}"]
    lines.append("  " + " ".join(table.conditions) + "  OUT  n  incl  PRI  cases")
    for row in table.rows:
        if row.out == "?" and not row.n:
            continue
        lines.append(
            f"  {' '.join(row.config)}  {row.out}  {row.n}  {_number(row.incl)}  "
            f"{_number(row.pri)}  {','.join(row.cases)}"
        )
    for solution in (result.conservative, result.parsimonious, result.intermediate):
        lines.append(f"{solution.kind}:")
        if solution.error:
            lines.append(f"  refused: {solution.error}")
        for number, model in enumerate(solution.models, start=1):
            lines.append(
                f"  M{number}: {model.expression} <-> {table.outcome}   incl {model.incl:.3f}"
                f"  PRI {model.pri:.3f}  cov {model.cov:.3f}"
            )
            for fit in model.fit:
                lines.append(
                    f"      {fit.term}: incl {fit.incl:.3f}  PRI {fit.pri:.3f}  "
                    f"covS {fit.cov:.3f}  covU {fit.cov_unique:.3f}"
                )
    lines.append("necessity (single conditions):")
    lines += [
        f"  {n.condition}: incl {n.incl:.3f}  RoN {n.ron:.3f}  cov {n.cov:.3f}"
        for n in result.necessity
    ]
    lines.append(f"necessary disjunctions (incl >= {result.necessity_cut:g}):")
    lines += [
        f"  {n.condition}: incl {n.incl:.3f}  RoN {n.ron:.3f}  cov {n.cov:.3f}"
        for n in result.supersets
    ] or ["  none"]
    return lines
