"""How a count relates to the others: a bracket that breaks one down, persons that restate
households, inhabitants listed among the actors."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from pipeline.extraction.count_fte import is_fte
from pipeline.extraction.count_labels import BULLETS, LOOKBACK, Mention, after_actors
from pipeline.extraction.numbers import APPROX_PREFIX_RE, NUMBER_WORDS_RE, Count, parse_whole
from pipeline.extraction.role_lexicon import WORD_RE, role_stem

# "2 animateurs x 3 sites": as many people per unit named.
_TIMES_RE = re.compile(
    rf"[ \u00a0]{{0,3}}[x×*][ \u00a0]{{0,3}}(?P<number>\d{{1,2}}(?!\d)|{NUMBER_WORDS_RE.pattern})"
    r"[ \u00a0]{1,3}(?P<unit>[^\W\d_]{2,30})",
    re.IGNORECASE,
)
_TIMES_WINDOW = 80
# What joins "autant de jeunes" to the count before it: "une dizaine de X et autant de Y".
_AS_MANY_GAP_RE = re.compile(r"[^\n.;:()\d]{0,40}?(?:,|\bet|\+)[ \u00a0]{0,3}", re.IGNORECASE)
# A part named inside the count before it: "dont 4 enseignants", "y compris les 3 élus".
_DONT_BEFORE_RE = re.compile(
    r"\b(?:dont|y[ \u00a0]compris|parmi[ \u00a0]lesquel(?:le)?s)[ \u00a0]+"
    r"(?:(?:les|leurs|nos|ses|ces)[ \u00a0]+)?(?:environ[ \u00a0]+)?$",
    re.IGNORECASE)
# The next item of a part list: "Inscrits : 40 dont 25 adultes et 15 enfants".
# Only "et" joins it: after a comma comes a new item ("6 bénévoles dont 2 retraités, 48 ...").
_DONT_LIST_BEFORE_RE = re.compile(
    r"\bdont[ \u00a0]+(?:environ[ \u00a0]+)?(?P<first>\d{1,4})[ \u00a0]+[^\W\d_]{2,30}"
    r"(?:[ \u00a0]+[^\W\d_]{2,30}){0,3}[ \u00a0]+et[ \u00a0]{1,3}$", re.IGNORECASE)
# Between two items of a list of counts on a line, after the first one's complement: "12
# bénévoles, 45 ...", "15 femmes du quartier pour la cuisine, 150 ...", "2 animateurs et 30
# ...", "3 salariés 12 bénévoles" (cells); a field written as a list of lines is a list too
# when the count's line holds only its noun ("30 bénévoles\n220 convives").
_LIST_GAP_RE = re.compile(r"(?:[^\n\d.;:()]{0,50}?(?:[,;+/]|\bet\b)|[ \u00a0]{1,3})[ \u00a0]{0,3}",
                          re.IGNORECASE)
_LINES_GAP_RE = re.compile(r"[^\n]{0,120}?\n[ \u00a0\t\-–•*]{0,6}")
# A line that holds only a count's noun after the count: an item of a list of lines.
_BARE_ITEM_RE = re.compile(
    r"[ \u00a0]{0,3}(?:de[ \u00a0]+|d['’])?[^\W\d_]{2,30}[ \u00a0.]*(?:\n|$)")
# The provisional role of a count of admissions ("110 entrées", "80 billets").
ADMISSIONS = "admissions"
# What opens a new list item ("2 animatrices, + les membres du CA (7)").
_ITEM_MARK_RE = re.compile(r"[,+/]|\bet\b", re.IGNORECASE)
_CLAUSE_END = ".;\n"
# What leads from a count of people to a count that leaves their noun out: "1 salarié à temps
# plein, 2 à temps partiel".
_ELIDED_GAP_RE = re.compile(r"[^\n.;:()\d]{0,40}?(?:,|\+|\bet)[ \u00a0]{0,3}", re.IGNORECASE)
_ELIDED_AFTER_RE = re.compile(
    r"[ \u00a0]{0,3}(?:$|[\n,.;)+]|(?:à|a|en|de|pour|sur|au|aux)(?![^\W\d_]))", re.IGNORECASE)
_YEAR_LIKE = range(1900, 2101)
# A team takes a few trainees at once; more, alone, are the public of a training.
_TEAM_TRAINEES = 5
# What joins a count of households to the same people counted in persons: "14 familles soit
# 52 personnes", "85 foyers, soit 210 personnes", "10 familles (34 personnes)".
# A line may break before the restating word only: "- 18 foyers\n- soit 52 personnes".
_RESTATED_GAP_RE = re.compile(
    # the public's own qualifiers before "soit": "310 foyers bénéficiaires soit 870 personnes"
    r"(?:(?:[ \u00a0]{1,3}[^\W\d_]{3,20}){1,2}(?=[ \u00a0]{0,3}[,(]?[ \u00a0]{0,3}"
    r"(?:soit|c['’]est-[àa]-dire)(?![\w])))?"
    r"[ \u00a0]{0,3}[,(:]?[ \u00a0]{0,3}(?:(?:\n[ \u00a0\t\-–•*]{0,6})?"
    r"(?:soit|c['’]est-[àa]-dire|repr[ée]sentant)[ \u00a0:]{0,3})?", re.IGNORECASE)
# What joins a count to the staff or volunteers counted just before it on its line: "7
# professionnels et 9 habitants", "9 bénévoles du Secours populaire et 6 habitantes".
_JOINED_RE = re.compile(r"[^\n.;:/(),]{0,40}?(?:\+|\bet|\bainsi[ \u00a0]que)[ \u00a0]{0,3}",
                        re.IGNORECASE)


# Between the items of a list of persons on one line: "14 familles, 16 parents et 19 ados".
_PERSONS_GAP_RE = re.compile(r"[^\n\d.;:()]{0,40}?(?:,|\+|\bet)[ \u00a0]{0,3}", re.IGNORECASE)
# A subject pronoun and a verb of being before a count: "on est 4-5", "nous étions une
# dizaine", "elles sont 6": the count is of the people named before the pronoun.
_PRONOUN_BEFORE_RE = re.compile(
    r"(?<![^\W\d_])(?:on[ \u00a0]+(?:est|était|etait|sera)|nous[ \u00a0]+(?:sommes|étions|etions)"
    r"|(?:ils|elles)[ \u00a0]+(?:sont|étaient|etaient))[ \u00a0]+"
    r"(?:(?:environ|à[ \u00a0]+peu[ \u00a0]+près|a[ \u00a0]+peu[ \u00a0]+pres)[ \u00a0]+)?$",
    re.IGNORECASE)


def mention_start(mention: Mention) -> int:
    """The sort key of mentions in text order."""
    return mention.start


def merge_matches(first: list[re.Match[str]],
                  second: Iterable[re.Match[str]]) -> list[re.Match[str]]:
    """`first` and the matches of `second` that overlap none of it, in text order."""
    merged: list[re.Match[str]] = []
    i = 0
    for match in second:
        while i < len(first) and first[i].end() <= match.start():
            merged.append(first[i])
            i += 1
        if i < len(first) and first[i].start() < match.end():
            continue
        merged.append(match)
    merged.extend(first[i:])
    return merged


def multiplied(text: str, count: Count, head_end: int,
               per_units: set[str]) -> tuple[Count, int]:
    """`count` times the units of "x 3 sites" after its noun (ending at `head_end`), and where
    that ends; else unchanged. Only distinct units (`per_units`) multiply people: "3 bénévoles x
    4 séances" are the same three."""
    times = _TIMES_RE.match(text, head_end, min(len(text), head_end + _TIMES_WINDOW))
    if times is None or role_stem(times.group("unit")) not in per_units:
        return count, head_end
    factor = parse_whole(times.group("number"))
    if not factor:
        return count, head_end
    return Count(count.low * factor, count.high * factor, count.approximate), times.end()


