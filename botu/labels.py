"""What the researchers' workbook calls each processed table and column, per language.

One catalogue per language: ``TABLES`` (table → sheet name and what the sheet holds) and
``COLUMNS`` (column → header and meaning; a ``table.column`` key says it for one table only),
``ACTOR_TYPES`` for the columns of the actor-type table, ``DYNAMIC`` for the columns a table
takes from the data (rater scores, codebook factors), ``TEXTS`` for the about sheet.
``FORMATS`` (not per language) says how a numeric column is shown.

Only sheet names and headers are translated; cell values stay as in the CSV files.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

LANGUAGES = ("nl", "en")
# Excel refuses these in sheet names, and names longer than 31 characters
FORBIDDEN_IN_SHEET_NAMES = frozenset("[]:*?/\\")
MAX_SHEET_NAME = 31

# --- tables: sheet name, what the sheet holds ------------------------------------------

TABLES: dict[str, dict[str, tuple[str, str]]] = {
    "nl": {
        "codebook": ("Codeboek", "Alle codes en factoren van het codeboek, met hun definities"),
        "teams": ("Teams", "De onderzochte teams"),
        "team_members": ("Teamleden", "Per team de actoren die meedoen of beoogd waren"),
        "codings": ("Coderingen", "Elke code die een codeur aan een segment gaf"),
        "ratings": ("Beoordelingen", "Scores (0–3) per team en factor, per beoordelaar"),
        "coded_segments": (
            "Gecodeerde segmenten",
            "Elk gecodeerd segment per code, met document, respondent en tekst",
        ),
        "evidence_matrix": (
            "Bewijsmatrix",
            "Per team en code: hoeveel segmenten, documenten en respondenten",
        ),
        "evidence_check": (
            "Bewijstoets",
            "Per beoordeling: het aangehaalde bewijs en of het volstaat (score 2 of hoger vraagt "
            "minstens 2 segmenten uit 2 documenten)",
        ),
        "factor_profiles": (
            "Factorprofielen",
            "Consensusscore per team en factor, naast de score van elke beoordelaar en het bewijs",
        ),
        "origin_involvement": (
            "Herkomst en betrokkenheid",
            "Uit de wijk, door de wijk: herkomst van het plan en betrokkenheid van bewoners",
        ),
        "responsiveness": (
            "Responsiviteit",
            "Responsiviteit per actor en de teamscore volgens de regel van het codeboek",
        ),
        "barriers": (
            "Barrières",
            "Ernst van elke barrière per team en de segmenten die haar noemen",
        ),
        "composition": (
            "Samenstelling",
            "Per team: omvang, mix van actortypen, eerdere samenwerking en kapitaal",
        ),
        "actor_types": ("Actortypen per team", "Aantal aangehaakte leden per team en actortype"),
        "shared_actors": ("Gedeelde actoren", "Actoren die bij meer dan één team meedoen"),
        "team_links": (
            "Verbindingen tussen teams",
            "Paren teams die aangehaakte actoren delen (het actorennetwerk)",
        ),
        "reliability_segments": (
            "Betrouwbaarheid segmenten",
            "Overeenstemming tussen codeurs per segment: per code, per familie en gepoold",
        ),
        "reliability_documents": (
            "Betrouwbaarheid documenten",
            "Overeenstemming tussen codeurs per document (code wel of niet in het document)",
        ),
        "reliability_teams": (
            "Betrouwbaarheid per team",
            "Gepoolde overeenstemming tussen codeurs per segment, per team",
        ),
        "reliability_ratings": (
            "Betrouwbaarheid beoordelingen",
            "Overeenstemming tussen beoordelaars over de teamscores (consensus niet meegeteld)",
        ),
        "disagreements": (
            "Verschillen tussen codeurs",
            "Fragmenten uit de overlapsteekproef waarop de codeurs verschillen, met het citaat",
        ),
        "validation": ("Waarschuwingen", "Waarschuwingen bij het inlezen van de ruwe data"),
    },
    "en": {
        "codebook": ("Codebook", "Every code and factor of the codebook, with its definitions"),
        "teams": ("Teams", "The teams studied"),
        "team_members": ("Team members", "Per team the actors who take part or were targeted"),
        "codings": ("Codings", "Every code a coder applied to a segment"),
        "ratings": ("Ratings", "Scores (0–3) per team and factor, per rater"),
        "coded_segments": (
            "Coded segments",
            "Every coded segment per code, with its document, respondent and text",
        ),
        "evidence_matrix": (
            "Evidence matrix",
            "Per team and code: how many segments, documents and respondents",
        ),
        "evidence_check": (
            "Evidence check",
            "Per rating: the evidence it cites and whether it suffices (a score of 2 or more "
            "needs at least 2 segments from 2 documents)",
        ),
        "factor_profiles": (
            "Factor profiles",
            "Consensus score per team and factor, beside each rater's score and the evidence",
        ),
        "origin_involvement": (
            "Origin and involvement",
            "From the neighbourhood, by the neighbourhood: origin of the plan and resident "
            "involvement",
        ),
        "responsiveness": (
            "Responsiveness",
            "Responsiveness per actor and the team score by the codebook's rule",
        ),
        "barriers": ("Barriers", "Severity of each barrier per team and the segments naming it"),
        "composition": (
            "Composition",
            "Per team: size, mix of actor types, prior collaboration and capital",
        ),
        "actor_types": ("Actor types per team", "Joined members per team and actor type"),
        "shared_actors": ("Shared actors", "Actors taking part in more than one team"),
        "team_links": (
            "Links between teams",
            "Pairs of teams sharing joined actors (the actor network)",
        ),
        "reliability_segments": (
            "Reliability segments",
            "Intercoder agreement per segment: per code, per family and pooled",
        ),
        "reliability_documents": (
            "Reliability documents",
            "Intercoder agreement per document (code present in the document or not)",
        ),
        "reliability_teams": (
            "Reliability per team",
            "Pooled intercoder agreement per segment, per team",
        ),
        "reliability_ratings": (
            "Reliability ratings",
            "Agreement between raters on the team scores (consensus left out)",
        ),
        "disagreements": (
            "Coder disagreements",
            "Segments of the overlap sample on which the coders differ, with the quote",
        ),
        "validation": ("Validation warnings", "Warnings from reading the raw data"),
    },
}

# --- columns: header, meaning ------------------------------------------------------------

COLUMNS: dict[str, dict[str, tuple[str, str]]] = {
    "nl": {
        # ids and names
        "team_id": ("team", "Id van het team"),
        "team_a": ("team A", "Id van het eerste team van het paar"),
        "team_b": ("team B", "Id van het tweede team van het paar"),
        "name": ("naam", "Naam van het team"),
        "theme": ("thema", "Thema van het team (id)"),
        "actor_id": ("actor", "Id van de actor (organisatie of groep)"),
        "pseudonym": ("pseudoniem", "Naam waaronder de actor in het onderzoek verschijnt"),
        "actor_type": ("type actor", "Soort actor (id), bijvoorbeeld gemeente of bewoners"),
        "segment_id": ("segment", "Id van het tekstsegment"),
        "document_id": ("document", "Id van het document"),
        "respondent_id": ("respondent", "Id van de respondent; leeg als het geen interview is"),
        "code_id": ("code", "Id van de code in het codeboek"),
        "factor_id": ("factor", "Id van de factor (een code die per team wordt beoordeeld)"),
        "barrier_id": ("barrière", "Id van de barrière (code in het codeboek)"),
        "coder_id": ("codeur", "Id van de codeur"),
        "rater_id": ("beoordelaar", "Id van de beoordelaar; CONS is de consensusscore"),
        "parent": ("bovenliggende code", "Code erboven in het codeboek; leeg bij een hoofdfactor"),
        "family": ("hoofdfactor", "Hoofdfactor waar de factor onder valt"),
        "is_fictional": ("fictief", "ja: de rij hoort bij fictieve demodata"),
        # teams and actors
        "coalition_type": ("type coalitie", "gevestigd, nieuw of hybride"),
        "sibd_phase_reached": (
            "bereikte SIBD-fase",
            "Hoogste SIBD-fase (1–4) die het team bereikte",
        ),
        "sibd_status": ("SIBD-status", "actief, gestopt of on_hold (gepauzeerd)"),
        "call_year": ("jaar oproep", "Jaar van de oproep waarin het team meedeed"),
        "plan_start_year": ("startjaar plan", "Jaar waarin het plan begon"),
        "role": (
            "rol",
            "Rol in het team: kern, partner, adviseur, financier of beoogd_niet_aangehaakt "
            "(beoogd maar niet aangehaakt)",
        ),
        "has_joined": ("aangehaakt", "ja: de actor doet mee; nee: beoogd maar niet aangehaakt"),
        "is_capital_rich": ("kapitaalkrachtig", "ja: een kapitaalkrachtige partij"),
        "is_local": ("lokaal", "ja: de actor is in de wijk gevestigd"),
        "prior_collaboration_years": (
            "jaren eerdere samenwerking",
            "Jaren dat de actor vóór de start al met het team samenwerkte",
        ),
        # codebook
        "level": (
            "niveau",
            "Waar de code wordt toegepast: segment (op segmenten) of team_rating (score per team)",
        ),
        "is_rated": ("beoordeeld", "ja: de code krijgt per team een score 0–3"),
        "label_nl": ("naam (nl)", "Naam van de code in het Nederlands"),
        "label_en": ("naam (en)", "Naam van de code in het Engels"),
        "definition_nl": ("definitie (nl)", "Definitie van de code in het Nederlands"),
        "definition_en": ("definitie (en)", "Definitie van de code in het Engels"),
        "include": ("wel coderen", "Wat onder de code valt"),
        "exclude": ("niet coderen", "Wat niet onder de code valt (en waar het wel hoort)"),
        "codebook.values": ("waarden", "Waarden die bij de code gegeven kunnen worden"),
        "order": (
            "volgorde",
            "Plaats van de code op een trap (bijvoorbeeld de participatieladder)",
        ),
        # codings and segments
        "value": ("waarde", "Waarde bij de code (bijvoorbeeld gemeente of fonds); vaak leeg"),
        "coders": ("codeurs", "Codeurs die de code op dit segment gaven (met ; gescheiden)"),
        "kind": ("soort document", "interview, document of observatie"),
        "phase": ("fase", "SIBD-fase (1–4) waarover het document gaat"),
        "respondent_role": ("rol respondent", "Functie of rol van de respondent"),
        "actor_pseudonym": ("organisatie respondent", "Actor waarvoor de respondent werkt"),
        "text": ("tekst", "Tekst van het segment (citaat)"),
        # ratings and evidence
        "score": ("score", "Score 0–3 (leeg: niet te beoordelen)"),
        "factor_profiles.score": ("consensusscore", "Consensusscore 0–3 van het team"),
        "evidence": ("bewijs", "Fragmenten die de score onderbouwen (ids, met ; gescheiden)"),
        "n_cited": ("aangehaalde segmenten", "Aantal segmenten dat de beoordeling aanhaalt"),
        "factor_profiles.n_cited": (
            "aangehaalde segmenten",
            "Aantal geldige segmenten dat de consensus aanhaalt",
        ),
        "n_cited_valid": (
            "geldig aangehaald",
            "Aangehaalde segmenten van dit team, gecodeerd binnen de factor",
        ),
        "n_cited_documents": ("documenten bewijs", "Documenten waaruit het geldige bewijs komt"),
        "needs_evidence": ("bewijs nodig", "ja: score 2 of hoger, dus bewijs vereist"),
        "is_evidence_ok": (
            "bewijs voldoende",
            "ja: geen bewijs nodig, of minstens 2 geldige segmenten uit 2 documenten",
        ),
        "n_coded_segments": (
            "gecodeerde segmenten",
            "Fragmenten van het team gecodeerd binnen de factor",
        ),
        "n_coded_documents": (
            "gecodeerde documenten",
            "Documenten van het team met een code binnen de factor",
        ),
        "n_segments": ("segmenten", "Aantal segmenten van het team met deze code"),
        "barriers.n_segments": (
            "segmenten",
            "Aantal segmenten van het team dat de barrière noemt",
        ),
        "n_documents": ("documenten", "Aantal documenten van het team met deze code"),
        "n_respondents": ("respondenten", "Aantal respondenten van het team met deze code"),
        "severity": ("ernst", "Consensusscore 0–3 van de barrière (leeg: niet beoordeeld)"),
        # origin and involvement, responsiveness
        "highest_involvement_coded": (
            "hoogste gecodeerde betrokkenheid",
            "Hoogste trede van bewonersbetrokkenheid die in het materiaal is gecodeerd",
        ),
        "main_origin_coded": (
            "meest gecodeerde herkomst",
            "Herkomst van het plan die in de meeste segmenten is gecodeerd",
        ),
        "is_rule_ok": (
            "regel klopt",
            "ja: bewonersinitiatief ≤ herkomst en ≤ betrokkenheid + 1, zoals het codeboek vraagt",
        ),
        "gap": ("verschil herkomst–betrokkenheid", "Score herkomst min score betrokkenheid"),
        "rule_score": (
            "score volgens regel",
            "Beste van gemeente en woningcorporatie, één lager als een andere beoordeelde actor "
            "1 of lager scoort",
        ),
        "is_municipality_co_developing": (
            "gemeente ontwikkelt mee",
            "ja: de gemeente scoort 3 (ontwikkelt het plan mee)",
        ),
        "municipality_roles_coded": (
            "gecodeerde rollen gemeente",
            "Rollen van de gemeente die in het materiaal zijn gecodeerd",
        ),
        # composition and network
        "n_members": ("leden", "Aantal aangehaakte leden"),
        "n_actor_types": ("actortypen", "Aantal verschillende actortypen onder de leden"),
        "actor_types": ("typen actoren", "De actortypen onder de leden"),
        "n_local_members": ("lokale leden", "Aantal leden dat in de wijk gevestigd is"),
        "prior_collaboration_years_median": (
            "mediaan jaren samenwerking",
            "Mediaan van de jaren eerdere samenwerking van de leden",
        ),
        "n_prior_collaborators": (
            "eerdere samenwerkers",
            "Aantal leden dat al eerder met het team samenwerkte",
        ),
        "has_residents": ("met bewoners", "ja: bewoners doen mee"),
        "has_municipality": ("met gemeente", "ja: de gemeente doet mee"),
        "has_semi_public_or_market": (
            "met (semi)publieke of marktpartij",
            "ja: een woningcorporatie, ondernemer, zorg-, welzijns- of kennisinstelling doet mee",
        ),
        "n_capital_rich_targeted": (
            "kapitaalkrachtig beoogd",
            "Aantal kapitaalkrachtige partijen dat het team wilde betrekken",
        ),
        "n_capital_rich_joined": (
            "kapitaalkrachtig aangehaakt",
            "Aantal beoogde kapitaalkrachtige partijen dat ook aanhaakte",
        ),
        "is_new_coalition_mix": (
            "nieuwe coalitie",
            "ja: bewoners, gemeente en een (semi)publieke of marktpartij samen",
        ),
        "teams": ("teams", "Teams waarin de actor meedoet (ids, met ; gescheiden)"),
        "n_teams": ("aantal teams", "Aantal teams waarin de actor meedoet"),
        "n_shared": ("gedeelde actoren", "Aantal aangehaakte actoren dat beide teams delen"),
        "shared_actor_ids": ("ids gedeelde actoren", "De gedeelde actoren (ids, met ; gescheiden)"),
        # reliability
        "scope": (
            "reikwijdte",
            "Waarover de maat gaat: code, family (een hoofdfactor met haar codes), factor of "
            "pooled (alles samen)",
        ),
        "label": ("naam", "Naam van de code of factor"),
        "n_units": ("eenheden", "Aantal segmenten in de overlapsteekproef"),
        "reliability_documents.n_units": ("eenheden", "Aantal documenten in de overlapsteekproef"),
        "reliability_ratings.n_units": ("eenheden", "Aantal beoordeelde teams"),
        "n_coders": ("codeurs", "Aantal codeurs"),
        "reliability_ratings.n_coders": ("beoordelaars", "Aantal beoordelaars"),
        "percent_agreement": ("overeenstemming", "Aandeel eenheden waarover allen het eens zijn"),
        "kappa": ("Cohens κ", "Cohens kappa: overeenstemming gecorrigeerd voor toeval"),
        "kappa_ci_low": ("κ ondergrens", "Ondergrens van het 95%-bootstrapinterval van κ"),
        "kappa_ci_high": ("κ bovengrens", "Bovengrens van het 95%-bootstrapinterval van κ"),
        "kappa_interpretation": ("lezing κ", "Lezing van κ volgens Landis & Koch (1977)"),
        "fleiss_kappa": ("Fleiss' κ", "Fleiss' kappa (ook voor meer dan twee codeurs)"),
        "alpha": ("Krippendorffs α", "Krippendorffs alfa"),
        "alpha_ci_low": ("α ondergrens", "Ondergrens van het 95%-bootstrapinterval van α"),
        "alpha_ci_high": ("α bovengrens", "Bovengrens van het 95%-bootstrapinterval van α"),
        "interpretation": (
            "lezing α",
            "Lezing van α volgens Krippendorff (2004): betrouwbaar vanaf 0,800, voorlopig vanaf "
            "0,667",
        ),
        "note": ("opmerking", "Toelichting bij de berekening"),
        "disagreement": (
            "soort verschil",
            "presence: niet alle codeurs gaven de code; value: wel, maar met andere waarden",
        ),
        "applied_by": ("gegeven door", "Codeurs die de code gaven"),
        "not_applied_by": ("niet gegeven door", "Codeurs die de code niet gaven"),
        "disagreements.values": (
            "waarden",
            "Waarde per codeur (bijvoorbeeld C1: fonds; C2: gemeente)",
        ),
        # validation
        "file": ("bestand", "Bestand waarin het probleem zit"),
        "row": ("rij", "Rij in het bestand (kop = rij 1)"),
        "column": ("kolom", "Kolom in het bestand"),
        "validation.severity": ("ernst", "Hoe ernstig het probleem is"),
        "message": ("melding", "Wat er aan de hand is"),
        # columns of the pages' own tables (not in the workbook)
        "table": ("tabel", "Tabel van de ruwe data"),
        "rows": ("rijen", "Aantal rijen"),
        "definition": ("definitie", "Definitie van de code"),
        "factor": ("factor", "Naam van de factor"),
        "barrier": ("barrière", "Naam van de barrière"),
        "kappa_ci": ("κ 95%-interval", "95%-bootstrapinterval van κ"),
        "alpha_ci": ("α 95%-interval", "95%-bootstrapinterval van α"),
        "reliability_view.label": ("code", "Naam van de code of factor"),
        "evidence_matrix.label": ("code", "Naam van de code"),
        "reliability_view.kappa": ("κ", "Cohens kappa"),
        "reliability_view.alpha": ("α", "Krippendorffs alfa"),
        "reliability_view.kappa_interpretation": ("κ (Landis & Koch)", "Lezing van κ"),
        "reliability_view.interpretation": ("α (Krippendorff)", "Lezing van α"),
        "reliability_view.scope": ("niveau", "Waarover de maat gaat"),
        "condition": ("conditie", "Conditie (of haar afwezigheid: niet …)"),
        "n": ("teams", "Aantal teams met deze configuratie"),
        "n_outcome": ("met uitkomst", "Aantal teams met de uitkomst"),
        "n_condition": ("met conditie", "Aantal teams met de conditie"),
        "n_both": ("met beide", "Aantal teams met conditie én uitkomst"),
        "consistency": ("consistentie", "Consistentie (Ragin 2006)"),
        "coverage": ("dekking", "Dekking (Ragin 2006)"),
        "out": ("uitkomst", "1, 0, C (tegenstrijdig) of ? (geen teams)"),
        "cases": ("teams", "Teams met deze configuratie"),
        "cases_with_outcome": ("teams met uitkomst", "Teams met deze configuratie en de uitkomst"),
        "cases_without_outcome": (
            "teams zonder uitkomst",
            "Teams met deze configuratie, zonder de uitkomst",
        ),
    },
    "en": {
        "team_id": ("team", "Id of the team"),
        "team_a": ("team A", "Id of the pair's first team"),
        "team_b": ("team B", "Id of the pair's second team"),
        "name": ("name", "Name of the team"),
        "theme": ("theme", "Theme of the team (id)"),
        "actor_id": ("actor", "Id of the actor (organisation or group)"),
        "pseudonym": ("pseudonym", "Name under which the actor appears in the study"),
        "actor_type": ("actor type", "Kind of actor (id), e.g. gemeente (municipality)"),
        "segment_id": ("segment", "Id of the text segment"),
        "document_id": ("document", "Id of the document"),
        "respondent_id": ("respondent", "Id of the respondent; empty when not an interview"),
        "code_id": ("code", "Id of the code in the codebook"),
        "factor_id": ("factor", "Id of the factor (a code rated per team)"),
        "barrier_id": ("barrier", "Id of the barrier (a code in the codebook)"),
        "coder_id": ("coder", "Id of the coder"),
        "rater_id": ("rater", "Id of the rater; CONS is the consensus score"),
        "parent": ("parent code", "Code above it in the codebook; empty for a main factor"),
        "family": ("main factor", "Main factor the factor belongs to"),
        "is_fictional": ("fictional", "yes: the row belongs to fictional demo data"),
        "coalition_type": (
            "coalition type",
            "gevestigd (established), nieuw (new) or hybride (hybrid)",
        ),
        "sibd_phase_reached": ("SIBD phase reached", "Highest SIBD phase (1–4) the team reached"),
        "sibd_status": (
            "SIBD status",
            "actief (active), gestopt (stopped) or on_hold",
        ),
        "call_year": ("call year", "Year of the call the team took part in"),
        "plan_start_year": ("plan start year", "Year the plan started"),
        "role": (
            "role",
            "Role in the team: kern (core), partner, adviseur (adviser), financier (funder) or "
            "beoogd_niet_aangehaakt (targeted, did not join)",
        ),
        "has_joined": ("joined", "yes: the actor takes part; no: targeted but did not join"),
        "is_capital_rich": ("capital-rich", "yes: a capital-rich party"),
        "is_local": ("local", "yes: the actor is based in the neighbourhood"),
        "prior_collaboration_years": (
            "years of prior collaboration",
            "Years the actor had worked with the team before the start",
        ),
        "level": (
            "level",
            "Where the code is applied: segment (to segments) or team_rating (a score per team)",
        ),
        "is_rated": ("rated", "yes: the code gets a score 0–3 per team"),
        "label_nl": ("name (nl)", "Name of the code in Dutch"),
        "label_en": ("name (en)", "Name of the code in English"),
        "definition_nl": ("definition (nl)", "Definition of the code in Dutch"),
        "definition_en": ("definition (en)", "Definition of the code in English"),
        "include": ("include", "What the code covers"),
        "exclude": ("exclude", "What the code does not cover (and where it belongs)"),
        "codebook.values": ("values", "Values that can be given with the code"),
        "order": ("order", "Place of the code on a ladder (e.g. the participation ladder)"),
        "value": ("value", "Value given with the code (e.g. gemeente or fonds); often empty"),
        "coders": ("coders", "Coders who applied the code to this segment (;-separated)"),
        "kind": ("document kind", "interview, document or observatie (observation)"),
        "phase": ("phase", "SIBD phase (1–4) the document is about"),
        "respondent_role": ("respondent role", "Job or role of the respondent"),
        "actor_pseudonym": ("respondent organisation", "Actor the respondent works for"),
        "text": ("text", "Text of the segment (quote)"),
        "score": ("score", "Score 0–3 (empty: cannot be rated)"),
        "factor_profiles.score": ("consensus score", "The team's consensus score 0–3"),
        "evidence": ("evidence", "Segments supporting the score (ids, ;-separated)"),
        "n_cited": ("segments cited", "Number of segments the rating cites"),
        "factor_profiles.n_cited": (
            "segments cited",
            "Number of valid segments the consensus cites",
        ),
        "n_cited_valid": (
            "valid citations",
            "Cited segments of this team, coded within the factor",
        ),
        "n_cited_documents": ("evidence documents", "Documents the valid evidence comes from"),
        "needs_evidence": ("needs evidence", "yes: a score of 2 or more, so evidence is required"),
        "is_evidence_ok": (
            "evidence sufficient",
            "yes: no evidence needed, or at least 2 valid segments from 2 documents",
        ),
        "n_coded_segments": ("coded segments", "Segments of the team coded within the factor"),
        "n_coded_documents": ("coded documents", "Documents of the team with a code in the factor"),
        "n_segments": ("segments", "Number of the team's segments with this code"),
        "barriers.n_segments": ("segments", "Number of the team's segments naming the barrier"),
        "n_documents": ("documents", "Number of the team's documents with this code"),
        "n_respondents": ("respondents", "Number of the team's respondents with this code"),
        "severity": ("severity", "Consensus score 0–3 of the barrier (empty: not rated)"),
        "highest_involvement_coded": (
            "highest involvement coded",
            "Highest step of resident involvement coded in the material",
        ),
        "main_origin_coded": (
            "origin coded most",
            "Origin of the plan coded in the most segments",
        ),
        "is_rule_ok": (
            "rule holds",
            "yes: resident initiative ≤ origin and ≤ involvement + 1, as the codebook asks",
        ),
        "gap": ("origin–involvement gap", "Origin score minus involvement score"),
        "rule_score": (
            "score by the rule",
            "Best of municipality and housing corporation, one lower when another rated actor "
            "scores 1 or less",
        ),
        "is_municipality_co_developing": (
            "municipality co-develops",
            "yes: the municipality scores 3 (co-develops the plan)",
        ),
        "municipality_roles_coded": (
            "municipality roles coded",
            "Roles of the municipality coded in the material",
        ),
        "n_members": ("members", "Number of joined members"),
        "n_actor_types": ("actor types", "Number of different actor types among the members"),
        "actor_types": ("kinds of actors", "The actor types among the members"),
        "n_local_members": ("local members", "Number of members based in the neighbourhood"),
        "prior_collaboration_years_median": (
            "median years of collaboration",
            "Median of the members' years of prior collaboration",
        ),
        "n_prior_collaborators": (
            "prior collaborators",
            "Number of members who had worked with the team before",
        ),
        "has_residents": ("with residents", "yes: residents take part"),
        "has_municipality": ("with municipality", "yes: the municipality takes part"),
        "has_semi_public_or_market": (
            "with (semi-)public or market party",
            "yes: a housing corporation, entrepreneur, care, welfare or knowledge institution "
            "takes part",
        ),
        "n_capital_rich_targeted": (
            "capital-rich targeted",
            "Number of capital-rich parties the team meant to involve",
        ),
        "n_capital_rich_joined": (
            "capital-rich joined",
            "Number of the targeted capital-rich parties that joined",
        ),
        "is_new_coalition_mix": (
            "new coalition",
            "yes: residents, municipality and a (semi-)public or market party together",
        ),
        "teams": ("teams", "Teams the actor takes part in (ids, ;-separated)"),
        "n_teams": ("number of teams", "Number of teams the actor takes part in"),
        "n_shared": ("shared actors", "Number of joined actors both teams share"),
        "shared_actor_ids": ("shared actor ids", "The shared actors (ids, ;-separated)"),
        "scope": (
            "scope",
            "What the measure covers: code, family (a main factor with its codes), factor or "
            "pooled (everything together)",
        ),
        "label": ("name", "Name of the code or factor"),
        "n_units": ("units", "Number of segments in the overlap sample"),
        "reliability_documents.n_units": ("units", "Number of documents in the overlap sample"),
        "reliability_ratings.n_units": ("units", "Number of teams rated"),
        "n_coders": ("coders", "Number of coders"),
        "reliability_ratings.n_coders": ("raters", "Number of raters"),
        "percent_agreement": ("agreement", "Share of units on which all agree"),
        "kappa": ("Cohen's κ", "Cohen's kappa: agreement corrected for chance"),
        "kappa_ci_low": ("κ lower bound", "Lower bound of the 95% bootstrap interval of κ"),
        "kappa_ci_high": ("κ upper bound", "Upper bound of the 95% bootstrap interval of κ"),
        "kappa_interpretation": ("κ reading", "Reading of κ after Landis & Koch (1977)"),
        "fleiss_kappa": ("Fleiss' κ", "Fleiss' kappa (also for more than two coders)"),
        "alpha": ("Krippendorff's α", "Krippendorff's alpha"),
        "alpha_ci_low": ("α lower bound", "Lower bound of the 95% bootstrap interval of α"),
        "alpha_ci_high": ("α upper bound", "Upper bound of the 95% bootstrap interval of α"),
        "interpretation": (
            "α reading",
            "Reading of α after Krippendorff (2004): reliable from 0.800, tentative from 0.667",
        ),
        "note": ("note", "Note on the computation"),
        "disagreement": (
            "kind of disagreement",
            "presence: not all coders applied the code; value: all did, with different values",
        ),
        "applied_by": ("applied by", "Coders who applied the code"),
        "not_applied_by": ("not applied by", "Coders who did not apply the code"),
        "disagreements.values": ("values", "Value per coder (e.g. C1: fonds; C2: gemeente)"),
        "file": ("file", "File with the problem"),
        "row": ("row", "Row in the file (header = row 1)"),
        "column": ("column", "Column in the file"),
        "validation.severity": ("severity", "How serious the problem is"),
        "message": ("message", "What is wrong"),
        # columns of the pages' own tables (not in the workbook)
        "table": ("table", "Table of the raw data"),
        "rows": ("rows", "Number of rows"),
        "definition": ("definition", "Definition of the code"),
        "factor": ("factor", "Name of the factor"),
        "barrier": ("barrier", "Name of the barrier"),
        "kappa_ci": ("κ 95% CI", "95% bootstrap interval of κ"),
        "alpha_ci": ("α 95% CI", "95% bootstrap interval of α"),
        "reliability_view.label": ("code", "Name of the code or factor"),
        "evidence_matrix.label": ("code", "Name of the code"),
        "reliability_view.kappa": ("κ", "Cohen's kappa"),
        "reliability_view.alpha": ("α", "Krippendorff's alpha"),
        "reliability_view.kappa_interpretation": ("κ (Landis & Koch)", "Reading of κ"),
        "reliability_view.interpretation": ("α (Krippendorff)", "Reading of α"),
        "reliability_view.scope": ("scope", "What the measure covers"),
        "condition": ("condition", "Condition (or its absence: not …)"),
        "n": ("teams", "Number of teams with this configuration"),
        "n_outcome": ("with outcome", "Number of teams with the outcome"),
        "n_condition": ("with condition", "Number of teams with the condition"),
        "n_both": ("with both", "Number of teams with condition and outcome"),
        "consistency": ("consistency", "Consistency (Ragin 2006)"),
        "coverage": ("coverage", "Coverage (Ragin 2006)"),
        "out": ("outcome", "1, 0, C (contradictory) or ? (no teams)"),
        "cases": ("teams", "Teams with this configuration"),
        "cases_with_outcome": (
            "teams with outcome",
            "Teams with this configuration and the outcome",
        ),
        "cases_without_outcome": (
            "teams without outcome",
            "Teams with this configuration, without the outcome",
        ),
    },
}

# the columns of ``actor_types`` are actor types (cell values elsewhere stay ids)
ACTOR_TYPES: dict[str, dict[str, str]] = {
    "nl": {
        "bewoners": "bewoners",
        "fonds": "fonds",
        "gemeente": "gemeente",
        "kennisinstelling": "kennisinstelling",
        "ondernemer": "ondernemer",
        "vastgoedontwikkelaar_marktpartij": "vastgoedontwikkelaar of marktpartij",
        "welzijn_maatschappelijk": "welzijn en maatschappelijk werk",
        "woningcorporatie": "woningcorporatie",
        "zorginstelling": "zorginstelling",
    },
    "en": {
        "bewoners": "residents",
        "fonds": "fund",
        "gemeente": "municipality",
        "kennisinstelling": "knowledge institution",
        "ondernemer": "entrepreneur",
        "vastgoedontwikkelaar_marktpartij": "property developer or market party",
        "welzijn_maatschappelijk": "welfare and social work",
        "woningcorporatie": "housing corporation",
        "zorginstelling": "care institution",
    },
}

# cell values a reader meets on the pages (team attributes, roles, codebook value lists,
# codebook levels, reliability scopes): id → word; a value not listed is shown as it is
VALUES: dict[str, dict[str, str]] = {
    "nl": {
        **ACTOR_TYPES["nl"],
        # themes
        "zorg_jeugd": "zorg en jeugd",
        "werk_taal_schulden": "werk, taal en schulden",
        "energie_wonen_buitenruimte": "energie, wonen en buitenruimte",
        # coalition types, SIBD status
        "gevestigd": "gevestigd",
        "nieuw": "nieuw",
        "hybride": "hybride",
        "actief": "actief",
        "gestopt": "gestopt",
        "on_hold": "gepauzeerd",
        # roles in a team
        "kern": "kern",
        "partner": "partner",
        "adviseur": "adviseur",
        "financier": "financier",
        "beoogd_niet_aangehaakt": "beoogd, niet aangehaakt",
        # roles of the municipality
        "reguleren": "reguleren",
        "regisseren": "regisseren",
        "stimuleren": "stimuleren",
        "faciliteren": "faciliteren",
        "mede_ontwikkelen": "mede-ontwikkelen",
        "loslaten": "loslaten",
        # sources of money, private capital
        "eigen": "eigen middelen",
        "corporatie": "woningcorporatie",
        "privaat": "privaat",
        "programma": "programma",
        "rijk_semi_overheid": "Rijk of semi-overheid",
        "aangehaakt": "aangehaakt",
        "afgehaakt": "afgehaakt",
        "geen_reactie": "geen reactie",
        "niet_geprobeerd": "niet geprobeerd",
        # document kinds
        "interview": "interview",
        "document": "document",
        "observatie": "observatie",
        # codebook levels
        "segment": "segment",
        "team_rating": "teamscore",
        "team_attribute": "teamkenmerk",
        # reliability scopes, kinds of disagreement
        "code": "code",
        "family": "codefamilie",
        "factor": "factor",
        "pooled": "alle codes samen",
        "presence": "wel of niet gegeven",
        "value": "andere waarde",
        # validation
        "error": "fout",
        "warning": "waarschuwing",
    },
    "en": {
        **ACTOR_TYPES["en"],
        "zorg_jeugd": "care and youth",
        "werk_taal_schulden": "work, language and debt",
        "energie_wonen_buitenruimte": "energy, housing and outdoor space",
        "gevestigd": "established",
        "nieuw": "new",
        "hybride": "hybrid",
        "actief": "active",
        "gestopt": "stopped",
        "on_hold": "on hold",
        "kern": "core",
        "partner": "partner",
        "adviseur": "adviser",
        "financier": "funder",
        "beoogd_niet_aangehaakt": "targeted, did not join",
        "reguleren": "regulating",
        "regisseren": "directing",
        "stimuleren": "stimulating",
        "faciliteren": "facilitating",
        "mede_ontwikkelen": "co-developing",
        "loslaten": "letting go",
        "eigen": "own means",
        "corporatie": "housing corporation",
        "privaat": "private",
        "programma": "programme",
        "rijk_semi_overheid": "central or semi-public government",
        "aangehaakt": "joined",
        "afgehaakt": "dropped out",
        "geen_reactie": "no response",
        "niet_geprobeerd": "not tried",
        "interview": "interview",
        "document": "document",
        "observatie": "observation",
        "segment": "segment",
        "team_rating": "team score",
        "team_attribute": "team attribute",
        "code": "code",
        "family": "code family",
        "factor": "factor",
        "pooled": "all codes together",
        "presence": "applied or not",
        "value": "different value",
        "error": "error",
        "warning": "warning",
    },
}

# the raw data's tables, as the overview counts them
RAW_TABLES: dict[str, dict[str, str]] = {
    "nl": {
        "teams": "teams",
        "actors": "actoren",
        "memberships": "lidmaatschappen",
        "respondents": "respondenten",
        "documents": "documenten",
        "segments": "segmenten",
        "codings": "coderingen",
        "ratings": "beoordelingen",
        "codebook": "codes in het codeboek",
    },
    "en": {
        "teams": "teams",
        "actors": "actors",
        "memberships": "memberships",
        "respondents": "respondents",
        "documents": "documents",
        "segments": "segments",
        "codings": "codings",
        "ratings": "ratings",
        "codebook": "codes in the codebook",
    },
}

# the reliability tables' notes (written in English by botu.reliability), clause by clause:
# pattern → sentence per language, the pattern's groups filled in
NOTES: tuple[tuple[str, dict[str, str]], ...] = (
    (
        r"pooled over (\d+) code\(s\) used in (\d+) unit\(s\)",
        {
            "nl": "over {0} codes samen, gebruikt in {1} eenheden",
            "en": "over {0} codes together, used in {1} units",
        },
    ),
    (
        r"(α and κ intervals|α interval|κ interval) from (\d+) of (\d+) draws"
        r"( \(the rest undefined: no variation\))?",
        {
            "nl": "{0} uit {1} van {2} trekkingen{3}",
            "en": "{0} from {1} of {2} draws{3}",
        },
    ),
    (
        r"undefined: no variation",
        {"nl": "niet gedefinieerd: geen variatie", "en": "undefined: no variation"},
    ),
    (
        r"undefined: no pairable units",
        {
            "nl": "niet gedefinieerd: geen eenheden met twee codeurs",
            "en": "undefined: no unit coded twice",
        },
    ),
    (
        r"code not used in the overlap sample",
        {
            "nl": "code niet gebruikt in de overlapsteekproef",
            "en": "code not used in the overlap sample",
        },
    ),
    (
        r"used by one coder only \((.+)\)",
        {"nl": "alleen gebruikt door codeur {0}", "en": "used by coder {0} only"},
    ),
    (
        r"(\d+) unit\(s\) with one value only \(ignored\)",
        {
            "nl": "{0} eenheden met maar één waarde (niet meegeteld)",
            "en": "{0} units with one value only (left out)",
        },
    ),
    (
        r"κ needs exactly 2 coders, found (\d+): see fleiss_kappa and alpha",
        {
            "nl": "κ vraagt precies 2 codeurs, er zijn er {0}: zie Fleiss' κ en α",
            "en": "κ needs exactly 2 coders, there are {0}: see Fleiss' κ and α",
        },
    ),
    (
        r"Fleiss' κ on the (\d+) unit\(s\) coded by every coder",
        {
            "nl": "Fleiss' κ over de {0} eenheden die elke codeur codeerde",
            "en": "Fleiss' κ over the {0} units every coder coded",
        },
    ),
)
# words inside a note's clause
NOTE_WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "α and κ intervals": "intervallen van α en κ",
        "α interval": "interval van α",
        "κ interval": "interval van κ",
        " (the rest undefined: no variation)": " (de rest niet gedefinieerd: geen variatie)",
    },
    "en": {
        "α and κ intervals": "α and κ intervals",
        "α interval": "α interval",
        "κ interval": "κ interval",
        " (the rest undefined: no variation)": " (the rest undefined: no variation)",
    },
}

# columns a table takes from the data: ``{name}`` is the code's name from the codebook,
# ``{id}`` the column's id (a code, an actor type, a rater)
DYNAMIC: dict[str, dict[str, tuple[str, str]]] = {
    "nl": {
        "rater_score": ("score {id}", "Score 0–3 van beoordelaar {id}"),
        "factor_score": ("{name}", "Consensusscore 0–3 op de factor '{name}' ({id})"),
        "actor_type_count": ("{name}", "Aantal aangehaakte leden van het type '{name}' ({id})"),
    },
    "en": {
        "rater_score": ("score {id}", "Score 0–3 by rater {id}"),
        "factor_score": ("{name}", "Consensus score 0–3 on the factor '{name}' ({id})"),
        "actor_type_count": ("{name}", "Number of joined members of the kind '{name}' ({id})"),
    },
}
# which tables have such columns (every column not named in ``COLUMNS``)
DYNAMIC_TABLES = {
    "factor_profiles": "rater_score",
    "origin_involvement": "factor_score",
    "responsiveness": "factor_score",
    "actor_types": "actor_type_count",
}

# --- the about sheet and cell words --------------------------------------------------------

TEXTS: dict[str, dict[str, str]] = {
    "nl": {
        "about_sheet": "Over deze werkmap",
        "title": "Verwerkte tabellen van het onderzoek",
        "fictional": "Fictieve demodata: hier staan geen echte teams, organisaties of personen.",
        "real": "Onderzoeksdata.",
        "commit": "Gebouwd met botu uit commit {commit}.",
        "csv": "Elk blad staat ook als CSV-bestand in data/processed; 'veld' is de kolomnaam daar.",
        "sheet": "blad",
        "column": "kolom",
        "field": "veld",
        "meaning": "betekenis",
        "yes": "ja",
        "no": "nee",
    },
    "en": {
        "about_sheet": "About",
        "title": "Processed tables of the study",
        "fictional": "Fictional demo data: no real team, organisation or person appears here.",
        "real": "Research data.",
        "commit": "Built with botu from commit {commit}.",
        "csv": "Each sheet is also a CSV file in data/processed; 'field' is its column name there.",
        "sheet": "sheet",
        "column": "column",
        "field": "field",
        "meaning": "meaning",
        "yes": "yes",
        "no": "no",
    },
}

# --- how numbers are shown (all languages) ----------------------------------------------

SHARE, COEFFICIENT, DECIMAL, INTEGER = "0.0%", "0.000", "0.0", "0"
FORMATS: dict[str, str] = {
    "percent_agreement": SHARE,
    **dict.fromkeys(
        (
            "kappa",
            "kappa_ci_low",
            "kappa_ci_high",
            "fleiss_kappa",
            "alpha",
            "alpha_ci_low",
            "alpha_ci_high",
        ),
        COEFFICIENT,
    ),
    "prior_collaboration_years": DECIMAL,
    "prior_collaboration_years_median": DECIMAL,
}


# --- lookups -----------------------------------------------------------------------------


def check_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return lang


def text(key: str, lang: str = "nl") -> str:
    """A sentence or word of the about sheet."""
    return TEXTS[check_lang(lang)][key]


def table_title(table: str, lang: str = "nl") -> tuple[str, str]:
    """Sheet name and what the sheet holds; an unknown table keeps its own name."""
    return TABLES[check_lang(lang)].get(table, (table, ""))


def column(
    table: str, name: str, lang: str = "nl", codes: Mapping[str, str] | None = None
) -> tuple[str, str]:
    """Header and meaning of a column of ``table``; an unknown column keeps its own name.

    ``codes`` gives the codebook's names (code id → name) for columns that are codes.
    """
    columns = COLUMNS[check_lang(lang)]
    kind = DYNAMIC_TABLES.get(table)
    if kind == "actor_type_count" and name != "team_id":
        return _dynamic(kind, name, ACTOR_TYPES[lang].get(name), lang)
    if kind == "factor_score" and codes and name in codes:
        return _dynamic(kind, name, codes[name], lang)
    for key in (f"{table}.{name}", name):
        if key in columns:
            return columns[key]
    if kind == "rater_score" and name.startswith("score_"):
        return _dynamic(kind, name.removeprefix("score_"), None, lang)
    if kind == "factor_score":
        return _dynamic(kind, name, None, lang)
    return name, ""


def _dynamic(kind: str, ident: str, name: str | None, lang: str) -> tuple[str, str]:
    header, meaning = DYNAMIC[lang][kind]
    name = name or ident.replace("_", " ")
    return header.format(id=ident, name=name), meaning.format(id=ident, name=name)


def is_known(table: str, name: str) -> bool:
    """The catalogue says what this column is (not only its own name)."""
    return column(table, name, "nl")[1] != "" and column(table, name, "en")[1] != ""


def headers(
    table: str, names: list[str], lang: str = "nl", codes: Mapping[str, str] | None = None
) -> list[str]:
    """The headers of a table's columns, unique within the sheet (a clash gets its field)."""
    out = [column(table, n, lang, codes)[0] for n in names]
    seen: dict[str, int] = {}
    for header in out:
        seen[header.casefold()] = seen.get(header.casefold(), 0) + 1
    return [
        f"{h} ({n})" if seen[h.casefold()] > 1 and h != n else h
        for h, n in zip(out, names, strict=True)
    ]


