"""Generate the FICTIONAL demo data set in ``data/raw/``.

Everything this script writes is invented: seven fictional "Demo-team" teams, pseudonymous
organisations ("Welzijnsorganisatie W1", "Fonds F1", ...), respondents known only by an id, and
template-built Dutch quotes. No real team, organisation or person is in it. Every CSV row carries
``is_fictional = true``.

It encodes the published findings of the synthesis *BoTu: veerkracht samen organiseren* (see
``CODEBOOK.md`` / ``data/README.md``) so that the analysis has something to show: two new
coalitions among established ones, plans *from* the neighbourhood but not *by* it, strong linking
ties, a co-developing municipality in most teams, capital-rich parties targeted and never joined,
ample knowledge but little time and money, subsidy dependency everywhere, every rating >= 2 backed
by >= 2 segments from >= 2 documents, and an ambiguous code pair (``bi_inv_raadplegen`` /
``bi_inv_meedenken``) so that intercoder reliability is realistic.

The data live in ``scripts/demo_data/`` (teams, actors, consensus scores, quote templates, ...),
each file saying at its top what it holds; this script holds the logic only.

The codebook has one source, ``botu/starter/codebook.yml`` (not fictional): its codes are read
from there, and ``codebook.yml`` is its text under a demo header (in place of the starter's
leading comment) plus ``language: nl`` in ``meta:`` (unset in the starter: an import never
guesses it). A data file that does not hold together (a template naming a code the codebook
lacks, a team naming an unknown actor, ...) stops the script before anything is written, with
``make_demo_data: <file>: <what>`` and exit status 2. Deterministic: one ``random.Random(2028)``
stream, sorted rows, ``\\n`` line endings, so a rerun gives byte-identical files.

Usage: ``make demo-data``, or ``python scripts/make_demo_data.py [TARGET_DIR] [--data DIR]``
(defaults: ``data/raw`` and ``scripts/demo_data`` of this repository).
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = Path(__file__).resolve().parent / "demo_data"
STARTER_CODEBOOK = ROOT / "botu" / "starter" / "codebook.yml"
SEED = 2028
KINDS = ("interview", "document", "observatie")  # of documents, and of the quotes they hold
ROLES = ("kern", "partner", "adviseur", "financier", "beoogd_niet_aangehaakt")
EXTRA_DOCS = ("projectplan", "subsidieaanvraag", "verslag", "observatie")
CODEBOOK_HEADER = (
    "# Codebook: BoTu veerkrachtfactoren (see CODEBOOK.md). Usable as a default for "
    "real material;\n# the demo data in this folder that uses it is fictional.\n"
)
DEMO_LANGUAGE = "  language: nl\n"  # the demo's quotes are Dutch; the starter leaves it unset
# fmt: off
DATA_FILES = ("teams.yml", "actors.csv", "consensus.csv", "templates.yml", "tails.yml",
              "speakers.yml", "second_coder.yml")
TEAM_KEYS = {"id": str, "name": str, "theme": str, "coalition": str, "phase": int, "status": str,
             "plan_start": int, "members": list, "respondents": list, "extra_docs": list,
             "placeholders": dict, "geld": list, "kapitaal": list, "herkomst": list, "inv": list,
             "gemeente": list, "extra": dict}
TYPE_NAMES = {str: "text", int: "a number", list: "a list", dict: "a mapping"}
ACTOR_COLUMNS = ["actor_id", "pseudonym", "actor_type", "is_capital_rich", "is_local"]
TABLES = {  # table written: (columns before is_fictional, how many lead columns sort the rows)
    "teams": (["team_id", "name", "theme", "coalition_type", "sibd_phase_reached",
               "sibd_status", "call_year", "plan_start_year"], 1),
    "actors": (ACTOR_COLUMNS, 1),
    "memberships": (["team_id", "actor_id", "role", "prior_collaboration_years"], 2),
    "respondents": (["respondent_id", "team_id", "actor_id", "role"], 1),
    "documents": (["document_id", "team_id", "kind", "phase", "date", "respondent_id",
                   "title"], 1),
    "segments": (["segment_id", "document_id", "text", "start", "end"], 1),
    "codings": (["segment_id", "code_id", "coder_id", "value"], 3),
    "ratings": (["team_id", "factor_id", "rater_id", "score", "evidence"], 3),
}
PHASE_DATES = {1: (date(2021, 3, 1), date(2021, 8, 31)), 2: (date(2021, 9, 1), date(2022, 2, 28)),
               3: (date(2022, 3, 1), date(2022, 6, 30))}  # SiBD phase: range of document dates
# fmt: on


# -- reading and checking the data files -----------------------------------------------------
class DemoDataError(Exception):
    """A data file of the demo data set does not hold together: ``path: what``."""

    def __init__(self, path: Path, what: str):
        super().__init__(f"{path}: {what}")


def _need(ok, path: Path, what: str) -> None:
    if not ok:
        raise DemoDataError(path, what)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DemoDataError(path, f"cannot be read ({exc.strerror})") from None


def _yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(_read(path))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        what = f"is not valid YAML ({where}{getattr(exc, 'problem', exc)})"
        raise DemoDataError(path, what) from None
    _need(isinstance(data, dict) and data, path, "expected a mapping (key: value lines)")
    return data


def _csv(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, cells) rows of a CSV file whose ``#`` lines are comments."""
    lines = enumerate(_read(path).splitlines(), 1)
    lines = [(n, x) for n, x in lines if x.strip() and not x.startswith("#")]
    rows = [(n, next(csv.reader([x]))) for n, x in lines]
    _need(rows, path, "no header row")
    for n, cells in rows[1:]:
        _need(len(cells) == len(rows[0][1]), path, f"line {n}: expected {len(rows[0][1])} cells")
    return rows[0][1], rows[1:]


