# --clv-periods up to 10,000 (issue #10: 570 s for 3,000 customers before the
# 2F1 was carried from period to period): 100 customers over 10,000 months
# for each purchase model within seconds (timeout 20 s), every CLV finite and
# at least the 12-month CLV; 10,001 is a usage error naming the bound.
set -e
custseg-simulate --params bgnbd:0.243,4.414,0.793,2.426 --spend-params 6.25,3.74,15.44 \
    -n 100 --seed 3 --format summary > "$TMP/s.csv"
echo '{"format": "custseg-model", "version": 1, "model": "gg", "params": {"p": 6.25, "q": 3.74, "gamma": 15.44}}' > "$TMP/gg.json"
for m in bgnbd:r=0.243,alpha=4.414,a=0.793,b=2.426 mbgnbd:r=0.243,alpha=4.414,a=0.793,b=2.426 \
         pnbd:r=0.553,alpha=10.578,s=0.606,beta=11.669; do
    kind=${m%%:*}
    params=$(echo "${m#*:}" | sed 's/\([a-z]*\)=\([0-9.]*\)/"\1": \2/g')
    echo "{\"format\": \"custseg-model\", \"version\": 1, \"model\": \"$kind\", \"time_unit\": \"week\", \"params\": {$params}}" > "$TMP/m.json"
    timeout 20 custseg-clv predict --model "$TMP/m.json" --spend "$TMP/gg.json" --clv-periods 10000 "$TMP/s.csv" > "$TMP/long.csv"
    custseg-clv predict --model "$TMP/m.json" --spend "$TMP/gg.json" "$TMP/s.csv" > "$TMP/short.csv"
    paste -d, "$TMP/short.csv" "$TMP/long.csv" | awk -F, -v kind="$kind" '
        NR == 1 { for (i = 1; i <= NF; i++) if ($i == "clv") c[++n] = i; next }
        { rows++; s = $(c[1]) + 0; l = $(c[2]) + 0
          if (l == l + 1 || l != l || l < s || l <= 0) bad++ }
        END { printf "%s: %d customers, %d with a CLV over 10000 periods not finite or below 12\n", kind, rows, bad + 0 }'
done
set +e
custseg-clv predict --model "$TMP/m.json" --clv-periods 10001 "$TMP/s.csv" 2>&1; echo "exit $?"
