"""Lighthouse (pinned in package.json) against the demo served by real nginx: home, a list, an article and the org
chart, mobile and desktop, at least 98 in performance, accessibility, best practices and SEO; the home page
transfers at most 60 KB and nothing comes from another host.

Throttling: `--throttling-method=provided`, i.e. the page is measured as it loads from loopback, without
Lighthouse's simulated slow network and 4x CPU slowdown. The simulation scales the CPU time it observes, so its
score follows the load of a shared 2-core machine as much as the page; measured as provided the score depends on
what the page asks for (requests, bytes, render-blocking resources, layout shifts), which is what the theme
controls. Page weight is held separately (the 60 KB budget), so a heavier page still fails here.

Even so, a page loaded while the suite's other worker builds a site took 2.3 s to first paint instead of 0.2 s
(score 96): the test is marked `alone`, and `make test` runs it after the parallel part, on a quiet machine."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, FIXED_NOW, REPO, copy_instance, require
from tests.servers import free_port, wait_for_port

from .site import first_link

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.alone]

LIGHTHOUSE = REPO / "node_modules" / "lighthouse" / "cli" / "index.js"
RUNNER = Path(__file__).with_name("lighthouse_pages.mjs")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = ("first-contentful-paint", "largest-contentful-paint", "speed-index", "total-blocking-time",
           "cumulative-layout-shift")  # what the performance score is made of, in the message when it is low
HOME_BUDGET = 60 * 1024
PAGES = {"home": "/", "list": "/haberler/", "org chart": "/kurumsal/organizasyon-semasi/"}


@pytest.fixture(scope="module")
def served_demo(tmp_path_factory):
    """The demo built with its site address on the port nginx then serves it on (canonical links and feeds name
    the site being tested), served by nginx with the generated config."""
    from municms.build import build_site
    from municms.config import load_instance
    from municms.nginx import prepare_prefix, standalone_conf

    require(shutil.which("nginx") is not None, "nginx")
    root = copy_instance(REPO, tmp_path_factory.mktemp("lighthouse") / "instance")
    port = free_port()
    config = root / "instance.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'site_url: "http://127.0.0.1:8000"', f'site_url: "http://127.0.0.1:{port}"'), encoding="utf-8")
    output = root.parent / "site"
    build_site(load_instance(root), output, now=FIXED_NOW, build_id="test-lighthouse")
    prefix = root.parent / "nginx"
    prepare_prefix(prefix)
    (prefix / "nginx.conf").write_text(standalone_conf(prefix, output, port), encoding="utf-8")
    proc = subprocess.Popen(["nginx", "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_port(port, proc, "nginx")
        yield f"http://127.0.0.1:{port}", output
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def run_lighthouse(jobs: list[dict], folder) -> list[dict]:
    """Every job ({url, formFactor}) in one Chromium (lighthouse_pages.mjs); the Lighthouse result of each."""
    (folder / "jobs.json").write_text(json.dumps(jobs), encoding="utf-8")
    env = dict(os.environ, CHROME_PATH=str(CHROMIUM), CHROME_FLAGS=" ".join(["--headless=new", *CHROMIUM_ARGS]))
    done = subprocess.run(["node", str(RUNNER), str(folder / "jobs.json"), str(folder / "report.json")], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads((folder / "report.json").read_text(encoding="utf-8"))


def performance(result: dict) -> float:
    return result["categories"]["performance"]["score"]


def median_runs(jobs: list[dict], folder) -> list[dict]:
    """One run of every job; a job scoring below 98 in performance runs twice more and its median run counts
    (as Lighthouse CI does with numberOfRuns=3). The other categories do not vary between runs, and a page that
    is really slow is slow in two runs of three; a burst of load from another process on the machine is not."""
    results = run_lighthouse(jobs, folder)
    again = [i for i, result in enumerate(results) if performance(result) < 0.98]
    if again:
        extra = run_lighthouse([jobs[i] for i in again for _ in range(2)], folder)
        for n, i in enumerate(again):
            runs = sorted([results[i], *extra[2 * n:2 * n + 2]], key=performance)
            print(f"{jobs[i]['name']} ({jobs[i]['formFactor']}): performance of 3 runs "
                  f"{[round(performance(r) * 100) for r in runs]}")
            results[i] = runs[1]
    return results


def test_lighthouse_scores_budget_and_no_third_party(served_demo, tmp_path):
    require(LIGHTHOUSE.is_file(), f"Lighthouse ({LIGHTHOUSE.relative_to(REPO)}, from `npm ci`)")
    require(shutil.which("node") is not None, "Node.js")
    base, site = served_demo
    pages = {**PAGES, "article": first_link(site, "/haberler/")}
    jobs = [{"url": base + path, "formFactor": form, "name": name}
            for form in ("mobile", "desktop") for name, path in pages.items()]
    low, scores_of = [], {}
    for job, result in zip(jobs, median_runs(jobs, tmp_path), strict=True):
        where = f"{job['name']} ({job['formFactor']})"
        assert result["configSettings"]["formFactor"] == job["formFactor"] and result["finalDisplayedUrl"] == job["url"]
        scores = {key: round(result["categories"][key]["score"] * 100) for key in CATEGORIES}
        scores_of[where] = scores
        failed = [audit["id"] for audit in result["audits"].values()
                  if audit.get("score") is not None and audit["score"] < 0.9 and audit["scoreDisplayMode"] == "binary"]
        metrics = {key: round(result["audits"][key]["numericValue"], 3 if key == "cumulative-layout-shift" else 0)
                   for key in METRICS}
        low += [f"{where}: {scores}, {metrics}, failing audits {failed}"] if min(scores.values()) < 98 else []
        requests = result["audits"]["network-requests"]["details"]["items"]
        foreign = [r["url"] for r in requests if not r["url"].startswith(base + "/")]
        assert foreign == [], f"{where}: requests to other hosts {foreign}"
        if job["name"] == "home":
            weight = result["audits"]["total-byte-weight"]["numericValue"]
            print(f"{where}: {weight / 1024:.1f} KB in {len(requests)} requests")
            assert weight <= HOME_BUDGET, f"home transfers {weight} bytes"
    print(scores_of)
    assert low == [], "\n".join(low)
