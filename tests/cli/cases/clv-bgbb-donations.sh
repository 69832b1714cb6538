# BG/BB on the donations of Fader, Hardie & Shang (2010): a pattern table
# (frequency, recency, periods, weights: recency is t_x's former name, still
# read) read as it is; published alpha 1.204, beta 0.750, gamma 0.657, delta
# 2.783, LL -33,225.6.
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
set -e
custseg-clv fit --model bgbb -o "$TMP/bgbb.json" "$DATASETS/donations.csv"
python3 - "$TMP/bgbb.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
print("bgbb:", ", ".join("%s %.3f" % kv for kv in m["params"].items()),
      "LL %.1f" % m["log_likelihood"], "donors %d" % m["customers"], "patterns", m["patterns"])
PY
# the next 5 opportunities (2002-2006) for three of the patterns
custseg-clv predict --model "$TMP/bgbb.json" --horizon 5 "$DATASETS/donations.csv" | head -4
set +e
custseg-clv fit --model bgnbd "$DATASETS/donations.csv" 2>&1; echo "exit $?"
