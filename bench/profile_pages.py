"""Where one page's time goes, in-process: each query with its time (and, with --explain, its
EXPLAIN (ANALYZE, BUFFERS)), then the Python/template time with cProfile's top entries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_pages .venv/bin/python bench/profile_pages.py \\
        --user village:36.03.28.1005 /posyandu/ [--explain] [--profile 25] [--runs 10]

Everything runs inside one transaction that is rolled back: signing in (last_login), the
session and anything the page writes leave no trace, so it may read a database it must not
change. Sessions live in the local memory cache for the same reason (PROFILE_DB_SESSIONS=1:
in the database, as gunicorn serves them; the rollback still undoes them).
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banten_pm.settings")


class Rollback(Exception):
    pass


def timed_queries(client, path: str, post: str | None, auth: str | None) -> tuple[object, list]:
    from django.db import connection

    seen = []

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            seen.append(((time.perf_counter() - started) * 1000, sql, params))

    with connection.execute_wrapper(wrapper):
        response = ask(client, path, post, auth)
    return response, seen


def ask(client, path: str, post: str | None, auth: str | None):
    extra = {"HTTP_AUTHORIZATION": auth} if auth else {}
    if post is not None:
        return client.post(path, post, content_type="application/json", **extra)
    return client.get(path, **extra)


def explain(sql: str, params) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path")
    parser.add_argument("--user", required=True, help="role:region_code, e.g. village:36.03.28.1005")
    parser.add_argument("--post", help="a JSON body: POST it instead of GET")
    parser.add_argument("--token", action="store_true", help="sign in with an API token, not a session")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN (ANALYZE, BUFFERS) every query over 2 ms")
    parser.add_argument("--profile", type=int, default=0, help="print cProfile's N costliest entries")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    import django
    from django.conf import settings

    if not os.environ.get("PROFILE_DB_SESSIONS"):
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver", "127.0.0.1"]
    django.setup()
    from django.db import transaction
    from django.test import Client

    from bench.bench_users import user_for

    role, code = args.user.split(":")
    try:
        with transaction.atomic():
            user = user_for(role, code)
            client = Client(HTTP_HOST="127.0.0.1", secure=True)
            auth = None
            if args.token:
                from api.tokens import issue_token

                auth = f"Token {issue_token(user=user)[1]}"
            else:
                client.force_login(user)
            first = ask(client, args.path, args.post, auth)
            print(f"status {first.status_code}, {len(first.content) // 1024} KiB")
            response, seen = timed_queries(client, args.path, args.post, auth)
            print(f"{len(seen)} queries, {sum(t for t, *_ in seen):.1f} ms in the database")
            for ms, sql, params in seen:
                print(f"{ms:8.1f} ms  {sql[:300]}")
                if args.explain and ms > 2 and sql.lstrip().upper().startswith("SELECT"):
                    print("    " + explain(sql, params).replace("\n", "\n    "))
            timings = []
            for _ in range(args.runs):
                started = time.perf_counter()
                ask(client, args.path, args.post, auth)
                timings.append((time.perf_counter() - started) * 1000)
            cuts = statistics.quantiles(timings, n=20, method="inclusive") if len(timings) > 1 else timings * 19
            print(f"{args.runs} runs: p50 {statistics.median(timings):.1f} ms, p95 {cuts[18]:.1f} ms")
            if args.profile:
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(args.runs):
                    ask(client, args.path, args.post, auth)
                profiler.disable()
                profiler.dump_stats("/tmp/pages.prof")
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)
                pstats.Stats(profiler).sort_stats("tottime").print_stats(args.profile)
            raise Rollback
    except Rollback:
        pass
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")


if __name__ == "__main__":
    main()
