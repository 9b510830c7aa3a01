"""Configurational comparison: a crisp-set QCA truth table, its consistency and coverage, and
its Boolean minimisation.

Illustrative, for a handful of teams and at most :data:`MAX_CONDITIONS` conditions. The
measures are Ragin's for crisp sets (Ragin 2006, "Set relations in social research", *Political
Analysis* 14, 291–310; Ragin 2008, *Redesigning social inquiry*, ch. 3), with X the cases in the
condition (or term, or solution) and Y the cases with the outcome:

- sufficiency (X ⊆ Y): consistency = |X ∩ Y| / |X|, coverage = |X ∩ Y| / |Y|;
- necessity (Y ⊆ X): consistency = |X ∩ Y| / |Y|, coverage = |X ∩ Y| / |X|.

Truth-table rows are coded as in Rihoux & De Meur (2009, "Crisp-set qualitative comparative
analysis", in Rihoux & Ragin (eds.), *Configurational comparative methods*): ``1`` (outcome
present), ``0`` (absent), ``C`` (contradiction: cases on both sides) or ``?`` (logical
remainder: no case). With ``cutoff`` c a row is ``1`` when its consistency is at least c, ``0``
when it is at most 1 − c, ``C`` in between; the default c = 1.0 is the classic crisp-set rule,
where any row holding cases with and without the outcome is a contradiction.

The conservative (complex) solution minimises the ``1`` rows alone; the parsimonious solution
may also use the remainders as don't-cares. Contradictions count as "not 1" in both. Prime
implicants are found by enumerating every conjunction of literals (3^k terms, k ≤ 4), and the
solution is the smallest set of prime implicants covering every ``1`` row (fewest terms, then
fewest literals); equally small alternatives are kept.
"""

from __future__ import annotations

import itertools
import operator
import warnings
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

MAX_CONDITIONS = 4
DEFAULT_CUTOFF = 1.0
NEGATION = "~"
AND = "*"
OR = " + "

_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}

Rule = tuple[str, Any] | Callable[[Any], Any] | Collection[Any]
Term = tuple[int | None, ...]  # per condition: 1 (present), 0 (absent) or None (either)


class ConstantConditionWarning(UserWarning):
    """A condition takes the same value in every case and was left out."""


class DroppedCaseWarning(UserWarning):
    """A case misses a value of a condition or the outcome and was left out."""


@dataclass
class Solution:
    """A minimal sum of prime implicants for the outcome, with its fit.

    Attributes:
        kind: ``conservative`` or ``parsimonious``.
        terms: the prime implicants, e.g. ``["A*~B", "C"]`` (``"1"``: always true).
        consistency: sufficiency consistency of the whole solution (NaN if it covers no case).
        coverage: share of the outcome cases the solution covers (NaN without outcome cases).
        term_table: per term its consistency, raw and unique coverage and the cases it covers.
        alternatives: other equally small solutions (model ambiguity), as lists of terms.
    """

    kind: str
    terms: list[str]
    consistency: float
    coverage: float
    term_table: pd.DataFrame
    alternatives: list[list[str]] = field(default_factory=list)

    @property
    def expression(self) -> str:
        """The solution as Boolean text, e.g. ``A*~B + C``; empty when nothing is sufficient."""
        return OR.join(self.terms)

    def __str__(self) -> str:
        return self.expression


@dataclass
class QCAResult:
    """A crisp-set QCA of one outcome.

    Attributes:
        outcome: the outcome column.
        conditions: the conditions analysed (constant ones removed), in the order given.
        dropped_conditions: conditions removed because they do not vary across the cases.
        dropped_cases: cases removed because a value is missing.
        cutoff: the consistency cut-off that codes the truth-table rows.
        data: case × (conditions, outcome), calibrated to 0/1.
        truth_table: one row per configuration of the conditions (all 2^k, remainders too).
        necessity: per condition and negation, consistency and coverage as a necessary condition.
        sufficiency: the same as a sufficient condition.
        conservative: the solution without remainders.
        parsimonious: the solution with remainders as don't-cares.
    """

    outcome: str
    conditions: list[str]
    dropped_conditions: list[str]
    dropped_cases: list[str]
    cutoff: float
    data: pd.DataFrame
    truth_table: pd.DataFrame
    necessity: pd.DataFrame
    sufficiency: pd.DataFrame
    conservative: Solution
    parsimonious: Solution

    @property
    def conservative_solution(self) -> str:
        return self.conservative.expression

    @property
    def parsimonious_solution(self) -> str:
        return self.parsimonious.expression

    @property
    def contradictions(self) -> pd.DataFrame:
        """The truth-table rows coded ``C``, with their cases on either side."""
        return self.truth_table[self.truth_table["out"] == "C"]


