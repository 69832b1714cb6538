# Extreme parameters (issue #10): a purchase rate of 1e10 a week once wrote
# gigabytes, and --format summary never ended. Now parameters under which a
# customer expects more than 100,000 purchases are refused before anything
# is written, for every simulated model; a drop-out rate near 0, a purchase
# rate near 0, a coin that always or never drops, huge amounts: each run
# ends within seconds (timeout 10 s; they take milliseconds) with bounded
# output or a message.
run() { echo "-- $*" | sed "s|$TMP/||g"; timeout 10 custseg-simulate -n 1000 "$@" > "$TMP/out" 2> "$TMP/err"
        echo "exit $?, $(wc -l < "$TMP/out") lines, $(wc -c < "$TMP/out") bytes"; cat "$TMP/err"; }
run --params pnbd:1e10,1,1e-10,1
run --format summary --params pnbd:1e10,1,1e-10,1
run --format summary --params bgnbd:1e10,1,1e-10,1
run --format summary --params mbgnbd:1e10,1,1e-10,1
run --format summary --params nbd:1e10,1
# extreme but bounded: kept to the horizon, or few purchases
run --format summary --params pnbd:1,1,1e-10,1
run --format summary --params bgnbd:1e10,1,1e10,1
run --format summary --params mbgnbd:1e10,1,1e10,1
run --format summary --params pnbd:1e10,1e10,1,1
run --format summary --params nbd:1e-300,1
awk -F, 'NR > 1 && $4 + 0 > 160 { bad++ } END { print "T beyond the horizon:", bad + 0 }' "$TMP/out"
# one customer drawing a rate far beyond the mean: stopped at 1,000,000
# purchases; with -o nothing is written
run -o "$TMP/sim.csv" --format summary --params nbd:1e-4,2e-7 -n 30000
ls "$TMP"
# BG/BB is not simulated
run --params bgbb:1,1,1,1
# amounts beyond what a log holds
run --params bgnbd:0.243,4.414,0.793,2.426 --spend-params 1e10,2,1e10 -n 3
