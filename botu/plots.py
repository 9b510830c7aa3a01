"""One figure style for the whole suite, and the publication figures.

Colour-blind safe (Okabe–Ito / cividis), Dutch labels by default (``lang="en"`` on request).
Every figure is saved by :func:`save_figure` as PNG (300 dpi) and SVG with fixed metadata,
so a second run writes identical files.

A figure function given nothing to draw (every score missing, no members, no defined α: a
study in progress) returns ``None`` instead of an empty chart, and :func:`save_figure`
writes nothing for ``None``; the page says in words what is missing (``botu.views``).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.colors import BoundaryNorm, ListedColormap

from botu import config
from botu.io import atomic_path

# Okabe & Ito (2008), safe for the common colour-vision deficiencies
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
SCORE_COLORS = ["#f2f0f7", "#cbc9e2", "#9e9ac8", "#54278f"]  # 0–3, sequential, grey-safe
FORMATS = ("png", "svg")
DPI = 300

STYLE = {
    # names from the data are text, never TeX: "Team $5 en $10" must not become math (or fail)
    "text.parse_math": False,
    "figure.dpi": 100,
    "savefig.dpi": DPI,
    "savefig.bbox": "tight",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": matplotlib.cycler(color=OKABE_ITO),
    "legend.frameon": False,
    "svg.hashsalt": "botu",  # deterministic SVG ids
    "svg.fonttype": "none",
    "image.cmap": "cividis",
}

TEXT = {
    "nl": {
        "score": "Score (0–3)",
        "team": "Team",
        "factor": "Factor",
        "na": "n.v.t.",
        "origin": "Uit de wijk (herkomst plan)",
        "involvement": "Door de wijk (betrokkenheid)",
        "n_members": "Aantal leden",
        "barrier": "Barrière",
        "severity": "Ernst (0–3)",
        "profile": "Factorprofiel",
        "barriers": "Barrières",
        "composition": "Samenstelling",
        "network": "Gedeelde actoren tussen teams",
        "actor_type": "Type actor",
        "uit_door": "Uit de wijk, door de wijk",
        "heatmap": "Veerkrachtfactoren per team",
        "fictional": "FICTIEVE DEMODATA",
        "scale": {0: "afwezig", 1: "zwak", 2: "matig", 3: "sterk"},
    },
    "en": {
        "score": "Score (0–3)",
        "team": "Team",
        "factor": "Factor",
        "na": "n/a",
        "origin": "From the neighbourhood (plan origin)",
        "involvement": "By the neighbourhood (involvement)",
        "n_members": "Members",
        "barrier": "Barrier",
        "severity": "Severity (0–3)",
        "profile": "Factor profile",
        "barriers": "Barriers",
        "composition": "Composition",
        "network": "Actors shared between teams",
        "actor_type": "Actor type",
        "uit_door": "From, not yet by, the neighbourhood",
        "heatmap": "Resilience factors per team",
        "fictional": "FICTIONAL DEMO DATA",
        "scale": {0: "absent", 1: "weak", 2: "moderate", 3: "strong"},
    },
}


def text(key: str, lang: str = "nl"):
    """A fixed figure text in ``lang``."""
    if lang not in TEXT:
        raise ValueError(f"lang must be one of {', '.join(TEXT)}, not {lang!r}")
    return TEXT[lang][key]


def set_style() -> None:
    """Apply the suite's matplotlib style (idempotent)."""
    plt.rcParams.update(STYLE)
    sns.set_palette(OKABE_ITO)


@contextmanager
def style():
    """Use the suite's style inside a ``with`` block only."""
    with plt.rc_context(STYLE):
        yield


def save_figure(
    fig: plt.Figure | None,
    name: str,
    *,
    figures_dir: Path | None = None,
    formats: Sequence[str] = FORMATS,
) -> list[Path]:
    """Write ``fig`` as ``<name>.png`` (300 dpi) and ``<name>.svg`` into the figures folder.

    Files are written atomically and without timestamps, so reruns give identical bytes.
    ``None`` (a figure with nothing to draw) writes nothing.
    """
    if fig is None:
        return []
    target_dir = Path(figures_dir) if figures_dir is not None else config.paths().figures
    written = []
    for fmt in formats:
        target = target_dir / f"{name}.{fmt}"
        metadata = {"Software": "botu"} if fmt == "png" else {"Date": None, "Creator": "botu"}
        with atomic_path(target) as tmp:
            fig.savefig(tmp, format=fmt, dpi=DPI, metadata=metadata)
        written.append(target)
    return written


