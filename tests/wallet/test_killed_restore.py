"""A restore (or `init`) SIGKILLed at any point leaves a home that opens: no wallet yet (a new one
can be made) or the whole result, never a half-made database. The command is killed before each
of its SQL statements and file-system steps in turn (tests/wallet/killpoints.py)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from wallet.backup import make_backup
from wallet.holder import DB_NAME, Wallet

from ..conftest import ROOT

NEW_PASS, BACKUP_PASS = "new home passphrase", "backup secret"


def kill_everywhere(out: Path, *argv: str, template: Path | None = None) -> list[dict]:
    env = {**os.environ, "WALLET_PASSPHRASE": NEW_PASS, "WALLET_BACKUP_PASSPHRASE": BACKUP_PASS,
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "tests.wallet.killpoints", str(template or "-"), str(out), *argv],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.fixture
def source(wallet, issue, tmp_path):
    """A backup of three credentials, and their exact bytes."""
    for n in range(3):
        wallet.import_bytes(issue(name=f"Eenheid {n}"))
    path = tmp_path / "backup.json"
    path.write_bytes(make_backup(wallet, BACKUP_PASS))
    return path, sorted(wallet.body(r.id) for r in wallet.records()), [p.did for p in wallet.profiles()]


def _opened(home: Path, wallet_verifier, clock, canon) -> Wallet:
    conn = sqlite3.connect(home / DB_NAME)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    return Wallet.open(home, NEW_PASS, verifier=wallet_verifier, clock=clock, canon=canon)


@pytest.mark.slow
def test_restore_into_a_new_home_killed_anywhere_leaves_nothing_or_everything(source, tmp_path, wallet_verifier,
                                                                             clock, canon):
    backup, bodies, dids = source
    runs = kill_everywhere(tmp_path / "runs", "restore", str(backup))
    assert runs[-1] == {**runs[-1], "killed": False, "exit": 0} and len(runs) > 20
    outcomes = set()
    for run in runs:
        home = Path(run["home"])
        if not Wallet.exists(home):  # killed before the wallet was published: a new one can be made
            outcomes.add("none")
            Wallet.create(home, NEW_PASS, verifier=wallet_verifier, clock=clock, canon=canon, kdf_n=2 ** 12).close()
            assert sorted(p.name for p in home.iterdir()) == [DB_NAME], run
            continue
        outcomes.add("whole")
        wallet = _opened(home, wallet_verifier, clock, canon)
        assert sorted(wallet.body(r.id) for r in wallet.records()) == bodies, run
        assert [p.did for p in wallet.profiles()] == dids
        wallet.close()
        assert not [p for p in home.iterdir() if ".draft-" in p.name], run  # cleaned on opening
    assert outcomes == {"none", "whole"}


@pytest.mark.slow
def test_restore_into_an_existing_home_killed_anywhere_adds_all_or_nothing(source, tmp_path, wallet_verifier,
                                                                          clock, canon, issue):
    backup, bodies, dids = source
    template = tmp_path / "template"
    own = Wallet.create(template, NEW_PASS, verifier=wallet_verifier, clock=clock, canon=canon, kdf_n=2 ** 12)
    mine = issue(name="Eigen eenheid", holder=own.profile().did)
    assert own.import_bytes(mine).stored
    own.close()
    runs = kill_everywhere(tmp_path / "runs", "restore", str(backup), template=template)
    assert not runs[-1]["killed"] and runs[-1]["exit"] == 0 and len(runs) > 5
    seen = set()
    for run in runs:
        wallet = _opened(Path(run["home"]), wallet_verifier, clock, canon)
        held = sorted(wallet.body(r.id) for r in wallet.records())
        assert held in ([mine], sorted([mine, *bodies])), run
        seen.add(len(held))
        wallet.close()
    assert seen == {1, 4}


def test_init_killed_anywhere_leaves_no_half_made_wallet(tmp_path, wallet_verifier, clock, canon):
    runs = kill_everywhere(tmp_path / "runs", "init")
    assert not runs[-1]["killed"] and len(runs) > 5
    for run in runs:
        home = Path(run["home"])
        if Wallet.exists(home):
            wallet = _opened(home, wallet_verifier, clock, canon)
            assert len(wallet.profiles()) == 1  # the first profile is part of creating the wallet
            wallet.close()
        else:
            assert not (home / DB_NAME).exists()
    assert not Wallet.exists(Path(runs[0]["home"])) and Wallet.exists(Path(runs[-1]["home"]))

