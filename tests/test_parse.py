"""Tests for the catalogue reader: the export format, its messy variants, and JSONL records."""

from __future__ import annotations

import io
import json

import pytest

from pipeline.reading.parse import HEADINGS, InputError, ReadStats, read_fiches, read_string


def fiche_text(title: str = "Jardin partagé",
               structure: str = "CENTRE SOCIAL LES TILLEULS - Oise", budget: str = "3 000 €",
               people: str = "2 salariés", keywords: str = "- Environnement",
               headings: int | None = None) -> str:
    """A fiche in export form; `headings` cuts it after that many headings (a truncated export)."""
    body = [
        ("- Structure organisatrice", f"- {structure}"),
        ("- Fichier(s) associé(s)", ""),
        ("- Statut de l'action", "- En cours"),
        ("- Dimension", "- Services"),
        ("- Mots clés associés à l'action", f"-\n{keywords}"),
        ("- Résumé", "Un jardin cultivé par les habitants.\n- arrosage\n- récolte"),
        ("- Qui est à l'initiative de l'action ?", "-\n- Un groupe d'habitants"),
        ("- Territoire concerné", "- Un quartier"),
        ("- Description de l'expérience, ses objectifs, ses acteurs et ses différentes phases.",
         "Créer du lien."),
        ("- Public", "- Tous publics\n- familles"),
        ("- Avec qui cette action a-t-elle été menée ?", "-"),
        ("Partenaires d'action:", "- Bailleur social"),
        ("- Territoire concerné", "- Un quartier"),
        ("- Description générale", "Début en mars 2019."),
        ("- Ressources financières mobilisées pour cette action", budget),
        ("- Nombre de personnes mobilisés pour cette action", people),
        ("- Résultat sur le territoire", "Un quartier plus vert."),
        ("- Résultat pour le centre social", ""),
        ("- Résultat pour les habitants", "-"),
        ("- Suite de l'action : Limites", "La météo."),
        ("- Suite de l'action : Perspectives", "Un second jardin."),
    ]
    if headings is not None:
        body = body[:headings]
    lines = ["Actions", title]
    for heading, value in body:
        lines.append(heading)
        if value:
            lines.append(value)
    return "\n".join(lines) + "\n"


def export(*fiches: str, header: bool = True) -> str:
    return ("Les actions des centres sociaux\n" if header else "") + "".join(fiches)


def test_reads_every_field():
    [fiche] = read_string(export(fiche_text()))
    assert fiche.title == "Jardin partagé"
    assert fiche.structure.name == "CENTRE SOCIAL LES TILLEULS"
    assert fiche.structure.departement == "Oise"
    assert fiche.status == "En cours"
    assert fiche.dimension == "Services"
    assert fiche.keywords == ["Environnement"]
    assert fiche.summary == "Un jardin cultivé par les habitants.\n- arrosage\n- récolte"
    assert fiche.initiative == ["Un groupe d'habitants"]
    assert fiche.territory == "Un quartier"
    assert fiche.public == ["Tous publics", "familles"]
    assert fiche.action_partners == ["Bailleur social"]
    assert fiche.financial_resources == "3 000 €"
    assert fiche.people_mobilised == "2 salariés"
    assert fiche.perspectives == "Un second jardin."
    assert fiche.source.line == 3 and fiche.source.ordinal == 0
    assert fiche.warnings == []


def test_empty_values_are_none_whatever_their_form():
    [fiche] = read_string(export(fiche_text()))
    assert fiche.result_centre is None  # heading with no value
    assert fiche.result_inhabitants is None  # a lone "-"
    assert fiche.attached_files == []
    assert fiche.status_reason is None  # optional heading absent


def test_keyword_with_comma_is_one_keyword():
    [fiche] = read_string(export(fiche_text(keywords="- Emploi, économie\n- Santé")))
    assert fiche.keywords == ["Emploi, économie", "Santé"]


def test_structure_name_containing_dash_splits_on_last():
    [fiche] = read_string(export(fiche_text(structure="CENTRE SOCIAL NORD - EST - Val-d'Oise")))
    assert (fiche.structure.name, fiche.structure.departement) == ("CENTRE SOCIAL NORD - EST",
                                                                   "Val-d'Oise")


