# The contract every tool and subcommand keeps on its command line:
# --help (usage on stdout, exit 0), --version, an unknown long and short
# option, an option missing its value, and a bad number for each numeric
# option: exit 2 and a message naming the option and the problem, with
# the --help hint. Prints one line per failed check; exit 1 if any.
v=$(custseg-summary --version | awk '{print $NF}')
fails=0 checks=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# run CMD...: sets out, err, rc
run() { out=$("$@" 2>"$TMP/err" </dev/null); rc=$?; err=$(cat "$TMP/err"); checks=$((checks + 1)); }
usage_error() { # WANT_TEXT CMD...
    local want=$1; shift
    run "$@"
    [ "$rc" = 2 ] || { fail "$* -> exit $rc, expected 2 ($err)"; return; }
    case "$err" in *"$want"*) ;; *) fail "$* -> '$err' does not say \"$want\"";; esac
    case "$err" in *"--help' for more information."*) ;; *) fail "$* -> no --help hint";; esac
    [ -z "$out" ] || fail "$* -> wrote to standard output"
}
contract() { # TOOL [SUBCOMMAND]
    local t=("$@")
    run "${t[@]}" --help
    [ "$rc" = 0 ] && [ "${out#Usage: }" != "$out" ] || fail "${t[*]} --help -> exit $rc"
    "${t[@]}" --help > /dev/full 2>/dev/null
    [ $? = 1 ] || fail "${t[*]} --help > /dev/full does not exit 1"
    run "${t[@]}" --version
    [ "$rc" = 0 ] && [ "$out" = "${t[0]} (custseg) $v" ] || fail "${t[*]} --version -> '$out'"
    usage_error "unknown option '--no-such-option'" "${t[@]}" --no-such-option
    usage_error "unknown option '-Z'" "${t[@]}" -Z
    usage_error "option '-o' needs a value" "${t[@]}" -o
    usage_error "option '--output' needs a value" "${t[@]}" --output
}
bad_number() { # TOOL [SUB] -- OPTION
    local t=() opt
    while [ "$1" != -- ]; do t+=("$1"); shift; done
    opt=$2
    for bad in abc 2x ''; do
        usage_error "'$bad' is not" "${t[@]}" "$opt" "$bad"
        case "$err" in *"$opt"*|*"--${opt#--}"*) ;; *) [ "$rc" = 2 ] && fail "${t[*]} $opt '$bad' -> '$err' does not name $opt";; esac
    done
}
contract custseg-summary
bad_number custseg-summary -- --threads
usage_error "--threads: 'abc' is not" custseg-summary -j abc
usage_error "unknown option '-x'" custseg-summary -qx
usage_error "option '--quiet' takes no value" custseg-summary --quiet=1
contract custseg-rfm
for o in --bins --threads; do bad_number custseg-rfm -- $o; done
contract custseg-pyramid
for o in --inactive-after --margin --window --threads; do bad_number custseg-pyramid -- $o; done
contract custseg-simulate
for o in --customers --seed --returns --same-day; do bad_number custseg-simulate -- $o; done
for s in fit predict validate new patterns; do contract custseg-clv $s; done
bad_number custseg-clv fit -- --l2
bad_number custseg-clv fit -- --threads
for o in --horizon --clv-periods --period-days --discount --margin --dert --bootstrap --level --seed; do
    bad_number custseg-clv predict -- $o
done
bad_number custseg-clv new -- --max-k
contract custseg-report
for o in --bins --alert --inactive-after --margin --discount --threads; do
    bad_number custseg-report -- $o
done
contract custseg-stages
for o in --loyal-min-days --advocate-min-referrals --active-within --alive-threshold --threads; do
    bad_number custseg-stages -- $o
done
for s in score evaluate sbg rates; do contract custseg-churn $s; done
bad_number custseg-churn score -- --horizon
bad_number custseg-churn score -- --threads
bad_number custseg-churn sbg -- --periods
bad_number custseg-churn sbg -- --discount
bad_number custseg-churn rates -- --alert-rate
usage_error "give a command" custseg-clv
usage_error "'frobnicate' is not a custseg command" custseg frobnicate
for a in --help --version; do
    custseg $a > /dev/full 2>/dev/null
    [ $? = 1 ] || fail "custseg $a > /dev/full does not exit 1"
done
usage_error "give a command" custseg-churn
usage_error "'frobnicate' is not a command" custseg-churn frobnicate
echo "$checks checks, $fails failed"
[ $fails = 0 ]
