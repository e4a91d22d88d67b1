#!/usr/bin/env bats
# shellcheck disable=SC2154 # $output: set by bats' run
# contrib/kubernetes/hardrun-install on node trees made here: CRI-O (not
# installable on Debian 12, so its drop-in is checked as a file only), the
# containerd config shapes a real node has, the refusals, engine detection
# and the DaemonSet's own command line.  The run against a real containerd
# is tests/engines/installer.bats.

load helpers

INSTALL=$HR_TOP/contrib/kubernetes/hardrun-install

setup() {
	require_hardrun
	require_cmd /usr/bin/python3 jq
	/usr/bin/python3 -c 'import tomlkit' 2>/dev/null || skip "python3-tomlkit is not installed"
	T=$(mktemp -d /tmp/hrt.XXXXXX)
	N=$T/node
	mkdir -p "$N"
}

teardown() {
	rm -rf "$T"
}

inst() { "$INSTALL" --host-root "$N" --binary "$HARDRUN" "$@"; }

# A TOML file as JSON.
toml_json() {
	/usr/bin/python3 -c 'import json, sys, tomllib; print(json.dumps(tomllib.load(open(sys.argv[1], "rb"))))' "$1"
}

@test "kube-installer: CRI-O gets a drop-in of hardrun's own; a second run changes nothing; uninstall removes it" {
	mkdir -p "$N/etc/crio/crio.conf.d"
	run -0 inst --engine crio --set-default
	local f=$N/etc/crio/crio.conf.d/50-hardrun.conf
	run -0 toml_json "$f"
	assert_eq "$output" '{"crio": {"runtime": {"default_runtime": "hardrun", "runtimes": {"hardrun": {"runtime_path": "/usr/local/sbin/hardrun", "runtime_type": "oci", "runtime_root": "/run/runc"}}}}}' \
		"the drop-in"
	cmp -s "$N/usr/local/sbin/hardrun" "$HARDRUN"
	[ "$(stat -c %a "$N/usr/local/sbin/hardrun")" = 755 ]
	local before
	before=$(file_id "$f")
	run -0 inst --engine crio --set-default
	assert_eq "$(file_id "$f")" "$before" "the drop-in after a second run"
	[[ $output == *"50-hardrun.conf: unchanged"* ]]
	run -0 inst --engine crio --uninstall
	[ ! -e "$f" ] || fail "uninstall left $(cat "$f")"
	[ ! -e "$N/usr/local/sbin/hardrun" ]
}

@test "kube-installer: an existing CRI-O drop-in keeps the admin's settings and comments" {
	mkdir -p "$N/etc/crio/crio.conf.d"
	local f=$N/etc/crio/crio.conf.d/50-hardrun.conf
	cat >"$f" <<-'EOF'
		# the admin's
		[crio.runtime]
		log_level = "info"

		[crio.runtime.runtimes.hardrun]
		runtime_path = "/opt/old/hardrun"
		monitor_path = "/usr/libexec/crio/conmon"
	EOF
	run -0 inst --engine crio
	run -0 toml_json "$f"
	assert_eq "$output" '{"crio": {"runtime": {"log_level": "info", "runtimes": {"hardrun": {"runtime_path": "/usr/local/sbin/hardrun", "monitor_path": "/usr/libexec/crio/conmon", "runtime_type": "oci", "runtime_root": "/run/runc"}}}}}' \
		"the drop-in"
	grep -q '^# the admin.s$' "$f"
	# Uninstall takes hardrun's runtime out and keeps the rest.
	run -0 inst --engine crio --uninstall
	run -0 toml_json "$f"
	assert_eq "$output" '{"crio": {"runtime": {"log_level": "info"}}}' "the drop-in after uninstall"
}

