"""Calling a callback over HTTP as dash-renderer does, for the tests and the benchmarks."""

from __future__ import annotations

from dash import Dash

from dashboard.ids import Ids
from dashboard.pages.home import PANEL


def payload(app: Dash | dict, output_prefix: str, inputs: dict, state: dict | None = None,
            changed: list[str] | None = None) -> dict:
    """The JSON body of ``/_dash-update-component`` for the callback whose outputs start with ``output_prefix``;
    ``inputs`` and ``state`` map ``"id.prop"`` to values. ``app``: the app, or its callbacks by output key (as
    ``/_dash-dependencies`` gives them, for a client without the app)."""
    callbacks = getattr(app, "callback_map", app)
    key = next(k for k in callbacks if k.lstrip(".").startswith(output_prefix))
    spec = callbacks[key]

    def items(specs, values):
        return [{"id": s["id"], "property": s["property"], "value": values.get(f"{s['id']}.{s['property']}")}
                for s in specs]

    outputs = [{"id": o.split(".")[0], "property": o.split(".")[1].split("@")[0]}
               for o in key.strip(".").split("...")]
    return {"output": key, "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": items(spec["inputs"], inputs), "state": items(spec["state"], state or {}),
            "changedPropIds": changed or [next(iter(inputs))]}


def router_payload(callbacks: dict, pathname, search="") -> dict:
    """The body dash-renderer posts to render a page (Dash pages' router) for ``pathname`` and ``search``;
    ``callbacks``: output key → spec, as ``app.callback_map`` or ``/_dash-dependencies`` (keyed by output) give."""
    key = next(k for k in callbacks if "_pages_content" in k)
    spec = callbacks[key]
    return {"output": key,
            "outputs": [{"id": o.split(".")[0], "property": o.split(".")[1]} for o in key.strip(".").split("...")],
            "inputs": [{"id": s["id"], "property": s["property"],
                        "value": pathname if s["property"] == "pathname" else search} for s in spec["inputs"]],
            "state": [{"id": s["id"], "property": s["property"], "value": None} for s in spec["state"]],
            "changedPropIds": ["_pages_location.pathname"]}


def main_inputs(**values) -> dict:
    """Inputs of the main callback: defaults, overridden by ``values`` keyed by control id."""
    base = {f"{spec.control_id}.value": [] if spec.multi else None for spec in PANEL}
    base[f"{Ids.METRIC}.value"] = "partenariats"
    base.update({f"{k}.value": v for k, v in values.items()})
    return base
