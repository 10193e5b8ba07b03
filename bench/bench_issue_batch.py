"""Benchmark: issue 10,000 microcredentials from one CSV file (validate + status allocation + sign + store).

Run: .venv/bin/python bench/bench_issue_batch.py [--rows 10000] [--workers N]
Prints one JSON line; results are recorded by hand in docs/performance.md (## Issuer).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from issuer.model import InstitutionProfile  # noqa: E402
from issuer.service import IssuerService  # noqa: E402
from vccore import KeyPair  # noqa: E402


def definition() -> dict:
    example = json.loads((ROOT / "docs" / "examples" / "microcredential.json").read_text(encoding="utf-8"))
    a = example["credentialSubject"]["achievement"]
    outcomes = [al for al in a["alignment"] if al["targetType"] == "ext:LearningOutcome"]
    return {"title": a["name"], "course_code": a["humanCode"], "description": a["description"],
            "criteria": a["criteria"]["narrative"], "nlqf_level": "6", "ects": 5,
            "learning_outcomes": [{"name": o["targetName"], "description": o["targetDescription"]} for o in outcomes],
            "assessment_type": "Praktijkopdracht en mondeling examen",
            "participation_form": "Blended (online en op locatie)",
            "identity_check": "Toetsing onder toezicht met identiteitscontrole",
            "info_url": "https://www.hogeschool-voorbeeld.nl/mc/dbz"}


def make_csv(rows: int) -> bytes:
    lines = ["naam;resultaat;datum;did"]
    for i in range(rows):
        holder = KeyPair.generate(i.to_bytes(32, "big")).controller
        lines.append(f"Deelnemer {i:05d};{6 + i % 5};2026-06-30;{holder}")
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    data = make_csv(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        institution = InstitutionProfile(name="Hogeschool Voorbeeld", brin="99XX",
                                         url="https://www.hogeschool-voorbeeld.nl")
        service = IssuerService.open(Path(tmp), institution=institution,
                                     public_base_url="https://www.hogeschool-voorbeeld.nl", workers=args.workers)
        definition_id = service.save_definition(definition())
        start = time.perf_counter()
        check = service.validate_batch(definition_id, data)
        validated = time.perf_counter()
        records = service.issue_batch(definition_id, data)
        done = time.perf_counter()
        stored = service.registry.query("SELECT COUNT(*) FROM records")[0][0]
        entries = service.registry.query("SELECT COUNT(*) FROM status_entries")[0][0]
        size = (Path(tmp) / "registry.sqlite3").stat().st_size
        service.registry.close()
    assert check.ok and len(records) == stored == args.rows and entries == 2 * args.rows
    print(json.dumps({
        "rows": args.rows, "workers": args.workers, "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "validate_only_s": round(validated - start, 2),
        "issue_batch_s": round(done - validated, 2),
        "per_credential_ms": round(1000 * (done - validated) / args.rows, 2),
        "registry_mb": round(size / 1e6, 1),
    }))


if __name__ == "__main__":
    main()
