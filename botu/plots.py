"""One figure style for the whole suite, and the publication figures.

Colour-blind safe (Okabe–Ito without its yellow, cividis), Dutch labels by default
(``lang="en"`` on request). Every figure function draws at full print width (170 mm) and
can redraw itself at single-column width (85 mm): :func:`save_figure` writes both, as PNG
(300 dpi) and SVG, ``<name>.png``/``.svg`` at full width and ``<name>-kolom.png``/``.svg``
at column width, with fixed metadata, so a second run writes identical files. Sizes are
exact (no tight cropping), so a text's point size is its size in print; none is under 7 pt.

Every figure carries a short description of what it shows, built from the data in the
figure's language (:func:`alt_text`); :func:`show` displays a figure in a notebook as an
``<img>`` with that description as its alt text.

A figure function given nothing to draw (every score missing, no members, no defined α: a
study in progress) returns ``None`` instead of an empty chart, :func:`save_figure` writes
nothing and :func:`show` shows nothing for ``None``; the page says in words what is missing
(``botu.views``).
"""

from __future__ import annotations

import base64
import functools
import html
import io
import textwrap
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.dates
import matplotlib.patches
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.lines import Line2D

from botu import config, i18n
from botu.io import atomic_path
from botu.labels import ACTOR_TYPES

# Okabe & Ito (2008), safe for the common colour-vision deficiencies
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
# categories in one plot: no yellow (1.3:1 on white) and no vermillion beside amber (the two
# merge for red-blind readers); a seventh category and on repeat the colours with a hatch
CATEGORICAL = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#000000"]
HATCHES = ["", "////", "...."]
OUTLINE = "#333333"  # thin outline that keeps light bars visible on white
PHASE_HATCHES = ("", "////", "....", "xxxx")  # the SiBD phases apart in grey print too
SCORE_COLORS = ["#f2f0f7", "#cbc9e2", "#9e9ac8", "#54278f"]  # 0–3, sequential, grey-safe
FORMATS = ("png", "svg")
DPI = 300
MM = 1 / 25.4
# print widths in inches: a full page width and one column of a two-column journal page
WIDTHS = {"full": 170 * MM, "column": 85 * MM}
SUFFIXES = {"full": "", "column": "-kolom"}
MIN_FONT_PT = 7
SHOW_DPI = 150  # resolution of the figures shown on the pages
SHOW_COLORS = 128  # palette size of the figures shown on the pages (page weight)
# zlib levels of the PNGs: print files at 3 (a few % larger than 6, a third faster to write),
# the small palette PNGs of the pages at 6
PRINT_PNG_LEVEL = 3
SHOW_PNG_LEVEL = 6

STYLE = {
    # names from the data are text, never TeX: "Team $5 en $10" must not become math (or fail)
    "text.parse_math": False,
    "figure.dpi": 100,
    "savefig.dpi": DPI,
    "savefig.bbox": "standard",  # exact print size: the layout fits the figure, no cropping
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.titleweight": "bold",
    "axes.labelsize": 8,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 7,
    "legend.title_fontsize": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": matplotlib.cycler(color=CATEGORICAL),
    "legend.frameon": False,
    "svg.hashsalt": "botu",  # deterministic SVG ids
    "svg.fonttype": "none",
    "image.cmap": "cividis",
}

TEXT: dict[str, dict[str, Any]] = i18n.section("figures")


def text(key: str, lang: str = "nl"):
    """A fixed figure text in ``lang``."""
    return TEXT[i18n.check_lang(lang)][key]


def set_style() -> None:
    """Apply the suite's matplotlib style (idempotent)."""
    plt.rcParams.update(STYLE)
    sns.set_palette(CATEGORICAL)


@contextmanager
def style():
    """Use the suite's style inside a ``with`` block only."""
    with plt.rc_context(STYLE):
        yield


# --- drawing at a print width, describing, saving and showing ---------------------------


def _printable(draw: Callable[..., plt.Figure | None]) -> Callable[..., plt.Figure | None]:
    """Let a figure function draw at ``width="full"`` or ``"column"`` and redraw itself.

    The figure remembers how it was made, so :func:`save_figure` can draw the other width
    from the same data (text stays at its point size; the layout, not the type, shrinks).
    """

    @functools.wraps(draw)
    def wrapper(*args, width: str = "full", **kwargs):
        if width not in WIDTHS:
            raise ValueError(f"width must be one of {', '.join(WIDTHS)}, not {width!r}")
        fig = draw(*args, width=width, **kwargs)
        if fig is not None:
            fig.botu_width = width
            if kwargs.get("ax") is None:  # drawn into its own figure: it can draw again
                fig.botu_redraw = functools.partial(wrapper, *args, **kwargs)
        return fig

    return wrapper


# space the layout keeps free around the figure's edges (inches): the shown figures, drawn
# at a lower resolution than print, set their text a little wider
LAYOUT_PAD = {"w_pad": 6 / 72, "h_pad": 4 / 72}
SETTLED = 1e-9  # a layout pass moving no axes by more than this (figure fraction) is the last


def _figure(width: str, height: float) -> tuple[plt.Figure, plt.Axes]:
    set_style()
    fig, ax = plt.subplots(figsize=(WIDTHS[width], height), layout="constrained")
    fig.get_layout_engine().set(**LAYOUT_PAD)
    return fig, ax


