"""Requests per second and p99 under a real server: gunicorn (2 sync workers) driven by wrk
from another process, on the same machine (so the load generator, the workers and
PostgreSQL share the cores, as the report says)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DURATION = "15s"
CONNECTIONS = 4
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def pages(ctx: dict) -> dict[str, str]:
    return {
        "home": "/",
        "search": "/articles/?q=shelling",
        "article": ctx["article"],
        "actor_page": f"/actors/{ctx['top_actor']}/",
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(base: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited; see its log")
        try:
            with urllib.request.urlopen(base + "/", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer in time")


def parse_wrk(output: str) -> dict:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    value, unit = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M).groups()
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    if non_2xx := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(non_2xx.group(1))
    return {
        "rps": round(rps, 1),
        "p99_ms": round(float(value) * UNITS_MS[unit], 1),
        "errors": errors,
    }


def _serve(port: int, log) -> subprocess.Popen:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [str(gunicorn), "newsarchive.wsgi:application", "--workers", "2"]
    command += ["--bind", f"127.0.0.1:{port}", "--timeout", "60"]
    return subprocess.Popen(
        command, cwd=ROOT, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT
    )


def run(ctx: dict) -> dict:
    """One fresh server per page, so requests a slow page left queued cannot delay the next."""
    results = {}
    with open(ROOT / "bench" / "corpus" / "gunicorn.log", "w") as log:
        for name, path in pages(ctx).items():
            port = _free_port()
            base = f"http://127.0.0.1:{port}"
            server = _serve(port, log)
            try:
                _wait_until_up(base, server)
                print(f"  wrk {name}: {path}", file=sys.stderr)
                command = ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", DURATION]
                command += ["--timeout", "10s", "--latency", base + path]
                output = subprocess.run(command, capture_output=True, text=True, check=True)
                results[name] = parse_wrk(output.stdout) | {"path": path}
                print(f"    {results[name]}", file=sys.stderr)
            finally:
                server.terminate()
                server.wait(timeout=90)
    return results


SETUP = {
    "server": "gunicorn 23.0.0, 2 sync workers, restarted per page",
    "load": f"wrk -t2 -c{CONNECTIONS} -d{DURATION}",
}
