#!/usr/bin/env bats
# contrib/completion/hardrun.bash: commands, options, option values and the
# ids of real containers, listed through hardrun from the runtime's --root.

load helpers

setup() {
	# shellcheck source=contrib/completion/hardrun.bash
	. "$HR_TOP/contrib/completion/hardrun.bash"
	# Without the bash-completion package's helper, as on a minimal host.
	unset -f _init_completion 2>/dev/null || true
}

teardown() {
	hr_teardown
}

# complete WORD...: the candidates for the last word, one per line, sorted.
complete_words() {
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMP_LINE="$*"
	COMPREPLY=()
	_hardrun
	printf '%s\n' "${COMPREPLY[@]}" | sort
}

@test "completion: the runtime commands" {
	run -0 complete_words hardrun ''
	local c
	for c in create run start state kill delete exec list features spec; do
		grep -qx "$c" <<<"$output" || fail "no $c in: $output"
	done
	run -0 complete_words hardrun st
	assert_eq "$output" "$(printf 'start\nstate')" "st"
	run -0 complete_words hardrun --root /x c
	assert_eq "$output" "$(printf 'checkpoint\ncreate')" "c after --root /x"
}

@test "completion: global options and their values" {
	run -0 complete_words hardrun --log-f
	assert_eq "$output" --log-format "--log-f"
	run -0 complete_words hardrun --log-format ''
	assert_eq "$output" "$(printf 'json\ntext')" "--log-format values"
}

@test "completion: a command's options and their values" {
	run -0 complete_words hardrun create --b
	assert_eq "$output" --bundle "create --b"
	run -0 complete_words hardrun list --format ''
	assert_eq "$output" "$(printf 'json\ntable')" "list --format values"
	mkdir -p "$BATS_TEST_TMPDIR/bundle-dir"
	run -0 complete_words hardrun run --bundle "$BATS_TEST_TMPDIR/bundle-d"
	assert_eq "$output" "$BATS_TEST_TMPDIR/bundle-dir" "--bundle values"
	run -0 complete_words hardrun delete -
	assert_eq "$output" "$(printf -- '--force\n-f')" "delete options"
}

@test "completion: container ids come from the runtime under the given --root, then kill's signals" {
	hr_setup
	require_cmd runc
	require_hardrun
	make_bundle "$BUNDLE" /bin/probe sleep 30
	capture hr_runc create --bundle "$BUNDLE" "$ID"
	assert_status 0
	run -0 complete_words "$HARDRUN" --root "$RROOT" kill ''
	assert_eq "$output" "$ID" "ids for kill"
	run -0 complete_words "$HARDRUN" "--root=$RROOT" state "${ID:0:4}"
	assert_eq "$output" "$ID" "ids for state"
	run -0 complete_words "$HARDRUN" --root "$RROOT" kill "$ID" K
	assert_eq "$output" KILL "signals"
	# Commands that take no id complete none.
	run -0 complete_words "$HARDRUN" --root "$RROOT" features ''
	assert_eq "$output" "" "features"
}

@test "completion: hardrun's own commands, only right after the program name" {
	run -0 complete_words hardrun ch
	assert_eq "$output" "$(printf 'check\ncheckpoint')" "ch"
	run -0 complete_words hardrun po
	assert_eq "$output" policy "po"
	run -0 complete_words hardrun --root /x ch
	assert_eq "$output" checkpoint "ch after --root /x"
	run -0 complete_words hardrun --root /x check -
	assert_eq "$output" "" "check after --root /x is the runtime's"
}

@test "completion: check's and policy's options and their values" {
	run -0 complete_words hardrun check --
	assert_eq "$output" "$(printf -- '--bundle\n--format\n--help\n--id\n--policy')" "check --"
	run -0 complete_words hardrun check --format ''
	assert_eq "$output" "$(printf 'json\ntext')" "check --format values"
	run -0 complete_words hardrun policy -
	assert_eq "$output" "$(printf -- '--explain\n--format\n--help\n--policy\n-h')" "policy -"
	run -0 complete_words hardrun policy --format ''
	assert_eq "$output" "$(printf 'json\ntext')" "policy --format values"
	mkdir -p "$BATS_TEST_TMPDIR/bundle-dir"
	touch "$BATS_TEST_TMPDIR/config-file.json"
	run -0 complete_words hardrun check --bundle "$BATS_TEST_TMPDIR/bundle-d"
	assert_eq "$output" "$BATS_TEST_TMPDIR/bundle-dir" "--bundle values"
	run -0 complete_words hardrun check --format json "$BATS_TEST_TMPDIR/config-f"
	assert_eq "$output" "$BATS_TEST_TMPDIR/config-file.json" "the config file"
	run -0 complete_words hardrun check --id ''
	assert_eq "$output" "" "--id has no candidates"
	run -0 complete_words hardrun check "$BATS_TEST_TMPDIR/config-file.json" ''
	assert_eq "$output" "" "one config file"
}