def _title(fig: plt.Figure, title: str, width: str) -> None:
    """The figure's title, centred over the whole figure (an axes title, centred over a plot
    pushed right by long row labels, runs off the edge at single-column width)."""
    fig.suptitle(
        _wrap(title, width, 80, 34),
        fontsize=STYLE["axes.titlesize"],
        fontweight=STYLE["axes.titleweight"],
    )


def _finish(fig: plt.Figure, alt: str, lang: str, fictional: bool) -> plt.Figure:
    """Attach the description; mark fictional data in a strip the layout leaves free along
    the top edge, above the title (legends sit below the plot)."""
    fig.botu_alt = alt
    fig.botu_lang = lang
    engine = fig.get_layout_engine()
    if fictional and fig.get_suptitle():  # the mark heads the title: the layout keeps both
        fig.suptitle(
            f"{text('fictional', lang)}\n{fig.get_suptitle()}",
            fontsize=STYLE["axes.titlesize"],
            fontweight=STYLE["axes.titleweight"],
        )
    elif fictional:  # a strip along the top edge the layout leaves free
        if engine is not None and hasattr(engine, "set"):
            strip = (MIN_FONT_PT + 4) / 72 / fig.get_figheight()
            engine.set(rect=(0, 0, 1, 1 - strip))
        fig.text(
            0.995,
            0.995,
            text("fictional", lang),
            ha="right",
            va="top",
            fontsize=MIN_FONT_PT,
            color="#595959",  # 7:1 on white
        )
    _settle(fig)
    return fig


def _settle(fig: plt.Figure) -> None:
    """Lay the figure out at print resolution and keep that layout, so every later draw
    (saved twice, shown, saved again) gives the same bytes."""
    if not isinstance(fig.get_layout_engine(), matplotlib.layout_engine.ConstrainedLayoutEngine):
        return
    dpi = fig.dpi
    fig.set_dpi(DPI)
    # each pass starts from the last one's positions (texts placed in data coordinates move
    # with their axes); a few passes and the layout no longer changes by more than rounding
    # (a millionth of a pixel: some layouts never settle to the last bit)
    before = None
    for _ in range(6):
        fig.draw_without_rendering()
        after = np.array([ax.get_position().bounds for ax in fig.axes])
        if before is not None and np.allclose(after, before, rtol=0, atol=SETTLED):
            break
        before = after
    fig.set_dpi(dpi)
    # no layout engine at all from here: with even a placeholder engine, savefig lays the
    # figure out once more before each save
    fig.set_layout_engine(None)


def alt_text(fig: plt.Figure | None) -> str:
    """What the figure shows, in the figure's language ('' for ``None`` or a foreign figure)."""
    return getattr(fig, "botu_alt", "") if fig is not None else ""


def _at_width(fig: plt.Figure, width: str) -> tuple[plt.Figure, Callable[[], None]]:
    """``fig`` drawn at ``width``, and how to undo that afterwards."""
    if getattr(fig, "botu_width", None) == width:
        return fig, lambda: None
    redraw = getattr(fig, "botu_redraw", None)
    if redraw is not None:
        with style():
            other = redraw(width=width)
        return other, lambda: plt.close(other)
    # a figure made elsewhere: resize it for the save and back
    size = fig.get_size_inches().copy()
    fig.set_size_inches(WIDTHS[width], size[1])
    return fig, lambda: fig.set_size_inches(*size)


def _write_formats(
    fig: plt.Figure,
    target_dir: Path,
    name: str,
    formats: Sequence[str],
    rendered: Any = None,
) -> dict[Path, bytes]:
    """Write ``fig`` once in each format as ``<target_dir>/<name>.<fmt>``; the bytes of each
    file by path. ``rendered``: the figure already rendered at print resolution
    (:func:`_render`), for the PNG."""
    written = {}
    for fmt in formats:
        target = target_dir / f"{name}.{fmt}"
        if fmt == "png":
            image = rendered if rendered is not None else _render(fig, DPI)
            data = _png(image, DPI, PRINT_PNG_LEVEL)
        else:
            buffer = io.BytesIO()
            metadata = {"Date": None, "Creator": "botu"} if fmt == "svg" else None
            with style():
                fig.savefig(buffer, format=fmt, dpi=DPI, metadata=metadata, bbox_inches=None)
            data = buffer.getvalue()
        with atomic_path(target) as tmp:
            tmp.write_bytes(data)
        written[target] = data
    return written


def _render(fig: plt.Figure, dpi: int) -> Any:
    """``fig`` rendered at ``dpi`` (Agg, as ``savefig`` would for a PNG), as an RGB image:
    the figures are opaque; anything see-through is laid on white."""
    from PIL import Image  # matplotlib's own dependency

    buffer = io.BytesIO()
    with style():
        fig.savefig(buffer, format="raw", dpi=dpi, bbox_inches=None)
    # the size Agg rendered at: the canvas's own count of pixels at dpi
    shown_dpi = fig.dpi
    fig.set_dpi(dpi)
    try:
        width, height = fig.canvas.get_width_height(physical=True)
    finally:
        fig.set_dpi(shown_dpi)
    raw = buffer.getvalue()
    if len(raw) != width * height * 4:
        raise RuntimeError(f"a figure rendered at {dpi} dpi is not {width} x {height} pixels")
    image = Image.frombuffer("RGBA", (width, height), raw, "raw", "RGBA", 0, 1)
    if image.getextrema()[3][0] < 255:
        image = Image.alpha_composite(Image.new("RGBA", image.size, "white"), image)
    return image.convert("RGB")


