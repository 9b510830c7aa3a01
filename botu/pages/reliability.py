"""The reliability page (``20-reliability``): how well the coders agree, per code, code
family and all codes together, at document level, per team, and for the raters' team scores;
the value, its interval and its reading side by side. Numbers in prose from ``summary.json``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from botu import labels as catalogue
from botu.pages.common import (
    NBSP,
    Notice,
    check_lang,
    code_names,
    fictional_banner,
    interval,
    md,
    number,
    percent,
    plots,
    say,
    table,
    team_names,
)
from botu.pipeline import load_summary, load_table
from botu.reliability import ALPHA_TENTATIVE, interpret_alpha, interpret_kappa

# what the page reads of data/processed: a change elsewhere does not rerun it (botu.report)
INPUTS = (
    "summary",
    "codebook",
    "teams",
    "reliability_segments",
    "reliability_documents",
    "reliability_teams",
    "reliability_ratings",
    "disagreements",
)


@dataclass
class ReliabilityPage:
    summary: dict[str, Any]
    lang: str
    names: dict[str, str]  # code id → label
    root: Path | None = None

    @property
    def banner(self) -> Notice:
        return fictional_banner(self.summary["data"]["is_fictional"], self.lang)


def start(lang: object, root: Path | None = None) -> ReliabilityPage:
    """The page's parameters checked and the summary loaded."""
    lang = check_lang(lang)
    return ReliabilityPage(load_summary(root), lang, code_names(lang, root), root)


def _no_overlap_notice(what: str, lang: str) -> Notice:
    """Nothing to compare: no segment two coders coded, or no team two raters scored."""
    key = "no_ratings_overlap" if what == "ratings" else "no_codings_overlap"
    return Notice(say(f"text.reliability.{key}", lang))


def _ratings_sentence(summary: dict[str, Any], lang: str, with_interval: bool = True) -> str:
    rat = summary["reliability"].get("ratings_pooled")
    if not (rat and rat.get("n_units")):
        return say("text.reliability.no_ratings", lang)
    ci = rat.get("alpha_ci") or [None, None]
    shown = "" if not with_interval or None in ci else f" {interval(ci[0], ci[1], 2, lang)}"
    return say(
        "text.reliability.ratings",
        lang,
        alpha=number(rat["alpha"], 3, lang),
        interval=shown,
        reading=interpret_alpha(rat["alpha"], lang),
        kappa=number(rat["kappa"], 3, lang),
    )


def _single_coder_text(summary: dict[str, Any], lang: str) -> str:
    """The reliability headline when nothing is double-coded (one coder, or coders apart)."""
    d = summary["data"]
    n_coders = d.get("n_coders", 0)
    who = (
        say("text.reliability.who_nothing", lang)
        if n_coders == 0
        else say("text.reliability.who_one", lang)
        if n_coders == 1
        else say("text.reliability.who_apart", lang, n=n_coders)
    )
    head = say("text.reliability.single", lang, n=d["n_segments"], who=who)
    return head + _ratings_sentence(summary, lang, with_interval=False)


def headline(page: ReliabilityPage) -> Notice:
    """The reliability headline, numbers from ``summary.json``, reading beside each value.

    Undefined coefficients (one coder only, no variation) are shown as such, not as numbers.
    """
    summary, lang, names = page.summary, page.lang, page.names
    r = summary.get("reliability")
    if not r:
        return Notice("")
    if not r["n_segments_double_coded"]:
        return Notice(_single_coder_text(summary, lang))
    seg = r["segments_pooled"]
    ci = seg.get("alpha_ci") or [None, None]
    weakest = ", ".join(
        f"{md(names.get(w['code_id'], w['code_id']))} (α{NBSP}={NBSP}{number(w['alpha'], 2, lang)})"
        for w in r["weakest_codes"]
    )
    code = r["most_disputed_code"]
    text = say(
        "text.reliability.headline",
        lang,
        n=r["n_segments_double_coded"],
        share=percent(r["share_segments_double_coded"], 0, lang),
        alpha=number(seg["alpha"], 3, lang),
        interval="" if None in ci else f" {interval(ci[0], ci[1], 2, lang)}",
        alpha_reading=interpret_alpha(seg["alpha"], lang),
        kappa=number(seg["kappa"], 3, lang),
        kappa_reading=interpret_kappa(seg["kappa"], lang),
        n_below=r["n_codes_alpha_below_0667"],
        n_assessed=r["n_codes_assessed"],
        bound=number(ALPHA_TENTATIVE, 3, lang),
        weakest=weakest or "–",
        disputed=md(names.get(code, code)) if code else "–",
    )
    if r.get("ratings_pooled"):
        text += _ratings_sentence(summary, lang)
    return Notice(text)


