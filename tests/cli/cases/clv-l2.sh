# --l2 pulls the log-parameters toward 0 and is recorded in the model file;
# the log-likelihood stays the unpenalised one.
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
set -e
custseg-summary --quiet --no-header --output-header yes --delimiter whitespace \
    --customer 2 --date 3 --amount 5 --calibration-end 1997-09-30 --unit week \
    "$DATASETS/CDNOW_sample.txt" > "$TMP/cal.csv"
custseg-clv fit --model bgnbd -o "$TMP/a.json" "$TMP/cal.csv"
custseg-clv fit --model bgnbd --l2 5 -o "$TMP/b.json" "$TMP/cal.csv"
python3 - "$TMP/a.json" "$TMP/b.json" <<'PY'
import json, math, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
na = sum(math.log(v) ** 2 for v in a["params"].values())
nb = sum(math.log(v) ** 2 for v in b["params"].values())
print("l2 recorded:", b["l2"], "| sum log(param)^2 smaller with the penalty:", nb < na,
      "| unpenalised LL lower with the penalty:", b["log_likelihood"] < a["log_likelihood"])
PY
