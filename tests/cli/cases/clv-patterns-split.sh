# custseg-clv patterns on partitions (issue #13): CDNOW_master split by
# customer into 4 logs, each summarised to the same as-of day; the pattern
# tables of the 4 summaries, combined in one step, in a reduce tree
# ((0+1)+(2+3)) or straight from the 4 summaries, are one table, the table
# of the whole summary; fitted, it gives the whole summary's model file.
# Gamma-Gamma likewise on the CDNOW sample's calibration summary split in 4.
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
# Gamma-Gamma: the repeat buyers' (frequency, monetary_value)
custseg-summary --quiet --no-header --output-header yes --delimiter whitespace \
    --customer 2 --date 3 --amount 5 --calibration-end 1997-09-30 --as-of 1998-06-30 \
    --unit week "$DATASETS/CDNOW_sample.txt" > cal.csv
awk -F, 'NR == 1 { for (k = 0; k < 4; k++) print > ("cal-" k ".csv"); next }
         { print > ("cal-" (NR % 4) ".csv") }' cal.csv
for k in 0 1 2 3; do custseg-clv patterns -q --model gg -o g$k.csv cal-$k.csv; done
custseg-clv patterns --model gg -o g.csv g0.csv g1.csv g2.csv g3.csv
head -3 g.csv
python3 "$check" spend g.csv cal-0.csv cal-1.csv cal-2.csv cal-3.csv
custseg-clv fit -q --model gg -o a.json cal.csv
custseg-clv fit -q --model gg -o b.json g.csv
python3 "$same" gg a.json b.json g.csv
