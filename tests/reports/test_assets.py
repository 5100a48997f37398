"""Chart.js comes from the npm registry, pinned, and is served as a static file everywhere."""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.contrib.staticfiles import finders

from tests.test_deploy_compose import dockerfile_instructions, final_stage

REPO = Path(__file__).resolve().parents[2]
CHART_JS = "vendor/chart.js/chart.umd.min.js"


def test_chart_js_is_pinned_to_one_version_in_package_and_lock() -> None:
    declared = json.loads((REPO / "package.json").read_text())["dependencies"]["chart.js"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", declared), "pin chart.js exactly (npm --save-exact)"
    lock = json.loads((REPO / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/chart.js"]["version"] == declared


def test_make_install_runs_npm_ci_and_puts_chart_js_among_the_static_files() -> None:
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r"^install: .*\$\(CHART_JS\)", makefile, re.MULTILINE)
    assert "npm ci --omit=dev" in makefile
    assert f"CHART_JS := static/{CHART_JS}" in makefile
    found = finders.find(CHART_JS)
    assert found, f"{CHART_JS} is missing: run `make install`"
    assert Path(found).read_text(encoding="utf-8").startswith("/*!")  # Chart.js's own banner


def test_the_image_installs_chart_js_before_collecting_static_files() -> None:
    instructions = dockerfile_instructions()
    assert any(
        keyword == "RUN" and "npm ci --omit=dev" in arguments for keyword, arguments in instructions
    )
    final = final_stage(instructions)
    copied = next(
        i
        for i, (keyword, arguments) in enumerate(final)
        if keyword == "COPY" and "chart.umd.min.js" in arguments
    )
    collected = next(
        i
        for i, (keyword, arguments) in enumerate(final)
        if keyword == "RUN" and "collectstatic" in arguments
    )
    assert copied < collected
    assert final[copied][1].split()[-1].rstrip("/") == "static/vendor/chart.js"
