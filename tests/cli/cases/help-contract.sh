# Every tool: --help to stdout (exit 0), --version (exit 0), a bad option:
# one line on stderr, the --help hint, nothing on stdout, exit 2.
for t in custseg custseg-summary custseg-clv custseg-simulate custseg-rfm custseg-pyramid custseg-churn; do
    "$t" --help > "$TMP/out" 2> "$TMP/err"; c=$?
    printf '%s --help: exit %s, stdout starts "%s", stderr %s bytes, examples: %s\n' "$t" $c \
        "$(head -c 14 "$TMP/out")" "$(wc -c < "$TMP/err")" "$(grep -c '^Examples:' "$TMP/out")"
    "$t" --version > "$TMP/out" 2> "$TMP/err"; c=$?
    printf '%s --version: exit %s, %s\n' "$t" $c "$(cat "$TMP/out")"
    "$t" --no-such-option > "$TMP/out" 2> "$TMP/err"; c=$?
    printf '%s bad option: exit %s, stdout %s bytes, last stderr line: %s\n' "$t" $c \
        "$(wc -c < "$TMP/out")" "$(tail -1 "$TMP/err")"
done
custseg summary --quiet small.csv | cmp - summary-small.expected && echo "custseg summary runs custseg-summary"
custseg nosuch; echo "exit $?"
