"""Exchange with QDA tools: REFI-QDA projects (``.qdpx``) and codebooks (``.qdc``), and Excel.

Public API:

- :func:`import_project` — a ``.qdpx`` exported by ATLAS.ti, MAXQDA, NVivo or QualCoder (or
  an ``.xlsx`` workbook with a sheet per table) into a folder of data tables (``data/README.md``);
- :func:`export_codebook` — our ``codebook.yml`` as a REFI-QDA codebook (``.qdc``);
- :func:`export_project` — a data set as a REFI-QDA project (``.qdpx``); importing it gives
  back the same segments, codings, documents, teams and codebook ids.

Imports are written into a temporary folder beside the target and renamed into place at the
end: a failed import leaves nothing behind. A non-empty target is only replaced with
``force=True``. Input is untrusted: see :mod:`botu.qdpx.archive` (zip bombs, path escapes) and
:mod:`botu.qdpx.xml` (entity expansion, XXE).

Modules: :mod:`~botu.qdpx.archive` (opening archives defensively), :mod:`~botu.qdpx.xml`
(parsing and schemas), :mod:`~botu.qdpx.read` (the project file into objects),
:mod:`~botu.qdpx.positions` (how tools count selection positions), :mod:`~botu.qdpx.mapping`
(tool names to our ids), :mod:`~botu.qdpx.tables` (objects into data tables),
:mod:`~botu.qdpx.importer` (the import itself) and :mod:`~botu.qdpx.export`.
"""

from __future__ import annotations

from botu.qdpx.export import codebook_xml, export_codebook, export_project, project_archive
from botu.qdpx.importer import import_project
from botu.qdpx.mapping import Mapping, load_mapping
from botu.qdpx.positions import TOOL_CONVENTIONS, Convention, detect_tool
from botu.qdpx.tables import ImportReport, SourceReport
from botu.qdpx.xml import schema_errors

__all__ = [
    "TOOL_CONVENTIONS",
    "Convention",
    "ImportReport",
    "Mapping",
    "SourceReport",
    "codebook_xml",
    "detect_tool",
    "export_codebook",
    "export_project",
    "import_project",
    "load_mapping",
    "project_archive",
    "schema_errors",
]
