#!/usr/bin/env bats
# The policy seen from inside real containers: a config that asks for
# everything comes out hardened, baseline keeps root with the compat set,
# and rules and io.hardrun.* annotations pick the level per container.

load helpers

# Every capability this kernel knows (CAP_LAST_CAP is 40 on this kernel).
ALL_CAPS='["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_DAC_READ_SEARCH","CAP_FOWNER","CAP_FSETID",
"CAP_KILL","CAP_SETGID","CAP_SETUID","CAP_SETPCAP","CAP_LINUX_IMMUTABLE","CAP_NET_BIND_SERVICE",
"CAP_NET_BROADCAST","CAP_NET_ADMIN","CAP_NET_RAW","CAP_IPC_LOCK","CAP_IPC_OWNER","CAP_SYS_MODULE",
"CAP_SYS_RAWIO","CAP_SYS_CHROOT","CAP_SYS_PTRACE","CAP_SYS_PACCT","CAP_SYS_ADMIN","CAP_SYS_BOOT",
"CAP_SYS_NICE","CAP_SYS_RESOURCE","CAP_SYS_TIME","CAP_SYS_TTY_CONFIG","CAP_MKNOD","CAP_LEASE",
"CAP_AUDIT_WRITE","CAP_AUDIT_CONTROL","CAP_SETFCAP","CAP_MAC_OVERRIDE","CAP_MAC_ADMIN",
"CAP_SYSLOG","CAP_WAKE_ALARM","CAP_BLOCK_SUSPEND","CAP_AUDIT_READ","CAP_PERFMON","CAP_BPF",
"CAP_CHECKPOINT_RESTORE"]'

setup() {
	hr_setup
	require_cmd runc
	require_hardrun
	make_bundle "$BUNDLE"
}

teardown() {
	hr_teardown
}

# As permissive as a config gets: every capability in every set, ambient
# included, uid 0 with groups, no masked or read-only paths, a writable
# root, no pids limit.
make_permissive() {
	# shellcheck disable=SC2016 # $caps is jq's
	jq_config "$BUNDLE/config.json" --argjson caps "$ALL_CAPS" '
		.process.capabilities = {bounding: $caps, effective: $caps, permitted: $caps,
			inheritable: $caps, ambient: $caps} |
		.process.user = {uid: 0, gid: 0, additionalGids: [0, 1, 2]} |
		.process.noNewPrivileges = false | .root.readonly = false |
		.linux.maskedPaths = [] | .linux.readonlyPaths = [] |
		del(.linux.resources.pids)'
}

@test "policy: a maximally permissive config comes out hardened, seen from inside" {
	make_permissive
	capture hr_runc run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stderr
	assert_probe uid 65534
	assert_probe gid 65534
	assert_probe groups ""
	assert_probe CapEff 0000000000000000
	assert_probe CapBnd 0000000000000000
	assert_probe CapAmb 0000000000000000
	assert_probe NoNewPrivs 1
	assert_probe root_writable "0 EROFS"
	assert_probe tmp_writable 1
	assert_probe writable_/run 1
}

@test "policy: the same permissive config through plain runc keeps root and its capabilities" {
	make_permissive
	# This host's bounding set lacks CAP_SYS_RESOURCE, which plain runc cannot
	# grant (see TESTING.md), so ask it for the others only.
	jq_config "$BUNDLE/config.json" '.process.capabilities |= map_values(map(select(. != "CAP_SYS_RESOURCE")))'
	capture runc_r run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_probe uid 0
	assert_probe NoNewPrivs 0
	[ "$(probe_get CapEff)" != 0000000000000000 ] || fail "plain runc gave no capabilities"
	[ "$(probe_get CapAmb)" != 0000000000000000 ] || fail "plain runc gave no ambient capabilities"
}

@test "policy: kernel paths are masked and /proc/sys is read-only in a permissive config" {
	make_permissive
	# shellcheck disable=SC2016 # expanded by the container's shell
	set_args "$BUNDLE" sh -c 'for f in /proc/timer_list /proc/interrupts /proc/keys; do
		printf "%s %s\n" "$f" "$(wc -c <"$f")"; done
		printf "firmware %s\n" "$(ls -A /sys/firmware | wc -l)"
		grep -E " /proc/sys " /proc/self/mountinfo | cut -d" " -f6'
	capture hr_runc run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stderr
	assert_eq "${lines[0]}" "/proc/timer_list 0" "masked /proc/timer_list"
	assert_eq "${lines[1]}" "/proc/interrupts 0" "masked /proc/interrupts"
	assert_eq "${lines[2]}" "/proc/keys 0" "masked /proc/keys"
	assert_eq "${lines[3]}" "firmware 0" "masked /sys/firmware"
	assert_match "${lines[4]}" '(^|,)ro(,|$)' "/proc/sys mount options"
}

@test "policy: /proc/timer_list and /proc/interrupts are readable without hardrun (the masking test can fail)" {
	make_permissive
	set_args "$BUNDLE" sh -c 'wc -c </proc/timer_list; wc -c </proc/interrupts'
	jq_config "$BUNDLE/config.json" '.process.capabilities = {}'
	capture runc_r run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[ "${lines[0]}" -gt 0 ] && [ "${lines[1]}" -gt 0 ] ||
		fail "unmasked files read empty: ${lines[*]}"
}

