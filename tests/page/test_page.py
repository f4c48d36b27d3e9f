"""End-to-end test of the plan page (`GET /` of `backroads serve`) in real headless Chromium.

Starts `$BACKROADS_BIN serve --addr 127.0.0.1:0` (default target/release/backroads), drives the
page with Selenium through Debian's chromium + chromedriver (nothing downloaded), and checks what
a person would see against the server's own answers.

Environment:
  BACKROADS_BIN              the CLI (default: target/release/backroads)
  BACKROADS_PAGE_SCREENSHOT  where the 1280x800 screenshot goes (default target/page/map-page.png;
                             tests/page/run.sh --screenshot writes docs/map-page.png)
  BACKROADS_PAGE_MOCK        a folder of canned answers: run against tests/page/mock_server.py
                             instead of the real server (only for working on the page)
  CHROMIUM, CHROMEDRIVER     the browser and driver (default /usr/bin/chromium, /usr/bin/chromedriver)
"""

import csv
import io
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "examples" / "data"
DEADLINE_S = 120  # generous: 2 shared cores, other builds running

os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must never go online


# ---------------------------------------------------------------- server


@pytest.fixture(scope="session")
def server():
    mock = os.environ.get("BACKROADS_PAGE_MOCK")
    if mock:
        cmd = [sys.executable, str(ROOT / "tests" / "page" / "mock_server.py"), mock]
    else:
        binary = Path(os.environ.get("BACKROADS_BIN") or ROOT / "target" / "release" / "backroads")
        if not binary.is_file():
            pytest.fail(f"no backroads binary at {binary}: build it or set BACKROADS_BIN")
        cmd = [str(binary), "serve", "--addr", "127.0.0.1:0"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = queue.Queue()

    def pump():
        for line in proc.stdout:
            lines.put(line)
            sys.stderr.write("[server] " + line)

    threading.Thread(target=pump, daemon=True).start()
    base = None
    end = time.time() + 30
    while time.time() < end and base is None:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            if proc.poll() is not None:
                break
            continue
        if line.startswith("listening on "):
            base = line.split("listening on ", 1)[1].strip().rstrip("/")
    if base is None:
        proc.kill()
        pytest.fail(f"the server did not print `listening on http://ADDR` ({' '.join(cmd)})")
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def get_json(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.loads(r.read().decode())


def post_error(base, body, ctype):
    """POSTs a job the server must refuse; returns (status, error object)."""
    req = urllib.request.Request(base + "/v1/jobs", data=body.encode(), method="POST", headers={"Content-Type": ctype})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read().decode())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read().decode())["error"]


# ---------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser():
    profile = tempfile.mkdtemp(prefix="backroads-page-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for flag in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--hide-scrollbars",
        "--window-size=1280,800",
        f"--user-data-dir={profile}",
    ]:
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=opts)
    # The page itself gets exactly 1280x800 CSS pixels, whatever the window decorations.
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False}
    )
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser, server):
    browser.get(server + "/")
    wait_for(lambda: browser.execute_script("return document.readyState") == "complete", "page loaded")
    yield browser
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and "/v1/jobs" not in e["message"]]
    assert not errors, f"console errors: {errors}"


def wait_for(cond, what, timeout=DEADLINE_S):
    end = time.time() + timeout
    last = None
    while time.time() < end:
        try:
            v = cond()
            if v:
                return v
        except Exception as e:  # the DOM may be mid-render
            last = e
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}" + (f" ({last})" if last else ""))


def paste(driver, value):
    """Puts text in the problem box as a paste would (an input event), without typing it key by key."""
    box = driver.find_element(By.ID, "problem-text")
    driver.execute_script(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
        box,
        value,
    )


def set_field(driver, field_id, value):
    el = driver.find_element(By.ID, field_id)
    el.clear()
    if value != "":
        el.send_keys(str(value))


def start_and_wait(driver):
    driver.find_element(By.ID, "start-btn").click()
    job = wait_for(lambda: driver.find_element(By.ID, "job-id").get_attribute("data-job"), "a job id")
    status = wait_for(
        lambda: (s := driver.find_element(By.ID, "status").text) in ("done", "failed", "cancelled") and s,
        "the job to finish",
    )
    assert status == "done", f"job ended {status}: {driver.find_element(By.ID, 'error').text}"
    return job


