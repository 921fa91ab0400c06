"""The HTTP API: every endpoint, the same records as the CLI, and bad input answered in one line."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pipeline.cli import app as cli
from pipeline.config import CONFIG_DIR, load_json
from pipeline.reading.parse import ReadStats, read_fiches
from pipeline.running.stages import Settings, load_suggester
from pipeline.service.app import MAX_BODY, ServiceConfig, create_app
from pipeline.tagging.feedback import FeedbackStore

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
SAMPLE = Path(__file__).resolve().parent.parent / "data" / "fiches_sample.txt"
TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
GARDEN = {"title": "Jardin partagé intergénérationnel",
          "description": "Les familles et les seniors du quartier cultivent ensemble un jardin "
                         "au pied des immeubles, avec le bailleur social.",
          "financial_resources": "Budget : 4 000 € dont 2 500 € de la CAF.",
          "people_mobilised": "2 animateurs et une dizaine de bénévoles"}
EXPORT = """Les actions des centres sociaux
Actions
Jardin partagé intergénérationnel
- Structure organisatrice
- Centre social des Tilleuls - Rhône
- Fichier(s) associé(s)
- Statut de l'action
- En cours
- Dimension
- Mots clés associés à l'action
-
- Résumé
Un jardin cultivé par les familles et les seniors du quartier.
- Qui est à l'initiative de l'action ?
- Un groupe d'habitants
- Territoire concerné
- Un quartier
- Description de l'expérience, ses objectifs, ses acteurs et ses différentes phases.
- Public
- Tous publics
- Avec qui cette action a-t-elle été menée ?
Partenaires d'action:
- Bailleur social
- Territoire concerné
- Un quartier
- Description générale
Les familles et les seniors cultivent ensemble un jardin au pied des immeubles.
- Ressources financières mobilisées pour cette action
Budget : 4 000 € dont 2 500 € de la CAF.
- Nombre de personnes mobilisés pour cette action
2 animateurs et une dizaine de bénévoles
- Résultat sur le territoire
- Résultat pour le centre social
- Résultat pour les habitants
- Suite de l'action : Limites
- Suite de l'action : Perspectives
"""


@pytest.fixture(scope="module")
def feedback_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("feedback") / "decisions.sqlite"


@pytest.fixture(scope="module")
def client(full_nlp: object, feedback_file: Path) -> Iterator[TestClient]:
    config = ServiceConfig(Settings(), feedback=feedback_file, token=TOKEN)
    with TestClient(create_app(config), raise_server_exceptions=False) as test_client:
        yield test_client


def sample_records() -> list[dict]:
    return [f.to_dict() for f in read_fiches(SAMPLE, ReadStats())]


def test_openapi_lists_every_endpoint(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/health": "get", "/v1/vocabulary": "get", "/v1/suggest": "post",
            "/v1/suggest-batch": "post", "/v1/enrich": "post",
            "/v1/feedback": "post"}.items() <= {p: m for p, ms in paths.items() for m in ms}.items()
    assert client.get("/docs").status_code == 200


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_api_docs_load_nothing_from_elsewhere(client: TestClient, page: str) -> None:
    html = client.get(page).text
    urls = re.findall(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""", html)
    assert urls and "/openapi.json" in urls
    for url in urls:
        assert url.startswith("/"), f"{page} loads {url} from another site"
        assert client.get(url).status_code == 200, url


def test_health_summarises_the_model_card(client: TestClient) -> None:
    health = client.get("/v1/health").json()
    card = json.loads((Settings().model / "card.json").read_text(encoding="utf-8"))
    assert health["status"] == "ready" and health["suggestions"] and health["feedback"]
    assert health["model"]["labels"] == {"keywords": len(card["labels"]["keywords"]),
                                         "dimensions": len(card["labels"]["dimensions"])}
    assert health["model"]["trained_on"]["fiches"] == card["training_data"]["fiches"]
    assert health["model"]["metrics"]["keywords"] == card["cross_validation"]["keywords"]


def test_vocabulary_is_the_config_file(client: TestClient) -> None:
    vocab = load_json("vocabulary.json", CONFIG_DIR)
    assert client.get("/v1/vocabulary").json() == {"keywords": vocab["keywords"],
                                                   "dimensions": vocab["dimensions"]}


def test_suggest_gives_what_the_tagger_gives(client: TestClient) -> None:
    from pipeline.records import Fiche

    response = client.post("/v1/suggest", json={"fiche": GARDEN})
    assert response.status_code == 200
    body = response.json()
    fiche = Fiche.from_dict({**GARDEN, "source": {"file": "x", "ordinal": 0, "line": 1}})
    suggester = load_suggester(Settings())
    assert suggester is not None
    [expected] = suggester.suggest_records([fiche])
    assert body == {"id": fiche.id, "title": GARDEN["title"], **expected}
    assert body["keywords"] and all(k["evidence"] for k in body["keywords"])


