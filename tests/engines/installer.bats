#!/usr/bin/env bats
# shellcheck disable=SC2154 # $output, $stderr: set by capture (helpers)
# contrib/kubernetes/hardrun-install against a real containerd: a private
# instance of this test's own (it is restarted), configured by a config.toml
# the script patches.  The tier's image (from tests/engines.sh) runs in it.
#
# The node is this machine (--host-root /), with every path the script
# writes moved under the test's temp dir.

load helpers

INSTALL=$HR_TOP/contrib/kubernetes/hardrun-install

setup() {
	require_containerd
	require_cmd /usr/bin/python3
	/usr/bin/python3 -c 'import tomlkit' 2>/dev/null || skip "python3-tomlkit is not installed"
	CONF=$T/etc/containerd/config.toml
	SOCK=$T/containerd.sock
	CPID=
	mkdir -p "$T/etc/containerd"
	printf '{"runtime": "runc"}\n' >"$T/policy.json"
}

teardown() {
	stop_containerd
	engine_teardown
}

start_containerd() {
	HARDRUN_POLICY=$T/etc/hardrun/policy.json setsid containerd --config "$CONF" \
		</dev/null >>"$T/containerd.log" 2>&1 &
	CPID=$!
	local _
	for _ in $(seq 60); do
		ctr -a "$SOCK" version >/dev/null 2>&1 && return 0
		kill -0 "$CPID" 2>/dev/null || break
		sleep 0.5
	done
	fail "containerd did not start: $(tail -5 "$T/containerd.log")"
}

