# score and evaluate on CDNOW (39-week holdout): evaluate's model AUC is the
# AUC of score's p_churn (recomputed here from score's output), and the
# baseline (days since the last purchase) sits beside it.
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
set -e
custseg-summary --quiet --no-header --output-header yes --delimiter whitespace \
    --customer 2 --date 3 --amount 5 --calibration-end 1997-09-30 --as-of 1998-06-30 \
    --unit week "$DATASETS/CDNOW_sample.txt" > "$TMP/cal.csv"
for m in bgnbd pnbd; do
    custseg-clv fit --model $m -o "$TMP/$m.json" "$TMP/cal.csv"
    custseg-churn score --quiet --model "$TMP/$m.json" "$TMP/cal.csv" > "$TMP/score.csv"
    custseg-churn evaluate --quiet --score p_churn --model "$TMP/$m.json" --format json --roc "$TMP/roc.csv" "$TMP/cal.csv" > "$TMP/eval.json"
    python3 - "$TMP/score.csv" "$TMP/cal.csv" "$TMP/eval.json" "$m" <<'PY'
import csv, json, sys
score = {r["customer_id"]: float(r["p_churn"]) for r in csv.DictReader(open(sys.argv[1]))}
y = {r["customer_id"]: int(r["frequency_holdout"]) == 0 for r in csv.DictReader(open(sys.argv[2]))}
pos = [score[k] for k in score if y[k]]; neg = [score[k] for k in score if not y[k]]
auc = sum((p > q) + 0.5 * (p == q) for p in pos for q in neg) / (len(pos) * len(neg))
e = json.load(open(sys.argv[3]))
print("%s: AUC from score's output %.6f, evaluate's %.6f, baseline %.3f, churn rate %.3f"
      % (sys.argv[4], auc, e["model"]["auc"], e["baseline_days_since_last"]["auc"], e["churn_rate"]))
PY
done
echo "ROC points: $(($(wc -l < "$TMP/roc.csv") - 1))"
set +e
custseg-clv fit --model gg -o "$TMP/gg.json" "$TMP/cal.csv"
custseg-churn score --model "$TMP/gg.json" "$TMP/cal.csv" 2>&1 | sed "s|$TMP/||"; echo "exit ${PIPESTATUS[0]}"
set -e
# --score p_no_purchase (the default since 0.2: the same JSON without
# --score): evaluate scores P(no purchase in the 39-week holdout), which is
# score's p_no_purchase with --horizon 39
custseg-churn score --quiet --model "$TMP/pnbd.json" --horizon 39 "$TMP/cal.csv" > "$TMP/score.csv"
custseg-churn evaluate --quiet --score p_no_purchase --model "$TMP/pnbd.json" --format json "$TMP/cal.csv" > "$TMP/eval.json"
custseg-churn evaluate --quiet --model "$TMP/pnbd.json" --format json "$TMP/cal.csv" | cmp - "$TMP/eval.json" && echo "default score: p_no_purchase"
python3 - "$TMP/score.csv" "$TMP/cal.csv" "$TMP/eval.json" <<'PY'
import csv, json, sys
score = {r["customer_id"]: float(r["p_no_purchase"]) for r in csv.DictReader(open(sys.argv[1]))}
y = {r["customer_id"]: int(r["frequency_holdout"]) == 0 for r in csv.DictReader(open(sys.argv[2]))}
pos = [score[k] for k in score if y[k]]; neg = [score[k] for k in score if not y[k]]
auc = sum((p > q) + 0.5 * (p == q) for p in pos for q in neg) / (len(pos) * len(neg))
brier = sum((score[k] - y[k]) ** 2 for k in score) / len(score)
e = json.load(open(sys.argv[3]))
print("pnbd p_no_purchase: AUC from score's output %.6f, evaluate's %.6f; Brier %.6f, %.6f (score %s)"
      % (auc, e["model"]["auc"], brier, e["model"]["brier"], e["score"]))
PY
