"""`python -m bench.one_stop`: the one-stop desk at scale (issue 3, item 10).

On a database holding N generated dossiers (default 1 000 000, `manage.py generate_load`):
- public tracking by code under wrk load, beside the bare-Django baseline served the same way, and the number
  of SQL statements one tracking request makes;
- intake throughput: several processes receiving dossiers at the same desk at once through the service, then
  a check that the day's codes are unique and gap-free;
- an officer's inbox: the selector and the whole page, p50/p95.
Writes bench/results/one_stop_<engine>.json and prints a table.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import subprocess
import sys
import time
from pathlib import Path

from bench import http_load
from bench.machine import machine_describe, run_describe
from bench.one_stop_worker import DESKS

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(__file__).resolve().parent / "results"


def _worker(env: dict, *args: str, timeout: int = 3600) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "bench.one_stop_worker", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise http_load.BenchError(f"worker {args[0]} failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=7200
    )
    if result.returncode != 0:
        raise http_load.BenchError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-4000:]}")
    return result.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.one_stop", description=__doc__)
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--units", type=int, default=126, help="wards the generated dossiers spread over")
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL; default a SQLite file in var/")
    parser.add_argument("--reuse", action="store_true", help="keep the database from the last run (no generation)")
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers per server")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--intake-processes", type=int, default=4)
    parser.add_argument("--intakes", type=int, default=250, help="dossiers per intake process")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)

    def progress(message: str) -> None:
        print(f"[one_stop {time.strftime('%H:%M:%S')}] {message}", flush=True)

    env = http_load.app_env(database_url=args.database_url)
    env["CQS_VAR_DIR"] = str(ROOT / "var" / "bench-onestop")
    env["TRACKING_RATE_PER_MINUTE"] = "1000000000"  # the limit is per client; wrk is one client
    env["DB_CONN_MAX_AGE"] = "60"
    engine = "postgresql" if args.database_url else "sqlite"
    Path(env["CQS_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    try:
        if not args.reuse:
            if not args.database_url:
                for leftover in Path(env["CQS_VAR_DIR"]).glob("chinhquyenso.sqlite3*"):
                    leftover.unlink()
            progress("migrate and seed_demo")
            _manage(env, "migrate", "--noinput")
            _manage(env, "seed_demo", "--allow-demo-passwords")
            progress(f"generate_load --dossiers {args.dossiers} --units {args.units}")
            began = time.monotonic()
            _manage(env, "generate_load", "--dossiers", str(args.dossiers), "--units", str(args.units), "--years", "5")
            progress(f"generated in {time.monotonic() - began:.0f} s")
        _manage(env, "collectstatic", "--noinput")  # DEBUG is off: pages need the static manifest
        codes_file = Path(env["CQS_VAR_DIR"]) / "codes.txt"
        sample = _worker(env, "codes", "20000", str(codes_file))
        progress(f"{sample['dossiers']} dossiers in the database; {sample['codes']} codes sampled")
        queries = _worker(env, "queries", codes_file.read_text().split()[0])

        # Tracking under load, interleaved with the baseline
        loadgen = http_load.wrk_version()
        baseline_env = {k: v for k, v in env.items() if not k.startswith("DJANGO_")}
        servers = []
        runs = {"tracking": [], "baseline": []}
        try:
            app = http_load.server_start(
                name="onestop-app", wsgi="config.wsgi:application", env=env, workers=args.workers, ready_path="/healthz"
            )
            servers.append(app)
            baseline = http_load.server_start(
                name="onestop-baseline",
                wsgi="bench.baseline.wsgi:application",
                env=baseline_env,
                workers=args.workers,
                ready_path="/",
            )
            servers.append(baseline)
            for number in range(args.rounds + 1):  # the first round warms up and is not counted
                for label, server in (("baseline", baseline), ("tracking", app)):
                    figures = _wrk(server, label, codes_file, args)
                    if number:
                        runs[label].append(figures)
                        progress(
                            f"round {number}: {label} {figures['requests_per_s']:.0f} req/s, "
                            f"p99 {figures['latency_p99_ms']:.1f} ms, errors {figures['errors']}"
                        )
        finally:
            for server in servers:
                server.stop()
        tracking, base = http_load._summarise(runs["tracking"]), http_load._summarise(runs["baseline"])

        # Intake throughput: processes receiving at once, at one desk (worst case: they queue on the desk's
        # daily counter) and at different desks (a province: many desks at once)
        intake = {}
        for label, desks in (
            ("same_desk", [DESKS[0]] * args.intake_processes),
            ("different_desks", [DESKS[i % len(DESKS)] for i in range(args.intake_processes)]),
        ):
            progress(f"intake ({label}): {args.intake_processes} processes × {args.intakes} dossiers")
            start_at = time.time() + 8  # time for every process to start Django before the common start
            with concurrent.futures.ThreadPoolExecutor(args.intake_processes) as pool:
                done = list(
                    pool.map(
                        lambda pair, start_at=start_at: _worker(
                            env, "intake", str(args.intakes), str(pair[0]), str(start_at), pair[1]
                        ),
                        enumerate(desks),
                    )
                )
            wall = max(part["ended_at"] for part in done) - start_at
            made = [code for part in done for code in part["codes"]]
            prefixes = sorted({code.rsplit("-", 1)[0] + "-" for code in made})
            checks = [_worker(env, "check-codes", prefix) for prefix in prefixes]
            intake[label] = {
                "dossiers": len(made),
                "wall_s": round(wall, 2),
                "dossiers_per_s": round(len(made) / wall, 1),
                "unique_codes": len(set(made)) == len(made),
                "gap_free": all(c["gap_free"] and not c["duplicates"] for c in checks),
                "day_prefixes": prefixes,
            }

        progress("inbox of motcua_kimlien")
        inbox = _worker(env, "inbox", "motcua_kimlien", "30")
    except http_load.BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1

    document = {
        "name": f"one_stop_{engine}",
        **run_describe(),
        "machine": machine_describe(),
        "command": "python -m bench.one_stop " + " ".join(sys.argv[1:] if argv is None else argv),
        "database": {"engine": engine, "dossiers": sample["dossiers"]},
        "figures": {
            "tracking": {**tracking, "sql_queries_per_request": queries["queries"]},
            "baseline": base,
            "ratio_tracking_to_baseline": round(tracking["requests_per_s"] / base["requests_per_s"], 3),
            "intake": intake,
            "inbox": inbox,
        },
        "parameters": {
            "workers": args.workers,
            "connections": args.connections,
            "duration_s": args.duration,
            "rounds": args.rounds,
            "load_generator": loadgen,
        },
        "targets": {
            "tracking_req_per_s": 500,
            "tracking_p99_ms": 100,
            "sql_queries_per_request": 1,
            "intake_per_s": 200,
            "inbox_ms": 50,
        },
    }
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"one_stop_{engine}.json"
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\none-stop bench on {engine}, {sample['dossiers']:,} dossiers ({path}):")
    print(
        f"  tracking: {tracking['requests_per_s']:,.0f} req/s, p99 {tracking['latency_p99_ms']:.1f} ms, "
        f"{queries['queries']} SQL query/request, errors {tracking['errors']}; "
        f"bare Django {base['requests_per_s']:,.0f} req/s (ratio {document['figures']['ratio_tracking_to_baseline']})"
    )
    for label, figures in intake.items():
        print(
            f"  intake, {label}: {figures['dossiers_per_s']:,.0f} dossiers/s ({figures['dossiers']} in "
            f"{figures['wall_s']} s, {args.intake_processes} processes); codes unique {figures['unique_codes']}, "
            f"gap-free {figures['gap_free']}"
        )
    print(f"  inbox: selector p95 {inbox['selector_p95_ms']} ms, page p95 {inbox['page_p95_ms']} ms")
    return 0


def _wrk(server, label: str, codes_file: Path, args) -> dict:
    load = {"duration": args.duration, "connections": args.connections, "threads": 1, "server": server}
    if label == "baseline":
        return http_load.wrk_run(url=server.url("/"), **load)
    return http_load.wrk_run(
        url=server.url("/"),
        script=Path(__file__).resolve().parent / "wrk_tracking.lua",
        script_args=(str(codes_file),),
        **load,
    )


if __name__ == "__main__":
    raise SystemExit(main())
