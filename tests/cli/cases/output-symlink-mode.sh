# -o onto a symbolic link writes through to its target and keeps the link;
# an existing file keeps its mode (0640 stays 0640); a new file gets
# 0666 & ~umask; a link to the input is refused as the input itself.
umask 022
cp small.csv "$TMP/in.csv"
cd "$TMP" || exit 1
: > real.csv
chmod 0640 real.csv
ln -s real.csv out.csv
custseg-summary -q in.csv -o out.csv || exit 1
[ -L out.csv ] && echo "out.csv is still a link"
stat -c 'real.csv %a' real.csv
head -1 real.csv | cut -d, -f1-3
custseg-summary -q in.csv -o new.csv && stat -c 'new.csv %a' new.csv
ln -s in.csv alias.csv
custseg-summary -q in.csv -o alias.csv
echo "exit $?"
ls
