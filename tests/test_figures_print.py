"""Figures for print: two widths, legends in reader words, colour-blind safe colours, no
text under 7 pt at print size, nothing cut off or overlapping the title, alt text in the
page's language, identical bytes from identical data."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex, to_rgba
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from PIL import Image

from botu import plots

LABELS = {
    "hulpbronnen": "Hulpbronnen",
    "bewonersinitiatief": "Bewonersinitiatief",
    "aansluiting": "Aansluiting bij buurtnetwerken",
    "responsiviteit": "Responsiviteit van instituties en programma's",
    "b_tijd": "Tijdgebrek",
    "b_geld": "Geldgebrek",
    "a_one": "Kennis en ervaring",
    "a_two": "Responsiviteit woningcorporatie",
    "a_three": "Professioneel centralisme",
}
TEAMS = ["T01", "T02", "T03", "T04"]
ACTOR_TYPES = [
    "bewoners",
    "fonds",
    "gemeente",
    "kennisinstelling",
    "ondernemer",
    "welzijn_maatschappelijk",
    "woningcorporatie",
    "zorginstelling",
]


def _scores() -> pd.DataFrame:
    frame = pd.DataFrame(
        [[2, 3, 1, 0], [1, 2, 3, 2], [3, 3, 2, 1], [0, 1, 2, 3]],
        index=TEAMS,
        columns=["hulpbronnen", "bewonersinitiatief", "aansluiting", "responsiviteit"],
    ).astype("Int64")
    frame.loc["T02", "aansluiting"] = pd.NA
    return frame


def _members() -> pd.DataFrame:
    rows = []
    for i, team in enumerate(TEAMS):
        rows.append((team, "A1", "Gemeente Rotterdam (gebiedsteam)", "gemeente"))
        rows.append((team, f"W{i % 2}", f"Welzijnsorganisatie W{i % 2}", "welzijn_maatschappelijk"))
        rows.append((team, f"X{i}", f"Bewonersgroep B{i}", "bewoners"))
    frame = pd.DataFrame(rows, columns=["team_id", "actor_id", "pseudonym", "actor_type"])
    return frame.assign(has_joined=True)


def _alpha() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code_id": ["a_one", "a_two", "a_three"],
            "alpha": [0.9, 0.7, 0.1],
            "alpha_ci_low": [0.8, 0.55, -0.2],
            "alpha_ci_high": [1.0, 0.85, 0.4],
        }
    )


# every figure function, built from the same small data set
FIGURES = {
    "heatmap": lambda lang, width: plots.score_heatmap(
        _scores(), labels=LABELS, lang=lang, fictional=True, width=width
    ),
    "profile": lambda lang, width: plots.profile_bars(
        pd.DataFrame({"factor_id": list(_scores().columns), "score": _scores().loc["T02"]}),
        labels=LABELS,
        title="Demo-team Zorg (T02)",
        lang=lang,
        fictional=True,
        width=width,
    ),
    "barriers": lambda lang, width: plots.barrier_bars(
        pd.DataFrame({"barrier_id": ["b_tijd", "b_geld"], "severity": [3, 1]}),
        labels=LABELS,
        lang=lang,
        width=width,
    ),
    "barrier_heatmap": lambda lang, width: plots.barrier_heatmap(
        pd.DataFrame(
            {
                "team_id": ["T01", "T01", "T02", "T02"],
                "barrier_id": ["b_tijd", "b_geld"] * 2,
                "severity": [3, 1, 2, 0],
            }
        ),
        labels=LABELS,
        lang=lang,
        width=width,
    ),
    "origin": lambda lang, width: plots.origin_involvement_plot(
        pd.DataFrame({"team_id": TEAMS, "uit_de_wijk": [3, 2, 1, 3], "door_de_wijk": [1, 2, 0, 2]}),
        lang=lang,
        fictional=True,
        new_team_ids=["T02"],
        width=width,
    ),
    "composition": lambda lang, width: plots.composition_bars(
        pd.DataFrame(
            np.ones((len(TEAMS), len(ACTOR_TYPES)), dtype=int), index=TEAMS, columns=ACTOR_TYPES
        ),
        lang=lang,
        fictional=True,
        width=width,
    ),
    "network": lambda lang, width: plots.actor_network(
        _members(), lang=lang, fictional=True, width=width
    ),
    "forest": lambda lang, width: plots.forest_plot(
        _alpha(), labels=LABELS, lang=lang, fictional=True, width=width
    ),
}
# figures whose colours stand for categories: they need a legend (figure or axes level)
CATEGORY_COLOURS = {"origin", "composition", "network", "forest"}
YELLOW = "#f0e442"
AMBER, VERMILLION = "#e69f00", "#d55e00"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _luminance(color) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b, _ = to_rgba(color)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast_on_white(color) -> float:
    return 1.05 / (_luminance(color) + 0.05)


def _texts(fig) -> list[Text]:
    """Every text drawn on the figure as saved, at 300 dpi (tick labels outside the axis
    range are not drawn)."""
    fig.set_dpi(plots.DPI)
    fig.canvas.draw()
    undrawn = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not low - 1e-9 <= tick.get_loc() <= high + 1e-9:
                    undrawn |= {id(tick.label1), id(tick.label2)}
    return [
        t
        for t in fig.findobj(Text)
        if t.get_visible()
        and t.get_text().strip()
        and t.get_figure() is fig
        and id(t) not in undrawn
    ]


def _colours(fig) -> set[str]:
    found = set()
    for artist in fig.findobj():
        for getter in ("get_facecolor", "get_edgecolor", "get_color"):
            try:
                values = getattr(artist, getter)()
            except (AttributeError, TypeError, ValueError):
                continue
            for value in np.atleast_2d(np.asarray(to_rgba_array_safe(values))):
                if value is not None and len(value) == 4 and value[3] > 0:
                    found.add(to_hex(value))
    return found


def to_rgba_array_safe(values):
    from matplotlib.colors import to_rgba_array

    try:
        return to_rgba_array(values)
    except (ValueError, TypeError):
        return np.empty((0, 4))


@pytest.mark.parametrize("name", FIGURES)
def test_saved_at_full_and_column_width_as_png_and_svg(tmp_path, name):
    fig = FIGURES[name]("nl", "full")
    written = plots.save_figure(fig, "fig", figures_dir=tmp_path)
    assert sorted(p.name for p in written) == [
        "fig-kolom.png",
        "fig-kolom.svg",
        "fig.png",
        "fig.svg",
    ]
    for file, mm in (("fig.png", 170), ("fig-kolom.png", 85)):
        image = Image.open(tmp_path / file)
        assert round(image.info["dpi"][0]) == 300
        assert abs(image.size[0] - mm / 25.4 * 300) <= 2  # exact print width, no cropping
    for file, mm in (("fig.svg", 170), ("fig-kolom.svg", 85)):
        svg = (tmp_path / file).read_text()
        width = float(re.search(r'<svg[^>]* width="([\d.]+)pt"', svg).group(1))
        assert abs(width - mm / 25.4 * 72) < 1


@pytest.mark.parametrize("name", FIGURES)
def test_same_data_gives_same_bytes(tmp_path, name):
    first = plots.save_figure(FIGURES[name]("nl", "full"), "fig", figures_dir=tmp_path / "a")
    second = plots.save_figure(FIGURES[name]("nl", "full"), "fig", figures_dir=tmp_path / "b")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    svg = (tmp_path / "a" / "fig.svg").read_text()
    assert "<dc:date>" not in svg
    assert b"tIME" not in (tmp_path / "a" / "fig.png").read_bytes()  # no PNG time chunk


@pytest.mark.parametrize("width", plots.WIDTHS)
@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("name", FIGURES)
def test_no_text_under_7_pt_and_nothing_cut_off_or_on_the_title(name, lang, width):
    fig = FIGURES[name](lang, width)
    assert fig.get_size_inches()[0] == pytest.approx(plots.WIDTHS[width])
    texts = _texts(fig)
    small = [(t.get_text(), t.get_fontsize()) for t in texts if t.get_fontsize() < 7]
    assert not small
    box = fig.bbox
    renderer = fig.canvas.get_renderer()
    for t in texts:
        extent = t.get_window_extent(renderer)
        assert extent.x0 >= box.x0 - 1 and extent.x1 <= box.x1 + 1, t.get_text()
        assert extent.y0 >= box.y0 - 1 and extent.y1 <= box.y1 + 1, t.get_text()
    titles = [ax.title for ax in fig.axes if ax.title.get_text()]
    if fig.get_suptitle():  # the figure's own title, centred over it
        titles.append(fig._suptitle)
    assert titles
    for title in titles:
        for t in texts:
            if t is not title:
                overlap = title.get_window_extent(renderer).overlaps(t.get_window_extent(renderer))
                assert not overlap, (title.get_text(), t.get_text())


def test_alpha_thresholds_sit_above_the_axes_below_the_title():
    fig = FIGURES["forest"]("nl", "column")
    texts = {t.get_text(): t for t in _texts(fig)}
    renderer = fig.canvas.get_renderer()
    title = fig.axes[0].title.get_window_extent(renderer)
    for label in ("0,667", "0,800"):
        assert texts[label].get_window_extent(renderer).y1 <= title.y0
    assert (
        not texts["0,667"]
        .get_window_extent(renderer)
        .overlaps(texts["0,800"].get_window_extent(renderer))
    )


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("name", sorted(CATEGORY_COLOURS))
def test_category_colours_have_a_legend_in_reader_words(name, lang):
    fig = FIGURES[name](lang, "full")
    legends = list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend()]
    assert legends, f"{name} has colours without a legend"
    labels = [t.get_text() for legend in legends for t in legend.get_texts()]
    assert labels and not [label for label in labels if "_" in label]
    if name in {"composition", "network"}:
        expected = "Welzijn en maatschappelijk werk" if lang == "nl" else "Welfare and social work"
        assert expected in labels


@pytest.mark.parametrize("name", ["heatmap", "barrier_heatmap"])
def test_heatmap_colours_are_explained_by_a_labelled_colour_bar(name):
    fig = FIGURES[name]("en", "column")
    assert len(fig.axes) == 2  # the colour bar
    words = " ".join(t.get_text() for t in _texts(fig))
    assert "0 absent" in words and "3 strong" in words


@pytest.mark.parametrize("width", plots.WIDTHS)
@pytest.mark.parametrize("name", FIGURES)
def test_colours_stay_apart_for_colour_blind_readers(name, width):
    fig = FIGURES[name]("nl", width)
    colours = _colours(fig)
    assert YELLOW not in colours
    assert not {AMBER, VERMILLION} <= colours, "amber and vermillion merge for red-blind readers"
    for patch in fig.findobj(Rectangle):
        if patch.axes is None or not patch.get_fill() or patch.get_height() == 0:
            continue
        if patch in (patch.axes.patch,) or patch.get_width() == 0:
            continue
        face, edge = patch.get_facecolor(), patch.get_edgecolor()
        visible_face = face[3] > 0 and _contrast_on_white(face) >= 3
        visible_edge = patch.get_linewidth() > 0 and edge[3] > 0 and _contrast_on_white(edge) >= 3
        assert visible_face or visible_edge, to_hex(face)


@pytest.mark.parametrize("name", FIGURES)
def test_alt_text_says_what_the_figure_shows_in_the_page_language(name):
    nl = plots.alt_text(FIGURES[name]("nl", "full"))
    en = plots.alt_text(FIGURES[name]("en", "full"))
    assert nl and en and nl != en
    assert re.match(r"(Staafdiagram|Heatmap|Puntdiagram|Gestapeld|Netwerkdiagram) ", nl)
    assert re.match(r"(Bar chart|Heat map|Dot plot|Stacked|Network diagram) ", en)
    for alt in (nl, en):
        assert "_" not in alt  # reader words, not ids
    # the sentence around the data (names come from the study's codebook)
    frame_nl, frame_en = nl.split(":")[0], en.split(":")[0]
    assert not re.search(r"\b(the|and|of|by|per team of)\b", frame_nl)
    assert not re.search(r"\b(de|het|van|en|naar)\b", frame_en)


def test_alt_text_is_built_from_the_data():
    alt = plots.alt_text(FIGURES["profile"]("nl", "full"))
    assert "Demo-team Zorg (T02)" in alt
    assert "Hulpbronnen 1 (zwak)" in alt and "Aansluiting bij buurtnetwerken n.v.t." in alt
    alt = plots.alt_text(FIGURES["forest"]("en", "full"))
    assert "1 unreliable" in alt and "Professioneel centralisme 0.10" in alt


def test_show_gives_an_img_with_escaped_alt_text_and_closes_the_figure():
    frame = pd.DataFrame({"factor_id": ["hulpbronnen"], "score": [2]})
    fig = plots.profile_bars(frame, title='<script>alert("x")</script> & co', lang="nl")
    shown = plots.show(fig)
    markup = shown._repr_html_()
    assert not plt.fignum_exists(fig.number)
    alt = re.search(r'<img [^>]*alt="([^"]*)"', markup).group(1)
    assert alt.startswith(
        "Staafdiagram &#x27;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co&#x27;"
    )
    assert "<script>" not in markup
    assert markup.count("data:image/png;base64,") == 2  # full width, and column on phones
    assert repr(shown) == plots.alt_text(fig)
    assert plots.show(None) is None
