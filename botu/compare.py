"""The teams' configurational comparison: a QCA over the teams with :mod:`botu.qca` (R's QCA
package's results, without R), on the study's own columns.

The cases are the teams; the sets are their consensus scores and attributes. A column is
calibrated by a stated rule (crisp: ``(">=", 2)``, or the values that count as 1, e.g.
``{"nieuw"}``); a rubric score without a rule is a fuzzy set, the scores 0–3 as memberships
0, .33, .67 and 1 (:data:`botu.qca.SCORE_MEMBERSHIP`). A team that misses a value is left out;
a condition that does not vary is dropped (both with a warning, and listed on the result).

Everything else is :mod:`botu.qca`: the truth table with R's coding (a row is ``1`` when its
inclusion reaches the cut-off, ``C`` between the two cut-offs, ``0`` below, ``?`` without
teams), the conservative, parsimonious and intermediate solutions with every equally short
model, necessity, and the robustness of the solutions over a range of cut-offs.
"""

from __future__ import annotations

import operator
import warnings
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from botu import qca

MAX_CONDITIONS = qca.MAX_CONDITIONS
DEFAULT_CUTOFF = 0.8
# the cut-offs the robustness table sets side by side
ROBUSTNESS_CUTOFFS = (0.75, 0.8, 0.85, 0.9, 1.0)

_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}

Rule = tuple[str, Any] | Callable[[Any], Any] | Collection[Any]


class ConstantConditionWarning(UserWarning):
    """A condition takes the same value in every case and was left out."""


class DroppedCaseWarning(UserWarning):
    """A case misses a value of a condition or the outcome and was left out."""


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


def memberships(
    cases: pd.DataFrame,
    columns: Sequence[str],
    rules: Mapping[str, Rule] | None = None,
    scored: Collection[str] = (),
) -> pd.DataFrame:
    """Set memberships (0–1, missing kept) of ``columns``: by the column's rule (crisp), as a
    fuzzy set of the rubric when the column is a score in ``scored`` without a rule, else the
    column must already be crisp.

    Raises:
        ValueError: as :func:`calibrate`, or a score off the rubric.
    """
    rules = dict(rules or {})
    fuzzy = [c for c in columns if c in scored and c not in rules]
    crisp = calibrate(cases, [c for c in columns if c not in fuzzy], rules)
    out = pd.DataFrame(index=cases.index)
    for column in columns:
        if column in fuzzy:
            try:
                out[column] = qca.calibrate_scores(cases[column])
            except qca.QCAError as exc:
                raise ValueError(str(exc)) from None
        else:
            out[column] = crisp[column].astype("Float64").astype(float)
    return out


@dataclass
class TeamQCA:
    """A QCA of one outcome over the teams.

    Attributes:
        outcome, conditions: the sets analysed (constant conditions removed), in order.
        dropped_conditions: conditions removed because they do not vary across the teams.
        dropped_cases: teams left out for a missing value.
        fuzzy: the columns taken as fuzzy sets (rubric scores without a rule).
        cutoff: the inclusion cut-off for a positive row.
        data: team × set memberships.
        analysis: :class:`botu.qca.Analysis`: truth table, solutions, necessity.
        robustness: the solutions under :data:`ROBUSTNESS_CUTOFFS`.
    """

    outcome: str
    conditions: list[str]
    dropped_conditions: list[str]
    dropped_cases: list[str]
    fuzzy: list[str]
    cutoff: float
    data: pd.DataFrame
    analysis: qca.Analysis
    robustness: pd.DataFrame

    @property
    def solutions(self) -> list[qca.Solution]:
        a = self.analysis
        return [a.conservative, a.parsimonious, a.intermediate]

    @property
    def truth_table(self) -> pd.DataFrame:
        """One row per configuration (remainders too): the conditions' values, ``out``,
        ``n``, inclusion, PRI and the teams in it."""
        rows = []
        for row in self.analysis.table.rows:
            values = dict(zip(self.conditions, (int(v) for v in row.config), strict=True))
            rows.append(
                {
                    **values,
                    "out": row.out,
                    "n": row.n,
                    "incl": row.incl,
                    "pri": row.pri,
                    "cases": ", ".join(row.cases),
                }
            )
        return pd.DataFrame(rows)

    @property
    def contradictions(self) -> pd.DataFrame:
        table = self.truth_table
        return table[table["out"] == "C"]

    @property
    def necessity(self) -> pd.DataFrame:
        """Each condition and its negation, then the necessary disjunctions (incl ≥ .9)."""
        disjunctions = [n for n in self.analysis.supersets if qca.OR in n.condition]
        found = [*self.analysis.necessity, *disjunctions]
        return pd.DataFrame(
            [{"condition": n.condition, "incl": n.incl, "ron": n.ron, "cov": n.cov} for n in found]
        )

    @property
    def models(self) -> pd.DataFrame:
        """Every model of every solution, term by term: inclusion, PRI, raw and unique
        coverage and the teams with the outcome it covers."""
        rows = []
        for solution in self.solutions:
            for number, model in enumerate(solution.models, start=1):
                for fit in model.fit:
                    rows.append(
                        {
                            "solution": solution.kind,
                            "model": f"M{number}",
                            "term": fit.term,
                            "incl": fit.incl,
                            "pri": fit.pri,
                            "cov": fit.cov,
                            "cov_unique": fit.cov_unique,
                            "cases": ", ".join(fit.cases),
                        }
                    )
        return pd.DataFrame(rows)


