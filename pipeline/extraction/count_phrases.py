"""Counts of people read from plain text: the count, the noun after it and the role it names."""

from __future__ import annotations

import re
from bisect import insort
from dataclasses import replace

from spacy.lang.fr.stop_words import STOP_WORDS
from spacy.vocab import Vocab

from pipeline.config import RoleWords
from pipeline.extraction.count_fte import (
    FTE_OF_RE,
    FTE_RE,
    FTE_SHARED_RE,
    fte_mention,
    settle_fte_breakdowns,
)
from pipeline.extraction.count_heads import NounHeads
from pipeline.extraction.count_labels import (
    CLAUSE_END,
    Mention,
    repeats,
    role_of,
    table_rows_as_labels,
)
from pipeline.extraction.count_none import none_mentions
from pipeline.extraction.count_relations import (
    ADMISSIONS,
    closes_actors,
    elided_role,
    joined_to_previous,
    mention_start,
    merge_matches,
    multiplied,
    parenthetical,
    part_of_previous,
    pronoun_clause,
    restated,
    settle_admissions,
    settle_households,
    settle_inhabitants,
    settle_occasions,
    settle_persons,
    trainee_role,
    whole_clause,
)
from pipeline.extraction.count_wholes import (
    ORIGIN_BEFORE_RE,
    PARTITIVE_RE,
    settle_breakdowns,
    settle_member_lists,
    settle_parts,
    settle_span_wholes,
    shared_noun,
)
from pipeline.extraction.named_roles import NamedRoles, with_writer
from pipeline.extraction.numbers import (
    APPROX_PREFIX_RE,
    COUNT_RE,
    Count,
    count_from_match,
)
from pipeline.extraction.people_cues import PeopleCues
from pipeline.extraction.role_lexicon import WORD_RE, role_stem
from pipeline.extraction.roles import RoleReader
from pipeline.normalize import APPROX_AFTER_RE

# Ages and durations: "16 / 25 ans", "11-17 ans", "depuis 15 ans".
_AGE_AFTER_RE = re.compile(r"[ \u00a0]*(?:[/-][ \u00a0]*\d{1,3}[ \u00a0]*)?ans?\b", re.IGNORECASE)
_AGE_BEFORE_RE = re.compile(r"\b(?:âgée?s?|age|âge)[ \u00a0]+(?:de[ \u00a0]+)?$", re.IGNORECASE)
# "soit 25 personnes au total", "Total : 25 personnes", "en tout 25 personnes".
_TOTAL_BEFORE_RE = re.compile(r"(?:\bsoit|\btotal|\ben[ \u00a0]tout)[ \u00a0:]{0,3}$",
                              re.IGNORECASE)
_TOTAL_AFTER_RE = re.compile(r"[ \u00a0]{0,3}(?:au[ \u00a0]total|en[ \u00a0]tout)\b",
                             re.IGNORECASE)
# "une dizaine de grands-parents et autant d'enfants": as many people as the count before.
_AS_MANY_RE = re.compile(r"(?<![^\W\d_])autant(?=[ \u00a0]+(?:de[ \u00a0]|d['’]))",
                         re.IGNORECASE)
_AFTER_WINDOW = 80
# Inhabitants with no cue: the post-pass of `find` settles their role from the whole field.
_ASSUMED = "assumed volunteers"
# "personnes" with no cue: a total, or the public after the actors (`settle_persons`).
_UNPLACED = "assumed total"
_DEFAULT_ROLES = {_ASSUMED: "volunteers", _UNPLACED: "total"}
# The words of its clause that lead to a count: "L'action a touché 230 habitants".
_LEAD_RE = re.compile(r"[^\n.;:()]{0,40}$")
_COUNTED = frozenset({"professional", "volunteer", "inhabitant", "beneficiary", "person",
                      "admission"})


