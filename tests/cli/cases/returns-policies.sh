# C2's return on 2024-03-15 cancels that day (net), is left out (drop), or
# the day still counts (keep).
for r in net drop keep; do echo "-- $r"; custseg-summary --returns $r small.csv 2>&1 | grep -E '^C2|negative'; done
