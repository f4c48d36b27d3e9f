#!/usr/bin/env python3
"""A stand-in for `backroads serve` to work on the page without the real server.

Serves src/serve/page/index.html at / and answers the /v1/jobs API with canned
files written by the real CLI:

    backroads solve examples/data/small.json --out DIR/s.json --geojson DIR/s.geojson

Usage: python3 tests/page/mock_server.py DIR [PORT]   (prints `listening on http://ADDR`)

A body that is not valid JSON (and not CSV) gets a 400 with the server's error
shape; a job reports progress while it runs. Multi-day: if DIR has
week.json and week-dayN.geojson, a body containing "horizon_days" answers with
them (`?format=geojson&day=N`); a CSV body gets c.json and c.geojson. A job runs for its
time_limit (default 2 s).
"""
import json
import sys
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "src" / "serve" / "page" / "index.html"
DATA = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/pagemock")
JOBS = {}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, code, body, ctype="application/json"):
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def error(self, code, kind, msg):
        self.send(code, {"error": {"code": kind, "message": msg}})

    def job(self, parts):
        job = JOBS.get(parts[2]) if len(parts) > 2 else None
        if job is None:
            self.error(404, "not_found", "no such job")
        return job

    def status(self, job):
        el = time.time() - job["t0"]
        st = job["status"]
        run_s = job["run_s"]
        if st == "running" and el >= run_s:
            st = job["status"] = "done"
        el = min(el, run_s)
        return {
            "id": job["id"],
            "status": st,
            "progress": {"best_cost": 35502 + int(1000 * (run_s - el)), "iterations": int(el * 900), "elapsed_s": el},
            "summary": None,
            "error": None,
        }

    def do_GET(self):
        u = urlparse(self.path)
        parts = u.path.strip("/").split("/")
        q = parse_qs(u.query)
        if u.path == "/":
            return self.send(200, PAGE.read_bytes(), "text/html; charset=utf-8")
        if parts[:2] != ["v1", "jobs"]:
            return self.error(404, "not_found", "no such route")
        job = self.job(parts)
        if job is None:
            return
        if len(parts) == 3:
            return self.send(200, self.status(job))
        if len(parts) == 4 and parts[3] == "solution":
            if self.status(job)["status"] not in ("done", "cancelled"):
                return self.error(409, "not_ready", "the job has not finished")
            stem = job["stem"]
            if q.get("format") == ["geojson"]:
                name = f"{stem}-day{q.get('day', ['1'])[0]}.geojson" if stem == "week" else f"{stem}.geojson"
                return self.send(200, (DATA / name).read_bytes())
            if q.get("format") == ["csv"]:
                sol = json.loads((DATA / f"{stem}.json").read_text())
                rows = ["vehicle_type,vehicle,town"] + [
                    f"{r['vehicle_type']},{r['vehicle']},{st['town']}" for r in sol.get("routes", []) for st in r["stops"]
                ]
                return self.send(200, ("\n".join(rows) + "\n").encode(), "text/csv")
            return self.send(200, (DATA / f"{stem}.json").read_bytes())
        self.error(404, "not_found", "no such route")

    def do_POST(self):
        u = urlparse(self.path)
        if u.path != "/v1/jobs":
            return self.error(404, "not_found", "no such route")
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
        csv = "csv" in self.headers.get("Content-Type", "")
        if not csv:
            try:
                json.loads(body)
            except ValueError as e:
                return self.error(400, "bad_problem", f"problem JSON: {e}")
        jid = uuid.uuid4().hex[:12]
        run_s = float(parse_qs(u.query).get("time_limit", ["2"])[0])
        stem = "c" if csv else "week" if "horizon_days" in body else "s"
        JOBS[jid] = {"id": jid, "t0": time.time(), "status": "running", "stem": stem, "run_s": run_s}
        self.send(202, {"id": jid})

    def do_DELETE(self):
        parts = urlparse(self.path).path.strip("/").split("/")
        job = self.job(parts)
        if job is not None:
            job["status"] = "cancelled"
            self.send(200, self.status(job))


if __name__ == "__main__":
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    srv = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print(f"listening on http://127.0.0.1:{srv.server_address[1]}", flush=True)
    srv.serve_forever()