def joined_to_previous(text: str, previous: Mention, pos: int) -> bool:
    """Whether a count at `pos` is joined to the mention before it by a list mark on its line
    ("une dizaine de grands-parents et autant d'enfants")."""
    return _AS_MANY_GAP_RE.fullmatch(text, previous.end, pos) is not None


def part_of_previous(text: str, before: str, match: re.Match[str],
                     role: tuple[str | None, bool], found: list[Mention]) -> bool:
    """True when the count `match` is a part ("dont 14 enfants") of the count just before it,
    so adds nobody; the part of a bare total says who that total is. `role` is the count's
    role and whether it was chosen for lack of a cue; `before` the text before the count."""
    if not (found and _continues(text[found[-1].end:match.start()])):
        return False
    listed = _DONT_LIST_BEFORE_RE.search(before)
    if not _DONT_BEFORE_RE.search(before) and (listed is None or int(listed.group("first"))
                                               + (parse_whole(match.group()) or 0)
                                               > found[-1].count.high):
        return False  # a second part only while the parts fit in the whole
    if found[-1].role != "total":
        return True
    name, assumed = role
    if name == "beneficiaries" or (assumed and name == "volunteers"):
        # "25 personnes dont 14 enfants": the part says who the whole is, and is in it.
        found[-1] = replace(found[-1], role="beneficiaries")
        return True
    return False


