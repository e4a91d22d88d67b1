#!/usr/bin/env bats
# shellcheck disable=SC2154 # $output, $stderr: set by capture (helpers)
# Docker (dockerd 20.10 on its private containerd, tests/engines.sh) with
# contrib/docker/daemon.json: `runtimes` names hardrun, `default-runtime` is
# hardrun.  Docker reaches hardrun through containerd's runc-v2 shim, and
# shows the user only the last error line of the runtime's log.json.

load helpers

setup() {
	require_docker
}

teardown() {
	[ -n "${ID:-}" ] && [ -n "${HR_DOCKER:-}" ] && dk rm -f "$ID" >/dev/null 2>&1
	engine_teardown
}

@test "docker: info lists hardrun as the default runtime, and dockerd parsed its --version" {
	capture dk info --format '{{json .Runtimes}}'
	assert_status 0
	jq -e --arg hr "$HARDRUN" '.hardrun.path == $hr' <<<"$output" >/dev/null ||
		fail "docker info runtimes: $output"
	capture dk info --format '{{.DefaultRuntime}}'
	assert_eq "$output" hardrun "Default Runtime"
	# dockerd runs `hardrun --version` and takes the commit line from it.
	local commit
	commit=$(HARDRUN_POLICY=$HR_E_POLICY "$HARDRUN" --version | sed -n 's/^commit: //p')
	[ -n "$commit" ] || fail "hardrun --version printed no commit line"
	capture dk info --format '{{.RuncCommit.ID}}'
	assert_eq "$output" "$commit" "docker info's runc commit"
	! grep -E 'failed to (parse|retrieve) .*version' "$HR_E/dockerd.log" ||
		fail "dockerd could not parse hardrun --version"
}

@test "docker: a default container has no_new_privs, a read-only root and writable tmpfs" {
	capture dk_run --name "$ID" hrt-bb "${PROBE_CMD[@]}"
	assert_status 0
	assert_engine_base
	# Docker itself asks for neither.
	capture dk inspect -f '{{.HostConfig.ReadonlyRootfs}} {{json .HostConfig.SecurityOpt}}' "$ID"
	assert_eq "$output" "false null" "the container's own settings"
}

@test "docker: --read-only=false still gives a read-only root" {
	capture dk_run --name "$ID" --read-only=false hrt-bb "${PROBE_CMD[@]}"
	assert_status 0
	assert_engine_base
}

@test "docker: a plain runc container of the same image is not hardened" {
	capture dk run --network none --runtime runc --name "$ID" hrt-bb "${PROBE_CMD[@]}"
	assert_status 0
	assert_probe NoNewPrivs 0
	assert_probe root_writable 1
	if (assert_engine_base 2>/dev/null); then
		fail "assert_engine_base accepted an unhardened container"
	fi
}

# The checks of the knobs still to come, against Docker's own flags for the
# same properties: they pass where Docker provides them and fail on a
# default runc container, so a skip above is not hiding a check that cannot
# fail.
@test "docker: the probe checks pass when Docker itself asks for the properties, fail when not" {
	capture dk run --network none --runtime runc --name "$ID" --cap-drop ALL \
		--cap-add NET_BIND_SERVICE --user 65534:65534 --pids-limit 2048 hrt-bb "${PROBE_CMD[@]}"
	assert_status 0
	assert_caps_dropped
	assert_probe uid 65534
	assert_probe pids_max 2048
	assert_masked
	dk rm -f "$ID" >/dev/null
	capture dk run --network none --runtime runc --name "$ID" \
		--security-opt systempaths=unconfined --security-opt seccomp=unconfined \
		hrt-bb "${PROBE_CMD[@]}"
	assert_status 0
	local check
	for check in assert_caps_dropped "assert_probe uid 65534" "assert_probe pids_max 2048" \
		assert_masked "assert_probe Seccomp 2"; do
		if ($check 2>/dev/null); then
			fail "$check accepted a container without that property: $output"
		fi
	done
}

@test "docker: capabilities of a default container are dropped to NET_BIND_SERVICE" {
	require_knob capabilities "capabilities dropped"
	capture dk_run --name "$ID" hrt-bb "${PROBE_CMD[@]}"
	assert_status 0
	assert_caps_dropped
}

@test "docker: a default container runs as uid 65534" {
	require_knob user "uid 0 runs as the fallback user"
	capture dk_run --name "$ID" hrt-bb "${PROBE_CMD[@]}"
	assert_status 0
	assert_probe uid 65534
	assert_probe gid 65534
}

@test "docker: --security-opt systempaths=unconfined still has the kernel paths masked" {
	require_knob masked_paths "masked kernel paths"
	capture dk_run --name "$ID" --security-opt systempaths=unconfined hrt-bb "${PROBE_CMD[@]}"
	assert_status 0
	assert_masked
}

@test "docker: the pids limit is 2048 by default and with --pids-limit -1" {
	require_knob 'limits|pids[a-z_]*' "the pids limit"
	capture dk_run --name "$ID" hrt-bb "${PROBE_CMD[@]}"
	assert_status 0
	assert_probe pids_max 2048
	dk rm -f "$ID" >/dev/null
	capture dk_run --name "$ID" --pids-limit -1 hrt-bb "${PROBE_CMD[@]}"
	assert_status 0
	assert_probe pids_max 2048
}

