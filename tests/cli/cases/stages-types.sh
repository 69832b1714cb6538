# custseg-stages on a hand-built log and side tables (tests/data/stages),
# as-of 2025-01-01, active within 12m, loyal from 3 purchase days, advocate
# from 1 successful referral. Every type and precedence rule:
#   A advocate: 3 purchase days (records out of date order), active, its
#     referral of R (2024-09-10) succeeded (R bought 2024-10-01): advocate
#     before loyal
#   D advocate: 2 days, active, referred E (the pair twice: counted once)
#   F loyal: its referrals failed (G never bought; B bought only before the
#     referral of 2024-12-15)
#   B, E, I, R purchaser: one active day (B had a contact: a purchase wins)
#   C lapsed: 3 days in 2022 (loyal days, not active); H lapsed although
#     its referral of I succeeded (advocates are active); S lapsed
#   J potential_buyer: a prospect with a contact (a contact wins); its
#     self-referral is left out and counted; L: a contact only
#   G prospect: only referred; K prospect: its contact is dated after as-of
#   N: only a prospects row after as-of: no customer
# G, J, K, L are in side tables only. The funnel (by hand):
#   prospect (A, J, K) -> potential_buyer: A (first purchase 46 days after
#     2024-01-15), J (contact 29 days after 2024-02-01): 2/3, median 37.5
#   potential_buyer (10 buyers, J, L) -> purchaser: 10/12; days 0 but B (16:
#     contact first) and C (31): median 0
#   purchaser -> loyal (A, C, F): 3/10; 3rd day after the first: 184, 59,
#     305: median 184
#   loyal -> advocate: A, 30 days from its 3rd day (2024-09-01) to R's
#     purchase (2024-10-01): 1/3, median 30
set -e
S="custseg-stages --as-of 2025-01-01 --prospects stages/prospects.csv --contacts stages/contacts.csv --referrals stages/referrals.csv"
$S --funnel "$TMP/funnel.csv" stages/log.csv
cat "$TMP/funnel.csv"
# tsv and the N-th day: loyal from 2 days makes D loyal-level (still advocate)
# and E, I, R stay purchasers
$S -q -f tsv --loyal-min-days 2 stages/log.csv | cut -f 1,2 | paste -sd ' '
# the side tables read on a thread while the log loads (-j 2) or after it
# (-j 1): the same rows
$S -q -j 1 stages/log.csv > "$TMP/j1.csv"
$S -q -j 2 stages/log.csv > "$TMP/j2.csv"
cmp "$TMP/j1.csv" "$TMP/j2.csv" && echo "-j 1 and -j 2: the same rows"