def hhmm(s):
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}"


def schedule_rows(driver):
    rows = driver.find_elements(By.CSS_SELECTOR, "#schedule tbody tr.stop-row")
    return [[td.text for td in r.find_elements(By.TAG_NAME, "td")] for r in rows]


def screenshot_path():
    p = Path(os.environ.get("BACKROADS_PAGE_SCREENSHOT") or ROOT / "target" / "page" / "map-page.png")
    if not p.is_absolute():
        p = ROOT / p
    p.parent.mkdir(parents=True, exist_ok=True)
    return p


# ---------------------------------------------------------------- tests


def test_page_is_self_contained_and_labelled(page, server):
    html = urllib.request.urlopen(server + "/", timeout=30).read().decode()
    assert "<svg" in html and "<script>" in html
    for needle in ("http://", "https://", "src=", "@import", "url("):
        assert needle not in html, f"the page must load nothing external, found {needle!r}"
    # Every control a person types into or picks has a label.
    unlabelled = page.execute_script(
        """return [...document.querySelectorAll('input, textarea, select')]
             .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
             .map(e => e.id || e.name);"""
    )
    assert unlabelled == []
    # "Load example" fills the box from the page itself: no request at all.
    before = page.execute_script("return performance.getEntriesByType('resource').length")
    page.find_element(By.ID, "example-btn").click()
    assert '"far-farm"' in page.find_element(By.ID, "problem-text").get_attribute("value")
    assert page.find_element(By.ID, "format-hint").text == "detected: JSON"
    time.sleep(0.3)
    assert page.execute_script("return performance.getEntriesByType('resource').length") == before
    # Nothing but the page's own origin was asked for.
    origins = page.execute_script(
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).origin)"
    )
    assert all(o == server for o in origins), origins


