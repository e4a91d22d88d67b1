#!/usr/bin/env bats
# The mounts knob through hardrun -> runc, seen from inside the container:
# bind mounts (and their submounts) are nosuid,nodev, /sys and the cgroup
# mount are read-only, and no mount event crosses between host and container.
# Each test starts from a permissive config and, where the point is what the
# knob prevents, also runs the same bundle through plain runc to show that
# the check can fail.

load helpers

setup() {
	hr_setup
	require_cmd runc mknod mount umount
	require_hardrun
	make_bundle "$BUNDLE"
}

teardown() {
	hr_umount_all
	hr_teardown
}

# Unmount everything this test mounted under $T, deepest first.
hr_umount_all() {
	[ -n "${T:-}" ] || return 0
	local m
	awk -v t="$T/" 'index($5, t) == 1 { print $5 }' /proc/self/mountinfo | sort -r |
		while read -r m; do umount -l "$m" 2>/dev/null || true; done
}

# A host directory with a device node (the host's /dev/null, c 1:3) in it and
# in a tmpfs mounted below it, so an rbind of it brings a submount along.
make_hostdir() { # DIR
	mkdir -p "$1/sub"
	mknod -m 666 "$1/null" c 1 3
	mount -t tmpfs -o size=1m hrt-sub "$1/sub"
	mknod -m 666 "$1/sub/null" c 1 3
}

# Reading the device nodes from inside, and the mount flags of /data and /data/sub.
DEVREAD='cat /data/null; echo "top=$?"; cat /data/sub/null; echo "sub=$?";
	grep -E " /data(/sub)? " /proc/self/mountinfo | cut -d" " -f5,6'

@test "mounts: a bind mount and its submount are nosuid,nodev; their device nodes do not open" {
	make_hostdir "$T/hostdir"
	# shellcheck disable=SC2016 # $d is jq's
	jq_config "$BUNDLE/config.json" --arg d "$T/hostdir" '.mounts += [{"destination": "/data",
		"type": "bind", "source": $d, "options": ["rbind", "rw", "suid", "dev"]}]'
	set_args "$BUNDLE" /bin/sh -c "$DEVREAD"
	cp "$BUNDLE/config.json" "$T/permissive.json"

	capture hr_runc run -b "$BUNDLE" "$ID"
	assert_status 0
	assert_match "$output" 'top=1' "reading /data/null (a device node on a nodev mount)"
	assert_match "$output" 'sub=1' "reading /data/sub/null (on the submount)"
	assert_match "$output" '/data [^ ]*nosuid,nodev' "flags of /data"
	assert_match "$output" '/data/sub [^ ]*nosuid,nodev' "flags of /data/sub"
	jq -e '.mounts[] | select(.destination == "/data") |
		.options == ["rbind", "rw", "nosuid", "nodev", "rnosuid", "rnodev"]' \
		"$BUNDLE/config.json" >/dev/null ||
		fail "options in the config: $(jq -c '.mounts[-1]' "$BUNDLE/config.json")"

	# The same permissive bundle through plain runc: both devices open.
	cp "$T/permissive.json" "$BUNDLE/config.json"
	capture runc_r run -b "$BUNDLE" "$ID-plain"
	assert_status 0
	assert_match "$output" 'top=0' "plain runc: /data/null"
	assert_match "$output" 'sub=0' "plain runc: /data/sub/null"
}

