# a failed run leaves the old file as it was, and no temporary file
mkdir "$TMP/o" && echo old > "$TMP/o/out.csv"
custseg-summary -o "$TMP/o/out.csv" bad/bad-date.csv
echo "exit $?"; cat "$TMP/o/out.csv"; ls -A "$TMP/o"
custseg-summary --quiet -o "$TMP/o/out.csv" small.csv && cmp "$TMP/o/out.csv" summary-small.expected && echo replaced; ls -A "$TMP/o"
