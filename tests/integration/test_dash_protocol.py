"""Hostile input to Dash's own machinery (not to our callbacks' values): bodies of ``/_dash-update-component``
that no dash-renderer sends, the page router with a pathname that is not a path, posts to browser-side callbacks,
unknown component suites. Every one is a 4xx with a short message, never a 500 or a stack trace."""

from __future__ import annotations

import json

import pytest

from dashboard.callback_client import main_inputs, payload, router_payload
from dashboard.ids import Ids

LEAKS = ("Traceback", "File \"", "site-packages", "/work/", "KeyError", "TypeError")


def post(client, body, raw: bool = False):
    data = body if raw else json.dumps(body)
    return client.post("/_dash-update-component", data=data, content_type="application/json")


def assert_4xx(response):
    assert 400 <= response.status_code < 500, (response.status_code, response.data[:300])
    body = response.get_data(as_text=True)
    for leak in LEAKS:
        assert leak not in body


@pytest.fixture()
def started(app, client):
    client.get("/")  # Dash registers the page router's callbacks at the first request
    return app


@pytest.fixture()
def main_body(started):
    return payload(started, Ids.KPI_PARTNERSHIPS, main_inputs(), {f"{Ids.LANG}.data": "fr"})


def router_body(app, pathname, search=""):
    return router_payload(app.callback_map, pathname, search)


@pytest.mark.parametrize("raw", [b"[]", b"1", b'"x"', b"null", b"true", b"[{}]", b"{}"])
def test_callback_bodies_that_are_not_objects(client, started, raw):
    assert_4xx(post(client, raw, raw=True))


def test_the_valid_body_still_answers(client, main_body, started):
    r = post(client, main_body)
    assert r.status_code == 200 and r.json["response"][Ids.KPI_PARTNERSHIPS]["children"] == "29"
    assert post(client, router_body(started, "/region/84")).status_code == 200


@pytest.mark.parametrize("change", [
    {"output": "nope.children"}, {"output": 1}, {"output": None}, {"output": ["x"]},
    {"outputs": 5}, {"outputs": "x"}, {"outputs": [1, 2]}, {"outputs": [{"id": 1}]},
    {"inputs": "x"}, {"inputs": [1, 2]}, {"inputs": {}}, {"inputs": None},
    {"state": []}, {"state": "x"}, {"state": [1]}, {"state": None},
    {"changedPropIds": 5}, {"changedPropIds": [1]},
])
def test_unknown_or_malformed_parts(client, main_body, change):
    assert_4xx(post(client, {**main_body, **change}))


@pytest.mark.parametrize("missing", ["output", "outputs", "inputs", "state"])
def test_missing_parts(client, main_body, missing):
    body = dict(main_body)
    del body[missing]
    assert_4xx(post(client, body))


def test_fewer_more_or_other_inputs(client, main_body):
    assert_4xx(post(client, {**main_body, "inputs": main_body["inputs"][:2]}))
    assert_4xx(post(client, {**main_body, "inputs": main_body["inputs"] + main_body["inputs"][:1]}))
    swapped = [dict(i) for i in main_body["inputs"]]
    swapped[0]["id"] = "f-nothing"
    assert_4xx(post(client, {**main_body, "inputs": swapped}))
    other_prop = [dict(i) for i in main_body["inputs"]]
    other_prop[0]["property"] = "children"
    assert_4xx(post(client, {**main_body, "inputs": other_prop}))


@pytest.mark.parametrize("pathname", [None, "", 1, [], {}, "x", "region/84", 1.5, True])
def test_page_router_with_a_pathname_that_is_not_a_path(client, started, pathname):
    assert_4xx(post(client, router_body(started, pathname)))


@pytest.mark.parametrize("search", [1, {}, ["?a"], 2.5])
def test_page_router_with_a_search_that_is_not_text(client, started, search):
    assert_4xx(post(client, router_body(started, "/", search)))


def test_posts_to_browser_side_callbacks(client, started):
    clientside = [cb for cb in started._callback_list if cb.get("clientside_function")]
    assert clientside
    for cb in clientside:
        out = cb["output"]
        outputs = [{"id": o.split(".")[0], "property": o.split(".")[1]} for o in out.strip(".").split("...")]
        body = {"output": out, "outputs": outputs if out.startswith("..") else outputs[0],
                "inputs": [{"id": i["id"], "property": i["property"], "value": None} for i in cb["inputs"]],
                "state": [{"id": s["id"], "property": s["property"], "value": None} for s in cb["state"]],
                "changedPropIds": []}
        assert_4xx(post(client, body))


@pytest.mark.parametrize("path", ["/_dash-component-suites/a/b", "/_dash-component-suites/a/b/c.js",
                                  "/_dash-component-suites/dash/x.js", "/_dash-component-suites/dash/nope.v1m2.js",
                                  "/_dash-component-suites/dash/..%2F..%2Fetc%2Fpasswd"])
def test_unknown_component_suites(client, path):
    assert_4xx(client.get(path))


def test_the_load_tests_requests_are_the_ones_the_app_answers(client, started):
    """bench.load builds its bodies from /_dash-dependencies alone (no app): a filter change and a page's content
    must be answered 200, so that the load test measures the app rather than its 400s."""
    from bench.load import Reader

    callbacks = {d["output"]: d for d in client.get("/_dash-dependencies").json}
    reader = Reader("http://127.0.0.1:1", 0, {}, 1, callbacks)
    sent = []
    reader.request = lambda kind, method, path, body=None, retries=0: sent.append(body)
    reader.callback({Ids.REGION: "53", "f-odd": [4]})
    assert post(client, sent[0]).status_code == 200
    assert post(client, router_payload(callbacks, "/", "?region=53")).status_code == 200