def test_suggest_reads_a_text_export_like_a_record(client: TestClient) -> None:
    from pipeline.reading.parse import read_string

    [fiche] = read_string(EXPORT)
    assert fiche.description and fiche.structure.departement == "Rhône"
    from_text = client.post("/v1/suggest", json={"text": EXPORT})
    assert from_text.status_code == 200
    from_record = client.post("/v1/suggest", json={"fiche": fiche.to_dict()})
    assert from_text.json() == from_record.json()
    enriched = client.post("/v1/enrich", json={"text": EXPORT}).json()
    assert enriched["budget"]["total_eur"] == 4000.0
    assert enriched["source"]["file"] == "<request>"


def test_suggest_honours_limit_and_threshold(client: TestClient) -> None:
    wide = client.post("/v1/suggest", json={"fiche": GARDEN, "threshold": 0.0, "limit": 10})
    assert len(wide.json()["keywords"]) == 10
    one = client.post("/v1/suggest", json={"fiche": GARDEN, "threshold": 0.0, "limit": 1})
    assert one.json()["keywords"] == wide.json()["keywords"][:1]
    scores = [k["score"] for k in wide.json()["keywords"]]
    n = next(i for i in range(2, 10) if scores[i - 1] > scores[i])  # scores are rounded
    cut = (scores[n - 1] + scores[n]) / 2
    high = client.post("/v1/suggest", json={"fiche": GARDEN, "threshold": cut, "limit": 10})
    assert high.json()["keywords"] == wide.json()["keywords"][:n]


def test_suggest_batch_keeps_order_and_caps_at_32(client: TestClient) -> None:
    records = sample_records()[:5]
    response = client.post("/v1/suggest-batch", json={"fiches": [{"fiche": r} for r in records]})
    assert [r["id"] for r in response.json()["results"]] == [r["id"] for r in records]
    for record, result in zip(records, response.json()["results"], strict=True):
        single = client.post("/v1/suggest", json={"fiche": record}).json()
        assert single == result
    too_many = client.post("/v1/suggest-batch", json={"fiches": [{"fiche": GARDEN}] * 33})
    assert too_many.status_code == 422 and "fiches" in too_many.json()["detail"]


@pytest.mark.slow
def test_enrich_returns_what_fiches_enrich_writes(client: TestClient, tmp_path: Path) -> None:
    out = tmp_path / "enriched.jsonl"
    result = CliRunner().invoke(cli, ["enrich", str(SAMPLE), "-o", str(out), "--workers", "1",
                                      "--quiet"])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    records = sample_records()
    assert len(lines) == len(records) == 25
    for record, line in zip(records, lines, strict=True):
        served = client.post("/v1/enrich", json={"fiche": record})
        assert served.status_code == 200
        assert served.text == line  # the very bytes `fiches enrich` writes
        assert json.dumps(served.json(), sort_keys=True) == json.dumps(json.loads(line),
                                                                        sort_keys=True)


def test_enrich_reads_budget_people_and_dates(client: TestClient) -> None:
    record = client.post("/v1/enrich", json={"fiche": GARDEN}).json()
    assert record["budget"]["total_eur"] == 4000.0
    assert [f["type"] for f in record["funders"]] == ["CAF"]
    assert record["headcount"]["professionals"]["min"] == 2
    assert record["source"] == {"file": "<request>", "ordinal": 0, "line": 1}
    assert record["suggestions"]["keywords"]


@pytest.mark.parametrize(("body", "field"), [
    ({"fiche": {"title": 3}}, "fiche.title"),
    ({"fiche": {"keywords": "Santé"}}, "fiche.keywords"),
    ({"fiche": {"titel": "typo"}}, "fiche.titel"),
    ({"fiche": GARDEN, "limit": -1}, "limit"),
    ({"fiche": GARDEN, "threshold": 2}, "threshold"),
    ({"fiche": GARDEN, "text": EXPORT}, "either"),
    ({}, "either"),
    ([1, 2], "body"),
    ({"fiche": {"title": None, "summary": ""}}, "no text"),
    ({"fiche": {**GARDEN, "id": "0000000000000000"}}, "does not match"),
    ({"text": "bonjour"}, "text: no fiche found"),
    ({"text": EXPORT + EXPORT.replace("Jardin", "Potager")}, "2 fiches"),
])
def test_bad_fiches_get_422_naming_the_field(client: TestClient, body: object,
                                             field: str) -> None:
    for path in ("/v1/suggest", "/v1/enrich"):
        response = client.post(path, json=body)
        assert response.status_code == 422, (path, response.text)
        assert field in response.json()["detail"]
        assert "Traceback" not in response.text


