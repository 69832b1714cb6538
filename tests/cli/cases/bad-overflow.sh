# sums are exact 64-bit integers of millionths: an overflow is an error, never a wrap
{ echo customer_id,date,amount; for i in $(seq 1 10); do echo "C1,2024-01-01,999999999999"; done; } |
    custseg-summary -j 2
