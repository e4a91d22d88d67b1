#!/usr/bin/env bats
# exec hardening (DESIGN §3.6), seen from inside real containers: what an
# exec runs gets the container's process hardening, whether it comes as a
# --process file (containerd, Docker, CRI, Podman) or as flags; flags that
# would widen it are refused.

load helpers

# What `docker exec --privileged` hands the runtime: root with every
# capability in every set, no no_new_privs, nofile as high as this host
# lets the runtime set it.  (It also says AppArmor "unconfined", which runc
# cannot apply on a host without AppArmor: the first test adds that.)
PRIV_CAPS='["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FOWNER","CAP_KILL","CAP_SETGID","CAP_SETUID",
"CAP_NET_BIND_SERVICE","CAP_NET_ADMIN","CAP_NET_RAW","CAP_SYS_CHROOT","CAP_SYS_PTRACE","CAP_SYS_ADMIN",
"CAP_MKNOD","CAP_AUDIT_WRITE","CAP_SETFCAP"]'

setup() {
	hr_setup
	require_cmd runc
	require_hardrun
	make_bundle "$BUNDLE" /bin/probe sleep 60
}

teardown() {
	hr_teardown
}

# write_process FILE ARG...: a privileged process running ARGs.
write_process() {
	local f=$1
	shift
	# shellcheck disable=SC2016 # $caps, $args and $n are jq's
	jq -n --argjson caps "$PRIV_CAPS" --argjson args "$(json_array "$@")" \
		--argjson n "$(ulimit -Hn)" '{
		args: $args, cwd: "/", env: ["PATH=/bin"], terminal: false,
		user: {uid: 0, gid: 0, additionalGids: [0, 10]},
		capabilities: {bounding: $caps, effective: $caps, permitted: $caps,
			inheritable: $caps, ambient: $caps},
		noNewPrivileges: false,
		rlimits: [{type: "RLIMIT_NOFILE", hard: $n, soft: $n}]}' >"$f"
}

start_runc() {
	capture hr_runc run -d --bundle "$BUNDLE" "$ID"
	assert_status 0
	wait_status runc_r "$ID" running
}

@test "exec: runc: a privileged --process file is rewritten, and the exec'd process is hardened" {
	start_runc
	write_process "$T/process.json" /bin/probe
	jq_config "$T/process.json" '.apparmorProfile = "unconfined"'
	chmod 0640 "$T/process.json"
	capture hr_runc exec --process "$T/process.json" "$ID"
	assert_status 0
	assert_no_stderr
	assert_probe uid 65534
	assert_probe gid 65534
	assert_probe groups ""
	assert_probe CapEff 0000000000000000
	assert_probe CapBnd 0000000000000000
	assert_probe CapAmb 0000000000000000
	assert_probe NoNewPrivs 1
	assert_probe Seccomp 2
	# The file itself: hardened, same mode, args and env untouched.
	assert_eq "$(stat -c %a "$T/process.json")" 640 "mode of the rewritten file"
	jq -e '.user == {uid: 65534, gid: 65534} and .noNewPrivileges == true and
		(.capabilities | [.[]] | flatten | length == 0) and (has("apparmorProfile") | not) and
		.args == ["/bin/probe"] and .env == ["PATH=/bin"] and
		(.rlimits[] | select(.type == "RLIMIT_NOFILE") | .soft <= 1024)' \
		"$T/process.json" >/dev/null || fail "process file: $(jq -c . "$T/process.json")"
}

@test "exec: runc: the same --process file through plain runc runs as root with capabilities (the check can fail)" {
	start_runc
	write_process "$T/process.json" /bin/probe
	capture runc_r exec --process "$T/process.json" "$ID"
	assert_status 0
	assert_probe uid 0
	[ "$(probe_get CapEff)" != 0000000000000000 ] || fail "plain runc gave no capabilities"
	assert_probe NoNewPrivs 0
}

@test "exec: runc: without --process the exec'd process is the container's hardened one" {
	start_runc
	capture hr_runc exec "$ID" /bin/probe
	assert_status 0
	assert_no_stderr
	assert_probe uid 65534
	assert_probe CapEff 0000000000000000
	assert_probe NoNewPrivs 1
}

@test "exec: runc: --cap outside the allowed set is refused; the message is in log.json; nothing runs" {
	start_runc
	capture hr_runc --log "$T/log.json" --log-format json exec --cap CAP_SYS_ADMIN "$ID" \
		/bin/sh -c 'echo ran >/tmp/marker'
	assert_hardrun_error "refusing exec in container $ID: .*process.capabilities.bounding .*CAP_SYS_ADMIN.*drop the flag \(policy knob capabilities" "$T/log.json"
	capture hr_runc exec "$ID" /bin/cat /tmp/marker
	assert_failure
}

@test "exec: runc: --cap of an allowed capability runs with it" {
	start_runc
	capture hr_runc exec --cap CAP_NET_BIND_SERVICE "$ID" /bin/probe
	assert_status 0
	assert_no_stderr
	assert_probe CapBnd 0000000000000400
	assert_probe uid 65534
}

@test "exec: runc: -u 0 is refused, -u 1000:1000 runs, a name is refused" {
	start_runc
	capture hr_runc exec -u 0 "$ID" /bin/probe
	assert_hardrun_error "refusing exec in container $ID: the exec flags .* would give process.user.uid 0 where the policy allows 65534; drop the flag"
	capture hr_runc exec --user=0:0 "$ID" /bin/probe
	assert_hardrun_error "process.user.uid 0"
	capture hr_runc exec -u root "$ID" /bin/probe
	assert_hardrun_error "exec --user \"root\" is not UID\[:GID\] with numeric ids"
	capture hr_runc exec -u 1000:1000 "$ID" /bin/probe
	assert_status 0
	assert_probe uid 1000
	assert_probe NoNewPrivs 1
}

