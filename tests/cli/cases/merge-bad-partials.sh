# --merge refuses partial summaries whose values do not fit together, with
# file:line:column and exit 1, before anything is added: dates out of order,
# a last purchase after the end of the period (recency > T), counts that
# are not whole or would pass 2^32 - 1 when merged, money out of 64 bits,
# purchase days without dates, and lines longer than any partial's.
cd "$TMP"
T=$(printf '\t')
part() { # name options-line customer-line...
    local name=$1 opts=$2
    shift 2
    {
        echo "# custseg partial summary v1"
        echo "# options $opts returns=net has_amount=1"
        echo "# stats records=3 after_as_of=0 negative=0 dropped_returns=0 cancelled_days=0 unsorted=0 min_day=2024-01-01 max_day=2024-03-01"
        { # the column line and the customers: tab-separated
            echo "id dfirst dlast records value pdays pfirst pfirst_val plast psum hold_records hold_days hold_value"
            for l in "$@"; do echo "$l"; done
        } | tr ' ' "$T"
    } > "$name.part"
}
O="as_of=2024-03-31 calibration_end=none"
try() { # name options-line customer-line
    part "$1" "$2" "$3"
    custseg-summary --merge "$1.part" 2>&1 >/dev/null
    echo "$1: exit $?"
}
part good "$O" "A 2024-01-01 2024-03-01 3 30000000 2 2024-01-01 10000000 2024-03-01 30000000 0 0 0"
custseg-summary --merge good.part; echo "good: exit $?"
try first-after-last "$O" "A 2024-01-01 2024-03-01 3 30000000 2 2024-03-01 10000000 2024-01-01 30000000 0 0 0"
try days-reversed "$O" "A 2024-03-01 2024-01-01 3 30000000 2 2024-01-01 10000000 2024-03-01 30000000 0 0 0"
try recency-over-t "as_of=2024-03-31 calibration_end=2024-02-15" \
    "A 2024-01-01 2024-03-01 3 30000000 2 2024-01-01 10000000 2024-03-01 30000000 0 0 0"
try after-as-of "as_of=2024-02-01 calibration_end=none" \
    "A 2024-01-01 2024-03-01 3 30000000 2 2024-01-01 10000000 2024-03-01 30000000 0 0 0"
try frequency-not-whole "$O" "A 2024-01-01 2024-03-01 3 30000000 1.5 2024-01-01 10000000 2024-03-01 30000000 0 0 0"
try pdays-zero "$O" "A 2024-01-01 2024-03-01 3 30000000 0 2024-01-01 10000000 2024-03-01 30000000 0 0 0"
try pdays-negative "$O" "A 2024-01-01 2024-03-01 3 30000000 -1 2024-01-01 10000000 2024-03-01 30000000 0 0 0"
try pdays-too-many "$O" "A 2024-01-01 2024-03-01 3 30000000 4 2024-01-01 10000000 2024-03-01 30000000 0 0 0"
try no-records "$O" "A 2024-01-01 2024-03-01 0 30000000 0 none 0 none 0 0 0 0"
try value-clamped "$O" "A 2024-01-01 2024-03-01 3 99999999999999999999 2 2024-01-01 10000000 2024-03-01 30000000 0 0 0"
try value-nan "$O" "A 2024-01-01 2024-03-01 3 nan 2 2024-01-01 10000000 2024-03-01 30000000 0 0 0"
try records-over-32-bits "$O" "A 2024-01-01 2024-03-01 4294967296 30000000 2 2024-01-01 10000000 2024-03-01 30000000 0 0 0"
try holdout-without-calibration "$O" "A 2024-01-01 2024-03-01 3 30000000 2 2024-01-01 10000000 2024-03-01 30000000 1 1 5"
# merged counts that would wrap past 2^32 - 1, and merged money past 64 bits
part wrap1 "$O" "A 2024-01-01 2024-01-01 4294967295 30000000 1 2024-01-01 30000000 2024-01-01 30000000 0 0 0"
part wrap2 "$O" "A 2024-02-01 2024-02-01 1 10000000 1 2024-02-01 10000000 2024-02-01 10000000 0 0 0"
custseg-summary --merge wrap1.part wrap2.part 2>&1 >/dev/null; echo "wrap: exit $?"
part big1 "$O" "A 2024-01-01 2024-01-01 1 9223372036854775807 1 2024-01-01 9223372036854775807 2024-01-01 9223372036854775807 0 0 0"
part big2 "$O" "A 2024-02-01 2024-02-01 1 10 1 2024-02-01 10 2024-02-01 10 0 0 0"
custseg-summary --merge big1.part big2.part 2>&1 >/dev/null; echo "money: exit $?"
# a line longer than any partial summary's (1 MiB): refused, memory stays small
{ echo "# custseg partial summary v1"; head -c 1100000 /dev/zero | tr '\0' x; echo; } > long.part
custseg-summary --merge long.part 2>&1 >/dev/null; echo "long: exit $?"
ls | grep -c custseg-tmp