# ---------------------------------------------------------------------------------------------
# Calibration
# ---------------------------------------------------------------------------------------------


def _is_threshold(rule: Any) -> bool:
    return isinstance(rule, tuple) and len(rule) == 2 and rule[0] in _OPERATORS


def calibrate_column(values: pd.Series, rule: Rule | None = None) -> pd.Series:
    """Crisp membership (1/0, missing stays missing) of one column by a stated rule.

    Args:
        values: the raw values (scores, attributes).
        rule: ``(operator, threshold)`` with operator one of ``>= > <= < == !=``, e.g.
            ``(">=", 2)``; a callable value → truthy; or a set/list of values that mean 1
            (for categorical attributes, e.g. ``{"nieuw", "hybride"}``). ``None``: the column
            is already crisp (booleans or 0/1).

    Returns:
        A nullable integer series of 0 and 1.

    Raises:
        ValueError: an unknown rule, or no rule for a column that is not 0/1.
    """
    present = values.notna()
    known = values[present]
    if rule is None:
        observed = set(known.tolist())
        if not observed <= {0, 1}:  # True == 1, False == 0
            raise ValueError(
                f"column {values.name!r} is not crisp (values {sorted(map(str, observed))}); "
                "give a calibration rule, e.g. ('>=', 2) or a set of values"
            )
        test: Callable[[Any], Any] = bool
    elif _is_threshold(rule):
        compare, threshold = _OPERATORS[rule[0]], rule[1]

        def test(value: Any) -> bool:
            return compare(value, threshold)

    elif callable(rule):
        test = rule
    elif isinstance(rule, Collection) and not isinstance(rule, str | bytes | tuple):
        allowed = set(rule)

        def test(value: Any) -> bool:
            return value in allowed

    else:
        raise ValueError(
            f"calibration rule for {values.name!r} must be (operator, threshold) with operator "
            f"one of {', '.join(_OPERATORS)}, a callable or a set of values; got {rule!r}"
        )
    try:
        member = [int(bool(test(value))) for value in known]
    except TypeError as exc:
        raise ValueError(f"cannot calibrate column {values.name!r} by {rule!r}: {exc}") from None
    out = pd.Series(pd.NA, index=values.index, dtype="Int64")
    out[present] = member
    return out


def calibrate(
    cases: pd.DataFrame, columns: Sequence[str], rules: Mapping[str, Rule] | None = None
) -> pd.DataFrame:
    """Crisp sets (0/1, missing kept) of the given columns, each by its rule (see
    :func:`calibrate_column`); columns without a rule must already be crisp.

    Rules for other columns of ``cases`` are ignored, so one dictionary can serve several
    analyses.

    Raises:
        ValueError: a column is not in ``cases``, or a rule names a column that is not.
    """
    rules = dict(rules or {})
    missing = [c for c in columns if c not in cases.columns]
    if missing:
        raise ValueError(
            f"columns {missing} are not in the case table (it has {list(cases.columns)})"
        )
    stray = sorted(set(rules) - set(cases.columns))
    if stray:
        raise ValueError(f"calibration rules for {stray}, which are not in the case table")
    return pd.DataFrame({c: calibrate_column(cases[c], rules.get(c)) for c in columns})


# ---------------------------------------------------------------------------------------------
# Set-theoretic fit
# ---------------------------------------------------------------------------------------------


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else float("nan")


def _fit_rows(data: pd.DataFrame, outcome: str, conditions: Sequence[str]) -> list[dict]:
    y = data[outcome].astype(bool).to_numpy()
    rows = []
    for condition in conditions:
        x = data[condition].astype(bool).to_numpy()
        for name, member in ((condition, x), (f"{NEGATION}{condition}", ~x)):
            rows.append(
                {
                    "condition": name,
                    "n_condition": int(member.sum()),
                    "n_outcome": int(y.sum()),
                    "n_both": int((member & y).sum()),
                }
            )
    return rows


