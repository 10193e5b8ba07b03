"""Kill a wallet command at every point where it writes, deterministically: each SQL statement
and each file-system step (fsync, link, rename, replace, unlink) is an event, and a forked child
runs the command and SIGKILLs itself just before its k-th event. Loop k = 1, 2, ... until a run
finishes: every point of the command has then been a kill point once (no timers, no sleeps).

    python -m tests.wallet.killpoints TEMPLATE_OR_- OUT_DIR restore FILE
prints JSON [{"k": 1, "home": "OUT_DIR/1", "killed": true}, ..., {"k": N, "killed": false, "exit": 0}];
each run gets its own home, a copy of TEMPLATE (or none, for a new home), `--home` prepended.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import sys
from pathlib import Path
from typing import Any

__all__ = ["kill_at", "kill_everywhere"]

FS_STEPS = ("fsync", "link", "rename", "replace", "unlink")
MAX_EVENTS = 2000


def _arm(k: int) -> None:
    """In the child: count events and die by SIGKILL just before the k-th."""
    count = [0]

    def event(*_: Any) -> None:
        count[0] += 1
        if count[0] == k:
            os.kill(os.getpid(), signal.SIGKILL)

    connect = sqlite3.connect

    def traced(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = connect(*args, **kwargs)
        conn.set_trace_callback(event)  # called as each statement starts running
        return conn
    sqlite3.connect = traced  # type: ignore[assignment]
    for name in FS_STEPS:
        def step(*args: Any, _real: Any = getattr(os, name), **kwargs: Any) -> Any:
            event()
            return _real(*args, **kwargs)
        setattr(os, name, step)


def kill_at(k: int, home: Path, argv: list[str], template: Path | None = None) -> dict[str, Any]:
    """Run `python -m wallet --home HOME ARGV...` in a forked child that dies before event k."""
    from wallet.cli_parser import main  # imported before forking: children start at once

    if template is not None:
        shutil.copytree(template, home)
    pid = os.fork()
    if pid == 0:  # the child
        code = 3
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            _arm(k)
            code = main(["--home", str(home), *argv])
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        assert os.WTERMSIG(status) == signal.SIGKILL
        return {"k": k, "home": str(home), "killed": True}
    return {"k": k, "home": str(home), "killed": False, "exit": os.WEXITSTATUS(status)}


def kill_everywhere(out: Path, argv: list[str], template: Path | None = None) -> list[dict[str, Any]]:
    runs = []
    for k in range(1, MAX_EVENTS):
        runs.append(kill_at(k, out / str(k), argv, template))
        if not runs[-1]["killed"]:
            return runs
    raise AssertionError(f"the command did not finish within {MAX_EVENTS} events")


if __name__ == "__main__":
    template = None if sys.argv[1] == "-" else Path(sys.argv[1])
    print(json.dumps(kill_everywhere(Path(sys.argv[2]), sys.argv[3:], template)))
