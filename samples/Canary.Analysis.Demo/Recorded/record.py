#!/usr/bin/env python3
"""Records the demo fixture from a real Prometheus.

Generates 2 hours of prometheus-net style request counters for a baseline and a 5 % canary, backfills them
with promtool, starts Prometheus on a free loopback port, runs the grouped queries the library sends and
saves Prometheus' own responses to canary-vs-baseline.json. Deterministic (seeded); needs Debian's
`prometheus` package. Run: python3 samples/Canary.Analysis.Demo/Recorded/record.py
"""
import json, os, random, shutil, socket, subprocess, sys, tempfile, time, urllib.parse, urllib.request

START = 1767225600          # 2026-01-01T00:00:00Z
END = START + 2 * 3600      # evaluation time
STEP = 15                   # scrape interval, seconds
WINDOW = "1800s"  # as the library renders a 30-minute window
# endpoint: (total req/s across versions, baseline error rate, canary error rate)
ENDPOINTS = {
    "/api/search":   (60.0, 0.002, 0.002),
    "/api/products": (25.0, 0.003, 0.003),
    "/api/cart":     (8.0, 0.004, 0.004),
    "/api/checkout": (3.0, 0.005, 0.006),
    "/api/pay":      (2.0, 0.004, 0.25),   # rare and broken on the canary
    "/health":       (1.0, 0.0, 0.0),
}
CANARY_SHARE = 0.05


def openmetrics(rng):
    lines = ["# HELP http_request_duration_seconds The duration of HTTP requests processed by an ASP.NET Core application.",
             "# TYPE http_request_duration_seconds histogram"]
    series = {}
    for version, share in (("baseline", 1 - CANARY_SHARE), ("canary", CANARY_SHARE)):
        for endpoint, (rate, base_err, canary_err) in ENDPOINTS.items():
            err = canary_err if version == "canary" else base_err
            ok, bad = 0, 0
            for t in range(START, END + 1, STEP):
                n = sum(1 for _ in range(int(rate * share * STEP * 3)) if rng.random() < 1 / 3)
                fails = sum(1 for _ in range(n) if rng.random() < err)
                ok += n - fails
                bad += fails
                for code, value in (("200", ok), ("500", bad)):
                    series.setdefault((version, endpoint, code), []).append((t, value))
    for (version, endpoint, code), samples in sorted(series.items()):
        if samples[-1][1] == 0:
            continue  # prometheus-net only exports label sets that were observed
        labels = f'code="{code}",endpoint="{endpoint}",method="GET",version="{version}"'
        for t, v in samples:
            lines.append(f"http_request_duration_seconds_count{{{labels}}} {v} {t}")
    lines.append("# EOF")
    return "\n".join(lines) + "\n"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "canary-vs-baseline.json")
    work = tempfile.mkdtemp()
    try:
        fixture = os.path.join(work, "fixture.om")
        with open(fixture, "w") as f:
            f.write(openmetrics(random.Random(20260101)))
        data = os.path.join(work, "data")
        subprocess.run(["promtool", "tsdb", "create-blocks-from", "openmetrics", fixture, data], check=True, capture_output=True)
        config = os.path.join(work, "prometheus.yml")
        with open(config, "w") as f:
            f.write("global:\n  scrape_interval: 15s\n")
        port = free_port()
        proc = subprocess.Popen(["prometheus", f"--config.file={config}", f"--storage.tsdb.path={data}",
                                 "--storage.tsdb.retention.time=100y", f"--web.listen-address=127.0.0.1:{port}"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(300):
                try:
                    if urllib.request.urlopen(base + "/-/ready").status == 200:
                        break
                except OSError:
                    time.sleep(0.1)
            recordings = []
            for version in ("baseline", "canary"):
                query = f'sum by (endpoint, code) (increase(http_request_duration_seconds_count{{version="{version}"}}[{WINDOW}]))'
                body = urllib.parse.urlencode({"query": query, "time": str(END)}).encode()
                response = json.load(urllib.request.urlopen(base + "/api/v1/query", data=body))
                recordings.append({"query": query, "time": "2026-01-01T02:00:00Z", "response": response})
        finally:
            proc.terminate()
            proc.wait()
        with open(out, "w") as f:
            json.dump({"format": "canary-analysis/recorded-prometheus/v1",
                       "source": "Prometheus, backfilled by samples/Canary.Analysis.Demo/Recorded/record.py",
                       "recordings": recordings}, f, indent=1)
            f.write("\n")
        print(f"wrote {out}")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    sys.exit(main())
