# custseg-stages --referrals FILE --referral-flag COLUMN: a customer table
# whose column is the number of successful referrals (or yes/no, ...). On the
# hand-built log (see stages-types), as-of 2025-01-01:
#   A 2 (loyal days, active): advocate; B yes (active): advocate;
#   C true (lapsed): lapsed; F 0: loyal; Z yes, not in the log: prospect
#   (a lead); D twice (duplicate, counted: the larger count, 1): advocate
# --advocate-min-referrals 2 leaves only A an advocate.
printf 'customer_id,referrals\nA,2\nB,yes\nC,true\nF,0\nZ,YES\nD,0\nD,1\n' > "$TMP/flags.csv"
custseg-stages --as-of 2025-01-01 --referrals "$TMP/flags.csv" --referral-flag referrals \
    stages/log.csv 2>&1 | sed "s|$TMP/||"
custseg-stages -q --as-of 2025-01-01 --referrals "$TMP/flags.csv" --referral-flag referrals \
    --advocate-min-referrals 2 --report stages/log.csv | cut -d, -f1,2
# ids normalised as the log's: with --id-normalize numeric "007" is "7"
printf 'id,date,amount\n7,2024-05-01,10\n8,2024-05-01,10\n' > "$TMP/num.csv"
printf 'customer_id\n007\n8.0\n9\n' > "$TMP/pros.csv"
custseg-stages -q --id-normalize numeric --prospects "$TMP/pros.csv" --funnel - "$TMP/num.csv"
