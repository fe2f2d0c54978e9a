#!/bin/sh
# The runit-ng package as a container's init, in a real engine (podman with
# runc): an image made from the bookworm tree with runit-ng installed runs
# /sbin/runit as process no. 1; its services start; podman exec ... sv status
# works; podman stop ends with exit 0 inside podman's grace period, with every
# ./finish run, even for a service that ignores SIGTERM (timeout-kill bounds
# it); and a kube pod whose livenessProbe is "sv -w 1 check crashy" is healthy
# while the service runs and unhealthy while it crash-loops. The same image
# with Debian's runit gives the comparison figure for podman stop.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/lib.sh"

deb_need debootstrap podman runc catatonit flock

# Every object this test makes carries this prefix and is removed at the end.
NAME=rng-deb-test-$$
IMG_NG=localhost/$NAME-ng:latest
IMG_DEB=localhost/$NAME-debian:latest
# runc: podman's default crun fails on this machine's hybrid cgroup set-up;
# the limits: without them runc failed to start the container here.
cat >"$T/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
runtime = "runc"
EOF
CONTAINERS_CONF=$T/containers.conf
export CONTAINERS_CONF

# podman makes its pod pause image (from catatonit) at the first kube play;
# if this test's made it, the test removes it too.
PAUSE_BEFORE=$(podman images -q --filter reference=localhost/podman-pause 2>/dev/null)
cleanup_podman() {
	podman pod rm -f "$NAME-pod" >/dev/null 2>&1
	if [ -z "$PAUSE_BEFORE" ]; then
		podman images -q --filter reference=localhost/podman-pause 2>/dev/null |
			while read -r id; do podman rmi -f "$id" >/dev/null 2>&1; done
	fi
	for c in "$NAME-ng" "$NAME-debian"; do podman rm -f "$c" >/dev/null 2>&1; done
	for i in "$IMG_NG" "$IMG_DEB"; do podman rmi -f "$i" >/dev/null 2>&1; done
}
trap 'cleanup_podman; _tap_cleanup' EXIT

# services TREE: three services whose ./finish leaves a mark in /results
# (a host directory), and crashy, which crash-loops once /run/crash exists.
services() {
	for s in web worker stubborn crashy; do
		mkdir -p "$1/etc/sv/$s"
		printf '#!/bin/sh\necho "$1 $2" >/results/%s.finished\n' "$s" >"$1/etc/sv/$s/finish"
		ln -s "/etc/sv/$s" "$1/etc/runit/runsvdir/default/$s"
	done
	printf '#!/bin/sh\nexec sleep 1000000\n' >"$1/etc/sv/web/run"
	printf '#!/bin/sh\ntrap "exit 0" TERM\nwhile :; do sleep 1 & wait $!; done\n' >"$1/etc/sv/worker/run"
	# SIGTERM ignored: sleep inherits the ignored disposition.
	printf '#!/bin/sh\ntrap "" TERM\nexec sleep 1000000\n' >"$1/etc/sv/stubborn/run"
	echo 300 >"$1/etc/sv/stubborn/timeout-kill"
	printf '#!/bin/sh\n[ ! -e /run/crash ] || exit 1\nexec sleep 1000000\n' >"$1/etc/sv/crashy/run"
	rm -f "$1/etc/sv/crashy/finish"
	chmod +x "$1"/etc/sv/*/run "$1"/etc/sv/*/finish
}

# image TREE IMAGE INIT: imports TREE (without apt's caches) as IMAGE whose command is INIT.
image() {
	rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*_*
	tar -C "$1" -c . | podman import --change "CMD [\"$3\"]" --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$2" >"$T/import.log" 2>&1 ||
		{ cat "$T/import.log" >&2; deb_cannot "podman import of the tree failed (log above)"; }
}

# all_up CONTAINER: sv status of the three services says run (podman exec).
all_up() {
	podman exec "$1" sv status web worker stubborn >"$T/status" 2>&1 &&
		[ "$(grep -c '^run: ' "$T/status")" = 3 ]
}

# stop_figure CONTAINER: podman stop -t 5; sets STOP_RC, STOP_MS, EXIT.
stop_figure() {
	_t0=$(date +%s%N)
	podman stop -t 5 "$1" >/dev/null 2>"$T/stop.err"
	STOP_RC=$?
	STOP_MS=$(( ($(date +%s%N) - _t0) / 1000000 ))
	EXIT=$(podman inspect -f '{{.State.ExitCode}}' "$1")
}

# runit_stop_ms CONTAINER: from runit's own records (the console lines podman
# stamped): "leave stage: /etc/runit/2" (SIGTERM received) to "runit: exit".
runit_stop_ms() {
	podman logs -t "$1" 2>&1 | awk '/leave stage: \/etc\/runit\/2/ { a = $1 } /- runit: exit / { b = $1 } END { print a, b }' |
		{ read -r a b; [ -n "$b" ] && echo $(( ($(date -d "$b" +%s%N) - $(date -d "$a" +%s%N)) / 1000000 )) || echo "?"; }
}

# --- the images ---------------------------------------------------------------
deb_copy_tree "$T/ng"
cp "$DEB_NG" "$DEB_NG_INIT" "$T/ng/root/"
deb_chroot "$T/ng" apt-get install -y -qq --no-install-recommends \
	"/root/$(basename "$DEB_NG")" "/root/$(basename "$DEB_NG_INIT")" >"$T/apt-ng.log" 2>&1