def _continues(gap: str) -> bool:
    """Whether the text between two counts keeps them in one statement: no sentence end, and a
    line break only before a line that opens with "dont" ("22 parents\ndont 8 papas")."""
    if "." in gap or ";" in gap:
        return False
    return "\n" not in gap or gap.rsplit("\n", 1)[1].strip(BULLETS).lower().startswith("dont")


def closes_actors(text: str, span: tuple[int, int, int], count: Count,
                  found: list[Mention]) -> bool:
    """Whether a count closes a list of the action's actors as its public: it is the line's
    last count (`span`: its start, its end and the next count's start), by the dozen, and
    follows staff or volunteers with no public counted yet ("2 salariés, 10 bénévoles, 60
    convives"), on its line or on the line before when its own holds only its noun."""
    start, end, next_start = span
    line_end = text.find("\n", start)
    if not after_actors(count, found) or next_start < (line_end if line_end != -1 else len(text)):
        return False
    return _LIST_GAP_RE.fullmatch(text, found[-1].end, start) is not None or (
        _LINES_GAP_RE.fullmatch(text, found[-1].end, start) is not None
        and _BARE_ITEM_RE.match(text, end) is not None)


def restated(text: str, match: re.Match[str], count: Count,
             found: list[Mention]) -> Mention | None:
    """The mention that replaces the count of the public just before a count of persons that
    restates it ("14 familles soit 52 personnes", "Foyers : 134 (soit 371 personnes)"), with the
    persons' count; None when the persons are no restatement."""
    if not found or found[-1].role != "beneficiaries" or found[-1].end > match.start():
        return None
    previous = found[-1]
    gap_end = match.start()
    if prefix := APPROX_PREFIX_RE.search(text, max(previous.end, gap_end - 40), gap_end):
        gap_end, count = prefix.start(), Count(count.low, count.high, True)
    gap = _RESTATED_GAP_RE.match(text, previous.end, gap_end)
    if gap is None or gap.end() != gap_end or count.low < previous.count.high:
        return None
    return replace(previous, count=count, restates=True)


def settle_inhabitants(text: str, found: list[Mention], actors: bool) -> list[Mention]:
    """Inhabitants no word placed take part in the action (beneficiaries), except in a list
    of the actors, where they help run it (volunteers): a field that counts organisations
    too, or no one else, or a count joined to staff or volunteers ("7 professionnels et 9
    habitants")."""
    actors = actors or not any(not m.assumed and m.role != "total" for m in found)
    settled = []
    for i, mention in enumerate(found):
        if mention.assumed and mention.role == "volunteers":
            joined = (i > 0 and _joined(text, found[i - 1], found[i - 1], mention)) or (
                i + 1 < len(found) and _joined(text, found[i + 1], mention, found[i + 1]))
            role = "volunteers" if actors or joined else "beneficiaries"
            mention = replace(mention, role=role, assumed=False)
        settled.append(mention)
    return settled


