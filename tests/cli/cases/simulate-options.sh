# Numbers of custseg-simulate are checked whole: "", "abc", "2x" are usage
# errors naming the option.
p="--params bgnbd:0.243,4.414,0.793,2.426 --spend-params 6.25,3.74,15.44"
for opt in --returns --same-day --customers --seed; do
    for v in '' abc 2x; do
        custseg-simulate $p "$opt" "$v" 2>&1 | head -1; echo "exit ${PIPESTATUS[0]}"
    done
done
custseg-simulate $p --returns 1.5 2>&1 | head -1
custseg-simulate $p -n 0 2>&1 | head -1
custseg-simulate $p -n 3 --unit fortnight 2>&1 | head -1
custseg-simulate $p -n 3 --seed 2 --unit day | head -2
