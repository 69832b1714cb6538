# As partitions-cdnow-lines with one partition (N = 1: the merge of every
# map's one file is the whole summary), 3 files round robin, and --as-of.
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
check() { python3 "$SRC/tests/cli/partition-check.py" "$@"; }
check "one partition, as-of" --input "$DATASETS/CDNOW_master.txt" --files 3 --parts 1 \
    --split round --shuffle 3 --opts "--as-of 1998-01-31"
