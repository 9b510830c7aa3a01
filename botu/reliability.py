"""Intercoder reliability: agreement, Cohen's and Fleiss' κ, Krippendorff's α, bootstrap intervals.

The coefficients take a *reliability matrix*: coders × units, one value per cell, ``NaN`` where a
coder did not code a unit. A unit with fewer than two values is *unpairable*: it carries no
information about agreement and is ignored by every coefficient here.

The table functions apply them to a :class:`~botu.dataset.Dataset`:

- segment codings (:func:`segment_reliability`): each code as presence/absence per segment, on the
  *overlap sample* (segments coded by at least two coders; a coder who coded a segment but did not
  apply the code counts as "absent"), then per code family (presence of any code of the top-level
  factor) and pooled (every code × segment unit of the codes in play, see below);
- the same at document level (:func:`document_reliability`) and per team
  (:func:`team_reliability`);
- team ratings (:func:`rating_reliability`): ordinal α and weighted κ between the raters, the
  consensus rater ``CONS`` excluded, ``NA`` a missing value;
- the segments behind the disagreements (:func:`disagreements`), for a team to discuss.

When a coefficient is undefined (nothing to pair, or every pairable value the same, so chance
disagreement is zero) it is ``NaN`` and the table's ``note`` says why; nothing divides by zero.

References:
    Krippendorff, K. (2011). *Computing Krippendorff's alpha-reliability*. Annenberg School for
    Communication, University of Pennsylvania. Krippendorff, K. (2004). *Content analysis: an
    introduction to its methodology* (2nd ed.), ch. 11. Cohen, J. (1960), Educational and
    Psychological Measurement 20, 37–46; Cohen, J. (1968), Psychological Bulletin 70, 213–220.
    Fleiss, J. L. (1971), Psychological Bulletin 76, 378–382. Landis, J. R. & Koch, G. G. (1977),
    Biometrics 33, 159–174.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import krippendorff
import numpy as np
import pandas as pd

from botu import i18n
from botu.codebook import Codebook
from botu.dataset import Dataset
from botu.schema import CONSENSUS_RATER

LEVELS = ("nominal", "ordinal", "interval", "ratio")
KAPPA_WEIGHTS = (None, "linear", "quadratic")
LANGUAGES = ("nl", "en")

DEFAULT_N_BOOT = 1000
DEFAULT_SEED = 2028
DEFAULT_CONFIDENCE = 0.95
MIN_DEFINED_SHARE = 0.9  # below this share of defined bootstrap draws, the note says so

ALPHA_RELIABLE = 0.800  # Krippendorff (2004): rely on the data
ALPHA_TENTATIVE = 0.667  # Krippendorff (2004): tentative conclusions only

NOTE_NO_PAIRS = "undefined: no pairable units"
NOTE_NO_VARIATION = "undefined: no variation"

_ALPHA_BANDS = {lang: words["alpha_bands"] for lang, words in i18n.section("reliability").items()}
# Landis & Koch (1977): upper bound of each band (none: no bound), and its name.
_KAPPA_BANDS = {
    lang: [(np.inf if upper is None else upper, name) for upper, name in words["kappa_bands"]]
    for lang, words in i18n.section("reliability").items()
}

RELIABILITY_COLUMNS = [
    "n_units",
    "n_coders",
    "percent_agreement",
    "kappa",
    "kappa_ci_low",
    "kappa_ci_high",
    "kappa_interpretation",
    "fleiss_kappa",
    "alpha",
    "alpha_ci_low",
    "alpha_ci_high",
    "interpretation",
    "note",
]

# ---------------------------------------------------------------------------------------------
# The coefficients
# ---------------------------------------------------------------------------------------------


def _check_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")


# text a coder's cell holds when there is no value: read as missing, never as a category
MISSING_MARKERS = frozenset({"", "na", "n/a", "nan", "none", "null", "-", "–", "."})
CODERS_BY_UNITS, UNITS_BY_CODERS = "coders x units", "units x coders"
LAYOUTS = (CODERS_BY_UNITS, UNITS_BY_CODERS)
# a "coders × units" matrix this much taller than wide is most likely units × coders
_LIKELY_SWAPPED_ROWS = 10


def is_missing_value(value: object) -> bool:
    """``None``, ``NaN``, ``pd.NA`` or a text marker of :data:`MISSING_MARKERS`."""
    if isinstance(value, str):
        return value.strip().casefold() in MISSING_MARKERS
    return bool(pd.isna(value))


_missing_cells = np.frompyfunc(is_missing_value, 1, 1)


def _is_missing(values: np.ndarray) -> np.ndarray:
    """Per cell of an object array: :func:`is_missing_value`."""
    return _missing_cells(values).astype(bool)


def as_matrix(matrix: Any, *, numeric: bool = False, layout: str | None = None) -> np.ndarray:
    """A coders × units reliability matrix as a float array, missing values as ``NaN``.

    Accepts a nested list, a NumPy array or a DataFrame. ``None``, ``pd.NA``, ``NaN`` and the
    text markers of :data:`MISSING_MARKERS` (``""``, ``"NA"``, ``"nan"``, …) are missing.
    Non-numeric values (nominal categories such as ``"fonds"``) are replaced by integer codes,
    unless ``numeric`` is set.

    Args:
        layout: ``"coders x units"`` (rows are coders) or ``"units x coders"`` (rows are
            units, as a spreadsheet of codings usually has them). Left out, rows are coders,
            and a matrix with many more rows than columns is refused as a likely mix-up.

    Raises:
        ValueError: the matrix is not two-dimensional, not numeric when it must be, or
            (layout left out) looks like units × coders.
    """
    if layout is not None and layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(map(repr, LAYOUTS))}, not {layout!r}")
    try:
        plain = np.asarray(matrix)
    except ValueError:
        raise ValueError("every coder's row of a reliability matrix needs every unit") from None
    if plain.ndim == 2 and layout == "units x coders":
        plain = plain.T
        matrix = plain
    if plain.ndim == 2 and layout is None:
        rows, columns = plain.shape
        if rows >= _LIKELY_SWAPPED_ROWS and rows > 2 * columns:
            raise ValueError(
                f"this matrix has {rows} rows and {columns} columns: {rows} coders of "
                f"{columns} units, or {rows} units coded by {columns} coders? Say which with "
                "layout='coders x units' or layout='units x coders'"
            )
    if plain.ndim == 2 and plain.dtype.kind in "fiub":  # fast path: already numeric
        return plain.astype(float, copy=False)
    values = np.asarray(matrix, dtype=object)
    if values.ndim != 2:
        raise ValueError(
            f"a reliability matrix is coders × units (2 dimensions), got {values.ndim}"
        )
    missing = _is_missing(values)
    try:
        return np.where(missing, np.nan, values).astype(float)
    except (TypeError, ValueError):
        if numeric:
            raise ValueError(
                "this coefficient needs numeric values (or ordered categories as numbers)"
            ) from None
    codes, _ = pd.factorize(values[~missing])
    out = np.full(values.shape, np.nan)
    out[~missing] = codes
    return out


def _pairable(matrix: np.ndarray) -> np.ndarray:
    """Boolean per unit: at least two coders gave it a value."""
    return (~np.isnan(matrix)).sum(axis=0) >= 2


def undefined_note(matrix: Any, *, layout: str | None = None) -> str:
    """Why agreement coefficients are undefined on ``matrix``, or ``""`` when they are not.

    Returns:
        :data:`NOTE_NO_PAIRS` when no unit has two values, :data:`NOTE_NO_VARIATION` when every
        pairable value is the same (chance disagreement is zero, so α and κ are 0/0).
    """
    m = as_matrix(matrix, layout=layout)
    paired = m[:, _pairable(m)]
    if paired.size == 0 or np.isnan(paired).all():
        return NOTE_NO_PAIRS
    if np.nanmin(paired) == np.nanmax(paired):
        return NOTE_NO_VARIATION
    return ""


def percent_agreement(matrix: Any, *, layout: str | None = None) -> float:
    """Share of agreeing coder pairs, averaged over the pairable units.

    With two coders this is the share of units on which they agree. With more, each unit counts
    once, as the share of its coder pairs that agree (missing values left out).

    Args:
        matrix: coders × units, ``NaN`` for missing.
        layout: see :func:`as_matrix`.

    Returns:
        A number in [0, 1], or ``NaN`` when no unit has two values.
    """
    m = as_matrix(matrix, layout=layout)
    m = m[:, _pairable(m)]
    if m.shape[1] == 0:
        return float("nan")
    present = ~np.isnan(m)
    values = np.unique(m[present])
    position = np.searchsorted(values, np.where(present, m, values[0]))
    same = sum(
        (c * (c - 1)).astype(float)
        for c in (((position == v) & present).sum(axis=0) for v in range(values.size))
    )
    n = present.sum(axis=0).astype(float)
    return float(np.mean(same / (n * (n - 1))))


def cohen_kappa(
    a: Sequence[Any] | np.ndarray | pd.Series,
    b: Sequence[Any] | np.ndarray | pd.Series,
    weights: str | None = None,
    *,
    categories: Sequence[Any] | None = None,
) -> float:
    """Cohen's κ for two coders, unweighted or with linear or quadratic weights.

    κ = 1 − Σ w·o / Σ w·e, with o the observed and e the chance-expected (product of the
    marginals) proportions of the k × k agreement table and w the disagreement weights: 1 off the
    diagonal (unweighted, Cohen 1960; equal to (p_o − p_e) / (1 − p_e)), |i − j| (linear) or
    (i − j)² (quadratic, Cohen 1968), i and j the positions of the categories in ``categories``.
    Formulas as in Fleiss, Levin & Paik (2003), *Statistical methods for rates and proportions*,
    ch. 18.

    Args:
        a: the first coder's value per unit (missing: ``NaN``/``None``/``pd.NA``).
        b: the second coder's value per unit, same units in the same order.
        weights: ``None``, ``"linear"`` or ``"quadratic"``.
        categories: the ordered categories (default: the sorted values observed). Pass the full
            scale when weighting and a category may be unused: weights follow the positions here.

    Returns:
        κ, or ``NaN`` when undefined (no unit coded by both, or both coders used one and the same
        category throughout).

    Raises:
        ValueError: unknown weights, lengths differ, or a value is not among ``categories``.
    """
    if weights not in KAPPA_WEIGHTS:
        raise ValueError(f"weights must be None, 'linear' or 'quadratic', not {weights!r}")
    pair, cats = _coded_pair(a, b, weights, categories)
    pair = pair[:, ~np.isnan(pair).any(axis=0)]
    if pair.shape[1] == 0:
        return float("nan")
    if cats is None:
        cats = np.unique(pair)
    hits = pair[:, :, np.newaxis] == cats[np.newaxis, np.newaxis, :]
    if not hits.any(axis=2).all():
        unknown = sorted(set(pair[~hits.any(axis=2)].tolist()))
        raise ValueError(f"values {unknown} are not among the categories {cats.tolist()}")
    position = hits.argmax(axis=2)
    k = cats.size
    table = np.bincount(position[0] * k + position[1], minlength=k * k).reshape(k, k)
    return cohen_kappa_table(table, weights)


def cohen_kappa_table(table: Any, weights: str | None = None) -> float:
    """Cohen's κ from a k × k agreement table: rows the first coder's categories, columns the
    second's, in the same order (the order the weights follow).

    Raises:
        ValueError: the table is not square, holds a negative or non-whole count, or the
            weights are unknown.
    """
    if weights not in KAPPA_WEIGHTS:
        raise ValueError(f"weights must be None, 'linear' or 'quadratic', not {weights!r}")
    table = np.asarray(table, dtype=float)
    if table.ndim != 2 or table.shape[0] != table.shape[1]:
        raise ValueError(f"an agreement table is k × k, got the shape {table.shape}")
    if (table < 0).any() or not np.allclose(table, np.round(table)):
        raise ValueError("an agreement table holds counts: whole numbers, 0 or more")
    if table.sum() == 0:
        return float("nan")
    k = table.shape[0]
    observed = table / table.sum()
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0))
    i, j = np.indices((k, k))
    if weights is None:
        w = (i != j).astype(float)
    elif weights == "linear":
        w = np.abs(i - j).astype(float)
    else:
        w = ((i - j) ** 2).astype(float)
    chance = (w * expected).sum()
    if np.isclose(chance, 0.0):
        return float("nan")
    return float(1.0 - (w * observed).sum() / chance)


def _coded_pair(
    a: Any, b: Any, weights: str | None, categories: Sequence[Any] | None
) -> tuple[np.ndarray, np.ndarray | None]:
    """Two coders' values as a 2 × units float array, and the categories as numbers.

    Text values are replaced by their position in ``categories`` (or, unweighted, in their
    sorted order), so the weights follow the order the caller gives.
    """
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.dtype.kind == "f":
        if a.shape != b.shape:
            raise ValueError(f"a and b must code the same units ({a.size} ≠ {b.size})")
        pair = np.vstack([a, b]).astype(float, copy=False)  # fast path (bootstrap draws)
        return pair, None if categories is None else np.asarray(categories, dtype=float)
    a_list, b_list = list(a), list(b)
    if len(a_list) != len(b_list):
        raise ValueError(f"a and b must code the same units ({len(a_list)} ≠ {len(b_list)})")
    try:
        pair = as_matrix([a_list, b_list], numeric=True).reshape(2, len(a_list))
        cats = None if categories is None else np.asarray(list(categories), dtype=float)
        return pair, cats
    except (TypeError, ValueError):
        pass  # text categories
    seen = {v for v in a_list + b_list if not is_missing_value(v)}
    if categories is None:
        if weights is not None:
            raise ValueError("weighted κ of text values needs the ordered categories") from None
        categories = sorted(seen, key=str)
    position = {value: float(i) for i, value in enumerate(categories)}
    unknown = seen - set(position)
    if unknown:
        raise ValueError(f"values {sorted(map(str, unknown))} are not among the categories")
    pair = np.array(
        [
            [np.nan if is_missing_value(v) else position[v] for v in values]
            for values in (a_list, b_list)
        ],
        dtype=float,
    ).reshape(2, len(a_list))
    return pair, np.arange(len(categories), dtype=float)


def category_counts(
    matrix: Any, categories: Sequence[Any] | None = None, *, layout: str | None = None
) -> pd.DataFrame:
    """Units × categories: how many coders gave each unit each value (Fleiss' input).

    Args:
        matrix: coders × units, ``NaN`` for missing.
        categories: the categories to count (default: the sorted values observed).
    """
    m = as_matrix(matrix, layout=layout)
    if categories is None:
        categories = list(np.unique(m[~np.isnan(m)]))
    counts = np.stack([(m == value).sum(axis=0) for value in categories], axis=1)
    return pd.DataFrame(counts, columns=list(categories))


def fleiss_kappa(counts: Any, *, unit_weights: Any = None) -> float:
    """Fleiss' κ for a fixed number of raters per unit.

    κ = (P̄ − P̄_e) / (1 − P̄_e), with P_i = (Σ_j n_ij² − n) / (n (n − 1)) the agreement on unit i,
    P̄ their mean, p_j = Σ_i n_ij / (N n) the share of category j and P̄_e = Σ_j p_j²
    (Fleiss 1971, eqs. 2–9).

    Args:
        counts: units × categories, how many of the n raters put each unit in each category
            (see :func:`category_counts`). Every row sums to the same n ≥ 2.

        unit_weights: how many units each row stands for (default: one each), so equal rows
            can be given once.

    Returns:
        κ, or ``NaN`` when undefined (no units, or every rating in one category).

    Raises:
        ValueError: the rows do not all sum to the same number of raters, or to fewer than 2.
    """
    n_ij = np.asarray(counts, dtype=float)
    if n_ij.ndim != 2:
        raise ValueError("counts must be a units × categories table")
    if n_ij.shape[0] == 0:
        return float("nan")
    raters = n_ij.sum(axis=1)
    if not np.all(raters == raters[0]):
        raise ValueError(
            "Fleiss' κ needs the same number of raters for every unit; "
            f"found {sorted(set(raters.astype(int).tolist()))}"
        )
    n = raters[0]
    if n < 2:
        raise ValueError("Fleiss' κ needs at least 2 raters per unit")
    w = np.ones(n_ij.shape[0]) if unit_weights is None else np.asarray(unit_weights, float)
    p_i = ((n_ij**2).sum(axis=1) - n) / (n * (n - 1))
    p_j = (w @ n_ij) / (w @ n_ij).sum()
    p_bar, p_e = (w @ p_i) / w.sum(), (p_j**2).sum()
    if np.isclose(p_e, 1.0):
        return float("nan")
    return float((p_bar - p_e) / (1 - p_e))


def krippendorff_alpha(
    matrix: Any,
    level: str = "nominal",
    *,
    value_domain: Sequence[Any] | None = None,
    layout: str | None = None,
) -> float:
    """Krippendorff's α for any number of coders, with missing values.

    Computed by the ``krippendorff`` package (coincidence matrix, Krippendorff 2011). Unpairable
    units (one value) add nothing.

    Args:
        matrix: coders × units, ``NaN`` for missing. Non-numeric values are allowed at nominal
            level only.
        level: ``"nominal"``, ``"ordinal"``, ``"interval"`` or ``"ratio"``.
        value_domain: the ordered possible values (default: those observed). Only ordinal α can
            depend on it, and only through categories between used ones; unused ones change
            nothing.
        layout: see :func:`as_matrix`.

    Returns:
        α, or ``NaN`` when undefined (see :func:`undefined_note` for the reason).

    Raises:
        ValueError: unknown level, a value outside ``value_domain``, a negative value at ratio
            level, or a matrix that looks like units × coders (see :func:`as_matrix`).
    """
    _check_level(level)
    m = as_matrix(matrix, numeric=level != "nominal", layout=layout)
    if level == "ratio" and (m[~np.isnan(m)] < 0).any():
        raise ValueError("ratio α needs values of 0 or more (a ratio scale has a true zero)")
    if undefined_note(m, layout=CODERS_BY_UNITS):
        return float("nan")
    domain = None if value_domain is None else np.asarray(value_domain, dtype=float)
    try:
        with np.errstate(divide="ignore", invalid="ignore"):
            value = krippendorff.alpha(
                reliability_data=m, level_of_measurement=level, value_domain=domain
            )
    except ValueError as exc:
        # the package's own refusals of undefined cases; anything else is a real error
        if "more than one value" in str(exc) or "at least one unit" in str(exc):
            return float("nan")
        raise
    return float(value) if np.isfinite(value) else float("nan")


class _Patterns:
    """The distinct columns (units) of a coders × units matrix, with how often each occurs.

    Every coefficient here depends on a matrix only through its columns' multiset, and coded
    material repeats few distinct columns (two coders' presence/absence: at most nine), so the
    tables compute on the patterns, at a cost linear in the units. Units are keyed by an
    integer: each coder's value position (0 for missing) as a digit.

    Attributes:
        columns: coders × patterns, the distinct columns in key order.
        counts: units per pattern.
        of_unit: the pattern of each unit.
        first: the first unit of each pattern.
    """

    def __init__(self, matrix: np.ndarray) -> None:
        n_coders, n_units = matrix.shape
        present = ~np.isnan(matrix)
        values = np.unique(matrix[present])
        base = values.size + 1
        if n_units == 0:
            keys = np.zeros(0, dtype=np.int64)
        elif n_coders * np.log2(base) < 62:
            digits = np.where(present, np.searchsorted(values, np.where(present, matrix, 0)) + 1, 0)
            keys = (digits * (base ** np.arange(n_coders, dtype=np.int64))[:, None]).sum(axis=0)
        else:  # too many coders for one integer: the columns' bytes, sorted
            keys = _row_keys(matrix.T)
        self.first, self.of_unit, self.counts = _tally(keys)
        self.columns = matrix[:, self.first]

    @classmethod
    def of_presence(cls, coded: np.ndarray, applied: np.ndarray) -> _Patterns:
        """The patterns of presence data without the float matrix: ``coded`` and ``applied``
        (coders × units, booleans) give 1 where applied, 0 where coded without, ``NaN`` where
        not coded. The patterns come in the order :class:`_Patterns` gives the float matrix."""
        digits = coded.astype(np.int64) * (1 + applied)  # 0 missing, 1 absent, 2 present
        keys = (digits * (3 ** np.arange(len(coded), dtype=np.int64))[:, None]).sum(axis=0)
        out = object.__new__(cls)
        out.first, out.of_unit, out.counts = _tally(keys)
        first = digits[:, out.first]
        out.columns = np.where(first == 0, np.nan, first - 1.0)
        return out

    def pairable(self) -> tuple[_Patterns, int]:
        """The patterns of the units with at least two values (their coders only: a coder
        with no value there is left out), and how many units had one value only."""
        values = (~np.isnan(self.columns)).sum(axis=0)
        keep = values >= 2
        out = object.__new__(type(self))
        columns = self.columns[:, keep]
        out.columns = columns[~np.isnan(columns).all(axis=1)]
        out.counts, out.first = self.counts[keep], self.first[keep]
        rank = np.full(keep.size, -1, dtype=np.int64)
        rank[keep] = np.arange(int(keep.sum()))
        out.of_unit = rank[self.of_unit] if self.of_unit.size else self.of_unit
        return out, int(self.counts[values == 1].sum())

    def matrix(self) -> np.ndarray:
        """The coders × units matrix itself (of the units kept), in the units' order."""
        return self.columns[:, self.of_unit[self.of_unit >= 0]]


def _row_keys(rows: np.ndarray) -> np.ndarray:
    """An integer per row, equal for equal rows, in the order of the rows' bytes."""
    rows = np.ascontiguousarray(rows).reshape(len(rows), -1)
    view = rows.view(np.dtype((np.void, rows.dtype.itemsize * rows.shape[1]))).ravel()
    return np.unique(view, return_inverse=True)[1].astype(np.int64)


def _tally(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For integer keys: (first item of each distinct key, each item's key rank, counts), the
    distinct keys in ascending order; linear in the items when the keys are small."""
    if keys.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    if keys.max() < 4 * keys.size + (1 << 16):
        counts = np.bincount(keys)
        distinct = np.flatnonzero(counts)
        rank = np.zeros(counts.size, dtype=np.int64)
        rank[distinct] = np.arange(distinct.size)
        first = np.zeros(counts.size, dtype=np.int64)
        first[keys[::-1]] = np.arange(keys.size - 1, -1, -1)  # the last write is the first item
        return first[distinct], rank[keys], counts[distinct]
    _, first, rank, counts = np.unique(
        keys, return_index=True, return_inverse=True, return_counts=True
    )
    return first, rank, counts


def _resample(counts: np.ndarray, n_boot: int, seed: int | None) -> np.ndarray:
    """Bootstrap draws of items (units or clusters) with replacement, told by how many of each
    kind of item each draw took (n_boot × kinds); ``counts`` holds the items of each kind.

    Items of one kind are interchangeable, so the multinomial counts over the kinds (from a
    seeded ``numpy.random.default_rng``) have the same distribution as drawing item by item,
    at a cost of draws × kinds instead of draws × items.
    """
    rng = np.random.default_rng(seed)
    total = int(counts.sum())
    return rng.multinomial(total, counts / total, size=n_boot)


def _bootstrap_draws(
    statistic: Callable[[np.ndarray], float],
    matrix: Any,
    n_boot: int,
    seed: int | None,
) -> np.ndarray:
    """``statistic`` on each bootstrap draw of the pairable units (the plain way: one
    resampled matrix per draw), drawn as :func:`alpha_draws_of` and :func:`kappa_draws_of`
    draw them (:class:`_Patterns`, :func:`_resample`)."""
    m = as_matrix(matrix, layout=CODERS_BY_UNITS)
    m = m[:, _pairable(m)]
    if m.shape[1] == 0 or n_boot <= 0:
        return np.array([])
    patterns = _Patterns(m)
    draws = _resample(patterns.counts, n_boot, seed)
    return np.array(
        [statistic(m[:, np.repeat(patterns.first, draw)]) for draw in draws], dtype=float
    )


def _draw_totals(
    contribution: Callable[[np.ndarray], np.ndarray],
    patterns: _Patterns,
    n_boot: int,
    seed: int | None,
    clusters: Any = None,
) -> np.ndarray:
    """Σ of the drawn units' contributions in every bootstrap draw (n_boot × d).

    ``contribution`` maps coders × units to units × d (what each unit adds, e.g. its
    coincidences); it is computed once per distinct column (:class:`_Patterns`). Without
    ``clusters`` units are drawn: the draws of :func:`_bootstrap_draws`. With ``clusters``
    (a label per unit, e.g. the segment of each code × segment cell) whole clusters are drawn,
    every unit of a drawn cluster coming along: the cluster bootstrap for correlated units,
    clusters of equal summed contributions being interchangeable.
    """
    per_pattern = contribution(patterns.columns)
    if clusters is None:
        return _resample(patterns.counts, n_boot, seed) @ per_pattern
    kept = patterns.of_unit >= 0
    clusters = np.asarray(clusters)[kept]
    if clusters.dtype.kind in "iu":
        _, of_unit, _ = _tally(clusters.astype(np.int64))
    else:
        of_unit = pd.factorize(clusters, sort=False)[0]
    n_clusters, n_patterns = int(of_unit.max(initial=-1)) + 1, len(patterns.counts)
    cells = np.bincount(
        of_unit * n_patterns + patterns.of_unit[kept], minlength=n_clusters * n_patterns
    ).reshape(n_clusters, n_patterns)
    sums = cells @ per_pattern  # per cluster
    first, _, counts = _tally(_row_keys(sums))
    return _resample(counts, n_boot, seed) @ sums[first]


def _coincidences(matrix: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Each unit's coincidences (units × k²): pairs of values c, k / (m_u − 1) (Krippendorff
    2011), ``values`` the k sorted values."""
    k = values.size
    present = ~np.isnan(matrix)
    position = np.searchsorted(values, np.where(present, matrix, values[0]))
    counts = np.stack([((position == v) & present).sum(axis=0) for v in range(k)], axis=1)
    counts = counts.astype(float)
    per_unit = counts[:, :, None] * counts[:, None, :]
    diagonal = np.arange(k)
    per_unit[:, diagonal, diagonal] -= counts
    per_unit /= (counts.sum(axis=1) - 1.0)[:, None, None]
    return per_unit.reshape(len(counts), k * k)


def alpha_draws_of(
    matrix: Any,
    level: str,
    n_boot: int,
    seed: int | None,
    value_domain: Sequence[Any] | None = None,
    clusters: Sequence[Any] | None = None,
) -> np.ndarray:
    """Krippendorff's α on every bootstrap draw at once, from per-unit coincidences.

    A draw's coincidence matrix is the sum of its units' coincidence matrices, so all draws
    are one matrix product (Krippendorff 2011: o_ck = Σ_u pairs(c, k in u) / (m_u − 1);
    α = 1 − (n − 1) Σ o_ck δ²_ck / Σ n_c n_k δ²_ck, with the ordinal δ² from each draw's own
    marginals). Gives the same values as :func:`krippendorff_alpha` on each resampled matrix
    (tested), at a cost that grows with the distinct units, not with draws × units.
    """
    _check_level(level)
    m = as_matrix(matrix, numeric=level != "nominal", layout=CODERS_BY_UNITS)
    keep = _pairable(m)
    m = m[:, keep]
    clusters = None if clusters is None else np.asarray(clusters)[keep]
    if m.shape[1] == 0 or n_boot <= 0:
        return np.array([])
    return _alpha_draws(_Patterns(m), level, n_boot, seed, value_domain, clusters)


def _alpha_draws(
    patterns: _Patterns,
    level: str,
    n_boot: int,
    seed: int | None,
    value_domain: Sequence[Any] | None = None,
    clusters: Any = None,
) -> np.ndarray:
    """:func:`alpha_draws_of` of the pairable matrix ``patterns`` summarises."""
    columns = patterns.columns
    observed = np.unique(columns[~np.isnan(columns)])
    values = observed if value_domain is None else np.asarray(value_domain, dtype=float)
    k = values.size
    coincidence = _draw_totals(lambda x: _coincidences(x, values), patterns, n_boot, seed, clusters)
    return _alpha_of(coincidence.reshape(n_boot, k, k), level, values)


def _alpha_of(coincidence: np.ndarray, level: str, values: np.ndarray) -> np.ndarray:
    """α per coincidence matrix (draws × k × k, ``values`` the k sorted values); ``NaN``
    where there is no variation."""
    n_c = coincidence.sum(axis=2)
    n = n_c.sum(axis=1)
    delta = _delta_squared(level, values, n_c)
    disagreement = (coincidence * delta).sum(axis=(1, 2))
    expected = (n_c[:, :, None] * n_c[:, None, :] * delta).sum(axis=(1, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = 1.0 - (n - 1.0) * disagreement / expected
    alpha[~(expected > 1e-12)] = np.nan  # no variation in the draw: undefined
    return alpha


def _pattern_alpha(patterns: _Patterns, level: str, value_domain: Sequence[Any] | None) -> float:
    """Krippendorff's α of the matrix ``patterns`` summarises: its distinct columns'
    coincidences weighted by their counts (the same formula as :func:`alpha_draws_of`; equal
    to :func:`krippendorff_alpha`, which the ``krippendorff`` package computes: tested)."""
    columns = patterns.columns
    observed = np.unique(columns[~np.isnan(columns)])
    if level == "ratio" and (observed < 0).any():
        raise ValueError("ratio α needs values of 0 or more (a ratio scale has a true zero)")
    if undefined_note(columns, layout=CODERS_BY_UNITS):
        return float("nan")
    values = observed if value_domain is None else np.asarray(value_domain, dtype=float)
    outside = np.setdiff1d(observed, values)
    if outside.size:
        raise ValueError(f"values {outside.tolist()} are not in the value domain")
    k = values.size
    coincidence = patterns.counts @ _coincidences(columns, values)
    return float(_alpha_of(coincidence.reshape(1, k, k), level, values)[0])


def _pattern_agreement(patterns: _Patterns) -> float:
    """:func:`percent_agreement` of the matrix ``patterns`` summarises."""
    columns, counts = patterns.columns, patterns.counts
    if counts.size == 0:
        return float("nan")
    present = ~np.isnan(columns)
    values = np.unique(columns[present])
    position = np.searchsorted(values, np.where(present, columns, values[0]))
    same = sum(
        (c * (c - 1)).astype(float)
        for c in (((position == v) & present).sum(axis=0) for v in range(values.size))
    )
    n = present.sum(axis=0).astype(float)
    return float((counts * (same / (n * (n - 1)))).sum() / counts.sum())


def _pattern_kappa(
    patterns: _Patterns, weights: str | None, categories: Sequence[Any] | None
) -> float:
    """:func:`cohen_kappa` of the two coders' matrix ``patterns`` summarises."""
    columns, counts = patterns.columns, patterns.counts
    both = ~np.isnan(columns).any(axis=0)
    columns, counts = columns[:, both], counts[both]
    if counts.size == 0:
        return float("nan")
    cats = np.unique(columns) if categories is None else np.asarray(categories, dtype=float)
    outside = np.setdiff1d(columns, cats)
    if outside.size:
        raise ValueError(f"values {outside.tolist()} are not among the categories {cats.tolist()}")
    k = cats.size
    position = np.searchsorted(cats, columns)
    table = np.bincount(position[0] * k + position[1], weights=counts, minlength=k * k)
    return cohen_kappa_table(table.reshape(k, k), weights)


def _delta_squared(level: str, values: np.ndarray, n_c: np.ndarray) -> np.ndarray:
    """Krippendorff's difference function δ² per draw (draws × k × k)."""
    c, k = np.meshgrid(values, values, indexing="ij")
    draws = n_c.shape[0]
    if level == "nominal":
        return np.broadcast_to((c != k).astype(float), (draws, *c.shape))
    if level == "interval":
        return np.broadcast_to((c - k) ** 2, (draws, *c.shape))
    if level == "ratio":
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(c + k == 0, 0.0, ((c - k) / (c + k)) ** 2)
        return np.broadcast_to(ratio, (draws, *c.shape))
    # ordinal: (Σ_{g=c..k} n_g − (n_c + n_k) / 2)², from each draw's own marginals
    cumulative = np.cumsum(n_c, axis=1)
    i, j = np.indices(c.shape)
    low, high = np.minimum(i, j), np.maximum(i, j)
    between = cumulative[:, high] - cumulative[:, low] + n_c[:, low]
    return (between - (n_c[:, i] + n_c[:, j]) / 2.0) ** 2


def kappa_draws_of(
    a: np.ndarray,
    b: np.ndarray,
    weights: str | None,
    n_boot: int,
    seed: int | None,
    categories: Sequence[Any] | None = None,
    clusters: Sequence[Any] | None = None,
) -> np.ndarray:
    """Cohen's κ on every bootstrap draw at once (two coders, numeric values).

    The draws' agreement tables are one matrix product of the draws' counts and the units'
    one-hot cells. Units are the pairable ones, drawn as :func:`_bootstrap_draws` draws them,
    so the draws equal :func:`cohen_kappa` on each resampled pair when ``categories`` is given
    (or ``weights`` is ``None``); without categories, positions come from the whole sample.
    """
    pair = np.vstack([np.asarray(a, dtype=float), np.asarray(b, dtype=float)])
    keep = ~np.isnan(pair).any(axis=0)
    pair = pair[:, keep]
    clusters = None if clusters is None else np.asarray(clusters)[keep]
    if pair.shape[1] == 0 or n_boot <= 0:
        return np.array([])
    return _kappa_draws(_Patterns(pair), weights, n_boot, seed, categories, clusters)


def _kappa_draws(
    patterns: _Patterns,
    weights: str | None,
    n_boot: int,
    seed: int | None,
    categories: Sequence[Any] | None = None,
    clusters: Any = None,
) -> np.ndarray:
    """:func:`kappa_draws_of` of the two coders' complete pairs ``patterns`` summarises."""
    columns = patterns.columns
    cats = np.unique(columns) if categories is None else np.asarray(categories, dtype=float)
    k = cats.size

    def cells(x: np.ndarray) -> np.ndarray:  # each unit's one-hot cell of the k × k table
        position = np.searchsorted(cats, x)
        out = np.zeros((x.shape[1], k * k))
        out[np.arange(x.shape[1]), position[0] * k + position[1]] = 1.0
        return out

    tables = _draw_totals(cells, patterns, n_boot, seed, clusters).reshape(n_boot, k, k)
    observed = tables / tables.sum(axis=(1, 2))[:, None, None]
    expected = observed.sum(axis=2)[:, :, None] * observed.sum(axis=1)[:, None, :]
    i, j = np.indices((k, k))
    w = {
        None: (i != j).astype(float),
        "linear": np.abs(i - j).astype(float),
        "quadratic": ((i - j) ** 2).astype(float),
    }[weights]
    chance = (w * expected).sum(axis=(1, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = 1.0 - (w * observed).sum(axis=(1, 2)) / chance
    kappa[np.isclose(chance, 0.0)] = np.nan
    return kappa


def _percentiles(draws: np.ndarray, confidence: float) -> tuple[float, float]:
    finite = draws[np.isfinite(draws)]
    if finite.size == 0:
        return float("nan"), float("nan")
    tail = (1.0 - confidence) / 2.0 * 100.0
    low, high = np.percentile(finite, [tail, 100.0 - tail])
    return float(low), float(high)


def bootstrap_ci(
    statistic: Callable[[np.ndarray], float],
    matrix: Any,
    *,
    n_boot: int = DEFAULT_N_BOOT,
    seed: int | None = DEFAULT_SEED,
    confidence: float = DEFAULT_CONFIDENCE,
) -> tuple[float, float]:
    """Percentile bootstrap interval of an agreement coefficient, resampling units.

    The pairable units (columns with at least two values) are drawn with replacement ``n_boot``
    times from a seeded NumPy ``Generator``, so the same seed gives the same interval. Draws on
    which the statistic is undefined (``NaN``, e.g. no variation left) are left out, so the
    interval is conditional on variation; for a sparse code it can be wide or degenerate.

    This is the plain unit bootstrap (e.g. Zapf et al. 2016, *BMC Med Res Methodol* 16:93),
    not Hayes & Krippendorff's (2007) algorithm, which resamples pairable values from the
    coincidence matrix and reports q(α < α_min). The pooled rows of the reliability tables
    resample whole segments (or teams), their code × segment (team × factor) cells together,
    since cells of one segment are correlated (:func:`reliability_row`, ``clusters``).

    Args:
        statistic: coders × units array → number, e.g.
            ``lambda m: krippendorff_alpha(m, "ordinal")``.
        matrix: coders × units, ``NaN`` for missing.
        n_boot: number of bootstrap draws.
        seed: seed of ``numpy.random.default_rng``.
        confidence: coverage of the interval, e.g. 0.95.

    Returns:
        (low, high), or (``NaN``, ``NaN``) when no draw is defined.
    """
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must lie between 0 and 1, not {confidence!r}")
    return _percentiles(_bootstrap_draws(statistic, matrix, n_boot, seed), confidence)


def _rounded(value: float) -> float:
    # 0.8 computed as 0.7999999999999999 is still .800
    return round(float(value), 10)


def interpret_alpha(value: float | None, lang: str = "nl") -> str:
    """Krippendorff's (2004) reading of α: ≥ .800 reliable, ≥ .667 tentative, else unreliable.

    Returns:
        ``betrouwbaar`` / ``voorlopig`` / ``onvoldoende`` (``reliable`` / ``tentative`` /
        ``unreliable``), or ``ongedefinieerd`` (``undefined``) for a missing value.
    """
    _check_lang(lang)
    reliable, tentative, unreliable, undefined = _ALPHA_BANDS[lang]
    if value is None or pd.isna(value):
        return undefined
    value = _rounded(value)
    if value >= ALPHA_RELIABLE:
        return reliable
    if value >= ALPHA_TENTATIVE:
        return tentative
    return unreliable


def interpret_kappa(value: float | None, lang: str = "nl") -> str:
    """Landis & Koch (1977) band of κ.

    < 0 poor, .00–.20 slight, .21–.40 fair, .41–.60 moderate, .61–.80 substantial, .81–1 almost
    perfect; a value on a boundary (.20, .40, …) belongs to the lower band.

    Returns:
        The band in Dutch (``slecht``, ``gering``, ``redelijk``, ``matig``, ``substantieel``,
        ``bijna perfect``) or English, or ``ongedefinieerd`` / ``undefined``.
    """
    _check_lang(lang)
    if value is None or pd.isna(value):
        return _ALPHA_BANDS[lang][3]
    value = _rounded(value)
    if value < 0:
        return _KAPPA_BANDS[lang][0][1]
    return next(name for upper, name in _KAPPA_BANDS[lang][1:] if value <= upper)


# ---------------------------------------------------------------------------------------------
# One row of a reliability table
# ---------------------------------------------------------------------------------------------


def reliability_row(
    matrix: Any,
    *,
    level: str = "nominal",
    weights: str | None = None,
    categories: Sequence[Any] | None = None,
    n_boot: int = DEFAULT_N_BOOT,
    seed: int | None = DEFAULT_SEED,
    confidence: float = DEFAULT_CONFIDENCE,
    lang: str = "nl",
    clusters: Sequence[Any] | None = None,
) -> dict[str, Any]:
    """Every coefficient of one coders × units matrix, as a row of the reliability tables.

    Cohen's κ needs exactly two coders; with more, ``kappa`` is ``NaN`` (see the note) and Fleiss'
    κ (units coded by every coder) and α carry the comparison. ``clusters`` (a label per unit)
    makes the intervals a cluster bootstrap: pooled rows pass the segment (or team) of each
    cell, so correlated cells are drawn together.

    Returns:
        A dict with the keys of :data:`RELIABILITY_COLUMNS`.
    """
    _check_lang(lang)
    _check_level(level)
    if weights not in KAPPA_WEIGHTS:
        raise ValueError(f"weights must be None, 'linear' or 'quadratic', not {weights!r}")
    m = as_matrix(matrix, layout=CODERS_BY_UNITS)
    return _row(
        _Patterns(m),
        level=level,
        weights=weights,
        categories=categories,
        n_boot=n_boot,
        seed=seed,
        confidence=confidence,
        lang=lang,
        clusters=clusters,
    )


def _row(
    patterns: _Patterns,
    *,
    level: str = "nominal",
    weights: str | None = None,
    categories: Sequence[Any] | None = None,
    n_boot: int = DEFAULT_N_BOOT,
    seed: int | None = DEFAULT_SEED,
    confidence: float = DEFAULT_CONFIDENCE,
    lang: str = "nl",
    clusters: Sequence[Any] | None = None,
) -> dict[str, Any]:
    """:func:`reliability_row` of the matrix ``patterns`` summarises (all its units)."""
    patterns, n_unpaired = patterns.pairable()
    notes = []
    if n_unpaired:
        notes.append(f"{n_unpaired} unit(s) with one value only (ignored)")
    n_coders, n_units = len(patterns.columns), int(patterns.counts.sum())
    why = undefined_note(patterns.columns, layout=CODERS_BY_UNITS)
    if why:
        notes.insert(0, why)

    alpha = _pattern_alpha(patterns, level, categories)
    alpha_draws = np.array([])
    if np.isfinite(alpha) and n_boot > 0:
        try:  # vectorised over draws; the per-draw loop for what it does not cover
            alpha_draws = _alpha_draws(patterns, level, n_boot, seed, categories, clusters)
        except (TypeError, ValueError):
            alpha_draws = _bootstrap_draws(
                lambda x: krippendorff_alpha(
                    x, level, value_domain=categories, layout=CODERS_BY_UNITS
                ),
                patterns.matrix(),
                n_boot,
                seed,
            )
    kappa, kappa_draws = float("nan"), np.array([])
    if n_coders == 2:
        kappa = _pattern_kappa(patterns, weights, categories)
        if np.isfinite(kappa):
            if weights is None or categories is not None:
                kappa_draws = (  # two coders, pairable units: every unit has both values
                    _kappa_draws(patterns, weights, n_boot, seed, categories, clusters)
                    if n_boot > 0
                    else np.array([])
                )
            else:  # positions would shift with the categories seen in each draw
                kappa_draws = _bootstrap_draws(
                    lambda x: cohen_kappa(x[0], x[1], weights, categories=categories),
                    patterns.matrix(),
                    n_boot,
                    seed,
                )
    elif n_coders > 2:
        notes.append(f"κ needs exactly 2 coders, found {n_coders}: see fleiss_kappa and alpha")
    short = {
        name: int(np.isfinite(draws).sum())
        for name, draws in (("α", alpha_draws), ("κ", kappa_draws))
        if draws.size and np.isfinite(draws).sum() < MIN_DEFINED_SHARE * draws.size
    }
    if short and len(set(short.values())) == 1:
        names = " and ".join(short)
        plural = "intervals" if len(short) > 1 else "interval"
        notes.append(f"{names} {plural} from {next(iter(short.values()))} of {n_boot} draws")
    else:
        notes += [f"{name} interval from {k} of {n_boot} draws" for name, k in short.items()]
    if short:
        notes[-1] += " (the rest undefined: no variation)"

    complete = ~np.isnan(patterns.columns).any(axis=0)
    fleiss = float("nan")
    if n_coders >= 2 and complete.any():
        counts = category_counts(patterns.columns[:, complete], categories, layout=CODERS_BY_UNITS)
        fleiss = fleiss_kappa(counts, unit_weights=patterns.counts[complete])
        n_complete = int(patterns.counts[complete].sum())
        if n_complete < n_units:
            notes.append(f"Fleiss' κ on the {n_complete} unit(s) coded by every coder")

    alpha_low, alpha_high = _percentiles(alpha_draws, confidence)
    kappa_low, kappa_high = _percentiles(kappa_draws, confidence)
    return {
        "n_units": n_units,
        "n_coders": n_coders,
        "percent_agreement": _pattern_agreement(patterns),
        "kappa": kappa,
        "kappa_ci_low": kappa_low,
        "kappa_ci_high": kappa_high,
        "kappa_interpretation": interpret_kappa(kappa, lang),
        "fleiss_kappa": fleiss,
        "alpha": alpha,
        "alpha_ci_low": alpha_low,
        "alpha_ci_high": alpha_high,
        "interpretation": interpret_alpha(alpha, lang),
        "note": "; ".join(notes),
    }


# ---------------------------------------------------------------------------------------------
# Segment codings
# ---------------------------------------------------------------------------------------------


def overlap_units(codings: pd.DataFrame, unit: str = "segment_id") -> list[str]:
    """The units (segments, or documents) that at least two coders coded: the overlap sample.

    A coder has coded a unit when the codings table holds at least one code from them on it; a
    unit a coder read but left uncoded cannot be told apart from one they never read.
    """
    n_coders = codings.groupby(unit)["coder_id"].nunique()
    return sorted(n_coders.index[n_coders >= 2].astype(str))


def presence_matrix(
    codings: pd.DataFrame,
    code_id: str | Iterable[str],
    units: Iterable[str],
    *,
    unit: str = "segment_id",
) -> pd.DataFrame:
    """Coders × units: 1 when the coder applied the code to the unit, 0 when not, NaN if unseen.

    A coder who coded the unit (applied any code to it) but not this one gives 0 ("absent"); a
    coder who did not code the unit at all gives ``NaN`` (missing).

    Args:
        codings: the ``codings`` table (with a ``document_id`` column for ``unit="document_id"``).
        code_id: one code id, or several (a family: present when any of them is applied).
        units: the units to compare, usually :func:`overlap_units`.
        unit: the unit column, ``segment_id`` or ``document_id``.

    Returns:
        Every coder in ``codings`` as a row (``coder_id``), every unit as a column.
    """
    codes = {code_id} if isinstance(code_id, str) else set(code_id)
    units = list(units)
    coders = sorted(codings["coder_id"].dropna().astype(str).unique())

    def indicator(frame: pd.DataFrame) -> pd.DataFrame:
        pairs = frame[[unit, "coder_id"]].astype(str).drop_duplicates()
        pairs = pairs.assign(hit=True).set_index([unit, "coder_id"])["hit"]
        if pairs.empty:
            return pd.DataFrame(False, index=units, columns=coders)
        wide = pairs.unstack("coder_id", fill_value=False)
        return wide.reindex(index=units, columns=coders, fill_value=False).astype(bool)

    coded = indicator(codings)
    applied = indicator(codings[codings["code_id"].isin(codes)])
    values = np.where(coded.to_numpy(), applied.to_numpy().astype(float), np.nan).T
    return pd.DataFrame(
        values,
        index=pd.Index(coders, name="coder_id"),
        columns=pd.Index(units, name=unit),
    )


def _factor_of(codebook: Codebook, code_id: str) -> str:
    return codebook.factor_of(code_id) if code_id in codebook else code_id


def _segment_codes(codebook: Codebook, used: Iterable[str]) -> list[str]:
    """The codebook's segment codes in file order, then any other code the coders used."""
    codes = list(codebook.segment_codes)
    return codes + sorted(set(used) - set(codes))


def _used_by(matrix: pd.DataFrame) -> list[str]:
    """The coders who applied the code (value 1) somewhere in ``matrix``."""
    return [str(coder) for coder, values in matrix.iterrows() if (values == 1).any()]


class _Codings:
    """The codings as integers, made once per table: per coding the position of its segment,
    document, coder and code, with the ids in arrays (``segment_ids``, ``document_ids``,
    ``coders``, ``code_ids``) and the team of each document. Grouping on these is a pass over
    integers, not over text."""

    def __init__(self, data: Dataset) -> None:
        codings, segments, documents = data.codings, data.segments, data.documents
        segment_index = pd.Index(segments["segment_id"].astype(str))
        document_index = pd.Index(documents["document_id"].astype(str))
        self.segment_ids = segment_index.to_numpy(dtype=object)
        self.document_ids = document_index.to_numpy(dtype=object)
        self.document_of_segment = document_index.get_indexer(segments["document_id"].astype(str))
        self.team_of_document = documents["team_id"].astype(str).to_numpy(dtype=object)
        self.text = segments["text"].to_numpy(dtype=object)
        segment = segment_index.get_indexer(codings["segment_id"].astype(str))
        codings = codings[segment >= 0]  # a coding of no known segment (refused by validation)
        self.segment = segment[segment >= 0]
        self.document = self.document_of_segment[self.segment]
        coder, coders = pd.factorize(codings["coder_id"].astype(str), sort=True)
        code, code_ids = pd.factorize(codings["code_id"].astype(str), sort=True)
        self.coder, self.coders = coder, [str(c) for c in coders]
        self.code, self.code_ids = code, [str(c) for c in code_ids]
        self.value = codings["value"].to_numpy(dtype=object)

    def units(self, unit: str) -> tuple[np.ndarray, int]:
        """Each coding's unit (``segment_id`` or ``document_id``) and the number of units."""
        if unit == "segment_id":
            return self.segment, len(self.segment_ids)
        return self.document, len(self.document_ids)

    def overlap(self, unit: str, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
        """Per unit: did at least two coders code it (in ``rows``)? The overlap sample as
        :func:`overlap_units` defines it."""
        of_row, n_units = self.units(unit)
        n_coders = max(len(self.coders), 1)
        seen = np.zeros(n_units * n_coders, dtype=bool)
        seen[of_row[rows].astype(np.int64) * n_coders + self.coder[rows]] = True
        return seen.reshape(n_units, n_coders).sum(axis=1) >= 2

    @classmethod
    def of(cls, data: Dataset) -> _Codings:
        """The view of ``data``, made once and kept with it while its tables stay the same
        objects (the table functions of one build share it)."""
        key = tuple(data.tables[name] for name in ("codings", "segments", "documents"))
        kept = data.__dict__.get("_codings_view")
        if kept is None or any(a is not b for a, b in zip(kept[0], key, strict=True)):
            kept = (key, cls(data))
            data.__dict__["_codings_view"] = kept
        return kept[1]


class _Sample:
    """The overlap sample of a codings table, factorised once, for every code's matrix.

    ``coded`` (coders × units) says which coder coded which unit (any code), ``applied``
    (codes × coders × units) which code each applied there; a code's presence matrix
    (:func:`presence_matrix`) is ``applied`` where ``coded``, ``NaN`` elsewhere. Each code,
    family or team then costs a slice of these arrays instead of a pass over the codings.
    ``units`` are the positions of the sample's units among all units (segments or documents).
    """

    def __init__(
        self,
        view: _Codings,
        codes: list[str],
        unit: str,
        rows: np.ndarray | slice = slice(None),
    ) -> None:
        self.coders = view.coders
        self.codes = codes
        of_row, n_all = view.units(unit)
        self.units = np.flatnonzero(view.overlap(unit, rows))
        rank = np.full(n_all, -1, dtype=np.int64)
        rank[self.units] = np.arange(self.units.size)
        u = rank[of_row[rows]]
        inside = u >= 0
        u = u[inside]
        c = view.coder[rows][inside]
        k = pd.Index(codes).get_indexer(view.code_ids)[view.code[rows][inside]]
        shape = (len(self.coders), self.units.size)
        self.coded = np.zeros(shape, dtype=bool)
        self.coded[c, u] = True
        self.applied = np.zeros((len(codes), *shape), dtype=bool)
        known = k >= 0
        self.applied[k[known], c[known], u[known]] = True

    def patterns(self, codes: list[int]) -> _Patterns:
        """The presence matrix of ``codes`` (indices; present when a coder applied any of
        them), as :class:`_Patterns`: 1 applied, 0 coded without, ``NaN`` not coded."""
        return _Patterns.of_presence(self.coded, self.applied[codes].any(axis=0))

    def in_play(self, units: np.ndarray | slice = slice(None)) -> list[int]:
        """The codes some coder applied in ``units``."""
        used = self.applied[:, :, units].any(axis=(1, 2))
        return [int(i) for i in np.flatnonzero(used)]

    def pooled(self, codes: list[int], units: np.ndarray | slice = slice(None)) -> _Patterns:
        """The coders × (code, unit) cells of ``codes`` stacked code by code, as the pooled
        row takes them, as :class:`_Patterns` (the unit of a cell: :meth:`pooled_clusters`)."""
        applied = self.applied[codes][:, :, units]  # codes × coders × units
        coded = np.broadcast_to(self.coded[:, units], applied.shape)
        stack = (len(self.coders), -1)
        return _Patterns.of_presence(
            coded.transpose(1, 0, 2).reshape(stack), applied.transpose(1, 0, 2).reshape(stack)
        )


def _pooled_row(
    sample: _Sample,
    settings: dict[str, Any],
    units: np.ndarray | slice = slice(None),
) -> dict[str, Any]:
    """The pooled row: every code × unit of the codes some coder applied in ``units``,
    clustered by unit."""
    in_play = sample.in_play(units)
    n_units = len(np.arange(sample.units.size)[units])
    if in_play:
        clusters = np.tile(np.arange(n_units), len(in_play))
        row = _row(sample.pooled(in_play, units), **settings, clusters=clusters)
    else:
        row = reliability_row(np.empty((0, 0)), **settings)
    pooled_note = f"pooled over {len(in_play)} code(s) used in {n_units} unit(s)"
    row["note"] = "; ".join(filter(None, [row["note"], pooled_note]))
    return row


def _code_rows(
    view: _Codings,
    codebook: Codebook,
    unit: str,
    settings: dict[str, Any],
    rows: np.ndarray | slice = slice(None),
) -> pd.DataFrame:
    """Per code, per family and pooled rows on the overlap sample of ``unit`` (of the codings
    in ``rows``)."""
    used = np.unique(view.code[rows])
    codes = _segment_codes(codebook, [view.code_ids[i] for i in used])
    sample = _Sample(view, codes, unit, rows)
    rows = []
    coders_seen = int(sample.coded.any(axis=1).sum())
    for index, code in enumerate(codes):
        row = _row(sample.patterns([index]), **settings, clusters=None)
        users = [sample.coders[i] for i in np.flatnonzero(sample.applied[index].any(axis=1))]
        extra = []
        if sample.units.size and not users:
            extra.append("code not used in the overlap sample")
        elif len(users) == 1 and coders_seen > 1:
            extra.append(f"used by one coder only ({users[0]})")
        row["note"] = "; ".join(filter(None, [row["note"], *extra]))
        rows.append({"scope": "code", "code_id": code, **row})
    families = list(dict.fromkeys(_factor_of(codebook, code) for code in codes))
    for family in families:
        members = [i for i, code in enumerate(codes) if _factor_of(codebook, code) == family]
        row = _row(sample.patterns(members), **settings, clusters=None)
        rows.append({"scope": "family", "code_id": family, **row})
    rows.append({"scope": "pooled", "code_id": "", **_pooled_row(sample, settings)})
    out = pd.DataFrame(rows)
    lang = settings["lang"]
    out.insert(2, "label", [codebook.label(c, lang) if c else "" for c in out["code_id"]])
    return out[["scope", "code_id", "label", *RELIABILITY_COLUMNS]]


def _settings(**kwargs: Any) -> dict[str, Any]:
    _check_level(kwargs["level"])
    _check_lang(kwargs["lang"])
    return kwargs


def segment_reliability(
    data: Dataset,
    *,
    level: str = "nominal",
    n_boot: int = DEFAULT_N_BOOT,
    seed: int | None = DEFAULT_SEED,
    confidence: float = DEFAULT_CONFIDENCE,
    lang: str = "nl",
) -> pd.DataFrame:
    """Intercoder reliability of the segment codings: per code, per code family and pooled.

    Units are the segments at least two coders coded (the overlap sample). Per code, each coder's
    value on a segment is 1 (applied the code) or 0 (coded the segment, not with this code).
    A family (top-level factor, :meth:`Codebook.factor_of`) is present when any of its codes is.
    *Pooled* stacks the code × segment units of every code some coder applied in the sample;
    codes nobody applied there are left out of the pool (they would add nothing but agreeing
    zeros) and reported per code with a note.

    A coder "coded" a segment when they applied at least one code to it. A segment one coder
    coded and the other left entirely uncoded is therefore not in the sample, and that
    disagreement (seen, judged not codable) is invisible here: agreement is, if anything,
    overstated. Value disagreements (``hb_geld``: fonds vs gemeente) are listed by
    :func:`disagreements`, not measured.

    Args:
        data: the project.
        level: level of measurement for α (presence/absence is nominal).
        n_boot: bootstrap draws per interval (0 = no intervals).
        seed: bootstrap seed: reruns give the same intervals.
        confidence: interval coverage.
        lang: language of labels and interpretations (``nl`` or ``en``).

    Returns:
        One row per code (codebook order), per family, then one pooled row: scope (``code``,
        ``family``, ``pooled``), code_id, label, n_units, n_coders, percent_agreement, kappa,
        kappa_ci_low, kappa_ci_high, kappa_interpretation, fleiss_kappa, alpha, alpha_ci_low,
        alpha_ci_high, interpretation (of α), note.
    """
    settings = _settings(level=level, n_boot=n_boot, seed=seed, confidence=confidence, lang=lang)
    return _code_rows(_Codings.of(data), data.codebook, "segment_id", settings)


def document_reliability(
    data: Dataset,
    *,
    segments: str = "overlap",
    level: str = "nominal",
    n_boot: int = DEFAULT_N_BOOT,
    seed: int | None = DEFAULT_SEED,
    confidence: float = DEFAULT_CONFIDENCE,
    lang: str = "nl",
) -> pd.DataFrame:
    """Reliability at document level: is the code present in the document or not (as MAXQDA).

    Agreement no longer depends on where exactly a code was applied: two coders agree on a
    document when both applied the code somewhere in it, or neither did. Units are the documents
    at least two coders coded.

    Args:
        data: the project.
        segments: ``"overlap"`` (default) looks only at segments at least two coders coded, so a
            second coder who coded a sample is not charged with the segments they never saw
            (with three or more coders a coder can still be charged for a segment only the
            others coded); ``"all"`` uses every coding, right when every coder coded whole
            documents.
        level, n_boot, seed, confidence, lang: as in :func:`segment_reliability`.

    Returns:
        The columns of :func:`segment_reliability`, units being documents.
    """
    if segments not in ("overlap", "all"):
        raise ValueError(f"segments must be 'overlap' or 'all', not {segments!r}")
    view = _Codings.of(data)
    rows = view.overlap("segment_id")[view.segment] if segments == "overlap" else slice(None)
    settings = _settings(level=level, n_boot=n_boot, seed=seed, confidence=confidence, lang=lang)
    return _code_rows(view, data.codebook, "document_id", settings, rows)


def team_reliability(
    data: Dataset,
    *,
    level: str = "nominal",
    n_boot: int = DEFAULT_N_BOOT,
    seed: int | None = DEFAULT_SEED,
    confidence: float = DEFAULT_CONFIDENCE,
    lang: str = "nl",
) -> pd.DataFrame:
    """Pooled segment reliability per team: the pooled row of :func:`segment_reliability`,
    computed on each team's own overlap sample (its codes in play only).

    Returns:
        One row per team (every team, also those without overlap): team_id and the reliability
        columns.
    """
    settings = _settings(level=level, n_boot=n_boot, seed=seed, confidence=confidence, lang=lang)
    view = _Codings.of(data)
    sample = _Sample(view, _segment_codes(data.codebook, view.code_ids), "segment_id")
    unit_team = view.team_of_document[view.document_of_segment[sample.units]]
    rows = []
    for team_id in data.team_ids:
        units = np.flatnonzero(unit_team == team_id)
        rows.append({"team_id": team_id, **_pooled_row(sample, settings, units)})
    return pd.DataFrame(rows, columns=["team_id", *RELIABILITY_COLUMNS])


# ---------------------------------------------------------------------------------------------
# Team ratings
# ---------------------------------------------------------------------------------------------


def rating_matrix(ratings: pd.DataFrame, factor_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """Raters × (team, factor) scores, the consensus rater left out; ``NA`` becomes ``NaN``.

    Args:
        ratings: the ``ratings`` table.
        factor_ids: the factors to include (default: every factor rated by a rater).
    """
    own = ratings[ratings["rater_id"] != CONSENSUS_RATER]
    if factor_ids is not None:
        own = own[own["factor_id"].isin(list(factor_ids))]
    scores = pd.to_numeric(own["score"].astype("Float64"), errors="coerce").astype(float)
    frame = own[["rater_id", "team_id", "factor_id"]].astype(str).assign(score=scores)
    wide = frame.pivot(index="rater_id", columns=["team_id", "factor_id"], values="score")
    return wide.sort_index().sort_index(axis=1).astype(float)


def rating_reliability(
    data: Dataset,
    *,
    level: str = "ordinal",
    weights: str | None = "quadratic",
    n_boot: int = DEFAULT_N_BOOT,
    seed: int | None = DEFAULT_SEED,
    confidence: float = DEFAULT_CONFIDENCE,
    lang: str = "nl",
) -> pd.DataFrame:
    """Reliability of the team ratings between the raters (``CONS`` excluded), per factor and
    pooled.

    Units are teams (per factor) or team × factor pairs (pooled). ``NA`` ("the material says
    nothing") is a missing value: a team only one rater scored is unpairable and ignored. α is
    ordinal and κ weighted (quadratic by default) over the codebook's rating scale, so an unused
    score still counts in the weights.

    Returns:
        One row per rated factor (codebook order), then a pooled row: scope (``factor``,
        ``pooled``), factor_id, label and the reliability columns (``n_coders`` = raters).
    """
    settings = _settings(
        level=level,
        weights=weights,
        categories=sorted(data.codebook.scale) or None,
        n_boot=n_boot,
        seed=seed,
        confidence=confidence,
        lang=lang,
    )
    matrix = rating_matrix(data.ratings)
    rated = list(dict.fromkeys(matrix.columns.get_level_values("factor_id")))
    order = {f: i for i, f in enumerate(data.codebook.codes)}
    rated.sort(key=lambda f: order.get(f, len(order)))
    rows = []
    for factor_id in rated:
        factor_matrix = matrix.loc[:, matrix.columns.get_level_values("factor_id") == factor_id]
        rows.append(
            {
                "scope": "factor",
                "factor_id": factor_id,
                "label": data.codebook.label(factor_id, lang),
                **reliability_row(factor_matrix, **settings),
            }
        )
    source = matrix if matrix.size else np.empty((0, 0))
    teams = matrix.columns.get_level_values("team_id") if matrix.size else None
    rows.append(
        {
            "scope": "pooled",
            "factor_id": "",
            "label": "",
            **reliability_row(source, **settings, clusters=teams),
        }
    )
    return pd.DataFrame(rows, columns=["scope", "factor_id", "label", *RELIABILITY_COLUMNS])


# ---------------------------------------------------------------------------------------------
# Disagreements
# ---------------------------------------------------------------------------------------------


DISAGREEMENT_COLUMNS = [
    "code_id",
    "label",
    "factor_id",
    "team_id",
    "document_id",
    "segment_id",
    "disagreement",
    "applied_by",
    "not_applied_by",
    "values",
    "text",
]


def disagreements(data: Dataset, lang: str = "nl") -> pd.DataFrame:
    """The segments of the overlap sample on which the coders differ, per code, with the quote.

    A *presence* disagreement: some coders of the segment applied the code, others did not. A
    *value* disagreement: all applied it, with different values (e.g. ``fonds`` vs
    ``gemeente``).

    Returns:
        One row per (code, segment): code_id, label, factor_id, team_id, document_id, segment_id,
        disagreement (``presence``/``value``), applied_by, not_applied_by, values (``C1: fonds;
        C2: gemeente``), text. Sorted by code (codebook order), team and segment.
    """
    _check_lang(lang)
    view = _Codings.of(data)
    rows = np.flatnonzero(view.overlap("segment_id")[view.segment])
    if rows.size == 0:
        return pd.DataFrame(columns=DISAGREEMENT_COLUMNS)
    n_coders, n_codes = len(view.coders), len(view.code_ids)
    segment, code, coder = view.segment[rows], view.code[rows], view.coder[rows]
    value = np.array(["" if pd.isna(v) else str(v) for v in view.value[rows]], dtype=object)
    # per (segment, code) pair: the value each coder gave ("" none), None if not applied
    pair_keys, pair = np.unique(segment.astype(np.int64) * n_codes + code, return_inverse=True)
    values = np.full((pair_keys.size, n_coders), None, dtype=object)
    values[pair, coder] = value
    applied = values != None  # noqa: E711 (elementwise)
    pair_segment = pair_keys // n_codes
    seen_keys = np.unique(segment.astype(np.int64) * n_coders + coder)
    seen = np.zeros((pair_segment.max() + 1, n_coders), dtype=bool)
    seen[seen_keys // n_coders, seen_keys % n_coders] = True
    coded = seen[pair_segment]
    reference = values[np.arange(pair_keys.size), applied.argmax(axis=1)]
    presence = applied.sum(axis=1) < coded.sum(axis=1)
    differ = ~presence & (applied & (values != reference[:, None])).any(axis=1)
    keep = presence | differ
    kept_segment = pair_segment[keep]
    documents = view.document_of_segment[kept_segment]
    codes = pd.Index([view.code_ids[i] for i in (pair_keys[keep] % n_codes)])
    coders = view.coders
    label = {c: data.codebook.label(c, lang) for c in codes.unique()}
    factor = {c: _factor_of(data.codebook, c) for c in codes.unique()}
    out = pd.DataFrame(
        {
            "code_id": codes,
            "label": codes.map(label),
            "factor_id": codes.map(factor),
            "team_id": view.team_of_document[documents],
            "document_id": view.document_ids[documents],
            "segment_id": view.segment_ids[kept_segment],
            "disagreement": np.where(presence[keep], "presence", "value"),
            "applied_by": [
                ", ".join(c for c, a in zip(coders, row, strict=True) if a) for row in applied[keep]
            ],
            "not_applied_by": [
                ", ".join(c for c, a, s in zip(coders, row, seen_row, strict=True) if s and not a)
                for row, seen_row in zip(applied[keep], coded[keep], strict=True)
            ],
            "values": [
                "; ".join(f"{c}: {v}" for c, v in zip(coders, row, strict=True) if v)
                for row in values[keep]
            ],
            "text": view.text[kept_segment],
        }
    )
    out = out.reindex(columns=DISAGREEMENT_COLUMNS)
    order = {c: i for i, c in enumerate(data.codebook.codes)}
    out["_order"] = out["code_id"].map(lambda c: order.get(c, len(order)))
    out = out.sort_values(["_order", "code_id", "team_id", "segment_id"], kind="stable")
    return out.drop(columns="_order").reset_index(drop=True)