@test "policy: a fork loop stops at the pids limit, and the container still exits" {
	make_permissive
	# At most 5000, so that a missing limit fails the test rather than the host.
	set_args "$BUNDLE" /bin/probe fork 5000
	capture hr_runc run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stderr
	assert_probe fork_error EAGAIN
	local n
	n=$(probe_get forked)
	[ "$n" -lt 2048 ] && [ "$n" -gt 1000 ] ||
		fail "forked $n processes, expected fewer than the pids limit of 2048"
	jq -e '.linux.resources.pids.limit == 2048' "$BUNDLE/config.json" >/dev/null ||
		fail "pids limit in config: $(jq -c .linux.resources.pids "$BUNDLE/config.json")"
}

@test "policy: the non-root process binds :80 and pings without any capability" {
	make_permissive
	# shellcheck disable=SC2016 # expanded by the container's shell
	set_args "$BUNDLE" sh -c 'echo "uid=$(id -u)"; grep CapEff /proc/self/status | tr -d "\t" | tr : =
		exec /bin/probe net'
	capture hr_runc run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stderr
	assert_probe uid 65534
	assert_probe CapEff 0000000000000000
	assert_probe bind_tcp_80 1
	assert_probe icmp_dgram 1
}

@test "policy: baseline keeps root with the compat capability set only" {
	make_permissive
	write_policy '{"runtime": "runc", "level": "baseline"}'
	capture hr_runc run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stderr
	assert_probe uid 0
	# CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID NET_BIND_SERVICE
	assert_probe CapEff 00000000000004fb
	assert_probe CapBnd 00000000000004fb
	assert_probe CapAmb 0000000000000000
	assert_probe NoNewPrivs 1
	assert_probe root_writable 1
}

@test "policy: a rule on io.kubernetes.pod.namespace gives that namespace its level" {
	make_permissive
	write_policy '{"runtime": "runc", "rules": [{"name": "system pods",
		"match": {"annotations": {"io.kubernetes.pod.namespace": "kube-*"}}, "level": "baseline"}],
		"audit_file": "'"$T/audit.jsonl"'"}'
	jq_config "$BUNDLE/config.json" '.annotations["io.kubernetes.pod.namespace"] = "kube-system"'
	capture hr_runc run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_probe uid 0
	assert_probe CapEff 00000000000004fb
	jq -e -s 'length == 1 and .[0].rule == "system pods" and .[0].level == "baseline"' \
		"$T/audit.jsonl" >/dev/null || fail "audit record: $(cat "$T/audit.jsonl")"

	# Another namespace does not match: restricted.
	hr_runc delete --force "$ID" >/dev/null 2>&1 || true
	make_bundle "$T/b2"
	jq_config "$T/b2/config.json" '.annotations["io.kubernetes.pod.namespace"] = "default"'
	capture hr_runc run --bundle "$T/b2" "$ID-2"
	assert_status 0
	assert_probe uid 65534
	assert_probe CapEff 0000000000000000
}

@test "policy: io.hardrun.level may tighten a baseline policy" {
	write_policy '{"runtime": "runc", "level": "baseline"}'
	jq_config "$BUNDLE/config.json" '.annotations["io.hardrun.level"] = "restricted"'
	capture hr_runc run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_probe uid 65534
	assert_probe root_writable "0 EROFS"
}

@test "policy: io.hardrun.level=baseline cannot relax restricted: refused, logged, config unchanged" {
	jq_config "$BUNDLE/config.json" '.annotations["io.hardrun.level"] = "baseline"'
	local before
	before=$(file_id "$BUNDLE/config.json")
	capture hr_runc --log "$T/log.json" --log-format json run --bundle "$BUNDLE" "$ID"
	assert_hardrun_error "refusing container $ID: .*io.hardrun.level=baseline would relax level restricted" "$T/log.json"
	assert_eq "$(file_id "$BUNDLE/config.json")" "$before" "config.json"
	assert_no_container "$ID"
}

@test "policy: annotation_may_relax lets io.hardrun.level relax, and only then" {
	write_policy '{"runtime": "runc", "annotation_may_relax": ["level"]}'
	jq_config "$BUNDLE/config.json" '.annotations["io.hardrun.level"] = "baseline"'
	capture hr_runc run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_probe uid 0
	assert_probe root_writable 1
}

@test "policy: a broken rule refuses every container, matching or not" {
	write_policy '{"runtime": "runc", "rules": [{"match": {"id": "nothing-*"}, "capabilities": {"allowed": ["CAP_NOPE"]}}]}'
	local before
	before=$(file_id "$BUNDLE/config.json")
	capture hr_runc --log "$T/log.json" --log-format json run --bundle "$BUNDLE" "$ID"
	assert_hardrun_error 'rules\[0\]: line 1: knob capabilities.allowed: "CAP_NOPE" is not a capability' "$T/log.json"
	assert_eq "$(file_id "$BUNDLE/config.json")" "$before" "config.json"
}

@test "policy: an unknown capability in the config is refused, config unchanged" {
	jq_config "$BUNDLE/config.json" '.process.capabilities.bounding += ["CAP_WIZARDRY"]'
	local before
	before=$(file_id "$BUNDLE/config.json")
	capture hr_runc --log "$T/log.json" --log-format json run --bundle "$BUNDLE" "$ID"
	assert_hardrun_error '"CAP_WIZARDRY" is not a capability name' "$T/log.json"
	assert_eq "$(file_id "$BUNDLE/config.json")" "$before" "config.json"
}