def team_qca(
    cases: pd.DataFrame,
    outcome: str,
    conditions: Sequence[str],
    calibration: Mapping[str, Rule] | None = None,
    *,
    scored: Collection[str] = (),
    cutoff: float = DEFAULT_CUTOFF,
    directional: Mapping[str, Any] | None = None,
    case_column: str | None = "team_id",
) -> TeamQCA:
    """QCA of ``outcome`` on ``conditions`` over a team × attribute table.

    Args:
        cases: one row per team; columns hold team attributes and consensus scores.
        calibration: per column a crisp rule (see :func:`calibrate_column`).
        scored: the columns that are rubric scores: fuzzy sets when they have no rule.
        cutoff: inclusion cut-off for a positive truth-table row (R's ``incl.cut``).
        directional: expectations for the intermediate solution (default: every condition
            contributes when present).
        case_column: the column naming the teams; ``None`` (or absent) uses the index.

    Raises:
        ValueError: too many or no varying conditions, the outcome among them, an unknown
            column or an unusable calibration rule.

    Warns:
        ConstantConditionWarning, DroppedCaseWarning.
    """
    conditions = list(dict.fromkeys(conditions))
    if len(conditions) > MAX_CONDITIONS:
        raise ValueError(f"at most {MAX_CONDITIONS} conditions; got {len(conditions)}")
    if not conditions:
        raise ValueError("give at least one condition")
    if outcome in conditions:
        raise ValueError(f"the outcome {outcome!r} cannot also be a condition")
    if not 0 < cutoff <= 1:
        raise ValueError(f"cutoff must be above 0 and at most 1, not {cutoff}")
    if case_column is not None and case_column in cases.columns:
        cases = cases.set_index(case_column)
    sets = memberships(cases, [*conditions, outcome], calibration, scored)
    incomplete = sets.isna().any(axis=1)
    dropped_cases = [str(c) for c in sets.index[incomplete]]
    if dropped_cases:
        warnings.warn(
            f"cases left out for a missing value: {', '.join(dropped_cases)}",
            DroppedCaseWarning,
            stacklevel=2,
        )
    sets = sets[~incomplete]
    constant = [c for c in conditions if sets[c].nunique() <= 1]
    for condition in constant:
        warnings.warn(
            f"condition {condition!r} does not vary across the cases; it is dropped",
            ConstantConditionWarning,
            stacklevel=2,
        )
    used = [c for c in conditions if c not in constant]
    if not used:
        raise ValueError(f"no condition varies across the cases (dropped: {constant})")
    fuzzy = [c for c in [*used, outcome] if c in scored and c not in (calibration or {})]
    try:
        analysis = qca.analyse(sets, outcome, used, incl_cut=cutoff, directional=directional)
        robustness = qca.robustness(
            sets, outcome, used, ROBUSTNESS_CUTOFFS, directional=directional
        )
    except qca.QCAError as exc:
        raise ValueError(str(exc)) from None
    return TeamQCA(
        outcome, used, constant, dropped_cases, fuzzy, cutoff, sets, analysis, robustness
    )
