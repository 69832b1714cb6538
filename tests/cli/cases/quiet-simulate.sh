# custseg-simulate takes -q, -qq and --silent (#11): it has no chatter or
# warnings, and its progress shows only on a terminal (never here, and not
# under -q); the output is the same bytes at every level.
for q in "" -q -qq --silent; do
    custseg-simulate $q --params bgnbd:0.243,4.414,0.793,2.426 -n 50 --seed 4 2>&1 | cksum
done | uniq -c | sed 's/^ *//'
