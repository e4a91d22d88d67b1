#!/usr/bin/env bats
# The knobs masked_paths, readonly_paths, sysctls, limits and annotations,
# seen from inside real containers through hardrun -> runc (and crun), each
# against a config that asks for the opposite.  The same bundle through the
# plain runtime shows that each check can fail.
#
# This kernel has no /proc/kcore and no thermal_throttle directories (see
# TESTING.md), so masking is checked on /proc/keys, /proc/timer_list,
# /proc/interrupts and /sys/firmware; the thermal_throttle glob is covered
# by the unit tests with a fake host.

load helpers

setup() {
	hr_setup
	require_cmd runc
	require_hardrun
	make_bundle "$BUNDLE"
}

teardown() {
	hr_teardown
}

# A process that holds no capability at all, as uid:gid 1000:1000 (the user
# knob does not touch a non-root uid).
unprivileged() { # DIR
	jq_config "$1/config.json" '.process.user = {uid: 1000, gid: 1000} |
		.process.capabilities = {bounding: [], effective: [], permitted: [], inheritable: [],
			ambient: []}'
}

# A refusal before exec: nothing ran, the message is the last line of the
# engine's log, and config.json is byte for byte what it was.
assert_refused() { # ERE CONFIG-ID-BEFORE
	assert_hardrun_error "$1" "$T/log.json"
	assert_eq "$(file_id "$BUNDLE/config.json")" "$2" "config.json"
	assert_no_container "$ID"
}

# The one audit record in $T/audit.jsonl has a violation of KNOB at PATH.
assert_audit_violation() { # KNOB PATH
	jq -e --arg k "$1" --arg p "$2" \
		'[.violations[] | select(.knob == $k and .path == $p)] | length == 1' \
		"$T/audit.jsonl" >/dev/null || fail "no $1 violation at $2 in: $(cat "$T/audit.jsonl")"
}

# ---- masked_paths, readonly_paths ----------------------------------------------

# shellcheck disable=SC2016 # expanded by the container's sh
MASK_SCRIPT='for f in /proc/keys /proc/timer_list /proc/interrupts; do
		echo "$f $(wc -c <$f) $(stat -c %t:%T $f)"; done
	echo "/sys/firmware $(ls -A /sys/firmware | wc -l)"
	echo 1 >/proc/sys/kernel/domainname && echo "domainname written"
	echo done'

@test "paths: a config without masked or read-only paths gets them: /proc files read empty, /proc/sys is read-only" {
	jq_config "$BUNDLE/config.json" 'del(.linux.maskedPaths) | del(.linux.readonlyPaths)'
	set_args "$BUNDLE" /bin/sh -c "$MASK_SCRIPT"
	capture hr_runc run --bundle "$BUNDLE" "$ID"
	assert_status 0
	# masked files are /dev/null (char 1:3) bind-mounted over them
	assert_eq "${lines[0]}" "/proc/keys 0 1:3" "/proc/keys"
	assert_eq "${lines[1]}" "/proc/timer_list 0 1:3" "/proc/timer_list"
	assert_eq "${lines[2]}" "/proc/interrupts 0 1:3" "/proc/interrupts"
	assert_eq "${lines[3]}" "/sys/firmware 0" "entries in /sys/firmware"
	assert_match "$(cat "$CAP_ERR")" 'domainname: Read-only file system' "writing /proc/sys"
	assert_eq "${lines[4]}" "done"
	jq -e '(.linux.maskedPaths | index("/proc/keys") and index("/proc/interrupts") and
		index("/sys/firmware") and index("/proc/kcore")) and
		(.linux.readonlyPaths | index("/proc/sys") and index("/proc/sysrq-trigger"))' \
		"$BUNDLE/config.json" >/dev/null ||
		fail "config: $(jq -c '.linux | {maskedPaths, readonlyPaths}' "$BUNDLE/config.json")"
}

