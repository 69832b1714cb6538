# Records out of date order are summarised exactly from a file (read twice);
# from a pipe that cannot be read twice, the run stops and says what to do.
set -e
{ head -1 small.csv; tail -n +2 small.csv | sort -r; } > "$TMP/rev.csv"
custseg-summary --quiet "$TMP/rev.csv" | cmp - summary-small.expected && echo "reversed file: same"
set +e
cat "$TMP/rev.csv" | custseg-summary --quiet; echo "exit $?"