def _png(image: Any, dpi: int, level: int) -> bytes:
    """``image`` as PNG bytes at ``dpi``, zlib ``level``, no time stamp."""
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Software", "botu")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=info, dpi=(dpi, dpi), compress_level=level)
    return buffer.getvalue()


def save_figure(
    fig: plt.Figure | None,
    name: str,
    *,
    figures_dir: Path | None = None,
    formats: Sequence[str] = FORMATS,
    widths: Sequence[str] = tuple(WIDTHS),
) -> list[Path]:
    """Write ``fig`` at each print width as PNG (300 dpi) and SVG into the figures folder.

    Full width (170 mm) is ``<name>.png``/``<name>.svg``, single-column width (85 mm)
    ``<name>-kolom.png``/``<name>-kolom.svg``. Files are written atomically and without
    timestamps, so reruns give identical bytes. ``None`` (nothing to draw) writes nothing.
    """
    if fig is None:
        return []
    target_dir = Path(figures_dir) if figures_dir is not None else config.paths().figures
    written: list[Path] = []
    for width in widths:
        drawn, undo = _at_width(fig, width)
        try:
            written += _write_formats(drawn, target_dir, f"{name}{SUFFIXES[width]}", formats)
        finally:
            undo()
    return written


def figures_dir(lang: str = i18n.DEFAULT_LANG, root: Path | None = None) -> Path:
    """Where the figures of a page in ``lang`` go: ``figures/`` for the default language,
    ``figures/<lang>/`` for another, so the two sites of one report keep their own."""
    base = config.paths(root).figures
    return base if lang == i18n.DEFAULT_LANG else base / i18n.check_lang(lang)