class CountReader(NounHeads):
    """Finds counts of people in a text and the role each count is about.

    Args:
        roles: the word lists and prototypes of `roles.json`.
        vocab: the pipeline's vocab, whose vectors read nouns no list knows; None without one.
    """

    def __init__(self, roles: RoleWords | None = None, vocab: Vocab | None = None) -> None:
        super().__init__(roles)
        self.vocab = vocab
        self._cues: PeopleCues | None = None

    @property
    def cues(self) -> PeopleCues:
        """What the words around a count say of its role, with the model's vectors if any."""
        if self._cues is None:
            reader = RoleReader(self.vocab, self.roles.prototypes) \
                if self.vocab is not None and self.roles is not None else None
            self._cues = PeopleCues(self.lexicon, reader)
        return self._cues

    def find(self, text: str) -> list[Mention]:
        """Every count of people in `text`, in text order."""
        text = table_rows_as_labels(text)
        matches = merge_matches(list(FTE_RE.finditer(text)), COUNT_RE.finditer(text))
        if "autant" in text:
            matches = merge_matches(list(_AS_MANY_RE.finditer(text)), matches)
        found: list[Mention] = []
        # Each count's clause runs to the next count that is not an age ("25 jeunes de 12 à 17
        # ans inscrits": "inscrits" still tells who the 25 are).
        limits = [len(text)] * len(matches)
        for i in range(len(matches) - 2, -1, -1):
            following = matches[i + 1]
            limits[i] = limits[i + 1] if _AGE_AFTER_RE.match(text, following.end()) \
                else following.start()
        articles = NamedRoles(self.lexicon, self.cues).find(text)
        actors = False  # the field counts organisations: it lists the actors
        for i, match in enumerate(matches):
            next_start = limits[i]
            if match.re is FTE_RE:
                mention = fte_mention(text, match, found, articles)
            elif match.re is _AS_MANY_RE:
                mention = self._read_as_many(text, match, next_start, found)
            else:
                mention = self._read(text, match, next_start, found)
                actors = actors or (mention is None and self._organisations(text, match))
            if mention is not None and mention.restates:
                found[-1] = mention
            elif mention is not None and not repeats(text, mention, found):
                found.append(mention)
        for mention in articles + none_mentions(text, self.lexicon):
            if not repeats(text, mention, found):
                insort(found, mention, key=mention_start)
        found = settle_span_wholes(text, settle_member_lists(text, found))
        found = settle_breakdowns(text, found, self._names_who)
        found = settle_households(text, settle_persons(settle_inhabitants(text, found, actors)),
                                  self.lexicon.households)
        found = settle_occasions(text, settle_fte_breakdowns(text, found), self.cues.per_occasion)
        return settle_parts(settle_admissions(found))

    def _names_who(self, mention: Mention) -> bool:
        """Whether a count's noun says who people are (women, adults, children), not what they
        do: a part of a count before it, not more people."""
        category = self.lexicon.classify(mention.head) if mention.head else None
        return category in ("inhabitant", "beneficiary", "person") or (
            category is None and bool(mention.head) and mention.role == "beneficiaries")

    def _read_as_many(self, text: str, match: re.Match[str], next_start: int,
                      found: list[Mention]) -> Mention | None:
        """"autant de jeunes" joined to the count before it: as many people of its own noun."""
        if not found or not joined_to_previous(text, found[-1], match.start()):
            return None
        count = found[-1].count
        noun = self._noun(text, match.end(), count, next_start)
        if noun is None or not noun[0]:
            return None
        word, head_end, category = noun
        role = self._word_role(text, (word, category), count, (match.start(), head_end), (
            text[max(0, match.start() - 40):match.start()], None,
            self._clause_after(text, head_end, next_start)), found)
        return Mention(match.start(), head_end, _DEFAULT_ROLES.get(role, role), count,
                       role_stem(word), None, role in _DEFAULT_ROLES)

    def _unknown_label(self, word: str, count: int, listed: bool = False) -> str | None:
        """A label noun no list knows, by its vector: "Apprenants :" over 42 is the public, and
        so is one near the persons closing a list of the actors (`listed`: "Convives : 180")."""
        if self.lexicon.classify(word) is not None or role_stem(word) in self.lexicon.skip:
            return None
        reader = self.cues.reader
        if reader is None:
            return None
        return reader.category(word, count, listed and reader.near_person(word))

    def _read(self, text: str, match: re.Match[str], next_start: int,
              found: list[Mention]) -> Mention | None:
        count = count_from_match(match)
        if count is None:
            return None
        start, end = match.start(), match.end()
        after = text[end:end + _AFTER_WINDOW]
        if (partitive := PARTITIVE_RE.match(text, end)) is not None:
            return self._partitive(text, match, count, partitive.end(), next_start)
        noun = self._noun(text, end, count, next_start,
                          closes_actors(text, (start, end, next_start), count, found))
        if noun is None:
            return None  # a noun we do not count: organisations, meetings, euros...
        word, head_end, category = noun
        if category == "person" and (restatement := restated(text, match, count, found)):
            return replace(restatement, end=head_end, head=role_stem(word))
        before = text[max(0, start - 40):start]
        if self._no_people(match, (word, category), before, after):
            return None
        if prefix := APPROX_PREFIX_RE.search(before):
            count = Count(count.low, count.high, True)
            start = start - len(before) + prefix.start()
        in_parens, clause_before = parenthetical(text, match.start(), found)
        if in_parens and clause_before is None:
            return None
        if word:
            count, head_end = multiplied(text, count, head_end, self.lexicon.per_units)
        clause_after = self._clause_after(text, head_end, next_start)
        if APPROX_AFTER_RE.match(clause_after):
            count = Count(count.low, count.high, True)
        role: str | None
        assumed = False
        if word:
            role = self._word_role(text, (word, category), count, (start, head_end),
                                   (before, clause_before, clause_after), found)
            assumed = role in _DEFAULT_ROLES
            role = _DEFAULT_ROLES.get(role, role)
        else:
            role, start = self._bare_role(text, match, count, (in_parens, clause_before), found)
            if role is None:
                return None
            head_end = end
        part = part_of_previous(text, before, match, (role, assumed), found)
        if part and (assumed or role != "volunteers"
                     or (found[-1].role == role and not found[-1].assumed)):
            return None  # a part in the role of its whole, or one saying who the whole is
        count = with_writer(text, before, end, count) if word else count
        return Mention(start, head_end, role, count, role_stem(word) if word else "",
                       self._per_unit(text, head_end), assumed, part=part)

    def _no_people(self, match: re.Match[str], noun: tuple[str, str | None], before: str,
                   after: str) -> bool:
        """Whether a count followed by `noun` counts no people: "une" before a noun no list
        knows is an article ("22 foyers ont une parcelle"), one of a trade a person ("un
        sophrologue") unless an FTE counts them ("0,5 ETP d'une CESF"); ages; where people
        come from ("issus de 27 familles")."""
        word, category = noun
        if match.group(0).lower() in ("un", "une") and (not word or FTE_OF_RE.search(before) or (
                category == "beneficiary" and self.lexicon.classify(word) is None)):
            return True
        return bool(_AGE_AFTER_RE.match(after) or _AGE_BEFORE_RE.search(before)
                    or ORIGIN_BEFORE_RE.search(before))

    def _partitive(self, text: str, match: re.Match[str], count: Count, end: int,
                   next_start: int) -> Mention | None:
        """"6 de ces jeunes sont devenus bénévoles": a part of people counted before, counted
        as volunteers when a volunteer word in its clause says so (`settle_parts`)."""
        if self.lexicon.cue(self._clause_after(text, end, next_start)) != "volunteer":
            return None
        return Mention(match.start(), end, "volunteers", count, "", part=True)

    def _shared_role(self, word: str, count: Count) -> str | None:
        """The role of a bare count listed before counts whose last names `word` ("90, 120 et
        75 spectateurs"): the word's, from the lexicon or its vector."""
        category = self.lexicon.classify(word) or (
            self.cues.reader.category(word, count.high) if self.cues.reader else None)
        return role_of(category) if category in ("professional", "volunteer", "beneficiary") \
            else None

    def _bare_role(self, text: str, match: re.Match[str], count: Count,
                   bracket: tuple[bool, str | None],
                   found: list[Mention]) -> tuple[str | None, int]:
        """The role of a count with no noun after it and where its mention starts: from its
        label ("Bénévoles : 20", with a volunteer word in a bracket after it: "Intervenante : 1
        (bénévole)"), the people a pronoun stands for ("des parents, on est 4-5"), or the count
        before whose noun it leaves out; None when there is none."""
        in_parens, clause_before = bracket
        start = match.start()
        if not in_parens and (clause := pronoun_clause(text, start)) is not None:
            after = self._clause_after(text, match.end(), len(text))
            if self.lexicon.cue(clause) == "volunteer" or self._runs(clause + " " + after):
                return "volunteers", start  # "quelques voisines, elles sont 4 à préparer"
            if (role := self._context_role(clause, after)) is not None:
                return role, start
        role = self._label_role(text, match, count, in_parens, clause_before, found)
        if role is not None and not in_parens:
            start = self._label_start(text, match.start(), found)
            label = WORD_RE.findall(text, start, match.start())
            if role == "professionals" and label and role_stem(label[0]) in self.lexicon.trainees:
                role = trainee_role(text, count, start, None, found)  # "Stagiaires : 58"
            if role in ("professionals", "total") \
                    and self.cues.volunteer_bracket(text, match.end()):
                role = "volunteers"
        elif role is None and in_parens and clause_before:
            # "des mamans viennent aider pour les courses et la vaisselle (3 ou 4)": the last
            # item names no people, the clause's subject does.
            role = self._label_role(text, match, count, True, whole_clause(text, start), found)
        elif role is None:
            role = elided_role(text, match, count, found)
        if role is None and not in_parens and (match.group("lo") or "").isdigit() \
                and not match.group("hi") \
                and (word := shared_noun(text, match.start(), match.end(), count.low)):
            role = self._shared_role(word, count)
        return role, start

    def _word_role(self, text: str, noun: tuple[str, str | None], count: Count,
                   bounds: tuple[int, int], clauses: tuple[str, str | None, str],
                   found: list[Mention]) -> str:
        """The role of a count followed by a people noun `(word, category)`, `_ASSUMED` for
        inhabitants no word places; `clauses` are the text before the count, the clause its
        bracket follows, and the clause after its noun."""
        word, category = noun
        before, clause_before, clause_after = clauses
        if category == "inhabitant" and not self.cues.volunteer_qualified(text, bounds[1]) \
                and self._heading_role(text, bounds[0], count.high) == "beneficiaries":
            return "beneficiaries"  # "Public :\n12 jeunes élus": the heading says who they are
        if category in ("professional", "volunteer") and self.cues.served(text, bounds[1]) \
                and self._heading_role(text, bounds[0], count.high) == "beneficiaries":
            return "beneficiaries"  # "Stagiaires : 12 animateurs formés": a training's public
        qualified = self.cues.qualified_role(text, bounds[1], category, clause_after,
                                             count.high)
        role = qualified \
            or self._noun_role(text, category, bounds, before, clause_before, clause_after)
        # A label naming a role by its word governs the count under it, and any noun read by
        # its vector on its line: "Bénévoles :\n3 jardiniers", "Encadrement : ..., 1 vendeuse".
        if category in ("professional", "volunteer", "beneficiary") and qualified is None \
                and not self.cues.volunteer_qualified(text, bounds[1]) \
                and (governing := self.governing_role(text, bounds[0]) or (
                    self.lexicon.classify(word) is None
                    and self.governing_role(text, bounds[0], False))):
            role = governing
        if role == "professionals" and role_stem(word) in self.lexicon.trainees:
            role = trainee_role(text, count, bounds[0], self.lexicon.cue(clause_after), found)
        return role

    def _noun(self, text: str, end: int, count: Count, next_start: int,
              listed: bool = False) -> tuple[str, int, str | None] | None:
        """`(word, head_end, category)` of the noun a count ending at `end` is about, with
        `("", end, None)` when none follows; None when it names something not counted.
        `listed`: the count closes a list of the actors on its line (`closes_actors`)."""
        word, word_start, head_end = self._head(text, end)
        category = self.lexicon.classify(word) if word else None
        if word and (compound := self._compound(text, word, word_start)) is not None:
            category, head_end = compound
        if word and category is None and word.lower() in STOP_WORDS:
            return "", end, None  # "(5 à 7 par an)", "2019 soit ...": no noun follows
        if word and category is None:
            category = self.lexicon.abbreviation(word)  # "2 anim, 1 dir", "4 bén."
        if word and category is None and role_stem(word) not in self.lexicon.skip:
            category = self.cues.unknown_noun(text, word, head_end, count.high,
                                              self._clause_after(text, head_end, next_start),
                                              listed)
        if word and category not in _COUNTED:
            return None
        return word, head_end, category

    def _noun_role(self, text: str, category: str | None, bounds: tuple[int, int], before: str,
                   clause_before: str | None, clause_after: str) -> str:
        """The role of a count followed by a people noun of `category`.

        Inhabitants are the public when a beneficiary cue follows or leads to them ("a touché
        230 habitants"), an age or an occasion follows; else the heading decides, or the field
        (`settle_inhabitants`). "personnes" take their role from a cue after them, from the
        clause their bracket follows, or from the heading they sit under, else they are the
        total. `bounds` are the count's start and its noun's end.
        """
        pos, head_end = bounds
        if category == "inhabitant":
            lead = _LEAD_RE.search(before)
            lead_text = lead.group() if lead else ""
            cue = self.lexicon.cue(clause_after) or self.lexicon.cue(lead_text)
            if cue == "beneficiary" or self.cues.aged(text, head_end) \
                    or self.cues.attending(text, head_end):
                return "beneficiaries"
            if self.cues.runs(lead_text) or self._line_label_runs(text, pos) \
                    or (clause_before and self.lexicon.cue(clause_before) == "volunteer"):
                return "volunteers"  # "le conseil citoyen, composé de 11 habitants"
            return self.section_role(text, pos, inhabitants=True) or _ASSUMED
        if category == "admission":
            return ADMISSIONS
        if category != "person":
            return role_of(category) or "total"
        if FTE_SHARED_RE.search(before):
            return "professionals"  # "2 ETP répartis entre 3 personnes"
        if self.cues.aged(text, head_end):
            return "beneficiaries"  # "soit 32 personnes de 62 à 89 ans"
        if _TOTAL_BEFORE_RE.search(before) or _TOTAL_AFTER_RE.match(clause_after):
            return "total"
        role = role_of(self.lexicon.cue(clause_after)) or self.cues.served(text, head_end)
        if role is None and clause_before:
            role = self._context_role(clause_before)
        # In a bracket, persons restate the clause before it ("les agents des services (3
        # personnes)"), and mobilised persons are the actors: never the public by default.
        unplaced = "total" if clause_before or self.cues.mobilised(text, head_end) else _UNPLACED
        return role or self._heading_role(text, pos) or self._line_label_role(text, pos) \
            or unplaced

    def _clause_after(self, text: str, pos: int, limit: int) -> str:
        window = text[pos:min(limit, pos + _AFTER_WINDOW)]
        cut = min((i for i in (window.find(c) for c in CLAUSE_END + "(") if i != -1),
                  default=len(window))
        return window[:cut]
