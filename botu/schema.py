"""The data contract: which tables exist, their columns, types, keys and references.

Documented for people in ``data/README.md``; this module is the same contract for the code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MEMBER_ROLES = ("kern", "partner", "adviseur", "financier", "beoogd_niet_aangehaakt")
JOINED_ROLES = ("kern", "partner", "adviseur", "financier")
COALITION_TYPES = ("gevestigd", "nieuw", "hybride")
DOCUMENT_KINDS = ("interview", "document", "observatie")
SIBD_STATUSES = ("actief", "gestopt", "on_hold")
CONSENSUS_RATER = "CONS"
MISSING_SCORE = "NA"


@dataclass(frozen=True)
class Column:
    """One column of a table.

    ``kind`` is one of ``id``, ``text``, ``int``, ``float``, ``bool``, ``date``, ``score``,
    ``idlist`` (``;``-separated ids).
    """

    name: str
    kind: str = "text"
    required: bool = True  # the column must be present
    nullable: bool = False  # cells may be empty
    choices: tuple[str, ...] | None = None
    min_value: float | None = None
    max_value: float | None = None


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    # column -> (table, column) it must refer to
    references: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


OPTIONAL_COMMON = (
    Column("is_fictional", "bool", required=False, nullable=True),
    Column("note", "text", required=False, nullable=True),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        Table(
            "teams",
            (
                Column("team_id", "id"),
                Column("name"),
                Column("theme", nullable=True),
                Column("coalition_type", nullable=True, choices=COALITION_TYPES),
                Column("sibd_phase_reached", "int", nullable=True, min_value=1, max_value=4),
                Column("sibd_status", required=False, nullable=True, choices=SIBD_STATUSES),
                Column("call_year", "int", required=False, nullable=True),
                Column("plan_start_year", "int", required=False, nullable=True),
                *OPTIONAL_COMMON,
            ),
            key=("team_id",),
        ),
        Table(
            "actors",
            (
                Column("actor_id", "id"),
                Column("pseudonym"),
                Column("actor_type"),
                Column("is_capital_rich", "bool"),
                Column("is_local", "bool"),
                *OPTIONAL_COMMON,
            ),
            key=("actor_id",),
        ),
        Table(
            "memberships",
            (
                Column("team_id", "id"),
                Column("actor_id", "id"),
                Column("role", choices=MEMBER_ROLES),
                Column("prior_collaboration_years", "float", nullable=True, min_value=0),
                *OPTIONAL_COMMON,
            ),
            key=("team_id", "actor_id"),
            references={"team_id": ("teams", "team_id"), "actor_id": ("actors", "actor_id")},
        ),
        Table(
            "respondents",
            (
                Column("respondent_id", "id"),
                Column("team_id", "id"),
                Column("actor_id", "id"),
                Column("role", nullable=True),
                *OPTIONAL_COMMON,
            ),
            key=("respondent_id",),
            references={"team_id": ("teams", "team_id"), "actor_id": ("actors", "actor_id")},
        ),
        Table(
            "documents",
            (
                Column("document_id", "id"),
                Column("team_id", "id"),
                Column("kind", choices=DOCUMENT_KINDS),
                Column("phase", "int", nullable=True, min_value=1, max_value=4),
                Column("date", "date", nullable=True),
                Column("respondent_id", "id", nullable=True),
                Column("title", required=False, nullable=True),
                # the QDA tool's document groups (sets) holding the document, "; "-separated
                Column("groups", required=False, nullable=True),
                # the source's GUID in the QDA tool: a re-import knows it again when renamed
                Column("tool_guid", required=False, nullable=True),
                *OPTIONAL_COMMON,
            ),
            key=("document_id",),
            references={
                "team_id": ("teams", "team_id"),
                "respondent_id": ("respondents", "respondent_id"),
            },
        ),
        Table(
            "segments",
            (
                Column("segment_id", "id"),
                Column("document_id", "id"),
                Column("text"),
                Column("start", "int", min_value=0),
                Column("end", "int", min_value=0),
                *OPTIONAL_COMMON,
            ),
            key=("segment_id",),
            references={"document_id": ("documents", "document_id")},
        ),
        Table(
            "codings",
            (
                Column("segment_id", "id"),
                Column("code_id", "id"),
                Column("coder_id", "id"),
                Column("value", nullable=True),
                *OPTIONAL_COMMON,
            ),
            key=("segment_id", "code_id", "coder_id"),
            references={"segment_id": ("segments", "segment_id")},
        ),
        Table(
            "ratings",
            (
                Column("team_id", "id"),
                Column("factor_id", "id"),
                Column("rater_id", "id"),
                Column("score", "score", nullable=True),
                Column("evidence", "idlist", nullable=True),
                *OPTIONAL_COMMON,
            ),
            key=("team_id", "factor_id", "rater_id"),
            references={"team_id": ("teams", "team_id")},
        ),
    ]
}

TABLE_ORDER = tuple(TABLES)