@dataclass
class Demo:
    """What the data files and the codebook say, checked."""

    paths: dict  # file name -> path, for messages
    codebook_text: str
    codes: dict  # code id -> codebook entry
    factors: list  # team ratings and rated segment codes, in codebook order
    subtree: dict  # factor -> the factor and every code under it
    actors: list  # rows of actors.csv
    cons: dict  # factor -> team id -> consensus score (None = NA)
    call_year: int
    teams: list
    templates: dict  # key -> [(kind, text, extra codes)]
    tails: dict  # kind -> closing sentences
    not_spoken_by: dict  # code -> actor types
    neighbours: dict  # code -> code


def load(data_dir: Path, codebook: Path = STARTER_CODEBOOK) -> Demo:
    """Read every data file and the codebook, and check that they hold together."""
    paths = {name: data_dir / name for name in DATA_FILES} | {"codebook": codebook}
    book = _yaml(codebook)
    _need(isinstance(book.get("codes"), list), codebook, "expected a list 'codes'")
    codes = {c["id"]: c for c in book["codes"] if isinstance(c, dict) and "id" in c}
    factors = [c for c, e in codes.items() if e.get("level") == "team_rating" or e.get("rated")]
    subtree = {factor: {factor} for factor in factors}
    for factor in factors:
        for code, entry in codes.items():  # parents come before their children
            if entry.get("parent") in subtree[factor]:
                subtree[factor].add(code)
    header, actor_rows = _csv(paths["actors.csv"])
    _need(header == ACTOR_COLUMNS, paths["actors.csv"], f"header: {','.join(ACTOR_COLUMNS)}")
    teams = _yaml(paths["teams.yml"])
    _need(isinstance(teams.get("call_year"), int), paths["teams.yml"], "call_year: a year")
    _need(isinstance(teams.get("teams"), list), paths["teams.yml"], "teams: a list of teams")
    cons_header, cons_rows = _csv(paths["consensus.csv"])
    cons = {r[0]: dict(zip(cons_header[1:], r[1:], strict=True)) for _, r in cons_rows}
    demo = Demo(
        paths=paths,
        codebook_text=_read(codebook),
        codes=codes,
        factors=factors,
        subtree=subtree,
        actors=[row for _, row in actor_rows],
        cons=cons,
        call_year=teams["call_year"],
        teams=[_team(paths["teams.yml"], n, t) for n, t in enumerate(teams["teams"], 1)],
        templates=_templates_file(paths["templates.yml"]),
        tails=_yaml(paths["tails.yml"]),
        not_spoken_by=_yaml(paths["speakers.yml"]),
        neighbours=_yaml(paths["second_coder.yml"]),
    )
    check(demo, actor_rows, cons_header, cons_rows)
    for row in demo.cons.values():
        row.update({t: None if s == "NA" else int(s) for t, s in row.items()})
    demo.not_spoken_by = {c: set(types) for c, types in demo.not_spoken_by.items()}
    return demo


