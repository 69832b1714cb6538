# The segment report on CDNOW_master (23,570 customers) from transactions,
# and the same from its summary table.
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
set -e
custseg-rfm --report "$DATASETS/CDNOW_master.txt" 2>&1 | cut -d, -f1-5
# (-qq: the two custseg-rfm run at once, and their warnings would interleave)
custseg-summary --quiet "$DATASETS/CDNOW_master.txt" | custseg-rfm -qq --report | cmp - <(custseg-rfm -qq --report "$DATASETS/CDNOW_master.txt") && echo "summary table and transactions: same report"
custseg-rfm --quiet "$DATASETS/CDNOW_master.txt" | awk -F, 'NR > 1 { n++; s += $9 } END { print n " customers, mean rfm_score " s / n }'
