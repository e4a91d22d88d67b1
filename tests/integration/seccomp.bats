#!/usr/bin/env bats
# The seccomp knob, seen from inside real containers: try-syscall
# (tests/probe/try-syscall.c) makes each call hardrun's profile denies and
# prints the errno it gets, then makes the calls every program makes.
# Through hardrun -> runc and hardrun -> crun, for a config without a
# profile (what Docker's --security-opt seccomp=unconfined writes) and for
# one carrying Docker's default profile, and in learning mode.

load helpers

setup() {
	hr_setup
	require_hardrun
	make_bundle "$BUNDLE" /bin/try-syscall
	install_try_syscall "$BUNDLE"
}

teardown() {
	hr_teardown
}

# What hardrun's profile answers, whoever runs the container.
DENIED_EPERM=(keyctl add_key request_key bpf perf_event_open userfaultfd unshare_newuser
	clone_newuser mount ptrace personality_read_implies_exec socket_af_alg socket_af_vsock)
DENIED_ENOSYS=(clone3 io_uring_setup)
# Numbers outside the profile: a syscall newer than the libseccomp hardrun is
# built with (fchmodat2, Linux 6.6) and one past every table.
OUTSIDE=(fchmodat2 beyond_table)
ORDINARY=(threads fork_exec socket_unix socket_inet socket_netlink files)

assert_denied() { # ERRNO-FOR-OUTSIDE
	local k
	assert_probe Seccomp 2 || return 1
	for k in "${DENIED_EPERM[@]}"; do [ -z "$k" ] || assert_probe "$k" EPERM || return 1; done
	for k in "${DENIED_ENOSYS[@]}"; do assert_probe "$k" ENOSYS || return 1; done
	for k in "${OUTSIDE[@]}"; do assert_probe "$k" "$1" || return 1; done
}

assert_ordinary() {
	local k
	for k in "${ORDINARY[@]}"; do assert_probe "$k" ok || return 1; done
}

with_docker_profile() {
	# shellcheck disable=SC2016 # $d is jq's
	jq_config "$BUNDLE/config.json" --slurpfile d "$HR_TOP/tests/data/docker.json" \
		'.linux.seccomp = $d[0].linux.seccomp'
}

@test "seccomp: without hardrun the probe's calls reach the kernel (the checks can fail)" {
	require_cmd runc
	capture runc_r run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_probe Seccomp 0
	assert_probe keyctl EOPNOTSUPP
	assert_probe clone3 EINVAL
	assert_probe io_uring_setup EFAULT
	# This kernel has no AF_ALG: unfiltered, socket(AF_ALG) fails with
	# EAFNOSUPPORT (or works, on a kernel that has it), never EPERM.
	local alg
	alg=$(probe_get socket_af_alg)
	[[ $alg == EAFNOSUPPORT || $alg == 0 ]] || fail "unfiltered socket(AF_ALG) gave $alg"
	assert_ordinary
	if (assert_denied ENOSYS 2>/dev/null); then
		fail "assert_denied accepted an unfiltered container"
	fi
}

@test "seccomp: runc: a config without linux.seccomp runs under hardrun's profile" {
	require_cmd runc
	jq -e '.linux.seccomp == null' "$BUNDLE/config.json" >/dev/null
	capture hr_runc run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stderr
	assert_denied ENOSYS
	assert_ordinary
	jq -e '.linux.seccomp.defaultAction == "SCMP_ACT_ERRNO" and .linux.seccomp.defaultErrnoRet == 38' \
		"$BUNDLE/config.json" >/dev/null || fail "config: $(jq -c '.linux.seccomp | del(.syscalls)' "$BUNDLE/config.json")"
}

@test "seccomp: crun: a config without linux.seccomp runs under hardrun's profile" {
	require_cmd crun
	write_policy '{"runtime":"crun"}'
	crun_ns_setup
	capture hr_crun run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stderr
	assert_denied ENOSYS
	assert_ordinary
}

@test "seccomp: runc: linux.seccomp null (unconfined) is still filtered" {
	require_cmd runc
	jq_config "$BUNDLE/config.json" '.linux.seccomp = null'
	capture hr_runc run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_denied ENOSYS
	assert_ordinary
}

@test "seccomp: runc: Docker's default profile, merged" {
	require_cmd runc
	with_docker_profile
	capture hr_runc run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stderr
	# Docker's EPERM default stays; runc 1.1 answers ENOSYS for syscalls
	# numbered above every syscall the filter names.
	assert_denied ENOSYS
	assert_ordinary
	jq -e '.linux.seccomp.defaultAction == "SCMP_ACT_ERRNO" and .linux.seccomp.defaultErrnoRet == null' \
		"$BUNDLE/config.json" >/dev/null
}

@test "seccomp: crun: Docker's default profile, merged" {
	require_cmd crun
	write_policy '{"runtime":"crun"}'
	crun_ns_setup
	with_docker_profile
	capture hr_crun run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stderr
	# crun has no ENOSYS stub: outside both profiles Docker's EPERM default answers.
	assert_denied EPERM
	assert_ordinary
}

