# shellcheck shell=bash
# shellcheck disable=SC2034,SC2154 # set for, and by, the tests and the integration helpers
# Shared setup for the engine tier (tests/engines.sh starts the engines and
# names their sockets in $HR_ENGINES_ENV).  Builds on the integration tier's
# helpers: the probe, capture, probe_get and the assertions.

load ../integration/helpers

if [ -n "${HR_ENGINES_ENV:-}" ] && [ -f "$HR_ENGINES_ENV" ]; then
	# shellcheck source=/dev/null
	. "$HR_ENGINES_ENV"
fi
HR_DEFAULT_POLICY='{"runtime": "runc"}'

require_engines() {
	[ -n "${HR_E:-}" ] || skip "run through tests/engines.sh (no engines were started)"
	require_root
	require_hardrun
	# A unique name per test, for containers and temp files.
	ID=hre-$BATS_TEST_NUMBER-$$-$RANDOM
	T=$(mktemp -d /tmp/hre-t.XXXXXX)
	HR_NCAP=0
}
require_docker() {
	require_engines
	[ -z "${HR_NO_DOCKER:-}" ] || skip "$HR_NO_DOCKER"
}
require_podman() {
	require_engines
	[ -z "${HR_NO_PODMAN:-}" ] || skip "$HR_NO_PODMAN"
}
require_containerd() {
	require_engines
	[ -z "${HR_NO_CONTAINERD:-}" ] || skip "$HR_NO_CONTAINERD"
}

# Put the tier's policy back and remove the test's temp dir.
engine_teardown() {
	[ -n "${HR_E_POLICY:-}" ] && printf '%s\n' "$HR_DEFAULT_POLICY" >"$HR_E_POLICY"
	[ -n "${T:-}" ] && rm -rf "$T"
	return 0
}

# The policy every engine's hardrun reads.
engine_policy() { printf '%s\n' "$1" >"$HR_E_POLICY"; }

# ---- the engines' command lines --------------------------------------------------

dk() { "$HR_DOCKER" "$@"; }
pm() { "${HR_PODMAN[@]}" "$@"; }
ct() { ctr -a "$CTR_SOCK" "$@"; }

# docker/podman run through hardrun, no network.
dk_run() { dk run --network none --runtime hardrun "$@"; }
pm_run() { pm --runtime "$HARDRUN" run --network none "$@"; }
# ctr run through hardrun; the image comes last but one before the command:
# ct_run [CTR OPTIONS] -- ID CMD...
ct_run() {
	local opts=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	shift
	local id=$1
	shift
	ct run --runc-binary "$HARDRUN" "${opts[@]}" hrt-bb:latest "$id" "$@"
}

# ---- knobs not every hardrun has yet ---------------------------------------------
# A property that a knob of DESIGN §3.3 provides is asserted once the knob is
# in the restricted level's data file.  Until then its test skips, and CI
# (which fails on a skip) says so.

have_knob() { grep -Eq "\"($1)\"" "$HR_TOP/profiles/policies/restricted.json"; }
require_knob() { # ERE of knob names, what it provides
	have_knob "$1" || skip "needs the $1 knob ($2), not in this hardrun yet"
}
have_rules() { grep -q rules "$HR_TOP/src/policy.c"; }

# Does hardrun harden an exec'd process (DESIGN §3.6)?  Asked of hardrun
# itself: an `exec --process F` whose F asks for privileges, handed to
# /bin/true.  A hardrun that leaves F as it was and succeeds passes exec
# through untouched.
hardens_exec() {
	local d
	d=$(mktemp -d /tmp/hre-x.XXXXXX)
	printf '{"runtime": "/bin/true"}\n' >"$d/policy.json"
	printf '{"args": ["/bin/true"], "cwd": "/", "user": {"uid": 0, "gid": 0}, "noNewPrivileges": false}\n' \
		>"$d/process.json"
	cp "$d/process.json" "$d/orig.json"
	local st=0
	HARDRUN_POLICY=$d/policy.json "$HARDRUN" exec --process "$d/process.json" hre-none \
		</dev/null >/dev/null 2>&1 || st=$?
	local same=0
	cmp -s "$d/process.json" "$d/orig.json" || same=1
	rm -rf "$d"
	[ "$st" -ne 0 ] || [ "$same" -ne 0 ]
}
require_exec_hardening() {
	hardens_exec || skip "needs exec hardening (DESIGN §3.6), not in this hardrun yet"
}

# ---- what the probe sees ------------------------------------------------------------

# The container's command: the probe's report, then facts the probe does not
# print, as more key=value lines (busybox sh):
#   masked_P     "c 1:3" when P is /dev/null bound over a file; for a
#                directory, the per-mount options of a mount exactly at P
#   pids_max     the container's pids cgroup limit
# shellcheck disable=SC2016 # expanded by the container's sh
PROBE_SH='/bin/probe
for p in /proc/keys /proc/timer_list; do
	echo "masked_$p=$(stat -c "%F %t:%T" "$p" 2>&1 | sed "s/^character special file/c/")"
done
echo "masked_/sys/firmware=$(awk "\$5 == \"/sys/firmware\" { o = \$6 } END { print o }" /proc/self/mountinfo)"
echo "pids_max=$(cat /sys/fs/cgroup/pids/pids.max 2>&1)"'
PROBE_CMD=(/bin/sh -c "$PROBE_SH")

# (The assertions are written with "|| return 1", as the integration tier's,
# so that they also work as conditions.)

# What the implemented knobs guarantee whatever the engine asked for:
# no_new_privs, a read-only root, and a writable nosuid,nodev tmpfs on each
# of the default writable paths (the integration tier's
# assert_probe_hardened).  An engine's own tmpfs at one of those paths is
# kept (DESIGN §3.3): name such paths, and there only a writable nosuid
# tmpfs is required.
assert_engine_base() { # [PATH OF AN ENGINE'S OWN TMPFS...]
	[ $# -gt 0 ] || {
		assert_probe_hardened
		return
	}
	assert_probe NoNewPrivs 1 || return 1
	assert_probe root_writable "0 EROFS" || return 1
	local p own opts
	for p in /tmp /var/tmp /run /var/log /var/cache; do
		assert_probe "writable_$p" 1 || return 1
		own=0
		[[ " $* " == *" $p "* ]] && own=1
		if [ "$own" -eq 0 ]; then
			assert_probe_tmpfs "$p" || return 1
			continue
		fi
		assert_probe "mount_fstype_$p" tmpfs || return 1
		opts=$(probe_get "mount_opts_$p")
		[[ ,$opts, == *,nosuid,* ]] || fail "mount at $p has options '$opts', expected nosuid" ||
			return 1
	done
	assert_probe mode_/tmp 1777
}

assert_caps_dropped() {
	local v
	for v in CapEff CapBnd; do
		v=$(probe_get "$v") || fail "no $v in the report: $output" || return 1
		[[ $v == 0000000000000400 || $v == 0000000000000000 ]] ||
			fail "probe: capabilities $v, expected none but CAP_NET_BIND_SERVICE; report: $output" ||
			return 1
	done
	assert_probe CapAmb 0000000000000000
}

assert_masked() {
	assert_probe masked_/proc/keys "c 1:3" || return 1
	assert_probe masked_/proc/timer_list "c 1:3" || return 1
	assert_match "$(probe_get masked_/sys/firmware)" '^ro(,|$)' "the mount over /sys/firmware"
}
