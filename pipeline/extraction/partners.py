"""Partners of one fiche: the organisations named as taking part in the action, typed by kind.

A partner is found three ways: an organisation span of a field (the gazetteer's, or the stock
NER's in a sentence about working together), an item of the form's "Partenaires d'action" list,
and a funder the budget reads. What `shared/gold/README.md` excludes is dropped: the organising
structure itself and its own services, people, statistics sources, organisations in a negated
sentence, hired suppliers and places only visited.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span

from pipeline.config import PartnerConfig
from pipeline.extraction.components.organisations import SPANS_KEY, OrganisationRuler
from pipeline.extraction.partner_kinds import POSSESSIVES, KindTyper, typer_for
from pipeline.normalize import fold
from pipeline.records import Fiche

LIST_FIELD = "action_partners"
BUDGET_FIELD = "financial_resources"
OTHER = "Autre"
CULTURE = "Culture et sport"
EDUCATION = "Éducation nationale"
# Labels that are money, not an organisation: a programme is a partner only as a funder.
_NOT_ORGS = frozenset({"USERS", "PROGRAMME"})
_W = r"(?<![\w])(?:{})(?![\w])"
# Clause boundaries: line breaks, sentence ends, semicolons, "mais".
_CLAUSE_RE = re.compile(r"\n|[;!?]|\.(?=\s|$)|,?\s+mais\s+")
NEGATION_RE = re.compile(_W.format(
    r"n['’]\s?(?:\w+\s+){1,2}(?:pas|plus|jamais)|ne\s+(?:\w+\s+){1,2}(?:pas|plus|jamais)"
    r"|aucune?|refus\w*|pas\s+(?:de|d['’])"
    r"|sans\s+(?:le|la|l['’]|les|aucun)?\s*(?:soutien|aide|partenariat|financement|concours)"),
    re.IGNORECASE)
# Before the organisation in its clause: it is sought or courted, not (yet) a partner.
SEEKING_RE = re.compile(_W.format(
    r"convaincre|solliciter|d[ée]marcher|rechercher|recherche\s+d[e'’]|trouver|chercher"),
    re.IGNORECASE)
# Right before a town, an intercommunality, a département or a region: the place, not the
# institution ("les habitants de la commune", "sur la ville", "quartiers de la ville").
PLACE_RE = re.compile(
    r"(?:quartiers?|habitants?|territoires?|c[œo]eur|centre|sein|rues?|entr[ée]e|image|population"
    r"|[ée]chelle|ensemble|sites?|secteurs?|sur|dans|hors|toute|tout|partout|[àa]\s+travers)"
    r"\s+(?:(?:de\s+la|de\s+l['’]|du|de|des|la|le|l['’]|sa|notre|leur)\s*)?$", re.IGNORECASE)
_AMOUNT_AFTER_RE = re.compile(r"[ \t\u00a0]*[:=(]?[ \t\u00a0]*\d")
_BARE_PLACE_WORDS = frozenset({"ville", "commune", "communes", "agglomeration", "departement"})
_PLACES = frozenset({"Commune", "Intercommunalité", "Département", "Région"})
# Right before a school word: school as a time or a stage of life, not the institution.
_SCHOOL_TIME_RE = re.compile(
    r"(?:avant|apr[èe]s|hors|sortie\s+de|retour\s+[àa]|rentr[ée]e|chemin\s+de|ouvrir|aller\s+[àa]"
    r"|(?:entr[ée]e|arriv[ée]e|passage|rentr[ée]e)\s+(?:[àa]|en|au))"
    r"\s+(?:(?:l['’]|la|le|les|du|de\s+l['’])\s*)?$", re.IGNORECASE)
# Right before: an organisation someone is for (a beneficiary) or a mere "un/une" (any one).
_FOR_RE = re.compile(r"(?<![\w])(?:pour|atout\s+pour)\s+(?:les|la|le|l['’]|des)\s*$", re.IGNORECASE)
_ANY_RE = re.compile(r"(?<![\w])(?:un|une)\s+$", re.IGNORECASE)
# Words of an unknown organisation that name the organiser's own kind of body.
_OWN_WORDS_RE = re.compile(
    r"(?<![\w])(?:centre|evs|espace\s+de\s+vie|maison\s+de\s+quartier|maison\s+pour\s+tous)(?![\w])",
    re.IGNORECASE)
SOURCE_RE = re.compile(_W.format(
    r"donn[ée]es|statistiques?|sources?\s*:|selon|d['’]apr[èe]s|chiffres|insee|recensement"),
    re.IGNORECASE)
# Before the organisation in its clause: it is paid for a service, not a partner.
SUPPLIER_RE = re.compile(_W.format(
    r"location|lou[ée]e?s?|achats?|achet[ée]e?s?|factur\w+|prestataires?|recrutement"
    r"|recrut[ée]e?s?|devis|command[ée]e?s?|pay[ée]e?s?|r[ée]mun[ée]r\w+"
    r"|vers[ée]e?s?\s+(?:directement\s+)?(?:[àa]|aux?)"), re.IGNORECASE)
# Right before the organisation: a place visited on an outing.
_VISIT_RE = re.compile(
    r"(?:sorties?|visites?|visiter|excursions?|voyages?|balades?|s[ée]jours?|vont|va|aller"
    r"|all[ée]e?s|retourn\w*|rend\w*|venu\w*|viennent|(?:seule?s?|ensemble|en\s+famille))\s+"
    r"(?:(?:[àa]\s+la|[àa]\s+l['’]|au|aux|du|de\s+la|de\s+l['’]|des|d['’]|de|[àa]|en)\s*)?"
    r"(?:\w+\s+){0,1}$", re.IGNORECASE)
_OUTING_RE = re.compile(_W.format(r"sorties?|visites?|excursions?|voyages?|s[ée]jours?"),
                        re.IGNORECASE)
# Right before a cultural or sports place: an activity there, not the institution ("atelier
# théâtre", "séance de cinéma").
_ACTIVITY_RE = re.compile(
    r"(?:ateliers?|cours|s[ée]ances?|stages?|initiations?|soir[ée]es?|spectacles?|activit[ée]s?"
    r"|pratique|d[ée]couverte|sortie|aller|all[ée]e?s?|jeux|tournois?|matchs?|fait|faire)\s+"
    r"(?:(?:[àa]\s+la|[àa]\s+l['’]|au|aux|du|de\s+la|de\s+l['’]|des|d['’]|de|[àa]|en)\s*)?$",
    re.IGNORECASE)
# Right after a cultural place: an activity of the organiser ("bibliothèque éphémère").
_ACTIVITY_AFTER_RE = re.compile(
    r"^\s*(?:[ée]ph[ée]m[èe]re|de\s+rue|mobile|itin[ée]rante|partag[ée]e|ambulante)", re.IGNORECASE)
# Right after an organisation: the organiser itself ("l'association porteuse").
_SELF_AFTER_RE = re.compile(
    r"^\s*(?:porteuse|porteur|gestionnaire|organisatrice|organisateur|support)(?![\w])",
    re.IGNORECASE)
# A clause about working together: there, an organisation no list knows counts too.
PARTNER_CUE_RE = re.compile(_W.format(
    r"partenari\w+|partenaires?|en\s+lien\s+avec|en\s+collaboration\s+avec|coop[ée]ration"
    r"|avec\s+(?:le|la|les|l['’])|aupr[èe]s\s+d|soutien|soutenue?s?|financ\w+|subvention\w*"
    r"|accueill\w*|h[ée]berg\w+|[àa]\s+disposition|pr[êe]t(?:e|ent|[ée]e?s?|ait|aient|era)"
    r"|anim[ée]e?s?\s+par|donn[ée]e?s?|offert\w*|fourni\w*|recettes?|apports?"
    r"|r[ée]serv\w+|mat[ée]riels?"
    r"|orient[ée]e?s?\s+(?:par|vers)|intervention|convention|co-?organis\w+|associ[ée]e?s?"
    r"|gr[âa]ce\s+[àa]|concours|particip\w+"), re.IGNORECASE)
# What introduces an organisation no list knows, and the item list that follows.
_INTRO_RE = re.compile(_W.format(
    r"en\s+partenariat\s+avec|partenaires?\s*:|en\s+lien\s+avec|en\s+collaboration\s+avec"
    r"|avec\s+l['’]aide\s+d[eu]|avec\s+le\s+soutien\s+d[eu]|avec\s+le\s+concours\s+d[eu]"
    r"|accueillie?s?\s+(?:par|chez)|h[ée]berg[ée]e?s?\s+(?:par|chez)|chez"
    r"|mise?s?\s+[àa]\s+disposition\s+par|pr[êe]t[ée]e?s?\s+par|anim[ée]e?s?\s+par"
    r"|co-?organis[ée]e?s?\s+avec|men[ée]e?s?\s+avec"
    r"|(?:offert|donn[ée]|fourni|financ[ée]|soutenu|pr[êe]t[ée])e?s?\s+par"), re.IGNORECASE)
# An organisation that gives, lends or hosts, as the subject: "La jardinerie a donné des plants".
_GIVER_RE = re.compile(
    r"(?:^|(?<=[.;!?\n]))\s*(?:Le|La|Les|L['’]|Un|Une|Des)\s*(?P<org>[^,.;:!?\n]{2,60}?)\s+"
    r"(?:a|ont|avait|avaient|nous\s+a|nous\s+ont)?\s*(?:donn[ée]|offert|pr[êe]t[ée]|fourni|pr[êe]te"
    r"|pr[êe]tent|accueill\w+|h[ée]berg\w+|financ\w+|mis\s+[àa]\s+disposition|met(?:tent)?\s+[àa]\s+disposition)"
    r"(?![\w])")
# What separates two items, and what ends the last one ("... qui prête des jeux").
_ITEM_SEP_RE = re.compile(r",|/|\(|\)|:|\+|(?<![\w])(?:et|ou|ainsi\s+que)(?![\w])", re.IGNORECASE)
_ITEM_END_RE = re.compile(
    r"(?<![\w])(?:qui|que|qu['’]|dont|pour|afin|lors|depuis|dans|sur|pendant|autour)(?![\w])",
    re.IGNORECASE)
_MAX_INTRO_CHARS = 160
_MAX_CONTEXT = 300
_MAX_ITEMS = 12


@dataclass(frozen=True)
class Mention:
    """One partner found: its type, its name as written and where."""

    type: str
    name: str
    field: str
    start: int
    end: int

    def as_dict(self) -> dict[str, Any]:
        return {"type": self.type, "name": self.name, "field": self.field,
                "start": self.start, "end": self.end}


class PartnerReader:
    """Reads the partners of fiches with one pipeline's gazetteer and vocabulary."""

    def __init__(self, ruler: OrganisationRuler) -> None:
        self.ruler = ruler
        self.config: PartnerConfig = ruler.partners
        self.typer: KindTyper = typer_for(ruler.nlp.vocab, ruler.partners)

    def read(self, docs: dict[str, Doc], fiche: Fiche,
             funders: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The partners of one fiche, one per type and name, in order of appearance.

        Args:
            docs: field name -> Doc, as made by `extract.analyse_fields`.
            fiche: the fiche (its structure name and "Partenaires d'action" list are read).
            funders: the fiche's funders, from `budget.build_budget`.
        """
        own = _OwnName(fiche.structure.name or "", fiche.title or "")
        found: list[Mention] = []
        for field, doc in docs.items():
            found += self._field(field, doc, own)
        for i, item in enumerate(fiche.action_partners):
            found += self._list_item(f"{LIST_FIELD}[{i}]", item, own)
        found += self._funders(funders, docs)
        seen: set[tuple[str, str]] = set()
        partners = []
        for mention in found:
            key = (mention.type, fold(mention.name))
            if key not in seen:
                seen.add(key)
                partners.append(mention.as_dict())
        return partners

    def _org_spans(self, doc: Doc) -> list[Span]:
        if SPANS_KEY in doc.spans:
            return list(doc.spans[SPANS_KEY])
        # A field whose profile skips the gazetteer (the people field): run it on a copy.
        copy = self.ruler(self.ruler.nlp.make_doc(doc.text))
        return list(copy.spans[SPANS_KEY])

    def _field(self, field: str, doc: Doc, own: _OwnName) -> list[Mention]:
        text = doc.text
        bounds = _clause_bounds(text)
        spans = self._org_spans(doc)
        found = []
        for span in spans:
            kind = self._span_kind(span, text, bounds, field)
            if kind and not own.is_own(span.text, text[span.end_char:span.end_char + 30]):
                found.append(Mention(kind, span.text, field, span.start_char, span.end_char))
        taken = sorted((s.start_char, s.end_char) for s in spans)
        for start, end in _introduced(text, bounds):
            if _overlaps(taken, start, end):
                continue
            name = text[start:end]
            kind = self.typer.kind(name)
            if kind and not _excluded(kind, text, start, end, bounds) \
                    and not own.is_own(name, text[end:end + 30]) and not _OWN_WORDS_RE.search(name):
                found.append(Mention(kind, name, field, start, end))
        return found

    def _span_kind(self, span: Span, text: str, bounds: list[int], field: str) -> str | None:
        if span.label_ in _NOT_ORGS:
            return None
        c_start, c_end = _clause(text, bounds, span.start_char)
        cue = PARTNER_CUE_RE.search(text[c_start:c_end]) is not None
        if span.id_:
            kind = self.config.types.get(span.id_)
            if kind is None or fold(span.text) in self.config.funding_only:
                return None
            if field == BUDGET_FIELD and _AMOUNT_AFTER_RE.match(text, span.end_char):
                cue = True  # a line of a funding table: "CARSAT 600", "Ville : 900 €"
            # A bare "la ville" / "commune" is a place unless the clause is about working
            # together; in the budget field an organisation that is not a funder needs the same.
            if not cue and (field == BUDGET_FIELD or _is_bare_place(span.text)):
                return None
        else:
            if not cue or _OWN_WORDS_RE.search(span.text) or self.typer.is_people(span.text):
                return None
            kind = self.typer.kind(span.text) or OTHER
        if _excluded(kind, text, span.start_char, span.end_char, bounds):
            return None
        return kind

    def _list_item(self, field: str, item: str, own: _OwnName) -> list[Mention]:
        text = item[:500]
        if own.is_own(text, "") or self.typer.is_people(text):
            return []
        doc = self.ruler(self.ruler.nlp.make_doc(text))
        found = []
        for span in doc.spans[SPANS_KEY]:
            kind = self.config.types.get(span.id_) if span.id_ else None
            if kind and span.label_ not in _NOT_ORGS:
                found.append(Mention(kind, span.text, field, span.start_char, span.end_char))
        if not found and text.strip():
            kind = self.typer.kind(text) or OTHER
            start = len(text) - len(text.lstrip())
            found.append(Mention(kind, text.strip(), field, start, len(text.rstrip())))
        return found

    def _funders(self, funders: list[dict[str, Any]], docs: dict[str, Doc]) -> list[Mention]:
        found = []
        for funder in funders:
            kind = funder.get("type")
            doc = docs.get(funder.get("field", ""))
            if doc is not None and SPANS_KEY in doc.spans:
                for span in doc.spans[SPANS_KEY]:
                    if span.start_char <= funder["start"] < span.end_char and span.id_:
                        kind = self.config.types.get(span.id_, kind)
            if kind == OTHER:
                kind = self.typer.kind(str(funder.get("name", ""))) or OTHER
            if kind in self.config.partner_types:
                found.append(Mention(kind, str(funder.get("name", "")), funder["field"],
                                     funder["start"], funder["end"]))
        return found


class _OwnName:
    """The organising structure's name and the action's title, to tell them (and the
    structure's own services) from a partner."""

    def __init__(self, name: str, title: str = "") -> None:
        folded = " ".join(fold(name).replace(".", " ").split())
        # Spaced or dotted initials ("M J C", "C.S.C.") are also read joined up ("mjc").
        self.names = [folded, _SPACED_INITIALS_RE.sub(lambda m: m.group().replace(" ", ""),
                                                      folded)]
        words = [w for w in re.findall(r"[^\W\d_]+", name) if len(w) > 2 or w.isupper()]
        self.acronym = "".join(w[0] for w in words if w[0].isupper()).lower()
        self.title = " ".join(fold(title).split())

    def is_own(self, mention: str, after: str) -> bool:
        """True when `mention` names the structure ("le Centre Social", its acronym), is the
        action's own name (most of its title), or `after` says it is the one carrying the
        action ("l'association porteuse")."""
        if _SELF_AFTER_RE.match(after):
            return True
        words = fold(mention).replace("'", "' ").split()
        while words and words[0] in _DETERMINERS:
            words = words[1:]
        folded = " ".join(words).replace("' ", "'")
        if len(folded) < 2:
            return False
        within = re.compile(rf"(?<!\w){re.escape(folded)}(?!\w)")
        if len(folded) >= 3 and any(within.search(n) for n in self.names if n):
            return True
        if self.title and len(folded) >= 0.6 * len(self.title) and within.search(self.title):
            return True
        return len(self.acronym) >= 2 and folded == self.acronym


_SPACED_INITIALS_RE = re.compile(r"(?<!\w)(?:\w )+\w(?!\w)")
_DETERMINERS = frozenset({"le", "la", "les", "l'", "un", "une", "des", "du", "de", "d'"})


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when `[start, end)` overlaps one of `spans` (sorted, non-overlapping)."""
    i = bisect.bisect_left(spans, (end, end))
    return i > 0 and spans[i - 1][1] > start


def _is_bare_place(name: str) -> bool:
    """True for a lower-case "la ville", "commune": as often the place as the town hall."""
    return name.islower() and fold(name).split()[-1] in _BARE_PLACE_WORDS


def _clause_bounds(text: str) -> list[int]:
    """Sorted clause start offsets of `text` (0 first)."""
    return [0, *(m.end() for m in _CLAUSE_RE.finditer(text))]


def _clause(text: str, bounds: list[int], pos: int) -> tuple[int, int]:
    """The clause around `pos`, at most `_MAX_CONTEXT` characters on each side: a text without
    punctuation is one clause, and each mention must not scan all of it."""
    i = bisect.bisect_right(bounds, pos) - 1
    end = bounds[i + 1] if i + 1 < len(bounds) else len(text)
    return max(bounds[i], pos - _MAX_CONTEXT), min(end, pos + _MAX_CONTEXT)


def _excluded(kind: str, text: str, start: int, end: int, bounds: list[int]) -> bool:
    """True when the organisation at `text[start:end]` is not a partner by its context."""
    c_start, c_end = _clause(text, bounds, start)
    clause, before = text[c_start:c_end], text[c_start:start]
    near = before[-60:]
    if NEGATION_RE.search(clause) or SOURCE_RE.search(clause):
        return True
    if SUPPLIER_RE.search(before) or SEEKING_RE.search(before) or _VISIT_RE.search(near):
        return True
    if near.rstrip().lower().split()[-1:] in ([p] for p in POSSESSIVES):
        return True
    if _FOR_RE.search(near) or (_ANY_RE.search(near) and not PARTNER_CUE_RE.search(clause)):
        return True
    if kind in _PLACES:
        return bool(PLACE_RE.search(near))
    if kind == EDUCATION:
        return bool(_SCHOOL_TIME_RE.search(near))
    if kind == CULTURE:
        # An outing named anywhere before it in the clause: a place visited.
        return bool(_OUTING_RE.search(before) or _ACTIVITY_RE.search(near)
                    or _ACTIVITY_AFTER_RE.match(text[end:end + 30]))
    return False


def _introduced(text: str, bounds: list[int]) -> list[tuple[int, int]]:
    """Spans of the items introduced by a partnership phrase ("en partenariat avec la
    ludothèque et le club de pétanque"): each item up to a comma, "et" or the clause end."""
    items: list[tuple[int, int]] = []
    for match in _INTRO_RE.finditer(text):
        _, c_end = _clause(text, bounds, match.start())
        stop = min(c_end, match.end() + _MAX_INTRO_CHARS)
        if (ending := _ITEM_END_RE.search(text, match.end(), stop)) is not None:
            stop = ending.start()
        pos = match.end()
        for sep in [*_ITEM_SEP_RE.finditer(text, pos, stop), None][:_MAX_ITEMS]:
            end = sep.start() if sep is not None else stop
            part = text[pos:end]
            if part.strip():
                lead = len(part) - len(part.lstrip())
                items.append((pos + lead, pos + len(part.rstrip())))
            if sep is None:
                break
            pos = sep.end()
    items += [(m.start("org"), m.end("org")) for m in _GIVER_RE.finditer(text)]
    return items
