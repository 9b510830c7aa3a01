import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from botu import plots


@pytest.fixture
def scores():
    rng = np.random.default_rng(2028)
    frame = pd.DataFrame(
        rng.integers(0, 4, size=(3, 4)), index=["T01", "T02", "T03"], columns=["a", "b", "c", "d"]
    ).astype("Int64")
    frame.loc["T02", "c"] = pd.NA
    return frame


def test_save_figure_writes_png_and_svg_identically_twice(tmp_path, scores):
    fig = plots.score_heatmap(scores, fictional=True)
    first = plots.save_figure(fig, "heat", figures_dir=tmp_path / "a")
    second = plots.save_figure(fig, "heat", figures_dir=tmp_path / "b")
    plt.close(fig)
    assert [p.name for p in first] == ["heat.png", "heat.svg", "heat-kolom.png", "heat-kolom.svg"]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()
    assert first[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_png_is_300_dpi(tmp_path, scores):
    from PIL import Image

    fig = plots.score_heatmap(scores)
    png = plots.save_figure(fig, "heat", figures_dir=tmp_path, formats=("png",))[0]
    plt.close(fig)
    dpi = Image.open(png).info["dpi"]
    assert round(dpi[0]) == 300


def test_a_print_png_is_the_figure_as_savefig_draws_it(tmp_path):
    """The print PNG comes from the rendered pixels (shared with the page's image): same
    size and pixels as matplotlib's own PNG, opaque, with its resolution and no time. A
    height of 10.73 in is 3218.9999… pixels at 300 dpi in floating point; Agg draws 3219."""
    import io

    from PIL import Image

    fig, ax = plt.subplots(figsize=(plots.WIDTHS["column"], 10.73))
    ax.bar(["a", "b"], [1, 2])
    png = plots.save_figure(
        fig, "tall", figures_dir=tmp_path, formats=("png",), widths=("column",)
    )[0]
    own = io.BytesIO()
    with plots.style():
        fig.savefig(own, format="png", dpi=plots.DPI)
    plt.close(fig)
    ours, theirs = Image.open(png), Image.open(own)
    assert ours.size == theirs.size == (1003, 3219)
    assert ours.mode == "RGB" and ours.info["Software"] == "botu"
    assert np.array_equal(np.asarray(ours), np.asarray(theirs.convert("RGB")))


def test_heatmap_marks_missing_and_uses_labels(scores):
    fig = plots.score_heatmap(scores, labels={"a": "Hulpbronnen"}, lang="en")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "n/a" in texts  # the NA cell is labelled, not drawn as 0
    assert fig.axes[0].get_xticklabels()[0].get_text() == "Hulpbronnen"
    plt.close(fig)


def test_fictional_mark_in_chosen_language(scores):
    fig = plots.score_heatmap(scores, fictional=True, lang="nl")
    # first line of the figure's title, so no legend or label can run into it
    assert fig.get_suptitle().splitlines()[0] == "FICTIEVE DEMODATA"
    plt.close(fig)
    fig = plots.score_heatmap(scores, fictional=False, lang="nl")
    assert "FICTIEVE" not in fig.get_suptitle()
    plt.close(fig)


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="lang must be one of nl, en"):
        plots.text("score", "de")


def test_actor_network_draws_only_shared_actors():
    members = pd.DataFrame(
        {
            "team_id": ["T1", "T2", "T1", "T2"],
            "actor_id": ["A1", "A1", "A2", "A3"],
            "pseudonym": ["Gemeente", "Gemeente", "Fonds F1", "Bewonersgroep B1"],
            "actor_type": ["gemeente", "gemeente", "fonds", "bewoners"],
            "has_joined": [True, True, True, True],
        }
    )
    fig = plots.actor_network(members)
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert "Gemeente (2)" in labels and not any("Fonds" in t for t in labels)
    plt.close(fig)


def test_the_page_image_keeps_every_category_colour():
    """The page's image is reduced to a palette; a heatmap's lightest category (near white)
    must keep its own colour, not merge into the white around it (Pillow's fast octree did:
    the heatmap's empty cells and its legend swatch turned white)."""
    import base64
    import io

    from PIL import Image

    rng = np.random.default_rng(7)
    many = pd.DataFrame(
        rng.choice([0, 0, 0, 1, 2, 3], size=(7, 12)),
        index=[f"Demo-team {i}" for i in range(7)],
        columns=[f"factor met een lange naam {j}" for j in range(12)],
    ).astype("Int64")
    fig = plots.score_heatmap(many, fictional=True)
    face = {
        tuple(round(255 * c) for c in rgba[:3])
        for ax in fig.axes
        for collection in ax.collections
        for rgba in collection.get_facecolors()
    }
    # as publish makes it: the print rendering, reduced to the page's resolution
    shown = plots._shown_png(plots._render(fig, plots.DPI), plots.DPI, plots.DPI // plots.SHOW_DPI)
    plt.close(fig)
    image = Image.open(io.BytesIO(base64.b64decode(shown))).convert("RGB")
    colours = np.array([c for _, c in image.getcolors(maxcolors=1 << 16)])
    lightest = max((c for c in face if c != (255, 255, 255)), key=sum, default=None)
    assert lightest is not None
    assert np.abs(colours - np.array(lightest)).max(axis=1).min() <= 1, lightest