stop_containerd() {
	[ -n "${CPID:-}" ] || return 0
	local c _
	for c in $(ctr -a "$SOCK" tasks ls -q 2>/dev/null); do
		ctr -a "$SOCK" tasks kill -s KILL "$c" >/dev/null 2>&1
		ctr -a "$SOCK" tasks rm -f "$c" >/dev/null 2>&1
	done
	for c in $(ctr -a "$SOCK" containers ls -q 2>/dev/null); do
		ctr -a "$SOCK" containers rm "$c" >/dev/null 2>&1
	done
	kill -TERM "$CPID" 2>/dev/null || true
	for _ in $(seq 100); do
		kill -0 "$CPID" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$CPID" 2>/dev/null || true
	CPID=
	local m
	while read -r m; do umount -l "$m" 2>/dev/null || true; done < <(awk -v d="$T/" \
		'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r)
}

# A node's config as an admin wrote it: comments, the CRI plugin's runc
# runtime with the systemd cgroup driver off, other plugins' settings.
write_node_config() {
	cat >"$CONF" <<-EOF
		# containerd on this node
		version = 2
		root = "$T/root"
		state = "$T/state"

		[grpc]
		  address = "$SOCK"

		[ttrpc]
		  address = "$SOCK.ttrpc"

		[plugins."io.containerd.internal.v1.opt"]
		  path = "$T/opt"

		[plugins."io.containerd.grpc.v1.cri"]
		  # pinned by the site
		  max_container_log_line_size = 16384

		  [plugins."io.containerd.grpc.v1.cri".containerd]
		    snapshotter = "overlayfs"

		    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
		      runtime_type = "io.containerd.runc.v2"

		      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
		        SystemdCgroup = false
	EOF
}

install_args() {
	printf '%s\n' --host-root / --binary "$HARDRUN" --bin-dir "$T/sbin" --policy "$T/policy.json" \
		--policy-dest "$T/etc/hardrun/policy.json" --engine containerd \
		--containerd-config "$CONF" --set-default --restart-cmd "touch $T/restarted"
}

# `containerd config dump` as JSON, via tomllib.
config_dump() {
	containerd --config "$CONF" config dump 2>/dev/null |
		/usr/bin/python3 -c 'import json, sys, tomllib; print(json.dumps(tomllib.load(sys.stdin.buffer)))'
}

@test "installer: patches containerd's config; containerd loads it; a container runs through it; a second run changes nothing" {
	write_node_config
	cp "$CONF" "$T/orig.toml"
	start_containerd
	local args
	mapfile -t args < <(install_args)
	capture "$INSTALL" "${args[@]}"
	assert_status 0
	[ -x "$T/sbin/hardrun" ] || fail "hardrun was not installed"
	cmp -s "$T/sbin/hardrun" "$HARDRUN" || fail "the installed hardrun differs"
	cmp -s "$T/etc/hardrun/policy.json" "$T/policy.json" || fail "the policy was not installed"
	[ -e "$T/restarted" ] || fail "the restart command did not run after a change"
	# Every setting of the admin's is still there.
	/usr/bin/python3 - "$T/orig.toml" "$CONF" "$T/sbin/hardrun" <<-'EOF' || fail "config: $(cat "$CONF")"
		import sys, tomllib
		orig, new = (tomllib.load(open(p, "rb")) for p in sys.argv[1:3])
		binary = sys.argv[3]
		cri = new["plugins"]["io.containerd.grpc.v1.cri"]
		hr = cri["containerd"]["runtimes"].pop("hardrun")
		assert hr == {"runtime_type": "io.containerd.runc.v2",
		              "options": {"BinaryName": binary, "SystemdCgroup": False}}, hr
		assert cri["containerd"].pop("default_runtime_name") == "hardrun"
		assert new == orig, (new, orig)
	EOF
	grep -q '^# containerd on this node$' "$CONF" || fail "the admin's comment was lost"
	grep -q '# pinned by the site' "$CONF" || fail "the admin's comment was lost"

	# containerd reads it: the dump and the restarted daemon's CRI plugin.
	capture config_dump
	assert_status 0
	jq -e --arg hr "$T/sbin/hardrun" '.plugins["io.containerd.grpc.v1.cri"].containerd |
		.default_runtime_name == "hardrun" and
		.runtimes.hardrun.runtime_type == "io.containerd.runc.v2" and
		.runtimes.hardrun.options.BinaryName == $hr and
		.runtimes.runc.runtime_type == "io.containerd.runc.v2"' <<<"$output" >/dev/null ||
		fail "containerd config dump: $(jq -c '.plugins["io.containerd.grpc.v1.cri"].containerd' <<<"$output")"
	stop_containerd
	: >"$T/containerd.log"
	start_containerd
	grep -q "Start cri plugin with config .*DefaultRuntimeName:hardrun .*hardrun:{Type:io.containerd.runc.v2 .*BinaryName:$T/sbin/hardrun" \
		"$T/containerd.log" || fail "the restarted containerd's CRI plugin did not load hardrun"

	# A container through the BinaryName that containerd now knows.
	local bin
	bin=$(jq -r '.plugins["io.containerd.grpc.v1.cri"].containerd.runtimes.hardrun.options.BinaryName' \
		<<<"$output")
	capture ctr -a "$SOCK" images import --index-name hrt-bb:latest "$HR_E/image/oci.tar"
	assert_status 0
	capture ctr -a "$SOCK" run --rm --runc-binary "$bin" hrt-bb:latest "$ID" /bin/probe
	assert_status 0
	assert_probe NoNewPrivs 1
	assert_probe root_writable "0 EROFS"

	# A second run: nothing written, nothing restarted.
	local before_conf before_bin
	before_conf=$(file_id "$CONF")
	before_bin=$(file_id "$T/sbin/hardrun")
	rm -f "$T/restarted"
	capture "$INSTALL" "${args[@]}"
	assert_status 0
	assert_eq "$(file_id "$CONF")" "$before_conf" "config.toml after a second run"
	assert_eq "$(file_id "$T/sbin/hardrun")" "$before_bin" "the binary after a second run"
	[ ! -e "$T/restarted" ] || fail "the restart command ran although nothing changed"

	# Uninstall gives the admin's file back, byte for byte.
	capture "$INSTALL" "${args[@]}" --uninstall
	assert_status 0
	cmp "$T/orig.toml" "$CONF" || fail "config after uninstall: $(diff "$T/orig.toml" "$CONF")"
	[ ! -e "$T/sbin/hardrun" ] || fail "uninstall left the binary"
}

# A config with runtimes of its own replaces containerd's built-in list, in
# which runc is the default: the script must keep runc.
@test "installer: a node without config.toml gets one, and containerd keeps its default runc runtime" {
	local args
	mapfile -t args < <(install_args)
	capture "$INSTALL" "${args[@]}"
	assert_status 0
	capture config_dump
	assert_status 0
	jq -e --arg hr "$T/sbin/hardrun" '.version == 2 and
		(.plugins["io.containerd.grpc.v1.cri"].containerd | .default_runtime_name == "hardrun" and
		 .runtimes.hardrun.options.BinaryName == $hr and
		 .runtimes.runc.runtime_type == "io.containerd.runc.v2")' <<<"$output" >/dev/null ||
		fail "containerd config dump: $(jq -c '.plugins["io.containerd.grpc.v1.cri"].containerd' <<<"$output")"
}

@test "installer: contrib/containerd/config.toml as a whole config gives containerd both runtimes" {
	sed "s|/usr/local/sbin/hardrun|$HARDRUN|" "$HR_TOP/contrib/containerd/config.toml" >"$CONF"
	capture config_dump
	assert_status 0
	jq -e --arg hr "$HARDRUN" '.plugins["io.containerd.grpc.v1.cri"].containerd |
		.default_runtime_name == "hardrun" and
		.runtimes.hardrun.runtime_type == "io.containerd.runc.v2" and
		.runtimes.hardrun.options.BinaryName == $hr and
		.runtimes.runc.runtime_type == "io.containerd.runc.v2"' <<<"$output" >/dev/null ||
		fail "containerd config dump: $(jq -c '.plugins["io.containerd.grpc.v1.cri"].containerd' <<<"$output")"
}