@test "paths: the same bundle through plain runc shows the files and writes /proc/sys" {
	jq_config "$BUNDLE/config.json" 'del(.linux.maskedPaths) | del(.linux.readonlyPaths)'
	set_args "$BUNDLE" /bin/sh -c "$MASK_SCRIPT"
	capture runc_r run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_match "${lines[1]}" '^/proc/timer_list [1-9][0-9]* 0:0$' "/proc/timer_list unmasked"
	assert_match "${lines[2]}" '^/proc/interrupts [1-9][0-9]* 0:0$' "/proc/interrupts unmasked"
	assert_match "${lines[3]}" '^/sys/firmware [1-9][0-9]*$' "/sys/firmware unmasked"
	assert_eq "${lines[4]}" "domainname written" "writing /proc/sys"
}

@test "paths: the config's own list is kept first and the missing ones are appended, once" {
	jq_config "$BUNDLE/config.json" '.linux.maskedPaths = ["/proc/keys", "/proc//keys", "/opt/x"]'
	capture hr_runc run --bundle "$BUNDLE" "$ID"
	assert_status 0
	jq -e '.linux.maskedPaths[0:3] == ["/proc/keys", "/proc//keys", "/opt/x"] and
		([.linux.maskedPaths[] | select(. == "/proc/keys")] | length == 1) and
		(.linux.maskedPaths | index("/proc/timer_list") and index("/sys/fs/selinux"))' \
		"$BUNDLE/config.json" >/dev/null ||
		fail "maskedPaths: $(jq -c .linux.maskedPaths "$BUNDLE/config.json")"
}

# ---- sysctls ------------------------------------------------------------------

@test "sysctls: a process without capabilities binds :80 and opens a ping socket in its own netns" {
	unprivileged "$BUNDLE"
	set_args "$BUNDLE" /bin/probe net
	capture hr_runc run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stderr
	assert_probe bind_tcp_80 1
	assert_probe icmp_dgram 1
	assert_probe port_start 0
	assert_probe ping_group_range "$(printf '0\t2147483647')"
	jq -e '.linux.sysctl == {"net.ipv4.ip_unprivileged_port_start": "0",
		"net.ipv4.ping_group_range": "0 2147483647"}' "$BUNDLE/config.json" >/dev/null
}

@test "sysctls: through plain runc the same process can neither bind :80 nor ping" {
	unprivileged "$BUNDLE"
	set_args "$BUNDLE" /bin/probe net
	capture runc_r run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_probe bind_tcp_80 "0 EACCES"
	assert_probe icmp_dgram "0 EACCES"
}

@test "sysctls: busybox nc listens on :80 as uid 1000" {
	unprivileged "$BUNDLE"
	# shellcheck disable=SC2016 # expanded by the container's sh
	set_args "$BUNDLE" /bin/sh -c 'nc -l -p 80 & pid=$!
		i=0
		while [ $i -lt 100 ]; do
			if grep -Eq "^ *[0-9]+: 0+:0050 0+:0000 0A " /proc/net/tcp /proc/net/tcp6; then
				echo listening; kill $pid; exit 0
			fi
			kill -0 $pid 2>/dev/null || { wait $pid; echo "nc exited with $?"; exit 1; }
			sleep 0.1; i=$((i + 1))
		done
		echo "no listener"; exit 1'
	capture hr_runc run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_eq "$output" listening "nc -l -p 80"
}

@test "sysctls: a narrower value from the config is kept" {
	unprivileged "$BUNDLE"
	jq_config "$BUNDLE/config.json" '.linux.sysctl = {"net/ipv4/ip_unprivileged_port_start": "1024"}'
	set_args "$BUNDLE" /bin/probe net
	capture hr_runc run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_probe port_start 1024
	assert_probe bind_tcp_80 "0 EACCES"
	assert_probe icmp_dgram 1
	jq -e '.linux.sysctl == {"net/ipv4/ip_unprivileged_port_start": "1024",
		"net.ipv4.ping_group_range": "0 2147483647"}' "$BUNDLE/config.json" >/dev/null
}

@test "sysctls: an unsafe sysctl is refused and nothing runs" {
	write_policy "{\"runtime\":\"runc\",\"audit_file\":\"$T/audit.jsonl\"}"
	jq_config "$BUNDLE/config.json" '.linux.sysctl = {"kernel.panic": "1"}'
	local before
	before=$(file_id "$BUNDLE/config.json")
	capture hr_runc --log "$T/log.json" --log-format json run --bundle "$BUNDLE" "$ID"
	assert_refused 'refusing container .*: sysctl kernel\.panic is not allowed; remove it, or allow it in the policy.s sysctls\.allowed \(policy knob sysctls, mode enforce' "$before"
	assert_audit_violation sysctls linux.sysctl.kernel.panic
}

