# custseg-clv patterns --model gg on partitions (issue #13): the calibration
# summary of the CDNOW sample cut in 4 by rows; the spend tables of the 4
# parts (the repeat buyers' frequency and mean value, counted) combined are
# the distinct values of the 4 summaries, and fitted give the whole
# summary's Gamma-Gamma model file digit for digit.
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
set -e
check="$SRC/tests/cli/check-patterns.py"
same="$SRC/tests/cli/same-model.py"
cd "$TMP"
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
# scoring needs no global step: BG/NBD fitted on the parts' combined pattern
# tables, then predictions with CLV and churn scores per part are the
# whole's rows (header once, rows in any order)
custseg-clv patterns -q --model bgnbd -o pb.csv cal-0.csv cal-1.csv cal-2.csv cal-3.csv
custseg-clv fit -q --model bgnbd -o bg.json pb.csv
for tool in "custseg-clv predict --spend b.json" "custseg-churn score"; do
    $tool -qq --model bg.json cal.csv | tail -n +2 | sort > whole.csv
    for k in 0 1 2 3; do $tool -qq --model bg.json cal-$k.csv | tail -n +2; done | sort > parts.csv
    cmp whole.csv parts.csv && echo "${tool%% --spend*} per part: the whole's $(wc -l < parts.csv) rows"
done