@test "mounts: through crun too, a bind mount and its submount are nosuid,nodev" {
	require_cmd crun
	write_policy '{"runtime": "crun"}'
	make_hostdir "$T/hostdir"
	crun_ns_setup # after the submount, so that crun's mount namespace has it
	# shellcheck disable=SC2016 # $d is jq's
	jq_config "$BUNDLE/config.json" --arg d "$T/hostdir" '.mounts += [{"destination": "/data",
		"type": "bind", "source": $d, "options": ["rbind", "rw", "suid", "dev"]}]'
	set_args "$BUNDLE" /bin/sh -c "$DEVREAD"
	cp "$BUNDLE/config.json" "$T/permissive.json"
	capture hr_crun run -b "$BUNDLE" "$ID"
	assert_status 0
	assert_match "$output" 'top=1' "crun: reading /data/null"
	assert_match "$output" 'sub=1' "crun: reading /data/sub/null"

	cp "$T/permissive.json" "$BUNDLE/config.json"
	capture crun_r run -b "$BUNDLE" "$ID-plain"
	assert_status 0
	assert_match "$output" 'top=0' "plain crun: /data/null"
	assert_match "$output" 'sub=0' "plain crun: /data/sub/null"
}

@test "mounts: with bind_recursive false, only the top of an rbind is nosuid,nodev" {
	write_policy '{"runtime": "runc", "mounts": {"bind_recursive": false}}'
	make_hostdir "$T/hostdir"
	# shellcheck disable=SC2016 # $d is jq's
	jq_config "$BUNDLE/config.json" --arg d "$T/hostdir" '.mounts += [{"destination": "/data",
		"type": "bind", "source": $d, "options": ["rbind"]}]'
	set_args "$BUNDLE" /bin/sh -c "$DEVREAD"
	capture hr_runc run -b "$BUNDLE" "$ID"
	assert_status 0
	assert_match "$output" 'top=1' "reading /data/null"
	assert_match "$output" 'sub=0' "reading /data/sub/null: the submount keeps dev"
}

@test "mounts: Docker-style file bind mounts still work (rbind of a file with rnosuid,rnodev)" {
	printf 'hrt-hosts-%s\n' "$ID" >"$T/hosts"
	# shellcheck disable=SC2016 # $f is jq's
	jq_config "$BUNDLE/config.json" --arg f "$T/hosts" '.mounts += [{"destination": "/etc/hosts",
		"type": "bind", "source": $f, "options": ["rbind", "rprivate"]}]'
	set_args "$BUNDLE" /bin/sh -c 'cat /etc/hosts; grep " /etc/hosts " /proc/self/mountinfo'
	capture hr_runc run -b "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stderr
	assert_eq "${lines[0]}" "hrt-hosts-$ID" "/etc/hosts in the container"
	assert_match "${lines[1]}" ' /etc/hosts [^ ]*nosuid,nodev' "mountinfo of /etc/hosts"
}

# The container reports its sysfs and cgroup mounts as "MOUNTPOINT FLAGS" lines
# and, with WRITE=1, tries to create a file in /sys and a cgroup in the first
# cgroup mount.  Nothing reaches the host: sysfs refuses to create files either
# way (EROFS only when read-only), and the mkdir is only tried where it must fail.
# shellcheck disable=SC2016 # for the container's shell
SYSCHECK='grep -E " - (sysfs|cgroup|cgroup2) " /proc/self/mountinfo | cut -d" " -f5,6
	if [ "$WRITE" = 1 ]; then
		touch /sys/hrt-probe 2>&1
		c=$(grep -E " - cgroup2? " /proc/self/mountinfo | head -n1 | cut -d" " -f5)
		mkdir "$c/hrt-probe" 2>&1 && rmdir "$c/hrt-probe"
	fi
	true'

