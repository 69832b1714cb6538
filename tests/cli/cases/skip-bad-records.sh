custseg-summary --on-error skip --rejects "$TMP/rej.csv" bad/mixed.csv 2>&1 | sed "s|$TMP/||"
echo "-- rejects:"; cat "$TMP/rej.csv"
