"""Every shell command of the README's "Usage" section works as written.

The ```sh blocks of that section are run in order as one bash script (`set -euo pipefail`) in a
scratch folder holding a copy of docs/examples/, with this checkout's virtual environment first on
PATH (so `python` is the project's) and nothing else prepared. A command ending in `&` starts a
server: the script then waits until its `--port` accepts connections. The README's ports are
swapped for free ones, so the test can run beside anything else.
"""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

from .browser_support import free_port
from .conftest import ROOT

pytestmark = pytest.mark.slow
README = ROOT / "README.md"
PORT = re.compile(r"--port (\d{4,5})")


def usage_blocks(text: str) -> list[str]:
    """The ```sh blocks between '## Usage' and the next '## ' heading."""
    start = text.index("\n## Usage")
    end = text.find("\n## ", start + 1)
    section = text[start:end if end > 0 else len(text)]
    return re.findall(r"```sh\n(.*?)```", section, flags=re.S)


def script(blocks: list[str], ports: dict[str, int]) -> str:
    lines = ["set -euo pipefail", "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT",
             "wait_for() { python -c 'import socket,sys,time\n"
             "for _ in range(1200):\n"
             "    try: socket.create_connection((\"127.0.0.1\", int(sys.argv[1])), 0.2).close(); sys.exit(0)\n"
             "    except OSError: time.sleep(0.1)\n"
             "sys.exit(\"nothing listens on \" + sys.argv[1])' \"$1\"; }"]
    for block in blocks:
        for line in block.splitlines():
            for readme_port, port in ports.items():
                line = line.replace(readme_port, str(port))
            lines.append(line)
            found = PORT.search(line)
            if line.rstrip().endswith("&") and found:
                lines.append(f"wait_for {found.group(1)}")
    return "\n".join(lines) + "\n"


def test_the_usage_section_has_commands():
    blocks = usage_blocks(README.read_text(encoding="utf-8"))
    assert len(blocks) >= 4 and all(b.strip() for b in blocks)


def test_every_usage_command_runs(tmp_path, loopback):
    text = README.read_text(encoding="utf-8")
    blocks = usage_blocks(text)
    readme_ports = sorted({m for block in blocks for m in PORT.findall(block)})
    ports = {p: free_port() for p in readme_ports}
    shutil.copytree(ROOT / "docs" / "examples", tmp_path / "docs" / "examples")
    (tmp_path / "run.sh").write_text(script(blocks, ports), encoding="utf-8")
    bin_dir = str(pathlib.Path(sys.executable).parent)
    env = {"PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""), "HOME": str(tmp_path),
           "LANG": "C.UTF-8"}
    done = subprocess.run(["bash", str(tmp_path / "run.sh")], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, f"exit {done.returncode}\n--- stdout\n{done.stdout[-4000:]}\n--- stderr\n{done.stderr[-6000:]}"
