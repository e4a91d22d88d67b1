#!/usr/bin/env bats
# hardrun -> runc: what the hardened container can do, seen from inside with
# the probe, and the whole lifecycle passing through hardrun.

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

@test "runc: hardrun run gives no_new_privs, a read-only root and writable tmpfs" {
	capture hr_runc run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stderr
	assert_probe_hardened
	assert_config_hardened "$BUNDLE/config.json"
	assert_no_container "$ID"
}

@test "runc: the same bundle through plain runc is not hardened (the probe checks can fail)" {
	capture runc_r run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_probe_unhardened
	assert_probe writable_/tmp 1
	if (assert_probe_hardened 2>/dev/null); then
		fail "assert_probe_hardened accepted an unhardened container"
	fi
	jq -e '.process.noNewPrivileges == false and .root.readonly == false' \
		"$BUNDLE/config.json" >/dev/null
}

@test "runc: image content under /var/cache survives the tmpfs (tmpcopyup)" {
	echo "hrt-marker-$ID" >"$BUNDLE/rootfs/var/cache/marker"
	set_args "$BUNDLE" /bin/sh -c \
		'cat /var/cache/marker && grep " /var/cache " /proc/self/mountinfo'
	capture hr_runc run -b "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stderr
	assert_eq "${lines[0]}" "hrt-marker-$ID" "/var/cache/marker in the container"
	assert_match "${lines[1]}" ' - tmpfs ' "mountinfo line of /var/cache"
}

@test "runc: a mount the config already has at /var/log is kept, not doubled" {
	# root, so that the config's own root-owned mode 700 tmpfs stays writable
	write_policy '{"runtime": "runc", "user": {"allow_root": true}}'
	jq_config "$BUNDLE/config.json" '.mounts += [{"destination": "/var/log", "type": "tmpfs",
		"source": "tmpfs", "options": ["nosuid", "nodev", "mode=700", "size=1m"]}]'
	capture hr_runc run -b "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stderr
	# runc keeps the mount point's own mode, but the superblock shows our options
	assert_match "$(probe_get mount_super_/var/log)" '(^|,)size=1024k(,|$)' "/var/log tmpfs options"
	assert_match "$(probe_get mount_super_/var/log)" '(^|,)mode=700(,|$)' "/var/log tmpfs options"
	assert_probe writable_/var/log 1
	assert_probe NoNewPrivs 1
	run jq -c '[.mounts[] | select(.destination == "/var/log")]' "$BUNDLE/config.json"
	assert_eq "$output" \
		'[{"destination":"/var/log","type":"tmpfs","source":"tmpfs","options":["nosuid","nodev","mode=700","size=1m"]}]' \
		"mounts at /var/log"
}

@test "runc: policy readonly_rootfs=false keeps the root writable, still no_new_privs" {
	# root, since the image's root directory belongs to root
	write_policy '{"runtime": "runc", "readonly_rootfs": false, "user": {"allow_root": true}}'
	capture hr_runc run -b "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stderr
	assert_probe NoNewPrivs 1
	assert_probe root_writable 1
	assert_probe mount_fstype_/tmp none
	jq -e '.root.readonly != true' "$BUNDLE/config.json" >/dev/null
}

@test "runc: policy no_new_privileges=false leaves no_new_privs off, root still read-only" {
	write_policy '{"runtime": "runc", "no_new_privileges": false}'
	capture hr_runc run -b "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stderr
	assert_probe NoNewPrivs 0
	assert_probe root_writable "0 EROFS"
	assert_probe_tmpfs /tmp
}

@test "runc: create --pid-file, state, start, kill, delete through hardrun" {
	set_args "$BUNDLE" /bin/probe sleep 60
	capture hr_runc create --pid-file "$T/init.pid" --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stdout
	assert_no_stderr
	assert_config_hardened "$BUNDLE/config.json"
	local pid
	pid=$(cat "$T/init.pid")
	assert_match "$pid" '^[1-9][0-9]*$' "pid file"
	grep -q '^NoNewPrivs:[[:space:]]*1$' "/proc/$pid/status"

	# state passes through: valid JSON on stdout, identical to runc's own
	capture hr_runc state "$ID"
	assert_status 0
	assert_no_stderr
	jq -e --arg id "$ID" --argjson pid "$pid" \
		'.id == $id and .status == "created" and .pid == $pid' "$CAP_OUT" >/dev/null
	runc_r state "$ID" >"$T/runc-state.json"
	cmp "$CAP_OUT" "$T/runc-state.json"

	capture hr_runc start "$ID"
	assert_status 0
	assert_no_stdout
	assert_no_stderr
	wait_status runc_r "$ID" running

	capture hr_runc kill "$ID" TERM
	assert_status 0
	assert_no_stderr
	wait_status runc_r "$ID" stopped

	capture hr_runc delete "$ID"
	assert_status 0
	assert_no_stdout
	assert_no_stderr
	assert_no_container "$ID"
}