def sufficiency(data: pd.DataFrame, outcome: str, conditions: Sequence[str]) -> pd.DataFrame:
    """Each condition and its negation as a sufficient condition for the outcome.

    Args:
        data: crisp case table (0/1), e.g. ``QCAResult.data``.

    Returns:
        condition (``A`` or ``~A``), n_condition (|X|), n_outcome (|Y|), n_both (|X ∩ Y|),
        consistency = |X ∩ Y| / |X|, coverage = |X ∩ Y| / |Y|.
    """
    out = pd.DataFrame(_fit_rows(data, outcome, conditions))
    out["consistency"] = [
        _ratio(b, x) for b, x in zip(out["n_both"], out["n_condition"], strict=True)
    ]
    out["coverage"] = [_ratio(b, y) for b, y in zip(out["n_both"], out["n_outcome"], strict=True)]
    return out


def necessity(data: pd.DataFrame, outcome: str, conditions: Sequence[str]) -> pd.DataFrame:
    """Each condition and its negation as a necessary condition for the outcome.

    Returns:
        condition, n_condition, n_outcome, n_both, consistency = |X ∩ Y| / |Y|,
        coverage = |X ∩ Y| / |X|.
    """
    out = pd.DataFrame(_fit_rows(data, outcome, conditions))
    out["consistency"] = [
        _ratio(b, y) for b, y in zip(out["n_both"], out["n_outcome"], strict=True)
    ]
    out["coverage"] = [_ratio(b, x) for b, x in zip(out["n_both"], out["n_condition"], strict=True)]
    return out


# ---------------------------------------------------------------------------------------------
# Truth table
# ---------------------------------------------------------------------------------------------


def row_code(consistency: float, cutoff: float = DEFAULT_CUTOFF) -> str:
    """``1``, ``0``, ``C`` (contradiction) or ``?`` (remainder, consistency NaN) for a row."""
    if pd.isna(consistency):
        return "?"
    # compare with a tolerance: 1 - 0.8 is 0.19999999999999996 in floating point
    if consistency >= cutoff - _TOLERANCE:
        return "1"
    if consistency <= 1.0 - cutoff + _TOLERANCE:
        return "0"
    return "C"


_TOLERANCE = 1e-9


def truth_table(
    data: pd.DataFrame, outcome: str, conditions: Sequence[str], cutoff: float = DEFAULT_CUTOFF
) -> pd.DataFrame:
    """The crisp-set truth table: every configuration of the conditions, with its cases.

    Args:
        data: crisp case table (0/1), cases as the index.
        outcome: the outcome column.
        conditions: the condition columns, in display order.
        cutoff: consistency at or above which a row is coded ``1`` (see the module text).

    Returns:
        One row per configuration (all 2^k, first condition varying slowest): the conditions,
        n (cases), n_outcome (cases with the outcome), consistency (n_outcome / n, NaN for a
        remainder), out (``1``/``0``/``C``/``?``), cases, cases_with_outcome,
        cases_without_outcome (case ids, comma-separated).
    """
    _check_cutoff(cutoff)
    rows = []
    for configuration in itertools.product((0, 1), repeat=len(conditions)):
        inside = np.ones(len(data), dtype=bool)
        for condition, value in zip(conditions, configuration, strict=True):
            inside &= data[condition].to_numpy(dtype=int) == value
        members = data[inside]
        positive = members.index[members[outcome].to_numpy(dtype=int) == 1]
        negative = members.index[members[outcome].to_numpy(dtype=int) == 0]
        consistency = _ratio(len(positive), len(members))
        rows.append(
            {
                **dict(zip(conditions, configuration, strict=True)),
                "n": len(members),
                "n_outcome": len(positive),
                "consistency": consistency,
                "out": row_code(consistency, cutoff),
                "cases": ", ".join(map(str, members.index)),
                "cases_with_outcome": ", ".join(map(str, positive)),
                "cases_without_outcome": ", ".join(map(str, negative)),
            }
        )
    return pd.DataFrame(rows)


def _check_cutoff(cutoff: float) -> None:
    if not 0.5 < cutoff <= 1.0:
        raise ValueError(f"cutoff must lie in (0.5, 1], not {cutoff!r}")


# ---------------------------------------------------------------------------------------------
# Minimisation
# ---------------------------------------------------------------------------------------------


def _covers(term: Term, configuration: Sequence[int]) -> bool:
    return all(t is None or t == c for t, c in zip(term, configuration, strict=True))


def _minterms(term: Term) -> set[tuple[int, ...]]:
    choices = [(0, 1) if t is None else (t,) for t in term]
    return set(itertools.product(*choices))