def _team(path: Path, n: int, team) -> dict:
    """A team of teams.yml, its shape checked; members as (actor, role, years or None)."""
    _need(isinstance(team, dict), path, f"team {n}: expected a mapping")
    where = f"team {team.get('id', n)}"
    for key, kind in {**TEAM_KEYS, "cap_by_value": dict}.items():
        ok = isinstance(team.get(key, {} if key == "cap_by_value" else None), kind)
        _need(ok, path, f"{where}: {key}: expected {TYPE_NAMES[kind]}")
    for m in team["members"]:
        ok = isinstance(m, list) and len(m) in (2, 3) and isinstance([*m, 0][2], int)
        _need(ok, path, f"{where}: members: {m!r} is not [actor, role] or [actor, role, years]")
    for r in team["respondents"]:
        _need(isinstance(r, list) and len(r) == 2, path, f"{where}: respondents: {r!r}")
    for key, value in team["placeholders"].items():
        _need(isinstance(value, str), path, f"{where}: placeholders: {key}: text, in quotes")
    members = [(m[0], m[1], m[2] if len(m) == 3 else None) for m in team["members"]]
    return {**team, "members": members, "respondents": [tuple(r) for r in team["respondents"]]}


def _templates_file(path: Path) -> dict:
    """templates.yml as key -> [(kind, text, extra codes)]."""
    templates = {}
    for key, entries in _yaml(path).items():
        _need(isinstance(entries, list) and entries, path, f"'{key}': expected a list of quotes")
        templates[key] = []
        for n, entry in enumerate(entries, 1):
            kinds = [k for k in KINDS if k in entry] if isinstance(entry, dict) else []
            ok = len(kinds) == 1 and set(entry) <= {*kinds, "also"}
            ok = ok and isinstance(entry[kinds[0]], str) and isinstance(entry.get("also", []), list)
            what = f"expected {' or '.join(KINDS)}: the quote, optionally also: [codes]"
            _need(ok, path, f"'{key}', quote {n}: {what}")
            also = tuple(str(a) for a in entry.get("also", []))
            templates[key].append((kinds[0], entry[kinds[0]], also))
    return templates


