#!/usr/bin/env bats
# shellcheck disable=SC2154 # $output, $stderr, $lines: set by capture (helpers)
# Podman 4.3 through conmon, with private storage (tests/engines.sh): first
# with `--runtime /abs/hardrun`, then with contrib/podman/containers.conf,
# which makes hardrun the default and lists it in runtime_supports_json.
# Podman shows the runtime's stderr; with runtime_supports_json it passes
# --log-format=json --log F and reads the error from F.

load helpers

setup() {
	require_podman
}

teardown() {
	[ -n "${ID:-}" ] && [ -n "${HR_E:-}" ] && pm rm -f -t 0 "$ID" >/dev/null 2>&1
	engine_teardown
}

# contrib/podman/containers.conf with this tree's hardrun as the runtime's
# only path, plus the tier's own settings; parsed and written with a TOML
# library, so the snippet's runtime_supports_json is what is tested.
snippet_conf() {
	require_cmd /usr/bin/python3
	/usr/bin/python3 -c 'import tomlkit' 2>/dev/null || skip "python3-tomlkit is not installed"
	/usr/bin/python3 - "$HR_TOP/contrib/podman/containers.conf" "$CONTAINERS_CONF" "$HARDRUN" \
		"$T/containers.conf" <<-'EOF'
		import sys, tomlkit
		snippet, tier, hardrun, out = sys.argv[1:]
		with open(snippet) as f:
		    doc = tomlkit.parse(f.read())
		with open(tier) as f:
		    base = tomlkit.parse(f.read())
		doc["engine"]["runtimes"]["hardrun"] = [hardrun]
		for table in ("containers", "engine"):
		    doc.setdefault(table, tomlkit.table())
		    for k, v in base[table].items():
		        doc[table][k] = v
		with open(out, "w") as f:
		    f.write(tomlkit.dumps(doc))
	EOF
}

# The runtime's log file of a Podman container, which exists only when
# Podman passed --log to the runtime.
oci_log() { # NAME
	local id
	id=$(pm inspect -f '{{.Id}}' "$1") || return 1
	printf '%s\n' "$HR_E/podman/run/overlay-containers/$id/userdata/oci-log"
}

@test "podman: a default container has no_new_privs, a read-only root and writable tmpfs" {
	capture pm_run --name "$ID" hrt-bb "${PROBE_CMD[@]}"
	assert_status 0
	assert_engine_base
	capture pm inspect -f '{{.OCIRuntime}}' "$ID"
	assert_eq "$output" "$HARDRUN" "the container's runtime"
}

@test "podman: --read-only=false still gives a read-only root" {
	capture pm_run --name "$ID" --read-only=false hrt-bb "${PROBE_CMD[@]}"
	assert_status 0
	assert_engine_base
}

@test "podman: a plain runc container of the same image is not hardened" {
	capture pm --runtime runc run --network none --name "$ID" hrt-bb "${PROBE_CMD[@]}"
	assert_status 0
	assert_probe NoNewPrivs 0
	assert_probe root_writable 1
	if (assert_engine_base 2>/dev/null); then
		fail "assert_engine_base accepted an unhardened container"
	fi
}

@test "podman: the probe checks pass when Podman itself asks for the properties, fail when not" {
	# (Podman puts an added capability of a non-root user in the ambient
	# set, which hardrun always empties: so none is added here.)
	capture pm --runtime runc run --network none --name "$ID" --cap-drop ALL \
		--user 65534:65534 --pids-limit 2048 hrt-bb "${PROBE_CMD[@]}"
	assert_status 0
	assert_caps_dropped
	assert_probe uid 65534
	assert_probe pids_max 2048
	assert_masked
	pm rm -f "$ID" >/dev/null
	capture pm --runtime runc run --network none --name "$ID" --security-opt unmask=ALL \
		--security-opt seccomp=unconfined --pids-limit -1 hrt-bb "${PROBE_CMD[@]}"
	assert_status 0
	local check
	for check in assert_caps_dropped "assert_probe uid 65534" "assert_probe pids_max 2048" \
		assert_masked "assert_probe Seccomp 2"; do
		if ($check 2>/dev/null); then
			fail "$check accepted a container without that property: $output"
		fi
	done
}

@test "podman: capabilities of a default container are dropped to NET_BIND_SERVICE" {
	require_knob capabilities "capabilities dropped"
	capture pm_run --name "$ID" hrt-bb "${PROBE_CMD[@]}"
	assert_status 0
	assert_caps_dropped
}

@test "podman: a default container runs as uid 65534" {
	require_knob user "uid 0 runs as the fallback user"
	capture pm_run --name "$ID" hrt-bb "${PROBE_CMD[@]}"
	assert_status 0
	assert_probe uid 65534
	assert_probe gid 65534
}

@test "podman: --security-opt unmask=ALL still has the kernel paths masked" {
	require_knob masked_paths "masked kernel paths"
	capture pm_run --name "$ID" --security-opt unmask=ALL hrt-bb "${PROBE_CMD[@]}"
	assert_status 0
	assert_masked
}

@test "podman: --pids-limit -1 still gets the pids limit" {
	require_knob 'limits|pids[a-z_]*' "the pids limit"
	capture pm_run --name "$ID" --pids-limit -1 hrt-bb "${PROBE_CMD[@]}"
	assert_status 0
	assert_probe pids_max 2048
}

