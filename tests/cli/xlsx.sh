# Sourced by the xlsx cases: xlsx_check BOOK CSV [options] reads BOOK back
# with openpyxl (an independent reader; Debian's python3-openpyxl) and checks
# it against the CSV output of the same command (tests/cli/xlsx-check.py).
# The case is skipped (exit 77) when no python3 here has openpyxl.
XLSX_PY=
for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import openpyxl' 2>/dev/null; then
        XLSX_PY=$p
        break
    fi
done
if [ -z "$XLSX_PY" ]; then
    echo "python3-openpyxl is absent" >&2
    exit 77
fi
xlsx_check() {
    "$XLSX_PY" "$SRC/tests/cli/xlsx-check.py" "$@"
}
