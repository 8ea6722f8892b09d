"""HTTP under load: `/healthz` and the admin-unit list of the application beside a bare-Django baseline.

Both are served the same way (gunicorn, sync workers, the same worker count, started here) and driven
by wrk from a second process over loopback, in interleaved rounds of the same run, so that the ratio
application/baseline says what the application costs on top of Django whatever the machine.
"""

from __future__ import annotations

import json
import os
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = ROOT / "var" / "bench"
LUA_SCRIPT = Path(__file__).resolve().parent / "wrk_report.lua"
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}  # as a TLS-terminating proxy would send them

BASELINE_PATH = "/"
TARGETS = {
    "http_healthz": "/healthz",
    "http_admin_units": "/api/v1/admin-units?parent=006&on=2024-06-26",
}
EXPECTED_WARDS_2024 = 21


class BenchError(RuntimeError):
    """The bench cannot run or its setup is wrong; the message says what to do."""


# --- Servers ---------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log_path: Path

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def pids(self) -> list[int]:
        """The gunicorn master and its workers."""
        found = [self.process.pid]
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rpartition(")")[2].split()[1]) == self.process.pid:
                    found.append(int(entry.name))
        return found

    def cpu_seconds(self) -> float:
        """User + system CPU time used so far by the master and its live workers."""
        ticks = 0
        for pid in self.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


def _http_get(url: str, timeout: float = 5) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=PROXY_HEADERS)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # loopback only
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def server_start(*, name: str, wsgi: str, env: dict[str, str], workers: int, ready_path: str) -> Server:
    port = _free_port()
    log_path = VAR_DIR / f"{name}-gunicorn.log"
    command = [
        sys.executable, "-m", "gunicorn", wsgi,
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--worker-class", "sync",
        "--log-level", "warning",
        "--chdir", str(ROOT),
    ]  # fmt: skip
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(name=name, port=port, process=process, log_path=log_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"gunicorn for {name} exited; see {log_path}:\n{log_path.read_text()[-2000:]}")
        try:
            status, _ = _http_get(server.url(ready_path), timeout=2)
        except OSError:
            status = None
        if status == 200:
            return server
        time.sleep(0.2)
    server.stop()
    raise BenchError(f"gunicorn for {name} did not answer {ready_path} with 200 within 60 s; see {log_path}")