def settle_persons(found: list[Mention]) -> list[Mention]:
    """"personnes" no word placed are the public when staff or volunteers were counted before
    them in other items and they are not those people's sum ("3 salariés, 12 bénévoles\n400
    personnes présentes"); else their total ("5 salariés et 20 bénévoles, 25 personnes")."""
    settled: list[Mention] = []
    for mention in found:
        if mention.assumed and mention.role == "total":
            actors = [m for m in settled if m.role in ("professionals", "volunteers")]
            public = bool(actors) and mention.count.high != sum(m.count.high for m in actors)
            mention = replace(mention, role="beneficiaries" if public else "total",
                              assumed=False)
        settled.append(mention)
    return settled


def settle_occasions(text: str, found: list[Mention],
                     per_occasion: Callable[[str, str], bool]) -> list[Mention]:
    """Counts of the public per occasion ("9 enfants par séance", "12 en moyenne") are left out
    when the field also counts the public over the whole action ("64 familles sur l'année");
    alone, they are the count. `per_occasion(before, after)` reads the words of a count's
    clause before and after it."""
    public = [i for i, m in enumerate(found) if m.role == "beneficiaries"]
    if len(public) < 2:
        return found
    flags: dict[int, bool] = {}
    for i in public:
        mention = found[i]
        floor = max(found[i - 1].end if i else 0, _clause_mark_before(text, mention.start))
        ceiling = min(found[i + 1].start if i + 1 < len(found) else len(text),
                      _clause_mark_after(text, mention.end))
        flags[i] = per_occasion(text[floor:mention.start], text[mention.end:ceiling])
    for i in reversed(public):  # "9 enfants et 7 mamans par séance": one occasion for both
        if not flags[i] and flags.get(i + 1) \
                and _JOINED_RE.fullmatch(text, found[i].end, found[i + 1].start) is not None:
            flags[i] = True
    if all(flags.values()):
        return found
    return [m for i, m in enumerate(found) if not flags.get(i)]


def _clause_mark_before(text: str, pos: int) -> int:
    floor = max(0, pos - LOOKBACK)
    return max(text.rfind(c, floor, pos) for c in ",;.\n") + 1 or floor


def _clause_mark_after(text: str, pos: int) -> int:
    ends = [i for i in (text.find(c, pos, pos + LOOKBACK) for c in ",;.\n") if i != -1]
    return min(ends, default=min(len(text), pos + LOOKBACK))


def settle_admissions(found: list[Mention]) -> list[Mention]:
    """Admissions count the public only when the field counts no people of the public: "110
    entrées" alone is 110 people, "400 entrées, 150 enfants différents" 150."""
    people = any(m.role == "beneficiaries" for m in found)
    return [m if m.role != ADMISSIONS else replace(m, role="beneficiaries")
            for m in found if m.role != ADMISSIONS or not people]


def _joined(text: str, other: Mention, first: Mention, second: Mention) -> bool:
    """Whether `other` (one of `first`, `second`) is staff or volunteers joined to the other
    count by "et" or "+" on its line."""
    return not other.assumed and other.role in ("professionals", "volunteers") \
        and _JOINED_RE.fullmatch(text, first.end, second.start) is not None


def trainee_role(text: str, count: Count, start: int, cue: str | None,
                 found: list[Mention]) -> str:
    """Trainees ("stagiaires") counted at `start` are staff in a team (a few, or beside staff
    on their line), the public of a training when many stand alone or a public `cue` follows."""
    if cue == "beneficiary":
        return "beneficiaries"
    line_start = text.rfind("\n", max(0, start - LOOKBACK), start) + 1
    beside_staff = bool(found) and found[-1].role == "professionals" \
        and found[-1].start >= line_start
    return "professionals" if count.high <= _TEAM_TRAINEES or beside_staff else "beneficiaries"


