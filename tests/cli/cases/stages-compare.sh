# custseg-stages --compare-as-of on the hand-built case (see stages-types).
# At 2024-06-30 (the log and side rows up to then): prospects E (referred by
# D on 2024-06-01, the earlier of its two rows), G, K; potential J, L;
# lapsed C, H; purchasers A, D, F, I (active, fewer than 3 days, no
# successful referral yet) and S (2023-09-01: 303 days); B and R unknown.
# Now: E purchaser (up), F loyal (up), A and D advocates (up), S lapsed
# (down), the rest stay; B and R new. Of 12: up 4, down 1, stay 7.
custseg-stages --as-of 2025-01-01 --prospects stages/prospects.csv --contacts stages/contacts.csv \
    --referrals stages/referrals.csv --compare-as-of 2024-06-30 stages/log.csv | awk -F, '$3 != 0'
# an earlier date before every purchase: everybody bought since is new
custseg-stages -q --as-of 2025-01-01 --compare-as-of 2021-01-01 stages/log.csv | awk -F, '$3 != 0'
custseg-stages --compare-as-of 2024-06-30 - < stages/log.csv
echo "exit $?"
custseg-stages --compare-as-of 2024-06-30 --report stages/log.csv
echo "exit $?"