def _nothing_to_draw(values: pd.DataFrame | pd.Series) -> bool:
    """No value at all to plot: empty, or every cell missing."""
    numbers = pd.DataFrame(values).apply(pd.to_numeric, errors="coerce")
    return bool(numbers.size == 0 or numbers.isna().all().all())


def _mark_fictional(fig: plt.Figure, fictional: bool, lang: str) -> None:
    if fictional:
        fig.text(
            0.995,
            0.005,
            text("fictional", lang),
            ha="right",
            va="bottom",
            fontsize=6,
            color="#777777",
        )


def score_heatmap(
    scores: pd.DataFrame,
    *,
    labels: dict[str, str] | None = None,
    title: str | None = None,
    lang: str = "nl",
    fictional: bool = False,
    ax: plt.Axes | None = None,
) -> plt.Figure | None:
    """Teams (rows) × factors (columns) of 0–3 scores; NA cells hatched and labelled.

    ``None`` when no cell holds a score.
    """
    if _nothing_to_draw(scores):
        return None
    set_style()
    data = scores.astype("Float64").astype(float)
    if labels:
        data = data.rename(columns=labels)
    if ax is None:
        fig, ax = plt.subplots(figsize=(1.0 + 0.75 * data.shape[1], 0.8 + 0.42 * data.shape[0]))
    else:
        fig = ax.figure
    cmap = ListedColormap(SCORE_COLORS)
    norm = BoundaryNorm([-0.5, 0.5, 1.5, 2.5, 3.5], cmap.N)
    mesh = ax.pcolormesh(
        np.ma.masked_invalid(data.to_numpy()),
        cmap=cmap,
        norm=norm,
        edgecolors="white",
        linewidth=1.5,
    )
    for (i, j), value in np.ndenumerate(data.to_numpy()):
        shown = text("na", lang) if np.isnan(value) else f"{int(value)}"
        ax.text(
            j + 0.5,
            i + 0.5,
            shown,
            ha="center",
            va="center",
            fontsize=8,
            color="white" if (not np.isnan(value) and value >= 2.5) else "black",
        )
    ax.set_xticks(np.arange(data.shape[1]) + 0.5, data.columns, rotation=35, ha="right")
    ax.set_yticks(np.arange(data.shape[0]) + 0.5, data.index)
    ax.invert_yaxis()
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_visible(False)
    bar = fig.colorbar(mesh, ax=ax, ticks=[0, 1, 2, 3], fraction=0.04, pad=0.02)
    bar.ax.set_yticklabels([f"{s} {text('scale', lang)[s]}" for s in range(4)])
    ax.set_title(title or text("heatmap", lang))
    _mark_fictional(fig, fictional, lang)
    return fig


def profile_bars(
    profile: pd.DataFrame,
    *,
    labels: dict[str, str] | None = None,
    title: str | None = None,
    lang: str = "nl",
    fictional: bool = False,
) -> plt.Figure | None:
    """Horizontal bars of one team's consensus scores (rows: factor_id, score); NA marked.

    ``None`` when no row holds a score.
    """
    if _nothing_to_draw(profile["score"]):
        return None
    set_style()
    frame = profile.copy()
    frame["label"] = frame["factor_id"].map(lambda f: (labels or {}).get(f, f))
    values = frame["score"].astype("Float64").astype(float)
    fig, ax = plt.subplots(figsize=(5.5, 0.6 + 0.3 * len(frame)))
    colors = [SCORE_COLORS[int(v)] if not np.isnan(v) else "#ffffff" for v in values]
    ax.barh(frame["label"], np.nan_to_num(values), color=colors, edgecolor="#54278f")
    for y, v in enumerate(values):
        ax.text(
            (0 if np.isnan(v) else v) + 0.05,
            y,
            text("na", lang) if np.isnan(v) else text("scale", lang)[int(v)],
            va="center",
            fontsize=7,
        )
    ax.set_xlim(0, 3.6)
    ax.set_xticks([0, 1, 2, 3])
    ax.invert_yaxis()
    ax.set_xlabel(text("score", lang))
    ax.set_title(title or text("profile", lang))
    _mark_fictional(fig, fictional, lang)
    return fig


