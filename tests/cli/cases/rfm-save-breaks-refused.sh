# custseg-rfm --save-breaks: what it refuses, with a clear message: a
# transaction log (exit 2), options that score (exit 2), tables with and
# without amounts (exit 1); no breaks file is left.
run() { echo "-- $1"; shift; "$@" 2>&1; echo "exit $?"; }
cd "$TMP"
cp "$SRC/tests/data/small.csv" log.csv
custseg-summary -q log.csv > s0.csv
cut -d, -f1-9 s0.csv > rf.csv
run "a transaction log" custseg-rfm --save-breaks b.json s0.csv log.csv
run "with --report" custseg-rfm --save-breaks b.json --report s0.csv
run "with --output" custseg-rfm --save-breaks b.json -o x.csv s0.csv
run "amounts, then none" custseg-rfm --save-breaks b.json s0.csv rf.csv
ls b.json 2> /dev/null || echo "no b.json"
