# Gini and Lorenz against hand values: 1 2 3 4 -> G = 2(1+4+9+16)/(4 x 10)
# - 5/4 = 0.25, L(25%) = 0.1, L(50%) = 0.3, L(75%) = 0.6; all equal -> 0; one
# customer with everything out of n = 5 -> 1 - 1/5 = 0.8.
set -e
conc() { custseg-pyramid --quiet --value-column value --concentration "$TMP/c.json" "$1" > /dev/null
    python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); l=c["lorenz"]; print("gini %.6f  L25 %.4f L50 %.4f L75 %.4f L100 %.4f  top20 %.4f" % (c["gini"], l[24], l[49], l[74], l[99], c["top_20pct_share"]))' "$TMP/c.json"; }
printf 'customer_id,value\na,1\nb,2\nc,3\nd,4\n' > "$TMP/a.csv"; conc "$TMP/a.csv"
printf 'customer_id,value\na,7\nb,7\nc,7\n' > "$TMP/e.csv"; conc "$TMP/e.csv"
printf 'customer_id,value\na,0\nb,0\nc,0\nd,0\ne,9\n' > "$TMP/o.csv"; conc "$TMP/o.csv"
[ -d "$DATASETS" ] || exit 0
custseg-pyramid --report --concentration "$TMP/m.json" "$DATASETS/CDNOW_master.txt" | cut -d, -f1-5
python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); print("CDNOW master: %d customers, gini %.4f, top 1%%/5%%/20%% hold %.3f/%.3f/%.3f of the value" % (c["customers"], c["gini"], c["top_1pct_share"], c["top_5pct_share"], c["top_20pct_share"]))' "$TMP/m.json"
