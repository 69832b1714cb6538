# Bad input: a clear message and exit 1 (data) or 2 (usage).
run() { echo "-- $1"; shift; "$@" 2>&1 | sed "s|$TMP/||g"; echo "exit ${PIPESTATUS[0]}"; }
printf 'customer_id,value\na,1\nb,x\n' > "$TMP/nan.csv"
printf 'customer_id,value\na,0\nb,0\n' > "$TMP/zero.csv"
run "no such column" custseg-pyramid --value-column clv "$TMP/nan.csv"
run "not a number" custseg-pyramid --value-column value "$TMP/nan.csv"
run "all zero" custseg-pyramid --value-column value "$TMP/zero.csv"
run "bad cuts" custseg-pyramid --scheme custom --cuts 0.5,0.2 "$TMP/zero.csv"
run "custom without cuts" custseg-pyramid --scheme custom "$TMP/zero.csv"
run "bad scheme" custseg-pyramid --scheme abc "$TMP/zero.csv"
run "bad duration" custseg-pyramid --inactive-after 12x "$TMP/zero.csv"
