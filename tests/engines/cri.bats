#!/usr/bin/env bats
# shellcheck disable=SC2154 # $output, $stderr: set by capture (helpers)
# Kubernetes-style containers through containerd's runc-v2 shim: the
# annotations that containerd's CRI plugin writes (taken from
# tests/data/containerd-cri-container.json, captured from a real CRI
# container), set with `ctr run --annotation`.  CRI-O writes
# io.kubernetes.pod.namespace; containerd writes
# io.kubernetes.cri.sandbox-namespace.

load helpers

setup() {
	require_containerd
	CRI_ANN=()
	local kv
	while IFS= read -r kv; do
		CRI_ANN+=(--annotation "$kv")
	done < <(jq -r '.annotations | to_entries[] | "\(.key)=\(.value)"' \
		"$HR_TOP/tests/data/containerd-cri-container.json")
	[ ${#CRI_ANN[@]} -ge 8 ] || fail "no CRI annotations in tests/data"
}

teardown() {
	local id
	for id in "${ID:-}" "${ID:-}-b"; do
		if [ -z "$id" ] || [ -z "${CTR_SOCK:-}" ]; then continue; fi
		ct tasks kill -s KILL "$id" >/dev/null 2>&1
		ct tasks rm -f "$id" >/dev/null 2>&1
		ct containers rm "$id" >/dev/null 2>&1
	done
	engine_teardown
}

# The bundle's config.json of a running task, as the runtime was given it.
bundle_config() { # ID
	printf '%s\n' "$HR_E/containerd/state/io.containerd.runtime.v2.task/default/$1/config.json"
}

wait_task() { # ID
	local s='' _
	for _ in $(seq 50); do
		s=$(ct tasks ls | awk -v id="$1" '$1 == id { print $3 }')
		[ "$s" = RUNNING ] && return 0
		sleep 0.1
	done
	fail "task $1 is not running (last: '$s')"
}

@test "cri: a container with CRI annotations runs hardened, and keeps its annotations" {
	capture ct_run -d "${CRI_ANN[@]}" -- "$ID" /bin/probe sleep 600
	assert_status 0
	wait_task "$ID"
	local cfg
	cfg=$(bundle_config "$ID")
	# (ctr's own tmpfs at /run is kept, so not assert_config_hardened.)
	jq -e '.process.noNewPrivileges == true and .root.readonly == true and
		([.mounts[] | select(.destination == "/tmp" and .type == "tmpfs")] | length == 1)' \
		"$cfg" >/dev/null || fail "config $cfg is not hardened"
	jq -e --slurpfile want "$HR_TOP/tests/data/containerd-cri-container.json" \
		'.annotations == $want[0].annotations' "$cfg" >/dev/null ||
		fail "annotations in the hardened config: $(jq -c .annotations "$cfg")"
	capture ct tasks exec --exec-id "x$ID" "$ID" /bin/probe
	assert_status 0
	assert_probe root_writable "0 EROFS"
	assert_probe_tmpfs /tmp
}

# One container per namespace under a rule that gives kube-* the baseline
# level: baseline lets the root stay writable, restricted does not.
rule_test() { # ANNOTATION
	have_rules || skip "needs policy rules (DESIGN §3.4), not in this hardrun yet"
	engine_policy "{\"runtime\": \"runc\", \"rules\": [{\"match\": {\"annotations\":
		{\"$1\": \"kube-*\"}}, \"level\": \"baseline\"}]}"
	capture ct_run --rm "${CRI_ANN[@]}" --annotation "$1=kube-system" -- "$ID" "${PROBE_CMD[@]}"
	assert_status 0
	assert_probe NoNewPrivs 1
	assert_probe root_writable 1
	if have_knob user; then assert_probe uid 0; fi
	capture ct_run --rm "${CRI_ANN[@]}" --annotation "$1=default" -- "$ID-b" "${PROBE_CMD[@]}"
	assert_status 0
	assert_probe NoNewPrivs 1
	assert_probe root_writable "0 EROFS"
	if have_knob user; then assert_probe uid 65534; fi
}

@test "cri: a rule matching io.kubernetes.pod.namespace applies its level" {
	rule_test io.kubernetes.pod.namespace
}

@test "cri: a rule matching io.kubernetes.cri.sandbox-namespace applies its level" {
	rule_test io.kubernetes.cri.sandbox-namespace
}

@test "cri: an annotation cannot relax the policy by itself: refused, ctr shows why" {
	have_rules || skip "needs policy rules (DESIGN §3.4), not in this hardrun yet"
	capture ct_run --rm "${CRI_ANN[@]}" --annotation io.hardrun.level=baseline -- \
		"$ID" "${PROBE_CMD[@]}"
	assert_failure
	assert_match "$stderr" "hardrun: refusing container $ID: .*annotation io.hardrun.level=baseline would relax level restricted" "ctr's error"
}

@test "cri: an annotation may tighten the policy by itself" {
	have_rules || skip "needs policy rules (DESIGN §3.4), not in this hardrun yet"
	engine_policy '{"runtime": "runc", "level": "baseline"}'
	capture ct_run --rm "${CRI_ANN[@]}" --annotation io.hardrun.level=restricted -- \
		"$ID" "${PROBE_CMD[@]}"
	assert_status 0
	assert_probe uid 65534
	assert_probe root_writable "0 EROFS"
}

@test "cri: annotations that would let the runtime bypass hardrun are stripped" {
	require_knob annotations "bypass annotations stripped"
	capture ct_run -d "${CRI_ANN[@]}" --annotation run.oci.keep_original_groups=1 \
		--annotation org.criu.config=/tmp/criu.conf -- "$ID" /bin/probe sleep 600
	assert_status 0
	wait_task "$ID"
	local cfg
	cfg=$(bundle_config "$ID")
	jq -e '.annotations | has("run.oci.keep_original_groups") or has("org.criu.config") | not' \
		"$cfg" >/dev/null || fail "bypass annotations kept: $(jq -c .annotations "$cfg")"
	jq -e '.annotations["io.kubernetes.cri.container-type"] == "container"' "$cfg" >/dev/null ||
		fail "CRI annotations lost: $(jq -c .annotations "$cfg")"
}
