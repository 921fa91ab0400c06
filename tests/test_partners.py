"""Partners: invented sentences per rule of shared/gold/README.md (partner, not a partner, unknown
kind), run through the whole pipeline in one batch."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from pipeline.extraction.extract import extract_all
from pipeline.records import Fiche, Source, Structure

CENTRE = "CENTRE SOCIAL DES TILLEULS"

# (rule, structure name, description, budget field, "Partenaires d'action" items, types)
CASES: list[tuple[str, str, str, str | None, list[str], set[str]]] = [
    # Partners, from the gazetteer's families.
    ("co-organise", CENTRE, "Le projet est mené en partenariat avec la médiathèque et le "
     "collège Jean Moulin.", None, [], {"Culture et sport", "Éducation nationale"}),
    ("refers people", CENTRE, "La Mission locale oriente les jeunes vers l'atelier.", None, [],
     {"Emploi et insertion"}),
    ("lends premises", CENTRE, "Les ateliers ont lieu dans une salle prêtée par la mairie.",
     None, [], {"Commune"}),
    ("runs a workshop", CENTRE, "Une infirmière du centre hospitalier anime chaque séance.",
     None, [], {"Santé"}),
    ("gives goods", CENTRE, "Le Secours populaire et les commerçants du marché ont fourni les "
     "denrées.", None, [], {"Association", "Entreprise"}),
    ("hosts", CENTRE, "L'EHPAD voisin accueille les enfants une fois par mois.", None, [],
     {"Autre"}),
    ("funds", CENTRE, "Le goûter rassemble les familles.",
     "CAF : 2 000 €\nDépartement : 1 000 €\nTotal : 3 000 €", [], {"CAF", "Département"}),
    ("form's list", CENTRE, "", None, ["Caf", "Préfecture", "Éducation Nationale", "ACSE"],
     {"CAF", "État", "Éducation nationale", "CGET"}),
    ("other centre", CENTRE, "La sortie est préparée avec les deux autres centres sociaux du "
     "secteur.", None, [], {"Association"}),
    ("funding table", CENTRE, "Le goûter rassemble les familles.",
     "Département 1 200\nCommune 800", [], {"Département", "Commune"}),
    ("towns lend rooms", CENTRE, "Les communes mettent à disposition leur salle des fêtes.",
     None, [], {"Commune"}),
    ("sports club initials", CENTRE, "Un entraînement est animé par l'US Marville.", None, [],
     {"Culture et sport"}),
    ("a ligue", CENTRE, "La balade est préparée en partenariat avec la Ligue de protection "
     "des oiseaux.", None, [], {"Association"}),
    # Not partners.
    ("the structure itself", "ASSOCIATION LES PLATANES - Gard",
     "L'association Les Platanes organise la fête du printemps.", None, [], set()),
    ("spaced initials", "C S F LES GLYCINES", "La CSF prépare la fête avec les familles.",
     None, [], set()),
    ("the action's own name", CENTRE, "Les Rencontres du Jardin Partagé réunissent les "
     "habitants avec le soutien des voisins.", None, [], set()),
    ("equipment lent", CENTRE, "Réservation des barnums de la ville pour la fête.", None, [],
     {"Commune"}),
    ("its own centre", CENTRE, "Le centre social a organisé la sortie avec son équipe.", None,
     [], set()),
    ("people", CENTRE, "Les habitants, les parents et les bénévoles ont préparé le repas.",
     None, [], set()),
    ("statistics source", CENTRE, "Selon les données de la CAF, 40 % des familles du quartier "
     "sont monoparentales.", None, [], set()),
    ("negated", CENTRE, "La mairie n'a pas souhaité soutenir le projet cette année.", None, [],
     set()),
    ("absent", CENTRE, "Pas de médiathèque à moins de 30 km pour les familles.", None, [],
     set()),
    ("courted", CENTRE, "Il faudra convaincre la Région de rejoindre le projet.", None, [],
     set()),
    ("hired supplier", CENTRE, "Location d'un car auprès d'une entreprise de transport pour la "
     "journée.", None, [], set()),
    ("place visited", CENTRE, "Sortie au musée des Confluences avec douze familles.", None, [],
     set()),
    ("outings listed", CENTRE, "Trois sorties cette année : le cinéma du centre-ville, le zoo "
     "et la plage.", None, [], set()),
    ("town as a place", CENTRE, "Les habitants de la commune sont venus nombreux.", None, [],
     set()),
    ("activity", CENTRE, "Un atelier théâtre a lieu chaque mercredi.", None, [], set()),
    ("school as a time", CENTRE, "Le goûter est servi après l'école.", None, [], set()),
    ("school as a stage", CENTRE, "Les enfants sont rassurés avant leur entrée au collège.",
     None, [], set()),
    ("place gone to", CENTRE, "Les jeunes vont désormais seuls à la piscine.", None, [], set()),
    ("negated, two words", CENTRE, "Nous avions invité la gendarmerie, elle n'y est pas venue.",
     None, [], set()),
    ("generic bodies", CENTRE, "Le projet est mené en lien avec les institutions et les "
     "structures du territoire.", None, [], set()),
    # Unknown kinds: no list names them; head noun and word vectors decide.
    ("unknown: ludothèque", CENTRE, "L'animation est menée en partenariat avec la ludothèque "
     "municipale.", None, [], {"Culture et sport"}),
    ("unknown: club", CENTRE, "Le tournoi est organisé en lien avec le club de pétanque.", None,
     [], {"Culture et sport"}),
    ("unknown: shop", CENTRE, "La fête a lieu avec le soutien de la quincaillerie du bourg.",
     None, [], {"Entreprise"}),
    ("unknown: clinic", CENTRE, "Les bilans sont faits en partenariat avec le dispensaire.",
     None, [], {"Santé"}),
    ("unknown: giver", CENTRE, "La fromagerie a offert le plateau du goûter.", None, [],
     {"Entreprise"}),
    ("unknown list item", CENTRE, "", None, ["Autre"], {"Autre"}),
]


def _title(rule: str) -> str:
    """The rule as the fiche title, or for the own-name case the action's name in the text."""
    return "Rencontres du Jardin Partagé" if rule == "the action's own name" else rule


