#!/usr/bin/env bats
# The drop-in contract (DESIGN §1, §3.2, §6): what engines see of hardrun is
# runc's own output, a config rewritten faithfully or not at all, and the
# policy modes doing exactly what they say.

load helpers

setup() {
	hr_setup
	require_cmd runc
	require_hardrun
	make_bundle "$BUNDLE"
}

teardown() {
	hr_teardown
}

@test "contract: --version prints 'hardrun version X.Y.Z' then runc's own version" {
	capture hr --version
	assert_status 0
	assert_no_stderr
	assert_match "${lines[0]}" '^hardrun version [0-9]+\.[0-9]+\.[0-9]+$' "first line"
	runc --version >"$T/runc-version"
	tail -n +2 "$CAP_OUT" | cmp - "$T/runc-version"
}

@test "contract: features passes through byte for byte" {
	capture hr features
	local hs=$status
	runc features >"$T/runc-features" 2>"$T/runc-features.err"
	assert_eq "$hs" 0 "status of hardrun features"
	cmp "$CAP_OUT" "$T/runc-features"
	cmp "$CAP_ERR" "$T/runc-features.err"
	jq -e '.ociVersionMin' "$CAP_OUT" >/dev/null
}

@test "contract: spec writes the same config.json as runc spec" {
	mkdir "$T/a" "$T/b"
	(cd "$T/a" && HARDRUN_POLICY=$POLICY "$HARDRUN" spec) >"$T/a.out" 2>"$T/a.err"
	(cd "$T/b" && runc spec) >"$T/b.out" 2>"$T/b.err"
	cmp "$T/a/config.json" "$T/b/config.json"
	cmp "$T/a.out" "$T/b.out"
	cmp "$T/a.err" "$T/b.err"
	# spec is not hardened: runc's default says noNewPrivileges true, terminal true
	jq -e '.process.terminal == true' "$T/a/config.json" >/dev/null
}

@test "contract: state of a missing container fails exactly as runc's does" {
	capture hr_runc state "nonexistent-$ID"
	local hs=$status hout=$output
	sed 's/^time="[^"]*" //' "$CAP_ERR" >"$T/hr.err"
	capture runc_r state "nonexistent-$ID"
	sed 's/^time="[^"]*" //' "$CAP_ERR" >"$T/runc.err"
	assert_eq "$hs" "$status" "exit status (hardrun vs runc)"
	assert_eq "$hout" "$output" "stdout (hardrun vs runc)"
	[ "$hs" -ne 0 ]
	cmp "$T/hr.err" "$T/runc.err"
	grep -q 'container does not exist' "$T/hr.err"
}

@test "contract: list passes through: same output as runc with a hardrun container" {
	set_args "$BUNDLE" /bin/probe sleep 60
	capture hr_runc create -b "$BUNDLE" "$ID"
	assert_status 0
	capture hr_runc list --format json
	assert_status 0
	assert_no_stderr
	runc_r list --format json >"$T/runc-list"
	cmp "$CAP_OUT" "$T/runc-list"
	jq -e --arg id "$ID" 'map(.id) == [$id]' "$CAP_OUT" >/dev/null
}

@test "contract: an already compliant config is not rewritten (inode, mtime, content)" {
	# Let hardrun make the config compliant once: whatever the knobs are, its
	# own output must be compliant.
	capture hr_runc run -b "$BUNDLE" "$ID-1"
	assert_status 0
	assert_config_hardened "$BUNDLE/config.json"
	local before
	before=$(file_id "$BUNDLE/config.json")
	sleep 0.05 # a rewrite now would show a different mtime
	capture hr_runc run -b "$BUNDLE" "$ID-2"
	assert_status 0
	assert_no_stderr
	assert_probe_hardened
	assert_eq "$(file_id "$BUNDLE/config.json")" "$before" "config.json (inode mtime size mode owner sha)"
}

