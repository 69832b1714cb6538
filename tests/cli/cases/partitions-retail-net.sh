# custseg-summary --partitions on Online Retail with its returns, --returns
# net (a day brought to <= 0 by a cancellation in another file is not a purchase day): every 5th record of the log (the whole
# year, for the sanitizer build's time) split into 8 files by invoice number
# mod 8 (one customer-day's invoices and cancellations in different files),
# each shuffled; 4 partitions merged over the 8 maps equal one run byte for
# byte.
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
check() { python3 "$SRC/tests/cli/partition-check.py" "$@"; }
L="--skip missing-id --date-format '%Y-%m-%d %H:%M:%S' -c CustomerID -d InvoiceDate --quantity Quantity --price UnitPrice"
check "invoice mod 8, returns net" --input "$DATASETS/online_retail.csv.gz" --every 5 --files 8 \
    --parts 4 --split col:0 --shuffle 4 --load "$L" --opts "--returns net --calibration-end 2011-09-30"