is "$?" 0 "runit-ng and runit-ng-init install in the tree" || cat "$T/apt-ng.log" >&2
is "$(readlink "$T/ng/sbin/init")" runit-init "runit-ng-init makes /sbin/init runit-ng's runit-init"
services "$T/ng"
# The image starts /sbin/init: runit-init, as process no. 1, becomes runit.
image "$T/ng" "$IMG_NG" /sbin/init
ok "the image with runit-ng is made" podman image exists "$IMG_NG"

deb_copy_tree "$T/debian"
deb_chroot "$T/debian" apt-get install -y -qq --no-download --no-install-recommends runit >"$T/apt-deb.log" 2>&1
is "$?" 0 "Debian's runit installs in the second tree" || cat "$T/apt-deb.log" >&2
services "$T/debian"
image "$T/debian" "$IMG_DEB" /sbin/runit

# --- runit-ng as process no. 1 ----------------------------------------------------
mkdir -p "$T/results-ng"
# --systemd=false: podman takes a command named /sbin/init for systemd and
# would stop it with SIGRTMIN+3 instead of the image's SIGTERM.
podman run -d --name "$NAME-ng" --runtime runc --systemd=false -v "$T/results-ng:/results" "$IMG_NG" >"$T/run.log" 2>&1
is "$?" 0 "podman run --runtime runc starts the runit-ng image (/sbin/init)" || cat "$T/run.log" >&2
ok "its services start (podman exec ... sv status)" wait_for 30 all_up "$NAME-ng"
like "$(podman exec "$NAME-ng" sv status web)" '^run: web: \(pid [0-9]+\) [0-9]+s$' "sv status answers in runit's words"
like "$(podman logs "$NAME-ng" 2>&1)" 'container mode' "runit-init became runit, which announces container mode"
is "$(podman exec "$NAME-ng" cat /proc/1/comm)" runit "process no. 1 is runit"
is "$(podman exec "$NAME-ng" runlevel)" "N 2" "runlevel (runit-ng-init) answers N 2 while the system runs"
stop_figure "$NAME-ng"
is "$STOP_RC" 0 "podman stop succeeds"
is "$EXIT" 0 "runit exits 0: the stop ended by itself within podman's 5 s, no KILL from podman"
for s in web worker stubborn; do
	ok "$s's ./finish ran" test -s "$T/results-ng/$s.finished"
done
is "$(cat "$T/results-ng/stubborn.finished" 2>/dev/null)" "-1 9" "the TERM-ignoring service was KILLed by its runsv (timeout-kill), so the stop is bounded"
is "$(cat "$T/results-ng/worker.finished" 2>/dev/null)" "0 0" "the service that ends on TERM ended by itself"
NG_FIGURE="$STOP_MS ms, exit $EXIT; runit itself: $(runit_stop_ms "$NAME-ng") ms from SIGTERM to its exit (300 of them stubborn's timeout-kill)"

# --- Debian's runit, the same image otherwise: the comparison figure ---------
mkdir -p "$T/results-debian"
podman run -d --name "$NAME-debian" --runtime runc -v "$T/results-debian:/results" "$IMG_DEB" >"$T/run.log" 2>&1
is "$?" 0 "podman run starts the Debian runit image"
ok "its services start" wait_for 30 all_up "$NAME-debian"
stop_figure "$NAME-debian"
diag "figure: podman stop -t 5, Debian's runit: $STOP_MS ms, exit code $EXIT (finish scripts run: $(ls "$T/results-debian" | tr '\n' ' '))"
diag "figure: podman stop -t 5, runit-ng: $NG_FIGURE"

# --- kube play: the liveness probe ------------------------------------------
# The probe waits up to 1 s (sv -w 1), so its timeout is 2 s: sv's wait plus
# the exec's own start-up. podman maps the probe to a health check, which
# podman healthcheck run runs now.
cat >"$T/pod.yaml" <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: $NAME-pod
spec:
  restartPolicy: Never
  containers:
  - name: svc
    image: $IMG_NG
    command: ["/sbin/runit"]
    livenessProbe:
      exec:
        command: ["sv", "-w", "1", "check", "crashy"]
      periodSeconds: 30
      timeoutSeconds: 2
      failureThreshold: 1
EOF
podman kube play "$T/pod.yaml" >"$T/kube.log" 2>&1
is "$?" 0 "podman kube play starts the pod" || cat "$T/kube.log" >&2
C=$NAME-pod-svc
health() { podman inspect -f '{{.State.Health.Status}}' "$C" 2>/dev/null; }
crashy_up() { podman exec "$C" sv status crashy 2>/dev/null | grep -q '^run: crashy: (pid [0-9]*) [1-9]'; }
ok "crashy runs in the pod" wait_for 30 crashy_up
ok "the probe passes while crashy runs (podman healthcheck run)" podman healthcheck run "$C"
is "$(health)" healthy "the pod's container is healthy"
podman exec "$C" sh -c ': >/run/crash && sv kill crashy' >/dev/null 2>&1
ok "the probe fails while crashy crash-loops" sh -c "! podman healthcheck run '$C' >/dev/null 2>&1"
is "$(health)" unhealthy "the pod's container is unhealthy"
podman exec "$C" sh -c 'rm -f /run/crash' >/dev/null 2>&1
ok "crashy runs again once it can" wait_for 30 crashy_up
ok "the probe passes again" podman healthcheck run "$C"

cleanup_podman
ok "every container, pod and image of this test is gone" \
	sh -c "! podman ps -a --format '{{.Names}}' | grep -q '^$NAME' && ! podman images --format '{{.Repository}}' | grep -q '$NAME' && ! podman pod exists '$NAME-pod'"
done_testing
