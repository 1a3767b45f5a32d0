"""Load: users browsing and editing at once against `jixiao serve` (one worker per core).

Simulated users (threads, each with its own session and keep-alive connection) sign in, then
for ``--seconds`` act and pause (uniformly 0–2 × ``--think`` s) in turn, as people at their
desks do. Most are fillers of the demo city unit (12 project tables, 17 base-data lines): they
open the package page (either part), their list, or save their own cell — holding the version
of their own last save and the cell's value, so nearly every save follows a colleague's. The
rest are reviewers of the bureau: the queue, the dashboard, a package page.

Reported: p50/p95/p99 latency of pages and of saves (and of each kind of request), throughput,
errors; the goal is p95 under 300 ms for pages and 150 ms for saves.

    python bench/load.py [--users 50] [--reviewers 10] [--seconds 60] [--think 1]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/load.py --db postgresql
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import threading
import time
from collections import defaultdict
from functools import partial
from pathlib import Path

from concurrent_edits import Editor, cells
from harness import Client, cpu_seconds, environment, latency, machine_busy, percentile, prepare, server, together

PAGE_GOAL, SAVE_GOAL = 0.300, 0.150


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.refused = 0

    def add(self, name: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.times[name].append(seconds)
            if error:
                self.errors.append(f"{name}: {error}")


def get(client: Client, recorder: Recorder, name: str, path: str) -> None:
    try:
        r = client.request("GET", path)
    except OSError as exc:
        recorder.add(name, client.timeout, type(exc).__name__)
        return
    recorder.add(name, r.seconds, None if r.status == 200 else f"{r.status} on {path}")


def filler(editor: Editor, recorder: Recorder, deadline: float, think: float) -> None:
    rng, client, pk = editor.rng, editor.client, editor.pk
    time.sleep(rng.uniform(0, 2 * think))  # users arrive spread out, not all in one instant
    while time.perf_counter() < deadline:
        roll = rng.random()
        if roll < 0.5:
            refused, errors = len(editor.refused), len(editor.errors)
            r = editor.save()
            if r is not None:
                recorder.add("save", r.seconds, editor.errors[-1] if len(editor.errors) > errors else None)
            else:
                recorder.add("save", client.timeout, editor.errors[-1])
            with recorder.lock:
                recorder.refused += len(editor.refused) - refused
        elif roll < 0.85:
            get(client, recorder, "evaluation page", f"/evaluations/{pk}/?part={rng.randint(1, 3)}")
        else:
            get(client, recorder, "evaluation list", "/evaluations/")
        time.sleep(rng.uniform(0, 2 * think))


def reviewer(client: Client, rng: random.Random, pks: list[int], recorder: Recorder, deadline: float, think: float) -> None:
    time.sleep(rng.uniform(0, 2 * think))
    while time.perf_counter() < deadline:
        roll = rng.random()
        if roll < 0.35:
            get(client, recorder, "review queue", "/review/")
        elif roll < 0.7:
            get(client, recorder, "dashboard", "/dashboard/")
        else:
            get(client, recorder, "evaluation page", f"/evaluations/{rng.choice(pks)}/")
        time.sleep(rng.uniform(0, 2 * think))


def report(recorder: Recorder, elapsed: float, cpu: tuple[float, float, float], args) -> bool:
    pages = [t for name, ts in recorder.times.items() if name != "save" for t in ts]
    saves = recorder.times.get("save", [])
    total = len(pages) + len(saves)
    print(f"\n== {args.db}: {args.users} users ({args.users - args.reviewers} fillers, {args.reviewers} reviewers) on {args.units} package(s), "
          f"{elapsed:.0f} s, workers {args.workers or os.cpu_count()}, think 0–{2 * args.think:g} s{', a connection per request' if args.close else ''} ==")
    for name, ts in sorted(recorder.times.items()):
        print(f"  {name:16} {len(ts):6} requests  {latency(ts)}")
    print(f"pages: {len(pages)} ({len(pages) / elapsed:.1f}/s), {latency(pages)}")
    print(f"saves: {len(saves)} ({len(saves) / elapsed:.1f}/s), {latency(saves)}; {recorder.refused} refused (409)")
    print(f"server CPU per request: {cpu[0] / max(total, 1) * 1000:.1f} ms (what the server can serve: {total / max(cpu[0], 1e-9) * (os.cpu_count() or 1):.0f} requests/s on every core)")
    print(f"throughput: {total / elapsed:.1f} requests/s; errors: {len(recorder.errors)}; CPU: server {cpu[0] / elapsed:.0%} "
          f"of one core, load generator {cpu[1] / elapsed:.0%}, other processes {max(cpu[2], 0) / elapsed:.0%} ({os.cpu_count()} cores)")
    for line in recorder.errors[:10]:
        print("   ", line)
    page_p95, save_p95 = percentile(pages, 95), percentile(saves, 95)
    verdict = lambda ok: "met" if ok else "NOT met"  # noqa: E731
    print(f"goal p95 pages < {PAGE_GOAL * 1000:.0f} ms: {verdict(page_p95 < PAGE_GOAL)} ({page_p95 * 1000:.0f} ms); "
          f"saves < {SAVE_GOAL * 1000:.0f} ms: {verdict(save_p95 < SAVE_GOAL)} ({save_p95 * 1000:.0f} ms)")
    return not recorder.errors and page_p95 < PAGE_GOAL and save_p95 < SAVE_GOAL


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--reviewers", type=int, default=10, help="of the users, how many are reviewers")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between a user's requests (s)")
    parser.add_argument("--workers", type=int, default=0, help="0: jixiao serve's default, one per core")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--units", type=int, default=1, help="units the fillers are spread over, each with a copy of the city package (1: all on one package)")
    parser.add_argument("--close", action="store_true", help="a new connection per request, as behind nginx (default: kept alive)")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    args = parser.parse_args()
    Client.keepalive = not args.close
    fillers = [f"load{i:02d}" for i in range(args.users - args.reviewers)]
    reviewers = [f"review{i:02d}" for i in range(args.reviewers)]
    paths = cells(len(fillers))
    recorder = Recorder()
    with environment(args.db, args.database_url) as env:
        info = prepare(env, fillers, reviewers, paths, args.units)
        pks = sorted({pk for pk, _ in info["packages"].values()} | ({info["town"]} if info["town"] else set()))
        with server(env, args.workers, Path(env["JIXIAO_DATA"]) / "serve.log") as (port, pid):
            editors = [Editor(Client(port), info["packages"][name][0], path, "" if info["values"][path] is None else str(info["values"][path]),
                              info["packages"][name][1], random.Random(args.seed * 1000 + i)) for i, (name, path) in enumerate(zip(fillers, paths))]
            readers = [Client(port) for _ in reviewers]
            together([partial(e.client.login, n) for e, n in zip(editors, fillers)] + [partial(c.login, n) for c, n in zip(readers, reviewers)])
            for _ in range(4):  # both workers' caches (rubrics, templates, the package's analysis)
                for path in [f"/evaluations/{pk}/?part={k}" for pk in pks for k in (1, 2, 3)] + ["/dashboard/", "/review/"]:
                    readers[0].request("GET", path) if readers else editors[0].client.request("GET", path)
            start, served, busy, own = time.perf_counter(), cpu_seconds(pid), machine_busy(), resource.getrusage(resource.RUSAGE_SELF)
            deadline = start + args.seconds
            together([partial(filler, e, recorder, deadline, args.think) for e in editors]
                     + [partial(reviewer, c, random.Random(args.seed * 7919 + i), pks, recorder, deadline, args.think) for i, c in enumerate(readers)])
            elapsed = time.perf_counter() - start
            served = cpu_seconds(pid) - served
            mine = resource.getrusage(resource.RUSAGE_SELF)
            mine = mine.ru_utime + mine.ru_stime - own.ru_utime - own.ru_stime
            cpu = (served, mine, machine_busy() - busy - served - mine)
            for c in [e.client for e in editors] + readers:
                c.close()
        log = Path(env["JIXIAO_DATA"]) / "serve.log"
        (Path(tempfile.gettempdir()) / f"jixiao-load-{args.db}.log").write_bytes(log.read_bytes())
    sys.exit(0 if report(recorder, elapsed, cpu, args) else 1)


if __name__ == "__main__":
    main()