def number_format(name: str, is_integer: bool) -> str | None:
    """How a numeric column is shown: its catalogue format, else whole numbers as such."""
    if name in FORMATS:
        return FORMATS[name]
    return INTEGER if is_integer else None


def clean_sheet_name(name: str) -> str:
    """A name Excel accepts: no ``[]:*?/\\``, no leading or trailing quote, ≤ 31 chars."""
    cleaned = "".join("_" if c in FORBIDDEN_IN_SHEET_NAMES else c for c in name).strip("'")
    return (cleaned or "_")[:MAX_SHEET_NAME]


def sheet_names(tables: list[str], lang: str = "nl") -> dict[str, str]:
    """Sheet name of each table: Excel-safe and unique (case-insensitively), the about sheet's
    name kept free."""
    taken = {text("about_sheet", lang).casefold()}
    out: dict[str, str] = {}
    for table in tables:
        base = clean_sheet_name(table_title(table, lang)[0])
        name, n = base, 1
        while name.casefold() in taken:
            n += 1
            suffix = f" ({n})"
            name = base[: MAX_SHEET_NAME - len(suffix)] + suffix
        taken.add(name.casefold())
        out[table] = name
    return out


def value(word: object, lang: str = "nl") -> str:
    """A cell value for a reader: its word from :data:`VALUES`, else the value as it is."""
    text = "" if word is None else str(word)
    return VALUES[check_lang(lang)].get(text, text)


def values(words: object, lang: str = "nl", sep: str = ", ") -> str:
    """A list of values in one cell (``a, b`` or ``a; b``), each as :func:`value`."""
    text = "" if words is None else str(words)
    return sep.join(value(w.strip(), lang) for w in re.split(r"\s*[,;|]\s*", text) if w.strip())


def note(text: object, lang: str = "nl") -> str:
    """A reliability note in ``lang``, clause by clause (``;``-separated); a clause the
    catalogue does not know stays as it is."""
    check_lang(lang)
    out = []
    for clause in str(text or "").split(";"):
        clause = clause.strip()
        if not clause:
            continue
        for pattern, say in NOTES:
            found = re.fullmatch(pattern, clause)
            if found:
                groups = [NOTE_WORDS[lang].get(g or "", g or "") for g in found.groups()]
                clause = say[lang].format(*groups)
                break
        out.append(clause)
    return "; ".join(out)
