#!/usr/bin/env bats
# What enforce cannot fix, through hardrun -> runc: a host namespace, a bind
# mount of an engine socket or a host directory, a host device, Docker's
# --privileged, an SELinux type outside the container family, AppArmor
# unconfined.  Each refusal: the container does not start, the reason is the
# one error line in the engine's log.json (and on stderr), and config.json is
# byte-for-byte unchanged.  And what must still pass does: a pod joining its
# sandbox's namespace, a bind of a file under /etc.

load helpers

setup() {
	hr_setup
	require_cmd runc
	require_hardrun
	make_bundle "$BUNDLE"
	LOG=$T/log.json
	SIBLING=
}

teardown() {
	if [ -n "$SIBLING" ]; then
		runc_r kill "$SIBLING" KILL >/dev/null 2>&1 || true
	fi
	hr_teardown
}

# Run the bundle through hardrun as containerd would, and check the refusal:
# ERE must be in the one error line, after "refusing container ID:".
assert_refused() { # ERE
	local before
	before=$(file_id "$BUNDLE/config.json")
	capture hr_runc --log "$LOG" --log-format json run --bundle "$BUNDLE" "$ID"
	assert_hardrun_error "refusing container $ID: .*$1" "$LOG"
	# one finding ends with the pointer to the man page, several with their count
	# shellcheck disable=SC2154 # set by capture
	assert_match "${stderr_lines[0]}" 'see hardrun-policy\(5\)\)$|; [1-9][0-9]* more findings? in the audit record$' \
		"the end of the message"
	assert_eq "$(file_id "$BUNDLE/config.json")" "$before" "config.json"
	assert_no_container "$ID"
}

add_bind() { # SOURCE DESTINATION
	# shellcheck disable=SC2016 # $s and $d are jq's
	jq_config "$BUNDLE/config.json" --arg s "$1" --arg d "$2" '.mounts += [{"destination": $d,
		"type": "bind", "source": $s, "options": ["rbind", "rw"]}]'
}

@test "refusals: the host's network namespace (no network entry) is refused" {
	jq_config "$BUNDLE/config.json" '.linux.namespaces |= map(select(.type != "network"))'
	assert_refused 'the container shares the host.s network namespace \(docker run --network host, hostNetwork: true\); give it its own, or exempt this container with a rule \(policy knob namespaces, mode enforce'
}

@test "refusals: each host namespace is refused by name (pid, ipc, uts, mount)" {
	cp "$BUNDLE/config.json" "$T/orig.json"
	local t
	for t in pid ipc uts mount; do
		# shellcheck disable=SC2016 # $t is jq's
		jq --arg t "$t" '.linux.namespaces |= map(select(.type != $t))' "$T/orig.json" \
			>"$BUNDLE/config.json"
		rm -f "$LOG"
		assert_refused "the container shares the host.s $t namespace"
	done
}

@test "refusals: joining the host's network namespace by path is refused" {
	# the namespace of this test's own shell is the host's
	# shellcheck disable=SC2016 # $p is jq's
	jq_config "$BUNDLE/config.json" --arg p "/proc/$$/ns/net" '.linux.namespaces |=
		map(if .type == "network" then .path = $p else . end)'
	assert_refused "the container joins the host.s network namespace through /proc/$$/ns/net"
}

@test "refusals: joining a sibling container's network namespace is fine (a pod)" {
	local sib=$T/sibling pid
	SIBLING=$ID-sandbox
	make_bundle "$sib" /bin/sleep 60
	runc_r run -d -b "$sib" "$SIBLING" </dev/null >/dev/null 2>&1
	wait_status runc_r "$SIBLING" running
	pid=$(runc_r state "$SIBLING" | jq -r .pid)
	# shellcheck disable=SC2016 # $p is jq's
	jq_config "$BUNDLE/config.json" --arg p "/proc/$pid/ns/net" '.linux.namespaces |=
		map(if .type == "network" then .path = $p else . end)'
	set_args "$BUNDLE" /bin/readlink /proc/self/ns/net
	capture hr_runc run -b "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stderr
	assert_eq "$output" "$(readlink "/proc/$pid/ns/net")" "the container's network namespace"
	[ "$output" != "$(readlink /proc/self/ns/net)" ] || fail "the sandbox shares the host's"
}