@test "docker: --security-opt seccomp=unconfined still gets a seccomp filter" {
	require_knob seccomp "hardrun's seccomp profile"
	capture dk_run --name "$ID" --security-opt seccomp=unconfined hrt-bb "${PROBE_CMD[@]}"
	assert_status 0
	assert_probe Seccomp 2
}

@test "docker: --cap-add ALL --security-opt seccomp=unconfined comes out hardened" {
	# Without the capabilities knob runc cannot even start this here: the
	# host's bounding set lacks CAP_SYS_RESOURCE, which ALL asks for.
	require_knob capabilities "capabilities dropped"
	capture dk_run --name "$ID" --cap-add ALL --security-opt seccomp=unconfined \
		--security-opt systempaths=unconfined --pids-limit -1 hrt-bb "${PROBE_CMD[@]}"
	assert_status 0
	assert_engine_base
	assert_caps_dropped
	if have_knob user; then assert_probe uid 65534; fi
	if have_knob seccomp; then assert_probe Seccomp 2; fi
	if have_knob masked_paths; then assert_masked; fi
	if have_knob 'limits|pids[a-z_]*'; then assert_probe pids_max 2048; fi
}

@test "docker: --privileged is refused, and docker run shows hardrun's message" {
	require_knob devices "host devices refused"
	capture dk_run --name "$ID" --privileged hrt-bb /bin/true
	assert_failure
	assert_match "$stderr" 'hardrun: refusing container [0-9a-f]{64}: .*privileged' "docker's error"
	capture dk inspect -f '{{.State.Running}}' "$ID"
	assert_eq "$output" false "the refused container's state"
}

@test "docker: a container refused by the policy fails with hardrun's message" {
	engine_policy '{"runtime": "runc", "mode": "refuse"}'
	capture dk_run --name "$ID" hrt-bb /bin/true
	assert_failure
	# Docker's message ends with the msg of log.json's last error line.
	assert_match "$stderr" 'hardrun: refusing container [0-9a-f]{64}: .*\(policy knob [a-z_]+, mode refuse; see hardrun-policy\(5\)\)' \
		"docker's error"
	capture dk inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$ID"
	assert_match "$output" '^created ' "the refused container's state"
	# The same image through hardrun in enforce mode runs.
	engine_policy "$HR_DEFAULT_POLICY"
	capture dk_run --rm hrt-bb /bin/true
	assert_status 0
}

@test "docker: a broken policy refuses the container, and the message names the file" {
	engine_policy '{"runtime": "runc", "no_such_knob": true}'
	capture dk_run --name "$ID" hrt-bb /bin/true
	assert_failure
	assert_match "$stderr" "hardrun: refusing container [0-9a-f]+: policy $HR_E_POLICY: line 1: unknown knob \"no_such_knob\"" "docker's error"
}

@test "docker: exec, stop and rm work through hardrun" {
	capture dk_run -d --name "$ID" hrt-bb /bin/probe sleep 600
	assert_status 0
	capture dk exec "$ID" /bin/probe
	assert_status 0
	# The exec'd process shares the container's mounts.
	assert_probe root_writable "0 EROFS"
	assert_probe_tmpfs /tmp
	capture dk exec "$ID" /bin/sh -c 'echo hello >/tmp/x && cat /tmp/x'
	assert_status 0
	assert_eq "$output" hello "docker exec output"
	capture dk stop -t 5 "$ID"
	assert_status 0
	capture dk inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$ID"
	assert_eq "$output" "exited 0" "state after docker stop"
	capture dk rm "$ID"
	assert_status 0
	capture dk inspect "$ID"
	assert_failure
}

@test "docker: an exec'd process is hardened like the container's init" {
	require_exec_hardening
	capture dk_run -d --name "$ID" hrt-bb /bin/probe sleep 600
	assert_status 0
	capture dk exec "$ID" /bin/probe
	assert_status 0
	assert_probe NoNewPrivs 1
	if have_knob capabilities; then assert_caps_dropped; fi
	if have_knob user; then assert_probe uid 65534; fi
	# docker exec --privileged asks for every capability.
	if have_knob capabilities; then
		capture dk exec --privileged "$ID" /bin/probe
		assert_status 0
		assert_caps_dropped
	fi
}

@test "docker: update cannot remove or raise the pids limit; a lower one goes through" {
	capture dk_run -d --name "$ID" hrt-bb /bin/probe sleep 600
	assert_status 0
	capture dk update --pids-limit -1 "$ID"
	assert_failure
	assert_match "$stderr" "hardrun: refusing update of container [0-9a-f]{64}: update --resources would remove the pids limit, which the policy caps at 2048" \
		"docker's error"
	capture dk update --pids-limit 4096 "$ID"
	assert_failure
	assert_match "$stderr" "would raise the pids limit to 4096" "docker's error"
	capture dk exec "$ID" cat /sys/fs/cgroup/pids/pids.max
	assert_eq "$output" 2048 "pids.max after the refused updates"
	capture dk update --pids-limit 100 "$ID"
	assert_status 0
	capture dk exec "$ID" cat /sys/fs/cgroup/pids/pids.max
	assert_eq "$output" 100 "pids.max after docker update --pids-limit 100"
}