def publish(fig: plt.Figure | None, name: str, lang: str = i18n.DEFAULT_LANG):
    """Save ``fig`` for print (:func:`save_figure`, in the language's folder) and show it on
    the page (:func:`show`), drawing each width once and rendering it once per format: the
    shown PNG is the print PNG at half its resolution (150 dpi)."""
    if fig is None:
        return None
    target_dir = figures_dir(lang)

    def print_then_shown(drawn: plt.Figure, width: str) -> str:
        image = _render(drawn, DPI)
        _write_formats(drawn, target_dir, f"{name}{SUFFIXES[width]}", FORMATS, image)
        return _shown_png(image, DPI, DPI // SHOW_DPI)

    return _figure_html(fig, print_then_shown)


def _figure_html(fig: plt.Figure, render: Callable[[plt.Figure, str], str]) -> FigureHTML:
    """The shown figure: ``render`` gives the PNG (base64) of ``fig`` drawn at each width;
    closes ``fig``."""
    alt = alt_text(fig)
    sources = {}
    for width in WIDTHS:
        drawn, undo = _at_width(fig, width)
        try:
            sources[width] = (render(drawn, width), drawn.get_size_inches())
        finally:
            undo()
    plt.close(fig)
    return FigureHTML(_picture(sources, alt), alt)


def _shown_png(image: Any, dpi: int, reduce: int = 1, colors: int = SHOW_COLORS) -> str:
    """A figure rendered at ``dpi`` (:func:`_render`) for a page, as a base64 PNG: ``reduce``
    times smaller each way (a box filter), in a palette of ``colors`` (flat charts need no
    more): about a third of the bytes of a full-colour PNG; the saved figures keep full
    colour. The palette is Pillow's median cut: its fast octree merges a light category of
    a heatmap into the white around it."""
    from PIL import Image

    if reduce > 1:
        image = image.reduce(reduce)
    image = image.quantize(colors=colors, dither=Image.Dither.NONE)
    return base64.b64encode(_png(image, dpi // reduce, SHOW_PNG_LEVEL)).decode("ascii")


def _png_base64(fig: plt.Figure, dpi: int, colors: int = SHOW_COLORS) -> str:
    """The figure as a PNG for a page (:func:`_shown_png`), rendered at ``dpi``."""
    return _shown_png(_render(fig, dpi), dpi, colors=colors)


class FigureHTML:
    """A figure for a notebook page: an ``<img>`` with alt text (``repr``: the alt text)."""

    def __init__(self, markup: str, alt: str):
        self.markup = markup
        self.alt = alt

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return self.alt


def show(fig: plt.Figure | None, *, dpi: int = SHOW_DPI) -> FigureHTML | None:
    """Display ``fig`` on a page: the full-width figure, and the column-width one on narrow
    screens, embedded as PNG in an ``<img>`` whose alt text says what the figure shows.

    Closes the figure (so the notebook does not show it a second time without alt text).
    ``None`` shows nothing.
    """
    if fig is None:
        return None
    return _figure_html(fig, lambda drawn, _: _png_base64(drawn, dpi))


def _picture(sources: dict[str, tuple[str, Any]], alt: str) -> str:
    """The ``<picture>`` of a shown figure: the full width, the column width on narrow
    screens; ``sources`` holds (PNG base64, size in inches) per width."""
    full, (w_in, h_in) = sources["full"]
    column, _ = sources["column"]
    css_px = 96  # CSS pixels per inch: shown at print size on a wide screen
    return (
        '<picture class="botu-figure">'
        f'<source media="(max-width: {round(WIDTHS["full"] * css_px) + 40}px)" '
        f'srcset="data:image/png;base64,{column}">'
        f'<img src="data:image/png;base64,{full}" alt="{html.escape(alt, quote=True)}" '
        f'width="{round(w_in * css_px)}" height="{round(h_in * css_px)}" '
        'style="max-width: 100%; height: auto;">'
        "</picture>"
    )


# --- helpers -----------------------------------------------------------------------------


def _nothing_to_draw(values: pd.DataFrame | pd.Series) -> bool:
    """No value at all to plot: empty, or every cell missing."""
    numbers = pd.DataFrame(values).apply(pd.to_numeric, errors="coerce")
    return bool(numbers.size == 0 or numbers.isna().all().all())


def _wrap(label: object, width: str, full: int = 40, column: int = 22) -> str:
    """A label broken over lines so it fits beside a plot at print width."""
    return textwrap.fill(str(label), full if width == "full" else column, break_long_words=False)


class _DecimalFormatter(matplotlib.ticker.ScalarFormatter):
    """Matplotlib's tick numbers with the decimal separator of a language."""

    def __init__(self, separator: str):
        super().__init__()
        self.separator = separator

    def __call__(self, x, pos=None):
        return super().__call__(x, pos).replace(".", self.separator)


def _decimal_axis(axis, lang: str) -> None:
    separator = i18n.say("format.decimal", lang)
    if separator != ".":
        axis.set_major_formatter(_DecimalFormatter(separator))


def _row_height(shown: Sequence[str], column: bool) -> float:
    """Inches per row of a bar or dot chart whose row labels are ``shown``."""
    lines = max((s.count("\n") + 1 for s in shown), default=1)
    return (0.2 if column else 0.22) + 0.11 * (lines - 1)


def _scale_word(value: float, lang: str) -> str:
    return (
        text("na", lang) if np.isnan(value) else f"{int(value)} ({text('scale', lang)[int(value)]})"
    )


def actor_type_label(actor_type: str, lang: str = "nl") -> str:
    """The reader's word for an actor type id, capitalised for a legend."""
    word = ACTOR_TYPES.get(lang, {}).get(actor_type, str(actor_type).replace("_", " "))
    return word[:1].upper() + word[1:]


def _category_style(i: int) -> dict[str, str]:
    return {
        "color": CATEGORICAL[i % len(CATEGORICAL)],
        "hatch": HATCHES[(i // len(CATEGORICAL)) % len(HATCHES)],
    }


# --- the figures ---------------------------------------------------------------------------


@_printable
def score_heatmap(
    scores: pd.DataFrame,
    *,
    labels: dict[str, str] | None = None,
    title: str | None = None,
    lang: str = "nl",
    fictional: bool = False,
    ax: plt.Axes | None = None,
    measure: str = "score",
    width: str = "full",
) -> plt.Figure | None:
    """Teams (rows) × factors (columns) of 0–3 scores; NA cells labelled.

    ``measure`` is ``"score"`` (factors) or ``"severity"`` (barriers). ``None`` when no
    cell holds a score.
    """
    if _nothing_to_draw(scores):
        return None
    set_style()
    column = width == "column"
    data = scores.astype("Float64").astype(float)
    names = [(labels or {}).get(c, c) for c in data.columns]
    # upright column labels: two lines side by side fit a full-width column, not a narrow one
    shown_names = [_wrap(n, width, 24, 60) for n in names]
    title = title or text("heatmap", lang)
    if ax is None:
        longest = max(len(line) for n in shown_names for line in n.splitlines())
        lines = max(n.count("\n") + 1 for n in shown_names)
        label_height = 0.058 * longest + 0.02 + 0.02 * lines  # the labels stand upright
        height = 1.0 + 0.3 * data.shape[0] + label_height + (0.6 if column else 0)
        fig, ax = _figure(width, height)
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
            fontsize=MIN_FONT_PT if column else 8,
            color="white" if (not np.isnan(value) and value >= 2.5) else "black",
        )
    ax.set_xticks(  # upright: slanted labels of two lines run into their neighbours
        np.arange(data.shape[1]) + 0.5, shown_names, rotation=90, ha="center"
    )
    ax.set_yticks(np.arange(data.shape[0]) + 0.5, data.index)
    ax.tick_params(length=0)
    ax.invert_yaxis()
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_visible(False)
    bar = fig.colorbar(
        mesh,
        ax=ax,
        ticks=[0, 1, 2, 3],
        location="bottom" if column else "right",
        fraction=0.05 if column else 0.04,
        pad=0.1 if column else 0.02,  # below: clear of the upright column labels
        aspect=30 if column else 20,
    )
    words = [f"{s} {text('scale', lang)[s]}" for s in range(4)]
    if column:  # under a narrow map the words do not fit beside the ticks: they go below
        bar.set_ticks([0, 1, 2, 3], labels=[str(s) for s in range(4)])
        bar.set_label(f"{text(measure, lang)}: {', '.join(words[:2])},\n{', '.join(words[2:])}")
    else:
        bar.set_ticks([0, 1, 2, 3], labels=words)
        bar.set_label(text(measure, lang))
    _title(fig, title, width)

    means = data.mean(skipna=True)
    means.index = names
    means = means.dropna()
    n_missing = int(np.isnan(data.to_numpy()).sum())
    alt = text("alt_heatmap", lang).format(
        title=title,
        measure=text(f"measure_{measure}", lang),
        n_rows=data.shape[0],
        n_cols=data.shape[1],
        items=text("items_factor" if measure == "score" else "items_barrier", lang),
        best=means.idxmax(),
        best_mean=i18n.number(means.max(), 1, lang),
        worst=means.idxmin(),
        worst_mean=i18n.number(means.min(), 1, lang),
        missing=text("alt_heatmap_missing", lang).format(n=n_missing) if n_missing else "",
    )
    return _finish(fig, alt, lang, fictional)


@_printable
def profile_bars(
    profile: pd.DataFrame,
    *,
    labels: dict[str, str] | None = None,
    title: str | None = None,
    lang: str = "nl",
    fictional: bool = False,
    measure: str = "score",
    width: str = "full",
) -> plt.Figure | None:
    """Horizontal bars of one team's consensus scores (rows: factor_id, score); NA marked.

    The bars carry their scale word (``2 matig``) next to them, so the colour needs no
    separate legend. ``None`` when no row holds a score.
    """
    if _nothing_to_draw(profile["score"]):
        return None
    frame = profile.copy()
    frame["label"] = frame["factor_id"].map(lambda f: (labels or {}).get(f, f))
    column = width == "column"
    shown = [_wrap(label, width, 40, 26) for label in frame["label"]]
    values = frame["score"].astype("Float64").astype(float).to_numpy()
    fig, ax = _figure(width, 1.0 + _row_height(shown, column) * len(frame))
    colors = [SCORE_COLORS[int(v)] if not np.isnan(v) else "#ffffff" for v in values]
    y = np.arange(len(frame))
    ax.barh(y, np.nan_to_num(values), color=colors, edgecolor="#54278f", linewidth=0.8)
    for yy, v in zip(y, values, strict=True):
        ax.text(
            (0 if np.isnan(v) else v) + 0.05,
            yy,
            text("na", lang) if np.isnan(v) else text("scale", lang)[int(v)],
            va="center",
            fontsize=MIN_FONT_PT,
        )
    ax.set_yticks(y, shown)
    ax.set_xlim(0, 3.7)
    ax.set_xticks([0, 1, 2, 3])
    ax.invert_yaxis()
    ax.set_xlabel(text(measure, lang))
    title = title or text("profile" if measure == "score" else "barriers", lang)
    _title(fig, title, width)
    items = ", ".join(
        f"{label} {_scale_word(v, lang)}" for label, v in zip(frame["label"], values, strict=True)
    )
    alt = text("alt_bars", lang).format(
        title=title,
        measure=text(f"measure_{measure}", lang),
        item=text("item_factor" if measure == "score" else "item_barrier", lang),
        items=items,
    )
    return _finish(fig, alt, lang, fictional)


@_printable
def origin_involvement_plot(
    table: pd.DataFrame,
    *,
    lang: str = "nl",
    fictional: bool = False,
    new_team_ids: Sequence[str] = (),
    width: str = "full",
) -> plt.Figure | None:
    """Dumbbell per team: plan origin (uit de wijk) vs resident involvement (door de wijk).

    ``None`` when no team has either score.
    """
    if _nothing_to_draw(table[["uit_de_wijk", "door_de_wijk"]]):
        return None
    column = width == "column"
    frame = table  # teams in the order given
    fig, ax = _figure(width, 1.5 + 0.24 * len(frame) + (0.2 if column else 0))
    y = np.arange(len(frame))
    origin = frame["uit_de_wijk"].astype("Float64").astype(float)
    involvement = frame["door_de_wijk"].astype("Float64").astype(float)
    ax.hlines(y, involvement, origin, color="#999999", linewidth=2, zorder=1)
    ax.scatter(origin, y, color=CATEGORICAL[0], s=36, zorder=2, label=text("origin", lang))
    ax.scatter(
        involvement,
        y,
        color=CATEGORICAL[1],
        edgecolor=OUTLINE,
        linewidth=0.5,
        s=36,
        marker="D",
        zorder=2,
        label=text("involvement", lang),
    )
    new = set(new_team_ids)
    ticks = [f"{t} *" if t in new else t for t in frame["team_id"]]
    ax.set_yticks(y, ticks)
    ax.invert_yaxis()
    ax.set_xlim(-0.3, 3.3)
    ax.set_xticks([0, 1, 2, 3])
    ax.set_xlabel(text("score", lang))
    has_new = any(t in new for t in frame["team_id"])
    handles, _ = ax.get_legend_handles_labels()
    if has_new:  # the asterisk after a team explained in the legend
        handles.append(Line2D([], [], linestyle="", label=text("new_coalition", lang)))
    fig.legend(handles=handles, loc="outside lower center", ncol=1 if column else len(handles))
    _title(fig, text("uit_door", lang), width)

    def score(v: float) -> str:
        return text("na", lang) if np.isnan(v) else f"{int(v)}"

    items = "; ".join(
        text("alt_dumbbell_item", lang).format(team=t, origin=score(o), involvement=score(i))
        for t, o, i in zip(ticks, origin, involvement, strict=True)
    )
    alt = text("alt_dumbbell", lang).format(
        items=items, note=text("alt_new", lang) if has_new else ""
    )
    return _finish(fig, alt, lang, fictional)


@_printable
def composition_bars(
    counts: pd.DataFrame,
    *,
    lang: str = "nl",
    fictional: bool = False,
    labels: dict[str, str] | None = None,
    width: str = "full",
) -> plt.Figure | None:
    """Stacked bars: joined members per actor type, per team (counts: team × actor_type).

    Actor types are named in ``lang`` (``labels`` overrides a name). ``None`` when no team
    has a member (composition not recorded).
    """
    if counts.empty or not counts.to_numpy().any():
        return None
    column = width == "column"
    names = {c: (labels or {}).get(c) or actor_type_label(c, lang) for c in counts.columns}
    ncol = 2 if column else 4
    legend_rows = -(-counts.shape[1] // ncol)
    fig, ax = _figure(width, 1.3 + 0.26 * len(counts) + 0.16 * legend_rows)
    left = np.zeros(len(counts))
    y = np.arange(len(counts))
    for i, column_id in enumerate(counts.columns):
        values = counts[column_id].to_numpy()
        ax.barh(
            y,
            values,
            left=left,
            label=names[column_id],
            edgecolor=OUTLINE,
            linewidth=0.4,
            hatchcolor="white",
            **_category_style(i),
        )
        left += values
    ax.set_yticks(y, counts.index)
    ax.invert_yaxis()
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_xlabel(text("n_members", lang))
    fig.legend(title=text("actor_type", lang), loc="outside lower center", ncol=ncol)
    _title(fig, text("composition", lang), width)
    items = "; ".join(
        f"{team} {int(row.sum())} ("
        + ", ".join(f"{names[c].lower()} {int(n)}" for c, n in row.items() if n)
        + ")"
        for team, row in counts.iterrows()
    )
    alt = text("alt_composition", lang).format(items=items)
    return _finish(fig, alt, lang, fictional)


def barrier_bars(
    barriers: pd.DataFrame,
    *,
    labels: dict[str, str] | None = None,
    lang: str = "nl",
    fictional: bool = False,
    title: str | None = None,
    width: str = "full",
) -> plt.Figure | None:
    """One team's barrier severities (rows: barrier_id, severity); ``None`` if none rated."""
    frame = barriers.rename(columns={"barrier_id": "factor_id", "severity": "score"})
    return profile_bars(
        frame,
        labels=labels,
        lang=lang,
        fictional=fictional,
        title=title or text("barriers", lang),
        measure="severity",
        width=width,
    )


@_printable
def actor_network(
    members: pd.DataFrame,
    *,
    lang: str = "nl",
    fictional: bool = False,
    min_teams: int = 2,
    width: str = "full",
) -> plt.Figure | None:
    """Bipartite drawing: teams (left) and the actors that joined ≥ ``min_teams`` teams,
    coloured by actor type (with a legend).

    ``None`` when no actor joined any team (composition not recorded).

    Args:
        members: rows team_id, actor_id, pseudonym, actor_type, has_joined.
    """
    joined = members[members["has_joined"].astype(bool)]
    if joined.empty:
        return None
    column = width == "column"
    n_by_actor = joined.groupby("actor_id")["team_id"].nunique()
    shared = sorted(n_by_actor[n_by_actor >= min_teams].index)
    teams = list(dict.fromkeys(joined["team_id"]))  # in the order given
    types = sorted(joined.loc[joined["actor_id"].isin(shared), "actor_type"].unique())
    ncol = 1 if column else 3
    legend_rows = -(-(len(types) + 1) // ncol) if types else 0
    fig, ax = _figure(width, 1.2 + 0.3 * max(len(teams), len(shared)) + 0.16 * legend_rows)
    team_y = {t: i for i, t in enumerate(teams)}
    scale = (len(teams) - 1) / max(len(shared) - 1, 1)
    actor_y = {a: i * scale for i, a in enumerate(shared)}
    color = {t: CATEGORICAL[i % len(CATEGORICAL)] for i, t in enumerate(types)}
    for row in joined[joined["actor_id"].isin(shared)].itertuples():
        ax.plot(
            [0, 1],
            [team_y[row.team_id], actor_y[row.actor_id]],
            color=color[row.actor_type],
            alpha=0.7,
            linewidth=1.2,
        )
    # nodes on the axes' edges and labels a fixed distance outside them: the layout makes
    # room for exactly the labels, whatever the width
    ax.scatter(
        [0] * len(teams), list(team_y.values()), s=60, color="#444444", zorder=3, clip_on=False
    )
    for t, yy in team_y.items():
        ax.annotate(t, (0, yy), xytext=(-7, 0), textcoords="offset points", ha="right", va="center")
    pseudonym = joined.drop_duplicates("actor_id").set_index("actor_id")["pseudonym"]
    actor_type = joined.drop_duplicates("actor_id").set_index("actor_id")["actor_type"]
    for a, yy in actor_y.items():
        ax.scatter(
            [1],
            [yy],
            s=25 + 15 * n_by_actor[a],
            color=color[actor_type[a]],
            edgecolor="white",
            linewidth=0.5,
            zorder=3,
            clip_on=False,
        )
        ax.annotate(
            _wrap(f"{pseudonym[a]} ({n_by_actor[a]})", width, 40, 20),
            (1, yy),
            xytext=(8, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=MIN_FONT_PT,
        )
    ax.set_xlim(0, 1)
    ax.set_ylim(len(teams) - 0.5, -0.5)
    ax.axis("off")
    if types:
        handles = [
            Line2D(
                [], [], color=color[t], marker="o", linewidth=1.2, label=actor_type_label(t, lang)
            )
            for t in types
        ]
        # what the number after an actor means, as a legend line without a symbol
        handles.append(Line2D([], [], linestyle="", label=text("n_teams_note", lang)))
        fig.legend(
            handles=handles, title=text("actor_type", lang), loc="outside lower center", ncol=ncol
        )
    _title(fig, text("network", lang), width)
    if shared:
        items = "; ".join(
            text("alt_network_item", lang).format(
                name=pseudonym[a],
                kind=actor_type_label(actor_type[a], lang).lower(),
                n=n_by_actor[a],
            )
            for a in sorted(shared, key=lambda a: (-n_by_actor[a], pseudonym[a]))
        )
        alt = text("alt_network", lang).format(
            n_teams=len(teams), n_actors=len(shared), min_teams=min_teams, items=items
        )
    else:
        alt = text("alt_network_none", lang).format(n_teams=len(teams), min_teams=min_teams)
    return _finish(fig, alt, lang, fictional)


def barrier_heatmap(
    barriers: pd.DataFrame,
    *,
    labels: dict[str, str] | None = None,
    lang: str = "nl",
    fictional: bool = False,
    width: str = "full",
) -> plt.Figure | None:
    """Teams × barriers severity heat map (barriers: long table team_id, barrier_id, severity).

    ``None`` when no severity is rated.
    """
    order = list(dict.fromkeys(barriers["barrier_id"]))
    wide = barriers.pivot(index="team_id", columns="barrier_id", values="severity")[order]
    wide = wide.reindex(list(dict.fromkeys(barriers["team_id"])))  # teams in the order given
    return score_heatmap(
        wide,
        labels=labels,
        lang=lang,
        fictional=fictional,
        title=text("barriers", lang),
        measure="severity",
        width=width,
    )


# Krippendorff (2004): reliable from .800, tentative conclusions from .667
ALPHA_BANDS = ((0.8, CATEGORICAL[0], "o"), (0.667, CATEGORICAL[1], "s"), (-np.inf, "#000000", "v"))


@_printable
def forest_plot(
    table: pd.DataFrame,
    *,
    labels: dict[str, str] | None = None,
    lang: str = "nl",
    fictional: bool = False,
    title: str | None = None,
    width: str = "full",
) -> plt.Figure | None:
    """Krippendorff's α per code with its bootstrap interval and the .667 / .800 thresholds;
    colour and marker show the band (legend below).

    ``None`` when no code has a defined α (nothing double-coded).

    Args:
        table: rows with code_id, alpha, alpha_ci_low, alpha_ci_high (undefined α left out).
    """
    frame = table.dropna(subset=["alpha"]).reset_index(drop=True).copy()
    if frame.empty:
        return None
    column = width == "column"
    frame["label"] = frame["code_id"].map(lambda c: (labels or {}).get(c, c))
    shown = [_wrap(label, width, 40, 30) for label in frame["label"]]
    fig, ax = _figure(
        width, 1.7 + _row_height(shown, column) * len(frame) + (0.35 if column else 0)
    )
    y = np.arange(len(frame))
    low = (frame["alpha"] - frame["alpha_ci_low"]).clip(lower=0).fillna(0)
    high = (frame["alpha_ci_high"] - frame["alpha"]).clip(lower=0).fillna(0)
    ax.errorbar(frame["alpha"], y, xerr=[low, high], fmt="none", ecolor="#777777", elinewidth=1)
    band = [
        next(i for i, (floor, _, _) in enumerate(ALPHA_BANDS) if a >= floor) for a in frame["alpha"]
    ]
    words = text("alpha_bands", lang)
    lo, hi = i18n.number(0.667, 3, lang), i18n.number(0.8, 3, lang)
    band_labels = (f"α ≥ {hi}: {words[0]}", f"{lo} ≤ α < {hi}: {words[1]}", f"α < {lo}: {words[2]}")
    for i, (_, color, marker) in enumerate(ALPHA_BANDS):
        rows = [k for k, b in enumerate(band) if b == i]
        ax.scatter(
            frame.loc[rows, "alpha"],
            y[rows],
            color=color,
            marker=marker,
            zorder=3,
            s=24,
            label=band_labels[i],
        )
    for threshold, linestyle, align in ((0.667, ":", "right"), (0.8, "--", "left")):
        ax.axvline(threshold, color="#444444", linestyle=linestyle, linewidth=0.8)
        ax.annotate(
            i18n.number(threshold, 3, lang),
            (threshold, 1.0),
            xycoords=ax.get_xaxis_transform(),
            xytext=(-2 if align == "right" else 2, 2),
            textcoords="offset points",
            ha=align,
            va="bottom",
            fontsize=MIN_FONT_PT,
        )
    ax.set_yticks(y, shown, fontsize=MIN_FONT_PT if column else None)
    ax.invert_yaxis()
    ax.set_xlim(min(-0.05, float(frame["alpha_ci_low"].min(skipna=True) or 0) - 0.05), 1.05)
    _decimal_axis(ax.xaxis, lang)
    ax.set_xlabel(text("alpha_axis", lang))
    handles = [
        Line2D([], [], linestyle="", marker=m, color=c, label=band_labels[i])
        for i, (_, c, m) in enumerate(ALPHA_BANDS)
    ]
    fig.legend(handles=handles, loc="outside lower center", ncol=1 if column else 3)
    title = title or text("alpha_title", lang)
    # room above the axes for the threshold labels, so they never touch the title
    ax.set_title(_wrap(title, width, 80, 20), pad=MIN_FONT_PT + 8)  # over the plot only

    counts = [band.count(i) for i in range(3)]
    weak = frame[[b == 2 for b in band]].sort_values("alpha")
    low_items = ", ".join(
        f"{label} {i18n.number(a, 2, lang)}"
        for label, a in zip(weak["label"], weak["alpha"], strict=True)
    )
    alt = text("alt_forest", lang).format(
        n=len(frame),
        good=counts[0],
        mid=counts[1],
        bad=counts[2],
        lo=lo,
        hi=hi,
        low_items=text("alt_forest_low", lang).format(items=low_items) if low_items else "",
    )
    return _finish(fig, alt, lang, fictional)


def _phase_style(phase: int) -> dict[str, str]:
    return {
        "color": CATEGORICAL[(phase - 1) % len(CATEGORICAL)],
        "hatch": PHASE_HATCHES[(phase - 1) % len(PHASE_HATCHES)],
    }


@_printable
def phase_timeline(
    phases: pd.DataFrame,
    *,
    team_names: dict[str, str] | None = None,
    reached: dict[str, int] | None = None,
    lang: str = "nl",
    fictional: bool = False,
    width: str = "full",
) -> plt.Figure | None:
    """The teams through the SiBD phases: per team a bar for each phase from its first to its
    last dated document, a colour and a hatch per phase, teams in the order given; a phase
    reached beyond the material is said at the row's end. ``None`` without dated material.

    Args:
        phases: rows team_id, phase, first_date, last_date (:func:`botu.phases.phase_table`).
        reached: team id → the phase it reached (typed).
    """
    dated = phases[phases["first_date"].fillna("").astype(str) != ""]
    if dated.empty:
        return None
    names = team_names or {}
    teams = list(dict.fromkeys(phases["team_id"]))
    column = width == "column"
    shown = [_wrap(names.get(t, t), width, 30, 18) for t in teams]
    n_phases = int(phases["phase"].max())
    legend_rows = 2 if column else 1
    fig, ax = _figure(width, 1.3 + _row_height(shown, column) * len(teams) + 0.2 * legend_rows)
    y = {t: i for i, t in enumerate(teams)}
    start = pd.to_datetime(dated["first_date"])
    end = pd.to_datetime(dated["last_date"])
    span = max((end.max() - start.min()).days, 1)
    least = pd.Timedelta(days=max(span // 60, 3))  # a one-day phase still shows
    for row, first, last in zip(dated.itertuples(), start, end, strict=True):
        style = _phase_style(int(row.phase))
        ax.barh(
            y[row.team_id],
            max(last - first, least),
            left=first,
            height=0.6,
            color=style["color"],
            hatch=style["hatch"],
            edgecolor=OUTLINE,
            linewidth=0.6,
        )
    last_by_team = end.groupby(dated["team_id"].to_numpy()).max()
    documented = dated.groupby("team_id")["phase"].max()
    for team, top in (reached or {}).items():
        if team in y and top and top > documented.get(team, 0):
            ax.text(
                last_by_team.get(team, start.min()) + least * 2,
                y[team],
                text("phase_reached_short" if column else "phase_reached_beyond", lang).format(
                    n=top
                ),
                va="center",
                fontsize=MIN_FONT_PT,
                color="#333333",
            )
    ax.set_yticks(list(y.values()), shown)
    ax.invert_yaxis()
    room = span // (3 if column else 4) + 30  # for the 'reached' note after the last bar
    ax.set_xlim(start.min() - least, end.max() + pd.Timedelta(days=room))
    # half-yearly ticks at full width, yearly at column width (the labels must not touch)
    ax.xaxis.set_major_locator(matplotlib.dates.MonthLocator(bymonth=(1,) if column else (1, 7)))
    ax.xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%Y" if column else "%m-%Y"))
    ax.set_xlabel(text("phase_date", lang))
    handles = [
        matplotlib.patches.Patch(
            facecolor=_phase_style(p)["color"],
            hatch=_phase_style(p)["hatch"],
            edgecolor=OUTLINE,
            label=text("phase_n", lang).format(n=p),
        )
        for p in range(1, n_phases + 1)
        if p in set(dated["phase"])
    ]
    fig.legend(
        handles=handles,
        loc="outside lower center",
        ncol=2 if column else len(handles),
        frameon=False,
    )
    title = text("phases", lang)
    _title(fig, title, width)
    items = "; ".join(
        text("alt_phase_team", lang).format(
            team=names.get(team, team),
            phases=", ".join(
                f"{text('phase_n', lang).format(n=int(r.phase))} "
                + (r.first_date if r.first_date == r.last_date else f"{r.first_date}–{r.last_date}")
                for r in dated[dated["team_id"] == team].itertuples()
            ),
        )
        for team in teams
        if team in set(dated["team_id"])
    )
    return _finish(fig, text("alt_phases", lang).format(title=title, items=items), lang, fictional)
