"""The review page in a real headless Chromium against `fiches serve`: type a fiche, get
suggestions, accept one, and the decision is in the feedback file."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bench.processes import stop_process
from pipeline.tagging.feedback import FeedbackStore

ROOT = Path(__file__).resolve().parent.parent
# The README's screenshot is refreshed only on request (FICHES_SCREENSHOTS=1), so a test run
# leaves the working tree as it was; otherwise the test writes it into its own temporary folder.
README_SCREENSHOT = ROOT / "docs" / "img" / "review_page.png"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
TOKEN = "browser-test-token"
START_TIMEOUT = 120.0  # seconds for the service to load its models on a busy machine


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`fiches serve` in its own process, stopped (by its pid) when the module is done."""
    folder = tmp_path_factory.mktemp("served")
    feedback, log = folder / "feedback.sqlite", folder / "serve.log"
    port = free_port()
    env = {**os.environ, "FICHES_API_TOKEN": TOKEN}
    with open(log, "wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "serve", "--port", str(port), "--feedback",
             str(feedback), "--workers", "1"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
            stderr=stderr)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if httpx.get(f"{url}/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            raise AssertionError(f"fiches serve did not start: {log.read_text()[-2000:]}")
        yield url, feedback
    finally:
        stop_process(process)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium through its own chromedriver: nothing is downloaded."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1366,1000", "--lang=fr-FR"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.mark.slow
def test_fiche_typed_suggested_accepted_and_stored(server: tuple[str, Path],
                                                   browser: object) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    assert isinstance(browser, WebDriver)
    url, feedback = server
    driver, wait = browser, WebDriverWait(browser, 60)
    driver.get(url + "/")
    assert driver.find_element(By.ID, "suggest").text == "Suggérer"
    typed = {
        "description": "Les familles et les seniors du quartier cultivent ensemble un jardin "
                       "au pied des immeubles. Des ateliers de cuisine suivent les récoltes.",
        "financial_resources": "Budget : 4 000 € dont 2 500 € de la CAF et 1 000 € de la "
                               "Ville.",
        "people_mobilised": "2 animateurs et une dizaine de bénévoles",
        "who": "Awa (accueil)", "token": TOKEN}
    for field, text in typed.items():
        driver.find_element(By.ID, field).send_keys(text)
    # Keyboard only: Enter in the title field submits the form.
    driver.find_element(By.ID, "title").send_keys("Jardin partagé des familles", Keys.ENTER)
    first = wait.until(ec.element_to_be_clickable(
        (By.CSS_SELECTOR, "#keywords li.suggestion button.accept")))
    item = driver.find_element(By.CSS_SELECTOR, "#keywords li.suggestion")
    label = item.get_attribute("data-label")
    assert label and "%" in item.text
    assert driver.find_elements(By.CSS_SELECTOR, "#text mark"), "no evidence highlighted"
    assert "4 000,00" in driver.find_element(By.ID, "budget").text.replace("\u202f", " ")
    assert "CAF" in driver.find_element(By.ID, "budget").text
    first.click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "status"), "Décision enregistrée"))
    assert first.get_attribute("aria-pressed") == "true"
    with FeedbackStore(feedback) as store:
        decisions = list(store)
    assert [(d.kind, d.label, d.verdict, d.who) for d in decisions] == [
        ("keyword", label, "accepted", "Awa (accueil)")]
    assert len(decisions[0].fiche_id) == 16
    screenshot = (README_SCREENSHOT if os.environ.get("FICHES_SCREENSHOTS") == "1"
                  else feedback.parent / "review_page.png")
    height, chrome = driver.execute_script(
        "return [document.documentElement.scrollHeight, window.outerHeight - window.innerHeight]")
    driver.set_window_size(1366, min(int(height) + int(chrome), 2400))  # the whole page
    assert driver.save_screenshot(str(screenshot)) and screenshot.stat().st_size > 10_000


@pytest.mark.slow
def test_api_docs_render_offline(server: tuple[str, Path], browser: object) -> None:
    """Swagger UI draws the API from the service's own copy of its scripts (the test machine
    has no route to a CDN)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    assert isinstance(browser, WebDriver)
    url, _ = server
    browser.get(url + "/docs")
    WebDriverWait(browser, 60).until(ec.presence_of_element_located(
        (By.CSS_SELECTOR, ".swagger-ui .opblock")))
    paths = {e.text for e in browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")}
    assert {"/v1/suggest", "/v1/enrich", "/v1/feedback"} <= {p.replace("\u200b", "")
                                                             for p in paths}
