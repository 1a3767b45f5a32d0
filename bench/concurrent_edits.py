"""Concurrent edits of one package: do saves of distinct cells all land, and are overlapping
saves refused with the other value shown?

`jixiao serve --workers 2` runs on a fresh data folder with the demo loaded. 36 clients (threads,
each with its own session cookie and keep-alive connection) sign in as fillers of the demo city
unit and keep editing their own cell of the city package, each holding the version and the cell
value of its own last save, as an open page does: nearly every save follows a colleague's, so it
goes through on its base value. A few more clients edit one shared cell. Afterwards the stored
history is read through the ORM: each acknowledged save must be in the version it was
acknowledged as, and each cell must hold the value of its last acknowledged save.

    python bench/concurrent_edits.py [--seconds 60] [--clients 36] [--shared 4] [--think 0.5]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/concurrent_edits.py

SQLite always; PostgreSQL too when DATABASE_URL is set (a fresh database is created on that
server and dropped afterwards). Exits 1 when an acknowledged save is lost, fewer than 95% of the
distinct-cell saves are accepted, or an overlapping save is refused without the other value.
The server, client and set-up are bench/harness.py's.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import partial
from pathlib import Path

from harness import Client, Response, cpu_seconds, environment, latency, machine_busy, orm, prepare, server, together

SHARED_CELL = "base_data.staffing.actual"
VERSION = re.compile(r'id="version" name="version" value="(\d+)"')
SHOWN = re.compile(r'id="shown" name="shown" value="([0-9a-f]*)"')
OTHER = re.compile(r"此格已被他人改为“(.*?)”")


def cells(n: int) -> list[str]:
    """n distinct numeric cells of the city package (12 project tables, 17 base-data lines)."""
    pool = [f"projects.{i}.indicators.0.score" for i in range(12)] + [f"base_data.projects.{k}.final" for k in range(17)]
    pool += [f"projects.{i}.funds.total.executed" for i in range(12)]
    pool += [f"projects.{i}.indicators.{j}.score" for j in range(1, 7) for i in range(12)]
    if n > len(pool):
        raise SystemExit(f"at most {len(pool)} distinct cells")
    return pool[:n]


def new_value(path: str, current: str, rng: random.Random) -> str:
    while True:
        if path.endswith(".score"):
            value = f"{rng.randint(0, 30) / 2:g}"
        elif path == SHARED_CELL:
            value = str(rng.randint(100, 130))
        else:
            value = f"{rng.randint(100, 50000) / 100:g}"
        if value != current:
            return value


def same(a, b) -> bool:
    a, b = ("" if x is None else str(x) for x in (a, b))
    try:
        return Decimal(a) == Decimal(b)
    except InvalidOperation:
        return a == b


@dataclass
class Editor:
    """A page open on one cell: the version and the cell value it last saw."""

    client: Client
    pk: int
    path: str
    base: str
    version: int
    rng: random.Random
    acks: list[tuple[int, str]] = field(default_factory=list)  # (version saved as, value)
    refused: list[str | None] = field(default_factory=list)  # the other value shown, or None
    unknown: list[str] = field(default_factory=list)  # no answer: may or may not have landed
    errors: list[str] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    attempts: int = 0
    shown: str = ""  # the analysis its side cells show, as the page tells the server

    def save(self) -> Response | None:
        value = new_value(self.path, self.base, self.rng)
        self.attempts += 1
        fields = {"path": self.path, "value": value, "version": self.version, "base": self.base, "shown": self.shown, "dirty": ""}
        try:
            r = self.client.request("POST", f"/evaluations/{self.pk}/edit", fields, {"HX-Request": "true"})
        except OSError as exc:
            self.unknown.append(value)
            self.errors.append(f"{type(exc).__name__}")
            return None
        self.times.append(r.seconds)
        version = VERSION.search(r.text)
        if shown := SHOWN.search(r.text):
            self.shown = shown[1]
        if r.status == 200 and "已保存" in r.text and "未保存" not in r.text and version:
            self.version, self.base = int(version[1]), value
            self.acks.append((self.version, value))
        elif r.status == 409:
            shown = OTHER.search(r.text)
            other = None if shown is None else ("" if shown[1] == "（空）" else shown[1])
            if other is not None and other in self.unknown:
                self.base = other  # our own save that got no answer had landed
            else:
                self.refused.append(other)
                if other is not None:
                    self.base = other  # as the officer would, having read the message
        else:
            self.errors.append(f"{r.status} {re.sub(r'<[^>]+>', ' ', r.text)[:160].strip()}")
        return r

    def run(self, deadline: float, think: float) -> None:
        while time.perf_counter() < deadline:
            self.save()
            time.sleep(self.rng.uniform(0, 2 * think))



def check(editors: list[Editor], stored: dict, initial: dict) -> list[str]:
    """Lost acknowledged saves: not in the version they were acknowledged as, or a cell not
    holding its last acknowledged value at the end (or a later save of its whose answer was lost)."""
    lost = []
    for e in editors:
        # (a save of the value the cell already holds is acknowledged at the current version
        # without a new one: two acknowledgements may name one version, each value in it)
        for version, value in e.acks:
            rows = stored["at"].get(str(version), [])
            if len(rows) != 1 or not same(rows[0][e.path], value):
                lost.append(f"{e.path} = {value} acknowledged as version {version}; stored {rows}")
    by_cell: dict[str, list[Editor]] = {}
    for e in editors:
        by_cell.setdefault(e.path, []).append(e)
    for path, group in by_cell.items():
        acks = sorted((a for e in group for a in e.acks), key=lambda a: a[0])
        expected = [acks[-1][1] if acks else initial[path]] + [v for e in group for v in e.unknown]
        if not any(same(stored["final"][path], v) for v in expected):
            lost.append(f"{path}: stored {stored['final'][path]}, last acknowledged {expected[0]}")
    return lost


def run(kind: str, args) -> bool:
    paths = cells(args.clients)
    names = [f"bench{i:02d}" for i in range(args.clients + args.shared)]
    with environment(kind, args.database_url) as env:
        info = prepare(env, names, [], paths + [SHARED_CELL])
        initial = {p: ("" if v is None else str(v)) for p, v in info["values"].items()}
        log = Path(env["JIXIAO_DATA"]) / "serve.log"
        with server(env, args.workers, log) as (port, pid):
            editors = [Editor(Client(port), info["pk"], path, initial[path], info["version"], random.Random(args.seed * 1000 + i))
                       for i, path in enumerate(paths + [SHARED_CELL] * args.shared)]
            together(partial(e.client.login, n) for e, n in zip(editors, names))
            start, served, busy = time.perf_counter(), cpu_seconds(pid), machine_busy()
            together(partial(e.run, start + args.seconds, args.think) for e in editors)
            elapsed = time.perf_counter() - start
            served = cpu_seconds(pid) - served
            others = machine_busy() - busy - served
            for e in editors:
                e.client.close()
        stored = orm(env, "verify", {"paths": paths + [SHARED_CELL]})
        shutil.copy(log, Path(tempfile.gettempdir()) / f"jixiao-concurrent-{kind}.log")
    own, shared = editors[: args.clients], editors[args.clients:]
    lost = check(editors, stored, initial)
    attempted = sum(e.attempts for e in own)
    accepted = sum(len(e.acks) for e in own)
    share = accepted / attempted if attempted else 0.0
    s_attempted, s_acks = sum(e.attempts for e in shared), sum(len(e.acks) for e in shared)
    s_refused = [o for e in shared for o in e.refused]
    # the other value shown must be one the shared cell really held
    held = {initial[SHARED_CELL]} | {v for e in shared for _, v in e.acks} | {v for e in shared for v in e.unknown}
    shown_real = sum(1 for o in s_refused if o is not None and any(same(o, h) for h in held))
    own_refused = [o for e in own for o in e.refused]
    errors = [x for e in editors for x in e.errors]
    reconnects = sum(e.client.reconnects for e in editors)
    print(f"\n== {kind}: {args.clients} clients on distinct cells + {len(shared)} on one shared cell, "
          f"{elapsed:.0f} s, {args.workers} workers, think 0–{2 * args.think:g} s{', a connection per request' if args.close else ''} ==")
    print(f"distinct cells: {attempted} saves attempted, {accepted} acknowledged ({share:.1%}), "
          f"{len(own_refused)} refused ({sum(o is None for o in own_refused)} without a cell conflict), "
          f"{sum(len(e.unknown) for e in own)} unanswered")
    print(f"shared cell:    {s_attempted} saves attempted, {s_acks} acknowledged, {len(s_refused)} refused, "
          f"{shown_real} of them with the other (really stored) value shown")
    print(f"saves:          {(attempted + s_attempted) / elapsed:.1f}/s, {latency([t for e in editors for t in e.times])}")
    print(f"CPU:            server {served / elapsed:.0%} of one core, this bench and other processes {others / elapsed:.0%} ({os.cpu_count()} cores)")
    print(f"stored:         version {stored['version']}; {len(lost)} acknowledged saves lost; {len(errors)} errors; {reconnects} idle connections re-opened")
    for line in (lost + errors)[:10]:
        print("   ", line)
    return not lost and share >= 0.95 and shown_real == len(s_refused) and not errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=36, help="clients each on a distinct cell")
    parser.add_argument("--shared", type=int, default=4, help="clients editing one shared cell")
    parser.add_argument("--think", type=float, default=0.5, help="mean pause between a client's saves (s)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), help="a PostgreSQL server to run on too")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--close", action="store_true", help="a new connection per request (as behind nginx)")
    args = parser.parse_args()
    Client.keepalive = not args.close
    kinds = [k for k in ("sqlite", "postgresql") if args.only in (None, k) and (k == "sqlite" or args.database_url)]
    results = [run(kind, args) for kind in kinds]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
