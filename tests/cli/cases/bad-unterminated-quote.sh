custseg-summary bad/unterminated-quote.csv