def test_invalid_json_is_422_and_oversized_body_is_413(client: TestClient) -> None:
    for bad in (b'{"fiche": {"title": "x"', b"[" * 100_000 + b"]" * 100_000,
                b'{"fiche": {"title": "\xff\xfe"}}', b"\xff\xfe{"):
        broken = client.post("/v1/suggest", content=bad,
                             headers={"Content-Type": "application/json"})
        assert broken.status_code == 422 and "invalid JSON" in broken.json()["detail"]
    surrogate = client.post("/v1/enrich", content=b'{"fiche": {"title": "caf\\ud800"}}',
                            headers={"Content-Type": "application/json"})
    assert surrogate.status_code == 422 and "fiche.title" in surrogate.json()["detail"]
    huge = {"fiche": {"title": "x", "description": "a" * MAX_BODY}}
    assert client.post("/v1/enrich", json=huge).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
        yield b'{"fiche": {"title": "x", "description": "'
        for _ in range(20):
            yield b"b" * 65536
        yield b'"}}'
    streamed = client.post("/v1/suggest", content=chunks(),
                           headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413 and "bytes" in streamed.json()["detail"]


def decision(label: str = "Santé", **extra: str) -> dict:
    return {"decisions": [{"fiche_id": "abc123", "label": label, "verdict": "accepted",
                           "who": "Awa", **extra}]}


def test_feedback_is_stored_for_training(client: TestClient, feedback_file: Path) -> None:
    response = client.post("/v1/feedback", headers=AUTH, json={"decisions": [
        {"fiche_id": "f1", "label": "Santé", "verdict": "accepted", "who": "Awa"},
        {"fiche_id": "f1", "label": "Services", "verdict": "rejected", "who": "Awa"}]})
    assert response.status_code == 200 and response.json()["stored"] == 2
    with FeedbackStore(feedback_file) as store:
        latest = store.latest()
    assert latest[("f1", "keyword", "Santé")] == "accepted"
    assert latest[("f1", "dimension", "Services")] == "rejected"


@pytest.mark.parametrize(("headers", "body", "status", "words"), [
    ({}, decision(), 401, "token"),
    ({"Authorization": "Bearer wrong"}, decision(), 401, "token"),
    ({"Authorization": TOKEN}, decision(), 401, "token"),
    ({}, {"decisions": "not even a list"}, 401, "token"),  # checked before the body
    (AUTH, decision("Jardinage"), 422, "not in the vocabulary"),
    (AUTH, decision("Santé", kind="dimension"), 422, "not a dimension"),
    (AUTH, {"decisions": [{"fiche_id": "x", "label": "Santé", "verdict": "maybe",
                           "who": "Awa"}]}, 422, "decisions[0].verdict"),
    (AUTH, {"decisions": []}, 422, "decisions"),
    (AUTH, decision(who="Awa \ud800"), 422, "decisions[0].who"),
])
def test_bad_feedback_is_refused(client: TestClient, feedback_file: Path, headers: dict,
                                 body: dict, status: int, words: str) -> None:
    before = len(list(FeedbackStore(feedback_file)))
    response = client.post("/v1/feedback", content=json.dumps(body),  # escapes surrogates
                           headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == status and words in response.json()["detail"]
    assert len(list(FeedbackStore(feedback_file))) == before


def test_feedback_without_a_configured_token_is_403(tmp_path: Path) -> None:
    config = ServiceConfig(Settings(model=None), feedback=tmp_path / "f.sqlite", token=None)
    with TestClient(create_app(config)) as bare:
        response = bare.post("/v1/feedback", headers=AUTH, json=decision())
        assert response.status_code == 403 and "FICHES_API_TOKEN" in response.json()["detail"]
        assert bare.get("/v1/health").json()["suggestions"] is False
        assert bare.post("/v1/suggest", json={"fiche": GARDEN}).status_code == 503
        assert bare.post("/v1/enrich", json={"fiche": GARDEN}).json()["suggestions"] is None
    assert not (tmp_path / "f.sqlite").exists()


def test_review_page_is_self_contained_and_no_cors_by_default(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and 'lang="fr"' in page.text and "Suggérer" in page.text
    assert "http://" not in page.text and "https://" not in page.text  # nothing fetched
    assert "default-src 'self'" in page.headers["content-security-policy"]
    preflight = client.options("/v1/suggest", headers={
        "Origin": "http://elsewhere.example", "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers


def test_serve_refuses_bad_config_model_or_port(tmp_path: Path) -> None:
    import socket

    runner = CliRunner()
    result = runner.invoke(cli, ["serve", "--config", str(tmp_path / "none")])
    assert result.exit_code == 2 and "no such config folder" in result.stderr
    result = runner.invoke(cli, ["serve", "--model", str(tmp_path), "--port", "0"])
    assert result.exit_code == 2 and "no tagger model there" in result.stderr
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = runner.invoke(cli, ["serve", "--port", str(busy.getsockname()[1])])
    assert result.exit_code == 2 and "cannot listen on 127.0.0.1" in result.stderr
