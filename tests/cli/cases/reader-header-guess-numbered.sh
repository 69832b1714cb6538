# Every column given by number, no --header/--no-header: line 1 is a header
# only when it names columns (no date in it, no number in the amount
# column). A first record with a bad date is data: an error at line 1, or
# a skipped record; never a header silently dropped.
echo "-- bad date on line 1"
printf 'C1,2024-13-05,10\nC2,2024-01-06,5\n' | custseg-summary -c 1 -d 2 -a 3
echo "exit $?"
echo "-- the same, skipped"
printf 'C1,2024-13-05,10\nC2,2024-01-06,5\n' | custseg-summary -c 1 -d 2 -a 3 --on-error skip
echo "exit $?"
echo "-- a header"
printf 'customer,day,amount\nC2,2024-01-06,5\n' | custseg-summary -c 1 -d 2 -a 3 -v 2>&1 |
    grep -v "= column"
echo "-- names, but a number where the amounts are: data"
printf 'customer,day,7\nC2,2024-01-06,5\n' | custseg-summary -c 1 -d 2 -a 3 --on-error skip
echo "exit $?"
