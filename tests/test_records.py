"""Property tests: export text -> records -> JSONL -> records is lossless and stable."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.reading.parse import ReadStats, read_string
from pipeline.records import Fiche, RecordError, Source

# Words with French letters and punctuation people type; no line is "-" alone or a heading.
WORD = st.text(alphabet=st.sampled_from("abcdeéèêàçôûïAZÉ0123456789'’,.;:€%()/&"),
               min_size=1, max_size=12)
LINE = st.lists(WORD, min_size=1, max_size=8).map(" ".join).map(lambda s: "x" + s)
TEXT = st.one_of(st.none(), st.lists(LINE, min_size=1, max_size=4).map("\n".join))
ITEMS = st.lists(LINE, max_size=4)
SHORT = st.one_of(st.none(), LINE)


@st.composite
def fiches(draw):
    return {
        "title": draw(LINE),
        "structure": draw(st.tuples(LINE, LINE)),
        "status": draw(SHORT),
        "dimension": draw(SHORT),
        "keywords": draw(ITEMS),
        "summary": draw(TEXT),
        "initiative": draw(ITEMS),
        "territory": draw(SHORT),
        "public": draw(ITEMS),
        "description": draw(TEXT),
        "financial_resources": draw(TEXT),
        "people_mobilised": draw(TEXT),
        "perspectives": draw(TEXT),
    }


def render(f: dict) -> str:
    """The export form of generated content."""

    def items(values):
        return "-\n" + "".join(f"- {v}\n" for v in values)

    def one(value):
        return f"- {value}\n" if value else ""

    def text(value):
        return f"{value}\n" if value else ""

    name, dept = f["structure"]
    return (
        f"Actions\n{f['title']}\n- Structure organisatrice\n- {name} - {dept}\n"
        f"- Fichier(s) associé(s)\n- Statut de l'action\n{one(f['status'])}"
        f"- Dimension\n{one(f['dimension'])}- Mots clés associés à l'action\n{items(f['keywords'])}"
        f"- Résumé\n{text(f['summary'])}- Qui est à l'initiative de l'action ?\n"
        f"{items(f['initiative'])}- Territoire concerné\n{one(f['territory'])}"
        "- Description de l'expérience, ses objectifs, ses acteurs et ses différentes phases.\n"
        f"- Public\n{items(f['public'])}- Avec qui cette action a-t-elle été menée ?\n-\n"
        f"Partenaires d'action:\n- Territoire concerné\n{one(f['territory'])}"
        f"- Description générale\n{text(f['description'])}"
        f"- Ressources financières mobilisées pour cette action\n{text(f['financial_resources'])}"
        f"- Nombre de personnes mobilisés pour cette action\n{text(f['people_mobilised'])}"
        "- Résultat sur le territoire\n- Résultat pour le centre social\n"
        "- Résultat pour les habitants\n- Suite de l'action : Limites\n"
        f"- Suite de l'action : Perspectives\n{text(f['perspectives'])}"
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(fiches(), min_size=1, max_size=3))
def test_parse_write_parse_is_identical(generated):
    export = "Les actions des centres sociaux\n" + "".join(render(f) for f in generated)
    stats = ReadStats()
    parsed = read_string(export, stats=stats)
    assert len(parsed) == len(generated) and not stats.rejected
    for fiche, f in zip(parsed, generated, strict=True):
        assert fiche.title == f["title"]
        assert (fiche.structure.name, fiche.structure.departement) == f["structure"]
        for key in ("status", "dimension", "territory", "summary", "description",
                    "financial_resources", "people_mobilised", "perspectives"):
            assert getattr(fiche, key) == f[key], key
        assert fiche.keywords == f["keywords"] and fiche.public == f["public"]
        assert fiche.warnings == []
    jsonl = "\n".join(json.dumps(f.to_dict(), ensure_ascii=False) for f in parsed)
    again = read_string(jsonl)
    assert again == parsed
    assert [f.to_dict() for f in again] == [f.to_dict() for f in parsed]


def test_from_dict_rejects_wrong_types():
    good = Fiche(source=Source("a.txt", 0, 3), title="T").to_dict()
    assert Fiche.from_dict(good).title == "T"
    for broken, message in [
        ({**good, "keywords": "Santé"}, "expected a list"),
        ({**good, "source": {"file": "a.txt", "ordinal": "0", "line": 3}}, "expected an integer"),
        ({**good, "title": 3}, "expected a string"),
        ([good], "expected a JSON object"),
    ]:
        try:
            Fiche.from_dict(broken)
        except RecordError as exc:
            assert message in str(exc)
        else:
            raise AssertionError(f"accepted {broken!r}")


def test_json_schema_lists_exactly_the_record_fields():
    from importlib.resources import files

    schema = json.loads(files("pipeline").joinpath("fiche.schema.json").read_text("utf-8"))
    record = Fiche(source=Source("a.txt", 0, 3)).to_dict()
    assert list(schema["properties"]) == list(record)
    assert set(schema["required"]) == set(record)
