# The per-customer aggregation of custseg-summary in pandas (Debian's python3-pandas).
import sys
import pandas as pd

df = pd.read_csv(sys.argv[1], dtype={"customer_id": str, "date": str})
g = df.groupby("customer_id").agg(transactions=("order_id", "size"),
                                  purchase_days=("date", "nunique"),
                                  first_purchase=("date", "min"),
                                  last_purchase=("date", "max"),
                                  total_value=("amount", "sum"))
g.to_csv(sys.argv[2])
