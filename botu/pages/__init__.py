"""One module per page of the report; a notebook imports its own and nothing else.

- :mod:`botu.pages.overview`: ``00-overview`` (the data, the checks, the codebook)
- :mod:`botu.pages.team`: ``10-team`` (one team's profile, composition, barriers, quotes)
- :mod:`botu.pages.reliability`: ``20-reliability`` (agreement between coders and raters)
- :mod:`botu.pages.compare`: ``30-compare`` (the teams side by side, findings, QCA)

Each starts with ``start(...)``: the notebook's parameters checked, what the page needs
loaded, and the fictional-data banner. What they share (escaping, numbers in the reader's
style, tables with readable headers, notices) is in :mod:`botu.pages.common`. Every sentence
comes from the catalogue of the page's language (:mod:`botu.i18n`).
"""