def test_listing_table_and_repeated_page_headers():
    table = "Nom | Département | Année |\nJardin | Oise | 2019 |\nFête | Var | 2018 |\n"
    text = ("Les actions des centres sociaux\n" + table + fiche_text("Un")
            + "Les actions des centres sociaux\n" + table + fiche_text("Deux"))
    stats = ReadStats()
    fiches = list(read_fiches("-", stats, stdin=io.BytesIO(text.encode())))
    assert [f.title for f in fiches] == ["Un", "Deux"]
    assert [f.source.ordinal for f in fiches] == [0, 1]
    assert fiches[0].perspectives == "Un second jardin."  # the header ended the field
    assert stats.notices == []


def test_truncated_fiche_is_kept_with_missing_headings():
    text = export(fiche_text("Coupée", headings=15), fiche_text("Entière"))
    stats = ReadStats()
    fiches = list(read_fiches("-", stats, stdin=io.BytesIO(text.encode())))
    assert [f.title for f in fiches] == ["Coupée", "Entière"]
    cut = fiches[0]
    assert cut.financial_resources == "3 000 €"
    [warning] = cut.warnings
    assert warning.startswith("truncated: missing headings: Nombre de personnes")
    assert "Suite de l'action : Perspectives" in warning
    assert fiches[1].warnings == []
    assert stats.read == 2 and not stats.rejected


def test_truncated_at_end_of_file_mid_text():
    text = export(fiche_text()).rsplit("- Résultat sur le territoire", 1)[0] + "Une phrase coup"
    [fiche] = read_string(text)
    assert fiche.people_mobilised == "2 salariés\nUne phrase coup"
    assert "truncated" in fiche.warnings[0]


def test_missing_heading_in_the_middle_is_noted():
    text = export(fiche_text()).replace("- Dimension\n- Services\n", "")
    [fiche] = read_string(text)
    assert fiche.dimension is None
    assert fiche.warnings == ["missing heading: Dimension"]


def test_unknown_heading_is_noted_and_kept_as_text():
    text = export(fiche_text()).replace("Créer du lien.", "Créer du lien.\n- Coût estimé :")
    [fiche] = read_string(text)
    assert fiche.experience == "Créer du lien.\n- Coût estimé :"
    assert any("unknown heading" in w for w in fiche.warnings)


def test_heading_words_inside_text_do_not_start_a_field():
    # Headings come in form order: "- Public" after the Public heading is text...
    text = export(fiche_text()).replace("Un quartier plus vert.",
                                        "Un quartier plus vert.\n- Public")
    # ...and so is a heading far ahead of where the reader is (many required headings skipped).
    text = text.replace("- récolte", "- récolte\n- Résultat pour les habitants")
    [fiche] = read_string(text)
    assert fiche.result_territory == "Un quartier plus vert.\n- Public"
    assert fiche.summary.endswith("- récolte\n- Résultat pour les habitants")
    assert fiche.public == ["Tous publics", "familles"]
    assert fiche.warnings == []


def test_an_unbulleted_heading_word_opening_a_text_is_the_texts_own():
    # The export bullets its headings ("- Public"); a description that opens on its own
    # label line "Public :" keeps it, and the real "- Public" heading still opens the list.
    text = export(fiche_text()).replace("Créer du lien.",
                                        "Public :\n8 résidences\n\nCréer du lien.")
    [fiche] = read_string(text)
    assert fiche.experience == "Public :\n8 résidences\n\nCréer du lien."
    assert fiche.public == ["Tous publics", "familles"]
    assert fiche.action_partners == ["Bailleur social"]
    assert fiche.warnings == []


def test_a_fiche_written_without_bullets_still_reads_its_headings():
    lines = [line[2:] if line.startswith("- ") and line[2:3].isupper() and len(line) > 12
             else line for line in fiche_text().splitlines()]
    [fiche] = read_string(export("\n".join(lines) + "\n"))
    assert fiche.experience == "Créer du lien."
    assert fiche.financial_resources == "3 000 €"


def test_crlf_bom_and_non_breaking_spaces():
    text = export(fiche_text(budget="1\u00a0500,00\u00a0€")).replace(
        "- Dimension", "-\u00a0Dimension")
    raw = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    [fiche] = list(read_fiches("-", ReadStats(), stdin=io.BytesIO(raw)))
    assert fiche.title == "Jardin partagé"
    assert fiche.dimension == "Services"
    assert fiche.financial_resources == "1\u00a0500,00\u00a0€"
    assert "\r" not in (fiche.summary or "")


