# custseg-clv patterns on UCI Online Retail (real, messy) in weeks: Gamma-Gamma
# fitted on the pattern table gives the summary's model file, digit for
# digit.
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
set -e
cd "$TMP"
custseg-summary -q --on-error skip --unit week "$DATASETS/online_retail.csv.gz" > s.csv 2> /dev/null
for m in gg; do
    custseg-clv patterns -q --model $m -o p.csv s.csv
    python3 "$SRC/tests/cli/check-patterns.py" \
        "$([ $m = gg ] && echo spend || echo purchase)" p.csv s.csv
    custseg-clv fit -qq --model $m -o a.json s.csv
    custseg-clv fit -qq --model $m -o b.json p.csv
    python3 "$SRC/tests/cli/same-model.py" $m a.json b.json p.csv
    python3 -c 'import json,sys; print("  fitted as", json.load(open(sys.argv[1]))["model"])' b.json
done