def origin_involvement_plot(
    table: pd.DataFrame,
    *,
    lang: str = "nl",
    fictional: bool = False,
    new_team_ids: Sequence[str] = (),
) -> plt.Figure | None:
    """Dumbbell per team: plan origin (uit de wijk) vs resident involvement (door de wijk).

    ``None`` when no team has either score.
    """
    if _nothing_to_draw(table[["uit_de_wijk", "door_de_wijk"]]):
        return None
    set_style()
    frame = table.sort_values("team_id")
    fig, ax = plt.subplots(figsize=(5.5, 0.8 + 0.38 * len(frame)))
    y = np.arange(len(frame))
    origin = frame["uit_de_wijk"].astype("Float64").astype(float)
    involvement = frame["door_de_wijk"].astype("Float64").astype(float)
    ax.hlines(y, involvement, origin, color="#999999", linewidth=2, zorder=1)
    ax.scatter(origin, y, color=OKABE_ITO[0], s=45, zorder=2, label=text("origin", lang))
    ax.scatter(
        involvement,
        y,
        color=OKABE_ITO[1],
        s=45,
        marker="D",
        zorder=2,
        label=text("involvement", lang),
    )
    ticks = [f"{t} *" if t in set(new_team_ids) else t for t in frame["team_id"]]
    ax.set_yticks(y, ticks)
    ax.invert_yaxis()
    ax.set_xlim(-0.3, 3.3)
    ax.set_xticks([0, 1, 2, 3])
    ax.set_xlabel(text("score", lang))
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=7)
    ax.set_title(text("uit_door", lang), pad=22)
    _mark_fictional(fig, fictional, lang)
    return fig


def composition_bars(
    counts: pd.DataFrame,
    *,
    lang: str = "nl",
    fictional: bool = False,
    labels: dict[str, str] | None = None,
) -> plt.Figure | None:
    """Stacked bars: joined members per actor type, per team (counts: team × actor_type).

    ``None`` when no team has a member (composition not recorded).
    """
    if counts.empty or not counts.to_numpy().any():
        return None
    set_style()
    frame = counts.rename(columns=labels or {})
    fig, ax = plt.subplots(figsize=(6.5, 0.8 + 0.4 * len(frame)))
    left = np.zeros(len(frame))
    palette = (OKABE_ITO * 2)[: frame.shape[1]]
    for color, column in zip(palette, frame.columns, strict=True):
        ax.barh(frame.index, frame[column], left=left, color=color, label=column)
        left += frame[column].to_numpy()
    ax.invert_yaxis()
    ax.set_xlabel(text("n_members", lang))
    ax.legend(
        title=text("actor_type", lang), bbox_to_anchor=(1.01, 1), loc="upper left", fontsize=7
    )
    ax.set_title(text("composition", lang))
    _mark_fictional(fig, fictional, lang)
    return fig


def barrier_bars(
    barriers: pd.DataFrame,
    *,
    labels: dict[str, str] | None = None,
    lang: str = "nl",
    fictional: bool = False,
    title: str | None = None,
) -> plt.Figure | None:
    """One team's barrier severities (rows: barrier_id, severity); ``None`` if none rated."""
    frame = barriers.rename(columns={"barrier_id": "factor_id", "severity": "score"})
    return profile_bars(
        frame, labels=labels, lang=lang, fictional=fictional, title=title or text("barriers", lang)
    )


