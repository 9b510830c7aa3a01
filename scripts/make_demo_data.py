"""Generate the FICTIONAL demo data set in ``data/raw/``.

Everything this script writes is invented: seven fictional "Demo-team" teams, pseudonymous
organisations ("Welzijnsorganisatie W1", "Fonds F1", ...), respondents known only by an id, and
template-built Dutch quotes. No real team, organisation or person is in it. Every CSV row carries
``is_fictional = true``.

The data set encodes the published findings of the synthesis *BoTu: veerkracht samen organiseren*
(see ``CODEBOOK.md`` / ``data/README.md``) so that the analysis has something to show:
two new coalitions among otherwise established ones, plans *from* the neighbourhood but not *by*
it, strong linking ties, a co-developing municipality in most teams, capital-rich parties targeted
and never joined, ample knowledge but little time and money, subsidy dependency everywhere, every
rating >= 2 backed by >= 2 segments from >= 2 documents, and a deliberately ambiguous code pair
(``bi_inv_raadplegen`` / ``bi_inv_meedenken``) so that intercoder reliability is realistic.

The codebook it writes (``codebook.yml``) is not fictional: it is a usable default codebook.

Deterministic: one ``random.Random(2028)`` stream, sorted rows, ``\\n`` line endings, so a rerun
gives byte-identical files.

Usage::

    python scripts/make_demo_data.py [TARGET_DIR]     # default: <repo>/data/raw
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SEED = 2028
TRUE = "true"
FALSE = "false"

# =============================================================================================
# Codebook
# =============================================================================================

SCALE = {
    0: {"nl": "afwezig", "en": "absent"},
    1: {"nl": "zwak", "en": "weak"},
    2: {"nl": "matig", "en": "moderate"},
    3: {"nl": "sterk", "en": "strong"},
}

RUBRIC_ACTOR = {
    0: "Genegeerd of geweigerd: de actor reageert niet of wijst het plan af.",
    1: "Formeel en traag: de actor reageert alleen als het plan in het eigen beleid past.",
    2: "Tijdige facilitering: de actor reageert snel en helpt met ruimte, contact of middelen.",
    3: "Ontwikkelt mee: de actor steekt zelf tijd, personeel of budget in het plan.",
}
RUBRIC_SEVERITY = {
    0: "Niet genoemd.",
    1: "Genoemd, maar hanteerbaar.",
    2: "Vertraagt het plan of verandert de opzet ervan.",
    3: "Blokkeert het plan (of een wezenlijk deel ervan).",
}


def _code(
    cid,
    parent,
    level,
    label,
    definition,
    *,
    rated=None,
    order=None,
    values=None,
    include=None,
    exclude=None,
    rubric=None,
):
    entry = {"id": cid, "parent": parent, "level": level}
    if rated is not None:
        entry["rated"] = rated
    if order is not None:
        entry["order"] = order
    if values is not None:
        entry["values"] = list(values)
    entry["label"] = {"nl": label[0], "en": label[1]}
    entry["definition"] = {"nl": definition[0], "en": definition[1]}
    if include:
        entry["include"] = include
    if exclude:
        entry["exclude"] = exclude
    if rubric is not None:
        entry["rubric"] = dict(rubric)
    return entry


def build_codebook() -> dict:
    seg, rat, att = "segment", "team_rating", "team_attribute"
    codes = [
        # ---------------------------------------------------------------- hulpbronnen
        _code(
            "hulpbronnen",
            None,
            rat,
            ("Hulpbronnen", "Resources"),
            (
                "Welke hulpbronnen (kennis, tijd, geld, ruimte, privaat kapitaal) het team bij de "
                "start tot zijn beschikking heeft (ACTIE: Toerusting; Norris: economische "
                "ontwikkeling).",
                "Which resources (knowledge, time, money, premises, private capital) the team has "
                "at the start (ACTIE: Toerusting; Norris: economic development).",
            ),
            rubric={
                0: "Niets eigens: geen kennis, tijd of geld van het team zelf.",
                1: "Eén soort hulpbron aanwezig; twee van {kennis, tijd, geld} schieten tekort.",
                2: "Ruim voorzien in één of twee soorten (meestal kennis en ervaring), "
                "terwijl tijd en/of geld beperken; afhankelijk van subsidies.",
                3: "Kennis, betaalde capaciteit en zekergestelde financiering zijn alle aanwezig.",
            },
        ),
        _code(
            "hb_kennis",
            "hulpbronnen",
            seg,
            ("Kennis en ervaring", "Knowledge and expertise"),
            (
                "Inhoudelijke kennis, deskundigheid en ervaring van de teamleden met doelgroep, "
                "thema en wijk.",
                "Substantive knowledge, expertise and experience of team members with the target "
                "group, theme and neighbourhood.",
            ),
            rated=True,
            include="Opleiding, vakkennis, ervaring met eerdere vergelijkbare projecten, kennis "
            "van de wijk en de weg naar loketten.",
            exclude="Contacten met andere organisaties (netwerkaansluiting, na_*).",
            rubric={
                0: "Geen relevante kennis of ervaring.",
                1: "Beperkt; op belangrijke punten ontbreekt expertise.",
                2: "Voldoende kennis en ervaring voor het plan.",
                3: "Ruime, aantoonbare expertise en ervaring met doelgroep en wijk.",
            },
        ),
        _code(
            "hb_tijd",
            "hulpbronnen",
            seg,
            ("Tijd en capaciteit", "Time and capacity"),
            (
                "De tijd en (betaalde of vrijwillige) capaciteit die teamleden in het plan kunnen "
                "steken.",
                "The time and (paid or voluntary) capacity team members can put into the plan.",
            ),
            rated=True,
            include="Vrijgemaakte uren, fte, inzet naast regulier werk, vrijwilligersinzet.",
            exclude="Vertraging door tijdgebrek als knelpunt: codeer daarnaast bar_tijd.",
            rubric={
                0: "Geen tijd of capaciteit beschikbaar.",
                1: "Capaciteit grotendeels onbetaald, naast regulier werk; schiet tekort.",
                2: "Voldoende capaciteit, deels betaald.",
                3: "Betaalde, vrijgemaakte capaciteit die volstaat.",
            },
        ),
        _code(
            "hb_geld",
            "hulpbronnen",
            seg,
            ("Geld", "Money"),
            (
                "Financiële middelen voor het plan, met de bron als waarde.",
                "Financial means for the plan, with the source as value.",
            ),
            rated=True,
            values=[
                "eigen",
                "fonds",
                "gemeente",
                "rijk_semi_overheid",
                "corporatie",
                "privaat",
                "programma",
            ],
            include="Begroting, toegezegde of aangevraagde bijdragen, eigen middelen; kies de "
            "bron als waarde.",
            exclude="Inzet van uren zonder geldstroom (hb_tijd).",
            rubric={
                0: "Geen financiering.",
                1: "Kleine of eenmalige bedragen; uitvoering niet gedekt.",
                2: "Eerste fase gedekt, continuïteit onzeker.",
                3: "Financiering voor de uitvoering zeker gesteld.",
            },
        ),
        _code(
            "hb_fysiek",
            "hulpbronnen",
            seg,
            ("Ruimte en middelen", "Premises and equipment"),
            (
                "Fysieke hulpbronnen: ruimtes, gebouwen, materiaal en uitrusting.",
                "Physical resources: rooms, buildings, material and equipment.",
            ),
            rated=True,
            rubric={
                0: "Geen ruimte of middelen.",
                1: "Geleende of wisselende ruimtes.",
                2: "Vaste ruimte beschikbaar, met beperkingen.",
                3: "Eigen, geschikte ruimte en uitrusting.",
            },
        ),
        _code(
            "hb_privaat_kapitaal",
            "hulpbronnen",
            seg,
            ("Privaat kapitaal", "Private capital"),
            (
                "Pogingen om kapitaalkrachtige private partijen (ontwikkelaars, grote "
                "zorginstellingen, bedrijven) bij het plan te betrekken, met het resultaat als "
                "waarde.",
                "Attempts to draw capital-rich private parties (developers, large care "
                "institutions, companies) into the plan, with the result as value.",
            ),
            rated=False,
            values=["aangehaakt", "afgehaakt", "geen_reactie", "niet_geprobeerd"],
            include="Ook mislukte pogingen en expliciete uitspraken dat het niet is geprobeerd "
            "(niet_geprobeerd).",
            exclude="Kleine lokale ondernemers zonder investeringsrol (rs_privaat).",
        ),
        # ---------------------------------------------------------------- bewonersinitiatief
        _code(
            "bewonersinitiatief",
            None,
            rat,
            ("Bewonersinitiatief", "Resident initiative"),
            (
                "In hoeverre het plan een initiatief van bewoners is: herkomst van het plan "
                "(uit de wijk) en betrokkenheid van bewoners bij de uitwerking (door de wijk). "
                "Nooit hoger dan uit_de_wijk en nooit hoger dan door_de_wijk + 1 (ACTIE: Animo; "
                "Voorberg e.a.: co-initiator, co-designer, co-implementer).",
                "How far the plan is a residents' initiative: origin of the plan (from the "
                "neighbourhood) and residents' involvement in working it out (by the "
                "neighbourhood). Never above uit_de_wijk and never above door_de_wijk + 1 "
                "(ACTIE: Animo; Voorberg et al.: co-initiator, co-designer, co-implementer).",
            ),
            rubric={
                0: "Geen bewonersinitiatief: plan van buiten en bewoners niet betrokken.",
                1: "Zwak: plan uit de wijk of bewoners geraadpleegd, niet beide.",
                2: "Matig: plan uit de wijk en bewoners minstens geraadpleegd.",
                3: "Sterk: plan van bewoners, en bewoners beslissen mee of voeren uit.",
            },
        ),
        _code(
            "uit_de_wijk",
            "bewonersinitiatief",
            rat,
            ("Uit de wijk", "From the neighbourhood"),
            ("Herkomst van het plan: wie had het idee?", "Origin of the plan: whose idea was it?"),
            rubric={
                0: "Plan ontstaan buiten BoTu.",
                1: "Extern plan; lokale partner later aangehaakt.",
                2: "Plan van lokale organisaties of professionals.",
                3: "Plan van bewoners zelf.",
            },
        ),
        _code(
            "bi_herkomst_bewoners",
            "uit_de_wijk",
            seg,
            ("Herkomst: bewoners", "Origin: residents"),
            (
                "Het idee voor het plan komt van bewoners of een bewonersgroep.",
                "The idea for the plan comes from residents or a residents' group.",
            ),
            rated=False,
            exclude="Wie het plan uitwerkt (door_de_wijk, bi_inv_*).",
        ),
        _code(
            "bi_herkomst_lokale_org",
            "uit_de_wijk",
            seg,
            ("Herkomst: lokale organisaties", "Origin: local organisations"),
            (
                "Het idee komt van organisaties of professionals die in de wijk werken.",
                "The idea comes from organisations or professionals working in the neighbourhood.",
            ),
            rated=False,
            exclude="Wie het plan uitwerkt (door_de_wijk, bi_inv_*).",
        ),
        _code(
            "bi_herkomst_extern",
            "uit_de_wijk",
            seg,
            ("Herkomst: extern", "Origin: external"),
            (
                "Het idee komt van buiten de wijk (kennisinstelling, landelijke organisatie, "
                "voorbeeld elders).",
                "The idea comes from outside the neighbourhood (knowledge institution, national "
                "organisation, example elsewhere).",
            ),
            rated=False,
        ),
        _code(
            "bi_herkomst_programma",
            "uit_de_wijk",
            seg,
            ("Herkomst: programma", "Origin: programme"),
            (
                "Het plan of het team is ontstaan naar aanleiding van de oproep (call) van het "
                "programma.",
                "The plan or team arose in response to the programme's call.",
            ),
            rated=False,
            exclude="Plannen die al bestonden en alleen via de call zijn ingediend: codeer de "
            "werkelijke herkomst.",
        ),
        _code(
            "door_de_wijk",
            "bewonersinitiatief",
            rat,
            ("Door de wijk", "By the neighbourhood"),
            (
                "Betrokkenheid van bewoners bij het uitwerken van het plan (participatieladder).",
                "Residents' involvement in working the plan out (participation ladder).",
            ),
            rubric={
                0: "Geen betrokkenheid of alleen informeren.",
                1: "Bewoners geraadpleegd.",
                2: "Bewoners denken mee (co-design, lid met een stem).",
                3: "Bewoners beslissen mee of voeren zelf uit.",
            },
        ),
        _code(
            "bi_inv_geen",
            "door_de_wijk",
            seg,
            ("Geen betrokkenheid", "No involvement"),
            (
                "Bewoners zijn niet betrokken bij de uitwerking, of worden alleen geïnformeerd.",
                "Residents are not involved in working the plan out, or are only informed.",
            ),
            rated=False,
            order=0,
            include="Bewoners alleen als doelgroep of als ontvanger van informatie (flyer, "
            "nieuwsbrief).",
        ),
        _code(
            "bi_inv_raadplegen",
            "door_de_wijk",
            seg,
            ("Raadplegen", "Consulted"),
            (
                "Bewoners wordt om hun mening of behoeften gevraagd; het team beslist.",
                "Residents are asked for their views or needs; the team decides.",
            ),
            rated=False,
            order=1,
            include="Eenmalige enquête, bewonersavond, interviews, reageren op een concept, "
            "klankbord zonder stem in besluiten.",
            exclude="Bewoners als doelgroep (dat is geen betrokkenheid: bi_inv_geen); "
            "structureel meepraten als lid van het team (bi_inv_meedenken).",
        ),
        _code(
            "bi_inv_meedenken",
            "door_de_wijk",
            seg,
            ("Meedenken", "Co-design"),
            (
                "Bewoners denken structureel mee over de uitwerking, als lid met een stem; hun "
                "inbreng verandert het plan.",
                "Residents take part in designing the plan, as members with a voice; their input "
                "changes the plan.",
            ),
            rated=False,
            order=2,
            include="Bewoners in het kernteam of in ontwerpsessies, met aantoonbare invloed.",
            exclude="Eenmalige raadpleging, enquête of klankbordavond (bi_inv_raadplegen).",
        ),
        _code(
            "bi_inv_meebeslissen",
            "door_de_wijk",
            seg,
            ("Meebeslissen", "Co-decide"),
            (
                "Bewoners beslissen mee over het plan en zijn mede-eigenaar.",
                "Residents co-decide on the plan and co-own it.",
            ),
            rated=False,
            order=3,
        ),
        _code(
            "bi_inv_zelf_uitvoeren",
            "door_de_wijk",
            seg,
            ("Zelf uitvoeren", "Resident-led execution"),
            (
                "Bewoners voeren (delen van) het plan zelf uit en hebben de leiding.",
                "Residents carry out (parts of) the plan themselves and lead it.",
            ),
            rated=False,
            order=4,
            exclude="Bewoners die als vrijwilliger meehelpen onder leiding van professionals "
            "(bi_inv_meedenken of lager).",
        ),
        # ---------------------------------------------------------------- netwerkaansluiting
        _code(
            "netwerkaansluiting",
            None,
            rat,
            ("Aansluiting bij buurtnetwerken", "Connection with existing networks"),
            (
                "Hoe het team is verbonden met bestaande netwerken in en rond de wijk: bonding, "
                "bridging en linking (ACTIE: Contacten; Aldrich).",
                "How the team is tied into existing networks in and around the neighbourhood: "
                "bonding, bridging and linking (ACTIE: Contacten; Aldrich).",
            ),
            rubric={
                0: "Geen aansluiting.",
                1: "Aansluiting via één contact.",
                2: "Structurele banden met meerdere organisaties, of sterke linking bij "
                "dunne bonding/bridging.",
                3: "Structurele bridging en linking met gezamenlijke activiteit, plus "
                "enige bonding.",
            },
        ),
        _code(
            "na_bonding",
            "netwerkaansluiting",
            seg,
            ("Bonding", "Bonding ties"),
            (
                "Banden binnen bewonersgroepen en informele netwerken (familie, straat, "
                "geloofsgemeenschap, vereniging).",
                "Ties within residents' groups and informal networks (family, street, faith "
                "community, club).",
            ),
            rated=True,
            exclude="Banden tussen organisaties (na_bridging).",
            rubric={
                0: "Geen banden met bewonersgroepen of informele netwerken.",
                1: "Via één of enkele sleutelfiguren.",
                2: "Structureel contact met meerdere bewonersgroepen of informele netwerken.",
                3: "Breed en hecht verankerd in informele netwerken, met gezamenlijke activiteit.",
            },
        ),
        _code(
            "na_bridging",
            "netwerkaansluiting",
            seg,
            ("Bridging", "Bridging ties"),
            (
                "Horizontale banden tussen organisaties en groepen in de wijk.",
                "Horizontal ties across organisations and groups in the neighbourhood.",
            ),
            rated=True,
            exclude="Banden met partijen met macht of geld boven de wijk (na_linking).",
            rubric={
                0: "Geen banden met andere buurtorganisaties.",
                1: "Incidenteel contact of via één organisatie.",
                2: "Structurele samenwerking met meerdere buurtorganisaties.",
                3: "Structurele samenwerking met gezamenlijke activiteit, breed in de wijk.",
            },
        ),
        _code(
            "na_linking",
            "netwerkaansluiting",
            seg,
            ("Linking", "Linking ties"),
            (
                "Verticale banden met instituties met macht of geld: gemeente, fondsen, "
                "corporaties, bestuurders.",
                "Vertical ties to institutions with power or money: municipality, funds, housing "
                "corporations, administrators.",
            ),
            rated=True,
            rubric={
                0: "Geen banden met instituties.",
                1: "Via één contactpersoon.",
                2: "Structurele contacten met meerdere instituties.",
                3: "Korte lijnen met beslissers, met gezamenlijke activiteit.",
            },
        ),
        _code(
            "na_voorgeschiedenis",
            "netwerkaansluiting",
            seg,
            ("Voorgeschiedenis samenwerking", "Prior collaboration"),
            (
                "Eerdere samenwerking tussen de leden van het team, vóór de call (Ansell & Gash).",
                "Prior collaboration among team members before the call (Ansell & Gash).",
            ),
            rated=False,
            include="Ook expliciete uitspraken dat de leden elkaar vóór de call niet kenden.",
        ),
        _code(
            "na_programma_inbedding",
            "netwerkaansluiting",
            seg,
            ("Inbedding in programma's", "Fit with existing programmes"),
            (
                "Aansluiting van het plan bij bestaande programma's, beleid en initiatieven.",
                "Fit of the plan with existing programmes, policies and initiatives.",
            ),
            rated=False,
        ),
        # ---------------------------------------------------------------- responsiviteit
        _code(
            "responsiviteit",
            None,
            rat,
            ("Responsiviteit van instituties", "Responsiveness of institutions"),
            (
                "Hoe instituties en professionals reageren op het plan: faciliteren, meedenken, "
                "meeontwikkelen (ACTIE: Inbedding, Empathie; ROB-participatieladder). Teamscore = "
                "beste van gemeente en woningcorporatie, één lager wanneer een actor waarvan het "
                "plan afhangt ≤ 1 scoort; toon de scores per actor ernaast.",
                "How institutions and professionals respond to the plan: facilitate, think along, "
                "co-develop (ACTIE: Inbedding, Empathie; ROB participation ladder). Team score = "
                "best of municipality and housing corporation, one lower when an actor the plan "
                "depends on scores ≤ 1; show per-actor scores beside it.",
            ),
            rubric=RUBRIC_ACTOR,
        ),
        _code(
            "rs_gemeente",
            "responsiviteit",
            seg,
            ("Responsiviteit gemeente", "Municipality's responsiveness"),
            (
                "Hoe de gemeente op het plan reageert, met haar rol als waarde (ROB 2012).",
                "How the municipality responds to the plan, with its role as value (ROB 2012).",
            ),
            rated=True,
            values=[
                "reguleren",
                "regisseren",
                "stimuleren",
                "faciliteren",
                "mede_ontwikkelen",
                "loslaten",
            ],
            exclude="Gemeente alleen als financier zonder inhoudelijke rol (hb_geld, waarde "
            "gemeente).",
            rubric=RUBRIC_ACTOR,
        ),
        _code(
            "rs_corporatie",
            "responsiviteit",
            seg,
            ("Responsiviteit woningcorporatie", "Housing corporation's responsiveness"),
            (
                "Hoe de woningcorporatie op het plan reageert.",
                "How the housing corporation responds to the plan.",
            ),
            rated=True,
            rubric=RUBRIC_ACTOR,
        ),
        _code(
            "rs_professionals",
            "responsiviteit",
            seg,
            ("Responsiviteit professionals", "Professionals' responsiveness"),
            (
                "Hoe professionals in de wijk (welzijn, zorg, hulpverlening) op het plan reageren.",
                "How professionals in the neighbourhood (welfare, care, social work) respond to "
                "the plan.",
            ),
            rated=True,
            rubric=RUBRIC_ACTOR,
        ),
        _code(
            "rs_fonds",
            "responsiviteit",
            seg,
            ("Responsiviteit fondsen", "Funds' responsiveness"),
            (
                "Hoe fondsen op het plan en de aanvraag reageren.",
                "How funds respond to the plan and the application.",
            ),
            rated=True,
            rubric=RUBRIC_ACTOR,
        ),
        _code(
            "rs_privaat",
            "responsiviteit",
            seg,
            ("Responsiviteit private partijen", "Private parties' responsiveness"),
            (
                "Hoe private partijen (ondernemers, ontwikkelaars, grote zorginstellingen) op het "
                "plan reageren.",
                "How private parties (entrepreneurs, developers, large care institutions) respond "
                "to the plan.",
            ),
            rated=True,
            rubric=RUBRIC_ACTOR,
        ),
        _code(
            "rs_programma",
            "responsiviteit",
            seg,
            ("Responsiviteit programma", "Programme's responsiveness"),
            (
                "Hoe het programma en de SiBD-begeleiding op het team reageren.",
                "How the programme and the SiBD facilitators respond to the team.",
            ),
            rated=True,
            rubric=RUBRIC_ACTOR,
        ),
        _code(
            "rs_regelruimte",
            "responsiviteit",
            seg,
            ("Regelruimte", "Room in the rules"),
            (
                "Regels worden opgerekt of experimenten worden toegestaan om het plan mogelijk "
                "te maken.",
                "Rules are bent or experiments allowed to make the plan possible.",
            ),
            rated=False,
            exclude="Regels die het plan juist hinderen (bar_regels).",
        ),
        _code(
            "rs_mede_ontwikkelaar",
            "responsiviteit",
            seg,
            ("Mede-ontwikkelaar", "Co-developer"),
            (
                "Vlag: een institutionele actor steekt zelf tijd, personeel of budget in het plan.",
                "Flag: an institutional actor puts its own time, staff or budget into the plan.",
            ),
            rated=False,
            exclude="Alleen meedenken, of subsidie verstrekken zonder eigen inzet.",
        ),
        _code(
            "rs_professioneel_centralisme",
            "responsiviteit",
            seg,
            ("Professioneel centralisme", "Professional centralism"),
            (
                "Indicator van lage responsiviteit: professionals nemen het plan over of weten "
                "het beter dan bewoners.",
                "Low-responsiveness indicator: professionals take the plan over or claim to know "
                "better than residents.",
            ),
            rated=False,
        ),
        _code(
            "rs_instrumenteel",
            "responsiviteit",
            seg,
            ("Instrumentele betrokkenheid", "Instrumental involvement"),
            (
                "Indicator van lage responsiviteit: een actor doet mee vooral om eigen "
                "beleidsdoelen of cijfers te halen.",
                "Low-responsiveness indicator: an actor takes part mainly to meet its own policy "
                "targets or figures.",
            ),
            rated=False,
        ),
        # ---------------------------------------------------------------- barrieres
        _code(
            "barrieres",
            None,
            rat,
            ("Barrières", "Barriers"),
            (
                "Knelpunten die het plan vertragen, veranderen of blokkeren; teamscore = "
                "algehele ernst.",
                "Obstacles that slow, reshape or block the plan; team score = overall severity.",
            ),
            rubric=RUBRIC_SEVERITY,
        ),
        _code(
            "bar_tijd",
            "barrieres",
            seg,
            ("Tijdgebrek", "Lack of time"),
            (
                "Gebrek aan tijd of capaciteit als knelpunt.",
                "Lack of time or capacity as an obstacle.",
            ),
            rated=True,
            rubric=RUBRIC_SEVERITY,
        ),
        _code(
            "bar_geld",
            "barrieres",
            seg,
            ("Geldgebrek", "Lack of money"),
            ("Gebrek aan geld als knelpunt.", "Lack of money as an obstacle."),
            rated=True,
            rubric=RUBRIC_SEVERITY,
        ),
        _code(
            "bar_subsidieafhankelijkheid",
            "barrieres",
            seg,
            ("Subsidieafhankelijkheid", "Subsidy dependency"),
            (
                "De continuïteit van het plan hangt af van (tijdelijke) subsidies of het "
                "programmabudget.",
                "The plan's continuity depends on (temporary) subsidies or the programme budget.",
            ),
            rated=True,
            rubric=RUBRIC_SEVERITY,
        ),
        _code(
            "bar_privaat_kapitaal",
            "barrieres",
            seg,
            ("Ontbreken privaat kapitaal", "Lack of private capital"),
            (
                "Het ontbreken van investeringen door kapitaalkrachtige partijen remt uitvoering "
                "of opschaling.",
                "The absence of investment by capital-rich parties holds back execution or "
                "scaling up.",
            ),
            rated=True,
            rubric=RUBRIC_SEVERITY,
        ),
        _code(
            "bar_regels",
            "barrieres",
            seg,
            ("Regels", "Rules"),
            (
                "Wet- en regelgeving, vergunningen of beleidsregels als knelpunt.",
                "Laws, permits or policy rules as an obstacle.",
            ),
            rated=True,
            rubric=RUBRIC_SEVERITY,
        ),
        _code(
            "bar_draagvlak",
            "barrieres",
            seg,
            ("Draagvlak", "Support"),
            (
                "Gebrek aan draagvlak bij bewoners of binnen de eigen organisaties.",
                "Lack of support among residents or within the partner organisations.",
            ),
            rated=True,
            rubric=RUBRIC_SEVERITY,
        ),
        _code(
            "bar_coordinatie",
            "barrieres",
            seg,
            ("Coördinatie", "Coordination"),
            (
                "Afstemming, rolverdeling en trekkerschap tussen partners als knelpunt.",
                "Coordination, division of roles and leadership among partners as an obstacle.",
            ),
            rated=True,
            rubric=RUBRIC_SEVERITY,
        ),
        # ---------------------------------------------------------------- team attributes
        _code(
            "coalitie_type",
            None,
            att,
            ("Type coalitie", "Coalition type"),
            (
                "Gevestigd: minstens twee kernleden werkten vóór de call samen aan het plan, of "
                "het plan is minstens een jaar ouder dan de call. Nieuw: gevormd voor SiBD. "
                "Hybride: spaarzaam gebruiken.",
                "Established: at least two core members worked together on the plan before the "
                "call, or the plan is at least a year older than the call. New: formed for SiBD. "
                "Hybrid: use sparingly.",
            ),
            values=["gevestigd", "nieuw", "hybride"],
        ),
        _code(
            "sibd_fase",
            None,
            att,
            ("SiBD-fase", "SiBD phase"),
            (
                "Verste fase van Social Impact by Design die het team bereikte (1 teamvorming, "
                "2 onderzoek en lokale samenwerking, 3 uitwerking en financiering, "
                "4 implementatie), met status actief, gestopt of on hold.",
                "Furthest Social Impact by Design phase the team reached (1 team formation, "
                "2 research and local collaboration, 3 elaboration and financing, "
                "4 implementation), with status active, stopped or on hold.",
            ),
            values=["1", "2", "3", "4"],
        ),
        _code(
            "actor_type",
            None,
            att,
            ("Type actor", "Actor type"),
            (
                "Soort organisatie of groep (andere types zijn toegestaan en worden gemarkeerd).",
                "Kind of organisation or group (other types are allowed and flagged).",
            ),
            values=[
                "bewoners",
                "gemeente",
                "woningcorporatie",
                "welzijn_maatschappelijk",
                "zorginstelling",
                "vastgoedontwikkelaar_marktpartij",
                "fonds",
                "kennisinstelling",
                "ondernemer",
            ],
        ),
    ]
    return {
        "meta": {
            "name": "BoTu veerkrachtfactoren",
            "version": "1.0",
            "language": "nl",
            "fictional_demo": False,
        },
        "scale": SCALE,
        "codes": codes,
    }


# =============================================================================================
# Teams, actors, memberships, respondents
# =============================================================================================

ACTORS = [
    # id, pseudonym, type, capital_rich, local
    ("A01", "Gemeente Rotterdam (gebiedsteam)", "gemeente", False, False),
    ("A02", "Welzijnsorganisatie W1", "welzijn_maatschappelijk", False, True),
    ("A03", "Welzijnsorganisatie W2", "welzijn_maatschappelijk", False, True),
    ("A04", "Welzijnsorganisatie W3", "welzijn_maatschappelijk", False, True),
    ("A05", "Welzijnsorganisatie W4", "welzijn_maatschappelijk", False, True),
    ("A06", "Welzijnsorganisatie W5", "welzijn_maatschappelijk", False, True),
    ("A07", "Bewonersgroep B1", "bewoners", False, True),
    ("A08", "Bewonersgroep B2", "bewoners", False, True),
    ("A09", "Bewonersgroep B3", "bewoners", False, True),
    ("A10", "Bewonersgroep B4", "bewoners", False, True),
    ("A11", "Bewonersgroep B5", "bewoners", False, True),
    ("A12", "Bewonersgroep B6", "bewoners", False, True),
    ("A13", "Bewonersgroep B7", "bewoners", False, True),
    ("A14", "Woningcorporatie C1", "woningcorporatie", False, False),
    ("A15", "Woningcorporatie C2", "woningcorporatie", False, False),
    ("A16", "Zorginstelling Z1", "zorginstelling", True, False),
    ("A17", "Zorginstelling Z2", "zorginstelling", True, False),
    ("A18", "Zorginstelling Z3", "zorginstelling", False, True),
    ("A19", "Vastgoedontwikkelaar V1", "vastgoedontwikkelaar_marktpartij", True, False),
    ("A20", "Vastgoedontwikkelaar V2", "vastgoedontwikkelaar_marktpartij", True, False),
    ("A21", "Fonds F1", "fonds", False, False),
    ("A22", "Fonds F2", "fonds", False, False),
    ("A23", "Kennisinstelling K1", "kennisinstelling", False, False),
    ("A24", "Kennisinstelling K2", "kennisinstelling", False, False),
    ("A25", "Ondernemer O1", "ondernemer", False, True),
    ("A26", "Ondernemer O2", "ondernemer", False, True),
    ("A27", "Ondernemer O3", "ondernemer", False, True),
]
PSEUDONYM = {a[0]: a[1] for a in ACTORS}
ACTOR_TYPE = {a[0]: a[2] for a in ACTORS}

# Rating order used for every team (team ratings first, then the rated segment codes).
FACTORS = [
    "hulpbronnen",
    "hb_kennis",
    "hb_tijd",
    "hb_geld",
    "hb_fysiek",
    "bewonersinitiatief",
    "uit_de_wijk",
    "door_de_wijk",
    "netwerkaansluiting",
    "na_bonding",
    "na_bridging",
    "na_linking",
    "responsiviteit",
    "rs_gemeente",
    "rs_corporatie",
    "rs_professionals",
    "rs_fonds",
    "rs_privaat",
    "rs_programma",
    "barrieres",
    "bar_tijd",
    "bar_geld",
    "bar_subsidieafhankelijkheid",
    "bar_privaat_kapitaal",
    "bar_regels",
    "bar_draagvlak",
    "bar_coordinatie",
]
NA = None
CODE_LEVEL_RATINGS = (
    "hulpbronnen",
    "bewonersinitiatief",
    "uit_de_wijk",
    "door_de_wijk",
    "netwerkaansluiting",
    "responsiviteit",
    "barrieres",
)

# Consensus (CONS) scores per team, in FACTORS order; None = NA (the material says nothing).
# fmt: off
#          T01   T02   T03   T04   T05   T06   T07
CONS_TABLE = {
    "hulpbronnen":                 [2, 2, 2, 2, 2, 2, 2],
    "hb_kennis":                   [3, 3, 2, 3, 2, 3, 3],
    "hb_tijd":                     [1, 1, 0, 1, 1, 0, 1],
    "hb_geld":                     [1, 1, 1, 0, 1, 1, 1],
    "hb_fysiek":                   [2, 1, 1, 1, 0, 2, 1],
    "bewonersinitiatief":          [2, 2, 3, 1, 2, 2, 2],
    "uit_de_wijk":                 [2, 2, 3, 2, 3, 2, 3],
    "door_de_wijk":                [1, 1, 2, 0, 2, 1, 1],
    "netwerkaansluiting":          [3, 2, 2, 2, 3, 2, 2],
    "na_bonding":                  [1, 1, 2, 1, 2, 1, 2],
    "na_bridging":                 [3, 3, 1, 2, 2, 2, 2],
    "na_linking":                  [3, 2, 2, 3, 3, 2, 2],
    "responsiviteit":              [2, 3, 3, 1, 3, 1, 3],
    "rs_gemeente":                 [3, 3, 3, 2, 3, 2, 3],
    "rs_corporatie":               [NA, NA, NA, 1, 3, 2, 2],
    "rs_professionals":            [2, 2, 1, 2, 2, 1, 2],
    "rs_fonds":                    [2, 2, 2, 1, 2, NA, 2],
    "rs_privaat":                  [0, NA, 2, NA, 1, 0, 1],
    "rs_programma":                [2, 2, 3, 1, 3, 2, 2],
    "barrieres":                   [2, 2, 3, 3, 2, 3, 2],
    "bar_tijd":                    [2, 2, 3, 2, 2, 3, 2],
    "bar_geld":                    [2, 2, 2, 3, 2, 3, 2],
    "bar_subsidieafhankelijkheid": [2, 3, 3, 3, 2, 3, 2],
    "bar_privaat_kapitaal":        [2, 0, 1, 0, 2, 3, 1],
    "bar_regels":                  [1, 0, 1, 2, 2, 1, 0],
    "bar_draagvlak":               [0, 1, 1, 1, 0, 2, 1],
    "bar_coordinatie":             [1, 2, 2, 2, 1, 1, 0],
}
# fmt: on
assert list(CONS_TABLE) == FACTORS

TEAMS = [
    {
        "id": "T01",
        "name": "Demo-team Zorg",
        "theme": "zorg_jeugd",
        "coalition": "gevestigd",
        "phase": 4,
        "status": "actief",
        "plan_start": 2018,
        "members": [
            ("A02", "kern", 6),
            ("A18", "kern", 6),
            ("A07", "partner", 2),
            ("A01", "partner", 4),
            ("A21", "financier", None),
            ("A16", "beoogd_niet_aangehaakt", None),
        ],
        "respondents": [("A02", "coördinator"), ("A18", "wijkverpleegkundige"), ("A07", "bewoner")],
        "extra_docs": ["projectplan", "subsidieaanvraag", "verslag", "observatie"],
        "ph": {
            "lead": "Welzijnsorganisatie W1",
            "partner": "Zorginstelling Z3",
            "res": "Bewonersgroep B1",
            "fund": "Fonds F1",
            "cap": "Zorginstelling Z1",
            "topic": "het mantelzorgnetwerk",
            "doel": "mantelzorgers",
            "wijk": "Bospolder",
            "bedrag": "38.000",
        },
        "geld": ["fonds+fonds", "gemeente"],
        "kapitaal": ["geen_reactie", "geen_reactie"],
        "herkomst": ["bi_herkomst_lokale_org", "bi_herkomst_lokale_org", "bi_herkomst_programma"],
        "inv": ["bi_inv_raadplegen", "bi_inv_raadplegen", "bi_inv_raadplegen", "bi_inv_geen"],
        "gemeente": ["mede_ontwikkelen", "mede_ontwikkelen", "faciliteren"],
        "extra": {
            "na_voorgeschiedenis:gev+bridging": 2,
            "na_programma_inbedding": 1,
            "rs_regelruimte": 1,
        },
    },
    {
        "id": "T02",
        "name": "Demo-team Jeugd",
        "theme": "zorg_jeugd",
        "coalition": "gevestigd",
        "phase": 3,
        "status": "actief",
        "plan_start": 2019,
        "members": [
            ("A05", "kern", 8),
            ("A02", "kern", 8),
            ("A13", "partner", 1),
            ("A23", "adviseur", 3),
            ("A01", "partner", 5),
            ("A22", "financier", None),
        ],
        "respondents": [("A05", "jongerenwerker"), ("A02", "coördinator"), ("A13", "bewoner")],
        "extra_docs": ["projectplan", "subsidieaanvraag", "observatie", "observatie"],
        "ph": {
            "lead": "Welzijnsorganisatie W4",
            "partner": "Welzijnsorganisatie W1",
            "res": "Bewonersgroep B7",
            "fund": "Fonds F2",
            "topic": "de jongerenwerkplaats",
            "doel": "jongeren tussen 12 en 23 jaar",
            "wijk": "Tussendijken",
            "bedrag": "52.000",
        },
        "geld": ["fonds+fonds", "eigen"],
        "kapitaal": ["niet_geprobeerd"],
        "herkomst": ["bi_herkomst_lokale_org", "bi_herkomst_lokale_org"],
        "inv": ["bi_inv_raadplegen", "bi_inv_raadplegen", "bi_inv_raadplegen", "bi_inv_geen"],
        "gemeente": ["mede_ontwikkelen", "mede_ontwikkelen", "stimuleren"],
        "extra": {
            "na_voorgeschiedenis:gev+bridging": 1,
            "na_voorgeschiedenis:gev": 1,
            "na_programma_inbedding": 1,
        },
    },
    {
        "id": "T03",
        "name": "Demo-team Taal en Werk",
        "theme": "werk_taal_schulden",
        "coalition": "nieuw",
        "phase": 3,
        "status": "actief",
        "plan_start": 2021,
        "members": [
            ("A08", "kern", 0),
            ("A01", "kern", 0),
            ("A25", "kern", 0),
            ("A03", "partner", 0),
            ("A21", "financier", None),
        ],
        "respondents": [
            ("A08", "bewoner"),
            ("A01", "beleidsadviseur"),
            ("A25", "ondernemer"),
            ("A03", "opbouwwerker"),
        ],
        "extra_docs": ["projectplan", "subsidieaanvraag", "observatie", "observatie"],
        "ph": {
            "lead": "Welzijnsorganisatie W2",
            "partner": "Ondernemer O1",
            "res": "Bewonersgroep B2",
            "fund": "Fonds F1",
            "priv": "Ondernemer O1",
            "mkt": "Ondernemer O1",
            "topic": "het taal-werktraject",
            "doel": "statushouders en laaggeletterde buurtbewoners",
            "wijk": "BoTu",
            "bedrag": "45.000",
        },
        "geld": ["programma", "privaat"],
        "kapitaal": [],
        "herkomst": [
            "bi_herkomst_bewoners+bonding",
            "bi_herkomst_bewoners",
            "bi_herkomst_programma",
        ],
        "inv": [
            "bi_inv_meedenken",
            "bi_inv_meedenken",
            "bi_inv_meedenken",
            "bi_inv_raadplegen",
            "bi_inv_zelf_uitvoeren",
        ],
        "gemeente": ["mede_ontwikkelen", "mede_ontwikkelen", "faciliteren"],
        "extra": {
            "na_voorgeschiedenis:new": 1,
            "na_programma_inbedding": 1,
            "rs_regelruimte": 1,
            "rs_professioneel_centralisme": 1,
        },
    },
    {
        "id": "T04",
        "name": "Demo-team Schulden",
        "theme": "werk_taal_schulden",
        "coalition": "gevestigd",
        "phase": 2,
        "status": "gestopt",
        "plan_start": 2017,
        "members": [
            ("A04", "kern", 10),
            ("A02", "kern", 7),
            ("A15", "partner", 3),
            ("A01", "partner", 3),
            ("A12", "partner", 0),
            ("A21", "financier", None),
        ],
        "respondents": [("A04", "schuldhulpverlener"), ("A02", "coördinator")],
        "extra_docs": ["projectplan", "subsidieaanvraag", "observatie"],
        "ph": {
            "lead": "Welzijnsorganisatie W3",
            "partner": "Welzijnsorganisatie W1",
            "res": "Bewonersgroep B6",
            "fund": "Fonds F1",
            "corp": "Woningcorporatie C2",
            "topic": "het schuldenspreekuur",
            "doel": "huishoudens met betalingsachterstanden",
            "wijk": "Bospolder-Tussendijken",
            "bedrag": "61.000",
        },
        "geld": ["fonds", "corporatie"],
        "kapitaal": ["niet_geprobeerd"],
        "herkomst": ["bi_herkomst_lokale_org", "bi_herkomst_lokale_org"],
        "inv": ["bi_inv_geen", "bi_inv_geen"],
        "gemeente": ["faciliteren", "reguleren"],
        "extra": {"na_voorgeschiedenis:gev+bridging": 2, "rs_instrumenteel": 1},
    },
    {
        "id": "T05",
        "name": "Demo-team Energie",
        "theme": "energie_wonen_buitenruimte",
        "coalition": "nieuw",
        "phase": 3,
        "status": "actief",
        "plan_start": 2021,
        "members": [
            ("A09", "kern", 0),
            ("A01", "kern", 0),
            ("A14", "kern", 0),
            ("A27", "partner", 0),
            ("A24", "adviseur", 0),
            ("A21", "financier", None),
            ("A19", "beoogd_niet_aangehaakt", None),
        ],
        "respondents": [("A09", "bewoner"), ("A14", "projectleider"), ("A01", "beleidsadviseur")],
        "extra_docs": ["projectplan", "subsidieaanvraag", "verslag", "observatie"],
        "ph": {
            "lead": "Woningcorporatie C1",
            "partner": "Kennisinstelling K2",
            "res": "Bewonersgroep B3",
            "fund": "Fonds F1",
            "corp": "Woningcorporatie C1",
            "cap": "Vastgoedontwikkelaar V1",
            "priv": "Vastgoedontwikkelaar V1",
            "mkt": "Woningcorporatie C1",
            "topic": "de energiecoöperatie",
            "doel": "huurders in de portiekflats",
            "wijk": "Tussendijken",
            "bedrag": "120.000",
        },
        "geld": ["corporatie", "rijk_semi_overheid"],
        "kapitaal": ["afgehaakt", "afgehaakt"],
        "herkomst": [
            "bi_herkomst_bewoners+bonding",
            "bi_herkomst_bewoners",
            "bi_herkomst_programma",
        ],
        "inv": [
            "bi_inv_meedenken",
            "bi_inv_meedenken",
            "bi_inv_meedenken",
            "bi_inv_raadplegen",
            "bi_inv_raadplegen",
            "bi_inv_meebeslissen",
        ],
        "gemeente": ["mede_ontwikkelen", "mede_ontwikkelen", "stimuleren"],
        "extra": {"na_voorgeschiedenis:new": 1, "rs_regelruimte": 1},
    },
    {
        "id": "T06",
        "name": "Demo-team Wonen",
        "theme": "energie_wonen_buitenruimte",
        "coalition": "gevestigd",
        "phase": 2,
        "status": "on_hold",
        "plan_start": 2020,
        "members": [
            ("A06", "kern", 5),
            ("A14", "kern", 5),
            ("A11", "partner", 2),
            ("A01", "partner", 4),
            ("A23", "adviseur", 2),
            ("A20", "beoogd_niet_aangehaakt", None),
            ("A17", "beoogd_niet_aangehaakt", None),
        ],
        "respondents": [("A06", "coördinator"), ("A14", "projectleider"), ("A11", "bewoner")],
        "extra_docs": ["projectplan", "subsidieaanvraag", "observatie"],
        "ph": {
            "lead": "Welzijnsorganisatie W5",
            "partner": "Woningcorporatie C1",
            "res": "Bewonersgroep B5",
            "corp": "Woningcorporatie C1",
            "cap": "Vastgoedontwikkelaar V2",
            "kennis": "Kennisinstelling K1",
            "topic": "het woonzorgplan",
            "doel": "ouderen die langer thuis willen wonen",
            "wijk": "Bospolder",
            "bedrag": "85.000",
        },
        "cap_by_value": {
            "afgehaakt": "Vastgoedontwikkelaar V2",
            "geen_reactie": "Zorginstelling Z2",
        },
        "geld": ["eigen", "corporatie"],
        "kapitaal": ["afgehaakt", "geen_reactie"],
        "herkomst": ["bi_herkomst_lokale_org", "bi_herkomst_lokale_org", "bi_herkomst_extern"],
        "inv": ["bi_inv_raadplegen", "bi_inv_raadplegen", "bi_inv_raadplegen", "bi_inv_geen"],
        "gemeente": ["faciliteren", "regisseren"],
        "extra": {
            "na_voorgeschiedenis:gev+bridging": 1,
            "na_voorgeschiedenis:gev": 1,
            "rs_instrumenteel": 1,
        },
    },
    {
        "id": "T07",
        "name": "Demo-team Buitenruimte",
        "theme": "energie_wonen_buitenruimte",
        "coalition": "gevestigd",
        "phase": 4,
        "status": "actief",
        "plan_start": 2019,
        "members": [
            ("A03", "kern", 4),
            ("A10", "kern", 4),
            ("A14", "partner", 3),
            ("A01", "partner", 3),
            ("A26", "partner", 1),
            ("A22", "financier", None),
        ],
        "respondents": [("A03", "opbouwwerker"), ("A10", "bewoner"), ("A26", "ondernemer")],
        "extra_docs": ["projectplan", "subsidieaanvraag", "verslag", "observatie", "observatie"],
        "ph": {
            "lead": "Welzijnsorganisatie W2",
            "partner": "Woningcorporatie C1",
            "res": "Bewonersgroep B4",
            "fund": "Fonds F2",
            "corp": "Woningcorporatie C1",
            "priv": "Ondernemer O2",
            "topic": "de groene binnenhoven",
            "doel": "bewoners rond de binnenhoven",
            "wijk": "Bospolder",
            "bedrag": "34.000",
        },
        "geld": ["fonds+fonds", "gemeente"],
        "kapitaal": ["niet_geprobeerd"],
        "herkomst": [
            "bi_herkomst_bewoners+bonding",
            "bi_herkomst_bewoners+bonding",
            "bi_herkomst_bewoners",
        ],
        "inv": ["bi_inv_raadplegen", "bi_inv_raadplegen", "bi_inv_raadplegen", "bi_inv_geen"],
        "gemeente": ["mede_ontwikkelen", "mede_ontwikkelen", "faciliteren"],
        "extra": {
            "na_voorgeschiedenis:gev+bridging": 2,
            "na_voorgeschiedenis:gev": 1,
            "na_programma_inbedding": 1,
            "rs_regelruimte": 1,
        },
    },
]
CALL_YEAR = 2021

# =============================================================================================
# Quote templates: key -> list of (voice, text, extra codes)
#   voice: i = interview (first person), d = document (formal), o = observation (third person)
#   extra codes: further C1 codes on the same segment, as "code" or "code=value"
# =============================================================================================

BT = ("bar_tijd",)
BS = ("bar_subsidieafhankelijkheid",)
BG = ("bar_geld",)
BPK = ("bar_privaat_kapitaal",)
MO = ("rs_mede_ontwikkelaar",)

TEMPLATES: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    "hb_kennis": [
        (
            "i",
            "Kennis is het probleem niet. {lead} werkt al jaren met {doel} en weet precies wat "
            "er speelt.",
            (),
        ),
        (
            "i",
            "Wat we wel hebben is ervaring. Bijna iedereen aan tafel heeft eerder zoiets als "
            "{topic} opgezet.",
            (),
        ),
        (
            "i",
            "Onze kracht is inhoudelijk: we kennen de doelgroep, de regels en de weg naar de "
            "loketten in {wijk}.",
            (),
        ),
        (
            "i",
            "Inhoudelijk zitten we goed. {partner} brengt veel expertise mee, en wij kennen de "
            "straat.",
            (),
        ),
        (
            "i",
            "Je merkt dat er veel vakkennis aan tafel zit. Over {doel} hoef je niemand iets "
            "uit te leggen.",
            (),
        ),
        (
            "i",
            "Onze mensen zijn goed opgeleid en kennen de buurt al tien jaar. Dat scheelt "
            "enorm bij {topic}.",
            (),
        ),
        (
            "d",
            "Het team beschikt over ruime inhoudelijke expertise op het gebied van {doel} en "
            "over jarenlange ervaring in {wijk}.",
            (),
        ),
        (
            "d",
            "De partners brengen aanvullende kennis in: {partner} vanuit de eigen praktijk, "
            "{lead} vanuit het werk met {doel}.",
            (),
        ),
        (
            "d",
            "De kernpartners hebben samen ruime ervaring met trajecten vergelijkbaar met {topic}.",
            (),
        ),
        (
            "o",
            "Tijdens het overleg blijkt hoeveel kennis aan tafel zit: de deelnemers vullen "
            "elkaar moeiteloos aan over {doel}.",
            (),
        ),
        (
            "o",
            "De medewerker van {lead} legt uit hoe de doorverwijzing nu loopt; de anderen "
            "vullen aan vanuit hun eigen praktijk.",
            (),
        ),
    ],
    "hb_tijd": [
        (
            "i",
            "Iedereen doet dit naast het gewone werk. Ik heb er officieel vier uur per week "
            "voor, in de praktijk wordt het 's avonds.",
            BT,
        ),
        ("i", "Tijd is echt het knelpunt. Niemand is vrijgemaakt voor {topic}.", BT),
        (
            "i",
            "De bewoners willen wel, maar die hebben ook een baan of zorgen voor familie. Dan "
            "zit je snel aan je grens.",
            BT,
        ),
        (
            "i",
            "We komen om de twee weken bij elkaar, en tussendoor gebeurt er weinig omdat "
            "niemand uren heeft voor {topic}.",
            BT,
        ),
        ("i", "Als er één iemand ziek is, ligt alles stil. Zo dun zitten we erin.", BT),
        (
            "d",
            "Capaciteit vormt een aandachtspunt: de inzet van de partners is grotendeels "
            "onbetaald en komt bovenop reguliere taken.",
            BT,
        ),
        (
            "d",
            "Voor de uitwerking van {topic} is naar schatting 0,5 fte nodig; deze capaciteit "
            "is op dit moment niet beschikbaar.",
            BT,
        ),
        (
            "o",
            "Het overleg begint twintig minuten later omdat twee deelnemers uit een ander "
            "overleg komen. Er wordt afgesproken de agenda in te korten.",
            BT,
        ),
        (
            "o",
            "Bij het verdelen van de acties zegt niemand direct ja; meerdere deelnemers geven "
            "aan geen ruimte in hun agenda te hebben.",
            BT,
        ),
    ],
    "hb_geld=fonds": [
        (
            "i",
            "Het geld komt nu vooral van {fund}. Als die aanvraag niet doorgaat, hebben we een "
            "probleem.",
            BS,
        ),
        (
            "i",
            "We hebben een aanvraag bij {fund} lopen voor het eerste jaar; daarna weten we het "
            "niet.",
            BS,
        ),
        (
            "d",
            "De begroting voor het eerste jaar wordt gedekt door een bijdrage van {fund}, "
            "aangevuld met middelen uit het programma.",
            BS,
        ),
        (
            "o",
            "{fund} laat weten dat de aanvraag in behandeling is; het team besluit niet te "
            "starten voordat er een besluit ligt.",
            BS,
        ),
    ],
    "hb_geld=fonds+fonds": [
        (
            "i",
            "{fund} betaalt het eerste jaar en dacht ook echt mee over de begroting. Maar "
            "daarna houdt het op.",
            ("rs_fonds", "bar_subsidieafhankelijkheid"),
        ),
        (
            "d",
            "{fund} heeft na een positief vooroverleg een bijdrage voor het eerste jaar "
            "toegezegd; voor de jaren daarna is nog geen dekking.",
            ("rs_fonds", "bar_subsidieafhankelijkheid"),
        ),
        (
            "o",
            "{fund} heeft snel gereageerd en de bijdrage voor het eerste jaar toegezegd; over "
            "een vervolg is nog niets bekend.",
            ("rs_fonds", "bar_subsidieafhankelijkheid"),
        ),
    ],
    "hb_geld=gemeente": [
        (
            "i",
            "Zonder de subsidie van de gemeente hadden we niet kunnen beginnen. Eigen geld "
            "hebben we nauwelijks.",
            BS,
        ),
        (
            "i",
            "De gemeente betaalt de eerste fase van {topic}, maar dat is een projectsubsidie. "
            "Structureel is er niets geregeld.",
            BS,
        ),
        (
            "d",
            "Voor de opstartfase is een gemeentelijke subsidie aangevraagd; structurele "
            "financiering is nog niet in beeld.",
            BS,
        ),
    ],
    "hb_geld=programma": [
        (
            "i",
            "Het programma heeft een startbudget gegeven, daar doen we de eerste bijeenkomsten "
            "van. Veel is het niet.",
            BS,
        ),
        (
            "d",
            "De ontwerpfase wordt gefinancierd uit het budget van het programma; voor de "
            "uitvoering van {topic} is aanvullende financiering nodig.",
            BS,
        ),
    ],
    "hb_geld=eigen": [
        (
            "i",
            "We leggen er als organisatie zelf wat uren bij, maar echt geld voor {topic} "
            "hebben we niet.",
            BG,
        ),
        (
            "i",
            "{res} heeft een kleine kas van de buurtbarbecue. Daar betalen we de koffie van, "
            "niet meer.",
            BG,
        ),
        (
            "d",
            "De partners dragen bij in natura (uren, ruimte); een eigen financiële bijdrage "
            "is beperkt.",
            BG,
        ),
    ],
    "hb_geld=corporatie": [
        (
            "i",
            "{corp} wil wel iets bijdragen, maar dan voor de stenen, niet voor de begeleiding.",
            BG,
        ),
        (
            "d",
            "{corp} heeft een eenmalige bijdrage toegezegd voor materiaal; personeelskosten "
            "vallen daarbuiten.",
            BG,
        ),
    ],
    "hb_geld=rijk_semi_overheid": [
        (
            "i",
            "We kijken ook naar een landelijke regeling, maar die aanvraag is zo ingewikkeld "
            "dat we er nog niet aan toe zijn gekomen.",
            BS,
        ),
        (
            "d",
            "Onderzocht wordt of {topic} in aanmerking komt voor een rijksregeling; de "
            "aanvraagtermijn sluit in het najaar.",
            BS,
        ),
    ],
    "hb_geld=privaat": [
        (
            "i",
            "{priv} sponsort de lunches van de deelnemers. Mooi gebaar, maar daar draai je "
            "geen traject van.",
            BG,
        ),
    ],
    "hb_fysiek:hi": [
        (
            "i",
            "We hebben gelukkig een eigen plek: {lead} stelt een ruimte in de wijk ter "
            "beschikking.",
            (),
        ),
        (
            "i",
            "Ruimte is er genoeg. We kunnen terecht in de ontmoetingsruimte en er staat een "
            "keuken.",
            (),
        ),
        (
            "d",
            "Het team beschikt over een vaste locatie in {wijk}, inclusief spreekkamer en "
            "ontmoetingsruimte.",
            (),
        ),
        (
            "o",
            "Het overleg vindt plaats in de vaste ruimte van het team; op de muur hangen de "
            "planningen van {topic}.",
            (),
        ),
    ],
    "hb_fysiek:lo": [
        (
            "i",
            "Een eigen plek hebben we niet. We schuiven steeds aan bij iemand anders, en dat "
            "maakt het rommelig.",
            (),
        ),
        (
            "i",
            "Voor de activiteiten moeten we ruimte huren, en dat gaat meteen van het kleine "
            "budget af.",
            (),
        ),
        (
            "d",
            "Een geschikte vaste locatie voor {topic} ontbreekt; activiteiten vinden "
            "voorlopig plaats in wisselende ruimtes.",
            (),
        ),
        (
            "o",
            "Het overleg vindt plaats in een geleende vergaderruimte; de sleutel moet om vijf "
            "uur terug.",
            (),
        ),
    ],
    "hb_privaat_kapitaal=geen_reactie": [
        (
            "i",
            "We hebben {cap} twee keer gemaild en een keer gebeld. Er kwam gewoon geen antwoord.",
            BPK,
        ),
        (
            "i",
            "Je zou denken dat {cap} hier belang bij heeft, hun cliënten wonen in deze buurt. "
            "Maar we hebben nooit iets teruggehoord.",
            BPK,
        ),
        (
            "d",
            "{cap} is in het voorjaar benaderd voor een bijdrage; een reactie is tot op heden "
            "uitgebleven.",
            BPK,
        ),
        (
            "o",
            "Bij de rondvraag meldt de coördinator dat {cap} nog steeds niet heeft "
            "gereageerd. Besloten wordt het voorlopig niet verder te proberen.",
            BPK,
        ),
    ],
    "hb_privaat_kapitaal=afgehaakt": [
        (
            "i",
            "Met {cap} hebben we een paar goede gesprekken gehad. Maar toen het over geld "
            "ging, haakten ze af.",
            BPK,
        ),
        (
            "i",
            "{cap} vond het een mooi plan, ze waren bij de eerste sessie. Daarna werd het "
            "stil en uiteindelijk paste het niet in hun strategie.",
            BPK,
        ),
        (
            "d",
            "Een verkennend gesprek met {cap} over een financiële bijdrage heeft niet tot "
            "deelname geleid.",
            BPK,
        ),
        (
            "o",
            "Het team bespreekt de afzegging van {cap}. Iemand merkt op dat de grote partijen "
            "alleen komen als het in hun eigen planning past.",
            BPK,
        ),
    ],
    "hb_privaat_kapitaal=niet_geprobeerd": [
        (
            "i",
            "Bedrijven benaderen? Daar zijn we niet aan toegekomen. We hebben onze handen vol "
            "aan de basis.",
            (),
        ),
        (
            "i",
            "Aan grote private partijen hebben we eerlijk gezegd niet gedacht. Dat is niet "
            "onze wereld.",
            (),
        ),
        ("d", "Private financiering voor {topic} is in deze fase niet verkend.", ()),
    ],
    "bi_herkomst_bewoners": [
        (
            "i",
            "Het idee komt echt van bewoners. {res} liep er al jaren mee rond, de rest heeft "
            "het vooral op papier gezet.",
            (),
        ),
        (
            "i",
            "Bewoners hebben dit zelf aangekaart tijdens een buurtavond over {topic}. Dat vind "
            "ik het mooiste eraan.",
            (),
        ),
        ("d", "Het initiatief voor {topic} is afkomstig van bewoners verenigd in {res}.", ()),
        (
            "o",
            "Een bewoner van {res} vertelt hoe het plan begon; de professionals aan tafel "
            "vullen alleen aan hoe het daarna verderging.",
            (),
        ),
    ],
    "bi_herkomst_bewoners+bonding": [
        (
            "i",
            "Het begon aan de keukentafel bij een paar buurtgenoten. Pas later kwamen de "
            "organisaties erbij.",
            ("na_bonding",),
        ),
        (
            "i",
            "In de appgroep van de straat kwam het idee voor {topic} voor het eerst op; "
            "binnen een dag deden twintig buren mee.",
            ("na_bonding",),
        ),
        (
            "d",
            "Het idee voor {topic} is ontstaan in het netwerk van {res}, waar buurtgenoten "
            "elkaar al jaren kennen.",
            ("na_bonding",),
        ),
        (
            "o",
            "De bewoners aan tafel vertellen hoe het idee ontstond tijdens een straatfeest; "
            "de professionals luisteren vooral.",
            ("na_bonding",),
        ),
    ],
    "bi_herkomst_lokale_org": [
        (
            "i",
            "Het plan is ontstaan bij {lead}. We zagen in ons werk dat {doel} tussen wal en "
            "schip vielen.",
            (),
        ),
        (
            "i",
            "Eerlijk gezegd is {topic} een idee van ons als organisaties in de wijk. Bewoners "
            "zijn niet de bedenkers.",
            (),
        ),
        (
            "i",
            "Het idee bestond al bij {lead} en {partner}; de call van het programma was een "
            "mooie aanleiding om het uit de la te halen.",
            (),
        ),
        (
            "d",
            "Het plan komt voort uit de dagelijkse praktijk van {lead}, dat signaleert dat "
            "{doel} moeilijk worden bereikt.",
            (),
        ),
        (
            "o",
            "In het overleg wordt teruggeblikt op de start: het plan werd al vóór de call "
            "besproken tussen {lead} en {partner}.",
            (),
        ),
    ],
    "bi_herkomst_programma": [
        (
            "i",
            "Zonder de call van het programma was {topic} er niet gekomen. Dat gaf het zetje.",
            (),
        ),
        (
            "d",
            "Het team is gevormd naar aanleiding van de oproep van het programma Veerkrachtig "
            "BoTu 2028.",
            (),
        ),
    ],
    "bi_herkomst_extern": [
        (
            "i",
            "Het eerste idee kwam eigenlijk van {kennis}, uit een onderzoek naar andere "
            "wijken. Daarna hebben we het lokaal gemaakt.",
            (),
        ),
    ],
    "bi_inv_geen": [
        (
            "i",
            "Bewoners zijn in deze fase eigenlijk niet betrokken. Ze zijn de doelgroep, niet "
            "de ontwerpers.",
            (),
        ),
        (
            "i",
            "We informeren bewoners via de nieuwsbrief, maar meepraten over {topic} doen ze "
            "nog niet.",
            (),
        ),
        (
            "d",
            "Bewoners worden geïnformeerd via een flyer en de wijkkrant zodra {topic} van "
            "start gaat.",
            (),
        ),
        (
            "o",
            "Bewoners zijn niet aanwezig bij het overleg; over hun betrokkenheid wordt niet "
            "gesproken.",
            (),
        ),
    ],
    "bi_inv_raadplegen": [
        (
            "i",
            "We hebben een enquête gehouden onder {doel}. Die uitkomsten hebben we gebruikt, "
            "maar verder bepalen wij de koers.",
            (),
        ),
        (
            "i",
            "Er is één keer een bewonersavond geweest om te vragen wat mensen ervan vonden. "
            "Dat was nuttig, daarna zijn we zelf verder gegaan.",
            (),
        ),
        (
            "i",
            "Bewoners mochten reageren op het conceptplan voor {topic}. Een paar opmerkingen "
            "zijn overgenomen.",
            (),
        ),
        (
            "i",
            "We vragen bewoners af en toe om input, bijvoorbeeld bij de koffie. Maar ze zitten "
            "niet aan tafel als we besluiten.",
            (),
        ),
        (
            "d",
            "In de onderzoeksfase zijn twintig bewoners geïnterviewd over hun behoeften; de "
            "resultaten zijn verwerkt in het plan.",
            (),
        ),
        ("d", "Een klankbordbijeenkomst met {doel} is gepland om het concept te toetsen.", ()),
        (
            "o",
            "De projectleider presenteert de uitkomsten van de bewonersenquête. Bewoners zelf "
            "zijn niet bij het overleg.",
            (),
        ),
        (
            "o",
            "Er wordt besloten bewoners nog even te polsen voordat het plan naar de "
            "financier gaat.",
            (),
        ),
    ],
    "bi_inv_meedenken": [
        (
            "i",
            "Bewoners zitten bij elk teamoverleg aan tafel en praten mee over het ontwerp. "
            "Hun ideeën staan echt in het plan.",
            (),
        ),
        (
            "i",
            "In de ontwerpsessies werkten bewoners en professionals samen aan de eerste "
            "schetsen voor {topic}.",
            (),
        ),
        (
            "i",
            "{res} heeft een eigen plek in het kernteam. Als zij iets niet goed vinden, gaan "
            "we terug naar de tekentafel.",
            (),
        ),
        (
            "i",
            "De opzet van de eerste bijeenkomsten hebben we samen met drie bewoners gemaakt.",
            (),
        ),
        (
            "d",
            "Bewoners van {res} nemen deel aan het kernteam en denken mee over de uitwerking "
            "van {topic}.",
            (),
        ),
        (
            "o",
            "Twee bewoners van {res} schetsen op een flip-over hoe de eerste activiteit eruit "
            "moet zien; de anderen bouwen daarop voort.",
            (),
        ),
        (
            "o",
            "Een bewoner stelt voor de planning om te gooien; na een korte discussie wordt "
            "het voorstel overgenomen.",
            (),
        ),
    ],
    "bi_inv_meebeslissen": [
        (
            "i",
            "Over de keuze van de eerste flat hebben bewoners zelf gestemd. Dat besluit lag "
            "echt bij hen.",
            (),
        ),
    ],
    "bi_inv_zelf_uitvoeren": [
        (
            "i",
            "Eén onderdeel, de inloop op dinsdag, draait inmiddels helemaal op twee bewoners. "
            "Wij faciliteren alleen nog.",
            (),
        ),
    ],
    "na_bonding:lo": [
        (
            "i",
            "Het contact met bewoners loopt vooral via één of twee actieve mensen. De bredere "
            "buurt bereiken we nog niet.",
            (),
        ),
        (
            "i",
            "Informele netwerken, zoals de moskee of de sportclub, zitten niet echt in ons "
            "netwerk voor {topic}.",
            (),
        ),
        (
            "d",
            "De aansluiting bij informele bewonersnetwerken is nog beperkt en loopt via "
            "enkele sleutelfiguren.",
            (),
        ),
        (
            "o",
            "Op de vraag wie de bewoners van de portieken kent, valt het stil; alleen de "
            "opbouwwerker noemt een paar contactpersonen.",
            (),
        ),
    ],
    "na_bonding:hi": [
        ("i", "{res} kent half de straat. Via de appgroep bereik je zo honderd mensen.", ()),
        (
            "i",
            "Bewoners onderling kennen elkaar goed, van school en van de markt. Dat netwerk "
            "gebruiken we voor {topic}.",
            (),
        ),
        (
            "d",
            "Via {res} heeft het team toegang tot een breed informeel netwerk van buurtbewoners.",
            (),
        ),
        (
            "o",
            "Een bewoner vertelt dat ze via de appgroep van de straat in één avond vijftien "
            "aanmeldingen had.",
            (),
        ),
    ],
    "na_bridging:lo": [
        (
            "i",
            "Met andere organisaties in de wijk hebben we nog weinig contact. We kennen ze "
            "wel, maar werken niet samen.",
            (),
        ),
        ("d", "Samenwerking met andere buurtorganisaties rond {topic} is nog in opbouw.", ()),
        (
            "o",
            "Er wordt geïnventariseerd welke organisaties in {wijk} al met {doel} werken; de "
            "lijst blijkt kort.",
            (),
        ),
    ],
    "na_bridging:hi": [
        (
            "i",
            "We werken al jaren samen met het buurthuis, de school en {partner}. Je weet "
            "elkaar te vinden.",
            (),
        ),
        ("i", "Als er iets is, bel ik de collega van {partner}. Die lijntjes zijn kort.", ()),
        (
            "i",
            "Er is een vast wijkoverleg waar alle organisaties aanschuiven; daar is ook over "
            "{topic} gesproken.",
            (),
        ),
        (
            "d",
            "Het team is verankerd in het bestaande wijknetwerk en werkt samen met scholen, "
            "welzijn en zorg in {wijk}.",
            (),
        ),
        (
            "o",
            "Aan tafel zitten vertegenwoordigers van vijf organisaties uit de wijk; ze "
            "spreken elkaar bij de voornaam aan.",
            (),
        ),
        ("o", "{partner} en {lead} stemmen ter plekke af wie welke doorverwijzing oppakt.", ()),
    ],
    "na_linking": [
        (
            "i",
            "We hebben korte lijnen met het gebiedsteam, en met de wethouder is al een keer "
            "over {topic} gesproken.",
            (),
        ),
        ("i", "Via {fundx} en de gemeente zitten we dicht bij de mensen die over geld gaan.", ()),
        (
            "i",
            "De beleidsadviseur van de gemeente zit bij ons overleg. Dat maakt dat je dingen "
            "snel kunt regelen.",
            (),
        ),
        (
            "i",
            "Als we iemand bij de gemeente nodig hebben, weten we precies wie we moeten bellen.",
            (),
        ),
        (
            "d",
            "Het team onderhoudt structureel contact met de gemeente (gebiedsteam en "
            "beleidsafdeling) en met {fundx}.",
            (),
        ),
        (
            "d",
            "De stuurgroep van het programma en de gebiedscommissie zijn geïnformeerd over "
            "{topic}.",
            (),
        ),
        (
            "o",
            "De vertegenwoordiger van de gemeente zegt toe het plan intern bij de betrokken "
            "afdeling te agenderen.",
            (),
        ),
        (
            "o",
            "Er wordt besproken wie het plan presenteert bij {fundx}; men kent daar de "
            "programmamanager al.",
            (),
        ),
    ],
    "na_voorgeschiedenis:gev": [
        (
            "i",
            "Het plan lag er al voor de call. We hadden het al een paar jaar samen in de la.",
            (),
        ),
        (
            "d",
            "Het plan dateert van {plan_start}, ruim voor de oproep van het programma; de "
            "call bood de kans het uit te werken.",
            (),
        ),
        (
            "o",
            "Bij de evaluatie wordt teruggekeken op de eerste versie van het plan uit "
            "{plan_start}.",
            (),
        ),
    ],
    "na_voorgeschiedenis:gev+bridging": [
        (
            "i",
            "{lead} en {partner} werken al sinds {since} samen. Dit plan is eigenlijk een "
            "vervolg op wat we al deden.",
            ("na_bridging",),
        ),
        (
            "i",
            "De meeste mensen aan tafel kende ik al van eerdere projecten in {wijk}.",
            ("na_bridging",),
        ),
        (
            "d",
            "De kernpartners werken sinds {since} samen in {wijk}; {topic} bouwt voort op die "
            "samenwerking.",
            ("na_bridging",),
        ),
        (
            "o",
            "Er wordt verwezen naar een eerder gezamenlijk project van {lead} en {partner}; "
            "dat hebben we toen ook zo gedaan, zegt de coördinator.",
            ("na_bridging",),
        ),
    ],
    "na_voorgeschiedenis:new": [
        (
            "i",
            "Voor de call kenden we elkaar niet. We moesten echt vanaf nul vertrouwen opbouwen.",
            (),
        ),
        (
            "i",
            "Het was wennen: de gemeente, {mkt} en bewoners aan één tafel, dat hadden we nog "
            "nooit gedaan.",
            (),
        ),
        (
            "d",
            "Het team is nieuw gevormd voor de call; de partners hebben niet eerder samengewerkt.",
            (),
        ),
        (
            "o",
            "De eerste bijeenkomst begint met een voorstelronde; de meeste deelnemers kennen "
            "elkaar nog niet.",
            (),
        ),
    ],
    "na_programma_inbedding": [
        (
            "i",
            "Het plan sluit aan bij wat er al gebeurt in de wijk. We willen niet nog een los "
            "project naast {topic}.",
            (),
        ),
        (
            "i",
            "We hebben bewust gekeken waar het past in de bestaande programma's, zodat het na "
            "2028 niet stopt.",
            (),
        ),
        (
            "d",
            "Het plan sluit aan bij de doelen van Veerkrachtig BoTu 2028 en bij lopende "
            "wijkprogramma's in {wijk}.",
            (),
        ),
        (
            "o",
            "De procesbegeleider vraagt hoe het plan zich verhoudt tot andere initiatieven; "
            "het team noemt drie lopende projecten.",
            (),
        ),
    ],
    "rs_gemeente=mede_ontwikkelen": [
        (
            "i",
            "De gemeente denkt echt mee. De beleidsadviseur schuift aan bij de ontwerpsessies "
            "en heeft uren vrijgemaakt.",
            MO,
        ),
        (
            "i",
            "Wat ik bijzonder vond: de gemeente kwam niet met regels, maar ging met ons aan "
            "de slag. Ze hebben zelfs een collega vrijgemaakt voor {topic}.",
            MO,
        ),
        (
            "i",
            "Het gebiedsteam heeft budget uit het eigen potje vrijgemaakt om de eerste pilot "
            "te draaien.",
            MO,
        ),
        (
            "d",
            "De gemeente participeert als partner in het kernteam en levert capaciteit voor de "
            "uitwerking van het plan.",
            MO,
        ),
        (
            "o",
            "De medewerker van het gebiedsteam neemt zelf de actie op zich om de eerste "
            "bijeenkomst te organiseren.",
            MO,
        ),
        (
            "o",
            "De gemeentelijke vertegenwoordiger werkt samen met {lead} aan de begroting en "
            "stelt voor een deel van de kosten intern te dekken.",
            MO,
        ),
    ],
    "rs_gemeente=faciliteren": [
        (
            "i",
            "De gemeente helpt waar ze kan: een ruimte, een contactpersoon, snel antwoord op "
            "vragen.",
            (),
        ),
        (
            "i",
            "Als we iets nodig hebben van de gemeente voor {topic}, wordt het meestal binnen "
            "een week geregeld.",
            (),
        ),
        (
            "d",
            "De gemeente faciliteert het team met een contactpersoon en ondersteuning bij "
            "vergunningen.",
            (),
        ),
        (
            "o",
            "De gemeente meldt dat de gevraagde ruimte voor {topic} per direct beschikbaar is.",
            (),
        ),
    ],
    "rs_gemeente=stimuleren": [
        (
            "i",
            "De gemeente moedigt ons aan en heeft ons gewezen op de call, maar inhoudelijk "
            "doen we het zelf.",
            (),
        ),
        ("d", "De gemeente stimuleert {topic} via de regeling voor bewonersinitiatieven.", ()),
    ],
    "rs_gemeente=regisseren": [
        (
            "i",
            "De gemeente wil graag de regie houden. Alles moet via hun overleg, en dat vertraagt.",
            (),
        ),
        (
            "d",
            "De gemeente stelt als voorwaarde dat {topic} wordt afgestemd in het gebiedsoverleg.",
            (),
        ),
    ],
    "rs_gemeente=reguleren": [
        (
            "i",
            "Bij de gemeente liepen we vooral tegen regels aan. Het antwoord was vaak: dat "
            "past niet in het beleid.",
            (),
        ),
        (
            "o",
            "De gemeente laat weten dat de gevraagde vergunning pas na de zomer kan worden "
            "behandeld.",
            (),
        ),
    ],
    "rs_corporatie:lo": [
        (
            "i",
            "{corp} reageert wel, maar het duurt weken en het moet precies in hun beleid passen.",
            (),
        ),
        (
            "d",
            "{corp} heeft aangegeven het plan te steunen, mits het aansluit bij het eigen beleid.",
            (),
        ),
        (
            "o",
            "Er is nog steeds geen reactie van {corp} op het voorstel; de contactpersoon "
            "blijkt met vakantie.",
            (),
        ),
    ],
    "rs_corporatie:mid": [
        ("i", "{corp} denkt positief mee en heeft snel een ruimte beschikbaar gesteld.", ()),
        ("i", "De wijkconsulent van {corp} komt af en toe langs en regelt dingen snel.", ()),
        (
            "d",
            "{corp} ondersteunt het plan met communicatie naar huurders en een contactpersoon.",
            (),
        ),
        (
            "o",
            "De vertegenwoordiger van {corp} zegt toe de huurders via de eigen nieuwsbrief te "
            "informeren over {topic}.",
            (),
        ),
    ],
    "rs_corporatie:hi": [
        (
            "i",
            "{corp} zit er echt in. Ze hebben een projectleider vrijgemaakt en betalen mee "
            "aan de pilot.",
            MO,
        ),
        (
            "d",
            "{corp} is kernpartner en draagt bij met personele inzet en een financiële "
            "bijdrage voor de pilot.",
            MO,
        ),
        (
            "o",
            "De projectleider van {corp} presenteert een eigen uitwerking van de technische "
            "opties voor {topic}.",
            MO,
        ),
        ("i", "Bij {corp} hebben ze het plan echt omarmd; ze leveren mensen en materiaal.", MO),
    ],
    "rs_professionals:lo": [
        (
            "i",
            "Sommige professionals vinden dat zij het beter weten. Dan wordt het hun plan in "
            "plaats van dat van de buurt.",
            ("rs_professioneel_centralisme",),
        ),
        (
            "i",
            "De hulpverleners werken vooral volgens hun eigen protocollen; afwijken is lastig.",
            (),
        ),
        (
            "d",
            "Niet alle betrokken professionals hebben ruimte in hun takenpakket om aan te "
            "sluiten bij {topic}.",
            (),
        ),
    ],
    "rs_professionals:mid": [
        (
            "i",
            "De professionals zijn echt benaderbaar. Als ik iemand van {partner} bel, staat "
            "die er.",
            (),
        ),
        (
            "i",
            "De professionals in de wijk zijn flexibel; ze passen hun werk aan als het nodig is.",
            (),
        ),
        (
            "d",
            "Professionals van {lead} en {partner} stemmen hun werkwijze af op de behoeften "
            "van {doel}.",
            (),
        ),
        (
            "o",
            "De opbouwwerker biedt spontaan aan bewoners uit het eigen netwerk te benaderen.",
            (),
        ),
    ],
    "rs_fonds:lo": [
        (
            "i",
            "{fund} is vooral formeel. Formulieren, voorwaarden, en dan maanden wachten op "
            "een besluit.",
            (),
        ),
        (
            "d",
            "{fund} verlangt een uitgewerkte begroting en meetbare resultaten voordat een "
            "aanvraag in behandeling wordt genomen.",
            (),
        ),
    ],
    "rs_fonds:mid": [
        (
            "i",
            "{fund} denkt mee over de aanvraag. De programmamanager heeft ons tips gegeven "
            "voor de begroting.",
            (),
        ),
        ("i", "{fund} reageerde snel en wilde eerst langskomen om {topic} te zien.", ()),
        (
            "d",
            "{fund} heeft een vooroverleg gevoerd en positief gereageerd op de projectschets.",
            (),
        ),
        (
            "o",
            "Het team bespreekt de feedback van {fund}; de opmerkingen worden als behulpzaam "
            "ervaren.",
            (),
        ),
    ],
    "rs_privaat:0": [
        ("i", "Private partijen reageren niet. We zijn voor hen te klein, denk ik.", ()),
        (
            "d",
            "Verzoeken om samenwerking aan private partijen zijn onbeantwoord gebleven of "
            "afgewezen.",
            (),
        ),
        (
            "o",
            "De coördinator meldt dat {cap} geen capaciteit heeft voor het plan; er wordt "
            "niet verder op ingegaan.",
            (),
        ),
    ],
    "rs_privaat:1": [
        (
            "i",
            "{priv} wil wel helpen, maar alleen als het ook iets voor de eigen zaak oplevert.",
            (),
        ),
        (
            "d",
            "{priv} heeft belangstelling getoond, maar stelt voorwaarden die passen bij de "
            "eigen bedrijfsvoering.",
            (),
        ),
        (
            "o",
            "Er wordt gesproken over de brief van {priv}; die is vriendelijk maar vrijblijvend.",
            (),
        ),
    ],
    "rs_privaat:2": [
        (
            "i",
            "{priv} heeft meteen stageplekken aangeboden. Die reageerden sneller dan de "
            "meeste instanties.",
            (),
        ),
        ("i", "Met {priv} kun je gewoon afspraken maken. Ze leveren wat ze beloven.", ()),
        (
            "d",
            "{priv} stelt werkervaringsplaatsen beschikbaar en neemt deel aan de ontwerpsessies.",
            (),
        ),
        (
            "o",
            "{priv} vertelt enthousiast over de eerste deelnemer die in de winkel heeft "
            "meegedraaid.",
            (),
        ),
    ],
    "rs_programma:lo": [
        (
            "i",
            "Het programma had vooral eisen: formats, deadlines, presentaties. Echt helpen "
            "deed het niet.",
            (),
        ),
        (
            "d",
            "De begeleiding vanuit het programma is beperkt gebleven tot de verplichte sessies.",
            (),
        ),
    ],
    "rs_programma:mid": [
        (
            "i",
            "De procesbegeleider van het programma hield ons scherp. Dat hielp om door te pakken.",
            (),
        ),
        ("i", "De SiBD-sessies gaven structuur aan {topic}, al was het soms veel tegelijk.", ()),
        (
            "d",
            "Het team volgt de SiBD-methodiek en wordt begeleid door een procesbegeleider van "
            "het programma.",
            (),
        ),
        (
            "o",
            "De procesbegeleider vat de stand van zaken samen en herinnert aan de deadline "
            "van fase 2.",
            (),
        ),
    ],
    "rs_programma:hi": [
        (
            "i",
            "Zonder het programma waren we als nieuwe groep nooit zo ver gekomen. Ze brachten "
            "mensen bij elkaar en dachten overal over mee.",
            (),
        ),
        (
            "i",
            "De begeleider van het programma was bijna een teamlid en regelde zelfs de eerste "
            "ontmoeting met de gemeente.",
            (),
        ),
        (
            "d",
            "Het programma heeft het team actief samengesteld en ondersteunt de uitwerking "
            "van {topic} met begeleiding en expertise.",
            (),
        ),
        (
            "o",
            "De procesbegeleider neemt de actie op zich om een gesprek met {fundx} te organiseren.",
            (),
        ),
    ],
    "rs_regelruimte": [
        (
            "i",
            "De gemeente heeft ons toestemming gegeven om het anders te doen dan de regels "
            "voorschrijven, als experiment.",
            (),
        ),
        (
            "i",
            "Er mocht iets. We kregen ruimte om te proberen, ook als {topic} niet in een "
            "hokje paste.",
            (),
        ),
        (
            "d",
            "Met de gemeente is afgesproken de pilot als experiment te behandelen, buiten de "
            "gebruikelijke subsidievoorwaarden om.",
            (),
        ),
    ],
    "rs_professioneel_centralisme": [
        (
            "i",
            "Wat ik merk: de instellingen willen het vaak van ons overnemen. Dan worden "
            "bewoners weer gasten in hun eigen plan.",
            (),
        ),
        (
            "o",
            "Een medewerker van een instelling stelt voor het plan professioneler te maken; "
            "de bewoners reageren afwachtend.",
            (),
        ),
        (
            "d",
            "De uitvoering van {topic} wordt belegd bij de deelnemende instellingen; bewoners "
            "hebben een adviserende rol.",
            (),
        ),
    ],
    "rs_instrumenteel": [
        ("i", "Soms voelt het alsof we vooral nodig zijn om hun cijfers te halen.", ()),
        (
            "d",
            "De betrokkenheid van sommige partners lijkt vooral ingegeven door eigen "
            "beleidsdoelen.",
            (),
        ),
    ],
    "bar_tijd": [
        (
            "i",
            "Alles duurt langer dan gepland. Vergaderen gaat nog, maar uitvoeren lukt niet "
            "met deze uren.",
            (),
        ),
        (
            "i",
            "We hebben de planning van {topic} twee keer moeten opschuiven, gewoon omdat er "
            "niemand was om het te doen.",
            (),
        ),
        ("d", "Door beperkte capaciteit is de planning van fase 2 met drie maanden verlengd.", ()),
        (
            "o",
            "Het team constateert dat de actiepunten van vorige keer grotendeels nog openstaan.",
            (),
        ),
    ],
    "bar_tijd:3": [
        (
            "i",
            "Op een gegeven moment lag alles drie maanden stil, omdat de enige trekker het "
            "niet meer kon combineren.",
            (),
        ),
        (
            "d",
            "Door het wegvallen van de vrijwillige trekker is de uitwerking van {topic} "
            "tijdelijk stilgelegd.",
            (),
        ),
    ],
    "bar_geld": [
        ("i", "Geld is de grote vraag. We hebben een mooi plan, maar niemand die het betaalt.", ()),
        ("i", "We hebben {topic} kleiner moeten maken omdat het budget er niet was.", ()),
        (
            "d",
            "De begroting laat een tekort zien van circa {bedrag} euro voor het eerste "
            "uitvoeringsjaar.",
            (),
        ),
        (
            "o",
            "Bij het bespreken van de begroting blijkt dat de uitvoering niet gedekt is; men "
            "besluit het aantal activiteiten te verminderen.",
            (),
        ),
    ],
    "bar_geld:3": [
        ("i", "Het is simpel: er is geen geld voor de uitvoering, dus staat {topic} stil.", ()),
        (
            "d",
            "Bij gebrek aan dekking voor het tekort van {bedrag} euro is de uitvoering opgeschort.",
            (),
        ),
    ],
    "bar_subsidieafhankelijkheid": [
        (
            "i",
            "We hangen van subsidies aan elkaar. Elk jaar weer een nieuwe aanvraag, en nooit "
            "zekerheid.",
            (),
        ),
        ("i", "Als het programma stopt, stopt {topic} ook. Dat is de eerlijke waarheid.", ()),
        ("i", "We schrijven meer aanvragen dan dat we met bewoners bezig zijn.", ()),
        (
            "d",
            "De continuïteit van {topic} is afhankelijk van de toekenning van subsidies voor "
            "de komende jaren.",
            (),
        ),
        (
            "o",
            "Er wordt gesproken over de verlengingsaanvraag; zonder toekenning kan de "
            "activiteit na de zomer niet door.",
            (),
        ),
    ],
    "bar_subsidieafhankelijkheid:3": [
        (
            "i",
            "Onze subsidie werd niet verlengd en daarmee lag alles stil. Zo afhankelijk zijn we.",
            (),
        ),
        (
            "d",
            "Na afwijzing van de vervolgaanvraag is de continuïteit van {topic} niet langer "
            "gewaarborgd.",
            (),
        ),
    ],
    "bar_privaat_kapitaal": [
        (
            "i",
            "Voor de uitvoering hebben we echt een grotere partij nodig die investeert. Die "
            "vinden we niet.",
            (),
        ),
        ("i", "Zonder een investeerder blijft {topic} bij een pilot. Opschalen lukt niet.", ()),
        (
            "d",
            "Voor opschaling is een private investering nodig; hiervoor is nog geen partij "
            "gevonden.",
            (),
        ),
    ],
    "bar_privaat_kapitaal:lo": [
        (
            "i",
            "Het zou mooi zijn als er ooit een bedrijf instapt, maar voorlopig redden we het "
            "ook zonder.",
            (),
        ),
        (
            "d",
            "Op termijn kan een private partner bijdragen aan de opschaling van {topic}; dit "
            "is nu geen voorwaarde.",
            (),
        ),
    ],
    "bar_regels": [
        (
            "i",
            "Regels zitten ons in de weg. Voor bijna alles wat we willen heb je een "
            "vergunning of een handtekening nodig.",
            (),
        ),
        (
            "i",
            "De privacyregels maken het lastig om gegevens over {doel} te delen tussen "
            "organisaties.",
            (),
        ),
        (
            "d",
            "Regelgeving rond gegevensuitwisseling beperkt de mogelijkheden om "
            "doorverwijzingen te stroomlijnen.",
            (),
        ),
        (
            "o",
            "Er wordt gemeld dat de aanvraag voor de ruimte is afgewezen op grond van het "
            "bestemmingsplan.",
            (),
        ),
    ],
    "bar_draagvlak": [
        (
            "i",
            "Niet iedereen in de buurt zit op {topic} te wachten. Sommige bewoners hebben al "
            "veel projecten zien komen en gaan.",
            (),
        ),
        (
            "i",
            "Binnen onze eigen organisatie is het draagvlak wisselend. De directie vindt het "
            "leuk, maar niet prioritair.",
            (),
        ),
        (
            "d",
            "Een deel van de bewoners heeft zorgen geuit over overlast; het draagvlak wordt "
            "verder onderzocht.",
            (),
        ),
        ("o", "Een bewoner merkt op dat de buurt projectmoe is; anderen bevestigen dit.", ()),
    ],
    "bar_coordinatie": [
        (
            "i",
            "Met zoveel partijen aan tafel is het lastig om afspraken te maken. Wie is nu "
            "eigenlijk de trekker?",
            (),
        ),
        (
            "i",
            "Er zijn te veel overleggen. Iedereen heeft een eigen agenda en dat moet je "
            "allemaal afstemmen.",
            (),
        ),
        (
            "d",
            "De rolverdeling tussen de partners is nog niet formeel vastgelegd; een trekker "
            "voor {topic} ontbreekt.",
            (),
        ),
        (
            "o",
            "Het blijft onduidelijk wie de subsidieaanvraag schrijft; het punt wordt "
            "doorgeschoven naar het volgende overleg.",
            (),
        ),
    ],
}

# Neutral closing sentences, added now and then (and whenever a text would repeat).
TAILS = {
    "i": [
        "Zo heb ik het in elk geval ervaren.",
        "Dat is mijn eerlijke indruk.",
        "Dat mag best gezegd worden.",
        "Daar zijn we ook open over geweest.",
        "Zo is het gewoon.",
        "Dat hoor je van meer mensen in het team.",
        "Dat merk je echt.",
    ],
    "d": [
        "Zie ook de bijlage bij dit document.",
        "Dit is afgestemd met alle kernpartners.",
        "Dit punt wordt in de volgende fase nader uitgewerkt.",
        "Dit betreft de stand van zaken bij het opstellen van dit document.",
        "Dit is besproken in het kernteam.",
        "Voor een toelichting zie de begroting.",
        "Dit wordt periodiek geëvalueerd.",
    ],
    "o": [
        "Niemand spreekt dit tegen.",
        "Dit wordt als actiepunt genoteerd.",
        "Het punt wordt kort besproken.",
        "Anderen knikken instemmend.",
        "De notulist noteert dit.",
        "Er volgt een korte discussie.",
        "De voorzitter vat dit samen en gaat door naar het volgende agendapunt.",
    ],
}

KIND_OF_VOICE = {"i": "interview", "d": "document", "o": "observatie"}
# Interviews do not host quotes that would be odd in that speaker's mouth (e.g. a municipal
# adviser praising the municipality, a resident speaking of "our organisation").
NOT_SPOKEN_BY = {
    "rs_gemeente": {"gemeente"},
    "rs_mede_ontwikkelaar": {"gemeente", "woningcorporatie"},
    "rs_regelruimte": {"gemeente"},
    "na_linking": {"gemeente"},
    "rs_corporatie": {"woningcorporatie"},
    "rs_privaat": {"ondernemer"},
    "rs_professionals": {"welzijn_maatschappelijk", "zorginstelling"},
    "rs_professioneel_centralisme": {"welzijn_maatschappelijk", "zorginstelling"},
    "hb_kennis": {"bewoners"},
    "hb_tijd": {"bewoners"},
    "bi_herkomst_lokale_org": {"bewoners"},
    "bi_inv_geen": {"bewoners"},
    "bi_inv_raadplegen": {"bewoners"},
}

# =============================================================================================
# Generation
# =============================================================================================


def _variant(code: str, score) -> str:
    """Template key for a rated code given the consensus score."""
    if code in ("na_bonding", "na_bridging", "hb_fysiek"):
        return f"{code}:{'hi' if score >= 2 else 'lo'}"
    if code in ("rs_professionals", "rs_fonds"):
        return f"{code}:{'mid' if score >= 2 else 'lo'}"
    if code in ("rs_corporatie", "rs_programma"):
        return f"{code}:{ {1: 'lo', 2: 'mid', 3: 'hi'}[score] }"
    if code == "rs_privaat":
        return f"rs_privaat:{score}"
    if code == "bar_privaat_kapitaal" and score <= 1:
        return "bar_privaat_kapitaal:lo"
    return code


def _parse_code(spec: str) -> tuple[str, str]:
    code, _, value = spec.partition("=")
    return code, value


def rater_scores(rng: random.Random):
    """C1, C2 and CONS scores per (team, factor); CONS from CONS_TABLE."""
    scores = {}
    for factor in FACTORS:
        for t, team in enumerate(TEAMS):
            cons = CONS_TABLE[factor][t]
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
    if score == 0:
        return 1
    if score == 3:
        return 2
    return score + rng.choice((-1, 1))


def _target_count(rng: random.Random, code: str, top) -> int:
    """How many segments a team needs coded with a rated code, given the highest rater score."""
    if top is None:
        return 0
    if code.startswith("bar_"):
        return {0: 0, 1: 1, 2: 2, 3: 3}[top]
    return {0: 1, 1: 1, 2: 2, 3: 3}[top]


def plan_team(rng: random.Random, team: dict, scores: dict) -> list[dict]:
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
        return sum(1 for k in keys if primary_code(k)[0] == code or code in _template_extras(k))

    # rated codes: primary segments only for what the keys above do not already supply
    for code in FACTORS:
        if code in CODE_LEVEL_RATINGS or code in ("hb_tijd", "hb_geld", "rs_gemeente"):
            continue
        if cons(code) is None:
            continue
        missing = max(_target_count(rng, code, top(code)) - have(code), 0)
        key = _variant(code, cons(code))
        for j in range(missing):
            heavy = cons(code) == 3 and j == 0 and f"{code}:3" in TEMPLATES
            keys.append(f"{code}:3" if heavy else key)
    return [{"key": k} for k in keys]


def _template_extras(key: str) -> list[str]:
    """Codes (without value) that every template of this key carries besides its own."""
    common = set.intersection(*[{_parse_code(e)[0] for e in ex} for (_, _, ex) in TEMPLATES[key]])
    return sorted(common)


def primary_code(key: str) -> tuple[str, str]:
    """(code, value) applied by the template key itself (``code[=value][+combo][:variant]``)."""
    base = key.split(":")[0].split("+")[0]
    return _parse_code(base)


def build():
    rng = random.Random(SEED)
    scores = rater_scores(rng)

    teams_rows, membership_rows, respondent_rows, document_rows = [], [], [], []
    segment_rows, coding_rows, rating_rows = [], [], []
    used_texts: set[str] = set()
    seg_counter = 0
    # per team: (segment_id, document_id, set of C1 code ids, C1 (code, value) pairs)
    team_segments: dict[str, list[tuple[str, str, set[str], list[tuple[str, str]]]]] = {}

    for team in TEAMS:
        tid = team["id"]
        teams_rows.append(
            [
                tid,
                team["name"],
                team["theme"],
                team["coalition"],
                str(team["phase"]),
                team["status"],
                str(CALL_YEAR),
                str(team["plan_start"]),
            ]
        )
        for actor_id, role, years in team["members"]:
            membership_rows.append([tid, actor_id, role, "" if years is None else str(years)])
        member_ids = {a for a, r, _ in team["members"] if r != "beoogd_niet_aangehaakt"}

        # respondents and their interviews
        respondents = []
        for n, (actor_id, role) in enumerate(team["respondents"], start=1):
            assert actor_id in member_ids, (tid, actor_id)
            rid = f"R-{tid}-{n:02d}"
            respondent_rows.append([rid, tid, actor_id, role])
            respondents.append((rid, actor_id, role))

        # documents: (kind, phase, title, respondent_id, actor_type of speaker)
        docs = []
        max_phase = min(team["phase"], 3)
        for rid, actor_id, role in respondents:
            phase = 1 if rng.random() < 0.35 else 2
            docs.append(
                {
                    "kind": "interview",
                    "phase": phase,
                    "rid": rid,
                    "speaker": ACTOR_TYPE[actor_id],
                    "title": f"Interview {role}, {PSEUDONYM[actor_id]}",
                }
            )
        n_obs = 0
        for extra in team["extra_docs"]:
            if extra == "projectplan":
                docs.append(
                    {
                        "kind": "document",
                        "phase": 1,
                        "rid": "",
                        "title": f"Projectplan {team['name']}",
                    }
                )
            elif extra == "subsidieaanvraag":
                financier = next(
                    (PSEUDONYM[a] for a, r, _ in team["members"] if r == "financier"), "de gemeente"
                )
                docs.append(
                    {
                        "kind": "document",
                        "phase": 2,
                        "rid": "",
                        "title": f"Subsidieaanvraag bij {financier}",
                    }
                )
            elif extra == "verslag":
                docs.append(
                    {
                        "kind": "document",
                        "phase": max_phase,
                        "rid": "",
                        "title": f"Voortgangsverslag fase {max_phase}",
                    }
                )
            else:
                n_obs += 1
                docs.append(
                    {
                        "kind": "observatie",
                        "phase": n_obs,
                        "rid": "",
                        "title": "Observatie teamoverleg",
                    }
                )
        for doc in docs:
            doc["date"] = _random_date(rng, doc["phase"])
        docs.sort(key=lambda d: (d["date"], d["kind"], d["title"]))
        for n, doc in enumerate(docs, start=1):
            doc["id"] = f"D-{tid}-{n:02d}"
            doc["segments"] = []
            if doc["kind"] == "observatie":
                doc["title"] = f"Observatie teamoverleg {doc['date']}"
            document_rows.append(
                [
                    doc["id"],
                    tid,
                    doc["kind"],
                    str(doc["phase"]),
                    doc["date"],
                    doc["rid"],
                    doc["title"],
                ]
            )

        # segments
        ph = dict(team["ph"])
        ph["since"] = str(
            CALL_YEAR - max(y for _, r, y in team["members"] if r == "kern" and y is not None)
        )
        ph["plan_start"] = str(team["plan_start"])
        ph["fundx"] = ph.get("fund") or ph["corp"]  # a money-holding institution
        specs = plan_team(rng, team, scores)
        rng.shuffle(specs)
        used_in_team: set[tuple[str, int]] = set()
        code_docs: dict[str, dict[str, int]] = {}

        for spec in specs:
            key = spec["key"]
            code, value = primary_code(key)
            candidates = [
                (n, t) for n, t in enumerate(TEMPLATES[key]) if (key, n) not in used_in_team
            ]
            if not candidates:
                candidates = list(enumerate(TEMPLATES[key]))
            rng.shuffle(candidates)
            # spread every code over documents: prefer a template and a document that put one
            # of the segment's codes in a document where that code is not yet (up to 3)
            best = None
            for n, (voice, text, extras) in candidates:
                codes_here = [code] + [_parse_code(e)[0] for e in extras]
                pool = _doc_pool(docs, voice, codes_here)
                if not pool:
                    continue
                top_gain = max(_gain(code_docs, d, codes_here) for d in pool)
                if best is None or top_gain > best[0]:
                    best = (top_gain, n, voice, text, extras, codes_here, pool)
            _, n, voice, text, extras, codes_here, pool = best
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
            body = text.format_map(local)
            tails = list(TAILS[voice])
            rng.shuffle(tails)
            full = body
            if rng.random() < 0.12:
                full = f"{body} {tails.pop().format_map(local)}"
            while full in used_texts:
                full = f"{body} {tails.pop().format_map(local)}"
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
                seg["id"] = sid
                seglist.append((sid, doc["id"], {c for c, _ in seg["codes"]}, seg["codes"]))
        team_segments[tid] = seglist

    # second coder
    coding_rows += second_coder(rng, team_segments)

    # ratings with evidence
    for team in TEAMS:
        tid = team["id"]
        for factor in FACTORS:
            s = scores[(tid, factor)]
            for rater in ("C1", "C2", "CONS"):
                score = s[rater]
                evidence = choose_evidence(rng, team_segments[tid], factor, score)
                rating_rows.append(
                    [tid, factor, rater, "NA" if score is None else str(score), ";".join(evidence)]
                )

    actor_rows = [
        [a, p, t, TRUE if rich else FALSE, TRUE if local else FALSE]
        for a, p, t, rich, local in ACTORS
    ]
    return {
        "teams": (
            [
                "team_id",
                "name",
                "theme",
                "coalition_type",
                "sibd_phase_reached",
                "sibd_status",
                "call_year",
                "plan_start_year",
            ],
            teams_rows,
            1,
        ),
        "actors": (
            ["actor_id", "pseudonym", "actor_type", "is_capital_rich", "is_local"],
            actor_rows,
            1,
        ),
        "memberships": (
            ["team_id", "actor_id", "role", "prior_collaboration_years"],
            membership_rows,
            2,
        ),
        "respondents": (["respondent_id", "team_id", "actor_id", "role"], respondent_rows, 1),
        "documents": (
            ["document_id", "team_id", "kind", "phase", "date", "respondent_id", "title"],
            document_rows,
            1,
        ),
        "segments": (["segment_id", "document_id", "text", "start", "end"], segment_rows, 1),
        "codings": (["segment_id", "code_id", "coder_id", "value"], coding_rows, 3),
        "ratings": (["team_id", "factor_id", "rater_id", "score", "evidence"], rating_rows, 3),
    }


def _gain(code_docs: dict, doc: dict, codes: list[str]) -> int:
    """How many of ``codes`` would reach a new document (counted up to three per code)."""
    return sum(
        1 for c in codes if doc["id"] not in code_docs.get(c, {}) and len(code_docs.get(c, {})) < 3
    )


def _doc_pool(docs: list[dict], voice: str, codes: list[str]) -> list[dict]:
    kind = KIND_OF_VOICE[voice]
    banned = set().union(*(NOT_SPOKEN_BY.get(c, set()) for c in codes))
    return [
        d
        for d in docs
        if d["kind"] == kind and not (kind == "interview" and d.get("speaker") in banned)
    ]


def _random_date(rng: random.Random, phase: int) -> str:
    ranges = {
        1: (date(2021, 3, 1), date(2021, 8, 31)),
        2: (date(2021, 9, 1), date(2022, 2, 28)),
        3: (date(2022, 3, 1), date(2022, 6, 30)),
    }
    lo, hi = ranges[min(phase, 3)]
    day = lo + timedelta(days=rng.randint(0, (hi - lo).days))
    while day.weekday() >= 5 or (day.month, day.day) == (1, 1):  # working days only
        day += timedelta(days=1)
    return day.isoformat()


# Codes a second coder plausibly uses instead of, or next to, a code the first coder used.
NEIGHBOURS = {
    "na_bridging": "na_linking",
    "na_linking": "na_bridging",
    "na_bonding": "na_bridging",
    "na_voorgeschiedenis": "na_bridging",
    "na_programma_inbedding": "rs_programma",
    "bar_geld": "bar_subsidieafhankelijkheid",
    "bar_subsidieafhankelijkheid": "bar_geld",
    "bar_tijd": "bar_coordinatie",
    "bar_coordinatie": "bar_tijd",
    "bar_privaat_kapitaal": "bar_geld",
    "bar_draagvlak": "bi_inv_geen",
    "hb_kennis": "rs_professionals",
    "rs_professionals": "rs_professioneel_centralisme",
    "rs_instrumenteel": "rs_professioneel_centralisme",
    "rs_regelruimte": "bar_regels",
    "rs_corporatie": "na_linking",
    "rs_programma": "na_programma_inbedding",
    "bi_herkomst_lokale_org": "na_bridging",
    "bi_herkomst_bewoners": "na_bonding",
}


def second_coder(rng: random.Random, team_segments: dict) -> list[list[str]]:
    """C2 codes a ~20 % sample per team; agrees mostly, with one deliberately ambiguous pair."""
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
            if sid in flipped:
                c2 = [
                    ("bi_inv_meedenken", "") if c == "bi_inv_raadplegen" else (c, v) for c, v in c2
                ]
            else:
                u = rng.random()
                swap = next((i for i, (c, v) in enumerate(c2) if c in NEIGHBOURS), None)
                if u < 0.14 and len(c2) >= 2:
                    c2.pop()  # missed a secondary code
                elif u < 0.14 and swap is not None:
                    code = NEIGHBOURS[c2[swap][0]]  # chose the neighbouring code instead
                    if code not in {c for c, _ in c2}:
                        c2[swap] = (code, "")
                elif u < 0.26 and swap is not None and len(c2) < 3:
                    code = NEIGHBOURS[c2[swap][0]]  # added the neighbouring code
                    if code not in {c for c, _ in c2}:
                        c2.append((code, ""))
                elif u < 0.34:
                    c2 = [
                        (c, "stimuleren") if (c, v) == ("rs_gemeente", "faciliteren") else (c, v)
                        for c, v in c2
                    ]
            rows += [[sid, c, "C2", v] for c, v in c2]
    return rows


def _subtree_match(factor: str, code: str) -> bool:
    prefixes = {
        "hulpbronnen": ("hb_",),
        "bewonersinitiatief": ("bi_",),
        "uit_de_wijk": ("bi_herkomst_",),
        "door_de_wijk": ("bi_inv_",),
        "netwerkaansluiting": ("na_",),
        "responsiviteit": ("rs_",),
        "barrieres": ("bar_",),
    }
    if factor in prefixes:
        return code.startswith(prefixes[factor])
    return code == factor


def choose_evidence(rng: random.Random, seglist, factor: str, score) -> list[str]:
    """Segments a rater cites: >= 2 from >= 2 documents when score >= 2."""
    if score is None:
        return []
    pool = [
        (sid, doc)
        for sid, doc, codes, _ in seglist
        if any(_subtree_match(factor, c) for c in codes)
    ]
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
            raise AssertionError(f"{factor}: evidence lies in one document only")
        chosen.append(second)
        chosen += [p for p in pool[1:] if p not in chosen][: k - 2]
    return sorted(sid for sid, _ in chosen)


def write_csv(path: Path, header: list[str], rows: list[list[str]], nkey: int) -> None:
    rows = sorted(rows, key=lambda r: tuple(r[:nkey]))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow([*header, "is_fictional"])
        for row in rows:
            writer.writerow([*row, TRUE])


def write_codebook(path: Path) -> None:
    header = (
        "# Codebook: BoTu veerkrachtfactoren (see CODEBOOK.md). Usable as a default for "
        "real material;\n# the demo data in this folder that uses it is fictional.\n"
    )
    text = yaml.safe_dump(
        build_codebook(), sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
    path.write_text(header + text, encoding="utf-8", newline="\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "target",
        nargs="?",
        default=str(ROOT / "data" / "raw"),
        help="output folder (default: data/raw of this repository)",
    )
    args = parser.parse_args(argv)
    target = Path(args.target)
    target.mkdir(parents=True, exist_ok=True)
    tables = build()
    write_codebook(target / "codebook.yml")
    for name, (header, rows, nkey) in tables.items():
        write_csv(target / f"{name}.csv", header, rows, nkey)
    print(
        f"wrote fictional demo data to {target}: codebook.yml, "
        + ", ".join(f"{n}.csv ({len(r)} rows)" for n, (_, r, _) in tables.items())
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
