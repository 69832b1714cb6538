# A fit on the no-drop-out boundary (#11): customers drawn from an NBD model
# (nobody leaves), fitted as BG/NBD, land on the NBD limit. score and
# evaluate say so even under -q (P(alive) is 1 for everyone: p_churn ranks
# nobody), and only -qq / --silent hide it. evaluate's default score is
# p_no_purchase, which does rank these customers; --score p_churn gives AUC
# 0.5 with every customer tied across the decile edges, and says so.
set -e
custseg-simulate --params nbd:0.8,8 -n 400 --end 2025-12-31 --seed 2 > "$TMP/tx.csv"
custseg-summary -q --no-amount --calibration-end 2025-06-30 --unit week "$TMP/tx.csv" > "$TMP/cal.csv"
echo "-- fit -q: the boundary is a warning"
custseg-clv fit -q --model bgnbd -o "$TMP/m.json" "$TMP/cal.csv" 2>&1 | sed 's/: r = .*/: .../'
python3 -c "import json,sys; m=json.load(open(sys.argv[1])); print('model file:', m['model'])" "$TMP/m.json"
echo "-- score -q"
custseg-churn score -q --model "$TMP/m.json" "$TMP/cal.csv" 2>&1 > "$TMP/s.csv" | sed "s|$TMP/||"
python3 - "$TMP/s.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print("%d customers; p_churn all 0: %s; bands: %s; distinct p_no_purchase: %s"
      % (len(rows), all(float(r["p_churn"]) == 0 for r in rows),
         sorted(set(r["band"] for r in rows)), len(set(r["p_no_purchase"] for r in rows)) > 50))
PY
echo "-- evaluate -q (default score: p_no_purchase)"
custseg-churn evaluate -q --model "$TMP/m.json" --deciles "$TMP/d.csv" --format json "$TMP/cal.csv" 2>&1 > "$TMP/e.json" | sed "s|$TMP/||"
python3 - "$TMP/e.json" "$TMP/d.csv" <<'PY'
import csv, json, sys
e = json.load(open(sys.argv[1])); d = list(csv.DictReader(open(sys.argv[2])))
print("score %s; AUC above 0.5: %s; deciles: %d rows, customers %d, columns %s"
      % (e["score"], e["model"]["auc"] > 0.55, len(d), sum(int(r["customers"]) for r in d),
         ",".join(d[0].keys())))
PY
echo "-- evaluate -q --score p_churn"
custseg-churn evaluate -q --score p_churn --model "$TMP/m.json" "$TMP/cal.csv" 2>&1 > "$TMP/e.csv" | sed "s|$TMP/||"
grep -E '^(auc|decile_edge_ties),' "$TMP/e.csv" | cut -d, -f1,2
echo "-- -qq and --silent: nothing on standard error"
custseg-clv fit -qq --model bgnbd -o "$TMP/m2.json" "$TMP/cal.csv" 2>&1
custseg-churn score -qq --model "$TMP/m.json" "$TMP/cal.csv" 2>&1 > /dev/null
custseg-churn evaluate --silent --score p_churn --model "$TMP/m.json" "$TMP/cal.csv" 2>&1 > /dev/null
echo "-- without -q: the counts too"
custseg-churn evaluate --model "$TMP/m.json" "$TMP/cal.csv" 2>&1 > /dev/null | sed "s|$TMP/||" | cut -c1-60