def actor_network(
    members: pd.DataFrame, *, lang: str = "nl", fictional: bool = False, min_teams: int = 2
) -> plt.Figure | None:
    """Bipartite drawing: teams (left) and the actors that joined ≥ ``min_teams`` teams.

    ``None`` when no actor joined any team (composition not recorded).

    Args:
        members: rows team_id, actor_id, pseudonym, actor_type, has_joined.
    """
    joined = members[members["has_joined"].astype(bool)]
    if joined.empty:
        return None
    set_style()
    n_by_actor = joined.groupby("actor_id")["team_id"].nunique()
    shared = sorted(n_by_actor[n_by_actor >= min_teams].index)
    teams = sorted(joined["team_id"].unique())
    fig, ax = plt.subplots(figsize=(6.5, 0.8 + 0.45 * max(len(teams), len(shared))))
    team_y = {t: i for i, t in enumerate(teams)}
    scale = (len(teams) - 1) / max(len(shared) - 1, 1)
    actor_y = {a: i * scale for i, a in enumerate(shared)}
    types = sorted(joined.loc[joined["actor_id"].isin(shared), "actor_type"].unique())
    color = dict(zip(types, OKABE_ITO, strict=False))
    for row in joined[joined["actor_id"].isin(shared)].itertuples():
        ax.plot(
            [0, 1],
            [team_y[row.team_id], actor_y[row.actor_id]],
            color=color[row.actor_type],
            alpha=0.6,
            linewidth=1.2,
        )
    ax.scatter([0] * len(teams), list(team_y.values()), s=90, color="#444444", zorder=3)
    for t, yy in team_y.items():
        ax.text(-0.04, yy, t, ha="right", va="center")
    pseudonym = joined.drop_duplicates("actor_id").set_index("actor_id")["pseudonym"]
    actor_type = joined.drop_duplicates("actor_id").set_index("actor_id")["actor_type"]
    for a, yy in actor_y.items():
        ax.scatter([1], [yy], s=40 + 25 * n_by_actor[a], color=color[actor_type[a]], zorder=3)
        ax.text(1.04, yy, f"{pseudonym[a]} ({n_by_actor[a]})", ha="left", va="center", fontsize=7)
    ax.set_xlim(-0.3, 1.9)
    ax.invert_yaxis()
    ax.axis("off")
    ax.set_title(text("network", lang))
    _mark_fictional(fig, fictional, lang)
    return fig


def barrier_heatmap(
    barriers: pd.DataFrame,
    *,
    labels: dict[str, str] | None = None,
    lang: str = "nl",
    fictional: bool = False,
) -> plt.Figure | None:
    """Teams × barriers severity heat map (barriers: long table team_id, barrier_id, severity).

    ``None`` when no severity is rated.
    """
    order = list(dict.fromkeys(barriers["barrier_id"]))
    wide = barriers.pivot(index="team_id", columns="barrier_id", values="severity")[order]
    return score_heatmap(
        wide, labels=labels, lang=lang, fictional=fictional, title=text("barriers", lang)
    )


def forest_plot(
    table: pd.DataFrame,
    *,
    labels: dict[str, str] | None = None,
    lang: str = "nl",
    fictional: bool = False,
    title: str | None = None,
) -> plt.Figure | None:
    """Krippendorff's α per code with its bootstrap interval and the .667 / .800 thresholds.

    ``None`` when no code has a defined α (nothing double-coded).

    Args:
        table: rows with code_id, alpha, alpha_ci_low, alpha_ci_high (undefined α left out).
    """
    frame = table.dropna(subset=["alpha"]).copy()
    if frame.empty:
        return None
    set_style()
    frame["label"] = frame["code_id"].map(lambda c: (labels or {}).get(c, c))
    fig, ax = plt.subplots(figsize=(6.0, 0.8 + 0.28 * len(frame)))
    y = np.arange(len(frame))
    low = (frame["alpha"] - frame["alpha_ci_low"]).clip(lower=0).fillna(0)
    high = (frame["alpha_ci_high"] - frame["alpha"]).clip(lower=0).fillna(0)
    colors = [
        OKABE_ITO[2] if a >= 0.8 else OKABE_ITO[1] if a >= 0.667 else OKABE_ITO[5]
        for a in frame["alpha"]
    ]
    ax.errorbar(frame["alpha"], y, xerr=[low, high], fmt="none", ecolor="#777777", elinewidth=1)
    ax.scatter(frame["alpha"], y, color=colors, zorder=3, s=28)
    for threshold, style in ((0.667, ":"), (0.8, "--")):
        ax.axvline(threshold, color="#444444", linestyle=style, linewidth=0.8)
        ax.text(
            threshold,
            1.0,
            f"{threshold:.3f}"[1:],
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="bottom",
            fontsize=7,
        )
    ax.set_yticks(y, frame["label"])
    ax.invert_yaxis()
    ax.set_xlim(min(-0.05, float(frame["alpha_ci_low"].min(skipna=True) or 0) - 0.05), 1.05)
    ax.set_xlabel("Krippendorffs α (95%-interval)" if lang == "nl" else "Krippendorff's α (95% CI)")
    ax.set_title(title or ("Betrouwbaarheid per code" if lang == "nl" else "Reliability per code"))
    _mark_fictional(fig, fictional, lang)
    return fig
