"""How QDA tools count ``startPosition``/``endPosition`` of a text selection, and slicing by it.

REFI-QDA leaves the unit open, and tools differ in two ways:

- **unit**: Unicode code points (Python ``str`` indices), UTF-16 code units (the string unit
  of .NET, Qt, Cocoa and Delphi, where a character outside the Basic Multilingual Plane such as
  an emoji counts twice) or, rarely, UTF-8 bytes;
- **line ends**: whether a Windows line end ``\\r\\n`` in the plain-text file counts as two
  positions (the file as stored) or one (the tool's own text, with ``\\n`` line ends).

A byte-order mark at the start of a file is never counted. Positions we write out are code
points into the text as stored (``\\r\\n`` = 2), and every slice satisfies
``text[start:end] == quote``.

Defaults per tool (``TOOL_CONVENTIONS``), and the evidence:

- QualCoder: code points, ``\\r\\n`` = 1. Its ``refi.py`` slices Python strings
  (``fulltext[pos0:pos1]``) read with universal newlines, and writes the same offsets.
- ATLAS.ti: ``\\r\\n`` = 1 — QualCoder's ``refi.py``: "Atlas stored correct positions ... as
  though it is \\n - one character. But the source.txt stores \\r\\n"; UTF-16 (inferred from
  the platform, not verified on an export).
- MAXQDA: ``\\r\\n`` = 1 — QualCoder's export option for MAXQDA writes the plain text with
  ``\\r\\n`` line ends but leaves the positions as counted with ``\\n``; UTF-16 (inferred).
- NVivo: ``\\r\\n`` = 2 — QualCoder's import pads every line end of a CRLF text to two
  characters ("When testing with Windows Nvivo export ... The text may need an additional
  line-ending character for Windows: \\r\\n"); UTF-16 (inferred from the platform).
- botu and unknown tools: code points, ``\\r\\n`` = 2 (the file as stored).

Because the unit is partly inferred, each source is also checked against the evidence inside
the export: most tools name a selection after (the start of) the text selected. When another
convention (code points, UTF-16 units or UTF-8 bytes; CRLF as 1 or 2) explains those names
strictly better than the default, it is used, with a warning. ``--positions`` fixes the unit
(the tool's line-end rule still applies, and is still checked against the names).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

UNITS = ("codepoints", "utf16", "utf8")


@dataclass(frozen=True)
class Convention:
    units: str  # "codepoints" | "utf16" | "utf8"
    crlf: int  # positions one "\r\n" line end takes: 2 (as stored) or 1

    def describe(self) -> str:
        unit = {"utf16": "UTF-16 code units", "utf8": "UTF-8 bytes"}.get(self.units, "code points")
        return f"{unit}, CRLF = {self.crlf}"


def _width(ch: str, units: str) -> int:
    """Positions one code point takes in ``units``."""
    code = ord(ch)
    if units == "utf16":
        return 2 if code > 0xFFFF else 1
    if units == "utf8":
        return 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
    return 1


TOOLS = {
    "atlasti": "ATLAS.ti",
    "maxqda": "MAXQDA",
    "nvivo": "NVivo",
    "qualcoder": "QualCoder",
    "botu": "botu",
    "unknown": "unknown tool",
}
TOOL_CONVENTIONS = {
    "atlasti": Convention("utf16", 1),
    "maxqda": Convention("utf16", 1),
    "nvivo": Convention("utf16", 2),
    "qualcoder": Convention("codepoints", 1),
    "botu": Convention("codepoints", 2),
    "unknown": Convention("codepoints", 2),
}


def detect_tool(origin: str | None) -> str:
    """The tool that wrote a project, from ``<Project origin="...">`` (e.g. "ATLAS.ti 23.2")."""
    text = re.sub(r"[^a-z]", "", (origin or "").lower())
    for key, needle in (
        ("atlasti", "atlasti"),
        ("maxqda", "maxqda"),
        ("nvivo", "nvivo"),
        ("qualcoder", "qualcoder"),
        ("botu", "botu"),
    ):
        if needle in text:
            return key
    return "unknown"


class PositionMap:
    """Converts between a tool's positions and code-point indices of a text as stored."""

    def __init__(self, text: str, convention: Convention):
        self.text = text
        self.convention = convention
        self._wide: list[int] = []  # code points taking more than one position ...
        self._extra = [0]  # ... and the running total of their extra positions
        if convention.units != "codepoints":
            for i, ch in enumerate(text):
                width = _width(ch, convention.units)
                if width > 1:
                    self._wide.append(i)
                    self._extra.append(self._extra[-1] + width - 1)
        self._crs = [m.start() for m in re.finditer("\r\n", text)] if convention.crlf == 1 else []

    @property
    def trivial(self) -> bool:
        return not self._wide and not self._crs

    def offset(self, index: int) -> int:
        """The tool's position of the boundary before code point ``index``."""
        extra = self._extra[bisect_left(self._wide, index)]
        return index + extra - bisect_left(self._crs, index)

    @property
    def length(self) -> int:
        return self.offset(len(self.text))

    def index(self, position: int) -> int | None:
        """The first code-point boundary at tool ``position`` (``None``: there is none, e.g.
        the middle of a surrogate pair, or beyond the end)."""
        if position < 0 or position > self.length:
            return None
        if self.trivial:
            return position
        lo, hi = 0, len(self.text)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.offset(mid) < position:
                lo = mid + 1
            else:
                hi = mid
        return lo if self.offset(lo) == position else None

    def span(self, start: int, end: int) -> tuple[int, int] | str:
        """Code-point ``(i, j)`` for a selection, or a message why it does not fit."""
        i, j = self.index(start), self.index(end)
        if i is None or j is None:
            bad = start if i is None else end
            if 0 <= bad <= self.length:
                return f"position {bad} falls inside a character ({self.convention.describe()})"
            return (
                f"position {bad} lies outside the text ({self.length} positions long in "
                f"{self.convention.describe()})"
            )
        return i, j


