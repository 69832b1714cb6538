#!/usr/bin/env python3
"""Every test file on disk is listed in its meson.build (tests are listed,
not globbed, so a new one is built and run without a reconfigure, and one
that is never listed is caught here).

    check-listed.py SRC_ROOT
"""
import re
import sys
from pathlib import Path

root = Path(sys.argv[1]) / "tests"
bad = 0
for folder, pattern, strip in [("cli", "cases/*.sh", ".sh"), ("unit", "test-*.c", ""),
                               ("models", "test-*.c", ""), ("scale", "*.sh", ".sh")]:
    listing = (root / folder / "meson.build").read_text()
    listed = set(re.findall(r"'([A-Za-z0-9_.-]+)'", listing))
    for f in sorted((root / folder).glob(pattern)):
        if folder == "scale" and f.name == "lib.sh":  # sourced by the cases
            continue
        name = f.name[:-len(strip)] if strip else f.name
        alt = name[len("test-"):-len(".c")] if name.startswith("test-") and name.endswith(".c") else None
        if name not in listed and (alt is None or alt not in listed):
            print(f"tests/{folder}/{f.relative_to(root / folder)} is not listed in "
                  f"tests/{folder}/meson.build")
            bad += 1
print(f"{bad} test files not listed")
sys.exit(1 if bad else 0)
