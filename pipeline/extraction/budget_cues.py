"""What the words around an amount say of it: breakdowns, shares, "chacune", users, new funders."""

from __future__ import annotations

import re

from pipeline.extraction.numbers import parse_number

_SP = r"[ \t\u00a0]"
# A breakdown opens after an amount: what follows is part of it, never added to it ("6 000 €
# dont 2 000 € de la CAF", "y compris", "répartis entre", "ventilés comme suit").
BREAKDOWN_RE = re.compile(
    rf"(?<![\w])(?:dont|y{_SP}+compris|r[ée]partie?s?{_SP}+(?:entre|comme|ainsi|en)"
    rf"|ventil[ée]e?s?|d[ée]compos[ée]e?s?|incluant|comprenant)(?![\w])", re.IGNORECASE)
# The share of a wider envelope that goes to this action: "dont 15 000 € pour cette action".
ACTION_SHARE_RE = re.compile(
    rf"{_SP}*(?:\(?{_SP}*)?(?:(?:sont|est|ont{_SP}+[ée]t[ée]|a{_SP}+[ée]t[ée]){_SP}+)?"
    rf"(?:pour|consacr[ée]e?s?{_SP}+[àa]|affect[ée]e?s?{_SP}+[àa]|d[ée]di[ée]e?s?{_SP}+[àa]"
    rf"|destin[ée]e?s?{_SP}+[àa]|r[ée]serv[ée]e?s?{_SP}+[àa]){_SP}+"
    rf"(?:cette|notre|l['’]|ce|le|la){_SP}*(?:pr[ée]sente?{_SP}+)?"
    rf"(?:action|projet|atelier|activit[ée]|dispositif|initiative|op[ée]ration)(?![\w])",
    re.IGNORECASE)
# "1 500 € chacune": the amount is each funder's, as many times as there are funders.
EACH_RE = re.compile(rf"{_SP}*(?:HT|TTC)?{_SP}*,?{_SP}*chacune?s?(?![\w])", re.IGNORECASE)
# "Deux subventions de": how many the amount each is for.
_HOW_MANY_RE = re.compile(
    rf"(?P<n>\d{{1,2}}|deux|trois|quatre|cinq|six){_SP}+[^\W\d_]{{3,30}}{_SP}+(?:de{_SP}+|d['’])?$",
    re.IGNORECASE)
# Funders sharing a total equally: "financé à parts égales par la CAF et le Département".
EQUAL_SHARES_RE = re.compile(
    rf"(?<![\w])(?:[àa]{_SP}+parts?{_SP}+[ée]gales?|[àa]{_SP}+[ée]galit[ée]|moiti[ée]{_SP}+"
    rf"chacune?|pour{_SP}+moiti[ée])(?![\w])", re.IGNORECASE)
# Money paid by the users, named by what they pay: tickets, fees, memberships, the families'
# share of the cost.
USERS_WORD_RE = re.compile(
    rf"(?<![\w])(?:entr[ée]es|billetterie|cotisations?|adh[ée]sions?|inscriptions|tarifs?"
    rf"|reste{_SP}+[àa]{_SP}+charge{_SP}+des{_SP}+(?:familles|usagers|parents|participants"
    rf"|b[ée]n[ée]ficiaires|adh[ée]rents))(?![\w])", re.IGNORECASE)
# The users' share of the cost: "reste à charge des familles".
USERS_SHARE_RE = re.compile(
    rf"(?<![\w])reste{_SP}+[àa]{_SP}+charge{_SP}+des?{_SP}+(?:familles|usagers|parents"
    rf"|participants|b[ée]n[ée]ficiaires|adh[ée]rents)(?![\w])", re.IGNORECASE)
# A users' participation with no payer named: "participation : 5 € par personne".
USERS_FEE_RE = re.compile(
    rf"(?<![\w])(?:participation|tarifs?|cotisations?|adh[ée]sions?|reste{_SP}+[àa]{_SP}+charge"
    rf"|prix{_SP}+d['’]entr[ée]e|entr[ée]es?){_SP}*(?:des{_SP}+[^\W\d_]{{3,20}}{_SP}*)?:?{_SP}*$",
    re.IGNORECASE)
# A funder the gazetteer lacks, introduced by a money word: "subvention de la Fondation Léa",
# "aide du Fonds Solidaire", "financé par l'Eurométropole", "don d'Intermarché".
_NAME = r"[A-ZÉÈÀÂÎÔ][\w’'\-]{1,30}"
UNKNOWN_FUNDER_RE = re.compile(
    rf"(?<![\w])(?i:subventions?|aides?(?:{_SP}+financi[èe]res?)?|dons?"
    rf"|soutiens?{_SP}+financiers?|financ[ée]e?s?|subventionn[ée]e?s?|cofinanc[ée]e?s?"
    rf"|m[ée]c[ée]nat|dotations?|apports?{_SP}+financiers?){_SP}+"
    rf"(?i:de{_SP}+la|de{_SP}+l['’]|du|des|de|d['’]|par{_SP}+(?:la|le|les|l['’])|par)"
    rf"{_SP}*(?P<name>{_NAME}(?:{_SP}+(?:(?:de|du|des|d['’]|la|le|les|et){_SP}*)?{_NAME}){{0,4}})")
# Head nouns of organisation names, in the funder vocabulary's families; the first match wins.
_FAMILIES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), family) for pattern, family in (
        (r"fondation|fonds\s+de\s+dotation", "Fondation"),
        (r"m[ée]tropole|agglo|communaut[ée]\s+(?:de\s+communes|d['’]agglom|urbaine)"
         r"|intercommunal|pays\b|syndicat\s+intercommunal", "Intercommunalité"),
        (r"r[ée]gion|r[ée]gional", "Région"),
        (r"d[ée]partement|conseil\s+g[ée]n[ée]ral", "Département"),
        (r"ville|commune|mairie|municipal", "Commune"),
        (r"minist[èe]re|pr[ée]fecture|[ée]tat\b|\bDR[A-Z]{2,6}\b|\bDD[A-Z]{1,5}\b|fonds\s+pour"
         r"|haut[- ]commissariat", "État"),
        (r"europ|\bFSE\b|FEDER|LEADER", "Europe"),
        (r"caisse\s+d['’]allocations", "CAF"),
        (r"habitat|logement|office\s+public|\bOPH\b", "Bailleur social"),
    ))
OTHER_FAMILY = "Autre"


def funder_family(name: str) -> str:
    """The funder type of an organisation the gazetteer lacks, from the nouns of its name:
    "Eurométropole de Strasbourg" -> "Intercommunalité"; anything else is "Autre"."""
    for pattern, family in _FAMILIES:
        if pattern.search(name):
            return family
    return OTHER_FAMILY


def how_many_before(text: str, start: int) -> int | None:
    """The number in "Deux subventions de" ending at `start`, else None."""
    match = _HOW_MANY_RE.search(text, max(0, start - 40), start)
    if match is None:
        return None
    value = parse_number(match.group("n"))
    return value if value and 1 < value <= 12 else None
