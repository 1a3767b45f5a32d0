"""What the web benches share: a fresh data folder and database, `jixiao serve` on a free port,
an HTTP client holding a session, the demo's set-up and read-back through the ORM (run in a
process of its own), and latency figures. Used by bench/concurrent_edits.py and bench/load.py.

    python bench/harness.py --orm setup|verify   (what orm() runs; not called by hand)
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

JIXIAO = str(Path(sys.executable).with_name("jixiao")) if Path(sys.executable).with_name("jixiao").exists() else "jixiao"
PASSWORD = "jixiao-demo"


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


def prepare(env: dict, fillers: list[str], reviewers: list[str], paths: list[str], units: int = 1) -> dict:
    """The demo, extra accounts (the demo's password), and the city evaluation's cells; with
    ``units`` > 1, that many units with a copy of the city's package, the fillers spread over them."""
    subprocess.run([JIXIAO, "demo"], env=env, check=True, capture_output=True)
    return orm(env, "setup", {"fillers": fillers, "reviewers": reviewers, "paths": paths, "units": units})


def _get(doc, path: str):
    for part in path.split("."):
        doc = None if doc is None else doc[int(part)] if isinstance(doc, list) else doc.get(part)
    return doc


def _orm_main(command: str) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from jixiao.web.models import Evaluation, Profile, Role, Unit

    payload = json.loads(sys.stdin.read())
    city = Profile.objects.select_related("unit").get(user__username="hengyang").unit
    evaluation = Evaluation.objects.get(unit=city)
    if command == "setup":
        User = get_user_model()
        template = User.objects.get(username="hengyang")  # its hash: every account gets the demo's password
        units = [city]
        for i in range(1, payload.get("units", 1)):  # copies of the city's package, each a unit of its own
            unit, _ = Unit.objects.get_or_create(bureau=city.bureau, name=f"负载测试单位{i:02d}")
            Evaluation.objects.get_or_create(unit=unit, fiscal_year=evaluation.fiscal_year, defaults={
                "document": evaluation.document, "summary": evaluation.summary, "notices": evaluation.notices, "source": evaluation.source,
            })
            units.append(unit)
        places = [(name, Role.FILLER, {"unit": units[i % len(units)]}) for i, name in enumerate(payload["fillers"])]
        places += [(name, Role.REVIEWER, {"bureau": city.bureau}) for name in payload["reviewers"]]
        for name, role, place in places:
            if not User.objects.filter(username=name).exists():
                user = User.objects.create(username=name, password=template.password)
                Profile.objects.create(user=user, role=role, **place)
        doc = json.loads(evaluation.document)
        town = Evaluation.objects.exclude(unit__in=units).first()
        own = {u.pk: Evaluation.objects.get(unit=u) for u in units}
        result = {"pk": evaluation.pk, "town": town.pk if town else None, "version": evaluation.version,
                  "values": {p: _get(doc, p) for p in payload["paths"]},
                  "packages": {name: [own[place["unit"].pk].pk, own[place["unit"].pk].version] for name, _, place in places if "unit" in place}}
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
        text = log.read_text(errors="replace")
        if "Traceback" in text:  # a 500's cause, before the data folder goes
            print(f"server errors in {log.name}:\n{text[text.index('Traceback'):][:4000]}")



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


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--orm", required=True)
    _orm_main(parser.parse_args().orm)
