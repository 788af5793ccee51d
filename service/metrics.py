"""Prometheus text exposition (format 0.0.4) of the server's own counters.

Written by hand, not with prometheus_client: a handful of counters and one histogram,
per worker process, need no library (with --workers N, each scrape sees one worker, as
with prometheus_client outside its multiprocess mode).
"""

from __future__ import annotations

import bisect
import threading
from collections import defaultdict

BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
MEDIA_TYPE = "text/plain; version=0.0.4; charset=utf-8"
Gauges = dict[str, tuple[str, list[tuple[dict[str, str], float]]]]  # name → (help, [(labels, value)])


class Metrics:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: dict[tuple[str, str, int], int] = defaultdict(int)
        self.latency: dict[tuple[str, str], list[int]] = {}
        self.latency_sum: dict[tuple[str, str], float] = defaultdict(float)
        self.latency_count: dict[tuple[str, str], int] = defaultdict(int)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        with self._lock:
            self.requests[(method, route, status)] += 1
            key = (method, route)
            counts = self.latency.setdefault(key, [0] * (len(BUCKETS) + 1))
            counts[bisect.bisect_left(BUCKETS, seconds)] += 1
            self.latency_sum[key] += seconds
            self.latency_count[key] += 1

    def render(self, gauges: Gauges) -> str:
        lines = ["# HELP precepts_http_requests_total HTTP requests answered, by method, route and status.",
                 "# TYPE precepts_http_requests_total counter"]
        with self._lock:
            for (method, route, status), count in sorted(self.requests.items()):
                lines.append(f'precepts_http_requests_total{{method="{method}",route="{_escape(route)}",'
                             f'status="{status}"}} {count}')
            lines += ["# HELP precepts_http_request_duration_seconds Time to answer a request.",
                      "# TYPE precepts_http_request_duration_seconds histogram"]
            for (method, route), counts in sorted(self.latency.items()):
                labels = f'method="{method}",route="{_escape(route)}"'
                running = 0
                for bound, count in zip((*BUCKETS, float("inf")), counts, strict=True):
                    running += count
                    shown = "+Inf" if bound == float("inf") else repr(bound)
                    lines.append(f'precepts_http_request_duration_seconds_bucket{{{labels},le="{shown}"}} {running}')
                lines.append(f"precepts_http_request_duration_seconds_sum{{{labels}}} "
                             f"{self.latency_sum[(method, route)]:.6f}")
                lines.append(f"precepts_http_request_duration_seconds_count{{{labels}}} "
                             f"{self.latency_count[(method, route)]}")
        for name, (help_text, samples) in gauges.items():
            lines += [f"# HELP {name} {help_text}", f"# TYPE {name} gauge"]
            for sample_labels, value in samples:
                shown = ",".join(f'{k}="{_escape(v)}"' for k, v in sample_labels.items())
                lines.append(f"{name}{{{shown}}} {value:g}" if shown else f"{name} {value:g}")
        return "\n".join(lines) + "\n"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
