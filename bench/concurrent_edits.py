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
bench/load.py reuses the server, client and set-up helpers.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import partial
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

JIXIAO = str(Path(sys.executable).with_name("jixiao")) if Path(sys.executable).with_name("jixiao").exists() else "jixiao"
PASSWORD = "jixiao-demo"
SHARED_CELL = "base_data.staffing.actual"
VERSION = re.compile(r'id="version" name="version" value="(\d+)"')
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


def percentile(values: list[float], p: float) -> float:
    """Nearest rank."""
    return sorted(values)[max(math.ceil(p / 100 * len(values)) - 1, 0)] if values else float("nan")


def together(calls) -> None:
    """Run each call in a thread of its own; return when all are done."""
    threads = [threading.Thread(target=call) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def latency(values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return f"p50 {percentile(ms, 50):.0f} ms, p95 {percentile(ms, 95):.0f} ms, p99 {percentile(ms, 99):.0f} ms, max {max(ms, default=0):.0f} ms"



@contextmanager
def environment(kind: str, database_url: str | None = None):
    """A fresh data folder (and a fresh PostgreSQL database on ``database_url``'s server)."""
    data = tempfile.mkdtemp(prefix="jixiao-bench-")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(JIXIAO_DATA=data, DJANGO_SETTINGS_MODULE="jixiao.web.settings")
    admin, name = None, f"jixiao_bench_{os.getpid()}"
    try:
        if kind == "postgresql":
            url = urlsplit(database_url or "postgres://postgres@127.0.0.1:5432/postgres")
            admin = urlunsplit(url._replace(path="/postgres"))
            quiet = ["-c", "SET client_min_messages = warning"]
            subprocess.run(["psql", admin, "-qv", "ON_ERROR_STOP=1", *quiet, "-c", f"DROP DATABASE IF EXISTS {name}", "-c", f"CREATE DATABASE {name}"], check=True)
            env["DATABASE_URL"] = urlunsplit(url._replace(path=f"/{name}"))
        yield env
    finally:
        if admin:
            subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=False)
        shutil.rmtree(data, ignore_errors=True)


def orm(env: dict, command: str, payload: dict) -> dict:
    """Run one of this file's ORM commands in a process of its own, on the bench's database."""
    done = subprocess.run([sys.executable, __file__, "--orm", command], input=json.dumps(payload), env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{command} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def prepare(env: dict, fillers: list[str], reviewers: list[str], paths: list[str]) -> dict:
    """The demo, extra accounts (the demo's password), and the city evaluation's cells."""
    subprocess.run([JIXIAO, "demo"], env=env, check=True, capture_output=True)
    return orm(env, "setup", {"fillers": fillers, "reviewers": reviewers, "paths": paths})


def _get(doc, path: str):
    for part in path.split("."):
        doc = None if doc is None else doc[int(part)] if isinstance(doc, list) else doc.get(part)
    return doc


def _orm_main(command: str) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from jixiao.web.models import Evaluation, Profile, Role

    payload = json.loads(sys.stdin.read())
    city = Profile.objects.select_related("unit").get(user__username="hengyang").unit
    evaluation = Evaluation.objects.get(unit=city)
    if command == "setup":
        User = get_user_model()
        template = User.objects.get(username="hengyang")  # its hash: every account gets the demo's password
        for names, role, place in ((payload["fillers"], Role.FILLER, {"unit": city}), (payload["reviewers"], Role.REVIEWER, {"bureau": city.bureau})):
            for name in names:
                if not User.objects.filter(username=name).exists():
                    user = User.objects.create(username=name, password=template.password)
                    Profile.objects.create(user=user, role=role, **place)
        doc = json.loads(evaluation.document)
        town = Evaluation.objects.exclude(pk=evaluation.pk).first()
        result = {"pk": evaluation.pk, "town": town.pk if town else None, "version": evaluation.version,
                  "values": {p: _get(doc, p) for p in payload["paths"]}}
    else:  # verify: each stored version's values of the cells, and the final ones
        paths = payload["paths"]
        at = {}
        for version, document in evaluation.history.order_by("history_id").values_list("version", "document").iterator():
            doc = json.loads(document)
            at.setdefault(str(version), []).append({p: _get(doc, p) for p in paths})
        doc = json.loads(evaluation.document)
        result = {"version": evaluation.version, "final": {p: _get(doc, p) for p in paths}, "at": at}
    print(json.dumps(result, default=str))


def cpu_seconds(pid: int) -> float:
    """CPU time of a process and its living descendants (Linux /proc), in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return own + sum(cpu_seconds(int(c)) for c in children)


def machine_busy() -> float:
    """CPU seconds the whole machine has been busy (all cores, /proc/stat)."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


@contextmanager
def server(env: dict, workers: int | None, log: Path):
    """`jixiao serve` on a free port until the block ends (then stopped gracefully)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [JIXIAO, "serve", "--port", str(port)] + (["--workers", str(workers)] if workers else [])
    with log.open("wb") as out:
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if Client(port).request("GET", "/healthz").status == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"jixiao serve did not start:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)
        yield port, proc.pid
    finally:
        proc.send_signal(signal.SIGTERM)  # the gunicorn master, which stops its own workers
        try:
            proc.wait(40)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()



@dataclass
class Response:
    status: int
    text: str
    seconds: float


class Client:
    """``keepalive=False``: a new connection for each request, as nginx's proxy_pass makes
    (gunicorn's workers then share the connections; kept-alive ones stay with one worker)."""

    keepalive = True

    def __init__(self, port: int, timeout: float = 60) -> None:
        self.port, self.timeout = port, timeout
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None
        self.reconnects = 0

    def request(self, method: str, path: str, fields: dict | None = None, headers: dict | None = None) -> Response:
        body = urlencode(fields).encode() if fields is not None else None
        head = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
        if method == "POST":
            head.update({"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": self.cookies.get("csrftoken", "")})
        start = time.perf_counter()
        for attempt in range(2):
            fresh = self.conn is None
            if fresh:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body, head)
                response = self.conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                # A keep-alive connection the server closed while idle (keepalive timeout, a
                # worker renewed): the request was not read. Sent once more on a new one.
                if fresh or attempt:
                    raise
                self.reconnects += 1
                continue
            break
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.will_close or not self.keepalive:
            self.close()
        return Response(response.status, data.decode("utf-8", "replace"), time.perf_counter() - start)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def login(self, username: str, password: str = PASSWORD) -> None:
        self.request("GET", "/login/")
        r = self.request("POST", "/login/", {"username": username, "password": password, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})
        if r.status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"sign-in as {username} failed: {r.status}")



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

    def save(self) -> Response | None:
        value = new_value(self.path, self.base, self.rng)
        self.attempts += 1
        fields = {"path": self.path, "value": value, "version": self.version, "base": self.base}
        try:
            r = self.client.request("POST", f"/evaluations/{self.pk}/edit", fields, {"HX-Request": "true"})
        except OSError as exc:
            self.unknown.append(value)
            self.errors.append(f"{type(exc).__name__}")
            return None
        self.times.append(r.seconds)
        version = VERSION.search(r.text)
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
    parser.add_argument("--orm", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.orm:
        return _orm_main(args.orm)
    Client.keepalive = not args.close
    kinds = [k for k in ("sqlite", "postgresql") if args.only in (None, k) and (k == "sqlite" or args.database_url)]
    results = [run(kind, args) for kind in kinds]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
