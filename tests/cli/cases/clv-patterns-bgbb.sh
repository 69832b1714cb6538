# custseg-clv patterns --model bgbb: the donations pattern table (Fader,
# Hardie & Shang 2010) cut in two by rows, each half's weights split again,
# combined: the donations table (weights added, t_x for its former name
# recency); and from the gifts written back as a log (--period year), the
# same table. Fitted, the combined table gives the original's model file.
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
set -e
cd "$TMP"
awk -F, 'NR == 1 { print > "a.csv"; print > "b.csv"; next }
         NR % 2 { print > "a.csv"; next }
         { h = int($4 / 3); print $1 "," $2 "," $3 "," h > "a.csv"; print $1 "," $2 "," $3 "," ($4 - h) > "b.csv" }' \
    "$DATASETS/donations.csv"
custseg-clv patterns -q --model bgbb -o ha.csv a.csv
custseg-clv patterns --model bgbb -o p.csv ha.csv b.csv
head -3 p.csv
python3 - "$DATASETS/donations.csv" p.csv <<'PY'
import csv, sys
rows = lambda p: sorted(tuple(float(v) for v in r) for r in list(csv.reader(open(p)))[1:])
print("combined halves = donations.csv:", rows(sys.argv[1]) == rows(sys.argv[2]))
PY
awk -F, 'NR > 1 { for (d = 0; d < $4; d++) { id++; printf "D%05d,1995-03-01,25\n", id
          for (y = $2 - $1 + 1; y <= $2; y++) printf "D%05d,%d-06-15,25\n", id, 1995 + y } }
     BEGIN { print "donor,date,amount" }' "$DATASETS/donations.csv" > gifts.csv
custseg-clv patterns -q --model bgbb --period year --as-of 2001-12-31 -c donor -o t.csv gifts.csv
cmp p.csv t.csv && echo "from the gifts: the same table"
custseg-clv fit -q --model bgbb -o a.json "$DATASETS/donations.csv"
custseg-clv fit -q --model bgbb -o b.json p.csv
python3 "$SRC/tests/cli/same-model.py" bgbb a.json b.json p.csv
