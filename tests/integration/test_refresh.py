"""Rebuilding the database while the app serves: readers keep getting answers (old data, then new), no error,
no restart."""

import threading
import time

from etl.load import build
from tests.integration.servers import kpi


def test_readers_see_old_then_new_data_without_error(serving, fixture_exports):
    app, db = serving
    client = app.server.test_client()
    assert kpi(client, app) == (200, "25")
    seen: list[tuple[int, str | None]] = []
    stop = threading.Event()

    def reader():
        c = app.server.test_client()
        while not stop.is_set():
            seen.append(kpi(c, app))
            seen.append((c.get("/telecharger.csv").status_code, None))

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    build(fixture_exports, db)  # 25 + 4 partnerships, swapped in atomically
    deadline = time.time() + 20
    while time.time() < deadline and kpi(client, app)[1] != "29":
        time.sleep(0.05)
    time.sleep(0.3)
    stop.set()
    for t in threads:
        t.join()
    assert kpi(client, app) == (200, "29")
    assert {status for status, _ in seen} == {200}
    values = [v for _, v in seen if v is not None]
    assert set(values) <= {"25", "29"} and "25" in values
    geo = app.server.config["coopatlas"].current().reference.world_url
    assert client.get(geo).status_code == 200  # geometry served under the new build's address


def test_unreadable_new_file_keeps_the_previous_build_serving(serving, tmp_path):
    app, db = serving
    client = app.server.test_client()
    assert kpi(client, app) == (200, "25")
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"this is not a database")
    broken.replace(db)
    time.sleep(0.1)
    assert kpi(client, app) == (200, "25")