# --- The application's database --------------------------------------------------------------------
def app_env(*, database_url: str | None) -> dict[str, str]:
    """Production-like settings: DEBUG off, a fresh secret, the bench's own database and var dir."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "CQS_")) and name not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        CQS_VAR_DIR=str(VAR_DIR),
        LOG_LEVEL="ERROR",
        PYTHONDONTWRITEBYTECODE="1",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _manage(*args: str, env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    if result.returncode != 0:
        raise BenchError(f"manage.py {' '.join(args)} failed:\n{result.stdout[-2000:]}{result.stderr[-4000:]}")


def app_database_prepare(*, env: dict[str, str]) -> str:
    """A fresh SQLite file under var/bench/ (unless DATABASE_URL was given), migrated and seeded."""
    if "DATABASE_URL" not in env:
        for leftover in VAR_DIR.glob("chinhquyenso.sqlite3*"):
            leftover.unlink()
    _manage("migrate", "--noinput", env=env)
    # DEBUG is off here, so seed_demo refuses demo accounts; the endpoints under load need none.
    _manage("seed_demo", "--without-accounts", env=env)
    return "manage.py seed_demo --without-accounts"


def app_responses_check(server: Server) -> None:
    """Measure nothing that does not answer correctly."""
    status, body = _http_get(server.url(TARGETS["http_healthz"]))
    if status != 200 or json.loads(body) != {"status": "ok", "database": "ok"}:
        raise BenchError(f"/healthz answered {status} {body[:200]!r}")
    status, body = _http_get(server.url(TARGETS["http_admin_units"]))
    units = json.loads(body) if status == 200 else None
    if not isinstance(units, list) or len(units) != EXPECTED_WARDS_2024:
        raise BenchError(
            f"the admin-unit list answered {status} with {len(units) if units else 0} units, "
            f"not the {EXPECTED_WARDS_2024} wards of Đống Đa: is the bench database seeded?"
        )


def database_describe(env: dict[str, str]) -> dict:
    url = env.get("DATABASE_URL", "sqlite:///var/bench/chinhquyenso.sqlite3")
    scheme = url.split(":", 1)[0]
    return {
        "engine": "postgresql" if scheme.startswith("postgres") else scheme,
        "name": url.rsplit("/", 1)[-1],
        "conn_max_age": int(env.get("DB_CONN_MAX_AGE") or 60),  # the settings default
    }


# --- Load --------------------------------------------------------------------------------------------
def wrk_version() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise BenchError(
            "The HTTP benchmarks need wrk. `make bench` installs it as root on Debian; otherwise run "
            "`sudo apt-get install wrk`, or `python -m bench --only calendar_due` to skip them."
        )
    result = subprocess.run([path, "--version"], capture_output=True, text=True)
    return (result.stdout + result.stderr).split("Copyright")[0].strip()


def _machine_busy_seconds() -> float:
    """CPU time the whole machine spent busy so far (all cores, every process and the kernel)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def wrk_run(
    *,
    url: str,
    duration: float,
    connections: int,
    threads: int,
    server: Server,
    script: Path = LUA_SCRIPT,
    script_args: tuple[str, ...] = (),
) -> dict:
    """One wrk run; returns its figures with the CPU that the server and wrk used meanwhile. A `script` other
    than the report script runs from bench/ (it loads wrk_report.lua from there) with `script_args`."""
    command = [
        "wrk", "--latency", "-s", str(script),
        "-t", str(threads), "-c", str(connections), "-d", f"{duration:g}s", "--timeout", "5s", url,
    ]  # fmt: skip
    if script_args:
        command += ["--", *script_args]
    server_cpu = server.cpu_seconds()
    machine_busy = _machine_busy_seconds()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, cwd=LUA_SCRIPT.parent)
    wall = time.perf_counter() - began
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_cpu = server.cpu_seconds() - server_cpu
    machine_busy = _machine_busy_seconds() - machine_busy
    loadgen_cpu = (children_after.ru_utime - children.ru_utime) + (children_after.ru_stime - children.ru_stime)
    line = next((row for row in result.stdout.splitlines() if row.startswith("BENCH_JSON ")), None)
    if result.returncode != 0 or line is None:
        raise BenchError(f"wrk failed on {url}:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    seconds = raw["duration_us"] / 1e6
    errors = sum(raw[key] for key in raw if key.startswith("errors_"))
    return {
        "requests": raw["requests"],
        "requests_per_s": raw["requests"] / seconds,
        "latency_p50_ms": raw["latency_p50_us"] / 1000,
        "latency_p90_ms": raw["latency_p90_us"] / 1000,
        "latency_p99_ms": raw["latency_p99_us"] / 1000,
        "latency_max_ms": raw["latency_max_us"] / 1000,
        "errors": errors,
        "errors_by_kind": {key.removeprefix("errors_"): raw[key] for key in raw if key.startswith("errors_")},
        "server_cpu_cores": server_cpu / wall,
        "loadgen_cpu_cores": loadgen_cpu / wall,
        # Whatever else ran meanwhile (other programs, the kernel's share not charged to either side):
        # a large figure here means the run competed for the CPU and its absolute figures are low.
        "other_cpu_cores": max(0.0, machine_busy - server_cpu - loadgen_cpu) / wall,
    }


def _summarise(runs: list[dict]) -> dict:
    """Median of each figure over the rounds; errors and requests are totals."""

    def median(key: str) -> float:
        return statistics.median(run[key] for run in runs)

    return {
        "requests_per_s": round(median("requests_per_s"), 1),
        "latency_p50_ms": round(median("latency_p50_ms"), 2),
        "latency_p90_ms": round(median("latency_p90_ms"), 2),
        "latency_p99_ms": round(median("latency_p99_ms"), 2),
        "latency_max_ms": round(max(run["latency_max_ms"] for run in runs), 2),
        "errors": sum(run["errors"] for run in runs),
        "errors_by_kind": {
            kind: sum(run["errors_by_kind"][kind] for run in runs) for kind in runs[0]["errors_by_kind"]
        },
        "requests": sum(run["requests"] for run in runs),
        "server_cpu_cores": round(median("server_cpu_cores"), 2),
        "loadgen_cpu_cores": round(median("loadgen_cpu_cores"), 2),
        "other_cpu_cores": round(median("other_cpu_cores"), 2),
        "requests_per_s_runs": [round(run["requests_per_s"], 1) for run in runs],
    }


def run(
    *,
    duration: float,
    warmup: float,
    rounds: int,
    workers: int,
    connections: int,
    threads: int,
    database_url: str | None,
    only: set[str],
    progress,
) -> dict[str, dict]:
    targets = {name: path for name, path in TARGETS.items() if name in only}
    loadgen = wrk_version()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    env = app_env(database_url=database_url)
    progress("preparing the bench database (migrate, seed)")
    seeded_by = app_database_prepare(env=env)
    baseline_env = {k: v for k, v in env.items() if not k.startswith("DJANGO_")}
    servers: list[Server] = []
    try:
        progress(f"starting gunicorn: application and bare-Django baseline, {workers} sync workers each")
        app = server_start(name="app", wsgi="config.wsgi:application", env=env, workers=workers,
                           ready_path="/healthz")  # fmt: skip
        servers.append(app)
        baseline = server_start(name="baseline", wsgi="bench.baseline.wsgi:application", env=baseline_env,
                                workers=workers, ready_path=BASELINE_PATH)  # fmt: skip
        servers.append(baseline)
        app_responses_check(app)

        subjects = [("baseline", baseline, BASELINE_PATH)] + [(name, app, path) for name, path in targets.items()]
        load = {"connections": connections, "threads": threads}
        for label, server, path in subjects:
            progress(f"warming up {label} ({warmup:g} s)")
            wrk_run(url=server.url(path), duration=warmup, server=server, **load)
        runs: dict[str, list[dict]] = {label: [] for label, _, _ in subjects}
        for number in range(1, rounds + 1):
            # Interleaved, so that a slow spell of the machine hits the application and the baseline alike.
            for label, server, path in subjects:
                progress(f"round {number}/{rounds}: {label} ({duration:g} s)")
                runs[label].append(wrk_run(url=server.url(path), duration=duration, server=server, **load))
    finally:
        for server in servers:
            server.stop()

    baseline_figures = _summarise(runs["baseline"])
    parameters = {
        "server": "gunicorn (sync workers), one per subject, started by the bench",
        "workers": workers,
        "load_generator": loadgen,
        "load_generator_threads": threads,
        "connections": connections,
        "duration_s": duration,
        "warmup_s": warmup,
        "rounds": rounds,
        "app_settings": "DJANGO_DEBUG=0, generated DJANGO_SECRET_KEY, header X-Forwarded-Proto: https",
        "seeded_by": seeded_by,
    }
    results = {}
    for name, path in targets.items():
        app_figures = _summarise(runs[name])
        results[name] = {
            "description": (
                f"GET {path} on the application beside GET {BASELINE_PATH} on a bare Django project "
                "(one view returning a small JSON, no middleware, no database), under load from wrk on loopback."
            ),
            "database": database_describe(env),
            "parameters": {**parameters, "path": path, "baseline_path": BASELINE_PATH},
            "figures": {
                "app": app_figures,
                "baseline": baseline_figures,
                "ratio_app_to_baseline": {
                    "requests_per_s": round(app_figures["requests_per_s"] / baseline_figures["requests_per_s"], 3),
                    "latency_p50": round(app_figures["latency_p50_ms"] / baseline_figures["latency_p50_ms"], 2),
                    "latency_p99": round(app_figures["latency_p99_ms"] / baseline_figures["latency_p99_ms"], 2),
                },
            },
        }
    return results
