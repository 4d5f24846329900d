"""Heavy downloads (the CSV of /telecharger.csv and of the API, PNG/PDF exports) run in a bounded number of
slots per process; past that the answer is an immediate 503 with Retry-After, and cheap requests are served."""

from __future__ import annotations

import dataclasses
import threading
import time

import pytest

import dashboard.downloads
import dashboard.exports
from dashboard.app import Settings, create_app


@pytest.fixture()
def two_slots(monkeypatch, fixture_db):
    monkeypatch.setenv("COOPATLAS_EXPORT_SLOTS", "2")
    monkeypatch.setattr(dashboard.exports, "_LIMITER", None, raising=False)  # the per-process limiter, anew
    app = create_app(Settings(db=str(fixture_db)))
    yield app
    exporter = app.server.extensions.get("coopatlas.exports")
    if exporter is not None:  # its queued render (a busy answer queues it) must not run into the next test
        exporter.close()


def test_concurrent_csv_downloads_are_bounded(two_slots, monkeypatch):
    app = two_slots
    lock, running, peak = threading.Lock(), [0], [0]
    real = dashboard.downloads.to_csv

    def slow_csv(store, f):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        try:
            time.sleep(0.5)
            return real(store, f)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(dashboard.downloads, "to_csv", slow_csv)
    paths = ["/telecharger.csv", "/api/v1/partnerships?format=csv", "/telecharger.csv?region=84"] * 4
    answers: list[tuple[int, str | None]] = []
    barrier = threading.Barrier(len(paths) + 1)

    def download(path):
        client = app.server.test_client()
        barrier.wait()
        r = client.get(path)
        answers.append((r.status_code, r.headers.get("Retry-After")))

    threads = [threading.Thread(target=download, args=(p,)) for p in paths]
    for t in threads:
        t.start()
    barrier.wait()
    time.sleep(0.1)
    t0 = time.perf_counter()
    cheap = app.server.test_client().get("/api/v1/aggregates?by=odd")
    cheap_s = time.perf_counter() - t0
    for t in threads:
        t.join(timeout=30)
    assert cheap.status_code == 200 and cheap_s < 0.5
    assert peak[0] <= 2
    assert sorted({s for s, _ in answers}) == [200, 503]
    assert sum(1 for s, _ in answers if s == 200) >= 2
    assert all(retry and retry.isdigit() and int(retry) > 0 for s, retry in answers if s == 503)
    client = app.server.test_client()
    assert client.get("/telecharger.csv").status_code == 200  # slots are given back
    busy = [r for r in (client.get("/api/v1/partnerships?format=csv"),) if r.status_code != 200]
    assert not busy


def test_a_busy_answer_is_never_cached(two_slots, monkeypatch):
    app = two_slots
    monkeypatch.setattr(dashboard.exports, "run_chromium",
                        lambda url, out, fmt, *size_and_timeout: out.write_bytes(b"fake"))
    limiter = dashboard.exports.limiter()
    assert limiter.try_acquire() and limiter.try_acquire()
    try:
        client = app.server.test_client()
        for path in ("/telecharger.csv", "/api/v1/partnerships?format=csv", "/export/region/84.png"):
            r = client.get(path)
            assert r.status_code == 503 and int(r.headers["Retry-After"]) > 0
            assert "public" not in r.headers.get("Cache-Control", "") and "ETag" not in r.headers
        assert client.get("/api/v1/aggregates?by=odd").status_code == 200
        assert client.get("/api/v1/partnerships?limit=5").status_code == 200
    finally:
        limiter.release()
        limiter.release()


def test_a_views_csv_is_written_once_per_build_then_sent_from_the_disk(two_slots, monkeypatch):
    import gzip

    app = two_slots
    calls = []
    real = dashboard.downloads.to_csv
    monkeypatch.setattr(dashboard.downloads, "to_csv", lambda store, f: calls.append(f.to_query()) or real(store, f))
    client = app.server.test_client()
    first = client.get("/telecharger.csv?region=84", headers={"Accept-Encoding": "gzip, br"})
    again = client.get("/telecharger.csv?region=84", headers={"Accept-Encoding": "gzip"})
    api = client.get("/api/v1/partnerships?format=csv&region=84", headers={"Accept-Encoding": "gzip"})
    plain = client.get("/telecharger.csv?region=84", headers={"Accept-Encoding": "identity"})
    assert calls == ["region=84"]  # one file for the four downloads of the same view
    assert first.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in first.headers["Vary"]
    body = gzip.decompress(first.data)
    assert body.startswith(dashboard.downloads.BOM) and body == gzip.decompress(again.data)
    assert gzip.decompress(api.data) == body and api.headers["ETag"]
    assert "Content-Encoding" not in plain.headers and plain.data == body  # decompressed on the way
    assert 'attachment; filename="coopatlas-partenariats-' in plain.headers["Content-Disposition"]
    client.get("/telecharger.csv?region=84&lang=en", headers={"Accept-Encoding": "gzip"})
    assert calls == ["region=84", "region=84&lang=en"]  # another language, another file


def test_the_kept_csv_files_are_trimmed_to_their_limit_oldest_first(two_slots, monkeypatch):
    app = two_slots
    exporter = app.server.extensions["coopatlas.exports"]
    monkeypatch.setattr(exporter, "settings", dataclasses.replace(exporter.settings, csv_cache_mb=0))
    client = app.server.test_client()
    for code in ("84", "53", "11"):
        assert client.get(f"/telecharger.csv?region={code}").status_code == 200
    kept = list((exporter.folder / dashboard.downloads.CSV_FOLDER).glob("*.csv.gz"))
    assert len(kept) == 1  # at 0 MB only the last file written stays
    assert client.get("/telecharger.csv?region=11").status_code == 200


def test_a_kept_csv_file_gone_while_the_folder_is_trimmed_fails_no_download(two_slots):
    """Workers trim the folder they share: a file another one deleted meanwhile (a dangling link here) is skipped."""
    app = two_slots
    folder = app.server.extensions["coopatlas.exports"].folder / dashboard.downloads.CSV_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "gone-meanwhile.csv.gz").symlink_to(folder / "nothing-there")
    assert app.server.test_client().get("/telecharger.csv?region=84").status_code == 200


def test_a_browser_told_to_wait_gets_a_page_in_its_language_that_reloads_itself(two_slots):
    limiter = dashboard.exports.limiter()
    assert limiter.try_acquire() and limiter.try_acquire()
    try:
        client = app_client = two_slots.server.test_client()
        browser = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
        french = client.get("/telecharger.csv?region=84", headers=browser)
        english = app_client.get("/telecharger.csv?region=84&lang=en", headers=browser)
        plain = client.get("/telecharger.csv?region=84", headers={"Accept": "*/*"})
    finally:
        limiter.release()
        limiter.release()
    for answer in (french, english):
        assert answer.status_code == 503 and answer.mimetype == "text/html"
        assert answer.headers["Refresh"] == answer.headers["Retry-After"]
    assert '<html lang="fr">' in french.text and "Téléchargement en préparation" in french.text
    assert '<html lang="en">' in english.text and "Download being prepared" in english.text
    assert "préparation" not in english.text
    assert plain.mimetype == "text/plain" and "Refresh" not in plain.headers
    assert plain.text.startswith("Le fichier est en préparation") and "\u00a0s." in plain.text