@test "refusals: a bind mount of the Docker socket is refused, and names it" {
	add_bind /var/run/docker.sock /var/run/docker.sock
	assert_refused 'bind mount of /var/run/docker.sock \(the Docker engine socket[,)].* into the container at /var/run/docker.sock is not allowed; remove the mount, or exempt this container with a rule \(policy knob sensitive_mounts, mode enforce'
}

@test "refusals: a bind mount of an ancestor of the sockets, or of /, is refused" {
	cp "$BUNDLE/config.json" "$T/orig.json"
	add_bind /run /host-run
	assert_refused 'bind mount of /run into the container at /host-run exposes '
	cp "$T/orig.json" "$BUNDLE/config.json"
	rm -f "$LOG"
	add_bind / /host
	assert_refused "bind mount of / \\(the host's root filesystem, and [0-9]+ more sensitive paths\\)"
	cp "$T/orig.json" "$BUNDLE/config.json"
	rm -f "$LOG"
	add_bind /proc/self/root /host
	assert_refused 'bind mount of /proc/self/root into the container at /host exposes / '
}

@test "refusals: a bind mount of a file under /etc is fine, and still nosuid,nodev" {
	[ -e /etc/localtime ] || skip "no /etc/localtime on this host"
	add_bind /etc/localtime /etc/localtime
	set_args "$BUNDLE" /bin/sh -c 'head -c 4 /etc/localtime; echo; grep " /etc/localtime " /proc/self/mountinfo'
	capture hr_runc run -b "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stderr
	assert_eq "${lines[0]}" "TZif" "the start of /etc/localtime"
	assert_match "${lines[1]}" 'nosuid,nodev' "its mount flags"
}

# A host block device: the first loop device, else the first disk.
host_block_device() {
	local d
	for d in /dev/loop0 /dev/vda /dev/sda /dev/nvme0n1; do
		[ -b "$d" ] && { printf '%s\n' "$d"; return 0; }
	done
	return 1
}

@test "refusals: a host block device in linux.devices is refused" {
	local dev maj min
	dev=$(host_block_device) || skip "no block device found on this host"
	maj=$((0x$(stat -c %t "$dev")))
	min=$((0x$(stat -c %T "$dev")))
	# shellcheck disable=SC2016 # $p, $ma and $mi are jq's
	jq_config "$BUNDLE/config.json" --arg p "$dev" --argjson ma "$maj" --argjson mi "$min" \
		'.linux.devices = [{"path": $p, "type": "b", "major": $ma, "minor": $mi,
		"fileMode": 432, "uid": 0, "gid": 0}] |
		.linux.resources.devices += [{"allow": true, "type": "b", "major": $ma, "minor": $mi,
		"access": "rwm"}]'
	assert_refused "the container asks for the host device $dev \\(b $maj:$min\\), which the policy does not allow; remove it \\(docker run --device, a device plugin\\), or add its path to knob devices \\(policy knob devices"
}

@test "refusals: docker run --privileged (every host device, an allow-all rule) says so" {
	# Docker's own --privileged config, captured, run from this bundle's rootfs.
	jq '.root = {"path": "rootfs", "readonly": false} | .process.args = ["/bin/probe"] |
		del(.hooks) | .linux.cgroupsPath = ""' \
		"$HR_TOP/tests/data/docker-privileged.json" >"$BUNDLE/config.json"
	assert_refused 'the container asks for every host device, as docker run --privileged \(privileged: true in a pod\) does \(/dev/[^)]+ and [0-9]+ more\); privileged containers are not allowed: drop --privileged and add only the devices you need with --device \(policy knob devices'
}

