# Tiers derived by hand. 100 distinct values: curry gives 1, 4, 15, 80
# (positions ceil(.01 x 100) = 1, ceil(.05 x 100) = 5, ceil(.2 x 100) = 20).
# Ties: 10 customers, values 9 9 9 8 ... with --cuts 0.2: the threshold is the
# 2nd highest (9), so all three 9s are in Tier 1. Value shares 0.5,0.8 on
# 50 30 30 10 5 5 (total 130): 65 is reached at the 2nd customer (80), so
# the threshold is 30 and both 30s are in Tier 1; 104 is reached at the 3rd
# (110), again a 30: Tier 2 is empty (the tie pulled both up), the rest Tier 3.
set -e
hdr="customer_id,value,days_since_last"
{ echo "$hdr"; for i in $(seq 1 100); do echo "c$i,$i,1"; done; } > "$TMP/u.csv"
custseg-pyramid --quiet --value-column value --report "$TMP/u.csv" | cut -d, -f1,2,4
{ echo "$hdr"; for v in 9 9 9 8 7 6 5 4 3 2; do echo "t$v-$RANDOM,$v,1"; done; } > "$TMP/t.csv"
custseg-pyramid --quiet --value-column value --scheme custom --cuts 0.2 "$TMP/t.csv" | cut -d, -f2,3,5 | sort -t, -k1,1nr | head -5
{ echo "$hdr"; i=0; for v in 50 30 30 10 5 5; do i=$((i + 1)); echo "v$i,$v,1"; done; } > "$TMP/v.csv"
custseg-pyramid --quiet --value-column value --scheme custom --value-shares 0.5,0.8 "$TMP/v.csv"
# zeithaml: value <= 0 is Lead; inactive customers are only a curry tier
{ echo "$hdr"; echo "p,100,1"; echo "q,-5,1"; echo "r,0,1"; echo "s,20,400"; } > "$TMP/z.csv"
custseg-pyramid --quiet --value-column value --scheme zeithaml "$TMP/z.csv"
custseg-pyramid --quiet --value-column value "$TMP/z.csv" | cut -d, -f1,5
# profit = value - cost: p 100-120 < 0 -> Lead; --margin scales values
{ echo "customer_id,revenue,cost"; echo "p,100,120"; echo "q,50,10"; echo "r,80,20"; } > "$TMP/pc.csv"
custseg-pyramid --quiet --value-column revenue --cost-column cost --scheme zeithaml "$TMP/pc.csv"
custseg-pyramid --quiet --value-column revenue --margin 0.25 --scheme custom --cuts 0.5 "$TMP/pc.csv" | cut -d, -f1,2,5
