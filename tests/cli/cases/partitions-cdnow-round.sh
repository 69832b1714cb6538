# As partitions-cdnow-lines, with the records dealt round robin to 8 files
# (one customer-day's records in several files, netted at the merge).
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
check() { python3 "$SRC/tests/cli/partition-check.py" "$@"; }
check "round robin" --input "$DATASETS/CDNOW_master.txt" --files 8 --parts 4 --split round \
    --shuffle 2
