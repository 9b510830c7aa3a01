"""Shared fixtures: a tiny, hand-checkable project written as files, like a researcher's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

REPO = Path(__file__).resolve().parents[1]

TINY_CODEBOOK = """\
meta: {name: tiny, version: "0.1"}
scale:
  0: {nl: afwezig, en: absent}
  1: {nl: zwak, en: weak}
  2: {nl: matig, en: moderate}
  3: {nl: sterk, en: strong}
codes:
  - {id: hulpbronnen, parent: null, level: team_rating, label: {nl: Hulpbronnen, en: Resources}}
  - {id: hb_kennis, parent: hulpbronnen, level: segment, rated: true, label: {nl: Kennis}}
  - {id: hb_geld, parent: hulpbronnen, level: segment, rated: true, label: {nl: Geld},
     values: [fonds, gemeente]}
  - {id: bewonersinitiatief, parent: null, level: team_rating, label: {nl: Bewonersinitiatief}}
  - {id: uit_de_wijk, parent: bewonersinitiatief, level: team_rating, label: {nl: Uit de wijk}}
  - {id: bi_herkomst_bewoners, parent: uit_de_wijk, level: segment, label: {nl: Bewoners}}
  - {id: door_de_wijk, parent: bewonersinitiatief, level: team_rating, label: {nl: Door de wijk}}
  - {id: bi_inv_raadplegen, parent: door_de_wijk, level: segment, order: 1,
     label: {nl: Raadplegen}}
  - {id: bi_inv_meedenken, parent: door_de_wijk, level: segment, order: 2,
     label: {nl: Meedenken}}
  - {id: actor_type, parent: null, level: team_attribute, label: {nl: Type actor},
     values: [bewoners, gemeente, fonds]}
"""

TINY_TABLES = {
    "teams": """\
team_id,name,theme,coalition_type,sibd_phase_reached,is_fictional
T01,Demo-team Een,zorg_jeugd,gevestigd,2,true
T02,Demo-team Twee,energie_wonen_buitenruimte,nieuw,3,true
""",
    "actors": """\
actor_id,pseudonym,actor_type,is_capital_rich,is_local,is_fictional
A01,Bewonersgroep B1,bewoners,false,true,true
A02,Gemeente (gebiedsteam),gemeente,false,true,true
A03,Fonds F1,fonds,false,false,true
""",
    "memberships": """\
team_id,actor_id,role,prior_collaboration_years,is_fictional
T01,A01,kern,4,true
T01,A02,partner,4,true
T02,A01,kern,0,true
T02,A02,kern,0,true
T02,A03,financier,,true
""",
    "respondents": """\
respondent_id,team_id,actor_id,role,is_fictional
R-T01-01,T01,A01,bewoner,true
R-T02-01,T02,A02,beleidsadviseur,true
""",
    "documents": """\
document_id,team_id,kind,phase,date,respondent_id,title,is_fictional
D-T01-01,T01,interview,1,2021-04-01,R-T01-01,Interview,true
D-T01-02,T01,document,1,2021-05-01,,Projectplan,true
D-T02-01,T02,interview,2,2021-06-01,R-T02-01,Interview,true
""",
    "segments": """\
segment_id,document_id,text,start,end,is_fictional
S001,D-T01-01,"Wij weten veel, maar hebben geen tijd.",0,38,true
S002,D-T01-02,Het plan komt van bewoners zelf.,50,82,true
S003,D-T01-02,Het fonds betaalt de eerste fase.,90,123,true
S004,D-T02-01,Bewoners denken mee in de werkgroep.,0,36,true
""",
    "codings": """\
segment_id,code_id,coder_id,value,is_fictional
S001,hb_kennis,C1,,true
S002,bi_herkomst_bewoners,C1,,true
S003,hb_geld,C1,fonds,true
S003,hb_kennis,C1,,true
S004,bi_inv_meedenken,C1,,true
S004,bi_inv_raadplegen,C2,,true
""",
    "ratings": """\
team_id,factor_id,rater_id,score,evidence,is_fictional
T01,hb_kennis,CONS,2,S001;S003,true
T01,hulpbronnen,CONS,2,S001;S003,true
T01,uit_de_wijk,CONS,3,S002,true
T01,door_de_wijk,CONS,NA,,true
T02,door_de_wijk,CONS,2,S004,true
T02,door_de_wijk,C1,2,S004,true
T02,door_de_wijk,C2,1,S004,true
""",
}


def write_project(
    root: Path, tables: dict[str, str] | None = None, codebook: str = TINY_CODEBOOK
) -> Path:
    """Write a tiny project under ``root``; ``tables`` overrides some tables' CSV text."""
    raw = root / "data" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    (raw / "codebook.yml").write_text(codebook, encoding="utf-8")
    for name, text in {**TINY_TABLES, **(tables or {})}.items():
        (raw / f"{name}.csv").write_text(text, encoding="utf-8")
    return raw


@pytest.fixture
def tiny_raw(tmp_path: Path) -> Path:
    """The raw folder of the tiny project (valid as written)."""
    return write_project(tmp_path)


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """The tiny project, built: data/processed written by `python -m botu build`."""
    from botu.cli import main

    write_project(tmp_path)
    assert main(["--root", str(tmp_path), "build"]) == 0
    return tmp_path


def site_snapshot(root: Path) -> dict[str, bytes]:
    """Every file of a study's published site (``reports/``, ``figures/``) with its bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for folder in ("reports", "figures")
        for p in sorted((root / folder).rglob("*"))
        if p.is_file() and "failed" not in p.relative_to(root / folder).parts
    }
