# a file that opens but cannot be read (EIO), even for root
custseg-summary /proc/self/mem