def check(demo: Demo, actor_rows: list, cons_header: list, cons_rows: list) -> None:
    """Every reference between the data files and the codebook resolves."""
    p = demo.paths
    values = {c: [str(v) for v in e.get("values") or []] for c, e in demo.codes.items()}
    actor_types = values.get("actor_type", [])

    def code_ok(spec, path: Path, where: str) -> None:
        code, _, value = str(spec).partition("=")
        ok = demo.codes.get(code, {}).get("level") == "segment"
        _need(ok, path, f"{where}: '{code}' is not a segment code of the codebook")
        _need(not value or value in values[code], path, f"{where}: '{code}' has no value {value}")

    path = p["actors.csv"]
    for n, (_, _, kind, *flags) in actor_rows:
        _need(kind in actor_types, path, f"line {n}: '{kind}' is not an actor_type of the codebook")
        _need(set(flags) <= {"true", "false"}, path, f"line {n}: true or false expected")
    actors = {row[0] for row in demo.actors}
    _need(len(actors) == len(demo.actors), path, "an actor_id occurs twice")

    known = {"since", "plan_start", "fundx"}.union(*(t["placeholders"] for t in demo.teams))
    for key, entries in demo.templates.items():
        code_ok("=".join(primary_code(key)), p["templates.yml"], f"'{key}'")
        for n, (_, text, also) in enumerate(entries, 1):
            for spec in also:
                code_ok(spec, p["templates.yml"], f"'{key}', quote {n}, also")
            unknown = sorted(set(re.findall(r"{(\w*)}", text)) - known)
            _need(not unknown, p["templates.yml"], f"'{key}', quote {n}: no team has {unknown}")
    ok = all(isinstance(demo.tails.get(k), list) and demo.tails[k] for k in KINDS)
    _need(ok, p["tails.yml"], f"expected {', '.join(KINDS)}, each a list of sentences")

    path = p["teams.yml"]
    ids = [t["id"] for t in demo.teams]
    _need(len(set(ids)) == len(ids), path, "a team id occurs twice")
    for team in demo.teams:
        where = f"team {team['id']}"
        ok = team["coalition"] in values.get("coalitie_type", [])
        _need(ok, path, f"{where}: coalition '{team['coalition']}' is not in the codebook")
        _need(str(team["phase"]) in values.get("sibd_fase", []), path, f"{where}: phase 1-4")
        for actor, role, _ in team["members"]:
            _need(actor in actors, path, f"{where}: member '{actor}' is not in actors.csv")
            _need(role in ROLES, path, f"{where}: role '{role}' is not one of {', '.join(ROLES)}")
        ok = any(r == "kern" and y is not None for _, r, y in team["members"])
        _need(ok, path, f"{where}: no 'kern' member with years of prior collaboration")
        joined = {a for a, r, _ in team["members"] if r != "beoogd_niet_aangehaakt"}
        for actor, _ in team["respondents"]:
            _need(actor in joined, path, f"{where}: respondent '{actor}' is not a member")
        for doc in team["extra_docs"]:
            _need(doc in EXTRA_DOCS, path, f"{where}: extra_docs: '{doc}' is not {EXTRA_DOCS}")
        _need(team["geld"] and team["gemeente"], path, f"{where}: geld, gemeente: not empty")
        _need({"fund", "corp"} & set(team["placeholders"]), path, f"{where}: no fund or corp")
        keys = [*team["herkomst"], *team["inv"], *team["extra"]]
        keys += [f"hb_geld={v}" for v in team["geld"]]
        keys += [f"hb_privaat_kapitaal={v}" for v in team["kapitaal"]]
        keys += [f"rs_gemeente={v}" for v in team["gemeente"]]
        for key in keys:
            _need(key in demo.templates, path, f"{where}: no quote templates under '{key}'")
        for key, count in team["extra"].items():
            _need(isinstance(count, int), path, f"{where}: extra: {key}: a number of quotes")

    path = p["consensus.csv"]
    _need(cons_header[0] == "factor", path, "the first column must be 'factor'")
    _need(sorted(cons_header[1:]) == sorted(ids), path, f"the columns must be the teams {ids}")
    for n, (factor, *scores) in cons_rows:
        _need(factor in demo.factors, path, f"line {n}: '{factor}' is not a rated code")
        bad = [s for s in scores if s not in ("0", "1", "2", "3", "NA")]
        _need(not bad, path, f"line {n}: {bad[:1]} is not a score 0-3 or NA")
    for factor in demo.factors:
        _need(factor in demo.cons, path, f"no row for the codebook's factor '{factor}'")
    _need(len(cons_rows) == len(demo.cons), path, "a factor occurs twice")

    for code, types in demo.not_spoken_by.items():
        code_ok(code, p["speakers.yml"], code)
        ok = isinstance(types, list) and set(types) <= set(actor_types)
        _need(ok, p["speakers.yml"], f"{code}: expected a list of the codebook's actor types")
    for code, other in demo.neighbours.items():
        code_ok(code, p["second_coder.yml"], code)
        code_ok(other, p["second_coder.yml"], code)


# -- generation --------------------------------------------------------------------------------
def _variant(code: str, score) -> str:
    """Template key for a rated code given the consensus score."""
    if code in ("na_bonding", "na_bridging", "hb_fysiek"):
        return f"{code}:{'hi' if score >= 2 else 'lo'}"
    if code in ("rs_professionals", "rs_fonds"):
        return f"{code}:{'mid' if score >= 2 else 'lo'}"
    if code in ("rs_corporatie", "rs_programma"):
        return f"{code}:{ {1: 'lo', 2: 'mid', 3: 'hi'}.get(score, score) }"
    if code == "rs_privaat":
        return f"rs_privaat:{score}"
    if code == "bar_privaat_kapitaal" and score <= 1:
        return "bar_privaat_kapitaal:lo"
    return code


def _parse_code(spec: str) -> tuple[str, str]:
    code, _, value = spec.partition("=")
    return code, value


def primary_code(key: str) -> tuple[str, str]:
    """(code, value) applied by the template key itself (``code[=value][+combo][:variant]``)."""
    return _parse_code(key.split(":")[0].split("+")[0])


