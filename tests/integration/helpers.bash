# shellcheck shell=bash
# Shared setup for the integration tier: real containers through hardrun and
# the real runc/crun.  Load with `load helpers`, then call hr_setup from
# setup() and hr_teardown from teardown().
#
# Every test gets, under one fresh temp dir $T:
#   $BUNDLE  a busybox bundle with the probe at /bin/probe (make_bundle)
#   $RROOT   a private runc --root;  $CROOT a private crun --root
#   $POLICY  a policy file (default {"runtime":"runc"}), always exported to
#            hardrun as HARDRUN_POLICY, so no test reads /etc/hardrun
#   $ID      a unique container id
# Teardown force-deletes every container left in either root, then removes $T.
#
# crun and this host's hybrid cgroup layout: crun 1.8 refuses to run while the
# empty cgroup2 at /sys/fs/cgroup/unified is mounted ("cgroups in hybrid mode
# not supported").  TESTING.md runs it as
#     unshare -m sh -c 'umount /sys/fs/cgroup/unified; crun run ID'
# which only works when the whole container life fits in that one command.
# For multi-step lifecycles (create, state, start, exec, kill, delete as
# separate calls) crun_ns_setup makes that private mount namespace persistent
# instead: `unshare --mount=FILE` bind-mounts the new namespace on FILE (whose
# directory must be a private mount, hence the self bind mount), the cgroup2
# mount is unmounted inside it once, and every later crun/hardrun call enters
# it with `nsenter --mount=FILE`.  The namespace lives until FILE is unmounted
# in teardown and its last process has exited.  nsenter resets the cwd to the
# namespace's root, so everything passed to it must be an absolute path.

bats_require_minimum_version 1.5.0

HR_TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
HARDRUN=${HARDRUN:-$HR_TOP/hardrun}
PROBE_SRC=$HR_TOP/tests/probe/probe.c
PROBE=$HR_TOP/build/probe
TRY_SRC=$HR_TOP/tests/probe/try-syscall.c
TRY=$HR_TOP/build/try-syscall

# ---- requirements ------------------------------------------------------------

require_root() {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
}

require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "$c is not installed"
	done
}

require_hardrun() {
	[ -x "$HARDRUN" ] || skip "hardrun is not built ($HARDRUN missing; run make)"
}

# busybox must be static: it is copied alone into an empty rootfs.
busybox_path() {
	local bb out
	bb=$(command -v busybox 2>/dev/null) || return 1
	out=$(LC_ALL=C ldd "$bb" 2>&1 || true)
	[[ $out == *"not a dynamic executable"* ]] || return 1
	printf '%s\n' "$bb"
}

require_busybox() {
	busybox_path >/dev/null || skip "static busybox is not installed (apt-get install busybox-static)"
}

# ---- the probe ----------------------------------------------------------------

# Build tests/probe/probe.c into build/probe once, and again when the source
# is newer.  Written to a temp name and renamed, so a half-written binary is
# never used.
build_probe() {
	if [ -x "$PROBE" ] && [ "$PROBE" -nt "$PROBE_SRC" ]; then
		return 0
	fi
	command -v gcc >/dev/null 2>&1 || skip "gcc is not installed (needed for the probe)"
	mkdir -p "${PROBE%/*}"
	local tmp="$PROBE.tmp.$$"
	gcc -static -O2 -Wall -Wextra -Werror -o "$tmp" "$PROBE_SRC" || {
		rm -f "$tmp"
		echo "failed to build the probe from $PROBE_SRC" >&2
		return 1
	}
	mv -f "$tmp" "$PROBE"
}

# The seccomp probe, tests/probe/try-syscall.c, built the same way into
# build/try-syscall; install_try_syscall copies it into a bundle's rootfs.
build_try_syscall() {
	if [ -x "$TRY" ] && [ "$TRY" -nt "$TRY_SRC" ]; then
		return 0
	fi
	command -v gcc >/dev/null 2>&1 || skip "gcc is not installed (needed for try-syscall)"
	mkdir -p "${TRY%/*}"
	local tmp="$TRY.tmp.$$"
	gcc -static -pthread -O2 -Wall -Wextra -Werror -o "$tmp" "$TRY_SRC" || {
		rm -f "$tmp"
		echo "failed to build try-syscall from $TRY_SRC" >&2
		return 1
	}
	mv -f "$tmp" "$TRY"
}

