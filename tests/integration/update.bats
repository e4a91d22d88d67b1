#!/usr/bin/env bats
# update (DESIGN §2): the limits the policy caps cannot be raised or removed
# on a running container, whether the update comes as flags, a --resources
# file or JSON on stdin (containerd's `update --resources=- ID`).  What the
# cgroup says afterwards is read from the host.

load helpers

setup() {
	hr_setup
	require_cmd runc
	require_hardrun
	make_bundle "$BUNDLE" /bin/probe sleep 60
	capture hr_runc run -d --bundle "$BUNDLE" "$ID"
	assert_status 0
	wait_status runc_r "$ID" running
}

teardown() {
	hr_teardown
}

# A file of the container's cgroup v1 controller (this host's layout), e.g.
# pids pids.max, found through its init's /proc/PID/cgroup.
cgroup_file() { # CONTROLLER FILE
	local pid path
	pid=$(runc_r state "$ID" | jq -r .pid)
	path=$(awk -F: -v c="$1" '{ n = split($2, a, ","); for (i = 1; i <= n; i++)
		if (a[i] == c) print $3 }' "/proc/$pid/cgroup")
	cat "/sys/fs/cgroup/$1$path/$2"
}

@test "update: --pids-limit -1 and above the cap are refused, and the cgroup keeps 2048" {
	assert_eq "$(cgroup_file pids pids.max)" 2048 "pids.max after create"
	capture hr_runc --log "$T/log.json" --log-format json update --pids-limit -1 "$ID"
	assert_hardrun_error "refusing update of container $ID: update --pids-limit would remove the pids limit, which the policy caps at 2048" "$T/log.json"
	capture hr_runc update --pids-limit=5000 "$ID"
	assert_hardrun_error "would raise the pids limit to 5000, above the policy's cap of 2048"
	assert_eq "$(cgroup_file pids pids.max)" 2048 "pids.max after the refusals"
}

@test "update: plain runc does remove the pids limit (the check can fail)" {
	capture runc_r update --pids-limit -1 "$ID"
	assert_status 0
	assert_eq "$(cgroup_file pids pids.max)" max "pids.max through plain runc"
}

@test "update: a lower pids limit goes through, from a flag and from stdin" {
	capture hr_runc update --pids-limit 100 "$ID"
	assert_status 0
	assert_no_stderr
	assert_eq "$(cgroup_file pids pids.max)" 100 "pids.max after --pids-limit 100"
	# containerd's form: the JSON on stdin, which hardrun reads and hands on.
	local st=0
	printf '{"pids": {"limit": 50}}' | hr_runc update --resources=- "$ID" 2>"$T/err" || st=$?
	assert_eq "$st" 0 "status of update --resources=- ($(cat "$T/err"))"
	assert_eq "$(cgroup_file pids pids.max)" 50 "pids.max after the stdin update"
}

@test "update: --resources on stdin or in a file that removes the limit is refused" {
	local st=0
	printf '{"pids": {"limit": -1}}' | hr_runc update -r - "$ID" 2>"$T/err" || st=$?
	[ "$st" -ne 0 ] || fail "update from stdin went through"
	grep -q "update --resources would remove the pids limit" "$T/err" || fail "stderr: $(cat "$T/err")"
	printf '{"pids": {"limit": 4096}}' >"$T/res.json"
	capture hr_runc update --resources "$T/res.json" "$ID"
	assert_hardrun_error "update --resources would raise the pids limit to 4096"
	# runc ignores the flags next to --resources; hardrun checks both.
	printf '{"pids": {"limit": -1}}' >"$T/res.json"
	capture hr_runc update --pids-limit 10 --resources "$T/res.json" "$ID"
	assert_hardrun_error "update --resources would remove the pids limit"
	assert_eq "$(cgroup_file pids pids.max)" 2048 "pids.max after the refusals"
}

@test "update: memory and cpus, when the policy caps them" {
	hr_runc delete --force "$ID" >/dev/null 2>&1
	write_policy '{"runtime": "runc", "limits": {"memory": "256m", "cpus": 0.5}}'
	rm -rf "$BUNDLE"
	make_bundle "$BUNDLE" /bin/probe sleep 60
	capture hr_runc run -d --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_eq "$(cgroup_file memory memory.limit_in_bytes)" 268435456 "memory limit after create"

	capture hr_runc update --memory 1g "$ID"
	assert_hardrun_error "update --memory would raise the memory limit to 1073741824, above the policy's cap of 268435456"
	capture hr_runc update --memory -1 "$ID"
	assert_hardrun_error "update --memory would remove the memory limit"
	capture hr_runc update --memory 12x "$ID"
	assert_hardrun_error "cannot read update --memory \"12x\""
	capture hr_runc update --memory 128m "$ID"
	assert_status 0
	assert_eq "$(cgroup_file memory memory.limit_in_bytes)" 134217728 "memory limit after 128m"

	capture hr_runc update --cpu-quota -1 "$ID"
	assert_hardrun_error "update --cpu-quota would remove the cpu limit"
	# Half a cpu is 50000/100000; a shorter period with the same quota is more.
	capture hr_runc update --cpu-period 50000 "$ID"
	assert_hardrun_error "update --cpu-period would give 50000/50000 of a cpu, above the policy's cap of 500 thousandths"
	capture hr_runc update --cpu-quota 25000 "$ID"
	assert_status 0
	assert_eq "$(cgroup_file cpu cpu.cfs_quota_us)" 25000 "cpu quota after the update"
}

@test "update: audit mode lets a removal through and records it" {
	write_policy '{"runtime": "runc", "mode": "audit", "audit_file": "'"$T/audit.jsonl"'"}'
	capture hr_runc update --pids-limit -1 "$ID"
	assert_status 0
	assert_no_stderr
	assert_eq "$(cgroup_file pids pids.max)" max "pids.max in audit mode"
	jq -e -s 'length == 1 and .[0].command == "update" and .[0].decision == "audited" and
		.[0].violations[0].path == "linux.resources.pids.limit"' "$T/audit.jsonl" >/dev/null ||
		fail "audit record: $(cat "$T/audit.jsonl")"
}

@test "update: one that touches no capped limit is handed over without asking the runtime" {
	# The runtime is a script that records its calls: no `state` call.
	printf '#!/bin/sh\necho "$*" >>"%s"\n' "$T/calls" >"$T/fake-runc"
	chmod +x "$T/fake-runc"
	write_policy '{"runtime": "'"$T/fake-runc"'"}'
	capture hr_runc update --cpuset-cpus 0 "$ID"
	assert_status 0
	assert_eq "$(cat "$T/calls")" "--root $RROOT update --cpuset-cpus 0 $ID" "calls"
}
