"""Pages and API under load: gunicorn (2 workers, DEBUG off) on 127.0.0.1, driven by a small
threaded client of our own (stdlib http.client, one signed-in session per user).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/banten_province .venv/bin/python bench/measure_load.py

Four requests, each for LOAD_SECONDS (env BENCH_LOAD_SECONDS, default 20) with 4 and then 16
concurrent clients: the case list of the busiest village (page of 50) as its head, that
village's household page with the most moves, the province's case list (page of 50) as a
province official, and a NIK search (16 digits, the API's person search) by that official.
Prints requests/s, p50 / p95 / p99, errors (anything but 200), and the queries one request
runs, counted once in this process with Django's test client. Goal: p95 under 100 ms at 4
clients, no errors. Each concurrent client is its own user of the same role and region (as
real clients are), so the API's per-user read limit (API_READ_RATE, 600/hour) counts each
apart: one user driven by 16 clients would be refused with 429 within seconds. Each client
thread stands for a few people behind one connection: it takes its USERS_PER_CLIENT users
in turn, request by request (at 4 clients and 100 requests/s, one user a client would pass
600 reads in 24 s). The 4-client and the 16-client runs have their own users (100 per
target), and their read counts in the shared cache are cleared before the runs, so a second
run within the hour starts as the first. Sessions and API tokens are written to the
database beforehand (no login form, so no password is needed); the server gets its own
SECRET_KEY, and both are made under it: a token keeps the user's session hash, which
depends on SECRET_KEY, and one made under another key is refused with 401.
"""

import contextlib
import http.client
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banten_pm.settings")

