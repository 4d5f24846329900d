"""The API's documentation page (``/api/v1/``), generated from the OpenAPI document itself so the two never
disagree. Plain HTML served by Flask (readable without JavaScript), in the page's language."""

from __future__ import annotations

import html

from dashboard.i18n import t


def describe(doc: dict, lang: str) -> str:
    parts = [f"<h1>{html.escape(doc['info']['title'])}</h1>", f"<p>{html.escape(doc['info']['description'])}</p>",
             f'<p>{html.escape(t("api.document", lang))} <a href="/api/v1/openapi.json">/api/v1/openapi.json</a></p>']
    params = doc["components"]["parameters"]
    for path, ops in doc["paths"].items():
        op = ops["get"]
        parts.append(f"<h2><code>GET {html.escape(path)}</code></h2><p>{html.escape(op['description'])}</p>")
        rows = []
        for ref in op.get("parameters", []):
            p = params[ref["$ref"].rsplit("/", 1)[-1]] if "$ref" in ref else ref
            rows.append(f"<tr><td><code>{html.escape(p['name'])}</code></td>"
                        f"<td>{html.escape(p.get('description', ''))}</td></tr>")
        if rows:
            parts.append(f"<table><thead><tr><th>{html.escape(t('api.parameter', lang))}</th>"
                         f"<th>{html.escape(t('api.meaning', lang))}</th></tr></thead><tbody>"
                         + "".join(rows) + "</tbody></table>")
        for example in op.get("x-examples", []):
            parts.append(f'<p>{html.escape(t("api.example", lang))} <a href="{html.escape(example)}">'
                         f"<code>{html.escape(example)}</code></a></p>")
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" '
            f'content="width=device-width, initial-scale=1"><title>API — {html.escape(t("title", lang))}'
            '</title><link rel="stylesheet" href="/assets/style.css"></head><body><main class="doc">'
            + "".join(parts) + "</main></body></html>")