@test "seccomp: crun: Podman's default profile, merged" {
	require_cmd crun
	write_policy '{"runtime":"crun"}'
	crun_ns_setup
	# shellcheck disable=SC2016 # $d is jq's
	jq_config "$BUNDLE/config.json" --slurpfile d "$HR_TOP/tests/data/podman.json" \
		'.linux.seccomp = $d[0].linux.seccomp'
	capture hr_crun run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stderr
	# Podman allowed keyctl, mount, unshare and clone with any flags; not any more.
	assert_probe keyctl EPERM
	assert_probe mount EPERM
	assert_probe unshare_newuser EPERM
	assert_probe clone_newuser EPERM
	assert_probe socket_af_alg EPERM
	assert_probe clone3 ENOSYS
	assert_probe io_uring_setup ENOSYS
	# Its personality rules are within ours and stay: READ_IMPLIES_EXEC falls
	# to its default, ENOSYS, as does everything outside both profiles.
	assert_probe personality_read_implies_exec ENOSYS
	assert_probe beyond_table ENOSYS
	assert_ordinary
}

@test "seccomp: runc: a denylist profile (default ALLOW), merged" {
	require_cmd runc
	# shellcheck disable=SC2016 # $d is jq's
	jq_config "$BUNDLE/config.json" --slurpfile d "$HR_TOP/tests/data/seccomp/denylist.json" \
		'.linux.seccomp = $d[0]'
	# The denylist kills the process for ptrace: that harsher decision stays.
	set_args "$BUNDLE" /bin/try-syscall ptrace
	capture hr_runc run --bundle "$BUNDLE" "$ID-ptrace"
	assert_status $((128 + 31))
	assert_probe Seccomp 2
	set_args "$BUNDLE" /bin/try-syscall -x ptrace
	capture hr_runc run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stderr
	DENIED_EPERM=("${DENIED_EPERM[@]/ptrace/}")
	assert_denied ENOSYS
	assert_ordinary
	jq -e '.linux.seccomp.defaultAction == "SCMP_ACT_ERRNO" and .linux.seccomp.defaultErrnoRet == 38' \
		"$BUNDLE/config.json" >/dev/null
}

@test "seccomp: runc: an exec'd process is filtered too" {
	require_cmd runc
	set_args "$BUNDLE" /bin/sleep 60
	capture hr_runc run -d --bundle "$BUNDLE" "$ID"
	assert_status 0
	capture hr_runc exec "$ID" /bin/try-syscall keyctl clone3
	assert_status 0
	assert_probe Seccomp 2
	assert_probe keyctl EPERM
	assert_probe clone3 ENOSYS
}

# Lines of the kernel log after the first N.
kmsg_after() { # N
	dmesg | tail -n +"$(($1 + 1))"
}

@test "seccomp: runc: learning mode blocks nothing and the kernel logs what would be blocked" {
	require_cmd runc dmesg
	dmesg >/dev/null 2>&1 || skip "cannot read the kernel log (dmesg)"
	write_policy '{"runtime":"runc","seccomp":{"learn":true}}'
	local before log
	before=$(dmesg | wc -l)
	# One denied call first, so that the kernel's rate limit cannot hide its record.
	set_args "$BUNDLE" /bin/try-syscall keyctl
	capture hr_runc run --bundle "$BUNDLE" "$ID-one"
	assert_status 0
	assert_probe Seccomp 2
	assert_probe keyctl EOPNOTSUPP
	log=$(kmsg_after "$before")
	# SECCOMP_RET_LOG records: type=1326, code=0x7ffc0000; keyctl is 250 on x86_64.
	[[ $log == *'type=1326'*'comm="try-syscall"'*'syscall=250 '*'code=0x7ffc0000'* ]] ||
		fail "no SCMP_ACT_LOG record for keyctl in the kernel log: $log"
	jq -e '.linux.seccomp.defaultAction == "SCMP_ACT_LOG"' "$BUNDLE/config.json" >/dev/null

	set_args "$BUNDLE" /bin/try-syscall
	capture hr_runc run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_probe Seccomp 2
	assert_probe keyctl EOPNOTSUPP
	assert_probe clone3 EINVAL
	assert_probe io_uring_setup EFAULT
	assert_probe mount EFAULT
	assert_ordinary
}

@test "seccomp: refuse mode refuses a config without linux.seccomp and records why" {
	require_cmd runc
	write_policy "{\"runtime\":\"runc\",\"mode\":\"refuse\",\"audit_file\":\"$T/audit.jsonl\"}"
	capture hr_runc run --bundle "$BUNDLE" "$ID"
	assert_hardrun_error "refusing container $ID: .*\(policy knob .*mode refuse"
	assert_no_container "$ID"
	jq -e '.changes | any(.knob == "seccomp" and .path == "linux.seccomp" and .before == null and
		.after.profile == "default" and .after.defaultErrnoRet == 38)' "$T/audit.jsonl" >/dev/null ||
		fail "no seccomp change in the audit record: $(cat "$T/audit.jsonl")"
}

@test "seccomp: a broken container profile is refused with what to do" {
	require_cmd runc
	jq_config "$BUNDLE/config.json" \
		'.linux.seccomp = {"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_PERMIT"}]}'
	capture hr_runc run --bundle "$BUNDLE" "$ID"
	assert_hardrun_error 'knob seccomp: linux.seccomp.syscalls\[0\]: unknown action "SCMP_ACT_PERMIT"; fix the container.s seccomp profile'
	assert_no_container "$ID"
}