def test_cp1252_file_is_read_correctly_with_a_notice(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes(export(fiche_text(title="Fête d'été")).encode("cp1252"))
    stats = ReadStats()
    [fiche] = list(read_fiches(path, stats))
    assert fiche.title == "Fête d'été"
    assert fiche.structure.departement == "Oise"
    assert any("CP1252" in n for n in stats.notices)


def test_bytes_that_are_not_utf8_reject_only_the_fiche_holding_them(tmp_path):
    path = tmp_path / "broken.txt"
    good = export(fiche_text()).encode("utf-8")
    path.write_bytes(good + fiche_text(title="Fête").encode("utf-8") + b"\x81\x8d\x90")
    stats = ReadStats()
    [fiche] = list(read_fiches(path, stats))
    assert fiche.title == "Jardin partagé"
    [rejection] = stats.rejected
    assert rejection.file == "broken.txt" and "byte 0x81" in rejection.reason
    last = len((good + fiche_text().encode()).splitlines()) + 1
    assert f"line {last}: byte 0x81 at column 1 is not UTF-8" in rejection.reason


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "export.txt"
    path.write_bytes(export(fiche_text()).encode("utf-16"))
    with pytest.raises(InputError, match="UTF-16"):
        list(read_fiches(path))


def test_file_without_fiches_is_refused(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Compte rendu de réunion\nrien à voir\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"notes\.txt: no fiche found"):
        list(read_fiches(path))


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        list(read_fiches(tmp_path / "absent.txt"))


def test_duplicates_point_to_the_first_and_share_its_id():
    fiches = read_string(export(fiche_text("A"), fiche_text("B"), fiche_text("A")))
    assert [f.duplicate_of for f in fiches] == [None, None, 0]
    assert fiches[2].id == fiches[0].id != fiches[1].id


def test_id_is_a_content_hash_independent_of_position():
    [alone] = read_string(export(fiche_text("A")))
    [_, second] = read_string(export(fiche_text("Z"), fiche_text("A")))
    assert alone.id == second.id
    assert len(alone.id) == 16


def test_marker_line_inside_text_does_not_split_a_fiche():
    text = export(fiche_text()).replace("Créer du lien.", "Actions\nmenées avec les écoles")
    [fiche] = read_string(text)
    assert fiche.experience == "Actions\nmenées avec les écoles"


def test_jsonl_round_trip_and_rejections(tmp_path):
    fiches = read_string(export(fiche_text("A"), fiche_text("B")))
    lines = [json.dumps(f.to_dict(), ensure_ascii=False) for f in fiches]
    bad_record = json.dumps({"title": "sans source"})
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join([lines[0], "{not json", bad_record, lines[1]]) + "\n",
                    encoding="utf-8")
    stats = ReadStats()
    again = list(read_fiches(path, stats))
    assert again == fiches
    assert stats.found == 4 and stats.read == 2
    assert [(r.line, r.reason.split(":")[0]) for r in stats.rejected] == [
        (2, "not JSON"), (3, "not a fiche record")]
    assert "missing field 'source'" in stats.rejected[1].reason


def test_jsonl_record_with_forged_id_is_rejected():
    [fiche] = read_string(export(fiche_text()))
    record = fiche.to_dict() | {"title": "changé"}
    stats = ReadStats()
    assert read_string(json.dumps(record), stats=stats) == []
    assert "does not match the content" in stats.rejected[0].reason


def test_headings_table_has_each_record_field():
    from dataclasses import fields

    from pipeline.records import Fiche

    keys = {key for key, _ in HEADINGS}
    record_fields = {f.name for f in fields(Fiche)}
    assert keys - {"with_whom", "territory_again"} <= record_fields


def test_headings_match_with_or_without_a_trailing_colon():
    text = (export(fiche_text())
            .replace("- Public\n", "- Public :\n")
            .replace("Partenaires d'action:", "Partenaires d'action")
            .replace("- Résumé\n", "- RESUME:\n"))
    [fiche] = read_string(text)
    assert fiche.public == ["Tous publics", "familles"]
    assert fiche.action_partners == ["Bailleur social"]
    assert fiche.summary.startswith("Un jardin cultivé")
    assert fiche.warnings == []
