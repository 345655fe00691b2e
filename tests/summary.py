"""The closing lines of `make test`: one per database run, then the total, read from each run's
JUnit XML (pytest --junitxml). Usage: summary.py NAME=FILE [NAME=FILE ...]

Exits 1 when a report is missing (that run crashed before writing it) or counts a failure.
"""

import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def counts(path: Path) -> dict[str, int]:
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    total = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in suites:
        for key in total:
            total[key] += int(suite.get(key, 0))
    return {
        "passed": total["tests"] - total["failures"] - total["errors"] - total["skipped"],
        "failed": total["failures"] + total["errors"],
        "skipped": total["skipped"],
    }


def line(name: str, c: dict[str, int]) -> str:
    return f"{name}: {c['passed']} passed, {c['failed']} failed, {c['skipped']} skipped"


def main(args: list[str]) -> int:
    status = 0
    total = {"passed": 0, "failed": 0, "skipped": 0}
    print("=== Closing lines ===")
    for arg in args:
        name, _, file = arg.partition("=")
        path = Path(file)
        if not path.exists():
            print(f"{name}: no report ({path}): the run stopped before pytest wrote it")
            status = 1
            continue
        c = counts(path)
        print(line(name, c))
        for key in total:
            total[key] += c[key]
        if c["failed"]:
            status = 1
    print(line("total", total))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