def parenthetical(text: str, pos: int,
                  found: list[Mention]) -> tuple[bool, str | None]:
    """Whether `pos` is inside "( ... )" on its line, and the clause before the bracket.

    The clause is None when it holds a count already read: the bracket then only breaks
    that count down ("3 coordinateurs (1 par centre ...)").
    """
    floor = max(0, pos - LOOKBACK)
    line_start = text.rfind("\n", floor, pos) + 1 or floor
    opening = text.rfind("(", line_start, pos)
    if opening == -1 or text.find(")", opening, pos) != -1:
        return False, ""
    clause_start = _clause_start(text, opening)
    for earlier in reversed(found):
        if earlier.start < clause_start:
            break
        if earlier.end <= opening:
            # A new list item after the count owns the bracket ("2 animatrices, + les
            # membres du CA (7)").
            item = _last_item(text, earlier.end, opening)
            if item is not None:
                return True, item
            # A breakdown of a count with a role is no new count; one of a total or an FTE
            # gives the people ("10 personnes (4 salariés et 6 bénévoles)", "2 ETP (une
            # coordinatrice, deux animatrices)").
            broken_down = earlier.role == "total" or is_fte(text, earlier)
            return True, text[clause_start:opening] if broken_down else None
    return True, _last_item(text, clause_start, opening) or text[clause_start:opening]


def _last_item(text: str, start: int, end: int) -> str | None:
    """The last list item of `text[start:end]` after a list mark ("+", ",", "et"), if it has
    words; else None."""
    items = list(_ITEM_MARK_RE.finditer(text, start, end))
    if items and WORD_RE.search(text, items[-1].end(), end):
        return text[items[-1].end():end]
    return None


def _clause_start(text: str, pos: int) -> int:
    floor = max(0, pos - LOOKBACK)
    return max(text.rfind(c, floor, pos) for c in _CLAUSE_END) + 1 or floor


def elided_role(text: str, match: re.Match[str], count: Count,
                found: list[Mention]) -> str | None:
    """The role of a count with no noun, listed right after a count of people on its line,
    whose noun it leaves out: "1 salarié à temps plein, 2 à temps partiel"; else None. A count
    followed by a verb is a part, not more people ("11 inscrites, 9 ont obtenu")."""
    pos = match.start()
    if not found or found[-1].role not in ("professionals", "volunteers", "beneficiaries") \
            or found[-1].end > pos or count.low in _YEAR_LIKE \
            or not _ELIDED_AFTER_RE.match(text, match.end()):
        return None
    joined = _ELIDED_GAP_RE.fullmatch(text, found[-1].end, pos)
    return found[-1].role if joined is not None else None


def pronoun_clause(text: str, pos: int) -> str | None:
    """The words before a subject pronoun that a count at `pos` counts ("des parents
    bénévoles, on est 4-5 à tourner": "des parents bénévoles, "); None when no pronoun and
    verb of being lead to the count."""
    pronoun = _PRONOUN_BEFORE_RE.search(text, max(0, pos - LOOKBACK), pos)
    if pronoun is None:
        return None
    return text[_clause_start(text, pronoun.start()):pronoun.start()]


def whole_clause(text: str, pos: int) -> str:
    """The whole clause before the bracket that `pos` is in, past any list mark in it."""
    opening = text.rfind("(", max(0, pos - LOOKBACK), pos)
    return text[_clause_start(text, opening):opening] if opening != -1 else ""


def settle_households(text: str, found: list[Mention], households: set[str]) -> list[Mention]:
    """Households broken down into the persons listed right after them on their line are
    counted in persons, once: "14 familles, 16 parents et 19 adolescents" are 35 people. One
    count of persons after them may be other people ("20 familles et 12 jeunes"), and so are
    fewer persons than households ("12 familles, 4 pères et 6 personnes isolées")."""
    dropped: set[int] = set()
    for i, mention in enumerate(found):
        if mention.role != "beneficiaries" or mention.head not in households:
            continue
        persons, items, end = 0, 0, mention.end
        for later in found[i + 1:]:
            if later.role != "beneficiaries" or later.head in households \
                    or _PERSONS_GAP_RE.fullmatch(text, end, later.start) is None:
                break
            persons, items, end = persons + later.count.high, items + 1, later.end
        if items >= 2 and persons >= mention.count.high:
            dropped.add(i)
    return [m for i, m in enumerate(found) if i not in dropped]