install_try_syscall() { # BUNDLE
	build_try_syscall && cp "$TRY" "$1/rootfs/bin/try-syscall"
}

# ---- per-test setup -------------------------------------------------------------

hr_setup() {
	require_root
	require_cmd jq sha256sum stat nsenter unshare
	require_busybox
	build_probe
	T=$(mktemp -d /tmp/hrt.XXXXXX)
	BUNDLE=$T/bundle
	RROOT=$T/runc-root
	CROOT=$T/crun-root
	POLICY=$T/policy.json
	ID=hrt-$BATS_TEST_NUMBER-$$-$RANDOM
	NSFILE=
	HR_NCAP=0
	write_policy '{"runtime":"runc"}'
	export T BUNDLE RROOT CROOT POLICY ID
}

hr_teardown() {
	[ -n "${T:-}" ] && [ -d "$T" ] || return 0
	local d
	for d in "$RROOT"/*/; do
		[ -d "$d" ] || continue
		runc --root "$RROOT" delete --force "$(basename "$d")" >/dev/null 2>&1 || true
	done
	for d in "$CROOT"/*/; do
		[ -d "$d" ] || continue
		crun_ns crun --root "$CROOT" delete --force "$(basename "$d")" >/dev/null 2>&1 || true
	done
	if [ -n "$NSFILE" ]; then
		umount -l "$NSFILE" 2>/dev/null || true
		umount -l "$T/ns" 2>/dev/null || true
	fi
	rm -rf "$T"
}

write_policy() { # JSON text
	printf '%s\n' "$1" >"$POLICY"
}

# A fresh copy of a busybox rootfs with the probe at /bin/probe, made from a
# template built once per .bats file.
make_rootfs() { # DIR
	local tpl=$BATS_FILE_TMPDIR/rootfs bb a
	if [ ! -d "$tpl" ]; then
		bb=$(busybox_path)
		mkdir -p "$tpl.tmp/bin" "$tpl.tmp/etc"
		cp "$bb" "$tpl.tmp/bin/busybox"
		for a in $("$bb" --list); do
			[ "$a" = busybox ] || ln -sf busybox "$tpl.tmp/bin/$a"
		done
		mkdir -p "$tpl.tmp"/{proc,sys,dev,tmp,var/tmp,var/log,var/cache,run,root}
		chmod 1777 "$tpl.tmp/tmp" "$tpl.tmp/var/tmp"
		printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' \
			>"$tpl.tmp/etc/passwd"
		printf 'root:x:0:\nnogroup:x:65534:\n' >"$tpl.tmp/etc/group"
		mv "$tpl.tmp" "$tpl"
	fi
	cp -a "$tpl" "$1"
	cp "$PROBE" "$1/bin/probe"
}

