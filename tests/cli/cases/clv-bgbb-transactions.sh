# BG/BB from a transaction log: the donations patterns of Fader, Hardie &
# Shang (2010) written back as one gift a year per donor (first gift in
# 1995, x later gifts ending in year 1995 + t_x), read with --period year up
# to 2001-12-31, give the published estimates again.
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
set -e
awk -F, 'NR > 1 { for (d = 0; d < $4; d++) { id++; printf "D%05d,1995-03-01,25\n", id
          for (y = $2 - $1 + 1; y <= $2; y++) printf "D%05d,%d-06-15,25\n", id, 1995 + y } }
     BEGIN { print "donor,date,amount" }' "$DATASETS/donations.csv" > "$TMP/gifts.csv"
echo "gifts: $(tail -n +2 "$TMP/gifts.csv" | wc -l)"
custseg-clv fit --model bgbb --period year --as-of 2001-12-31 -c donor -o "$TMP/bgbb.json" "$TMP/gifts.csv"
python3 - "$TMP/bgbb.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
print("bgbb:", ", ".join("%s %.3f" % kv for kv in m["params"].items()),
      "LL %.1f" % m["log_likelihood"], "donors %d" % m["customers"], "patterns", m["patterns"])
PY
# a year cut short by --as-of does not count as an opportunity
custseg-clv fit --model bgbb --period year --as-of 2001-06-30 -c donor -o "$TMP/short.json" "$TMP/gifts.csv"
python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print("with 2001 cut short: patterns", m["patterns"])' "$TMP/short.json"