@test "mounts: /sys and the cgroup mounts are read-only even when the config asks for rw" {
	jq_config "$BUNDLE/config.json" '(.mounts[] | select(.destination == "/sys" or
		.destination == "/sys/fs/cgroup") | .options) |= (map(select(. != "ro")) + ["rw"])'
	jq -e '[.mounts[] | select(.destination == "/sys" or .destination == "/sys/fs/cgroup") |
		.options | index("rw")] | length == 2' "$BUNDLE/config.json" >/dev/null
	cp "$BUNDLE/config.json" "$T/permissive.json"

	set_args "$BUNDLE" /bin/sh -c "WRITE=1; $SYSCHECK"
	capture hr_runc run -b "$BUNDLE" "$ID"
	assert_status 0
	assert_match "$output" "touch: /sys/hrt-probe: Read-only file system" "touch in /sys"
	assert_match "$output" "mkdir: can't create directory '[^']*/hrt-probe': Read-only file system" \
		"mkdir of a cgroup"
	assert_match "$output" '(^|
)/sys ro,' "mount flags of /sys"
	local line n=0
	while read -r line; do
		case $line in /sys/fs/cgroup*)
			n=$((n + 1))
			[[ $line == *" ro,"* ]] || fail "a cgroup mount is not read-only: $line" ;;
		esac
	done <<<"$output"
	[ "$n" -gt 0 ] || fail "no cgroup mount in the container: $output"

	# The same permissive config through plain runc: all of them are writable.
	cp "$T/permissive.json" "$BUNDLE/config.json"
	set_args "$BUNDLE" /bin/sh -c "WRITE=0; $SYSCHECK"
	capture runc_r run -b "$BUNDLE" "$ID-plain"
	assert_status 0
	assert_match "$output" '(^|
)/sys rw,' "plain runc: mount flags of /sys"
	assert_match "$output" '(^|
)/sys/fs/cgroup[^ ]* rw,' "plain runc: mount flags of a cgroup mount"
}

# Start the container in the background; it waits for $T/shared/go, then reports
# what is mounted under /shared.  Meanwhile the host mounts a tmpfs at
# $T/shared/sub: with propagation from the host, the container sees it.
propagation_run() { # RUNNER ID
	rm -f "$T/shared/ready" "$T/shared/go"
	umount "$T/shared/sub" 2>/dev/null || true
	"$1" run -b "$BUNDLE" "$2" </dev/null >"$T/prop.out" 2>"$T/prop.err" &
	local pid=$! _
	for _ in $(seq 100); do
		[ -e "$T/shared/ready" ] && break
		sleep 0.1
	done
	[ -e "$T/shared/ready" ] || { kill "$pid"; fail "the container did not start: $(cat "$T/prop.err")"; }
	mount -t tmpfs -o size=1m hrt-late "$T/shared/sub"
	touch "$T/shared/go"
	wait "$pid" || fail "the container failed: $(cat "$T/prop.err")"
	output=$(cat "$T/prop.out")
	printf '# %s\n' "$output" >&2
}

@test "mounts: rootfs propagation is rprivate; a host mount made later stays out of the container" {
	mkdir -p "$T/shared/sub"
	chmod 1777 "$T/shared" # the container's process may run as any user
	mount --bind "$T/shared" "$T/shared"
	mount --make-shared "$T/shared"
	# shellcheck disable=SC2016 # $d is jq's
	jq_config "$BUNDLE/config.json" --arg d "$T/shared" '.linux.rootfsPropagation = "rshared" |
		.mounts += [{"destination": "/shared", "type": "bind", "source": $d,
		"options": ["rbind", "rshared"]}]'
	# shellcheck disable=SC2016 # for the container's shell
	set_args "$BUNDLE" /bin/sh -c 'touch /shared/ready
		while [ ! -e /shared/go ]; do sleep 0.1; done
		if grep -q " /shared/sub " /proc/self/mountinfo; then echo sub=mounted; else echo sub=none; fi'
	cp "$BUNDLE/config.json" "$T/permissive.json"

	propagation_run hr_runc "$ID"
	assert_eq "$output" "sub=none" "the host's new mount in the container"
	jq -e '.linux.rootfsPropagation == "rprivate"' "$BUNDLE/config.json" >/dev/null

	# runc's own default (rslave) lets the host's mount in: the check can fail.
	jq 'del(.linux.rootfsPropagation) | (.mounts[-1].options) = ["rbind"]' \
		"$T/permissive.json" >"$BUNDLE/config.json"
	propagation_run runc_r "$ID-plain"
	assert_eq "$output" "sub=mounted" "plain runc: the host's new mount in the container"
}