@test "runc: exec, ps and events --stats through hardrun on a running container" {
	set_args "$BUNDLE" /bin/probe sleep 60
	capture hr_runc create --pid-file "$T/init.pid" -b "$BUNDLE" "$ID"
	assert_status 0
	capture hr_runc start "$ID"
	assert_status 0
	wait_status runc_r "$ID" running
	local pid
	pid=$(cat "$T/init.pid")

	capture hr_runc exec "$ID" /bin/probe
	assert_status 0
	assert_no_stderr
	assert_probe NoNewPrivs 1
	assert_probe root_writable "0 EROFS"
	assert_probe tmp_writable 1

	capture hr_runc ps --format json "$ID"
	assert_status 0
	assert_no_stderr
	jq -e --argjson pid "$pid" 'type == "array" and index($pid) != null' "$CAP_OUT" >/dev/null

	capture hr_runc events --stats "$ID"
	assert_status 0
	assert_no_stderr
	assert_eq "${#lines[@]}" 1 "lines from events --stats"
	jq -e --arg id "$ID" '.type == "stats" and .id == $id and (.data | type == "object")' \
		"$CAP_OUT" >/dev/null

	capture hr_runc kill "$ID" KILL
	assert_status 0
	wait_status runc_r "$ID" stopped
	capture hr_runc delete "$ID"
	assert_status 0
	assert_no_container "$ID"
}

@test "runc: run -d through hardrun starts a hardened detached container" {
	set_args "$BUNDLE" /bin/probe sleep 60
	capture hr_runc run -d --pid-file "$T/init.pid" -b "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stdout
	assert_no_stderr
	wait_status runc_r "$ID" running
	local pid
	pid=$(cat "$T/init.pid")
	grep -q '^NoNewPrivs:[[:space:]]*1$' "/proc/$pid/status"
	assert_config_hardened "$BUNDLE/config.json"

	capture hr_runc delete --force "$ID"
	assert_status 0
	assert_no_stderr
	assert_no_container "$ID"
}

@test "runc: a binary named hardrun-runc picks runc when the policy names no runtime" {
	mkdir "$T/bin"
	ln -s "$HARDRUN" "$T/bin/hardrun-runc"
	write_policy '{}'
	# The container's stdout is create's stdout: the probe report lands in CAP_OUT.
	HR_ARGV0=$T/bin/hardrun-runc capture hr_runc create -b "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stdout
	assert_no_stderr
	local out=$CAP_OUT
	# runc's own state dir format: runc, not crun, created it
	[ -f "$RROOT/$ID/state.json" ]
	runc_r start "$ID"
	wait_status runc_r "$ID" stopped
	output=$(cat "$out")
	assert_probe NoNewPrivs 1
	assert_probe root_writable "0 EROFS"
}

@test "runc: a non-root process owns /run, /var/log and /var/cache; /tmp stays sticky and root's" {
	jq_config "$BUNDLE/config.json" '.process.user = {uid: 1000, gid: 1000}'
	set_args "$BUNDLE" /bin/sh -c 'id -u; stat -c "%n %u:%g %a" /run /var/log /var/cache /tmp;
		touch /run/app.pid /var/log/app.log /var/cache/app /tmp/app && echo wrote'
	capture hr_runc run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stderr
	assert_eq "${lines[0]}" 1000 "uid in the container"
	assert_eq "${lines[1]%% *}" /run
	assert_match "${lines[1]}" ' 1000:1000 ' "owner of /run"
	assert_match "${lines[2]}" ' 1000:1000 ' "owner of /var/log"
	assert_match "${lines[3]}" ' 1000:1000 ' "owner of /var/cache"
	assert_match "${lines[4]}" '^/tmp 0:0 1777$' "/tmp"
	assert_eq "${lines[5]}" wrote "the process writes where daemons keep state"
}

@test "runc: every change is one audit record; a compliant config leaves none" {
	write_policy "{\"runtime\":\"runc\",\"audit_file\":\"$T/audit.jsonl\"}"
	capture hr_runc run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stderr
	[ "$(wc -l <"$T/audit.jsonl")" -eq 1 ]
	jq -e --arg id "$ID" --arg cfg "$BUNDLE/config.json" '
		.command == "run" and .id == $id and .config == $cfg and .level == "restricted" and
		.mode == "enforce" and .decision == "changed" and .violations == [] and
		([.changes[] | select(.knob == "no_new_privileges" and .path == "process.noNewPrivileges"
			and .before == false and .after == true)] | length == 1) and
		([.changes[] | select(.knob == "readonly_rootfs" and .path == "root.readonly")] | length == 1) and
		([.changes[] | select(.path == "mounts[destination=/tmp]" and .before == null and
			.after.type == "tmpfs")] | length == 1)' "$T/audit.jsonl" >/dev/null ||
		fail "unexpected audit record: $(cat "$T/audit.jsonl")"
	# Run the now compliant bundle again: nothing changes, nothing is recorded.
	capture hr_runc run --bundle "$BUNDLE" "$ID-2"
	assert_status 0
	[ "$(wc -l <"$T/audit.jsonl")" -eq 1 ]
	# A refusal is recorded too, with the violation's reason in the engine's log.
	write_policy "{\"runtime\":\"runc\",\"mode\":\"refuse\",\"audit_file\":\"$T/audit.jsonl\"}"
	jq_config "$BUNDLE/config.json" '.process.noNewPrivileges = false'
	capture hr_runc run --bundle "$BUNDLE" "$ID-3"
	assert_hardrun_error 'refusing container .*process.noNewPrivileges is false'
	[ "$(wc -l <"$T/audit.jsonl")" -eq 2 ]
	tail -n1 "$T/audit.jsonl" | jq -e '.decision == "refused" and .mode == "refuse"' >/dev/null
}