def rater_scores(rng: random.Random, demo: Demo):
    """C1, C2 and CONS scores per (team, factor); CONS from consensus.csv."""
    scores = {}
    for factor in demo.factors:
        for team in demo.teams:
            cons = demo.cons[factor][team["id"]]
            c1 = c2 = cons
            if cons is not None and not (factor.startswith("bar_") and cons == 0):
                u = rng.random()
                if u < 0.10:
                    c1 = _shift(rng, cons)
                elif u < 0.20:
                    c2 = _shift(rng, cons)
                elif u < 0.23 and 0 < cons < 3:
                    c1, c2 = cons - 1, cons + 1  # consensus reached in the middle
            scores[(team["id"], factor)] = {"C1": c1, "C2": c2, "CONS": cons}
    return scores


def _shift(rng: random.Random, score: int) -> int:
    """One step off the score: inwards at the ends, either way in the middle."""
    return {0: 1, 3: 2}.get(score) or score + rng.choice((-1, 1))


def _target_count(rng: random.Random, code: str, top) -> int:
    """How many segments a team needs coded with a rated code, given the highest rater score."""
    if top is None:
        return 0
    return top if code.startswith("bar_") else max(top, 1)  # a barrier scored 0 is not quoted


def plan_team(rng: random.Random, demo: Demo, team: dict, scores: dict) -> list[dict]:
    """List of segment specs for a team: template key, then (later) text, codes, document."""
    tid = team["id"]

    def top(code):
        values = [s for s in scores[(tid, code)].values() if s is not None]
        return max(values) if values else None

    def cons(code):
        return scores[(tid, code)]["CONS"]

    # anchors: keys fixed by the team's story (values, origin, involvement, extras)
    keys: list[str] = ["hb_tijd"] * max(2, _target_count(rng, "hb_tijd", top("hb_tijd")))
    n_geld = max(len(team["geld"]), _target_count(rng, "hb_geld", top("hb_geld")))
    keys += [f"hb_geld={team['geld'][i % len(team['geld'])]}" for i in range(n_geld)]
    keys += [f"hb_privaat_kapitaal={v}" for v in team["kapitaal"]]
    keys += list(team["herkomst"]) + list(team["inv"])
    n_gem = max(len(team["gemeente"]), _target_count(rng, "rs_gemeente", top("rs_gemeente")))
    keys += [f"rs_gemeente={team['gemeente'][i % len(team['gemeente'])]}" for i in range(n_gem)]
    for key, n in team["extra"].items():
        keys += [key] * n

    def have(code):
        coded = [primary_code(k)[0] == code or code in _template_extras(demo, k) for k in keys]
        return sum(coded)

    # rated codes: primary segments only for what the keys above do not already supply
    for code in demo.factors:
        if code in ("hb_tijd", "hb_geld", "rs_gemeente") or cons(code) is None:
            continue
        if demo.codes[code].get("level") == "team_rating":
            continue
        missing = max(_target_count(rng, code, top(code)) - have(code), 0)
        key = _variant(code, cons(code))
        ok = key in demo.templates or not missing
        _need(ok, demo.paths["templates.yml"], f"no quotes under '{key}' (team {tid})")
        for j in range(missing):
            heavy = cons(code) == 3 and j == 0 and f"{code}:3" in demo.templates
            keys.append(f"{code}:3" if heavy else key)
    return [{"key": k} for k in keys]


def _template_extras(demo: Demo, key: str) -> list[str]:
    """Codes (without value) that every template of this key carries besides its own."""
    extras = [{_parse_code(e)[0] for e in ex} for (_, _, ex) in demo.templates[key]]
    return sorted(set.intersection(*extras))