def format_term(term: Term, conditions: Sequence[str]) -> str:
    """A conjunction as text: ``A*~B``; the empty conjunction (always true) is ``"1"``."""
    literals = [
        name if value == 1 else f"{NEGATION}{name}"
        for name, value in zip(conditions, term, strict=True)
        if value is not None
    ]
    return AND.join(literals) or "1"


def prime_implicants(
    on: Collection[tuple[int, ...]], dont_care: Collection[tuple[int, ...]], k: int
) -> list[Term]:
    """Every prime implicant of the ``on`` configurations, ``dont_care`` ones usable too.

    An implicant is a conjunction all of whose configurations are ``on`` or ``dont_care`` and
    that covers at least one ``on`` configuration; it is prime when dropping any literal makes
    it cover a configuration that is neither.
    """
    on, allowed = set(on), set(on) | set(dont_care)

    def valid(term: Term) -> bool:
        covered = _minterms(term)
        return covered <= allowed and bool(covered & on)

    primes = []
    for term in itertools.product((0, 1, None), repeat=k):
        if not valid(term):
            continue
        wider = ((*term[:i], None, *term[i + 1 :]) for i in range(k) if term[i] is not None)
        if not any(_minterms(w) <= allowed for w in wider):
            primes.append(term)
    return primes


def minimal_covers(on: Collection[tuple[int, ...]], primes: Sequence[Term]) -> list[list[Term]]:
    """The smallest sets of prime implicants covering every ``on`` configuration.

    Fewest terms first, then fewest literals; all covers tied on both are returned (the first
    is the reported solution, the others its alternatives).
    """
    on = set(on)
    if not on:
        return [[]]
    covered_by = [_minterms(p) & on for p in primes]
    essential = set()
    for config in on:
        hits = [i for i, covered in enumerate(covered_by) if config in covered]
        if len(hits) == 1:  # only one prime implicant covers it: it must be in every cover
            essential.add(hits[0])
    left = on - set().union(*(covered_by[i] for i in essential))
    optional = [i for i in range(len(primes)) if i not in essential and covered_by[i] & left]
    covers: list[list[int]] = []
    for size in range(len(optional) + 1):
        for extra in itertools.combinations(optional, size):
            if left <= set().union(set(), *(covered_by[i] for i in extra)):
                covers.append(sorted(essential | set(extra)))
        if covers:
            break

    def literals(cover: list[int]) -> int:
        return sum(t is not None for i in cover for t in primes[i])

    fewest = min(literals(c) for c in covers)
    return [[primes[i] for i in c] for c in covers if literals(c) == fewest]


def _term_sort_key(term: Term) -> tuple[int, ...]:
    # in the conditions' order: a term on the first condition first, present before absent
    return tuple(2 if t is None else 1 - t for t in term)


def _solution(
    kind: str,
    covers: list[list[Term]],
    data: pd.DataFrame,
    outcome: str,
    conditions: Sequence[str],
) -> Solution:
    ordered = [sorted(cover, key=_term_sort_key) for cover in covers]
    ordered.sort(key=lambda cover: [_term_sort_key(t) for t in cover])
    chosen = ordered[0]
    configs = [tuple(int(v) for v in row) for row in data[list(conditions)].to_numpy(dtype=int)]
    y = data[outcome].to_numpy(dtype=int) == 1
    memberships = [np.array([_covers(t, c) for c in configs], dtype=bool) for t in chosen]
    union = np.zeros(len(data), dtype=bool)
    for member in memberships:
        union |= member
    rows = []
    for term, member in zip(chosen, memberships, strict=True):
        others = np.zeros(len(data), dtype=bool)
        for other_term, other in zip(chosen, memberships, strict=True):
            if other_term != term:
                others |= other
        rows.append(
            {
                "term": format_term(term, conditions),
                "consistency": _ratio(int((member & y).sum()), int(member.sum())),
                "raw_coverage": _ratio(int((member & y).sum()), int(y.sum())),
                "unique_coverage": _ratio(int((member & ~others & y).sum()), int(y.sum())),
                "cases": ", ".join(map(str, data.index[member])),
            }
        )
    table = pd.DataFrame(
        rows, columns=["term", "consistency", "raw_coverage", "unique_coverage", "cases"]
    )
    return Solution(
        kind=kind,
        terms=[format_term(t, conditions) for t in chosen],
        consistency=_ratio(int((union & y).sum()), int(union.sum())),
        coverage=_ratio(int((union & y).sum()), int(y.sum())),
        term_table=table,
        alternatives=[[format_term(t, conditions) for t in cover] for cover in ordered[1:]],
    )