@test "sysctls: an IPC sysctl while sharing the host's IPC namespace is refused" {
	write_policy "{\"runtime\":\"runc\",\"audit_file\":\"$T/audit.jsonl\"}"
	jq_config "$BUNDLE/config.json" '.linux.sysctl = {"kernel/shmmax": "1048576"} |
		.linux.namespaces |= map(select(.type != "ipc"))'
	local before
	before=$(file_id "$BUNDLE/config.json")
	capture hr_runc --log "$T/log.json" --log-format json run --bundle "$BUNDLE" "$ID"
	assert_refused 'refusing container ' "$before"
	assert_audit_violation sysctls linux.sysctl.kernel/shmmax
	jq -e '.violations[] | select(.knob == "sysctls") | .message |
		test("shares with the host, so setting it would change the host")' \
		"$T/audit.jsonl" >/dev/null
}

@test "sysctls: a container in a sibling's network namespace gets nothing added" {
	# A long-running container plays the pod sandbox that owns the netns.
	local sandbox=$T/sandbox
	make_bundle "$sandbox" /bin/probe sleep 60
	capture hr_runc run -d --pid-file "$T/sandbox.pid" --bundle "$sandbox" "$ID-sandbox"
	assert_status 0
	unprivileged "$BUNDLE"
	# shellcheck disable=SC2016 # $ns is jq's
	jq_config "$BUNDLE/config.json" --arg ns "/proc/$(cat "$T/sandbox.pid")/ns/net" \
		'.linux.namespaces |= map(if .type == "network" then .path = $ns else . end)'
	set_args "$BUNDLE" /bin/probe net
	capture hr_runc run --bundle "$BUNDLE" "$ID"
	assert_status 0
	jq -e '.linux.sysctl == null' "$BUNDLE/config.json" >/dev/null ||
		fail "sysctls added: $(jq -c .linux.sysctl "$BUNDLE/config.json")"
	# The sandbox itself was hardened in its own netns; the joiner sees that.
	assert_probe port_start 0
}

# ---- limits -----------------------------------------------------------------

@test "limits: a fork loop is stopped by the pids limit and the container exits cleanly" {
	write_policy '{"runtime": "runc", "limits": {"pids": 40}}'
	jq_config "$BUNDLE/config.json" '.linux.resources.pids = {limit: -1}'
	set_args "$BUNDLE" /bin/sh -c 'cat /sys/fs/cgroup/pids/pids.max; exec /bin/probe fork 100000'
	capture hr_runc run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_eq "${lines[0]}" 40 "pids.max in the container"
	assert_probe fork_error EAGAIN
	local n
	n=$(probe_get forked)
	[ "$n" -gt 0 ] && [ "$n" -lt 40 ] || fail "forked $n children under a limit of 40"
	jq -e '.linux.resources.pids.limit == 40' "$BUNDLE/config.json" >/dev/null
}

@test "limits: the default pids limit is 2048; plain runc has none" {
	set_args "$BUNDLE" /bin/cat /sys/fs/cgroup/pids/pids.max
	capture runc_r run --bundle "$BUNDLE" "$ID-plain"
	assert_status 0
	assert_eq "$output" max "pids.max under plain runc"
	capture hr_runc run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_eq "$output" 2048 "pids.max through hardrun"
}

@test "limits: nofile is capped to 1024 soft and core files are off" {
	jq_config "$BUNDLE/config.json" '.process.rlimits = [
		{type: "RLIMIT_NOFILE", soft: 4096, hard: 8192},
		{type: "RLIMIT_CORE", soft: 1048576, hard: 1048576}]'
	set_args "$BUNDLE" /bin/sh -c 'ulimit -n; ulimit -Hn; ulimit -c; ulimit -Hc'
	capture runc_r run --bundle "$BUNDLE" "$ID-plain"
	assert_status 0
	assert_eq "${lines[*]}" "4096 8192 2048 2048" "ulimits under plain runc (core in 512-byte blocks)"
	capture hr_runc run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_eq "${lines[*]}" "1024 8192 0 0" "ulimits through hardrun"
}

