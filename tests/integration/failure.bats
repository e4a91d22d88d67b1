#!/usr/bin/env bats
# Failures before exec (DESIGN §1.2): a non-zero status, nothing on stdout,
# exactly one "hardrun: " line on stderr, one JSON error line in the engine's
# --log file, config.json unchanged byte for byte, and no container.

load helpers

setup() {
	hr_setup
	require_cmd runc
	require_hardrun
	make_bundle "$BUNDLE"
	LOG=$T/log.json
}

teardown() {
	hr_teardown
}

# hr_runc with the engine's log options, as containerd passes them.
hr_logged() {
	hr_runc --log "$LOG" --log-format json "$@"
}

@test "failure: malformed config.json is refused (invalid JSON), nothing changed" {
	printf '{"ociVersion": "1.0.2", "process": {"args": ["/bin/probe"]' >"$BUNDLE/config.json"
	local before
	before=$(file_id "$BUNDLE/config.json")
	capture hr_logged create --bundle "$BUNDLE" "$ID"
	assert_hardrun_error 'invalid JSON' "$LOG"
	assert_eq "$(file_id "$BUNDLE/config.json")" "$before" "config.json"
	assert_no_container "$ID"
}

@test "failure: config.json that is a symlink to a valid config is refused (symbolic link)" {
	mv "$BUNDLE/config.json" "$BUNDLE/real.json"
	ln -s real.json "$BUNDLE/config.json"
	local before
	before=$(file_id "$BUNDLE/real.json")
	capture hr_logged run --bundle "$BUNDLE" "$ID"
	assert_hardrun_error 'symbolic link' "$LOG"
	[ -L "$BUNDLE/config.json" ]
	assert_eq "$(readlink "$BUNDLE/config.json")" real.json "symlink target"
	assert_eq "$(file_id "$BUNDLE/real.json")" "$before" "real.json"
	assert_no_container "$ID"
	# the same bundle without the symlink is fine: the refusal is about the link
	jq -e '.process.noNewPrivileges == false' "$BUNDLE/real.json" >/dev/null
}

@test "failure: duplicate keys in config.json are refused (duplicate key), nothing changed" {
	# runc (Go) takes the last duplicate: here a writable root would win
	jq_config "$BUNDLE/config.json" '.root.readonly = true'
	sed -i 's/"readonly": true/"readonly": true, "readonly": false/' "$BUNDLE/config.json"
	grep -q '"readonly": true, "readonly": false' "$BUNDLE/config.json"
	local before
	before=$(file_id "$BUNDLE/config.json")
	capture hr_logged create -b "$BUNDLE" "$ID"
	assert_hardrun_error 'duplicate key' "$LOG"
	assert_eq "$(file_id "$BUNDLE/config.json")" "$before" "config.json"
	assert_no_container "$ID"
}

@test "failure: a key runc folds onto one hardrun sets (Process) is refused, nothing run" {
	# runc's Go decoder matches keys case-insensitively and the last wins: it
	# would run the unhardened "Process" below, whatever hardrun did to "process".
	jq_config "$BUNDLE/config.json" '. + {Process: (.process | .args = ["/bin/probe", "env"])}'
	local before
	before=$(file_id "$BUNDLE/config.json")
	# Plain runc really does run the second spelling.
	run -0 runc_r run --bundle "$BUNDLE" "$ID-plain"
	[[ $output == *PATH=* ]]
	capture hr_logged run --bundle "$BUNDLE" "$ID"
	assert_hardrun_error 'read by runc as' "$LOG"
	assert_eq "$(file_id "$BUNDLE/config.json")" "$before" "config.json"
	assert_no_container "$ID"
}

@test "failure: a missing runtime is an error (runtime), config unchanged" {
	write_policy '{"runtime": "/nonexistent/runc"}'
	local before
	before=$(file_id "$BUNDLE/config.json")
	capture hr_logged create -b "$BUNDLE" "$ID"
	assert_hardrun_error 'runtime' "$LOG"
	assert_eq "$(file_id "$BUNDLE/config.json")" "$before" "config.json"
	assert_no_container "$ID"
}

