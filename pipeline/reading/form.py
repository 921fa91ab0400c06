"""The fiche form: its headings in export order, and a draft's lines per heading -> `Fiche`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.records import Fiche, Source, Structure

# The headings of a fiche in export order: (key, heading text). A key may repeat (the territory
# question is asked twice). Keys map to record fields, except the few handled by `_assign`.
HEADINGS: tuple[tuple[str, str], ...] = (
    ("structure", "Structure organisatrice"),
    ("attached_files", "Fichier(s) associé(s)"),
    ("status", "Statut de l'action"),
    ("status_reason", "Raisons pour lesquelles l'action est terminée"),
    ("dimension", "Dimension"),
    ("keywords", "Mots clés associés à l'action"),
    ("summary", "Résumé"),
    ("initiative", "Qui est à l'initiative de l'action ?"),
    ("initiative_detail", "Précision ( si autre )"),
    ("territory", "Territoire concerné"),
    ("experience",
     "Description de l'expérience, ses objectifs, ses acteurs et ses différentes phases."),
    ("public", "Public"),
    ("with_whom", "Avec qui cette action a-t-elle été menée ?"),
    ("action_partners", "Partenaires d'action:"),
    ("territory_again", "Territoire concerné"),
    ("description", "Description générale"),
    ("financial_resources", "Ressources financières mobilisées pour cette action"),
    ("people_mobilised", "Nombre de personnes mobilisés pour cette action"),
    ("result_territory", "Résultat sur le territoire"),
    ("result_centre", "Résultat pour le centre social"),
    ("result_inhabitants", "Résultat pour les habitants"),
    ("limits", "Suite de l'action : Limites"),
    ("perspectives", "Suite de l'action : Perspectives"),
)
# Headings the form shows only in some cases; their absence is not worth a warning.
OPTIONAL_HEADINGS = frozenset({"status_reason", "initiative_detail", "attached_files",
                               "with_whom", "action_partners", "territory_again"})
# The one heading the export writes without a bullet, even where the others have one.
UNBULLETED_HEADINGS = frozenset({"action_partners"})
LIST_KEYS = frozenset({"attached_files", "keywords", "initiative", "public", "action_partners",
                       "with_whom"})
SINGLE_KEYS = frozenset({"status", "dimension", "territory", "territory_again"})

SPACES_RE = re.compile(r"[\s\u00a0\u202f\u2007]+")
_BULLET = re.compile(r"^\s*[-\u2013\u2022]\s?")


@dataclass
class Draft:
    """A fiche being read: raw lines per heading key."""

    line: int
    title: str | None = None
    title_line: int = 0
    values: dict[str, list[str]] = field(default_factory=dict)
    seen: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    invalid: str | None = None  # why the fiche cannot be trusted (a line that did not decode)
    # Whether the fiche writes its headings as bullets ("- Public"), from its first heading:
    # then a line without the bullet ("Public :" opening a description) is text.
    bulleted: bool | None = None


def draft_to_fiche(draft: Draft, name: str, ordinal: int) -> Fiche:
    """Turn a draft into a Fiche, noting missing headings and truncation in warnings."""
    warnings = list(draft.warnings)
    values = draft.values
    last_seen = max(draft.seen) if draft.seen else -1
    missing_inside = [HEADINGS[p][1] for p in range(last_seen)
                      if p not in draft.seen and HEADINGS[p][0] not in OPTIONAL_HEADINGS]
    missing_after = [HEADINGS[p][1] for p in range(last_seen + 1, len(HEADINGS))
                     if HEADINGS[p][0] not in OPTIONAL_HEADINGS]
    for heading in missing_inside:
        warnings.append(f"missing heading: {heading}")
    if missing_after:
        warnings.append("truncated: missing headings: " + "; ".join(missing_after))

    single = {key: _single(values.get(key, [])) for key in SINGLE_KEYS}
    territory = single["territory"] or single["territory_again"]
    if (single["territory"] and single["territory_again"]
            and single["territory"] != single["territory_again"]):
        warnings.append(f"territory answered twice differently: {single['territory']!r} "
                        f"then {single['territory_again']!r}; kept the first")
    partners = _items(values.get("with_whom", [])) + _items(values.get("action_partners", []))
    return Fiche(
        source=Source(file=name, ordinal=ordinal, line=draft.title_line or draft.line),
        title=_clean_short(draft.title) if draft.title else None,
        structure=_structure(values.get("structure", [])),
        attached_files=_items(values.get("attached_files", [])),
        status=single["status"],
        status_reason=_text(values.get("status_reason", [])),
        dimension=single["dimension"],
        keywords=_items(values.get("keywords", [])),
        summary=_text(values.get("summary", [])),
        initiative=_items(values.get("initiative", [])),
        initiative_detail=_text(values.get("initiative_detail", [])),
        territory=territory,
        experience=_text(values.get("experience", [])),
        public=_items(values.get("public", [])),
        action_partners=partners,
        description=_text(values.get("description", [])),
        financial_resources=_text(values.get("financial_resources", [])),
        people_mobilised=_text(values.get("people_mobilised", [])),
        result_territory=_text(values.get("result_territory", [])),
        result_centre=_text(values.get("result_centre", [])),
        result_inhabitants=_text(values.get("result_inhabitants", [])),
        limits=_text(values.get("limits", [])),
        perspectives=_text(values.get("perspectives", [])),
        warnings=warnings,
    )


def _clean_short(text: str) -> str:
    return SPACES_RE.sub(" ", text).strip()


def _is_blank(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped in {"-", "\u2013", "\u2022"}


def _items(lines: list[str]) -> list[str]:
    """List values: one per line, bullet removed, blanks and lone dashes dropped."""
    return [_clean_short(_BULLET.sub("", line)) for line in lines if not _is_blank(line)]


def _single(lines: list[str]) -> str | None:
    items = _items(lines)
    return " ".join(items) if items else None


def _text(lines: list[str]) -> str | None:
    """Free text: line breaks and bullets kept, blank (or lone-dash) edges trimmed."""
    start, end = 0, len(lines)
    while start < end and _is_blank(lines[start]):
        start += 1
    while end > start and _is_blank(lines[end - 1]):
        end -= 1
    if start == end:
        return None
    return "\n".join(line.rstrip() for line in lines[start:end])


def _structure(lines: list[str]) -> Structure:
    """"NAME - Département", split on the last " - " (names may contain " - " themselves)."""
    value = _single(lines)
    if not value:
        return Structure()
    name, sep, dept = value.rpartition(" - ")
    if not sep:
        return Structure(name=value, departement=None)
    return Structure(name=name.strip() or None, departement=dept.strip() or None)
