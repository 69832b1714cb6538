# Ids are bytes: leading zeros, UTF-8, commas and quotes survive, and rows are
# sorted in byte order.
printf 'id,date,amount\n007,2024-01-01,1\n"Zoë, Ltd",2024-01-02,2\n7,2024-01-03,3\n"say ""hi""",2024-01-04,4\n' |
    custseg-summary --quiet --format tsv | cut -f1-3
