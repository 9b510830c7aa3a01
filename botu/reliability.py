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
    if np.unique(paired[~np.isnan(paired)]).size < 2:
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
    shares = []
    for column in m.T:
        values = column[~np.isnan(column)]
        _, counts = np.unique(values, return_counts=True)
        n = values.size
        shares.append((counts * (counts - 1)).sum() / (n * (n - 1)))
    return float(np.mean(shares))


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


def fleiss_kappa(counts: Any) -> float:
    """Fleiss' κ for a fixed number of raters per unit.

    κ = (P̄ − P̄_e) / (1 − P̄_e), with P_i = (Σ_j n_ij² − n) / (n (n − 1)) the agreement on unit i,
    P̄ their mean, p_j = Σ_i n_ij / (N n) the share of category j and P̄_e = Σ_j p_j²
    (Fleiss 1971, eqs. 2–9).

    Args:
        counts: units × categories, how many of the n raters put each unit in each category
            (see :func:`category_counts`). Every row sums to the same n ≥ 2.

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
    p_i = ((n_ij**2).sum(axis=1) - n) / (n * (n - 1))
    p_j = n_ij.sum(axis=0) / n_ij.sum()
    p_bar, p_e = p_i.mean(), (p_j**2).sum()
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


def _bootstrap_draws(
    statistic: Callable[[np.ndarray], float],
    matrix: Any,
    n_boot: int,
    seed: int | None,
) -> np.ndarray:
    m = as_matrix(matrix, layout=CODERS_BY_UNITS)
    m = m[:, _pairable(m)]
    n_units = m.shape[1]
    if n_units == 0 or n_boot <= 0:
        return np.array([])
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, n_units, size=(n_boot, n_units))
    return np.array([statistic(m[:, pick]) for pick in picks], dtype=float)


def _draw_weights(
    n_units: int, n_boot: int, seed: int | None, clusters: np.ndarray | None = None
) -> np.ndarray:
    """How often each unit is drawn in each bootstrap draw (n_boot × n_units).

    Without ``clusters`` this uses the same random picks as :func:`_bootstrap_draws`, so both
    give the same draws. With ``clusters`` (a label per unit, e.g. the segment of each
    code × segment cell) whole clusters are drawn, in sorted label order, and every unit of a
    drawn cluster comes along: the cluster bootstrap for correlated units.
    """
    rng = np.random.default_rng(seed)
    if clusters is None:
        picks = rng.integers(0, n_units, size=(n_boot, n_units))
        weights = np.zeros((n_boot, n_units))
        np.add.at(weights, (np.arange(n_boot)[:, None], picks), 1.0)
        return weights
    labels, of_unit = np.unique(np.asarray(clusters).astype(str), return_inverse=True)
    picks = rng.integers(0, labels.size, size=(n_boot, labels.size))
    counts = np.zeros((n_boot, labels.size))
    np.add.at(counts, (np.arange(n_boot)[:, None], picks), 1.0)
    return counts[:, of_unit]


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
    (tested), some hundred times faster.
    """
    _check_level(level)
    m = as_matrix(matrix, numeric=level != "nominal", layout=CODERS_BY_UNITS)
    keep = _pairable(m)
    m = m[:, keep]
    clusters = None if clusters is None else np.asarray(clusters)[keep]
    n_units = m.shape[1]
    if n_units == 0 or n_boot <= 0:
        return np.array([])
    observed = np.unique(m[~np.isnan(m)])
    values = observed if value_domain is None else np.asarray(value_domain, dtype=float)
    k = values.size
    position = np.searchsorted(values, m)
    counts = np.zeros((n_units, k))  # values per unit
    for row_pos, row in zip(position, m, strict=True):
        present = ~np.isnan(row)
        np.add.at(counts, (np.flatnonzero(present), row_pos[present]), 1.0)
    pairs = counts.sum(axis=1)
    per_unit = (counts[:, :, None] * counts[:, None, :]) - np.einsum(
        "uc,ck->uck", counts, np.eye(k)
    )
    per_unit /= (pairs - 1.0)[:, None, None]
    coincidence = _draw_weights(n_units, n_boot, seed, clusters) @ per_unit.reshape(n_units, k * k)
    coincidence = coincidence.reshape(n_boot, k, k)
    n_c = coincidence.sum(axis=2)
    n = n_c.sum(axis=1)
    delta = _delta_squared(level, values, n_c)
    disagreement = (coincidence * delta).sum(axis=(1, 2))
    expected = (n_c[:, :, None] * n_c[:, None, :] * delta).sum(axis=(1, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = 1.0 - (n - 1.0) * disagreement / expected
    alpha[~(expected > 1e-12)] = np.nan  # no variation in the draw: undefined
    return alpha


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

    The draws' agreement tables are one matrix product of draw weights and the units' one-hot
    cells. Units are the pairable ones, in the order :func:`_bootstrap_draws` uses, so the
    draws equal :func:`cohen_kappa` on each resampled pair when ``categories`` is given (or
    ``weights`` is ``None``); without categories, positions come from the whole sample.
    """
    pair = np.vstack([np.asarray(a, dtype=float), np.asarray(b, dtype=float)])
    keep = ~np.isnan(pair).any(axis=0)
    pair = pair[:, keep]
    clusters = None if clusters is None else np.asarray(clusters)[keep]
    n_units = pair.shape[1]
    if n_units == 0 or n_boot <= 0:
        return np.array([])
    cats = np.unique(pair) if categories is None else np.asarray(categories, dtype=float)
    k = cats.size
    position = np.searchsorted(cats, pair)
    cells = np.zeros((n_units, k * k))
    cells[np.arange(n_units), position[0] * k + position[1]] = 1.0
    tables = (_draw_weights(n_units, n_boot, seed, clusters) @ cells).reshape(n_boot, k, k)
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
    pairable = _pairable(m)
    if clusters is not None:
        clusters = np.asarray(clusters)[pairable]
    notes = []
    n_unpaired = int(((~np.isnan(m)).sum(axis=0) == 1).sum())
    if n_unpaired:
        notes.append(f"{n_unpaired} unit(s) with one value only (ignored)")
    m = m[:, pairable]
    m = m[~np.isnan(m).all(axis=1)]  # coders with nothing in these units
    n_coders, n_units = m.shape
    why = undefined_note(m, layout=CODERS_BY_UNITS)
    if why:
        notes.insert(0, why)

    alpha = krippendorff_alpha(m, level, value_domain=categories, layout=CODERS_BY_UNITS)
    alpha_draws = np.array([])
    if np.isfinite(alpha):
        try:  # vectorised over draws; the per-draw loop for what it does not cover
            alpha_draws = alpha_draws_of(m, level, n_boot, seed, categories, clusters)
        except (TypeError, ValueError):
            alpha_draws = _bootstrap_draws(
                lambda x: krippendorff_alpha(
                    x, level, value_domain=categories, layout=CODERS_BY_UNITS
                ),
                m,
                n_boot,
                seed,
            )
    kappa, kappa_draws = float("nan"), np.array([])
    if n_coders == 2:
        kappa = cohen_kappa(m[0], m[1], weights, categories=categories)
        if np.isfinite(kappa):
            if weights is None or categories is not None:
                kappa_draws = kappa_draws_of(
                    m[0], m[1], weights, n_boot, seed, categories, clusters
                )
            else:  # positions would shift with the categories seen in each draw
                kappa_draws = _bootstrap_draws(
                    lambda x: cohen_kappa(x[0], x[1], weights, categories=categories),
                    m,
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

    complete = ~np.isnan(m).any(axis=0)
    fleiss = float("nan")
    if n_coders >= 2 and complete.any():
        fleiss = fleiss_kappa(category_counts(m[:, complete], categories, layout=CODERS_BY_UNITS))
        if not complete.all():
            notes.append(f"Fleiss' κ on the {int(complete.sum())} unit(s) coded by every coder")

    alpha_low, alpha_high = _percentiles(alpha_draws, confidence)
    kappa_low, kappa_high = _percentiles(kappa_draws, confidence)
    return {
        "n_units": n_units,
        "n_coders": n_coders,
        "percent_agreement": percent_agreement(m, layout=CODERS_BY_UNITS),
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


def _segment_codes(codebook: Codebook, codings: pd.DataFrame) -> list[str]:
    """The codebook's segment codes in file order, then any other code the coders used."""
    codes = list(codebook.segment_codes)
    extra = sorted(set(codings["code_id"].dropna().astype(str)) - set(codes))
    return codes + extra


def _used_by(matrix: pd.DataFrame) -> list[str]:
    """The coders who applied the code (value 1) somewhere in ``matrix``."""
    return [str(coder) for coder, values in matrix.iterrows() if (values == 1).any()]


def _pooled_row(
    matrices: dict[str, pd.DataFrame], settings: dict[str, Any], n_units: int
) -> dict[str, Any]:
    """The pooled row: every code × unit of the codes some coder applied in the sample."""
    in_play = {code: m for code, m in matrices.items() if _used_by(m)}
    if in_play:
        stacked = pd.concat(in_play, axis=1)  # columns: (code, unit)
        units = stacked.columns.get_level_values(-1)
        row = reliability_row(stacked, **settings, clusters=units)
    else:
        row = reliability_row(np.empty((0, 0)), **settings)
    pooled_note = f"pooled over {len(in_play)} code(s) used in {n_units} unit(s)"
    row["note"] = "; ".join(filter(None, [row["note"], pooled_note]))
    return row


def _code_rows(
    codings: pd.DataFrame,
    codebook: Codebook,
    unit: str,
    settings: dict[str, Any],
    *,
    pooled_only: bool = False,
) -> pd.DataFrame:
    """Per code, per family and pooled rows on the overlap sample of ``unit``."""
    units = overlap_units(codings, unit)
    codes = _segment_codes(codebook, codings)
    matrices = {code: presence_matrix(codings, code, units, unit=unit) for code in codes}
    rows = []
    for code, matrix in [] if pooled_only else matrices.items():
        row = reliability_row(matrix, **settings)
        users = _used_by(matrix)
        extra = []
        if units and not users:
            extra.append("code not used in the overlap sample")
        elif len(users) == 1 and matrix.notna().any(axis=1).sum() > 1:
            extra.append(f"used by one coder only ({users[0]})")
        row["note"] = "; ".join(filter(None, [row["note"], *extra]))
        rows.append({"scope": "code", "code_id": code, **row})
    families = list(dict.fromkeys(_factor_of(codebook, code) for code in codes))
    for family in [] if pooled_only else families:
        members = [code for code in codes if _factor_of(codebook, code) == family]
        matrix = presence_matrix(codings, members, units, unit=unit)
        rows.append({"scope": "family", "code_id": family, **reliability_row(matrix, **settings)})
    rows.append({"scope": "pooled", "code_id": "", **_pooled_row(matrices, settings, len(units))})
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
    return _code_rows(data.codings, data.codebook, "segment_id", settings)


def _codings_in_context(data: Dataset) -> pd.DataFrame:
    context = data.segments_with_context()[["segment_id", "document_id", "team_id", "text"]]
    return data.codings.merge(context, on="segment_id", how="left", validate="m:1")


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
    codings = _codings_in_context(data)
    if segments == "overlap":
        codings = codings[codings["segment_id"].isin(overlap_units(codings))]
    settings = _settings(level=level, n_boot=n_boot, seed=seed, confidence=confidence, lang=lang)
    return _code_rows(codings, data.codebook, "document_id", settings)


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
    codings = _codings_in_context(data)
    rows = []
    for team_id in data.team_ids:
        team_codings = codings[codings["team_id"] == team_id]
        table = _code_rows(team_codings, data.codebook, "segment_id", settings, pooled_only=True)
        pooled = table.iloc[-1]
        rows.append({"team_id": team_id, **pooled[RELIABILITY_COLUMNS].to_dict()})
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
    codings = _codings_in_context(data)
    codings = codings[codings["segment_id"].isin(overlap_units(codings))]
    coders_of = codings.groupby("segment_id")["coder_id"].agg(lambda s: sorted(set(s)))
    rows = []
    for (segment_id, code_id), group in codings.groupby(["segment_id", "code_id"], sort=True):
        applied_by = sorted(set(group["coder_id"]))
        missing = [c for c in coders_of[segment_id] if c not in applied_by]
        values = {
            row.coder_id: "" if pd.isna(row.value) else str(row.value)
            for row in group.itertuples(index=False)
        }
        if missing:
            kind = "presence"
        elif len(set(values.values())) > 1:
            kind = "value"
        else:
            continue
        first = group.iloc[0]
        rows.append(
            {
                "code_id": code_id,
                "label": data.codebook.label(code_id, lang),
                "factor_id": _factor_of(data.codebook, code_id),
                "team_id": first["team_id"],
                "document_id": first["document_id"],
                "segment_id": segment_id,
                "disagreement": kind,
                "applied_by": ", ".join(applied_by),
                "not_applied_by": ", ".join(missing),
                "values": "; ".join(f"{c}: {v}" for c, v in sorted(values.items()) if v),
                "text": first["text"],
            }
        )
    columns = [
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
    out = pd.DataFrame(rows, columns=columns)
    order = {c: i for i, c in enumerate(data.codebook.codes)}
    out["_order"] = out["code_id"].map(lambda c: order.get(c, len(order)))
    out = out.sort_values(["_order", "code_id", "team_id", "segment_id"], kind="stable")
    return out.drop(columns="_order").reset_index(drop=True)
