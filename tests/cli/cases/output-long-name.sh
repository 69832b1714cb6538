# -o with a 250-byte file name (legal: the limit is 255): the temporary
# file beside it must fit too; nothing else is left in the folder.
name=$(printf 'c%.0s' $(seq 1 246)).csv
custseg-summary -q -o "$TMP/$name" small.csv
echo "exit $?, $(wc -l < "$TMP/$name") lines, ${#name}-byte name, files in the folder: $(ls -A "$TMP" | wc -l)"
# a multi-byte name near the limit is cut at a character, not inside one
name=$(printf '\xc3\xa9%.0s' $(seq 1 125)).csv
custseg-summary -q -o "$TMP/$name" small.csv
echo "exit $?, ${#name}-byte name (two bytes a character), files in the folder: $(ls -A "$TMP" | wc -l)"