def needs_convention(text: str) -> bool:
    """True when the conventions disagree on ``text`` (it has CRLF or non-ASCII characters)."""
    return "\r\n" in text or not text.isascii()


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def name_match(name: str, quote: str) -> int:
    """How well a selection's name fits the text selected: 3 the whole text, 2 its start,
    1 its start give or take surrounding blanks, 0 not (or a name too short to tell)."""
    wanted = _squeeze(name).strip()
    for tail in ("...", "…"):
        if wanted.endswith(tail):
            wanted = wanted[: -len(tail)].rstrip()
    if len(wanted) < 3:
        return 0
    got = _squeeze(quote)
    if got == wanted:
        return 3
    if got.startswith(wanted):
        return 2
    return 1 if got.strip().startswith(wanted) else 0


MAX_NAMES_CHECKED = 200  # selection names compared per source to choose the convention
MAX_BOUNDARIES_CHECKED = 1000  # selections whose ends are checked against word boundaries


def _is_boundary(text: str, index: int) -> bool:
    """True at the start or end of the text, or between a letter/digit and anything else."""
    if index <= 0 or index >= len(text):
        return True
    return not (text[index - 1].isalnum() and text[index].isalnum())


def misfits(text: str, spans: list[tuple[int, int]], convention: Convention) -> int:
    """How many selections fall outside the text, or inside a character, by ``convention``."""
    positions = PositionMap(text, convention)
    return sum(1 for start, end in spans if isinstance(positions.span(start, end), str))


def boundary_fit(text: str, spans: list[tuple[int, int]], convention: Convention) -> int:
    """How many selections start and end on word boundaries when counted by ``convention``.

    People select words, sentences and paragraphs: under the right convention nearly every
    selection begins and ends between words; under a wrong one, on text with characters that
    the conventions count differently, the ends drift into the middle of words.
    """
    positions = PositionMap(text, convention)
    fit = 0
    for start, end in spans:
        span = positions.span(start, end)
        if (
            not isinstance(span, str)
            and _is_boundary(text, span[0])
            and _is_boundary(text, span[1])
        ):
            fit += 1
    return fit


