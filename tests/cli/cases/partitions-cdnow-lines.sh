# custseg-summary --partitions on CDNOW: the log split into 8 files by line
# ranges (a customer's days span files), each file's records shuffled out of
# date order, each file mapped to 4 partitions, each partition merged over
# the 8 maps: the concatenation (header once, rows by id) equals one run over
# the whole log byte for byte; with a holdout and weeks.
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
check() { python3 "$SRC/tests/cli/partition-check.py" "$@"; }
check "line ranges, holdout, weeks" --input "$DATASETS/CDNOW_master.txt" --files 8 --parts 4 \
    --split lines --shuffle 1 --opts "--calibration-end 1997-09-30" --unit week