@test "kube-installer: an existing hardrun runtime in containerd is updated in place" {
	mkdir -p "$N/etc/containerd"
	local f=$N/etc/containerd/config.toml
	cat >"$f" <<-'EOF'
		version = 2
		[plugins."io.containerd.grpc.v1.cri".containerd]
		  default_runtime_name = "runc"
		  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
		    runtime_type = "io.containerd.runc.v2"
		    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
		      SystemdCgroup = true
		  # hardrun, by hand
		  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.hardrun]
		    runtime_type = "io.containerd.runc.v2"
		    pod_annotations = ["io.hardrun.*"]
		    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.hardrun.options]
		      BinaryName = "/opt/old/hardrun"
	EOF
	run -0 inst --engine containerd
	run -0 toml_json "$f"
	jq -e '.plugins["io.containerd.grpc.v1.cri"].containerd | .default_runtime_name == "runc" and
		.runtimes.runc.options.SystemdCgroup == true and
		.runtimes.hardrun == {"runtime_type": "io.containerd.runc.v2", "pod_annotations": ["io.hardrun.*"],
			"options": {"BinaryName": "/usr/local/sbin/hardrun", "SystemdCgroup": true}}' \
		<<<"$output" >/dev/null || fail "config: $(cat "$f")"
	grep -q '# hardrun, by hand' "$f"
	# Same number of [headers]: changed in place, nothing appended.
	[ "$(grep -c '^ *\[' "$f")" -eq 5 ] || fail "tables were added: $(cat "$f")"
}

@test "kube-installer: a containerd 2.x config (version 3) gets the runtime in its CRI runtime plugin" {
	mkdir -p "$N/etc/containerd"
	local f=$N/etc/containerd/config.toml
	printf 'version = 3\n\n[plugins."io.containerd.cri.v1.runtime".containerd]\n  default_runtime_name = "runc"\n  [plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc]\n    runtime_type = "io.containerd.runc.v2"\n' >"$f"
	run -0 inst --engine containerd --set-default
	run -0 toml_json "$f"
	jq -e '.plugins["io.containerd.cri.v1.runtime"].containerd | .default_runtime_name == "hardrun" and
		.runtimes.hardrun.options.BinaryName == "/usr/local/sbin/hardrun" and
		.runtimes.runc.runtime_type == "io.containerd.runc.v2"' <<<"$output" >/dev/null ||
		fail "config: $(cat "$f")"
	run -0 jq -e '.plugins | has("io.containerd.grpc.v1.cri") | not' <<<"$output"
}

@test "kube-installer: configs it cannot patch are left as they are, and nothing is installed" {
	mkdir -p "$N/etc/containerd"
	local f=$N/etc/containerd/config.toml c before
	for c in 'version = 2\n[plugins\n' \
		'# version 1: no version key\n[plugins.cri.containerd]\n  snapshotter = "overlayfs"\n' \
		'version = 4\n' \
		'version = 2\n[plugins."io.containerd.grpc.v1.cri".containerd]\n  runtimes = "none"\n'; do
		# shellcheck disable=SC2059 # the cases are printf formats
		printf "$c" >"$f"
		before=$(file_id "$f")
		run -1 inst --engine containerd --set-default
		[[ $output == "hardrun-install: $f"* ]] || fail "message: $output"
		assert_eq "$(file_id "$f")" "$before" "the config after a refusal"
		[ ! -e "$N/usr/local/sbin/hardrun" ] || fail "hardrun was installed although the config was refused"
	done
	local left
	left=$(find "$N/etc/containerd" -mindepth 1 ! -name config.toml)
	[ -z "$left" ] || fail "temp files left behind: $left"
}

@test "kube-installer: the engine is detected from the node's files" {
	mkdir -p "$N/etc/crio"
	run -0 inst
	[ -f "$N/etc/crio/crio.conf.d/50-hardrun.conf" ]
	mkdir -p "$N/usr/bin" && : >"$N/usr/bin/containerd"
	run -1 inst
	[[ $output == *"both CRI-O and containerd found"* ]]
	rm -rf "$N/etc/crio"
	run -0 inst
	[ -f "$N/etc/containerd/config.toml" ]
	rm -rf "$N/usr/bin/containerd" "$N/etc/containerd"
	run -1 inst
	[[ $output == *"neither CRI-O nor containerd found"* ]]
}

