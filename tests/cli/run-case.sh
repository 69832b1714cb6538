#!/usr/bin/env bash
# Runs one CLI case: tests/cli/cases/NAME.sh, with the built tools first in
# PATH and tests/data as the working directory. Compares standard output,
# standard error and the exit status with NAME.stdout, NAME.stderr and
# NAME.exit; a missing file means empty output, or exit status 0. A case
# that exits 77 is skipped (e.g. ../shared/datasets is absent).
# CLI_REGEN=1 writes the expectation files from the current run instead (read
# them before committing: they are the tools' contract).
set -u
case_sh=$1
build=$2
src=$3
name=${case_sh%.sh}
export PATH="$build/cmd:$build/bench:$PATH"
export DATASETS="${CUSTSEG_DATASETS:-$src/../shared/datasets}"
export SRC="$src"
export LC_ALL=C
top=$(mktemp -d)
trap 'rm -rf "$top"' EXIT
mkdir "$top/run" "$top/work"
tmp="$top/run"
export TMP="$top/work" # the case's own scratch space
cd "$src/tests/data"
bash "$case_sh" >"$tmp/out" 2>"$tmp/err" </dev/null
code=$?
if [ $code -eq 77 ]; then
    echo "skipped: $(cat "$tmp/err")"
    exit 77
fi
if [ "${CLI_REGEN:-}" = 1 ]; then
    if [ -s "$tmp/out" ]; then cp "$tmp/out" "$name.stdout"; else rm -f "$name.stdout"; fi
    if [ -s "$tmp/err" ]; then cp "$tmp/err" "$name.stderr"; else rm -f "$name.stderr"; fi
    if [ $code -ne 0 ]; then echo $code >"$name.exit"; else rm -f "$name.exit"; fi
    exit 0
fi
fail=0
want_code=0
[ -f "$name.exit" ] && want_code=$(cat "$name.exit")
if [ "$code" != "$want_code" ]; then
    echo "exit status: got $code, expected $want_code"
    fail=1
fi
for s in stdout stderr; do
    f=out; [ $s = stderr ] && f=err
    want="$name.$s"
    [ -f "$want" ] || want=/dev/null
    if ! cmp -s "$want" "$tmp/$f"; then
        echo "--- $s differs (expected vs got):"
        diff "$want" "$tmp/$f" | head -40
        fail=1
    fi
done
exit $fail
