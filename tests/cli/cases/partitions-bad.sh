# --merge of partition files refuses, with file:line[:column] and exit 1:
# files of another partition or another N, other options, a partial summary
# mixed in, a file cut short (no '# end' line, or cut inside a line), a
# corrupt value, a customer of another partition, lines out of order, a
# line after '# end', counts that do not match the stats line, and a line
# longer than 1 MiB (named a partition file's, not a partial summary's).
cd "$TMP"
S="$SRC/tests/data/small.csv"
custseg-summary -q --partitions 3 -o a "$S"
custseg-summary -q --partitions 3 -o b --as-of 2024-03-31 "$S"
custseg-summary -q --partitions 4 -o c "$S"
custseg-summary -q --partial "$S" > p.part
try() { # name files...
    local name=$1
    shift
    custseg-summary --merge "$@" 2>&1 >/dev/null
    echo "$name: exit $?"
}
# the partition holding C1 (3 customer-days, one with two records)
p=$(grep -l "^C1$(printf '\t')" a/part-*)
try "another index" a/part-00000 a/part-00001
try "one file twice" a/part-00000 a/part-00000
try "another N" a/part-00000 c/part-00000
try "other options" a/part-00000 b/part-00000
try "a partial after partition files" a/part-00000 p.part
try "partition files after a partial" p.part a/part-00000
head -n -1 "$p" > cut-end
try "no end line" cut-end
{ head -n 6 "$p"; sed -n 7p "$p" | cut -c1-18; } > cut-line
try "cut inside a line" cut-line
sed '7s/\t[0-9]*$/\t12x/' "$p" > corrupt
try "a corrupt value" corrupt
sed '7s/^C1\t2024-01-05\t2\t0/C1\t2024-01-05\t2\t3/' "$p" > negatives
try "more negatives than records" negatives
# an id of another partition, last in the file so that the order holds
z=$(python3 -c '
import sys
def part(i, n):
    h = 0xcbf29ce484222325
    for b in i.encode():
        h = ((h ^ b) * 0x100000001b3) % 2**64
    return h % n
p = int(sys.argv[1][-1])
print(next(z for z in ("Z%d" % k for k in range(1, 99)) if part(z, 3) != p))' "$p")
{ sed '$d' "$p"; printf '%s\t2024-04-01\t1\t0\t1000000\n' "$z"; echo "# end"; } > moved
try "a customer of another partition" moved
awk 'NR == 7 { held = $0; next } NR == 8 { print; print held; next } { print }' "$p" > order
try "lines out of order" order
{ cat "$p"; echo "C1$(printf '\t')2024-05-01$(printf '\t')1$(printf '\t')0$(printf '\t')1000000"; } > after-end
try "a line after the end" after-end
sed '$d' "$p" | sed '$d' > dropped; echo "# end" >> dropped
try "counts that do not match" dropped
sed '2s/returns=net/returns=sideways/' "$p" > badopt
try "bad options line" badopt
sed '3s/of=3/of=0/' "$p" > badpart
try "bad partition line" badpart
{ head -n 6 "$p"; head -c 1100000 /dev/zero | tr '\0' x; echo; sed -n '7,$p' "$p"; } > long
try "a line longer than 1 MiB" long
echo "-- the good ones merge"
custseg-summary -q --merge "$p" | cut -d, -f1-6