def build(demo: Demo) -> dict[str, list[list[str]]]:
    """The rows of every table (see TABLES), from one seeded random stream."""
    rng = random.Random(SEED)
    scores = rater_scores(rng, demo)
    pseudonym = {a[0]: a[1] for a in demo.actors}
    actor_type = {a[0]: a[2] for a in demo.actors}

    teams_rows, membership_rows, respondent_rows, document_rows = [], [], [], []
    segment_rows, coding_rows, rating_rows = [], [], []
    used_texts: set[str] = set()
    seg_counter = 0
    # per team: (segment_id, document_id, set of C1 code ids, C1 (code, value) pairs)
    team_segments: dict[str, list[tuple[str, str, set[str], list[tuple[str, str]]]]] = {}

    for team in demo.teams:
        tid = team["id"]
        row = [tid, team["name"], team["theme"], team["coalition"], str(team["phase"])]
        teams_rows.append([*row, team["status"], str(demo.call_year), str(team["plan_start"])])
        for actor_id, role, years in team["members"]:
            membership_rows.append([tid, actor_id, role, "" if years is None else str(years)])

        # respondents and their interviews
        respondents = [(f"R-{tid}-{n:02d}", *r) for n, r in enumerate(team["respondents"], 1)]
        respondent_rows += [[rid, tid, actor_id, role] for rid, actor_id, role in respondents]

        # documents: (kind, phase, title, respondent_id, actor_type of speaker)
        docs = []
        max_phase = min(team["phase"], 3)
        for rid, actor_id, role in respondents:
            phase = 1 if rng.random() < 0.35 else 2
            title = f"Interview {role}, {pseudonym[actor_id]}"
            speaker = actor_type[actor_id]
            docs.append(dict(kind="interview", phase=phase, rid=rid, speaker=speaker, title=title))
        funders = [pseudonym[a] for a, r, _ in team["members"] if r == "financier"]
        written = {  # extra_docs: (title, phase); the n-th observation is in phase n
            "projectplan": (f"Projectplan {team['name']}", 1),
            "subsidieaanvraag": (f"Subsidieaanvraag bij {[*funders, 'de gemeente'][0]}", 2),
            "verslag": (f"Voortgangsverslag fase {max_phase}", max_phase),
        }
        n_obs = 0
        for extra in team["extra_docs"]:
            if extra == "observatie":
                n_obs += 1
            title, phase = written.get(extra, ("Observatie teamoverleg", n_obs))
            kind = "document" if extra in written else "observatie"
            docs.append({"kind": kind, "phase": phase, "rid": "", "title": title})
        for doc in docs:
            doc["date"] = _random_date(rng, doc["phase"])
        docs.sort(key=lambda d: (d["date"], d["kind"], d["title"]))
        for n, doc in enumerate(docs, start=1):
            doc["id"] = f"D-{tid}-{n:02d}"
            doc["segments"] = []
            if doc["kind"] == "observatie":
                doc["title"] = f"Observatie teamoverleg {doc['date']}"
            row = [doc["id"], tid, doc["kind"], str(doc["phase"]), doc["date"], doc["rid"]]
            document_rows.append([*row, doc["title"]])

        # segments
        ph = dict(team["placeholders"])
        years = max(y for _, r, y in team["members"] if r == "kern" and y is not None)
        ph["since"] = str(demo.call_year - years)
        ph["plan_start"] = str(team["plan_start"])
        ph["fundx"] = ph.get("fund") or ph["corp"]  # a money-holding institution
        specs = plan_team(rng, demo, team, scores)
        rng.shuffle(specs)
        used_in_team: set[tuple[str, int]] = set()
        code_docs: dict[str, dict[str, int]] = {}

        for spec in specs:
            key = spec["key"]
            code, value = primary_code(key)
            templates = demo.templates[key]
            candidates = [(n, t) for n, t in enumerate(templates) if (key, n) not in used_in_team]
            if not candidates:
                candidates = list(enumerate(templates))
            rng.shuffle(candidates)
            # spread every code over documents: prefer a template and a document that put one
            # of the segment's codes in a document where that code is not yet (up to 3)
            best = None
            for n, (kind, text, extras) in candidates:
                codes_here = [code] + [_parse_code(e)[0] for e in extras]
                pool = _doc_pool(demo, docs, kind, codes_here)
                if not pool:
                    continue
                top_gain = max(_gain(code_docs, d, codes_here) for d in pool)
                if best is None or top_gain > best[0]:
                    best = (top_gain, n, kind, text, extras, codes_here, pool)
            what = f"team {tid}: no document fits a quote under '{key}' (see extra_docs)"
            _need(best, demo.paths["teams.yml"], what)
            _, n, kind, text, extras, codes_here, pool = best
            used_in_team.add((key, n))
            top_gain = max(_gain(code_docs, d, codes_here) for d in pool)
            pool = [d for d in pool if _gain(code_docs, d, codes_here) == top_gain]
            least = min(len(d["segments"]) for d in pool)
            doc = rng.choice([d for d in pool if len(d["segments"]) <= least + 1])
            for c in codes_here:
                code_docs.setdefault(c, {})
                code_docs[c][doc["id"]] = code_docs[c].get(doc["id"], 0) + 1
            cab = team.get("cap_by_value", {})
            local = dict(ph)
            if value in cab:
                local["cap"] = cab[value]
            tails = list(demo.tails[kind])
            try:
                body = text.format_map(local)
                rng.shuffle(tails)
                full = body
                if rng.random() < 0.12:
                    full = f"{body} {tails.pop().format_map(local)}"
                while full in used_texts:
                    full = f"{body} {tails.pop().format_map(local)}"
            except (KeyError, ValueError, IndexError) as exc:  # e.g. an unknown {placeholder}
                what = f"'{key}': a quote for team {tid} cannot be filled in ({exc!r})"
                raise DemoDataError(demo.paths["templates.yml"], what) from None
            used_texts.add(full)
            codes = [(code, value)] + [_parse_code(e) for e in extras]
            doc["segments"].append({"text": full, "codes": codes})

        # number segments in document order, lay out character positions
        seglist = []
        for doc in docs:
            rng.shuffle(doc["segments"])
            cursor = rng.randint(0, 300)
            for seg in doc["segments"]:
                seg_counter += 1
                sid = f"S{seg_counter:04d}"
                start = cursor + rng.randint(40, 900)
                end = start + len(seg["text"])
                cursor = end
                segment_rows.append([sid, doc["id"], seg["text"], str(start), str(end)])
                for code, value in seg["codes"]:
                    coding_rows.append([sid, code, "C1", value])
                seglist.append((sid, doc["id"], {c for c, _ in seg["codes"]}, seg["codes"]))
        team_segments[tid] = seglist

    # second coder
    coding_rows += second_coder(rng, demo, team_segments)

    # ratings with evidence
    for team in demo.teams:
        tid = team["id"]
        for factor in demo.factors:
            for rater, score in scores[(tid, factor)].items():  # C1, C2, CONS
                evidence = choose_evidence(rng, demo, team_segments[tid], factor, score)
                what = f"team {tid}, {factor}: a score >= 2 with all quotes in one document"
                _need(evidence is not None, demo.paths["consensus.csv"], what)
                score = "NA" if score is None else str(score)
                rating_rows.append([tid, factor, rater, score, ";".join(evidence)])

    tables = [teams_rows, demo.actors, membership_rows, respondent_rows, document_rows]
    return dict(zip(TABLES, [*tables, segment_rows, coding_rows, rating_rows], strict=True))


