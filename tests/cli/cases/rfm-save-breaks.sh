# custseg-rfm --save-breaks (issue #13, the global step of RFM): the cut
# points over the summaries of 4 partitions of CDNOW_master (split by
# customer, one as-of day), read one at a time into counts of distinct
# values, are the cut points of the whole summary byte for byte (recency,
# frequency and monetary total; mean, 7 bins and rf: rfm-save-breaks-options);
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
head -8 parts.json
# scoring each partition with the global breaks: the whole's scores
custseg-rfm -q --breaks parts.json s.csv | tail -n +2 | sort > whole-scores.csv
for k in 0 1 2 3; do custseg-rfm -q --breaks parts.json s$k.csv | tail -n +2; done | sort > part-scores.csv
cmp whole-scores.csv part-scores.csv && echo "scores of the partitions: the whole's ($(wc -l < part-scores.csv) customers)"
