# --before: a saved pyramid is joined on the whole id (these share their
# first 8 bytes), customers missing now are Lost, and a bad saved file is
# reported with its line and column.
run() { echo "-- $1"; shift; "$@" 2>&1 | sed "s|$TMP/||g"; echo "exit ${PIPESTATUS[0]}"; }
printf 'customer_id,value,days_since_last\ncustomer-0001,10,1\ncustomer-0002,30,1\ncustomer-0004,20,1\n' > "$TMP/now.csv"
printf 'customer_id,tier\ncustomer-0001,Tier 1\ncustomer-0002,Tier 2\ncustomer-0009,Tier 2\n' > "$TMP/then.csv"
run "migration" custseg-pyramid --scheme custom --cuts 0.5 --value-column value --before "$TMP/then.csv" "$TMP/now.csv"
printf 'customer_id,tier\ncustomer-0001,Tier 1\ncustomer-0002,Gold\n' > "$TMP/gold.csv"
run "not a tier" custseg-pyramid --scheme custom --cuts 0.5 --value-column value --before "$TMP/gold.csv" "$TMP/now.csv"
printf 'customer_id,rank\ncustomer-0001,1\n' > "$TMP/notier.csv"
run "no tier column" custseg-pyramid --scheme custom --cuts 0.5 --value-column value --before "$TMP/notier.csv" "$TMP/now.csv"
printf 'customer_id,tier\ncustomer-0001,Tier 1\ncustomer-0002\n' > "$TMP/short.csv"
run "short row" custseg-pyramid --scheme custom --cuts 0.5 --value-column value --before "$TMP/short.csv" "$TMP/now.csv"
