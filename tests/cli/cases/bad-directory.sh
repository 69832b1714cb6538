custseg-summary bad
