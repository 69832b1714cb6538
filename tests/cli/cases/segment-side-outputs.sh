# --breaks-out (custseg-rfm) and --concentration (custseg-pyramid): '-' is
# standard output, a file is written atomically; a path that cannot be
# written (a directory) is an error (exit 1) and leaves no file behind, and
# a run that fails leaves no side output either.
run() { echo "-- $1"; shift; "$@" 2>&1 | sed "s|$TMP/||g"; echo "exit ${PIPESTATUS[0]}"; }
left() { echo "files in $1: [$(ls -A "$TMP/$1" | tr '\n' ' ')]"; }
custseg-summary --quiet small.csv > "$TMP/s.csv"
mkdir "$TMP/d" "$TMP/o"
run "rfm --breaks-out -" custseg-rfm --quiet --breaks-out - "$TMP/s.csv"
run "rfm --breaks-out a directory" custseg-rfm --quiet --breaks-out "$TMP/d" "$TMP/s.csv"
left d
run "rfm --breaks-out, -o a directory" custseg-rfm --quiet --breaks-out "$TMP/o/b.json" \
    -o "$TMP/d" "$TMP/s.csv"
run "rfm --breaks-out, bad data" custseg-rfm --quiet --breaks-out "$TMP/o/b.json" bad/bad-date.csv
left o
custseg-rfm --quiet --breaks-out "$TMP/o/b.json" -o "$TMP/o/r.csv" "$TMP/s.csv"
echo "rfm: exit $?"; left o
run "pyramid --concentration -" custseg-pyramid --quiet --scheme custom --cuts 0.5 \
    --concentration - "$TMP/s.csv"
run "pyramid --concentration a directory" custseg-pyramid --quiet --concentration "$TMP/d" \
    "$TMP/s.csv"
left d
run "pyramid --concentration, -o a directory" custseg-pyramid --quiet \
    --concentration "$TMP/o/c.json" -o "$TMP/d" "$TMP/s.csv"
left o
custseg-pyramid --quiet --concentration "$TMP/o/c.json" -o "$TMP/o/p.csv" "$TMP/s.csv"
echo "pyramid: exit $?"; left o
