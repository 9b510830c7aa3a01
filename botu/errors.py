"""Errors that reach the researcher as one clear message, never a traceback."""

from __future__ import annotations

from dataclasses import dataclass

MAX_MESSAGE = 400  # characters of one message (a hostile value may be megabytes)
MAX_LISTED = 100  # problems listed in one error; the rest are counted


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located as precisely as possible.

    ``row`` is the line number a spreadsheet program shows (header = 1, first data row = 2),
    or ``None`` when the problem concerns a whole file or column.
    """

    file: str
    row: int | None
    column: str | None
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        tag = "" if self.severity == "error" else f"{self.severity}: "
        message = self.message
        if len(message) > MAX_MESSAGE:
            message = message[: MAX_MESSAGE - 1] + "…"
        return f"{where}: {tag}{message}"


class BotuError(Exception):
    """Base class: an error the command line reports without a traceback (exit status 2)."""

    exit_code = 2


class InputError(BotuError):
    """The input data are unreadable or invalid; carries every problem found."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem("input", None, None, problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__(self.render())

    def render(self) -> str:
        errors = [p for p in self.problems if p.severity == "error"]
        head = f"{len(errors)} problem(s) in the input data:" if len(errors) != 1 else ""
        lines = [str(p) for p in self.problems[:MAX_LISTED]]
        if len(self.problems) > MAX_LISTED:
            lines.append(f"… and {len(self.problems) - MAX_LISTED} more")
        return "\n".join([head, *lines]) if head else "\n".join(lines)