@pytest.fixture(scope="module")
def results(full_nlp: Language) -> list[dict[str, Any]]:
    fiches = [Fiche(source=Source("t.txt", i, i + 1), title=_title(rule),
                    structure=Structure(name=name.rsplit(" - ", 1)[0]),
                    description=text or None, financial_resources=budget,
                    action_partners=items)
              for i, (rule, name, text, budget, items, _) in enumerate(CASES)]
    return [extraction for _, extraction in extract_all(fiches, full_nlp)]


@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(CASES)), ids=[c[0] for c in CASES])
def test_partner_types_per_rule(results: list[dict[str, Any]], index: int) -> None:
    types = {p["type"] for p in results[index]["partners"]}
    assert types == CASES[index][-1], results[index]["partners"]


@pytest.mark.slow
def test_partners_point_at_their_evidence(results: list[dict[str, Any]]) -> None:
    for (_, _, text, budget, items, _), result in zip(CASES, results, strict=True):
        fields = {"description": text, "financial_resources": budget or ""}
        for partner in result["partners"]:
            assert set(partner) == {"type", "name", "field", "start", "end"}
            if partner["field"].startswith("action_partners["):
                item = items[int(partner["field"][16:-1])]
                assert item[partner["start"]:partner["end"]] == partner["name"]
            else:
                assert fields[partner["field"]][partner["start"]:partner["end"]] == \
                    partner["name"]


@pytest.mark.slow
def test_partners_are_one_per_type_and_name(results: list[dict[str, Any]]) -> None:
    for result in results:
        keys = [(p["type"], p["name"].lower()) for p in result["partners"]]
        assert len(keys) == len(set(keys))


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "avec la mairie en lien avec les associations " * 4_000,  # one clause, many mentions
    "La " + "épicerie " * 20_000 + "a offert",
    "en partenariat avec " + ", ".join(["le club"] * 20_000),
])
def test_hostile_fields_are_read_in_bounded_time(full_nlp: Language, text: str) -> None:
    from pipeline.extraction.partners import PartnerReader

    ruler = full_nlp.get_pipe("fiches_organisations")
    reader = PartnerReader(ruler)  # type: ignore[arg-type]
    doc = ruler(full_nlp.make_doc(text))
    fiche = Fiche(source=Source("t.txt", 0, 1), title="Hostile", limits=text)
    started = time.perf_counter()
    partners = reader.read({"limits": doc}, fiche, [])
    assert time.perf_counter() - started < 60
    assert len(partners) <= 3


def test_a_missing_or_malformed_partner_config_stops_the_run(tmp_path: Path) -> None:
    from pipeline.config import CONFIG_DIR, ConfigError
    from pipeline.running.batch import run
    from pipeline.running.stages import Settings

    for name in ("missing", "malformed"):
        folder = tmp_path / name
        shutil.copytree(CONFIG_DIR, folder)
        if name == "missing":
            (folder / "partners.json").unlink()
        else:
            (folder / "partners.json").write_text('{"types": {}}', encoding="utf-8")
        with pytest.raises(ConfigError, match="partners.json"):
            run([str(tmp_path / "none.txt")], str(tmp_path / "out.jsonl"),
                Settings(config_dir=folder, model=None))
