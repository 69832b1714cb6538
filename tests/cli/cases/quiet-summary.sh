# -q hides chatter, not warnings (#11): custseg-summary at the three levels.
# Chatter: records after --as-of (and the customers with nothing before),
# returns netted, a bad record skipped under the 1 % rate, records excluded
# by a filter. Warnings: a customer left out with only returns, bad dates
# over 1 % of the lines that a raised limit let pass, the day and month
# swapped for a part of the log.
{
    echo customer_id,date,amount,sku
    for m in 01 02 03 04 05; do
        for d in $(seq 13 28); do
            for c in A B C; do echo "$c,$d/$m/2024,10,x"; done
        done
    done
    echo "A,05/03/2024,-4,x"          # a return on a day without purchases
    echo "R,20/03/2024,-5,x"          # a customer with only returns
    echo "L,20/06/2024,5,x"           # after --as-of
    echo "B,21/03/2024,5,POST"        # excluded by the filter
    echo ",22/03/2024,5,x"            # missing id: skipped, under any rate
    # May 1-12 exported month first: read as the 5th of January .. December
    for d in 01 02 03 04 05 06 07 08 09 10 11 12; do
        for c in D E F; do echo "$c,05/$d/2024,7,x"; done
    done
} > "$TMP/log.csv"
run() {
    custseg-summary "$@" --date-format %d/%m/%Y --as-of 2024-05-31 --on-error skip \
        --exclude sku=POST -o /dev/null "$TMP/log.csv" 2>&1
    echo "exit $?"
}
echo "-- default: chatter and warnings"
run
echo "-- -q: warnings only"
run -q
echo "-- -qq: nothing"
run -qq
echo "-- --silent: nothing"
run --silent
echo "-- a bad date over 1 % of the lines, let pass by --max-reject-rate: a warning"
{ cat "$TMP/log.csv"; for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo "A,31/02/2024,1,x"; done; } > "$TMP/bad.csv"
custseg-summary -q --date-format %d/%m/%Y --on-error skip --max-reject-rate 0.5 -o /dev/null \
    "$TMP/bad.csv" 2>&1 | sed "s|$TMP/||"
echo "exit ${PIPESTATUS[0]}"
