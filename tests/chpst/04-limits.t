#!/bin/sh
# chpst -m -d -o -p -f -c -r -t and softlimit's letters and "=": soft limits read back from the child's /proc/self/limits, hard limits untouched (D-chpst-8,9).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/common.sh"
personalities "$T/bin" "$C"
S=$T/bin/softlimit

# limit WHICH(soft|hard) NAME CMD...: that column of NAME in the child's limits.
limit() {
	_col=$1 _name=$2; shift 2
	"$@" cat /proc/self/limits | sed -n "s/^$_name  *\([^ ]*\)  *\([^ ]*\) .*/\1 \2/p" |
		if [ "$_col" = soft ]; then cut -d' ' -f1; else cut -d' ' -f2; fi
}
# expect NAME VALUE: the soft limit that asking for VALUE gives (the hard limit caps it).
expect() {
	_hard=$(limit hard "$1" env)
	if [ "$_hard" != unlimited ] && [ "$2" -gt "$_hard" ]; then echo "$_hard"; else echo "$2"; fi
}

is "$(limit soft 'Max data size' "$C" -d 200000000)" 200000000 "-d: data"
is "$(limit soft 'Max open files' "$C" -o 7)" 7 "-o: open files"
is "$("$C" -o 7 sh -c 'ulimit -n')" 7 "-o 7: the shell sees 7 (D-chpst-8)"
is "$(limit soft 'Max processes' "$C" -p 4321)" "$(expect 'Max processes' 4321)" "-p: processes"
is "$(limit soft 'Max file size' "$C" -f 7654321)" "$(expect 'Max file size' 7654321)" "-f: file size"
is "$(limit soft 'Max core file size' "$C" -c 12345)" "$(expect 'Max core file size' 12345)" "-c: core size"
is "$(limit soft 'Max resident set' "$C" -r 23456789)" "$(expect 'Max resident set' 23456789)" "-r: resident set"
is "$(limit soft 'Max cpu time' "$C" -t 77)" "$(expect 'Max cpu time' 77)" "-t: cpu seconds"
is "$(limit soft 'Max core file size' "$C" -c '')" 0 "-c '': an empty number is 0, as in runit"

M=300000000
for n in 'Max data size' 'Max stack size' 'Max locked memory' 'Max address space'; do
	is "$(limit soft "$n" "$C" -m $M)" "$(expect "$n" $M)" "-m sets $n"
done
is "$(limit soft 'Max open files' "$C" -m $M)" "$(limit soft 'Max open files' env)" "-m leaves open files alone"

HARD=$(limit hard 'Max open files' env)
is "$(limit soft 'Max open files' "$C" -o 999999999)" "$HARD" "above the hard limit: soft = hard"
is "$(limit hard 'Max open files' "$C" -o 7)" "$HARD" "hard limit never changed"

is "$(limit soft 'Max address space' "$S" -a 400000000)" 400000000 "softlimit -a: address space"
is "$(limit soft 'Max core file size' "$S" -c 0)" 0 "softlimit -c"
is "$(limit soft 'Max data size' "$S" -d 200000000)" 200000000 "softlimit -d"
is "$(limit soft 'Max file size' "$S" -f 7654321)" "$(expect 'Max file size' 7654321)" "softlimit -f"
is "$(limit soft 'Max locked memory' "$S" -l 65536)" "$(expect 'Max locked memory' 65536)" "softlimit -l: locked memory"
for n in 'Max data size' 'Max stack size' 'Max locked memory' 'Max address space'; do
	is "$(limit soft "$n" "$S" -m $M)" "$(expect "$n" $M)" "softlimit -m sets $n"
done
is "$("$S" -o 9 sh -c 'ulimit -n')" 9 "softlimit -o 9 (D-chpst-9)"
is "$(limit soft 'Max processes' "$S" -p 4321)" "$(expect 'Max processes' 4321)" "softlimit -p"
is "$(limit soft 'Max resident set' "$S" -r 23456789)" "$(expect 'Max resident set' 23456789)" "softlimit -r"
is "$(limit soft 'Max stack size' "$S" -s 9000000)" "$(expect 'Max stack size' 9000000)" "softlimit -s: stack"
is "$(limit soft 'Max cpu time' "$S" -t 66)" "$(expect 'Max cpu time' 66)" "softlimit -t"
is "$(limit soft 'Max open files' "$C" -o 5 "$S" -o =)" "$HARD" "softlimit -o =: soft raised back to hard (D-chpst-9)"

done_testing
