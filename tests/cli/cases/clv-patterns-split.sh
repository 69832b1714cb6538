# custseg-clv patterns on partitions (issue #13): CDNOW_master split by
# customer into 4 logs, each summarised to the same as-of day; the pattern
# tables of the 4 summaries, combined in one step, in a reduce tree
# ((0+1)+(2+3)) or straight from the 4 summaries, are one table, the table
# of the whole summary; fitted, it gives the whole summary's model file.
# (Gamma-Gamma: clv-patterns-split-gg.)
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
set -e
check="$SRC/tests/cli/check-patterns.py"
same="$SRC/tests/cli/same-model.py"
tr -d '\r' < "$DATASETS/CDNOW_master.txt" | awk -v dir="$TMP" \
    'NR == 1 { for (k = 0; k < 4; k++) print > (dir "/log-" k ".txt"); next }
     { print > (dir "/log-" ($1 % 4) ".txt") }'
custseg-summary -q --unit week --as-of 1998-06-30 "$DATASETS/CDNOW_master.txt" > "$TMP/s.csv"
for k in 0 1 2 3; do
    custseg-summary -q --unit week --as-of 1998-06-30 "$TMP/log-$k.txt" > "$TMP/s$k.csv"
    custseg-clv patterns -q --model bgnbd -o "$TMP/p$k.csv" "$TMP/s$k.csv"
done
echo "customers per partition: $(for k in 0 1 2 3; do tail -n +2 "$TMP/s$k.csv" | wc -l; done | tr '\n' ' ')"
cd "$TMP"
custseg-clv patterns --model bgnbd -o all.csv p0.csv p1.csv p2.csv p3.csv
custseg-clv patterns -q --model bgnbd -o p01.csv p0.csv p1.csv
custseg-clv patterns -q --model pnbd -o p23.csv p2.csv p3.csv
custseg-clv patterns -q --model bgnbd -o tree.csv p01.csv p23.csv
custseg-clv patterns -q --model bgnbd -o direct.csv s0.csv s1.csv s2.csv s3.csv
custseg-clv patterns -q --model bgnbd -o whole.csv s.csv
for t in tree direct whole; do cmp all.csv $t.csv && echo "$t: the same table"; done
python3 "$check" purchase all.csv s0.csv s1.csv s2.csv s3.csv
custseg-clv fit -q --model bgnbd -o a.json s.csv
custseg-clv fit -q --model bgnbd -o b.json tree.csv
python3 "$same" bgnbd a.json b.json tree.csv
