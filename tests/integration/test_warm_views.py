"""A worker computes the pages' most asked-for views before its first request (dashboard.pages.warm): the default
dashboard and each region's are then served from the build's memo, as the pages and links ask for them."""

from __future__ import annotations

import json

from dashboard import pages
from dashboard.callback_client import router_payload
from dashboard.pages import home


def test_the_default_and_every_regions_view_are_served_from_the_memo_once_warmed(app, monkeypatch):
    snap = app.server.config["coopatlas"].current()
    pages.warm(snap)
    computed = []
    monkeypatch.setattr(home, "view", lambda snap, f: computed.append(f) or {})
    client = app.server.test_client()
    client.get("/")  # Dash registers the page router's callbacks at the first request
    regions = sorted(snap.vocab.codes("region"))
    assert len(regions) >= 2
    for search in ["", *(f"?region={code}" for code in regions)]:
        r = client.post("/_dash-update-component", json=router_payload(app.callback_map, "/", search))
        assert r.status_code == 200 and "kpi-partnerships" in json.dumps(r.get_json())
    assert computed == []
    client.post("/_dash-update-component", json=router_payload(app.callback_map, "/", "?theme=EAU"))
    assert len(computed) == 1  # a view not among the popular ones is computed when asked for
