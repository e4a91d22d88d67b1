#!/usr/bin/env bats
# hardrun -> crun: the same core checks as runc.bats.  crun cannot run with
# this host's hybrid cgroup layout, so every crun (and hardrun -> crun) call
# runs in a private mount namespace without the cgroup2 mount; see
# crun_ns_setup in helpers.bash.

load helpers

setup() {
	hr_setup
	require_cmd crun
	require_hardrun
	make_bundle "$BUNDLE"
	write_policy '{"runtime":"crun"}'
	crun_ns_setup
}

teardown() {
	hr_teardown
}

@test "crun: hardrun run gives no_new_privs, a read-only root and writable tmpfs" {
	capture hr_crun run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stderr
	assert_probe_hardened
	assert_config_hardened "$BUNDLE/config.json"
	[ ! -e "$CROOT/$ID" ]
}

@test "crun: the same bundle through plain crun is not hardened (the probe checks can fail)" {
	capture crun_r run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_probe_unhardened
	if (assert_probe_hardened 2>/dev/null); then
		fail "assert_probe_hardened accepted an unhardened container"
	fi
}

@test "crun: image content under /var/cache survives the tmpfs (tmpcopyup)" {
	echo "hrt-marker-$ID" >"$BUNDLE/rootfs/var/cache/marker"
	set_args "$BUNDLE" /bin/sh -c \
		'cat /var/cache/marker && grep " /var/cache " /proc/self/mountinfo'
	capture hr_crun run -b "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stderr
	assert_eq "${lines[0]}" "hrt-marker-$ID" "/var/cache/marker in the container"
	assert_match "${lines[1]}" ' - tmpfs ' "mountinfo line of /var/cache"
}

@test "crun: create --pid-file, state, start, exec, ps, kill, delete through hardrun" {
	set_args "$BUNDLE" /bin/probe sleep 60
	capture hr_crun create --pid-file "$T/init.pid" --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stdout
	assert_no_stderr
	assert_config_hardened "$BUNDLE/config.json"
	local pid
	pid=$(cat "$T/init.pid")
	assert_match "$pid" '^[1-9][0-9]*$' "pid file"

	capture hr_crun state "$ID"
	assert_status 0
	assert_no_stderr
	jq -e --arg id "$ID" --argjson pid "$pid" \
		'.id == $id and .status == "created" and .pid == $pid' "$CAP_OUT" >/dev/null
	crun_r state "$ID" >"$T/crun-state.json"
	cmp "$CAP_OUT" "$T/crun-state.json"

	capture hr_crun start "$ID"
	assert_status 0
	assert_no_stdout
	assert_no_stderr
	wait_status crun_r "$ID" running
	grep -q '^NoNewPrivs:[[:space:]]*1$' "/proc/$pid/status"

	# Unlike runc, crun runs a flags-only exec as uid 0 without no_new_privs
	# (whatever config.json says), so hardrun wants both flags (exec.bats).
	capture hr_crun exec --user 65534:65534 --no-new-privs "$ID" /bin/probe
	assert_status 0
	assert_no_stderr
	assert_probe NoNewPrivs 1
	assert_probe root_writable "0 EROFS"
	assert_probe tmp_writable 1

	capture hr_crun ps --format json "$ID"
	assert_status 0
	assert_no_stderr
	jq -e --argjson pid "$pid" 'type == "array" and index($pid) != null' "$CAP_OUT" >/dev/null

	capture hr_crun kill "$ID" TERM
	assert_status 0
	assert_no_stderr
	wait_status crun_r "$ID" stopped

	capture hr_crun delete "$ID"
	assert_status 0
	assert_no_stdout
	assert_no_stderr
	[ ! -e "$CROOT/$ID" ]
}

@test "crun: run -d through hardrun starts a hardened detached container" {
	set_args "$BUNDLE" /bin/probe sleep 60
	capture hr_crun run -d --pid-file "$T/init.pid" -b "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stdout
	assert_no_stderr
	wait_status crun_r "$ID" running
	grep -q '^NoNewPrivs:[[:space:]]*1$' "/proc/$(cat "$T/init.pid")/status"

	capture hr_crun delete --force "$ID"
	assert_status 0
	assert_no_stderr
	[ ! -e "$CROOT/$ID" ]
}

@test "crun: a binary named hardrun-crun picks crun when the policy names no runtime" {
	mkdir "$T/bin"
	ln -s "$HARDRUN" "$T/bin/hardrun-crun"
	write_policy '{}'
	# The container's stdout is create's stdout: the probe report lands in CAP_OUT.
	HR_ARGV0=$T/bin/hardrun-crun capture hr_crun create -b "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stdout
	assert_no_stderr
	local out=$CAP_OUT
	# crun's own state dir format (runc would have written state.json)
	[ -f "$CROOT/$ID/status" ]
	[ ! -e "$CROOT/$ID/state.json" ]
	crun_r start "$ID"
	wait_status crun_r "$ID" stopped
	output=$(cat "$out")
	assert_probe_hardened
}

@test "crun: --config FILE is the file hardened, resolved against the cwd; config.json untouched" {
	cp "$BUNDLE/config.json" "$T/alt.json"
	local before
	before=$(file_id "$BUNDLE/config.json")
	# nsenter starts in the namespace's root, so cd inside it: -f is relative to the cwd.
	# shellcheck disable=SC2016 # expanded by the inner sh
	HARDRUN_POLICY=$POLICY capture crun_ns sh -c \
		'cd "$1" && exec "$2" --root "$3" run -f alt.json --bundle "$4" "$5"' \
		sh "$T" "$HARDRUN" "$CROOT" "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stderr
	assert_probe_hardened
	assert_config_hardened "$T/alt.json"
	assert_eq "$(file_id "$BUNDLE/config.json")" "$before" "the bundle's own config.json"
}