@test "kube-installer: the DaemonSet's command line works, its handler matches the RuntimeClass" {
	/usr/bin/python3 -c 'import yaml' 2>/dev/null || skip "python3-yaml is not installed"
	local args
	run -0 /usr/bin/python3 - "$HR_TOP/contrib/kubernetes/installer.yaml" \
		"$HR_TOP/contrib/kubernetes/runtimeclass.yaml" <<-'EOF'
		import sys, yaml
		docs = list(yaml.safe_load_all(open(sys.argv[1])))
		ds = [d for d in docs if d["kind"] == "DaemonSet"][0]
		spec = ds["spec"]["template"]["spec"]
		c = spec["containers"][0]
		assert c["command"] == ["/opt/hardrun/hardrun-install"], c["command"]
		assert c["securityContext"]["privileged"] is True
		mounts = {m["name"]: m["mountPath"] for m in c["volumeMounts"]}
		vols = {v["name"]: v for v in spec["volumes"]}
		assert vols["host"]["hostPath"]["path"] == "/" and mounts["host"] == "/host"
		# The installer must not run under hardrun (it is privileged).
		rcs = {d["metadata"]["name"]: d["handler"] for d in docs if d["kind"] == "RuntimeClass"}
		assert rcs[spec["runtimeClassName"]] == "runc", rcs
		cm = [d for d in docs if d["kind"] == "ConfigMap"][0]
		assert "policy.json" in cm["data"]
		rc = [d for d in yaml.safe_load_all(open(sys.argv[2])) if d["kind"] == "RuntimeClass"][0]
		assert rc["handler"] == "hardrun"
		for a in c["args"]:
		    print(a)
		print("--policy-data=" + cm["data"]["policy.json"].replace("\n", " "))
	EOF
	mapfile -t args <<<"$output"
	# The ConfigMap's policy, where the pod mounts it, under the fixture.
	mkdir -p "$T/cm"
	printf '%s\n' "${args[-1]#--policy-data=}" >"$T/cm/policy.json"
	jq -e .level "$T/cm/policy.json" >/dev/null
	unset 'args[-1]'
	local a run_args=()
	for a in "${args[@]}"; do
		case $a in
		--host-root=/host) run_args+=("--host-root=$N") ;;
		--binary=*) run_args+=("--binary=$HARDRUN") ;;
		--policy=/etc/hardrun-install/policy.json) run_args+=("--policy=$T/cm/policy.json") ;;
		--restart-cmd=*) run_args+=("--restart-cmd=echo restart {engine}") ;;
		--sleep) ;;
		*) run_args+=("$a") ;;
		esac
	done
	[ ${#run_args[@]} -eq 4 ] || fail "unexpected DaemonSet args: ${args[*]}"
	mkdir -p "$N/etc/containerd"
	printf 'version = 2\n' >"$N/etc/containerd/config.toml"
	run -0 "$INSTALL" "${run_args[@]}"
	[[ $output == *"restart containerd"* ]] || fail "no restart: $output"
	cmp -s "$N/etc/hardrun/policy.json" "$T/cm/policy.json"
	run -0 toml_json "$N/etc/containerd/config.toml"
	jq -e '.plugins["io.containerd.grpc.v1.cri"].containerd.runtimes.hardrun.options.BinaryName ==
		"/usr/local/sbin/hardrun"' <<<"$output" >/dev/null
}

@test "kube-installer: --sleep waits after the install and ends cleanly on SIGTERM" {
	mkdir -p "$N/etc/crio"
	"$INSTALL" --host-root "$N" --binary "$HARDRUN" --sleep >"$T/out" 2>&1 &
	local pid=$! _
	for _ in $(seq 50); do
		grep -q 'patched' "$T/out" && break
		sleep 0.1
	done
	grep -q 'patched' "$T/out" || fail "no install before the sleep: $(cat "$T/out")"
	kill -0 "$pid"
	kill -TERM "$pid"
	local st=0
	wait "$pid" || st=$?
	assert_eq "$st" 0 "exit status on SIGTERM"
}

@test "kube-installer: contrib/cri-o/hardrun.conf holds what the script writes for CRI-O" {
	mkdir -p "$N/etc/crio/crio.conf.d"
	run -0 inst --engine crio --set-default
	local got want
	got=$(toml_json "$N/etc/crio/crio.conf.d/50-hardrun.conf")
	want=$(toml_json "$HR_TOP/contrib/cri-o/hardrun.conf")
	assert_eq "$got" "$want" "the drop-in against contrib/cri-o/hardrun.conf"
}
