#!/usr/bin/env bats
# hardrun's own commands, check and policy, as the installed binary runs
# them: golden output for real configs, exit statuses, no write, no runtime.
#
# Golden files: tests/golden/check/NAME.txt and NAME.json hold what
#   hardrun check --policy P --format text|json tests/data/NAME.json
# prints, run from the top of the tree.  They must not depend on the host,
# so P is tests/golden/check/policy.json, which pins what would: the
# thermal_throttle glob in masked_paths (it expands to the host's CPUs), the
# nofile cap (bounded by the host's hard limit; the test needs a hard limit
# of at least the policy's 1024, which every host has), and the seccomp profile (hardrun's own
# resolves for the host's architecture and kernel): the fixed
# tests/golden/check/seccomp.json instead, named by its absolute path, which
# the output then shows as @TOP@, as it shows the policy's temporary
# directory as @TMP@.  Regenerate with
#   HARDRUN_UPDATE_GOLDEN=1 bats tests/integration/own-commands.bats
# and review the diff.

load helpers

GOLDEN=$HR_TOP/tests/golden/check

setup() {
	require_hardrun
	require_cmd jq sha256sum stat
	T=$BATS_TEST_TMPDIR
	POLICY=$T/policy.json
	write_policy '{}'
}

# hardrun with the test's policy and a PATH where no runtime is found.
hr_own() {
	HARDRUN_POLICY=$POLICY PATH=/nonexistent NO_COLOR=1 "$HARDRUN" "$@"
}

golden_policy() {
	jq --arg p "$GOLDEN/seccomp.json" '.seccomp.profile = $p' "$GOLDEN/policy.json" >"$POLICY"
}

