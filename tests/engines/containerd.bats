#!/usr/bin/env bats
# shellcheck disable=SC2154 # $output, $stderr: set by capture (helpers)
# containerd 1.6 (private instance, tests/engines.sh): `ctr run --runc-binary
# hardrun`, the runc-v2 shim path that Kubernetes takes.  containerd drops
# the runtime's stderr and shows the msg of the last error line of log.json.

load helpers

# ctr's default spec mounts its own tmpfs at /run (nosuid, no nodev), which
# hardrun keeps.
CTR_TMPFS=/run

setup() {
	require_containerd
}

teardown() {
	if [ -n "${ID:-}" ] && [ -n "${CTR_SOCK:-}" ]; then
		ct tasks kill -s KILL "$ID" >/dev/null 2>&1
		ct tasks rm -f "$ID" >/dev/null 2>&1
		ct containers rm "$ID" >/dev/null 2>&1
	fi
	engine_teardown
}

# Wait until a task is RUNNING.
wait_task() { # ID
	local s='' _
	for _ in $(seq 50); do
		s=$(ct tasks ls | awk -v id="$1" '$1 == id { print $3 }')
		[ "$s" = RUNNING ] && return 0
		sleep 0.1
	done
	fail "task $1 is not running (last: '$s')"
}

# ctr's spec mounts no cgroupfs in the container: read the task's pids limit
# from the host, through its init's cgroup (v1 here, or the unified one).
task_pids_max() { # ID
	local pid cg
	pid=$(ct tasks ls | awk -v id="$1" '$1 == id { print $2 }')
	[ -n "$pid" ] || return 1
	cg=$(awk -F: '$2 == "pids" { print $3 }' "/proc/$pid/cgroup")
	if [ -n "$cg" ]; then
		cat "/sys/fs/cgroup/pids$cg/pids.max"
	else
		cg=$(awk -F: '$1 == "0" { print $3 }' "/proc/$pid/cgroup")
		cat "/sys/fs/cgroup$cg/pids.max"
	fi
}

@test "containerd: a default container has no_new_privs, a read-only root and writable tmpfs" {
	capture ct_run --rm -- "$ID" "${PROBE_CMD[@]}"
	assert_status 0
	assert_engine_base "$CTR_TMPFS"
}

@test "containerd: --read-only=false still gives a read-only root" {
	capture ct_run --rm --read-only=false -- "$ID" "${PROBE_CMD[@]}"
	assert_status 0
	assert_engine_base "$CTR_TMPFS"
}

@test "containerd: a plain runc container of the same image is not hardened" {
	capture ct run --rm hrt-bb:latest "$ID" "${PROBE_CMD[@]}"
	assert_status 0
	# (ctr itself asks for no_new_privs.)
	assert_probe NoNewPrivs 1
	assert_probe root_writable 1
	if (assert_engine_base "$CTR_TMPFS" 2>/dev/null); then
		fail "assert_engine_base accepted an unhardened container"
	fi
	# ctr's own spec has no seccomp filter and no pids limit: what hardrun's
	# knobs add below is visible.
	assert_probe Seccomp 0
	capture ct run -d hrt-bb:latest "$ID" /bin/probe sleep 600
	assert_status 0
	wait_task "$ID"
	assert_eq "$(task_pids_max "$ID")" max "the task's pids.max"
}

@test "containerd: capabilities of a default container are dropped to NET_BIND_SERVICE" {
	require_knob capabilities "capabilities dropped"
	capture ct_run --rm -- "$ID" "${PROBE_CMD[@]}"
	assert_status 0
	assert_caps_dropped
}

@test "containerd: a default container runs as uid 65534" {
	require_knob user "uid 0 runs as the fallback user"
	capture ct_run --rm -- "$ID" "${PROBE_CMD[@]}"
	assert_status 0
	assert_probe uid 65534
	assert_probe gid 65534
}

@test "containerd: the kernel paths are masked" {
	require_knob masked_paths "masked kernel paths"
	capture ct_run --rm -- "$ID" "${PROBE_CMD[@]}"
	assert_status 0
	assert_masked
}

