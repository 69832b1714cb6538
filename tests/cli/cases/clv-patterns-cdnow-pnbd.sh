# custseg-clv patterns (issue #13): Pareto/NBD fitted on the pattern table of
# the CDNOW_master summary in weeks gives the summary's model file, digit for
# digit (as clv-patterns-cdnow for BG/NBD and MBG/NBD).
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
set -e
cd "$TMP"
custseg-summary --quiet --unit week "$DATASETS/CDNOW_master.txt" > s.csv
custseg-clv patterns -q --model pnbd -o p.csv s.csv
custseg-clv fit -q --model pnbd -o a.json s.csv
custseg-clv fit -q --model pnbd -o b.json p.csv
python3 "$SRC/tests/cli/same-model.py" pnbd a.json b.json p.csv
