# The partition hash as docs/ARCHITECTURE.md gives it in Python (FNV-1a 64
# of the id's UTF-8 bytes, mod N) puts every real id where custseg-summary
# --partitions put it: CDNOW's and Online Retail's customers (after the
# loader's id normalisation: what the part files hold), N = 7 and 64; and
# the FNV-1a published test vectors.
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
cd "$TMP"
custseg-summary -q --partitions 7 -o cdnow "$DATASETS/CDNOW_master.txt"
custseg-summary -q --partitions 64 -o retail --skip missing-id \
    --date-format '%Y-%m-%d %H:%M:%S' -c CustomerID -d InvoiceDate \
    --quantity Quantity --price UnitPrice "$DATASETS/online_retail.csv.gz"
python3 - <<'PY'
import glob

def partition(customer_id: str, n: int) -> int:
    h = 0xCBF29CE484222325
    for byte in customer_id.encode("utf-8"):
        h = ((h ^ byte) * 0x100000001B3) % 2**64
    return h % n

def fnv(s):
    return partition(s, 2**64)

assert fnv("") == 0xCBF29CE484222325 and fnv("a") == 0xAF63DC4C8601EC8C
assert fnv("foobar") == 0x85944171F73967E8
for folder, n in (("cdnow", 7), ("retail", 64)):
    ids, wrong, sizes = set(), 0, []
    for path in sorted(glob.glob(folder + "/part-*")):
        index = int(path.rsplit("-", 1)[1])
        mine = set()
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or line.startswith("id\t"):
                    continue
                mine.add(line.split("\t", 1)[0])
        wrong += sum(partition(i, n) != index for i in mine)
        ids |= mine
        sizes.append(len(mine))
    print(f"{folder}: {len(ids)} ids in {n} partitions ({min(sizes)} to {max(sizes)} a "
          f"partition), {wrong} where Python puts them elsewhere")
PY