@test "contract: a rewritten config keeps unknown keys, number text and key order" {
	jq_config "$BUNDLE/config.json" '.hrtVendor = {"nested": [1, {"k": null}], "s": "é\u0001"} |
		.annotations = {"com.example.keep": "yes"} | .process.hrtExtra = "keep" |
		.process.args = ["/bin/probe", "sleep", "60"]'
	# Raw number text that a double would change, added last: jq would rewrite it.
	sed -i '0,/{/s//{"hrtBig": 18446744073709551615, "hrtFloat": 1.50, "hrtExp": 1E+2,/' \
		"$BUNDLE/config.json"
	grep -q '"hrtBig": 18446744073709551615,' "$BUNDLE/config.json"
	local order
	order=$(jq -c '[keys_unsorted[]]' "$BUNDLE/config.json")

	capture hr_runc create -b "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stderr
	local c=$BUNDLE/config.json
	jq empty "$c"
	assert_config_hardened "$c"
	grep -Eq '"hrtBig": *18446744073709551615[^0-9.eE]' "$c"
	grep -Eq '"hrtFloat": *1\.50[^0-9]' "$c"
	grep -Eq '"hrtExp": *1E\+2[^0-9]' "$c"
	jq -e '.hrtVendor == {"nested": [1, {"k": null}], "s": "é\u0001"} and
		.annotations["com.example.keep"] == "yes" and .process.hrtExtra == "keep"' "$c" >/dev/null
	# the original top-level keys, in their original order
	assert_eq "$(jq -c --argjson o "$order" '[keys_unsorted[] | select(. as $k | $o | index($k))]' "$c")" \
		"$(jq -c '.' <<<"$order")" "top-level key order"
	# no temp file left behind
	assert_eq "$(ls -A "$BUNDLE")" "$(printf 'config.json\nrootfs')" "files in the bundle"
	runc_r state "$ID" | jq -e '.status == "created"' >/dev/null
}

@test "contract: a rewritten config keeps the original file's mode and owner" {
	chmod 0640 "$BUNDLE/config.json"
	chown 4321:8765 "$BUNDLE/config.json"
	local ino
	ino=$(stat -c %i "$BUNDLE/config.json")
	capture hr_runc run -b "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stderr
	assert_config_hardened "$BUNDLE/config.json"
	assert_eq "$(stat -c '%a %u %g %F' "$BUNDLE/config.json")" "640 4321 8765 regular file" \
		"mode, owner and type of config.json"
	# it was really written anew (atomically, by rename)
	[ "$(stat -c %i "$BUNDLE/config.json")" != "$ino" ]
}

@test "contract: audit mode leaves the config untouched and the container unhardened" {
	write_policy '{"runtime": "runc", "mode": "audit"}'
	local before
	before=$(file_id "$BUNDLE/config.json")
	capture hr_runc run -b "$BUNDLE" "$ID"
	assert_status 0
	assert_no_stderr
	assert_probe_unhardened
	assert_eq "$(file_id "$BUNDLE/config.json")" "$before" "config.json"
}

@test "contract: refuse mode refuses a non-compliant config and changes nothing" {
	write_policy '{"runtime": "runc", "mode": "refuse"}'
	local before
	before=$(file_id "$BUNDLE/config.json")
	capture hr_runc --log "$T/log.json" --log-format json run -b "$BUNDLE" "$ID"
	assert_hardrun_error '.' "$T/log.json"
	assert_eq "$(file_id "$BUNDLE/config.json")" "$before" "config.json"
	assert_no_container "$ID"
}

@test "contract: refuse mode runs a config that enforce made compliant, unchanged" {
	capture hr_runc run -b "$BUNDLE" "$ID-1"
	assert_status 0
	assert_config_hardened "$BUNDLE/config.json"
	write_policy '{"runtime": "runc", "mode": "refuse"}'
	local before
	before=$(file_id "$BUNDLE/config.json")
	capture hr_runc run -b "$BUNDLE" "$ID-2"
	assert_status 0
	assert_no_stderr
	assert_probe_hardened
	assert_eq "$(file_id "$BUNDLE/config.json")" "$before" "config.json"
}