@test "containerd: a container without a pids limit gets 2048" {
	require_knob 'limits|pids[a-z_]*' "the pids limit"
	capture ct_run -d -- "$ID" /bin/probe sleep 600
	assert_status 0
	wait_task "$ID"
	assert_eq "$(task_pids_max "$ID")" 2048 "the task's pids.max"
}

@test "containerd: a container without a seccomp filter gets one" {
	require_knob seccomp "hardrun's seccomp profile"
	capture ct_run --rm -- "$ID" "${PROBE_CMD[@]}"
	assert_status 0
	assert_probe Seccomp 2
}

@test "containerd: --cap-add of every capability comes out hardened" {
	# runc alone cannot grant CAP_SYS_RESOURCE on this host.
	require_knob capabilities "capabilities dropped"
	local caps=() c
	while read -r c; do
		caps+=(--cap-add "$c")
	done < <(awk '$1 == "#define" && $2 ~ /^CAP_[A-Z_]+$/ && $3 ~ /^[0-9]+$/ { print $2 }' \
		/usr/include/linux/capability.h 2>/dev/null)
	[ ${#caps[@]} -gt 0 ] || skip "no linux/capability.h to list the capabilities from"
	capture ct_run --rm "${caps[@]}" -- "$ID" "${PROBE_CMD[@]}"
	assert_status 0
	assert_engine_base "$CTR_TMPFS"
	assert_caps_dropped
	if have_knob user; then assert_probe uid 65534; fi
	if have_knob seccomp; then assert_probe Seccomp 2; fi
}

@test "containerd: --privileged is refused, and ctr shows hardrun's message" {
	require_knob devices "host devices refused"
	capture ct_run --privileged -- "$ID" /bin/true
	assert_failure
	assert_match "$stderr" "OCI runtime create failed: hardrun: refusing container $ID: .*privileged" \
		"ctr's error"
}

@test "containerd: a container refused by the policy fails, and ctr shows hardrun's message" {
	engine_policy '{"runtime": "runc", "mode": "refuse"}'
	capture ct_run -- "$ID" /bin/true
	assert_failure
	assert_match "$stderr" "^ctr: failed to create shim task: OCI runtime create failed: hardrun: refusing container $ID: .*\\(policy knob [a-z_]+, mode refuse; see hardrun-policy\\(5\\)\\)" \
		"ctr's error"
	# No task was left behind.
	capture ct tasks ls -q
	! grep -qx "$ID" <<<"$output" || fail "task $ID exists after a refusal"
}

@test "containerd: ctr task exec, kill and rm work through hardrun" {
	capture ct_run -d -- "$ID" /bin/probe sleep 600
	assert_status 0
	wait_task "$ID"
	capture ct tasks exec --exec-id "x$ID" "$ID" /bin/probe
	assert_status 0
	assert_probe root_writable "0 EROFS"
	assert_probe_tmpfs /tmp
	capture ct tasks exec --exec-id "y$ID" "$ID" /bin/sh -c 'echo hello >/tmp/x && cat /tmp/x'
	assert_status 0
	assert_eq "$output" hello "ctr task exec output"
	capture ct tasks kill -s TERM "$ID"
	assert_status 0
	local _ s=''
	for _ in $(seq 50); do
		s=$(ct tasks ls | awk -v id="$ID" '$1 == id { print $3 }')
		[ "$s" = STOPPED ] && break
		sleep 0.1
	done
	assert_eq "$s" STOPPED "task status after kill"
	capture ct tasks rm "$ID"
	assert_status 0
	capture ct containers rm "$ID"
	assert_status 0
	capture ct containers info "$ID"
	assert_failure
}

@test "containerd: an exec'd process is hardened like the container's init" {
	require_exec_hardening
	capture ct_run -d -- "$ID" /bin/probe sleep 600
	assert_status 0
	wait_task "$ID"
	capture ct tasks exec --exec-id "x$ID" "$ID" /bin/probe
	assert_status 0
	assert_probe NoNewPrivs 1
	if have_knob capabilities; then assert_caps_dropped; fi
	if have_knob user; then assert_probe uid 65534; fi
}