# make_bundle DIR [ARG...]: a bundle whose process runs ARGs (default: the
# probe's report).  The config is `runc spec`'s, made deliberately
# non-compliant the way engines' configs are: writable root and no
# noNewPrivileges, so that hardening is visible from inside.
make_bundle() {
	local dir=$1
	shift
	[ $# -gt 0 ] || set -- /bin/probe
	mkdir -p "$dir"
	make_rootfs "$dir/rootfs"
	runc spec --bundle "$dir"
	# shellcheck disable=SC2016 # $a is jq's
	jq_config "$dir/config.json" --argjson a "$(json_array "$@")" '.process.args = $a |
		.process.terminal = false | .root.readonly = false |
		.process.noNewPrivileges = false'
}

# The arguments as a JSON array of strings.  (Not jq --args: jq 1.6 still
# parses options such as -c among the positional arguments.)
json_array() {
	local arr='[]' a
	for a in "$@"; do
		arr=$(jq -c --arg a "$a" '. + [$a]' <<<"$arr")
	done
	printf '%s\n' "$arr"
}

# jq_config FILE [JQ OPTIONS] FILTER [ARGS]: edit a config in place.
jq_config() {
	local f=$1
	shift
	jq "$@" <"$f" >"$f.jq" && cat "$f.jq" >"$f" && rm -f "$f.jq"
}

# Set process.args of a bundle's config.
set_args() { # DIR ARG...
	local dir=$1
	shift
	# shellcheck disable=SC2016 # $a is jq's
	jq_config "$dir/config.json" --argjson a "$(json_array "$@")" '.process.args = $a'
}

# ---- running things -----------------------------------------------------------

# hardrun with the test's policy; HR_ARGV0 replaces the path run (e.g. a
# hardrun-crun symlink).
hr() {
	HARDRUN_POLICY=$POLICY "${HR_ARGV0:-$HARDRUN}" "$@"
}
hr_runc() { hr --root "$RROOT" "$@"; }
runc_r() { runc --root "$RROOT" "$@"; }

# The persistent crun mount namespace (see the top of this file).
crun_ns_setup() {
	mkdir -p "$T/ns"
	mount --bind "$T/ns" "$T/ns"
	mount --make-private "$T/ns"
	touch "$T/ns/mnt"
	NSFILE=$T/ns/mnt
	unshare --mount="$NSFILE" --propagation private sh -c \
		'if grep -q " /sys/fs/cgroup/unified " /proc/self/mountinfo; then
			umount /sys/fs/cgroup/unified; fi'
}
crun_ns() {
	if [ -n "${NSFILE:-}" ]; then
		nsenter --mount="$NSFILE" "$@"
	else
		"$@"
	fi
}
hr_crun() { HARDRUN_POLICY=$POLICY crun_ns "${HR_ARGV0:-$HARDRUN}" --root "$CROOT" "$@"; }
crun_r() { crun_ns crun --root "$CROOT" "$@"; }

# capture CMD...: run CMD with stdin from /dev/null and stdout/stderr in
# fresh files $CAP_OUT/$CAP_ERR (files, not pipes: a detached container keeps
# its stdio open, and a pipe would never see EOF).  Sets $status, $output
# (stdout), $stderr and the arrays $lines/$stderr_lines like bats' run.
capture() {
	HR_NCAP=$((HR_NCAP + 1))
	CAP_OUT=$T/cap$HR_NCAP.out
	CAP_ERR=$T/cap$HR_NCAP.err
	status=0
	"$@" </dev/null >"$CAP_OUT" 2>"$CAP_ERR" || status=$?
	output=$(cat "$CAP_OUT")
	stderr=$(cat "$CAP_ERR")
	# shellcheck disable=SC2034 # read by the tests, as after bats' run
	mapfile -t lines <"$CAP_OUT"
	mapfile -t stderr_lines <"$CAP_ERR"
	printf '# $ %s\n# status %s\n' "$*" "$status" >&2
	if [ -s "$CAP_ERR" ]; then sed 's/^/# stderr: /' "$CAP_ERR" >&2; fi
}

# ---- assertions ---------------------------------------------------------------
# Each prints what it saw before failing, so a failure explains itself.

fail() {
	printf '%s\n' "$*" >&2
	return 1
}

assert_status() { # expected
	[ "$status" -eq "$1" ] || fail "expected status $1, got $status; stdout: $output; stderr: ${stderr:-}"
}

assert_failure() {
	[ "$status" -ne 0 ] || fail "expected a non-zero status; stdout: $output; stderr: ${stderr:-}"
}

assert_eq() { # actual expected [what]
	[ "$1" = "$2" ] || fail "${3:-value}: expected '$2', got '$1'"
}

assert_match() { # string ERE [what]
	[[ $1 =~ $2 ]] || fail "${3:-value}: '$1' does not match /$2/"
}

assert_no_stderr() {
	[ ! -s "$CAP_ERR" ] || fail "expected nothing on stderr, got: $(cat "$CAP_ERR")"
}

assert_no_stdout() {
	[ ! -s "$CAP_OUT" ] || fail "expected nothing on stdout, got: $(cat "$CAP_OUT")"
}

# The value of KEY in the probe report held in $output (or in $2).
probe_get() { # KEY [REPORT]
	awk -v k="$1=" 'index($0, k) == 1 { print substr($0, length(k) + 1); found = 1; exit }
		END { exit !found }' <<<"${2-$output}"
}

assert_probe() { # KEY EXPECTED
	local v
	v=$(probe_get "$1") || fail "probe printed no $1; its output was:
$output"
	[ "$v" = "$2" ] || fail "probe: $1 is '$v', expected '$2'; full report:
$output"
}

# A tmpfs mount at PATH with nosuid and nodev, according to the probe.
assert_probe_tmpfs() { # PATH
	assert_probe "mount_fstype_$1" tmpfs || return 1
	local opts
	opts=$(probe_get "mount_opts_$1")
	[[ ,$opts, == *,nosuid,* && ,$opts, == *,nodev,* && ,$opts, == *,rw,* ]] ||
		fail "mount at $1 has options '$opts', expected rw,nosuid,nodev"
}

# The hardened view from inside: what the implemented knobs guarantee.
# (Written with "|| return 1" so that it also works as a condition, where
# bash ignores set -e.)
assert_probe_hardened() {
	assert_probe NoNewPrivs 1 || return 1
	assert_probe root_writable "0 EROFS" || return 1
	assert_probe tmp_writable 1 || return 1
	local p
	for p in /tmp /var/tmp /run /var/log /var/cache; do
		assert_probe "writable_$p" 1 || return 1
		assert_probe_tmpfs "$p" || return 1
	done
	assert_probe mode_/tmp 1777 || return 1
	assert_probe mode_/var/tmp 1777
}

# The unhardened view: the bundle as make_bundle wrote it.
assert_probe_unhardened() {
	assert_probe NoNewPrivs 0 || return 1
	assert_probe root_writable 1 || return 1
	assert_probe mount_fstype_/tmp none
}

sha() { sha256sum <"$1" | cut -d' ' -f1; }

# inode, mtime (ns), size, mode, owner and content hash of a file.
file_id() { printf '%s %s\n' "$(stat -c '%i %.9Y %s %a %u:%g' "$1")" "$(sha "$1")"; }

# The config as hardrun must leave it once hardened by the implemented knobs.
# Each of the default writable paths has exactly one mount, a tmpfs with
# nosuid,nodev (and for /tmp, /var/tmp mode=1777).
assert_config_hardened() { # CONFIG
	jq -e '.process.noNewPrivileges == true and .root.readonly == true' "$1" >/dev/null ||
		fail "config $1 is not hardened: $(jq -c '{nnp: .process.noNewPrivileges, root}' "$1")"
	local p
	for p in /tmp /var/tmp /run /var/log /var/cache; do
		jq -e --arg p "$p" '[.mounts[] | select(.destination == $p)] | length == 1 and
			(.[0] | .type == "tmpfs" and (.options | index("nosuid") and index("nodev")) and
			 (if $p == "/tmp" or $p == "/var/tmp" then .options | index("mode=1777") else true end))' \
			"$1" >/dev/null ||
			fail "config $1: mount at $p: $(jq -c --arg p "$p" '[.mounts[] | select(.destination == $p)]' "$1")"
	done
}

# A failure before exec (DESIGN §1.2): status non-zero, nothing on stdout,
# exactly one "hardrun: " line on stderr matching ERE, and, given a --log
# file, exactly one JSON line {"level":"error","msg":<that line>,"time":RFC3339}.
assert_hardrun_error() { # ERE [LOGFILE]
	assert_failure
	assert_no_stdout
	local n
	n=$(wc -l <"$CAP_ERR")
	if [ "$n" -ne 1 ] || [ "$(tail -c1 "$CAP_ERR" | od -An -c | tr -d ' ')" != '\n' ]; then
		fail "expected exactly one line on stderr, got $n: $(cat "$CAP_ERR")"
	fi
	[[ ${stderr_lines[0]} == "hardrun: "* ]] || fail "stderr does not start with 'hardrun: ': $stderr"
	grep -Eq -- "$1" "$CAP_ERR" || fail "stderr does not match /$1/: $stderr"
	[ $# -ge 2 ] || return 0
	[ -f "$2" ] || fail "no log file $2 was written"
	n=$(wc -l <"$2")
	[ "$n" -eq 1 ] || fail "expected one line in $2, got $n: $(cat "$2")"
	jq -e --arg msg "${stderr_lines[0]}" '
		(keys == ["level", "msg", "time"]) and .level == "error" and .msg == $msg and
		(.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$"))
	' "$2" >/dev/null || fail "bad log line in $2 (stderr was: $stderr): $(cat "$2")"
}

# No container ID exists in the runc root.
assert_no_container() { # ID
	! runc_r state "$1" >/dev/null 2>&1 || fail "container $1 exists"
	[ ! -e "$RROOT/$1" ] || fail "state dir $RROOT/$1 exists"
}

# Wait until the runtime reports STATUS for ID (runc_r or crun_r).
wait_status() { # RUNTIME-FN ID STATUS
	local s='' _
	for _ in $(seq 50); do
		s=$("$1" state "$2" 2>/dev/null | jq -r .status) || s=
		[ "$s" = "$3" ] && return 0
		sleep 0.1
	done
	fail "container $2 did not reach status $3 (last: '$s')"
}
