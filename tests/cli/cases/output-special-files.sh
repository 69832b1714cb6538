# -o on a device or a FIFO writes to it; it is never replaced by a file
set -e
custseg-summary --quiet -o /dev/null small.csv
test -c /dev/null && echo "/dev/null is still a character device"
mkfifo "$TMP/fifo"
cat "$TMP/fifo" > "$TMP/got" &
custseg-summary --quiet -o "$TMP/fifo" small.csv
wait
test -p "$TMP/fifo" && cmp -s "$TMP/got" summary-small.expected && echo "FIFO still a FIFO, data through it"
set +e
custseg-summary --quiet -o "$TMP" small.csv 2>&1 | sed "s|$TMP|DIR|"
