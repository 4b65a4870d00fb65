"""
A stand-in SGLang server that writes its metrics the way SGLang does: the
real prometheus_client in multiprocess mode, one OS process per writer (the
tokenizer in the HTTP process, one process per scheduler rank that writes),
and /metrics served by MultiProcessCollector through prometheus_client's own
WSGI app, so content negotiation (OpenMetrics or text), float `le` values and
multiprocess merging are the library's, not ours.

Usage: /usr/bin/python3 sglang_standin.py PLAN.json          (HTTP server + tokenizer writer)
       /usr/bin/python3 sglang_standin.py PLAN.json WRITER   (one scheduler writer, started by the server)

The plan (written by sglang.ts from a metric contract) names every metric to
declare and, per writer, every series with its value in each traffic mode.
The mode is read from the plan's control file at every tick, so the test
switches it by rewriting that file. PROMETHEUS_MULTIPROC_DIR must be the
plan's multiprocDir; the server empties it at start, so a restart starts
every counter from zero, as a restarted SGLang does. Each writer marks
itself ready in the plan's readyDir once its start-up series exist.
"""
import ctypes
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import traceback

MISSING_CLIENT = "the SGLang stand-in needs prometheus_client for /usr/bin/python3: install the Debian package python3-prometheus-client"

try:
    from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, make_wsgi_app, multiprocess
except ImportError:
    print(MISSING_CLIENT, file=sys.stderr)
    sys.exit(3)

from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

# Gauge modes of newer prometheus_client releases (0.18 and later; Debian's is
# older), and the older mode that writes the same exposition when each label
# set has a single writer (the plan builder checks it for these modes).
EQUIVALENT_MODES = {"mostrecent": "max", "livemostrecent": "livemax"}

PR_SET_PDEATHSIG = 1


def die_with_parent():
    """Writers get SIGKILL when the server process dies, however it dies."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def gauge_mode(requested):
    if requested in Gauge._MULTIPROC_MODES:
        return requested
    fallback = EQUIVALENT_MODES.get(requested)
    if fallback is None:
        raise SystemExit("unknown multiprocess_mode %r (this prometheus_client knows %s)" % (requested, sorted(Gauge._MULTIPROC_MODES)))
    return fallback


def declare(metric):
    """The metric as SGLang declares it: counters without _total (the library appends it)."""
    kind = metric["type"]
    labels = metric["labels"]
    if kind == "counter":
        return Counter(metric["name"], metric["documentation"], labels)
    if kind == "histogram":
        return Histogram(metric["name"], metric["documentation"], labels, buckets=metric["buckets"])
    mode = gauge_mode(metric.get("multiprocessMode") or "all")
    return Gauge(metric["name"], metric["documentation"], labels, multiprocess_mode=mode)


class Series:
    """One labelled series of one writer, advanced every tick by its mode's value."""

    def __init__(self, spec, metric, rng):
        self.spec = spec
        self.metric = metric
        self.rng = rng
        self.child = None
        self.pending = 0.0
        if spec["atStart"]:
            self.materialize()

    def materialize(self):
        if self.child is None:
            # An unlabelled metric is its own series (and exists from its declaration on).
            labels = self.spec["labels"]
            self.child = self.metric.labels(**labels) if labels else self.metric
        return self.child

    def advance(self, mode, seconds):
        value = self.spec["byMode"].get(mode)
        if value is None:
            return
        if "level" in value:
            level = value["level"] * (1 + value["spread"] * (2 * self.rng.random() - 1))
            self.materialize().set(round(level) if value["integer"] else level)
            return
        self.pending += value["rate"] * seconds
        events = int(self.pending)
        if events <= 0:
            return
        self.pending -= events
        if "mix" not in value:
            self.materialize().inc(events)
            return
        observed = [v for v, _ in value["mix"]]
        weights = [w for _, w in value["mix"]]
        child = self.materialize()
        for v in self.rng.choices(observed, weights, k=events):
            child.observe(v)


def ready_marker(plan, index):
    return os.path.join(plan["readyDir"], "writer-%d" % index)


def run_writer(plan, index):
    writer = plan["writers"][index]
    metrics = {m["name"]: declare(m) for m in plan["metrics"] if m["name"] in {s["metric"] for s in writer["series"]}}
    rng = random.Random("%s/%s" % (plan["seed"], writer["name"]))
    series = [Series(s, metrics[s["metric"]], rng) for s in writer["series"]]
    # Every series that exists at start now has its value in a multiprocess
    # file: a scrape from now on sees them all (a file being created reads as
    # empty and fails the whole scrape, a race of prometheus_client itself).
    open(ready_marker(plan, index), "w").close()
    control = plan["controlFile"]
    last = time.monotonic()
    while True:
        with open(control) as f:
            mode = f.read().strip()
        now = time.monotonic()
        for s in series:
            s.advance(mode, now - last)
        last = now
        time.sleep(plan["tickSeconds"])


def run_tokenizer(plan):
    """The tokenizer's writer, in the server process: if it fails, the whole server exits (a scrape must not go on silently frozen)."""
    try:
        run_writer(plan, 0)
    except BaseException:
        traceback.print_exc()
        sys.stderr.flush()
        os._exit(1)


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class SilentHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def server_app(plan):
    """/metrics as SGLang mounts it (a fresh registry holding a MultiProcessCollector), plus the health endpoints."""
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    metrics_app = make_wsgi_app(registry)
    control = plan["controlFile"]

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/metrics":
            return metrics_app(environ, start_response)
        if path in ("/health", "/health_generate"):
            with open(control) as f:
                mode = f.read().strip()
            # A generation fails while the server answers errors; the process itself is up.
            ok = path == "/health" or mode != "erroring"
            start_response("200 OK" if ok else "503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b""]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    return app


def clear_dir(path, suffix):
    for name in os.listdir(path):
        if name.endswith(suffix) or not suffix:
            os.remove(os.path.join(path, name))


def watch_writers(children):
    """A writer that dies takes the server with it, as a scheduler crash takes SGLang down."""
    while True:
        for child in children:
            if child.poll() is not None:
                print("writer %d exited with %s" % (child.pid, child.returncode), file=sys.stderr, flush=True)
                for other in children:
                    other.kill()
                os._exit(1)
        time.sleep(0.2)


def run_server(plan_path, plan):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR") != plan["multiprocDir"]:
        raise SystemExit("PROMETHEUS_MULTIPROC_DIR must be the plan's multiprocDir %s" % plan["multiprocDir"])
    clear_dir(plan["multiprocDir"], ".db")
    clear_dir(plan["readyDir"], "")
    children = [
        subprocess.Popen([sys.executable, os.path.abspath(__file__), plan_path, str(i)], preexec_fn=die_with_parent)
        for i in range(1, len(plan["writers"]))
    ]

    def stop(signum, frame):
        for child in children:
            child.kill()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    threading.Thread(target=watch_writers, args=(children,), daemon=True).start()
    httpd = make_server("127.0.0.1", plan["port"], server_app(plan), ThreadingWSGIServer, handler_class=SilentHandler)
    threading.Thread(target=run_tokenizer, args=(plan,), daemon=True).start()
    print("serving on 127.0.0.1:%d, writers: %s" % (plan["port"], ", ".join(w["name"] for w in plan["writers"])), flush=True)
    httpd.serve_forever()


def main():
    plan_path = sys.argv[1]
    with open(plan_path) as f:
        plan = json.load(f)
    if len(sys.argv) > 2:
        run_writer(plan, int(sys.argv[2]))
    else:
        run_server(plan_path, plan)


if __name__ == "__main__":
    main()
