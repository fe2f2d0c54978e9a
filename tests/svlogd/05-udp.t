#!/bin/sh
# UDP forwarding: u sends selected lines as datagrams and writes them too; U sends only; patterns apply; long lines end in "...".
. "$(dirname "$0")/../lib/tap.sh"
command -v python3 >/dev/null || skip_all "python3 needed for a UDP listener"
SVLOGD=$RNG_BIN/svlogd
cd "$T" || exit 1
cat > listen.py <<'EOS'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
open("port.tmp", "w").write(str(s.getsockname()[1]))
__import__("os").rename("port.tmp", "port")
s.settimeout(10)
with open("got", "ab") as f:
    for _ in range(int(sys.argv[1])):
        f.write(s.recv(65536)); f.flush()
EOS
spawn python3 listen.py 3
wait_for 10 test -s port
port=$(cat port)
mkdir u U
printf 'u127.0.0.1:%s\n-*drop*\n' "$port" > u/config
printf 'one\ndrop me\n' | $SVLOGD u
printf 'U127.0.0.1:%s\npPFX \n' "$port" > U/config
printf 'two\n0123456789\n' | $SVLOGD -l 5 -b 6 U
wait_for 10 sh -c '[ "$(wc -l < got)" -ge 3 ]'
is "$(cat got)" "one
PFX two
PFX 01234..." "datagrams: selected lines, prefix, cut at -l with ..."
is "$(cat u/current)" "one" "u: also written to current"
is "$(wc -c < U/current | tr -d ' ')" 0 "U: nothing written to current"
done_testing