@test "failure: a repeated --bundle is refused as ambiguous, neither bundle touched" {
	make_bundle "$T/other"
	local before other
	before=$(file_id "$BUNDLE/config.json")
	other=$(file_id "$T/other/config.json")
	capture hr_logged create --bundle "$BUNDLE" --bundle "$T/other" "$ID"
	assert_hardrun_error 'ambiguous|more than once' "$LOG"
	assert_eq "$(file_id "$BUNDLE/config.json")" "$before" "first bundle's config.json"
	assert_eq "$(file_id "$T/other/config.json")" "$other" "second bundle's config.json"
	assert_no_container "$ID"
}

@test "failure: a --bundle with no value is refused, config unchanged" {
	local before
	before=$(file_id "$BUNDLE/config.json")
	# run from inside the bundle, so a guess of the default bundle would find a config
	cd "$BUNDLE"
	capture hr_logged create "$ID" --bundle
	assert_hardrun_error '.' "$LOG"
	assert_eq "$(file_id "$BUNDLE/config.json")" "$before" "config.json"
	assert_no_container "$ID"
}

@test "failure: HARDRUN_POLICY naming a missing file is an error, config unchanged" {
	local before
	before=$(file_id "$BUNDLE/config.json")
	POLICY=$T/no-such-policy.json capture hr_logged create -b "$BUNDLE" "$ID"
	assert_hardrun_error 'no-such-policy|polic' "$LOG"
	assert_eq "$(file_id "$BUNDLE/config.json")" "$before" "config.json"
	assert_no_container "$ID"
}

@test "failure: a policy that does not parse is refused (fail closed)" {
	write_policy '{"runtime": "runc", '
	local before
	before=$(file_id "$BUNDLE/config.json")
	capture hr_logged run -b "$BUNDLE" "$ID"
	assert_hardrun_error '.' "$LOG"
	assert_eq "$(file_id "$BUNDLE/config.json")" "$before" "config.json"
	assert_no_container "$ID"
}

@test "failure: a policy naming an unknown knob is refused (fail closed)" {
	write_policy '{"runtime": "runc", "no_such_knob": true}'
	local before
	before=$(file_id "$BUNDLE/config.json")
	capture hr_logged create -b "$BUNDLE" "$ID"
	assert_hardrun_error 'no_such_knob' "$LOG"
	assert_eq "$(file_id "$BUNDLE/config.json")" "$before" "config.json"
	assert_no_container "$ID"
}

@test "failure: the error is appended to an existing log, Podman's --log-format=json form" {
	printf '%s\n' '{"level":"info","msg":"earlier","time":"2024-01-01T00:00:00Z"}' >"$LOG"
	printf '{' >"$BUNDLE/config.json"
	capture hr_runc --log-format=json --log "$LOG" create --bundle "$BUNDLE" "$ID"
	assert_eq "$(wc -l <"$LOG")" 2 "lines in the log"
	assert_eq "$(head -n1 "$LOG")" '{"level":"info","msg":"earlier","time":"2024-01-01T00:00:00Z"}' \
		"the earlier log line"
	tail -n1 "$LOG" >"$T/last.json"
	assert_hardrun_error 'invalid JSON' "$T/last.json"
	assert_no_container "$ID"
}

@test "failure: without --log, the error goes to stderr only" {
	printf '[1, 2' >"$BUNDLE/config.json"
	capture hr_runc create --bundle "$BUNDLE" "$ID"
	assert_hardrun_error 'invalid JSON'
	[ ! -e "$LOG" ]
	assert_eq "$(ls "$BUNDLE")" "$(printf 'config.json\nrootfs')" "files in the bundle"
	assert_no_container "$ID"
}