@test "refusals: a hand-made privileged config (host devices, an allow-all rule) says so" {
	local dev
	dev=$(host_block_device) || skip "no block device found on this host"
	# shellcheck disable=SC2016 # $p, $ma and $mi are jq's
	jq_config "$BUNDLE/config.json" --arg p "$dev" --argjson ma "$((0x$(stat -c %t "$dev")))" \
		--argjson mi "$((0x$(stat -c %T "$dev")))" '.linux.devices = [
		{"path": $p, "type": "b", "major": $ma, "minor": $mi},
		{"path": "/dev/kmsg", "type": "c", "major": 1, "minor": 11},
		{"path": "/dev/null", "type": "c", "major": 1, "minor": 3}] |
		.linux.resources.devices = [{"allow": true, "access": "rwm"}]'
	assert_refused "as docker run --privileged \\(privileged: true in a pod\\) does \\($dev, /dev/kmsg\\); privileged containers are not allowed"
}

@test "refusals: an SELinux label with spc_t is refused, whether or not the host has SELinux" {
	jq_config "$BUNDLE/config.json" '.process.selinuxLabel = "system_u:system_r:spc_t:s0"'
	assert_refused 'the container asks for the SELinux type spc_t \(process.selinuxLabel "system_u:system_r:spc_t:s0"\), which the policy does not allow \(knob lsm.selinux_types\).* \(policy knob lsm, mode enforce'
}

@test "refusals: AppArmor unconfined is refused" {
	jq_config "$BUNDLE/config.json" '.process.apparmorProfile = "unconfined"'
	assert_refused 'the container asks to run without AppArmor \(process.apparmorProfile "unconfined", as docker run --privileged or --security-opt apparmor=unconfined give\)'
}

@test "refusals: restore --lsm-profile and --lsm-mount-context, which replace the labels, are refused" {
	local before flag
	before=$(file_id "$BUNDLE/config.json")
	for flag in --lsm-profile=apparmor:unconfined "--lsm-mount-context system_u:object_r:spc_t:s0"; do
		# shellcheck disable=SC2086 # the flag and its value are two words in the second case
		capture hr_runc --log "$LOG" --log-format json restore $flag --bundle "$BUNDLE" "$ID"
		assert_hardrun_error "refusing container $ID: restore --lsm-(profile|mount-context) would replace the AppArmor or SELinux labels hardrun sets; drop the flag \(policy knob lsm" "$LOG"
		rm -f "$LOG"
	done
	assert_eq "$(file_id "$BUNDLE/config.json")" "$before" "config.json"
	assert_no_container "$ID"
}

@test "refusals: lsm.mode required refuses this host, which enforces neither LSM" {
	if [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ] ||
		[ "$(cat /sys/fs/selinux/enforce 2>/dev/null)" = 1 ]; then
		skip "this host enforces an LSM"
	fi
	write_policy '{"runtime": "runc", "lsm": {"mode": "required"}}'
	assert_refused 'the host enforces neither AppArmor nor SELinux, and the policy requires one'
}

@test "refusals: several findings are one refusal; refuse mode refuses the same" {
	jq_config "$BUNDLE/config.json" '.linux.namespaces |= map(select(.type != "pid")) |
		.process.apparmorProfile = "unconfined"'
	add_bind /etc /host-etc
	assert_refused 'bind mount of /etc .*; 2 more findings in the audit record'
	write_policy '{"runtime": "runc", "mode": "refuse"}'
	rm -f "$LOG"
	assert_refused 'bind mount of /etc .*\(policy knob sensitive_mounts, mode refuse.*; 2 more findings'
}

@test "refusals: audit mode runs the container and records the refusal" {
	write_policy "{\"runtime\":\"runc\",\"mode\":\"audit\",\"audit_file\":\"$T/audit.jsonl\"}"
	jq_config "$BUNDLE/config.json" '.linux.namespaces |= map(select(.type != "network"))'
	set_args "$BUNDLE" /bin/readlink /proc/self/ns/net
	local before
	before=$(file_id "$BUNDLE/config.json")
	capture hr_runc run -b "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stderr
	assert_eq "$output" "$(readlink /proc/self/ns/net)" "audit: the host's network namespace"
	assert_eq "$(file_id "$BUNDLE/config.json")" "$before" "config.json"
	jq -e '.decision == "audited" and ([.violations[] | select(.knob == "namespaces" and
		.path == "linux.namespaces[type=network]")] | length == 1)' "$T/audit.jsonl" >/dev/null ||
		fail "audit record: $(cat "$T/audit.jsonl")"
}
