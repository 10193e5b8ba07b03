"""Run one hostile case in a fresh interpreter with a memory limit, and measure it.

Every case of the hostile corpus names the code it expects and has a time and a memory bound.
The case runs in a subprocess (so a runaway cannot take the test run with it) under
`RLIMIT_AS`, and reports what the call cost: its CPU time (all its threads) and its peak resident
memory (`VmHWM`). CPU time, not wall time, is what a bound compares: it is what the attack costs
the server, and other processes on a shared machine (a CI runner, parallel test runs) do not
inflate it. A hang still fails: the subprocess is killed after a wall-time limit.

    result = run_bounded("tests.hostile.cases_jsonld:verify_file", str(path),
                         seconds=5, rss_mb=400)
    assert result.value["codes"] == ["JSONLD_BUDGET_ERROR"]
    assert result.seconds < 5 and result.rss_mb < 400
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

__all__ = ["Bounded", "run_bounded"]

ROOT = pathlib.Path(__file__).resolve().parents[2]

_RUNNER = r"""
import importlib, json, resource, sys, time
def peak_kb():
    # VmHWM: this process's own peak (ru_maxrss keeps the parent's peak across fork and exec)
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
limit = int(sys.argv[2]) * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
module, name = sys.argv[1].split(":")
func = getattr(importlib.import_module(module), name)
args = json.loads(sys.stdin.read())
base_rss = peak_kb()
start, cpu_start = time.perf_counter(), time.process_time()
try:
    value, error = func(*args), None
except MemoryError:
    value, error = None, "MemoryError"
seconds = time.perf_counter() - start
cpu_seconds = time.process_time() - cpu_start
rss = peak_kb()
sys.stdout.write("\n@@RESULT@@" + json.dumps({"value": value, "error": error, "seconds": seconds,
                                               "cpu_seconds": cpu_seconds,
                                               "rss_kb": rss, "base_rss_kb": base_rss}))
"""


@dataclass(frozen=True)
class Bounded:
    value: Any            # what the case function returned (JSON)
    error: str | None     # "MemoryError" when the address-space limit was hit
    seconds: float        # CPU time of the call itself, all threads (imports excluded)
    wall_seconds: float   # its wall time (for reports; inflated by whatever else the machine runs)
    rss_mb: float         # peak resident memory of the whole process
    extra_rss_mb: float   # peak resident memory above what the imports had already used


def run_bounded(target: str, *args: Any, seconds: float, rss_mb: int, address_space_mb: int = 3072,
                env: dict[str, str] | None = None) -> Bounded:
    """Call `module:function(*args)` in a fresh interpreter; the subprocess is killed after
    4 x `seconds` (plus start-up), so a hang fails the test instead of hanging the run."""
    child_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    try:
        done = subprocess.run([sys.executable, "-c", _RUNNER, target, str(address_space_mb)],
                              input=json.dumps(list(args)), capture_output=True, text=True,
                              cwd=ROOT, env=child_env, timeout=4 * seconds + 30)
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"{target} did not finish within {4 * seconds + 30:.0f} s") from exc
    marker = done.stdout.rfind("@@RESULT@@")
    if done.returncode != 0 or marker < 0:
        raise AssertionError(f"{target} failed (exit {done.returncode}):\n{done.stderr[-4000:]}")
    out = json.loads(done.stdout[marker + len("@@RESULT@@"):])
    return Bounded(out["value"], out["error"], out["cpu_seconds"], out["seconds"], out["rss_kb"] / 1024,
                   (out["rss_kb"] - out["base_rss_kb"]) / 1024)