def test_small_json_routes_depots_unassigned_schedule(page, server):
    paste(page, (DATA / "small.json").read_text())
    assert page.find_element(By.ID, "format-hint").text == "detected: JSON"
    set_field(page, "time-limit", 2)
    set_field(page, "seed", 7)
    set_field(page, "threads", 1)
    job = start_and_wait(page)

    solution = get_json(f"{server}/v1/jobs/{job}/solution")
    geo = get_json(f"{server}/v1/jobs/{job}/solution?format=geojson")
    routes = solution["routes"]
    assert routes, "small.json has routes"
    wait_for(lambda: len(page.find_elements(By.CSS_SELECTOR, "#legend button[data-route]")) == len(routes), "legend")

    # One polyline per route, in the route's colour, and one legend entry per vehicle.
    lines = page.find_elements(By.CSS_SELECTOR, "#map polyline.route-line")
    assert len(lines) == len(routes)
    assert len({l.get_attribute("stroke") for l in lines}) == len(routes), "a colour per vehicle"
    legend = [b.find_element(By.CLASS_NAME, "name").text for b in page.find_elements(By.CSS_SELECTOR, "#legend button")]
    assert legend == [f"{r['vehicle_type']} #{r['vehicle']}" for r in routes]
    # A stop marker per stop.
    assert len(page.find_elements(By.CSS_SELECTOR, "#map circle.stop")) == sum(len(r["stops"]) for r in routes)

    # Both depots, as squares.
    depots = page.find_elements(By.CSS_SELECTOR, "#map rect.depot-marker")
    assert sorted(d.get_attribute("data-depot") for d in depots) == ["north", "south"]

    # far-farm is listed with the server's reason, and marked grey on the map.
    reasons = {
        f["properties"]["town"]: f["properties"]["reason"]
        for f in geo["features"]
        if f["properties"]["kind"] == "unassigned"
    }
    assert "far-farm" in reasons
    item = page.find_element(By.CSS_SELECTOR, "#unassigned-list li[data-town='far-farm']")
    assert "A farm too far for one shift" in item.text
    assert item.find_element(By.CLASS_NAME, "reason").text == reasons["far-farm"]
    assert page.find_elements(By.CSS_SELECTOR, "#map circle.unassigned-marker[data-town='far-farm']")
    assert page.find_element(By.ID, "unassigned-count").text == f"({len(solution['unassigned'])})"

    # Click a route on the map (one of its stops): its schedule, stop by stop.
    names = {f["properties"]["town"]: f["properties"]["name"] for f in geo["features"] if f["properties"]["kind"] == "stop"}
    longest = max(range(len(routes)), key=lambda i: len(routes[i]["stops"]))
    page.find_element(By.CSS_SELECTOR, f"#map circle.stop[data-route='{longest}']").click()
    wait_for(lambda: not page.find_element(By.ID, "schedule").get_attribute("hidden"), "the schedule table")

    def expected(r):
        return [
            [str(k + 1), s["town"], names[s["town"]], hhmm(s["arrival_s"]), hhmm(s["start_s"]), hhmm(s["departure_s"]), f"{s['load_after']:,}"]
            for k, s in enumerate(r["stops"])
        ]

    assert schedule_rows(page) == expected(routes[longest])
    title = page.find_element(By.ID, "schedule-title").text
    assert f"{routes[longest]['vehicle_type']} #{routes[longest]['vehicle']}" in title
    selected = page.find_elements(By.CSS_SELECTOR, "#map polyline.route-line.sel")
    assert [s.get_attribute("data-route") for s in selected] == [str(longest)]

    # The legend does the same, for another route.
    other = (longest + 1) % len(routes)
    page.find_element(By.CSS_SELECTOR, f"#legend button[data-route='{other}']").click()
    assert schedule_rows(page) == expected(routes[other])
    assert page.find_element(By.CSS_SELECTOR, f"#legend button[data-route='{other}']").get_attribute("aria-pressed") == "true"

    # Downloads of the same plan, from the same origin.
    links = {i: page.find_element(By.ID, i).get_attribute("href") for i in ("dl-json", "dl-geojson", "dl-csv")}
    assert all(h.startswith(server + "/v1/jobs/") for h in links.values()), links
    assert get_json(links["dl-json"]) == solution
    assert get_json(links["dl-geojson"])["type"] == "FeatureCollection"
    with urllib.request.urlopen(links["dl-csv"], timeout=30) as r:
        assert "neudrossenfeld" in r.read().decode()

    # Back to the longest route for the picture.
    page.find_element(By.CSS_SELECTOR, f"#legend button[data-route='{longest}']").click()
    time.sleep(0.2)
    assert page.execute_script("return [innerWidth, innerHeight]") == [1280, 800]
    path = screenshot_path()
    page.save_screenshot(str(path))
    assert path.stat().st_size > 10_000