def _clearly_better(best: int, other: int, total: int) -> bool:
    """``best`` selections on word boundaries beat ``other`` by a margin chance can't make."""
    return best - other >= max(3, total // 10) and other < 0.8 * best


def choose_convention(
    text: str,
    selections: list[tuple[int, int, str]],
    default: Convention,
    fixed_units: str | None = None,
) -> tuple[Convention, str, str]:
    """The convention for one source: the tool's ``default`` (or the forced unit) unless the
    evidence in the export says otherwise.

    Evidence, in order: the selections' names (most tools name a selection after the text
    selected), then the text itself (:func:`boundary_fit`). In ``auto`` mode a convention the
    evidence clearly prefers is used instead of the default; a forced unit is kept, but a
    warning names the convention that fits better.

    Returns:
        The convention, a warning ('' when none is due) and a line saying how the convention
        was confirmed, or that nothing could confirm it ('' when all conventions agree).
    """
    if not needs_convention(text):
        return default, "", ""
    units = (fixed_units,) if fixed_units else UNITS
    crlfs = (2, 1) if "\r\n" in text else (default.crlf,)  # else the line-end rule is moot
    allowed = [default] + [
        Convention(u, c) for u in units for c in crlfs if Convention(u, c) != default
    ]
    every = [default] + [
        Convention(u, c) for u in UNITS for c in crlfs if Convention(u, c) != default
    ]
    named = [(s, e, n) for s, e, n in selections if n and len(_squeeze(n).strip()) >= 3]
    named = named[:MAX_NAMES_CHECKED]  # a sample decides; checking all would cost time per name
    spans = [(s, e) for s, e, _ in selections][:MAX_BOUNDARIES_CHECKED]
    fits = {c: boundary_fit(text, spans, c) for c in every} if spans else {}
    chosen, note, check = default, "", ""
    if named:

        def score(convention: Convention) -> int:
            positions = PositionMap(text, convention)
            total = 0
            for start, end, name in named:
                span = positions.span(start, end)
                total += -1 if isinstance(span, str) else name_match(name, text[span[0] : span[1]])
            return total

        scores = {c: score(c) for c in allowed}
        best = max(allowed, key=lambda c: scores[c])  # first best wins: the default on ties
        if scores[best] > scores[default]:
            chosen = best
            note = (
                f"positions counted as {best.describe()} (not the tool's usual "
                f"{default.describe()}): the names of its {len(named)} selection(s) fit the "
                f"text better that way (score {scores[best]} against {scores[default]})"
            )
        check = f"{chosen.describe()}, confirmed by the names of {len(named)} selection(s)"
    elif fits:
        best = max(allowed, key=lambda c: fits[c])
        n = len(spans)
        broken = misfits(text, spans, default)
        if not fixed_units and broken and not misfits(text, spans, best):
            chosen = best  # the usual convention puts selections outside the text
            note = (
                f"positions counted as {best.describe()} (not the tool's usual "
                f"{default.describe()}, by which {broken} selection(s) fall outside the text "
                f"or inside a character)"
            )
        elif not fixed_units and _clearly_better(fits[best], fits[default], n):
            chosen = best
            note = (
                f"positions counted as {best.describe()} (not the tool's usual "
                f"{default.describe()}): {fits[best]}/{n} selections then start and end on "
                f"word boundaries, against {fits[default]}/{n}"
            )
        elif fixed_units and _clearly_better(fits[best], fits[default], n):
            chosen = best  # the forced unit; the line-end rule the text prefers
        runner = max((c for c in every if c != chosen), key=lambda c: fits[c])
        if _clearly_better(fits[chosen], fits[runner], n):
            check = (
                f"{chosen.describe()}: no selection names to confirm it, but {fits[chosen]}/{n} "
                f"selections start and end on word boundaries (next best {fits[runner]}/{n}, "
                f"{runner.describe()})"
            )
        elif _clearly_better(fits[runner], fits[chosen], n):
            check = (
                f"{chosen.describe()}, as forced; {runner.describe()} fits the text better "
                f"({fits[runner]}/{n} selections on word boundaries against {fits[chosen]}/{n})"
            )
        else:
            check = (
                f"{chosen.describe()} assumed: nothing could confirm it (no selection names, "
                f"and word boundaries do not tell the conventions apart: {fits[chosen]}/{n} "
                f"against {fits[runner]}/{n} as {runner.describe()}); check a few quotes"
            )
    if fits and not note:
        overall = max(every, key=lambda c: fits[c])
        if _clearly_better(fits[overall], fits[chosen], len(spans)):
            how = "as forced" if fixed_units else "the tool's usual"
            note = (
                f"positions counted as {chosen.describe()} ({how}) fit the text badly: "
                f"{fits[chosen]}/{len(spans)} selections start and end on word boundaries, "
                f"against {fits[overall]}/{len(spans)} as {overall.describe()}; check the "
                f"quotes, or import with --positions {overall.units}"
            )
    return chosen, note, check