GOAL_P95_MS = 100.0
CLIENTS = (4, 16)
USERS_PER_CLIENT = 5
WORKERS = 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def session_cookie(user, secret: str) -> str:
    """A signed-in session for `user`, signed with the server's SECRET_KEY, as login() writes it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import override_settings
    from django.utils.module_loading import import_string

    with override_settings(SECRET_KEY=secret):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        # The backend that signs users in, as login() records it: axes' backend comes first in
        # the list but only refuses locked-out attempts and cannot load a user.
        store[BACKEND_SESSION_KEY] = next(
            path for path in settings.AUTHENTICATION_BACKENDS if hasattr(import_string(path), "get_user")
        )
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def targets() -> list[dict]:
    """(label, user, path) of the four requests, from what the database holds."""
    from django.db.models import Count

    from bench.bench_users import busiest_village, user_for
    from beneficiaries.models import Household, Person

    village = busiest_village()
    head = user_for("village", village)
    official = user_for("province", "36")
    household = (
        Household.objects.filter(village_id=village).annotate(n=Count("cases__moves")).order_by("-n").first()
    )
    niks = list(
        Person.objects.filter(household__village_id=village)
        .exclude(nik=None)
        .values_list("nik", flat=True)[:50]
    )
    return [
        {"label": "village case list (API, page of 50)", "user": head,
         "paths": ["/api/v1/cases/?page_size=50"]},
        {"label": "household page", "user": head,
         "paths": [f"/rumah-tangga/{household.pk}/" if household else "/rumah-tangga/"]},
        {"label": "province case list (API, page of 50)", "user": official,
         "paths": ["/api/v1/cases/?page_size=50"]},
        # A NIK never travels in a URL (GET ?search=<NIK> is refused with 400): the API's
        # search is a POST with the number in the body, by the village's head, who sees its
        # numbers whole (so no number-search budget applies), signed in with an API token.
        {"label": "NIK search (API persons, POST)", "user": head, "method": "POST", "token": True,
         "paths": ["/api/v1/persons/search/"],
         "bodies": [json.dumps({"search": nik}) for nik in niks] or [json.dumps({"search": "0" * 16})]},
    ]  # fmt: skip


def count_queries(ask) -> int:
    """The queries `ask()` runs on the default database. Counted as they run, not from
    connection.queries_log: that log keeps the last 9,000 queries only, so in a long bench
    process (DEBUG on logs every query) its length stops growing and a count from it is 0."""
    from django.db import connection

    seen = [0]

    def counting(execute, sql, params, many, context):
        seen[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        ask()
    return seen[0]


def queries_per_request(target: dict) -> int:
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(target["user"])
    responses = []

    def ask():
        if target.get("method") == "POST":
            response = client.post(target["paths"][0], target["bodies"][0], content_type="application/json",
                                   HTTP_AUTHORIZATION=target["auth"])  # fmt: skip
        else:
            response = client.get(target["paths"][0])
        responses.append(response)

    ask()  # the first request also loads permissions and the like
    queries = count_queries(ask)
    assert responses[-1].status_code == 200, (target["paths"][0], responses[-1].status_code)
    return queries


def api_token(user, secret: str) -> str:
    """An API token for `user` as the server (signing with `secret`) will check it."""
    from django.test import override_settings

    from api.tokens import issue_token

    with override_settings(SECRET_KEY=secret):
        return f"Token {issue_token(user=user)[1]}"


def sign_in_clients(target: dict, secret: str, *, count: int = sum(CLIENTS) * USERS_PER_CLIENT) -> None:
    """Headers (a session or an API token) for `count` distinct users of the target's role and
    region, USERS_PER_CLIENT to a client."""
    from bench.bench_users import users_for

    first = target["user"]
    users = users_for(first.role, first.region_code, count)
    forget_reads(users)
    target["headers"] = []
    for user in users:
        if target.get("token"):
            headers = {"Authorization": api_token(user, secret), "Content-Type": "application/json"}
        else:
            headers = {"Cookie": session_cookie(user, secret)}
        target["headers"].append({**headers, "Host": "127.0.0.1"})


def forget_reads(users: list) -> None:
    """Clear the API read counts of the bench's users in the shared cache (when the server's
    cache is Redis; a local-memory cache starts empty with the server anyway)."""
    from django.core.cache import cache

    from api.throttles import IdentityReadThrottle, ReadThrottle

    keys = [t.cache_format % {"scope": t.scope, "ident": u.pk} for t in (ReadThrottle, IdentityReadThrottle)
            for u in users]  # fmt: skip
    cache.delete_many(keys)


@contextlib.contextmanager
def serving(secret: str):
    """gunicorn on a free port for the duration: yields the port."""
    port = free_port()
    static_root = tempfile.mkdtemp(prefix="bench-static-")
    server = start_server(port, secret, static_root)
    try:
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)


def production_connections() -> dict[str, str]:
    """Production keeps its database connections (ops/postgresql-province.conf: "use
    DATABASE_POOL"); the settings' development default, CONN_MAX_AGE 0 and no pool, opens a
    new PostgreSQL connection (a backend forked, the user authenticated) for every request,
    which on 2 busy cores cost more than the household page's own work. A DATABASE_POOL or
    CONN_MAX_AGE in the environment wins, to measure the other way."""
    if "DATABASE_POOL" in os.environ or "CONN_MAX_AGE" in os.environ:
        return {}
    return {"DATABASE_POOL": "true"}


def start_server(port: int, secret: str, static_root: str) -> subprocess.Popen:
    """gunicorn as production runs it: DEBUG off, static files collected (whitenoise's manifest)."""
    env = {**os.environ, **production_connections(), "DEBUG": "false", "SECRET_KEY": secret,
           "ALLOWED_HOSTS": "127.0.0.1", "SECURE_COOKIES": "false", "SECURE_SSL_REDIRECT": "false",
           "LOG_LEVEL": "WARNING", "STATIC_ROOT": static_root}  # plain HTTP on 127.0.0.1  # fmt: skip
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "banten_pm.wsgi:application", "--workers", str(WORKERS),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            if server.poll() is not None:
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError("gunicorn did not listen within 60 s")


def drive(port: int, target: dict, clients: int, seconds: float, *, first: int = 0) -> dict:
    """`clients` threads asking the target's paths (or POSTing its bodies) in turn for
    `seconds`, client n as the users of `target["headers"]` from (first + n) x USERS_PER_CLIENT
    in turn: latencies and errors."""
    paths, method, bodies = target["paths"], target.get("method", "GET"), target.get("bodies")
    stop = time.monotonic() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def client(offset: int) -> None:
        pool = target["headers"][(first + offset) * USERS_PER_CLIENT :][:USERS_PER_CLIENT] or target["headers"][:1]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, bad, i = [], 0, offset
        while time.monotonic() < stop:
            headers = pool[i % len(pool)]
            path = paths[i % len(paths)]
            body = bodies[i % len(bodies)] if bodies else None
            i += 1
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
                if not ok and os.environ.get("BENCH_LOAD_DEBUG"):
                    print(response.status, path, response.getheaders()[:4], flush=True)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                ok = False
            mine.append((time.perf_counter() - started) * 1000)
            bad += not ok
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else [0.0] * 99
    return {"rps": len(latencies) / elapsed, "p50": statistics.median(latencies or [0.0]),
            "p95": cuts[94], "p99": cuts[98], "errors": errors[0], "requests": len(latencies)}  # fmt: skip


def run(*, scale: float) -> list[dict]:
    seconds = float(os.environ.get("BENCH_LOAD_SECONDS", "20"))
    secret = secrets.token_urlsafe(48)
    plan = targets()
    from api.tokens import issue_token

    for target in plan:
        if target.get("token"):
            target["auth"] = f"Token {issue_token(user=target['user'])[1]}"  # this process's key
        target["queries"] = queries_per_request(target)
        sign_in_clients(target, secret)
    rows = []
    with serving(secret) as port:
        for target in plan:
            drive(port, target, 2, 1.0, first=CLIENTS[0])  # warm both workers (the 16-run's users)
            first = 0
            for clients in CLIENTS:
                rows.append(load_row(target, clients, drive(port, target, clients, seconds, first=first)))
                first += clients
    return rows


def load_row(target: dict, clients: int, r: dict) -> dict:
    goal = f"p95 < {GOAL_P95_MS:.0f} ms, no errors" if clients == CLIENTS[0] else "printed"
    ok = (r["p95"] < GOAL_P95_MS and r["errors"] == 0) if clients == CLIENTS[0] else None
    return {"what": f"load: {target['label']}, {clients} clients ({target['queries']} queries/request)",
            "value": f"{r['rps']:.0f} req/s, p50 {r['p50']:.0f} / p95 {r['p95']:.0f} / p99 {r['p99']:.0f} ms, "
                     f"{r['errors']} errors of {r['requests']}",
            "goal": goal, "ok": ok}  # fmt: skip


def main() -> None:
    import django

    django.setup()
    chosen = {**os.environ, **production_connections()}
    print(
        f"server: {WORKERS} gunicorn workers, DATABASE_POOL={chosen.get('DATABASE_POOL', '')!r}, "
        f"CONN_MAX_AGE={chosen.get('CONN_MAX_AGE', '0')!r}, load average {os.getloadavg()[0]:.2f}"
    )
    for row in run(scale=float(os.environ.get("BENCH_SCALE", "1.0"))):
        print(f"{row['what']:<78} {row['value']}  goal {row['goal']}")


if __name__ == "__main__":
    main()
