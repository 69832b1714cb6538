gzip -c small.csv | custseg-summary --quiet - | cmp - summary-small.expected && echo same
