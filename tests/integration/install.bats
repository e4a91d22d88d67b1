#!/usr/bin/env bats
# make install: PREFIX and DESTDIR are honoured, and the installed tree works.

load helpers

setup() {
	require_hardrun
	require_cmd make runc
	T=$(mktemp -d /tmp/hrt.XXXXXX)
}

teardown() {
	rm -rf "$T"
}

@test "install: PREFIX and DESTDIR place binary, links, levels, profiles, man pages and the example policy" {
	run -0 make -C "$HR_TOP" -s install DESTDIR="$T/root" PREFIX=/opt/hr
	local f
	for f in opt/hr/sbin/hardrun opt/hr/share/hardrun/policies/restricted.json \
		opt/hr/share/hardrun/policies/baseline.json opt/hr/share/man/man8/hardrun.8 \
		opt/hr/share/man/man5/hardrun-policy.5 opt/hr/share/man/man7/hardrun-profiles.7 \
		opt/hr/share/hardrun/seccomp/default.json opt/hr/share/hardrun/apparmor/hardrun-default \
		etc/hardrun/policy.json.example; do
		[ -f "$T/root/$f" ] || { echo "missing $f"; false; }
	done
	[ "$(readlink "$T/root/opt/hr/sbin/hardrun-runc")" = hardrun ]
	[ "$(readlink "$T/root/opt/hr/sbin/hardrun-crun")" = hardrun ]
	[ -x "$T/root/opt/hr/sbin/hardrun" ]
	# Nothing was written outside DESTDIR's tree for the policy in force.
	[ ! -e "$T/root/etc/hardrun/policy.json" ]
}

@test "install: the installed hardrun-crun link hands over to crun, the example policy is valid" {
	require_cmd crun
	make -C "$HR_TOP" -s install DESTDIR="$T/root" PREFIX=/usr
	run -0 env HARDRUN_POLICY="$T/root/etc/hardrun/policy.json.example" \
		"$T/root/usr/sbin/hardrun-crun" --version
	[[ ${lines[0]} == "hardrun version "* ]]
	[[ ${lines[1]} == "crun version "* ]]
	# A runtime key in the policy wins over the link's name.
	printf '{"runtime": "runc"}\n' >"$T/runc.json"
	run -0 env HARDRUN_POLICY="$T/runc.json" "$T/root/usr/sbin/hardrun-crun" --version
	[[ ${lines[1]} == "runc version "* ]]
}