@test "exec: runc: --apparmor and --process-label other than the container's are refused" {
	start_runc
	capture hr_runc exec --apparmor unconfined "$ID" /bin/probe
	assert_hardrun_error "process.apparmorProfile \"unconfined\" where the policy allows none; drop the flag \(policy knob lsm"
	capture hr_runc exec --process-label system_u:system_r:spc_t:s0 "$ID" /bin/probe
	assert_hardrun_error "process.selinuxLabel \"system_u:system_r:spc_t:s0\""
}

@test "exec: runc: widening flags are refused on top of a --process file too" {
	start_runc
	write_process "$T/process.json" /bin/probe
	capture hr_runc exec --cap CAP_SYS_ADMIN --process "$T/process.json" "$ID"
	assert_hardrun_error "process.capabilities.bounding .*CAP_SYS_ADMIN"
}

@test "exec: runc: baseline keeps root in an exec with the compat set only" {
	write_policy '{"runtime": "runc", "level": "baseline"}'
	start_runc
	write_process "$T/process.json" /bin/probe
	capture hr_runc exec --process "$T/process.json" "$ID"
	assert_status 0
	assert_probe uid 0
	# CHOWN DAC_OVERRIDE FOWNER KILL SETGID SETUID NET_BIND_SERVICE: the
	# compat set, less FSETID, which the process did not ask for.
	assert_probe CapBnd 00000000000004eb
	assert_probe CapAmb 0000000000000000
	assert_probe NoNewPrivs 1
}

@test "exec: runc: audit mode leaves the --process file alone and records what enforce would do" {
	start_runc
	write_policy '{"runtime": "runc", "mode": "audit", "audit_file": "'"$T/audit.jsonl"'"}'
	write_process "$T/process.json" /bin/probe
	local before
	before=$(file_id "$T/process.json")
	capture hr_runc exec --process "$T/process.json" "$ID"
	assert_status 0
	assert_no_stderr
	assert_probe uid 0
	assert_eq "$(file_id "$T/process.json")" "$before" "process file"
	jq -e -s --arg p "$T/process.json" 'length == 1 and .[0].command == "exec" and
		.[0].decision == "audited" and .[0].config == $p and
		([.[0].changes[].path] | index("process.user.uid") and index("process.noNewPrivileges"))' \
		"$T/audit.jsonl" >/dev/null || fail "audit record: $(cat "$T/audit.jsonl")"
}

@test "exec: runc: refuse mode refuses a privileged --process file, leaving it unchanged" {
	start_runc
	write_policy '{"runtime": "runc", "mode": "refuse"}'
	write_process "$T/process.json" /bin/probe
	local before
	before=$(file_id "$T/process.json")
	capture hr_runc --log "$T/log.json" --log-format json exec --process "$T/process.json" "$ID"
	assert_hardrun_error "refusing exec in container $ID: .*mode refuse" "$T/log.json"
	assert_eq "$(file_id "$T/process.json")" "$before" "process file"
}

@test "exec: a malformed, a symlinked or a missing --process file is refused, unchanged" {
	start_runc
	printf '{"args": ["/bin/probe"], "args": []}\n' >"$T/dup.json"
	local before
	before=$(file_id "$T/dup.json")
	capture hr_runc exec --process "$T/dup.json" "$ID"
	assert_hardrun_error "refusing exec in container $ID: reading --process .*dup.json: .*duplicate key"
	assert_eq "$(file_id "$T/dup.json")" "$before" "malformed file"

	write_process "$T/real.json" /bin/probe
	ln -s real.json "$T/link.json"
	before=$(file_id "$T/real.json")
	capture hr_runc exec --process "$T/link.json" "$ID"
	assert_hardrun_error "refusing exec in container $ID: reading --process .*link.json"
	assert_eq "$(file_id "$T/real.json")" "$before" "symlink target"

	capture hr_runc exec --process "$T/none.json" "$ID"
	assert_hardrun_error "refusing exec in container $ID: reading --process .*none.json"
}

@test "exec: a container the runtime does not know is refused with the runtime's words" {
	capture hr_runc --log "$T/log.json" --log-format json exec "$ID-none" /bin/probe
	assert_hardrun_error "refusing exec in container $ID-none: cannot find the container: .*runc state $ID-none failed: container does not exist" "$T/log.json"
}

@test "exec: crun: a --process file is hardened; flags without --user and --no-new-privs are refused" {
	require_cmd crun
	write_policy '{"runtime": "crun"}'
	crun_ns_setup
	capture hr_crun run -d --bundle "$BUNDLE" "$ID"
	assert_status 0
	wait_status crun_r "$ID" running

	write_process "$T/process.json" /bin/probe
	capture hr_crun exec --process "$T/process.json" "$ID"
	assert_status 0
	assert_no_stderr
	assert_probe uid 65534
	assert_probe CapEff 0000000000000000
	assert_probe CapBnd 0000000000000000
	assert_probe NoNewPrivs 1

	# crun 1.8 runs a flags-only exec as uid 0 without no_new_privs,
	# whatever config.json says: plain crun shows it, hardrun refuses it.
	capture crun_r exec "$ID" /bin/probe
	assert_status 0
	assert_probe uid 0
	assert_probe NoNewPrivs 0
	capture hr_crun exec "$ID" /bin/probe
	assert_hardrun_error "crun's exec without --process .* would give process.user.uid 0 where the policy allows 65534; pass --user UID:GID and --no-new-privs"

	capture hr_crun exec --user 65534:65534 --no-new-privs "$ID" /bin/probe
	assert_status 0
	assert_no_stderr
	assert_probe uid 65534
	assert_probe NoNewPrivs 1
}
