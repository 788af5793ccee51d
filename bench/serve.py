"""Measure `precepts serve` with a real server process and a load generator, and print
the figures (issue 11):

    python3 bench/serve.py [--connections 16] [--gets 30000] [--checks 200] [--records 100000]

- GET /v1/frameworks/hmip-adult-2021: requests per second (and with If-None-Match: 304s);
- POST /v1/check on the 2021 framework (with its shared rules): p50 and p99 latency, warm;
- POST /v1/frameworks/hmip-adult-2021/rate with 100,000 CSV case records: records per
  second, beside the same rating done in process as `precepts rate` does it.

The script starts the server itself on 127.0.0.1 (one worker, no file watching) and
sends traffic only to it: a bounded number of requests, each phase within a time
limit, then it stops the server. Goals on a 2-core machine: 3,000 GETs/s; check p50 at
most 40 ms; rate at least 80% of the in-process records/s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRAMEWORKS = ROOT / "frameworks"
FRAMEWORK = FRAMEWORKS / "hmip-adult-2021.precepts"
SHARED = FRAMEWORKS / "shared" / "hmip-case-ratings.precepts"
ADULT = "hmip-adult-2021"
PHASE_SECONDS = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, "-m", "precepts", "serve", "frameworks", "--port", str(port), "--no-watch",
         "--max-records", "200000", "--time-limit", "120"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as answer:
                if answer.status == 200:
                    return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not become ready within 60 s")


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return status


async def _hammer(port: int, path: str, headers: str, connections: int, total: int) -> tuple[int, float, int]:
    """Keep-alive GETs over `connections` sockets until `total` are answered (or the time limit)."""
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{headers}\r\n".encode()
    remaining = total
    done = failed = 0
    deadline = time.monotonic() + PHASE_SECONDS

    async def worker() -> None:
        nonlocal remaining, done, failed
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while remaining > 0 and time.monotonic() < deadline:
                remaining -= 1
                writer.write(request)
                status = await _read_response(reader)
                done += 1
                failed += status >= 400
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return done, time.perf_counter() - started, failed


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used, from /proc: on a machine shared with
    other work, the server's own cost per request says more than requests per second."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def post(port: int, path: str, body: bytes, content_type: str) -> tuple[int, bytes]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, method="POST",
                                     headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=PHASE_SECONDS) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--gets", type=int, default=30_000)
    parser.add_argument("--checks", type=int, default=200)
    parser.add_argument("--records", type=int, default=100_000)
    options = parser.parse_args()
    port = free_port()
    server = start_server(port)
    try:
        print(f"precepts serve on 127.0.0.1:{port}, 1 worker, {os.cpu_count()} CPUs; "
              f"load average before: {os.getloadavg()[0]:.1f} (a busy machine lowers every figure)")
        path = f"/v1/frameworks/{ADULT}"
        asyncio.run(_hammer(port, path, "", options.connections, 500))  # warm up
        used = cpu_seconds(server.pid)
        count, seconds, failed = asyncio.run(_hammer(port, path, "", options.connections, options.gets))
        per_request = (cpu_seconds(server.pid) - used) / count
        print(f"GET {path}: {count / seconds:,.0f} requests/s ({count} in {seconds:.1f} s, "
              f"{options.connections} connections, {failed} failed; goal 3,000); server CPU "
              f"{per_request * 1000:.2f} ms a request, so {1 / per_request:,.0f} requests/s a free core")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}") as answer:
            tag = answer.headers["ETag"]
        count, seconds, failed = asyncio.run(
            _hammer(port, path, f"If-None-Match: {tag}\r\n", options.connections, options.gets))
        print(f"GET {path} with If-None-Match (304): {count / seconds:,.0f} requests/s")

        files = {f"{ADULT}.precepts": FRAMEWORK.read_text(encoding="utf-8"),
                 "shared/hmip-case-ratings.precepts": SHARED.read_text(encoding="utf-8")}
        body = json.dumps({"files": files}).encode()
        for _ in range(5):
            post(port, "/v1/check", body, "application/json")
        timings = []
        used = cpu_seconds(server.pid)
        started = time.monotonic()
        for _ in range(options.checks):
            if time.monotonic() - started > PHASE_SECONDS:
                break
            began = time.perf_counter()
            status, _ = post(port, "/v1/check", body, "application/json")
            timings.append(time.perf_counter() - began)
            assert status == 200, status
        check_cpu = (cpu_seconds(server.pid) - used) / len(timings)
        timings.sort()
        p50 = statistics.median(timings) * 1000
        p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))] * 1000
        print(f"POST /v1/check (2021 framework, {len(timings)} sequential, warm): p50 {p50:.1f} ms, "
              f"p99 {p99:.1f} ms (goal: p50 at most 40 ms); the same check in process: "
              f"{_in_process_check(files) * 1000:.1f} ms; server CPU {check_cpu * 1000:.1f} ms a check")

        sys.path.insert(0, str(ROOT / "bench"))
        from rate import generate

        units = max(1, options.records // 1000)
        _, csv_text, records = generate(FRAMEWORK, units, options.records // units)
        csv_body = csv_text.encode()
        post(port, f"/v1/frameworks/{ADULT}/rate?level=pdu", csv_body[: csv_body.find(b"\n", 20000) + 1], "text/csv")
        began = time.perf_counter()
        status, answer = post(port, f"/v1/frameworks/{ADULT}/rate?level=pdu", csv_body, "text/csv")
        served = time.perf_counter() - began
        assert status == 200, answer[:500]
        in_process = _in_process_rate(csv_text)
        print(f"POST …/rate with {records:,} CSV records: {records / served:,.0f} records/s over HTTP; "
              f"in process (as precepts rate): {records / in_process:,.0f} records/s; "
              f"ratio {in_process / served:.0%} (goal at least 80%)")
        print(f"load average after: {os.getloadavg()[0]:.1f}")
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()


def _in_process_check(files: dict[str, str]) -> float:
    """The median seconds of the same check in this process, without HTTP."""
    import precepts.api

    timings = []
    for _ in range(21):
        began = time.perf_counter()
        precepts.api.check(dict(sorted(files.items())))
        timings.append(time.perf_counter() - began)
    return statistics.median(timings[1:])


def _in_process_rate(csv_text: str) -> float:
    """Seconds to rate the same records in this process, as `precepts rate --format json` does."""
    import precepts.api

    framework = precepts.api.load(FRAMEWORK)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cases.csv"
        path.write_text(csv_text, encoding="utf-8")
        precepts.api.rate(framework, [path], level="pdu").json()  # warm up the plan and schema
        began = time.perf_counter()
        precepts.api.rate(framework, [path], level="pdu").json()
        return time.perf_counter() - began


if __name__ == "__main__":
    main()
