# A run killed with SIGKILL cannot remove its temporary file: it is named
# so that ls shows what it is (NAME.custseg-tmp-PID-...), and the next run
# for the same target removes it.
mkfifo "$TMP/fifo"
custseg-summary --on-error skip --rejects "$TMP/rej.csv" < "$TMP/fifo" &
pid=$!
exec 3> "$TMP/fifo"          # keep the input open: the run waits for more
printf 'customer_id,date,amount\nC1,2024-01-05,10\n' >&3
for i in $(seq 1 50); do ls "$TMP" | grep -q custseg-tmp && break; sleep 0.1; done
kill -9 $pid; wait $pid 2>/dev/null
exec 3>&-
ls "$TMP" | sed "s/-$pid-[A-Za-z0-9]*$/-PID-XXXXXX/"
custseg-summary -q --on-error skip --rejects "$TMP/rej.csv" small.csv > /dev/null
echo "after the next run:"; ls "$TMP"