# The hard limit hardrun adds: the policy's, unless the runtime's own (which
# hardrun has, and passes on through exec) is lower.
expected_nofile_hard() {
	local own
	own=$(ulimit -Hn)
	if [ "$own" = unlimited ] || [ "$own" -gt 524288 ]; then echo 524288; else echo "$own"; fi
}

@test "limits: a config without rlimits gets nofile and core, within the runtime's own hard limit" {
	jq_config "$BUNDLE/config.json" 'del(.process.rlimits)'
	set_args "$BUNDLE" /bin/sh -c 'ulimit -n; ulimit -Hn; ulimit -c; ulimit -Hc'
	capture hr_runc run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_eq "${lines[*]}" "1024 $(expected_nofile_hard) 0 0" "ulimits through hardrun"
}

@test "limits: a nofile hard limit above the runtime's own is lowered, so the container starts" {
	# Podman's default is 1048576, more than this host lets runc set.
	jq_config "$BUNDLE/config.json" '.process.rlimits = [
		{type: "RLIMIT_NOFILE", soft: 1048576, hard: 1048576}]'
	set_args "$BUNDLE" /bin/sh -c 'ulimit -n; ulimit -Hn'
	capture hr_runc run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_eq "${lines[*]}" "1024 $(expected_nofile_hard)" "ulimits through hardrun"
}

@test "limits: crun starts the container with the added rlimits too" {
	require_cmd crun
	write_policy '{"runtime":"crun"}'
	crun_ns_setup
	jq_config "$BUNDLE/config.json" 'del(.process.rlimits)'
	set_args "$BUNDLE" /bin/sh -c 'ulimit -n; ulimit -Hn; ulimit -c'
	capture hr_crun run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_eq "${lines[*]}" "1024 $(expected_nofile_hard) 0" "ulimits through hardrun -> crun"
}

# ---- annotations ----------------------------------------------------------------

@test "annotations: crun's run.oci.seccomp_bpf_data is stripped and the container starts" {
	require_cmd crun
	write_policy '{"runtime":"crun"}'
	crun_ns_setup
	# Not valid BPF: crun would install it in place of the config's seccomp filter.
	jq_config "$BUNDLE/config.json" '.annotations = {"run.oci.seccomp_bpf_data": "!!not-bpf!!",
		"com.example.keep": "yes"}'
	set_args "$BUNDLE" /bin/echo started
	capture crun_r run --bundle "$BUNDLE" "$ID-plain"
	assert_failure
	assert_match "$(cat "$CAP_ERR")" 'seccomp' "plain crun reads the annotation"
	capture hr_crun run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_eq "$output" started
	jq -e '.annotations == {"com.example.keep": "yes"}' "$BUNDLE/config.json" >/dev/null ||
		fail "annotations: $(jq -c .annotations "$BUNDLE/config.json")"
}

@test "annotations: every removal is in the audit record, and io.hardrun.* stays" {
	write_policy "{\"runtime\":\"runc\",\"audit_file\":\"$T/audit.jsonl\"}"
	jq_config "$BUNDLE/config.json" '.annotations = {"org.systemd.property.CPUQuota": "0",
		"bundle": "/elsewhere", "io.hardrun.level": "restricted", "org.criu.config": "/x"}'
	capture hr_runc run --bundle "$BUNDLE" "$ID"
	assert_status 0
	jq -e '.annotations == {"io.hardrun.level": "restricted"}' "$BUNDLE/config.json" >/dev/null
	jq -e '[.changes[] | select(.knob == "annotations")] == [
		{knob: "annotations", path: "annotations.org.systemd.property.CPUQuota", before: "0"},
		{knob: "annotations", path: "annotations.bundle", before: "/elsewhere"},
		{knob: "annotations", path: "annotations.org.criu.config", before: "/x"}]' \
		"$T/audit.jsonl" >/dev/null || fail "audit record: $(cat "$T/audit.jsonl")"
}