def _gain(code_docs: dict, doc: dict, codes: list[str]) -> int:
    """How many of ``codes`` would reach a new document (counted up to three per code)."""
    counts = [code_docs.get(c, {}) for c in codes]
    return sum(1 for n in counts if doc["id"] not in n and len(n) < 3)


def _doc_pool(demo: Demo, docs: list[dict], kind: str, codes: list[str]) -> list[dict]:
    banned = set().union(*(demo.not_spoken_by.get(c, set()) for c in codes))
    docs = [d for d in docs if d["kind"] == kind]
    return [d for d in docs if not (kind == "interview" and d.get("speaker") in banned)]


def _random_date(rng: random.Random, phase: int) -> str:
    lo, hi = PHASE_DATES[min(phase, 3)]
    day = lo + timedelta(days=rng.randint(0, (hi - lo).days))
    while day.weekday() >= 5 or (day.month, day.day) == (1, 1):  # working days only
        day += timedelta(days=1)
    return day.isoformat()


def second_coder(rng: random.Random, demo: Demo, team_segments: dict) -> list[list[str]]:
    """C2 codes a ~20 % sample per team; agrees mostly, with one deliberately ambiguous pair."""
    neighbours = demo.neighbours
    meedenken, faciliteren = ("bi_inv_meedenken", ""), ("rs_gemeente", "faciliteren")
    rows = []
    for seglist in team_segments.values():
        quota = round(0.2 * len(seglist))
        inv = [s for s in seglist if any(c.startswith("bi_inv_") for c in s[2])]
        other = [s for s in seglist if s not in inv]
        rng.shuffle(inv)
        rng.shuffle(other)
        take_inv = min(len(inv), max(2, round(0.7 * len(inv))), quota)
        sample = inv[:take_inv] + other[: quota - take_inv]
        sample.sort()
        consulted = [s for s in sample if "bi_inv_raadplegen" in s[2]]
        n_flip = (len(consulted) + rng.randint(0, 1)) // 2
        flipped = {s[0] for s in rng.sample(consulted, n_flip)}
        for sid, _doc, _codes, coded in sample:
            c2 = list(coded)
            if sid in flipped:  # the ambiguous pair
                c2 = [(meedenken if c == "bi_inv_raadplegen" else (c, v)) for c, v in c2]
            else:
                u = rng.random()
                swap = next((i for i, (c, v) in enumerate(c2) if c in neighbours), None)
                if u < 0.14 and len(c2) >= 2:
                    c2.pop()  # missed a secondary code
                elif u < 0.14 and swap is not None:
                    code = neighbours[c2[swap][0]]  # chose the neighbouring code instead
                    if code not in {c for c, _ in c2}:
                        c2[swap] = (code, "")
                elif u < 0.26 and swap is not None and len(c2) < 3:
                    code = neighbours[c2[swap][0]]  # added the neighbouring code
                    if code not in {c for c, _ in c2}:
                        c2.append((code, ""))
                elif u < 0.34:  # read the municipality's role as stimulating
                    c2 = [(c, "stimuleren") if (c, v) == faciliteren else (c, v) for c, v in c2]
            rows += [[sid, c, "C2", v] for c, v in c2]
    return rows


