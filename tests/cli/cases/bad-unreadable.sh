# A file the user may not read: a clear message and exit 1. Root reads
# every file whatever its mode, so as root the tool runs as 'nobody'
# (setpriv), which needs the build folder to be readable by others.
as=()
if [ "$(id -u)" = 0 ]; then
    command -v setpriv >/dev/null || { echo "root, and no setpriv to drop privileges" >&2; exit 77; }
    as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    "${as[@]}" custseg-summary --version >/dev/null 2>&1 ||
        { echo "user nobody cannot run the built tools here" >&2; exit 77; }
    chmod o+x "$(dirname "$TMP")" && chmod o+rx "$TMP"
fi
cp small.csv "$TMP/locked.csv" && chmod 000 "$TMP/locked.csv"
"${as[@]}" custseg-summary "$TMP/locked.csv" 2>&1 | sed "s|$TMP/||"
echo "exit ${PIPESTATUS[0]}"
# the same file given among readable ones: nothing is written
"${as[@]}" custseg-summary small.csv "$TMP/locked.csv" 2>&1 | sed "s|$TMP/||"
echo "exit ${PIPESTATUS[0]}"
