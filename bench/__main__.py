"""`python -m bench`: run the benchmarks, write bench/results/<name>.json and print a short table."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"
BENCHMARKS = ("calendar_due", "http_healthz", "http_admin_units")


def _arguments(argv: list[str]) -> argparse.Namespace:
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", action="append", choices=BENCHMARKS, help="run only this one (repeatable)")
    parser.add_argument("--quick", action="store_true", help="short runs to try the bench, not to quote")
    parser.add_argument("--samples", type=int, default=20000, help="due dates per timed pass")
    parser.add_argument("--repeats", type=int, default=5, help="timed passes of the due-date bench")
    parser.add_argument("--duration", type=float, default=6, help="seconds of load per HTTP run")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of load before measuring")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds of the HTTP runs")
    parser.add_argument("--workers", type=int, default=nproc, help="gunicorn workers per server (nproc)")
    parser.add_argument("--connections", type=int, default=None, help="wrk connections (4 per worker)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--database-url", default=None, help="application database (a SQLite file in var/bench/)")
    parser.add_argument("--no-write", action="store_true", help="print the table, keep bench/results as is")
    parser.add_argument("--output", type=Path, default=RESULTS_DIR, help="where to write <name>.json")
    args = parser.parse_args(argv)
    if args.quick:
        args.samples, args.repeats, args.duration, args.warmup, args.rounds = 2000, 2, 2, 1, 1
    if args.connections is None:
        args.connections = 4 * args.workers
    return args


def _table(results: dict[str, dict]) -> str:
    rows = [("benchmark", "subject", "rate", "p50 ms", "p99 ms", "errors", "CPU srv/other", "app/baseline")]
    for name, result in results.items():
        figures = result["figures"]
        if name == "calendar_due":
            for subject in ("app", "baseline"):
                rows.append((
                    name if subject == "app" else "",
                    "add_working_time" if subject == "app" else "datetime+timedelta",
                    f"{figures[subject]['ops_per_s']:,} op/s",
                    "", "", "", "",
                    f"{figures['ratio_app_to_baseline']:.4f}" if subject == "app" else "",
                ))  # fmt: skip
            continue
        for subject in ("app", "baseline"):
            data = figures[subject]
            ratio = figures["ratio_app_to_baseline"]
            rows.append((
                name if subject == "app" else "",
                "application" if subject == "app" else "bare Django",
                f"{data['requests_per_s']:,.0f} req/s",
                f"{data['latency_p50_ms']:.2f}",
                f"{data['latency_p99_ms']:.2f}",
                str(data["errors"]),
                f"{data['server_cpu_cores']:.2f}/{data['other_cpu_cores']:.2f}",
                f"{ratio['requests_per_s']:.3f} (p99 x{ratio['latency_p99']:.2f})" if subject == "app" else "",
            ))  # fmt: skip
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(sys.argv[1:] if argv is None else argv)
    from bench import calendar_due, http_load
    from bench.machine import machine_describe, run_describe

    def progress(message: str) -> None:
        print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)

    only = set(args.only or BENCHMARKS)
    machine, run_info = machine_describe(), run_describe()
    results: dict[str, dict] = {}
    try:
        if "calendar_due" in only:
            progress(f"due dates: {args.repeats} passes of {args.samples} computations")
            results["calendar_due"] = calendar_due.run(samples=args.samples, repeats=args.repeats)
        if only & set(http_load.TARGETS):
            results.update(
                http_load.run(
                    duration=args.duration,
                    warmup=args.warmup,
                    rounds=args.rounds,
                    workers=args.workers,
                    connections=args.connections,
                    threads=args.threads,
                    database_url=args.database_url,
                    only=only,
                    progress=progress,
                )
            )
    except http_load.BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1

    for name, result in results.items():
        document = {"name": name, **run_info, "machine": machine, **result}
        if not args.no_write:
            args.output.mkdir(parents=True, exist_ok=True)
            path = args.output / f"{name}.json"
            path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            progress(f"wrote {path}")
    print()
    print(_table(results))
    print(
        f"\nmachine: {machine['nproc']} CPU ({machine['cpu_model']}), {machine['ram_gib']} GiB; "
        "ratio app/baseline measured in the same run; CPU in cores used by the server / by other programs."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