def choose_evidence(rng: random.Random, demo: Demo, seglist, factor: str, score):
    """Segments a rater cites: >= 2 from >= 2 documents when score >= 2 (None if impossible).

    A factor's segments are those coded with it or with a code under it in the codebook."""
    if score is None:
        return []
    subtree = demo.subtree[factor]
    pool = [(sid, doc) for sid, doc, codes, _ in seglist if codes & subtree]
    if not pool:
        return []
    if score >= 2:
        k = min(len(pool), rng.randint(2, 4))
    elif score == 1:
        k = min(len(pool), rng.randint(1, 2))
    else:
        k = min(len(pool), rng.randint(0, 1))
    if k == 0:
        return []
    pool = list(pool)
    rng.shuffle(pool)
    chosen = [pool[0]]
    if k >= 2:
        second = next((p for p in pool[1:] if p[1] != pool[0][1]), None)
        if second is None:
            return None
        chosen.append(second)
        chosen += [p for p in pool[1:] if p not in chosen][: k - 2]
    return sorted(sid for sid, _ in chosen)


# -- writing -----------------------------------------------------------------------------------
def write_csv(path: Path, header: list[str], nkey: int, rows: list[list[str]]) -> None:
    rows = sorted(rows, key=lambda r: tuple(r[:nkey]))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow([*header, "is_fictional"])
        for row in rows:
            writer.writerow([*row, "true"])


def demo_codebook(demo: Demo) -> str:
    """The starter codebook under the demo header, in place of the starter's leading comment,
    with ``language: nl`` after meta's version line (unless the starter names a language)."""
    lines = demo.codebook_text.splitlines(keepends=True)
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    at = next((i + 1 for i, line in enumerate(lines) if line.startswith("  version:")), None)
    _need(at is not None, demo.paths["codebook"], "meta: has no version line")
    if not "".join(lines[at : at + 1]).startswith("  language:"):
        lines.insert(at, DEMO_LANGUAGE)
    return CODEBOOK_HEADER + "".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = ROOT / "data" / "raw"
    parser.add_argument("target", nargs="?", default=default, help=f"default: {default}")
    parser.add_argument("--data", default=DATA_DIR, help=f"data files (default: {DATA_DIR})")
    args = parser.parse_args(argv)
    try:
        demo = load(Path(args.data))
        codebook, tables = demo_codebook(demo), build(demo)
    except DemoDataError as exc:
        print(f"make_demo_data: {exc}", file=sys.stderr)
        return 2
    target = Path(args.target)
    target.mkdir(parents=True, exist_ok=True)
    (target / "codebook.yml").write_text(codebook, encoding="utf-8", newline="\n")
    for name, rows in tables.items():
        write_csv(target / f"{name}.csv", *TABLES[name], rows)
    counts = ", ".join(f"{name}.csv ({len(rows)} rows)" for name, rows in tables.items())
    print(f"wrote fictional demo data to {target}: codebook.yml, {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
