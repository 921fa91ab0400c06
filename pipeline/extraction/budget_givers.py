"""Givers no list knows: told by a proper name, a business or fund noun, or a money word before
them, and typed by the nouns of their name."""

from __future__ import annotations

import re

from pipeline.extraction.budget_words import NAME as _NAME
from pipeline.extraction.budget_words import SP as _SP

# Who gives, named after such a link though no list knows it: a proper name ("la boulangerie
# Martin", "le Super U") or a noun of a business or a fund ("une caisse de retraite").
_GIVER_NOUN = (r"(?i:boulangerie|pharmacie|supermarch[ée]|magasin|commer[çc]ants?|entreprises?"
               r"|soci[ée]t[ée]|banque|caisse|mutuelle|club|fondation|fonds|amicale|comit[ée]"
               r"|bailleur|syndicat|groupe|f[ée]d[ée]ration|association|union|compagnie"
               r"|fournisseur|coop[ée]rative|enseigne|direction|d[ée]l[ée]gation|agence)")
_GIVER_NOUN_RE = re.compile(_GIVER_NOUN)
# The givers among them that are never the organising structure itself, named without a name
# ("financés par la fédération", "don du supermarché"): not "l'association", "le club".
_BODY_NOUN = (r"(?i:boulangerie|pharmacie|supermarch[ée]|magasin|commer[çc]ants|entreprises?"
              r"|soci[ée]t[ée]|banque|mutuelle|f[ée]d[ée]ration|fournisseur|coop[ée]rative)")
_NAME_RE = re.compile(_NAME)
# Adjectives that go on a public body's name: "Direction régionale des affaires culturelles".
_BODY_ADJECTIVE = (r"(?:r[ée]gionale?s?|d[ée]partementale?s?|interminist[ée]rielle?s?"
                   r"|intercommunale?s?|municipale?s?|nationale?s?)")


# An organisation's initials: "ANCV (chèques vacances)", "CCTT".
ACRONYM_RE = re.compile(r"[A-Z]{3,6}(?![\w])")


def telling_name(name: str) -> bool:
    """Whether a name no list knows says it is a giver: a business or fund noun, a proper name
    of two capitalised words ("Super U") or initials ("ANCV"); a lone word ("Neotoa") says
    nothing."""
    return bool(_GIVER_NOUN_RE.search(name)) or len(_NAME_RE.findall(name)) >= 2 \
        or ACRONYM_RE.match(name) is not None


UNKNOWN_GIVER_RE = re.compile(
    rf"(?i:(?:la|le|les|l['’]|une?|des|d['’]une?){_SP}*)?"
    rf"(?P<name>(?:[\w'’\-]+{_SP}+){{0,3}}?(?:{_NAME}|{_GIVER_NOUN})(?:{_SP}+"
    rf"(?!et\b(?!{_SP}+(?:[àa]|aux?)\b))[\w'’\-]+){{0,8}}?)(?={_SP}*(?:[,;.()\n«]|{_SP}et{_SP}|$))")
# A funder the gazetteer lacks, introduced by a money word: "subvention de la Fondation Léa",
# "aide du Fonds Solidaire", "financé par l'Eurométropole", "don d'Intermarché".
UNKNOWN_FUNDER_RE = re.compile(
    rf"(?<![\w])(?i:subventions?|aides?(?:{_SP}+financi[èe]res?)?|dons?"
    rf"|soutiens?{_SP}+financiers?|financ[ée]e?s?|subventionn[ée]e?s?|cofinanc[ée]e?s?"
    rf"|m[ée]c[ée]nat|dotations?|apports?{_SP}+financiers?"
    rf"|(?P<takes>pris(?:es?)?{_SP}+en{_SP}+charge)){_SP}+"
    rf"(?i:de{_SP}+la|de{_SP}+l['’]|du|des|de|d['’]|par{_SP}+(?:la|le|les|l['’])|par)"
    rf"{_SP}*(?P<name>{_NAME}(?:{_SP}+(?:(?:de|du|des|d['’]|la|le|les|et){_SP}*)?"
    rf"(?:{_NAME}|{_BODY_ADJECTIVE})){{0,4}}"
    rf"|{_BODY_NOUN}(?![\w]))")
# Head nouns of organisation names, in the funder vocabulary's families; the first match wins
# (the State's services before the Région: "Direction régionale des affaires culturelles").
_FAMILIES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), family) for pattern, family in (
        (r"fondation|fonds\s+de\s+dotation", "Fondation"),
        (r"m[ée]tropole|agglo|communaut[ée]\s+(?:de\s+communes|d['’]agglom|urbaine)"
         r"|intercommunal|pays\b|syndicat\s+intercommunal", "Intercommunalité"),
        (r"minist[èe]re|pr[ée]fecture|[ée]tat\b|\bDR[A-Z]{2,6}\b|\bDD[A-Z]{1,5}\b|fonds\s+pour"
         r"|haut[- ]commissariat|(?:direction|d[ée]l[ée]gation)s?\s+"
         r"(?:r[ée]gionale|d[ée]partementale|interminist[ée]rielle)", "État"),
        (r"r[ée]gion|r[ée]gional", "Région"),
        (r"d[ée]partement|conseil\s+g[ée]n[ée]ral", "Département"),
        (r"ville|commune|mairie|municipal", "Commune"),
        (r"europ|\bFSE\b|FEDER|LEADER", "Europe"),
        (r"caisse\s+d['’]allocations", "CAF"),
        (r"habitat|logement|office\s+public|\bOPH\b|r[ée]sidences\b", "Bailleur social"),
        # "Grand Poitiers", "Grand Reims": a conurbation's name (not the Grand Est region)
        (r"(?-i:\bGrand[ -](?!Est\b|Ouest\b)[A-ZÉÈ])", "Intercommunalité"),
    ))
OTHER_FAMILY = "Autre"


def funder_family(name: str) -> str:
    """The funder type of an organisation the gazetteer lacks, from the nouns of its name:
    "Eurométropole de Strasbourg" -> "Intercommunalité"; anything else is "Autre"."""
    for pattern, family in _FAMILIES:
        if pattern.search(name):
            return family
    return OTHER_FAMILY


# "le club des aînés Les Amis du Clos a donné 250 €": who gives, named before the verb.
GAVE_RE = re.compile(
    r"[ \t\u00a0]+(?:a|ont|avait|avaient)[ \t\u00a0]+(?:donn[ée]|vers[ée]|offert|apport[ée]"
    r"|accord[ée]|attribu[ée])e?s?[ \t\u00a0]*$", re.IGNORECASE)
# What opens an item of a list before its label: "et le Super U", "; Fonds X".
_LIST_OPENING_RE = re.compile(r"(?:[;,+&]|et|puis|ainsi\s+que|[^\W\d_]{3,20}[ \t\u00a0]*:)"
                              r"[ \t\u00a0]*", re.IGNORECASE)  # "Financement : X"


def unknown_giver(label: str) -> re.Match[str] | None:
    """The giver a list has not heard of that a line's label names, if the name says it is one
    ("et le Super U de Thoiry", "le club des aînés X a donné", "Est Ensemble (plan vélo")."""
    gave = GAVE_RE.search(label)
    paren = label.find("(")
    end = gave.start() if gave else (paren if paren != -1 else len(label))
    opening = _LIST_OPENING_RE.match(label)
    match = UNKNOWN_GIVER_RE.fullmatch(label, opening.end() if opening else 0,
                                       len(label[:end].rstrip()))
    return match if match is not None and telling_name(match.group("name")) else None