# ---------------------------------------------------------------------------------------------
# The whole analysis
# ---------------------------------------------------------------------------------------------


def crisp_set_qca(
    cases: pd.DataFrame,
    outcome: str,
    conditions: Sequence[str],
    calibration: Mapping[str, Rule] | None = None,
    *,
    cutoff: float = DEFAULT_CUTOFF,
    case_column: str | None = "team_id",
) -> QCAResult:
    """Crisp-set QCA of ``outcome`` on ``conditions`` over a case × attribute table.

    Args:
        cases: one row per case (team); columns hold team attributes and consensus ratings.
        outcome: the outcome column.
        conditions: the condition columns (at most :data:`MAX_CONDITIONS`).
        calibration: per column a rule that makes it crisp (see :func:`calibrate_column`),
            e.g. ``{"door_de_wijk": (">=", 2), "coalition_type": {"nieuw", "hybride"}}``;
            columns without a rule must already be 0/1 or boolean.
        cutoff: consistency cut-off for coding truth-table rows ``1`` (default 1.0: a row is
            ``1`` only when all its cases show the outcome; with 0.8, rows at ≥ .8 are ``1``,
            at ≤ .2 ``0``, and in between ``C``).
        case_column: the column naming the cases; ``None`` (or absent) uses the index.

    Returns:
        A :class:`QCAResult`.

    Raises:
        ValueError: more than :data:`MAX_CONDITIONS` conditions, no condition that varies, the
            outcome among the conditions, an unknown column or an unusable calibration rule.

    Warns:
        ConstantConditionWarning: for each condition that does not vary (it is dropped).
        DroppedCaseWarning: when cases with a missing value are left out.
    """
    conditions = list(dict.fromkeys(conditions))
    if len(conditions) > MAX_CONDITIONS:
        raise ValueError(
            f"crisp-set QCA here takes at most {MAX_CONDITIONS} conditions (2^{MAX_CONDITIONS} "
            f"configurations for a handful of teams); got {len(conditions)}: {conditions}"
        )
    if not conditions:
        raise ValueError("give at least one condition")
    if outcome in conditions:
        raise ValueError(f"the outcome {outcome!r} cannot also be a condition")
    _check_cutoff(cutoff)
    if case_column is not None and case_column in cases.columns:
        cases = cases.set_index(case_column)
    crisp = calibrate(cases, [*conditions, outcome], calibration)
    incomplete = crisp.isna().any(axis=1)
    dropped_cases = [str(c) for c in crisp.index[incomplete]]
    if dropped_cases:
        warnings.warn(
            f"cases left out for a missing value: {', '.join(dropped_cases)}",
            DroppedCaseWarning,
            stacklevel=2,
        )
    crisp = crisp[~incomplete].astype(int)
    constant = [c for c in conditions if crisp[c].nunique() <= 1]
    for condition in constant:
        value = crisp[condition].iloc[0] if len(crisp) else "no value"
        warnings.warn(
            f"condition {condition!r} does not vary across the cases (always {value}); "
            "it is dropped from the analysis",
            ConstantConditionWarning,
            stacklevel=2,
        )
    used = [c for c in conditions if c not in constant]
    if not used:
        raise ValueError(f"no condition varies across the cases (dropped: {constant})")

    table = truth_table(crisp, outcome, used, cutoff)
    configs = [tuple(int(v) for v in row) for row in table[used].to_numpy()]
    on = [c for c, out in zip(configs, table["out"], strict=True) if out == "1"]
    remainders = [c for c, out in zip(configs, table["out"], strict=True) if out == "?"]
    k = len(used)
    conservative = _solution(
        "conservative", minimal_covers(on, prime_implicants(on, [], k)), crisp, outcome, used
    )
    parsimonious = _solution(
        "parsimonious",
        minimal_covers(on, prime_implicants(on, remainders, k)),
        crisp,
        outcome,
        used,
    )
    return QCAResult(
        outcome=outcome,
        conditions=used,
        dropped_conditions=constant,
        dropped_cases=dropped_cases,
        cutoff=cutoff,
        data=crisp,
        truth_table=table,
        necessity=necessity(crisp, outcome, used),
        sufficiency=sufficiency(crisp, outcome, used),
        conservative=conservative,
        parsimonious=parsimonious,
    )