def small_towns_csv():
    """The first 30 towns of examples/data/cn_jiangsu_anhui.csv, rewritten through the csv module."""
    with open(DATA / "cn_jiangsu_anhui.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))[:31]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    lat = [float(r[rows[0].index("lat")]) for r in rows[1:]]
    lon = [float(r[rows[0].index("lon")]) for r in rows[1:]]
    return out.getvalue(), sum(lon) / len(lon), sum(lat) / len(lat)


def test_towns_csv_upload(page, server, tmp_path):
    text, lon, lat = small_towns_csv()
    path = tmp_path / "towns.csv"
    path.write_text(text, encoding="utf-8")
    page.find_element(By.ID, "file-input").send_keys(str(path))  # a real file upload
    wait_for(lambda: page.find_element(By.ID, "problem-text").get_attribute("value").startswith("id,name,lat,lon"), "the file read")
    assert page.find_element(By.ID, "format-hint").text == "sent as CSV"
    assert page.find_element(By.ID, "csv-options").is_displayed()
    set_field(page, "depot-lon", f"{lon:.4f}")
    set_field(page, "depot-lat", f"{lat:.4f}")
    set_field(page, "capacity", 10)
    set_field(page, "vehicles", 5)
    set_field(page, "time-limit", 2)
    set_field(page, "threads", 1)
    job = start_and_wait(page)
    solution = get_json(f"{server}/v1/jobs/{job}/solution")
    routes = solution["routes"]
    assert routes
    wait_for(lambda: len(page.find_elements(By.CSS_SELECTOR, "#map polyline.route-line")) == len(routes), "the routes drawn")
    assert len(page.find_elements(By.CSS_SELECTOR, "#map rect.depot-marker")) >= 1
    served = sum(len(r["stops"]) for r in routes)
    assert served + len(solution["unassigned"]) == 30
    assert len(page.find_elements(By.CSS_SELECTOR, "#map circle.stop")) == served


def test_malformed_json_shows_the_server_message(page, server):
    bad = '{"name": "broken", "depots": ['
    status, err = post_error(server, bad, "application/json")
    assert 400 <= status < 500 and err["message"]
    paste(page, bad)
    page.find_element(By.ID, "start-btn").click()
    box = wait_for(lambda: (e := page.find_element(By.ID, "error")).is_displayed() and e, "the error message")
    assert box.text == err["message"]
    assert page.find_element(By.ID, "status").text == "failed"
    assert page.find_element(By.ID, "start-btn").is_enabled()
    assert page.find_elements(By.CSS_SELECTOR, "#map polyline.route-line") == []


def test_progress_is_live_and_cancel_stops_the_job(page, server):
    paste(page, (DATA / "small.json").read_text())
    set_field(page, "time-limit", 60)
    set_field(page, "threads", 1)
    page.find_element(By.ID, "start-btn").click()
    wait_for(lambda: page.find_element(By.ID, "status").text == "running", "the job running")
    cancel = page.find_element(By.ID, "cancel-btn")
    assert cancel.is_enabled() and not page.find_element(By.ID, "start-btn").is_enabled()
    # The figures move while it runs.
    first = page.find_element(By.ID, "elapsed").text
    wait_for(lambda: page.find_element(By.ID, "elapsed").text not in ("—", first), "elapsed time to move", timeout=20)
    cancel.click()
    wait_for(lambda: page.find_element(By.ID, "status").text == "cancelled", "the job cancelled", timeout=30)
    assert not page.find_element(By.ID, "cancel-btn").is_enabled()
    assert page.find_element(By.ID, "start-btn").is_enabled()
    assert float(page.find_element(By.ID, "elapsed").text.split()[0]) < 50


def test_multi_day_plan_has_a_day_selector(page, server):
    paste(page, (DATA / "iowa_week.json").read_text())
    set_field(page, "time-limit", 3)
    set_field(page, "threads", 1)
    job = start_and_wait(page)
    plan = get_json(f"{server}/v1/jobs/{job}/solution")
    days = plan["days"]
    assert len(days) == 5
    select = page.find_element(By.ID, "day-select")
    assert select.is_displayed()
    assert len(select.find_elements(By.TAG_NAME, "option")) == len(days)

    def drawn():
        return len(page.find_elements(By.CSS_SELECTOR, "#map polyline.route-line"))

    wait_for(lambda: drawn() == len(days[0]["routes"]), "day 1 drawn")
    assert "day 1 of 5" in page.find_element(By.ID, "summary").text
    select.find_elements(By.TAG_NAME, "option")[2].click()
    wait_for(lambda: "day 3 of 5" in page.find_element(By.ID, "summary").text, "day 3 shown")
    assert drawn() == len(days[2]["routes"])
    # Its schedule comes from that day's routes.
    page.find_element(By.CSS_SELECTOR, "#legend button[data-route='0']").click()
    assert [row[1] for row in schedule_rows(page)] == [s["town"] for s in days[2]["routes"][0]["stops"]]


def test_routes_that_end_elsewhere_say_where(page, server):
    problem = json.loads((DATA / "small.json").read_text())
    problem["fleet"][0]["open"] = True  # the north vans end at their last stop
    problem["fleet"][1]["end_depot"] = "north"  # the south van ends its day at the north depot
    paste(page, json.dumps(problem))
    set_field(page, "time-limit", 1)
    set_field(page, "seed", 7)
    set_field(page, "threads", 1)
    job = start_and_wait(page)
    routes = get_json(f"{server}/v1/jobs/{job}/solution")["routes"]
    assert routes
    wait_for(lambda: len(page.find_elements(By.CSS_SELECTOR, "#legend button[data-route]")) == len(routes), "legend")
    for i, r in enumerate(routes):
        page.find_element(By.CSS_SELECTOR, f"#legend button[data-route='{i}']").click()
        wait_for(lambda: not page.find_element(By.ID, "schedule").get_attribute("hidden"), "the schedule table")
        last = page.find_elements(By.CSS_SELECTOR, "#schedule tbody tr.depot-row")[-1].text
        assert hhmm(r["end_s"]) in last
        if r["vehicle_type"] == "van-north":
            assert r.get("open") and "open route" in last, last
        else:
            assert r.get("end_depot") == "north" and "ends here" in last, last


def test_the_day_as_it_happens_replan(page, server):
    """Load a plan, move the clock, mark a stop done, drop a van, add an order, re-plan, see what moved."""
    page.find_element(By.ID, "example-btn").click()
    set_field(page, "time-limit", 1)
    set_field(page, "seed", 3)
    set_field(page, "threads", 1)
    job = start_and_wait(page)
    morning = get_json(f"{server}/v1/jobs/{job}/solution")
    routes = morning["routes"]
    assert len(routes) >= 2, "the example has vans to drop and vans to keep"
    wait_for(lambda: page.find_element(By.ID, "replan-box").is_displayed(), "the re-plan panel")

    # The clock just after the first route's first stop: that stop is done, the van on its way.
    first = routes[0]["stops"][0]
    set_field(page, "replan-now", "")
    page.execute_script(
        "const e = document.getElementById('replan-now'); e.value = arguments[0]; e.dispatchEvent(new Event('input'));",
        hhmm(first["departure_s"] + 60),
    )
    page.find_element(By.ID, "clock-btn").click()
    assert "1 stop done" in page.find_element(By.ID, "day-state").text or "stops done" in page.find_element(By.ID, "day-state").text

    # Mark one more stop done by hand in the first route's schedule (if it has a second stop).
    page.find_element(By.CSS_SELECTOR, "#legend button[data-route='0']").click()
    rows = wait_for(lambda: page.find_elements(By.CSS_SELECTOR, "#schedule tr.stop-row.markable"), "markable stops")
    assert "done-row" in rows[0].get_attribute("class")
    if len(rows) > 1:
        rows[1].click()
        wait_for(lambda: "done-row" in page.find_elements(By.CSS_SELECTOR, "#schedule tr.stop-row")[1].get_attribute("class"), "marked done")

    # The last route's van breaks down; a new shop orders near the north depot.
    down = f"{routes[-1]['vehicle_type']}#{routes[-1]['vehicle']}"
    page.execute_script(
        "const s = document.getElementById('down-van'); s.value = arguments[0]; s.dispatchEvent(new Event('change'));", down
    )
    assert "down" in page.find_element(By.ID, "day-state").text
    set_field(page, "order-id", "new-shop")
    set_field(page, "order-x", 11.555)
    set_field(page, "order-y", 50.025)
    set_field(page, "order-demand", 2)
    page.find_element(By.ID, "order-btn").click()
    assert "new-shop" in page.find_element(By.ID, "orders").text
    set_field(page, "change-penalty", 1000)

    page.find_element(By.ID, "replan-btn").click()
    replan = wait_for(
        lambda: (j := page.find_element(By.ID, "job-id").get_attribute("data-job")) != job and j, "the re-plan job"
    )
    status = wait_for(
        lambda: (s := page.find_element(By.ID, "status").text) in ("done", "failed", "cancelled") and s,
        "the re-plan to finish",
    )
    assert status == "done", page.find_element(By.ID, "error").text
    after = get_json(f"{server}/v1/jobs/{replan}/solution")
    day = after["day"]
    done = {t for v in day["vehicles"] for t in v.get("done", [])}
    assert first["town"] in done
    served = [s["town"] for r in after["routes"] for s in r["stops"]]
    assert not done & set(served), "a done stop is served again"
    assert [v["status"] for v in day["vehicles"] if v["id"] == down] == ["down"]
    assert all(r["vehicle_type"] != down for r in after["routes"])
    assert "new-shop" in served or any(u["town"] == "new-shop" for u in after["unassigned"])
    moved = wait_for(lambda: page.find_element(By.ID, "moved").text, "what moved")
    assert moved.startswith("Re-plan:") and "changed vehicle" in moved
