# Numeric options of custseg-rfm and custseg-pyramid: a value that is not a
# number of the range is a usage error (exit 2) naming the option.
run() { "$@" 2>&1; echo "exit $?"; }
for v in abc 2x "" 0; do
    run custseg-rfm -j "$v" small.csv
    run custseg-pyramid --threads="$v" small.csv
done
run custseg-rfm --bins 11 small.csv
run custseg-rfm --breaks-r 30,,60 small.csv
run custseg-rfm --breaks-f 3,2 small.csv
run custseg-pyramid --margin 0.5x small.csv
run custseg-pyramid --scheme custom --cuts 0.2, small.csv
run custseg-pyramid --window nan --as-of 2024-01-01 small.csv
