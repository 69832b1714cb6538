# custseg-rfm --save-breaks with options: the cut points over the 4
# partitions of CDNOW_master (as rfm-save-breaks) equal the whole summary's
# byte for byte with --monetary mean (fractions), --bins 7 and --variables rf.
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
set -e
cd "$TMP"
tr -d '\r' < "$DATASETS/CDNOW_master.txt" | awk \
    'NR == 1 { for (k = 0; k < 4; k++) print > ("log-" k ".txt"); next }
     { print > ("log-" ($1 % 4) ".txt") }'
custseg-summary -q --as-of 1998-06-30 "$DATASETS/CDNOW_master.txt" > s.csv
for k in 0 1 2 3; do custseg-summary -q --as-of 1998-06-30 log-$k.txt > s$k.csv; done
parts="s0.csv s1.csv s2.csv s3.csv"
for opts in "--monetary mean" "--bins 7 --segments rules.json" "--variables rf"; do
    printf '[{"name": "All", "r": [1, 7], "f": [1, 7], "m": [1, 7]}]\n' > rules.json
    custseg-rfm -qq --save-breaks parts.json ${opts% --segments*} $parts
    custseg-rfm -qq --breaks-out whole.json -o /dev/null $opts s.csv
    cmp whole.json parts.json && echo "${opts% --segments*}: the same breaks file"
done
