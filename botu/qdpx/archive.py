"""Reading a REFI-QDA ``.qdpx`` archive (a zip file) defensively.

Nothing is extracted to disk: members are read into memory, and only after the whole archive
has passed the checks below. Each refusal is an :class:`~botu.errors.InputError` naming the
archive and the member:

- a member whose name is absolute (``/x``, ``C:\\x``) or climbs out with ``..``;
- more than :data:`MAX_MEMBERS` members, or encrypted members;
- a total unpacked size above :data:`MAX_UNPACKED_BYTES`;
- a compression ratio above :data:`MAX_RATIO` (a "zip bomb"), for a member or the whole
  archive once it unpacks to at least :data:`RATIO_MIN_BYTES`;
- a member that unpacks to more than it declares, or fails its checksum.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from botu.errors import InputError, Problem

MAX_UNPACKED_BYTES = 500 * 1024 * 1024
MAX_RATIO = 100
RATIO_MIN_BYTES = 1024 * 1024
MAX_MEMBERS = 20_000

_DRIVE = re.compile(r"^[A-Za-z]:")


def _size(n: int) -> str:
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if n >= scale:
            return f"{n / scale:,.1f} {unit}"
    return f"{n} bytes"


def _normalise(name: str) -> str:
    return name.replace("\\", "/")


def unsafe_member_reason(name: str) -> str | None:
    """Why a member name would escape the folder it is unpacked into (``None``: it is safe)."""
    normal = _normalise(name)
    if "\x00" in normal:
        return "contains a NUL character"
    if normal.startswith("/") or _DRIVE.match(normal):
        return "is an absolute path"
    if ".." in normal.split("/"):
        return "climbs out of the archive with '..'"
    return None


class SafeArchive:
    """A zip archive checked against path escapes and unpacking bombs before any read."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.label = self.path.name
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise InputError(
                Problem(self.label, None, None, f"is not a readable .qdpx (zip) archive ({exc})")
            ) from None
        try:
            self._check()
        except BaseException:
            self._zip.close()
            raise
        self._by_name = {
            _normalise(i.filename).lower(): i for i in self._zip.infolist() if not i.is_dir()
        }
        self._read_total = 0

    def __enter__(self) -> SafeArchive:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def _refuse(self, message: str, member: str | None = None) -> InputError:
        where = f"{self.label}[{member}]" if member else self.label
        return InputError(Problem(where, None, None, f"refused: {message}"))

    def _check(self) -> None:
        infos = self._zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise self._refuse(f"the archive has {len(infos)} members (at most {MAX_MEMBERS})")
        total = 0
        packed = 0
        seen: set[str] = set()
        for info in infos:
            folded = _normalise(info.filename).lower()
            if folded in seen:
                raise self._refuse(
                    f"archive member '{info.filename}' appears twice (names compared without "
                    "case); one would hide the other"
                )
            seen.add(folded)
            reason = unsafe_member_reason(info.filename)
            if reason:
                raise self._refuse(
                    f"archive member '{info.filename}' {reason}; unpacking it would write "
                    "outside the target folder"
                )
            if info.flag_bits & 0x1:
                raise self._refuse(f"archive member '{info.filename}' is encrypted")
            if info.file_size >= RATIO_MIN_BYTES and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                ratio = info.file_size / max(info.compress_size, 1)
                raise self._refuse(
                    f"archive member '{info.filename}' unpacks {ratio:,.0f} times its packed "
                    f"size (at most {MAX_RATIO}:1): a zip bomb?"
                )
            total += info.file_size
            packed += info.compress_size
        if total > MAX_UNPACKED_BYTES:
            raise self._refuse(
                f"the archive unpacks to {_size(total)} (at most {_size(MAX_UNPACKED_BYTES)})"
            )
        if total >= RATIO_MIN_BYTES and total > MAX_RATIO * max(packed, 1):
            raise self._refuse(
                f"the archive unpacks {total / max(packed, 1):,.0f} times its packed size "
                f"(at most {MAX_RATIO}:1): a zip bomb?"
            )

    # --- lookup ---------------------------------------------------------------------

    def names(self) -> list[str]:
        """Member names (files only), ``/``-separated, in archive order."""
        return [_normalise(i.filename) for i in self._by_name.values()]

    def find(self, name: str) -> str | None:
        """The member called ``name`` (case-insensitive, ``/`` or ``\\``), or ``None``."""
        info = self._by_name.get(_normalise(name).lower())
        return info.filename if info is not None else None

    def find_project_file(self) -> str:
        """The single ``*.qde`` project file (not always ``project.qde``: ATLAS.ti names it
        after the project), preferring one at the archive's root.

        Raises:
            InputError: there is none, or more than one at the same (shallowest) level.
        """
        candidates = [n for n in self.names() if n.lower().endswith(".qde")]
        if not candidates:
            raise InputError(
                Problem(self.label, None, None, "holds no project file (*.qde): not a .qdpx?")
            )
        depth = min(n.count("/") for n in candidates)
        shallow = sorted(n for n in candidates if n.count("/") == depth)
        if len(shallow) > 1:
            raise InputError(
                Problem(
                    self.label,
                    None,
                    None,
                    f"holds {len(shallow)} project files ({', '.join(shallow)}); expected one",
                )
            )
        return shallow[0]

    @staticmethod
    def folder_of(member: str) -> str:
        """The folder part of a member name, with a trailing ``/`` (``''`` at the root)."""
        parent = str(PurePosixPath(member).parent)
        return "" if parent == "." else parent + "/"

    # --- reading --------------------------------------------------------------------

    def size(self, member: str) -> int:
        """The unpacked size a member declares (reading never yields more)."""
        info = self._by_name.get(_normalise(member).lower())
        if info is None:
            raise InputError(Problem(self.label, None, None, f"has no member '{member}'"))
        return info.file_size

    def read(self, member: str) -> bytes:
        """The bytes of one member, never more than it declares nor the overall bound."""
        info = self._by_name.get(_normalise(member).lower())
        if info is None:
            raise InputError(Problem(self.label, None, None, f"has no member '{member}'"))
        try:
            with self._zip.open(info) as handle:
                data = handle.read(info.file_size + 1)
        except (
            zipfile.BadZipFile,
            OSError,
            EOFError,
            RuntimeError,
            NotImplementedError,
            ValueError,
            zlib.error,
        ) as exc:
            raise InputError(
                Problem(f"{self.label}[{member}]", None, None, f"cannot be unpacked ({exc})")
            ) from None
        if len(data) > info.file_size:
            raise self._refuse("the member unpacks to more than it declares", member)
        self._read_total += len(data)
        if self._read_total > MAX_UNPACKED_BYTES:
            raise self._refuse("the archive unpacks to more than its bound", member)
        return data
