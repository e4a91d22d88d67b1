#!/usr/bin/env bats
# Knob lsm for real (DESIGN §5): labels only where the host enforces the LSM.
# On a host that enforces neither AppArmor nor SELinux (the tests say so
# when they skip), a container gets no apparmorProfile, selinuxLabel or
# mountLabel and runs through runc; nothing is loaded or reserved; and
# lsm.mode "required" refuses.  The AppArmor profile itself is compiled
# with apparmor_parser, which needs no kernel support to do so.

load helpers

setup() {
	hr_setup
	require_hardrun
}

teardown() {
	hr_teardown
}

# Does this host enforce AppArmor or SELinux?
host_enforces_lsm() {
	[ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ] ||
		[ "$(cat /sys/fs/selinux/enforce 2>/dev/null)" = 1 ]
}

require_no_lsm() {
	if host_enforces_lsm; then
		skip "this host enforces AppArmor or SELinux"
	fi
}

# The MCS reservation file: on a host without SELinux hardrun never makes it.
MCS_FILE=/run/hardrun/mcs

@test "lsm: on a host without AppArmor and SELinux a container gets no label and runs through runc" {
	require_no_lsm
	require_cmd runc
	make_bundle "$BUNDLE"
	local had_mcs=0
	[ -e "$MCS_FILE" ] && had_mcs=1
	capture hr_runc run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stderr
	assert_probe_hardened
	jq -e '(.process | has("apparmorProfile") or has("selinuxLabel") | not) and
		(.linux | has("mountLabel") | not)' "$BUNDLE/config.json" >/dev/null ||
		fail "labels were added: $(jq -c '{process: (.process | {apparmorProfile, selinuxLabel}),
			mountLabel: .linux.mountLabel}' "$BUNDLE/config.json")"
	# The process really runs without one: the LSM attribute files say nothing.
	set_args "$BUNDLE" /bin/sh -c 'cat /proc/self/attr/current 2>&1; echo "status=$?"'
	capture hr_runc run --bundle "$BUNDLE" "$ID-attr"
	assert_status 0
	assert_match "$output" 'status=1' "reading /proc/self/attr/current"
	if [ "$had_mcs" = 0 ]; then
		[ ! -e "$MCS_FILE" ] || fail "$MCS_FILE was made on a host without SELinux"
	fi
}

@test "lsm: an engine's profile and label stay as the engine set them where the host enforces neither" {
	require_no_lsm
	require_cmd runc
	make_bundle "$BUNDLE"
	jq_config "$BUNDLE/config.json" '.process.apparmorProfile = "docker-default" |
		.process.selinuxLabel = "system_u:system_r:container_t:s0" |
		.linux.mountLabel = "system_u:object_r:container_file_t:s0"'
	# runc may refuse labels the host cannot apply; what matters is what hardrun wrote.
	capture hr_runc create --bundle "$BUNDLE" "$ID"
	jq -e '.process.apparmorProfile == "docker-default" and
		.process.selinuxLabel == "system_u:system_r:container_t:s0" and
		.linux.mountLabel == "system_u:object_r:container_file_t:s0" and
		.process.noNewPrivileges == true' "$BUNDLE/config.json" >/dev/null ||
		fail "labels changed: $(jq -c '[.process.apparmorProfile, .process.selinuxLabel,
			.linux.mountLabel]' "$BUNDLE/config.json")"
}

@test "lsm: lsm.mode required refuses this host, naming the knob, and loads or reserves nothing" {
	require_no_lsm
	require_cmd runc
	make_bundle "$BUNDLE"
	local had_mcs=0 before
	[ -e "$MCS_FILE" ] && had_mcs=1
	write_policy '{"runtime": "runc", "lsm": {"mode": "required"}}'
	before=$(file_id "$BUNDLE/config.json")
	capture hr_runc --log "$T/log.json" --log-format json create --bundle "$BUNDLE" "$ID"
	assert_hardrun_error "refusing container $ID: the host enforces neither AppArmor nor SELinux, and the policy requires one \(knob lsm.mode \"required\"\); enable one on the host, or set lsm.mode to \"when-available\" \(policy knob lsm, mode enforce; see hardrun-policy\(5\)\)$" "$T/log.json"
	assert_eq "$(file_id "$BUNDLE/config.json")" "$before" "config.json"
	assert_no_container "$ID"
	if [ "$had_mcs" = 0 ]; then
		[ ! -e "$MCS_FILE" ] || fail "$MCS_FILE was made"
	fi
}

@test "lsm: create, start and delete through hardrun leave no MCS reservation behind" {
	require_no_lsm
	require_cmd runc
	[ ! -e "$MCS_FILE" ] || skip "$MCS_FILE exists on this host"
	make_bundle "$BUNDLE" /bin/true
	capture hr_runc create --bundle "$BUNDLE" "$ID"
	assert_status 0
	capture hr_runc start "$ID"
	assert_status 0
	wait_status runc_r "$ID" stopped
	capture hr_runc delete "$ID"
	assert_status 0
	assert_no_container "$ID"
	[ ! -e "$MCS_FILE" ] || fail "$MCS_FILE exists after delete"
}

@test "lsm: hardrun-default compiles with apparmor_parser, and a broken copy does not" {
	require_cmd apparmor_parser
	local prof=$HR_TOP/profiles/apparmor/hardrun-default
	# -Q: do not load into the kernel; -K: no cache; -S: the compiled policy on stdout.
	capture apparmor_parser -Q -K -S "$prof"
	assert_status 0
	[ -s "$CAP_OUT" ] || fail "apparmor_parser compiled nothing"
	# the test can fail: the same profile without its closing brace
	sed '$d' "$prof" >"$T/broken"
	capture apparmor_parser -Q -K "$T/broken"
	assert_failure
	# shellcheck disable=SC2154 # set by capture
	assert_match "$stderr" 'syntax error' "apparmor_parser on the broken copy"
}

@test "lsm: apparmor_parser reads hardrun-default as the profile hardrun-default" {
	require_cmd apparmor_parser
	# -N: the names of the profiles in the file, one a line.
	capture apparmor_parser -N "$HR_TOP/profiles/apparmor/hardrun-default"
	assert_status 0
	assert_eq "$output" "hardrun-default" "profile names"
}
