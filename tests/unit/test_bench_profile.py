"""bench.browser's CPU profile summary: a V8 profile's self time by script, the idle time apart."""

from bench.browser import cpu_by_script

BASE = "http://127.0.0.1:8050"


def test_self_time_by_script_and_the_main_threads_total():
    frame = lambda fid, name, url="": {"id": fid, "callFrame": {"functionName": name, "url": url}}  # noqa: E731
    profile = {
        "nodes": [frame(1, "(root)"), frame(2, "(idle)"), frame(3, "(program)"),
                  frame(4, "react", f"{BASE}/assets/vendor/plotly-coopatlas.min.js?m=17"),
                  frame(5, "render", f"{BASE}/_dash-component-suites/dash/dcc/dash_core_components.v4_4_1m17.js"),
                  frame(6, "")],
        "samples": [2, 4, 4, 5, 3, 6, 2],
        "timeDeltas": [1000, 200, 300, 400, 500, 600, 700],  # µs
    }
    cpu = cpu_by_script(profile, BASE)
    assert cpu["/assets/vendor/plotly-coopatlas.min.js"] == 0.5
    assert cpu["dash/dcc/dash_core_components.js"] == 0.4  # fingerprint and query left out
    assert cpu["(program)"] == 0.5 and cpu["(anonymous)"] == 0.6 and cpu["(idle)"] == 1.7
    assert cpu["main thread"] == 2.0  # everything but idle