def _intervals(low: pd.Series, high: pd.Series, lang: str) -> pd.Series:
    return pd.Series(
        [interval(a, b, 2, lang) for a, b in zip(low, high, strict=True)], index=low.index
    )


def coefficients(page: ReliabilityPage, name: str, *, scope: str | None = None):
    """A reliability table for display: value, interval and reading side by side.

    Args:
        name: ``segments``, ``documents``, ``teams`` or ``ratings``.
        scope: keep only rows of this scope (``code``, ``family``, ``pooled``, ``factor``).
    """
    lang = page.lang
    frame = load_table(f"reliability_{name}", page.root)
    if scope is not None:
        frame = frame[frame["scope"] == scope]
    if not (frame["n_units"] > 0).any():
        return _no_overlap_notice("ratings" if name == "ratings" else "codings", lang)
    out = pd.DataFrame(index=frame.index)
    if name == "teams":
        names = team_names(page.root)
        out["team"] = frame["team_id"].map(lambda t: names.get(t, t))
    else:
        key = "factor_id" if name == "ratings" else "code_id"
        label = frame[key].map(lambda c: page.names.get(c) if isinstance(c, str) else None)
        label = label.fillna(frame["label"]).fillna(frame[key])
        pooled = frame["scope"].eq("pooled") & (label.isna() | label.eq(""))
        out["label"] = label.mask(pooled, catalogue.value("pooled", lang)).fillna("–")
    if scope is None and "scope" in frame:
        out["scope"] = frame["scope"]
    out["n_units"] = frame["n_units"]
    out["percent_agreement"] = frame["percent_agreement"].map(lambda v: percent(v, 1, lang))
    out["kappa"] = frame["kappa"].map(lambda v: number(v, 3, lang))
    out["kappa_ci"] = _intervals(frame["kappa_ci_low"], frame["kappa_ci_high"], lang)
    out["kappa_interpretation"] = frame["kappa"].map(lambda v: interpret_kappa(v, lang))
    out["alpha"] = frame["alpha"].map(lambda v: number(v, 3, lang))
    out["alpha_ci"] = _intervals(frame["alpha_ci_low"], frame["alpha_ci_high"], lang)
    out["interpretation"] = frame["alpha"].map(lambda v: interpret_alpha(v, lang))
    out["note"] = frame["note"].map(lambda v: "" if pd.isna(v) else catalogue.note(v, lang))
    numbers = ("percent_agreement", "kappa", "kappa_ci", "alpha", "alpha_ci")
    return table(out, lang, name="reliability_view", numbers=numbers)


def alpha_per_code(root: Path | None = None) -> pd.DataFrame:
    """α per segment code with its interval (rows for the forest plot)."""
    frame = load_table("reliability_segments", root)
    return frame[frame["scope"] == "code"][["code_id", "alpha", "alpha_ci_low", "alpha_ci_high"]]


def alpha_figure(page: ReliabilityPage):
    """α per code with its interval, saved for print and shown."""
    fig = plots.forest_plot(
        alpha_per_code(page.root),
        labels=page.names,
        lang=page.lang,
        fictional=page.summary["data"]["is_fictional"],
    )
    return plots.publish(fig, "reliability-alpha", page.lang)


def disagreements(page: ReliabilityPage):
    """Per code, the segments where the coders differ, with the quote, for discussion."""
    lang = page.lang
    frame = load_table("disagreements", page.root)
    if frame.empty:
        segments = load_table("reliability_segments", page.root)
        if not (segments["n_units"] > 0).any():
            return _no_overlap_notice("codings", lang)
        return Notice(say("text.reliability.no_disagreement", lang))
    names = team_names(page.root)
    out = pd.DataFrame(
        {
            "label": [
                page.names.get(code, label)
                for code, label in zip(frame["code_id"], frame["label"], strict=True)
            ],
            "team": frame["team_id"].map(lambda t: names.get(t, t)),
            "disagreement": frame["disagreement"],
            "applied_by": frame["applied_by"].fillna(""),
            "not_applied_by": frame["not_applied_by"].fillna(""),
            # all empty (presence codes only) it is read as numbers: text first
            "values": frame["values"]
            .astype(object)
            .fillna("")
            .map(lambda v: _coder_values(v, lang)),
            "text": frame["text"].fillna(""),
        }
    )
    if not out["values"].str.strip().any():  # presence codes only: no values to compare
        out = out.drop(columns="values")
    return table(out, lang, name="disagreements", worded=("values",))


def _coder_values(text: str, lang: str) -> str:
    """'C1: fonds; C2: gemeente' with each value as its word."""

    def one(part: str) -> str:
        coder, sep, value = part.partition(":")
        return f"{coder.strip()}: {catalogue.values(value, lang)}" if sep else part.strip()

    return "; ".join(one(p) for p in str(text).split(";") if p.strip())