@test "podman: --security-opt seccomp=unconfined still gets a seccomp filter" {
	require_knob seccomp "hardrun's seccomp profile"
	capture pm_run --name "$ID" --security-opt seccomp=unconfined hrt-bb "${PROBE_CMD[@]}"
	assert_status 0
	assert_probe Seccomp 2
}

@test "podman: --cap-add ALL --security-opt seccomp=unconfined comes out hardened" {
	capture pm_run --name "$ID" --cap-add ALL --security-opt seccomp=unconfined \
		--security-opt unmask=ALL --pids-limit -1 hrt-bb "${PROBE_CMD[@]}"
	assert_status 0
	assert_engine_base
	if have_knob capabilities; then assert_caps_dropped; fi
	if have_knob user; then assert_probe uid 65534; fi
	if have_knob seccomp; then assert_probe Seccomp 2; fi
	if have_knob masked_paths; then assert_masked; fi
	if have_knob 'limits|pids[a-z_]*'; then assert_probe pids_max 2048; fi
}

@test "podman: --privileged is refused, and podman shows hardrun's message" {
	require_knob devices "host devices refused"
	capture pm_run --name "$ID" --privileged hrt-bb /bin/true
	assert_failure
	assert_match "$stderr" 'hardrun: refusing container [0-9a-f]{64}: .*privileged' "podman's error"
}

@test "podman: a container refused by the policy fails with hardrun's message on stderr" {
	engine_policy '{"runtime": "runc", "mode": "refuse"}'
	capture pm_run --name "$ID" hrt-bb /bin/true
	assert_failure
	assert_match "$stderr" "Error: OCI runtime error: $HARDRUN: hardrun: refusing container [0-9a-f]{64}: .*\\(policy knob [a-z_]+, mode refuse; see hardrun-policy\\(5\\)\\)" \
		"podman's error"
	# hardrun is not in Podman's built-in runtime_supports_json: no --log.
	local log
	log=$(oci_log "$ID")
	[ ! -e "$log" ] || fail "podman passed --log to a runtime it does not know: $(cat "$log")"
	capture pm inspect -f '{{.State.Status}}' "$ID"
	assert_eq "$output" created "the refused container's state"
}

@test "podman: exec, stop and rm work through hardrun" {
	capture pm_run -d --name "$ID" hrt-bb /bin/probe sleep 600
	assert_status 0
	capture pm exec "$ID" /bin/probe
	assert_status 0
	assert_probe root_writable "0 EROFS"
	assert_probe_tmpfs /tmp
	capture pm exec "$ID" /bin/sh -c 'echo hello >/tmp/x && cat /tmp/x'
	assert_status 0
	assert_eq "$output" hello "podman exec output"
	capture pm stop -t 5 "$ID"
	assert_status 0
	capture pm inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$ID"
	assert_eq "$output" "exited 0" "state after podman stop"
	capture pm rm "$ID"
	assert_status 0
	capture pm inspect "$ID"
	assert_failure
}

@test "podman: an exec'd process is hardened like the container's init" {
	require_exec_hardening
	capture pm_run -d --name "$ID" hrt-bb /bin/probe sleep 600
	assert_status 0
	capture pm exec "$ID" /bin/probe
	assert_status 0
	assert_probe NoNewPrivs 1
	if have_knob capabilities; then assert_caps_dropped; fi
	if have_knob user; then assert_probe uid 65534; fi
	if have_knob capabilities; then
		capture pm exec --privileged "$ID" /bin/probe
		assert_status 0
		assert_caps_dropped
	fi
}

@test "podman: contrib containers.conf makes hardrun the default runtime" {
	snippet_conf
	capture env CONTAINERS_CONF="$T/containers.conf" "${HR_PODMAN[@]}" info \
		--format '{{.Host.OCIRuntime.Name}} {{.Host.OCIRuntime.Path}}'
	assert_status 0
	assert_eq "$output" "hardrun $HARDRUN" "podman info's runtime"
	capture env CONTAINERS_CONF="$T/containers.conf" "${HR_PODMAN[@]}" run --network none \
		--name "$ID" hrt-bb "${PROBE_CMD[@]}"
	assert_status 0
	assert_engine_base
}

@test "podman: with contrib containers.conf, a refusal also reaches Podman through the JSON log" {
	snippet_conf
	engine_policy '{"runtime": "runc", "mode": "refuse"}'
	capture env CONTAINERS_CONF="$T/containers.conf" "${HR_PODMAN[@]}" run --network none \
		--name "$ID" hrt-bb /bin/true
	assert_failure
	assert_match "$stderr" "hardrun: refusing container [0-9a-f]{64}: " "podman's error"
	# runtime_supports_json lists hardrun: Podman passed --log-format=json
	# --log, and hardrun wrote its one error line there.
	local log
	log=$(CONTAINERS_CONF="$T/containers.conf" oci_log "$ID")
	[ -f "$log" ] || fail "no runtime log $log: podman did not pass --log"
	jq -e -s 'length == 1 and (.[0] | .level == "error" and
		(.msg | startswith("hardrun: refusing container ")))' "$log" >/dev/null ||
		fail "runtime log: $(cat "$log")"
	assert_match "$stderr" "$(jq -r .msg "$log" | sed 's/[][().*+?^$|\\{}]/\\&/g')" \
		"podman's error is the log's message"
}
