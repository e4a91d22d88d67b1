#!/usr/bin/env bats
# Which runtime hardrun hands over to, and that it never hands over to itself.
# These need no container: `--version` shows which runtime answered.

load helpers

setup() {
	require_hardrun
	require_cmd runc crun
	T=$(mktemp -d /tmp/hrt.XXXXXX)
	POLICY=$T/policy.json
	printf '{}\n' >"$POLICY"
}

teardown() {
	rm -rf "$T"
}

@test "runtime: without a policy key, runc is found in PATH" {
	run -0 --separate-stderr hr --version
	[[ ${lines[0]} =~ ^hardrun\ version\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
	[[ ${lines[1]} == "runc version "* ]]
	[ -z "$stderr" ]
}

@test "runtime: a hardrun-crun link hands over to crun" {
	ln -s "$HARDRUN" "$T/hardrun-crun"
	HR_ARGV0=$T/hardrun-crun run -0 --separate-stderr hr --version
	[[ ${lines[0]} =~ ^hardrun\ version\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
	[[ ${lines[1]} == "crun version "* ]]
}

@test "runtime: the policy's list is tried in order" {
	printf '{"runtime": ["no-such-runtime-%s", "crun", "runc"]}\n' "$$" >"$POLICY"
	run -0 hr --version
	[[ ${lines[1]} == "crun version "* ]]
}

@test "runtime: a policy path that does not exist is refused with the name" {
	printf '{"runtime": "/nonexistent/runc"}\n' >"$POLICY"
	run -1 --separate-stderr hr --version
	[ -z "$output" ]
	[[ $stderr == "hardrun: cannot find runtime /nonexistent/runc"* ]]
}

@test "runtime: hardrun installed as runc first in PATH skips itself" {
	mkdir "$T/bin"
	ln -s "$HARDRUN" "$T/bin/runc"
	PATH=$T/bin:$PATH run -0 --separate-stderr hr --version
	[[ ${lines[1]} == "runc version "* ]]
	# The runtime that answered is the real one, not the link.
	PATH=$T/bin:$PATH run -0 hr --version
	[ "$(grep -c 'hardrun version' <<<"$output")" -eq 1 ]
}

@test "runtime: a loop through a wrapper script is refused, not followed" {
	printf '#!/bin/sh\nexec %s "$@"\n' "$HARDRUN" >"$T/wrapper"
	chmod +x "$T/wrapper"
	printf '{"runtime": "%s"}\n' "$T/wrapper" >"$POLICY"
	run -1 --separate-stderr timeout 10 env HARDRUN_POLICY="$POLICY" "$HARDRUN" state x
	[ -z "$output" ]
	[[ $stderr == *"leads back to hardrun"* ]]
}

@test "runtime: a copy of hardrun named runc is caught by the environment marker" {
	mkdir "$T/bin"
	cp "$HARDRUN" "$T/bin/runc"
	PATH=$T/bin:$PATH run -1 --separate-stderr timeout 10 env HARDRUN_POLICY="$POLICY" \
		"$HARDRUN" state x
	[[ $stderr == *"leads back to hardrun"* ]]
}
