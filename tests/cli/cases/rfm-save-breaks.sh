# custseg-rfm --save-breaks (issue #13, the global step of RFM): the cut
# points over the summaries of 4 partitions of CDNOW_master (split by
# customer, one as-of day), read one at a time into counts of distinct
# values, are the cut points of the whole summary byte for byte (recency,
# frequency and monetary: total, mean per purchase day; 5 and 7 bins; rf);
# each partition scored with them (--breaks) gives the whole's scores.
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
set -e
cd "$TMP"
tr -d '\r' < "$DATASETS/CDNOW_master.txt" | awk \
    'NR == 1 { for (k = 0; k < 4; k++) print > ("log-" k ".txt"); next }
     { print > ("log-" ($1 % 4) ".txt") }'
custseg-summary -q --as-of 1998-06-30 "$DATASETS/CDNOW_master.txt" > s.csv
for k in 0 1 2 3; do custseg-summary -q --as-of 1998-06-30 log-$k.txt > s$k.csv; done
parts="s0.csv s1.csv s2.csv s3.csv"
custseg-rfm --save-breaks parts.json $parts 2>&1
custseg-rfm -q --breaks-out whole.json -o /dev/null s.csv
cmp whole.json parts.json && echo "total, 5 bins: the same breaks file"
head -c 400 parts.json; echo
for opts in "--monetary mean" "--bins 7 --segments rules.json" "--variables rf"; do
    printf '[{"name": "All", "r": [1, 7], "f": [1, 7], "m": [1, 7]}]\n' > rules.json
    custseg-rfm -qq --save-breaks parts.json ${opts% --segments*} $parts
    custseg-rfm -qq --breaks-out whole.json -o /dev/null $opts s.csv
    cmp whole.json parts.json && echo "${opts% --segments*}: the same breaks file"
done
# scoring each partition with the global breaks: the whole's scores
custseg-rfm -qq --save-breaks parts.json $parts
custseg-rfm -q --breaks parts.json s.csv | tail -n +2 | sort > whole-scores.csv
for k in 0 1 2 3; do custseg-rfm -q --breaks parts.json s$k.csv | tail -n +2; done | sort > part-scores.csv
cmp whole-scores.csv part-scores.csv && echo "scores of the partitions: the whole's ($(wc -l < part-scores.csv) customers)"
# what it refuses
set +e
run() { echo "-- $1"; shift; "$@" 2>&1; echo "exit $?"; }
cp "$SRC/tests/data/small.csv" log.csv
run "a transaction log" custseg-rfm --save-breaks b.json s0.csv log.csv
run "with --report" custseg-rfm --save-breaks b.json --report s0.csv
run "with --output" custseg-rfm --save-breaks b.json -o x.csv s0.csv
cut -d, -f1-9 s1.csv > rf.csv
run "amounts, then none" custseg-rfm --save-breaks b.json s0.csv rf.csv
ls b.json 2> /dev/null || echo "no b.json"