# Compare check's output for tests/data/NAME.json with NAME.EXT, or write it.
golden() { # NAME FORMAT EXT
	local want=$GOLDEN/$1.$3 got hard
	hard=$(ulimit -Hn)
	[ "$hard" = unlimited ] || [ "$hard" -ge 1024 ] ||
		skip "the hard limit of open files is $hard, below the golden policy's 1024"
	golden_policy
	cd "$HR_TOP" || return 1
	run -1 --separate-stderr hr_own check --policy "$POLICY" --format "$2" "tests/data/$1.json"
	[ -z "$stderr" ] || fail "stderr: $stderr"
	got=${output//"$T"/@TMP@}
	got=${got//"$HR_TOP"/@TOP@}
	if [ -n "${HARDRUN_UPDATE_GOLDEN:-}" ]; then
		printf '%s\n' "$got" >"$want"
		return 0
	fi
	[ -f "$want" ] || fail "no golden file $want (run with HARDRUN_UPDATE_GOLDEN=1)"
	diff -u "$want" <(printf '%s\n' "$got") >&2 ||
		fail "check's output differs from $want (HARDRUN_UPDATE_GOLDEN=1 regenerates it)"
}

@test "check golden: runc spec's config" {
	golden runc-spec text txt
	golden runc-spec json json
}

@test "check golden: a Docker config" {
	golden docker text txt
	golden docker json json
}

@test "check golden: a Podman config" {
	golden podman text txt
	golden podman json json
}

@test "check golden: docker run --privileged" {
	golden docker-privileged text txt
	golden docker-privileged json json
	jq -e '.decision == "refused" and (.violations | length) == 1 and
		.violations[0].knob == "devices"' "$GOLDEN/docker-privileged.json" >/dev/null
}

@test "check: a config hardrun create hardened is compliant, exit 0" {
	local name
	write_policy '{"runtime": "/bin/true"}'
	for name in runc-spec docker podman; do
		mkdir -p "$T/$name"
		cp "$HR_TOP/tests/data/$name.json" "$T/$name/config.json"
		HARDRUN_POLICY=$POLICY "$HARDRUN" create --bundle "$T/$name" "hrt-check-$name"
		run -0 --separate-stderr hr_own check --bundle "$T/$name"
		assert_eq "${lines[-1]}" "compliant: nothing to change or refuse" "$name"
		[ -z "$stderr" ] || fail "stderr: $stderr"
		run -0 hr_own check --format json "$T/$name/config.json"
		jq -e '.compliant and .decision == "compliant" and .changes == [] and
			.violations == []' <<<"$output" >/dev/null || fail "$name: $output"
	done
}

@test "check: runc spec's config is not compliant, exit 1, and says what create would do" {
	cp "$HR_TOP/tests/data/runc-spec.json" "$T/config.json"
	cd "$T"
	run -1 --separate-stderr hr_own check
	assert_match "${lines[-1]}" "^not compliant: [0-9]+ changes; create would rewrite the config \(mode enforce\)$"
	write_policy '{"mode": "refuse"}'
	run -1 hr_own check --format json config.json
	jq -e '.mode == "refuse" and .decision == "refused" and (.changes | length) > 0' \
		<<<"$output" >/dev/null || fail "$output"
	write_policy '{"mode": "audit"}'
	run -1 hr_own check config.json
	assert_match "${lines[-1]}" "create would only record this \(mode audit\)$"
}

@test "check: the config is left as it was, and no audit record is made" {
	cp "$HR_TOP/tests/data/docker.json" "$T/config.json"
	chmod 0444 "$T/config.json"
	write_policy "{\"audit_file\": \"$T/audit.log\"}"
	local before
	before=$(file_id "$T/config.json")
	run -1 hr_own check --bundle "$T"
	run -1 hr_own check --format json "$T/config.json"
	assert_eq "$(file_id "$T/config.json")" "$before" "inode, mtime, size, mode, owner, sha256"
	[ ! -e "$T/audit.log" ] || fail "check wrote an audit record: $(cat "$T/audit.log")"
	assert_eq "$(ls -A "$T")" "$(printf 'config.json\npolicy.json')" "files in the bundle"
}

@test "check: usage errors and unreadable configs exit 2, with one line on stderr" {
	cd "$T"
	run -2 --separate-stderr hr_own check "$T/missing.json"
	assert_eq "$output" "" "stdout"
	assert_match "$stderr" "^hardrun: cannot check: opening $T/missing.json: No such file or directory$"
	run -2 --separate-stderr hr_own check --bundle "$T/nowhere"
	assert_match "$stderr" "^hardrun: cannot check: opening bundle $T/nowhere: "
	run -2 --separate-stderr hr_own check --frobnicate
	assert_match "$stderr" "^hardrun: check: unknown option --frobnicate; usage: hardrun check "
	run -2 --separate-stderr hr_own check --bundle "$T" "$T/config.json"
	assert_match "$stderr" "not both"
	run -2 --separate-stderr hr_own check --format yaml
	printf '{"process": ' >"$T/config.json"
	run -2 --separate-stderr hr_own check config.json
	assert_match "$stderr" "^hardrun: cannot check: reading config.json: "
	write_policy '{"no_such_knob": 1}'
	cp "$HR_TOP/tests/data/runc-spec.json" "$T/config.json"
	run -2 --separate-stderr hr_own check config.json
	assert_match "$stderr" "^hardrun: cannot check: policy $POLICY: line 1: unknown knob \"no_such_knob\""
	run -0 hr_own check --help
	assert_match "${lines[0]}" "^usage: hardrun check "
}

@test "check: needs no runtime, and hardrun's own commands take no runtime options" {
	cp "$HR_TOP/tests/data/runc-spec.json" "$T/config.json"
	run -1 env -i HARDRUN_POLICY="$POLICY" PATH=/nonexistent "$HARDRUN" check "$T/config.json"
	run -0 env -i HARDRUN_POLICY="$POLICY" PATH=/nonexistent "$HARDRUN" policy --format text
	# After a global option, check is a runtime command, which runc does not have.
	require_cmd runc
	write_policy '{"runtime": "runc"}'
	run --separate-stderr env HARDRUN_POLICY="$POLICY" "$HARDRUN" --root "$T/root" check
	assert_failure
	assert_match "$stderr" "No help topic for 'check'"
}

@test "check: rules match the given --id and the config's directory" {
	mkdir -p "$T/web"
	cp "$HR_TOP/tests/data/runc-spec.json" "$T/web/config.json"
	write_policy "{\"rules\": [{\"name\": \"web\", \"level\": \"baseline\",
		\"match\": {\"id\": \"web-*\", \"bundle\": \"$T/web\"}}]}"
	run -1 hr_own check --format json "$T/web/config.json"
	jq -e '.rule == null and .level == "restricted"' <<<"$output" >/dev/null || fail "$output"
	run -1 hr_own check --format json --id web-1 "$T/web/config.json"
	jq -e '.rule == "web" and .level == "baseline"' <<<"$output" >/dev/null || fail "$output"
	run -1 hr_own check --id web-1 --bundle "$T/web"
	assert_match "${lines[1]}" "\(level baseline, mode enforce, rule \"web\"\)$"
}

@test "check: colour on a terminal, unless NO_COLOR" {
	require_cmd script
	cp "$HR_TOP/tests/data/runc-spec.json" "$T/config.json"
	run script -qec "HARDRUN_POLICY=$POLICY NO_COLOR= $HARDRUN check $T/config.json" /dev/null
	[[ $output == *$'\e[1;33mchanges\e[0m'* ]] || fail "no colour on a tty: $output"
	run script -qec "HARDRUN_POLICY=$POLICY NO_COLOR=1 $HARDRUN check $T/config.json" /dev/null
	[[ $output != *$'\e['* ]] || fail "colour despite NO_COLOR: $output"
	run -1 hr_own check "$T/config.json"
	[[ $output != *$'\e['* ]] || fail "colour into a pipe: $output"
}

@test "policy: prints the effective policy as JSON that jq reads" {
	run -0 --separate-stderr hr_own policy
	jq -e '.level == "restricted" and .mode == "enforce" and .no_new_privileges == true and
		.capabilities.allowed == ["CAP_NET_BIND_SERVICE"] and .limits.pids == 2048' \
		<<<"$output" >/dev/null || fail "$output"
	write_policy '{"level": "baseline", "mode": "audit", "limits": {"pids": 100}}'
	run -0 hr_own policy --format json
	jq -e '.level == "baseline" and .mode == "audit" and .limits.pids == 100 and
		.limits.nofile == [1024, 524288] and .user.allow_root' <<<"$output" >/dev/null ||
		fail "$output"
	# What it prints is a policy file that gives the same policy.
	printf '%s\n' "$output" >"$T/again.json"
	run -0 env HARDRUN_POLICY="$T/again.json" PATH=/nonexistent "$HARDRUN" policy
	assert_eq "$output" "$(cat "$T/again.json")" "the printed policy, read back"
}

@test "policy --explain: the policy file and line of an overridden knob" {
	printf '{\n  "level": "baseline",\n\n  "limits": {"pids": 100},\n  "seccomp": false\n}\n' >"$POLICY"
	run -0 hr_own policy --explain
	jq -e --arg p "$POLICY" '.file == $p and
		.sources.limits == {from: "policy", file: $p, line: 4, over_level: "baseline"} and
		.sources.level == {from: "policy", file: $p, line: 2} and
		.sources.user == {from: "level", level: "baseline", file: "baseline.json"} and
		.sources.mode == {from: "default"} and .policy.limits.pids == 100' \
		<<<"$output" >/dev/null || fail "$output"
	run -0 hr_own policy --explain --format text
	grep -qxF "    from $POLICY line 4, over level baseline" <<<"$output" || fail "$output"
	grep -qxF "    from level baseline (baseline.json)" <<<"$output" || fail "$output"
	run -2 --separate-stderr hr_own policy --policy "$T/missing.json"
	assert_match "$stderr" "^hardrun: reading the policy: opening $T/missing.json: "
}
