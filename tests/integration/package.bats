#!/usr/bin/env bats
# shellcheck disable=SC2154 # $output, $lines: set by bats' run
# make uninstall, and the Debian package (`make deb`): built from the tree,
# installed with dpkg into a fresh root, run, removed and purged; lintian.

load helpers

setup() {
	require_hardrun
	require_cmd make
	T=$(mktemp -d /tmp/hrt.XXXXXX)
}

teardown() {
	rm -rf "$T"
}

@test "package: make install places completion and man links; make uninstall removes all it installed" {
	run -0 make -C "$HR_TOP" -s install DESTDIR="$T/root" PREFIX=/usr
	[ -f "$T/root/usr/share/bash-completion/completions/hardrun" ]
	[ "$(readlink "$T/root/usr/share/man/man8/hardrun-runc.8")" = hardrun.8 ]
	[ "$(readlink "$T/root/usr/share/man/man8/hardrun-crun.8")" = hardrun.8 ]
	local p
	for p in "$HR_TOP"/man/*.[1-9]; do
		[ -f "$T/root/usr/share/man/man${p##*.}/${p##*/}" ] || fail "man page ${p##*/} not installed"
	done
	for p in "$HR_TOP"/profiles/*/*; do
		[ -f "$T/root/usr/share/hardrun/${p#"$HR_TOP"/profiles/}" ] || fail "$p not installed"
	done
	# The admin's own policy survives an uninstall.
	echo '{}' >"$T/root/etc/hardrun/policy.json"
	run -0 make -C "$HR_TOP" -s uninstall DESTDIR="$T/root" PREFIX=/usr
	run -0 find "$T/root" ! -type d
	assert_eq "$output" "$T/root/etc/hardrun/policy.json" "files left after uninstall"
}

@test "package: make deb builds a package that installs into a fresh root, runs, and purges cleanly" {
	require_cmd dpkg dpkg-deb
	run -0 make -C "$HR_TOP" -s deb
	local deb=${lines[-1]}
	[[ $deb == */build/deb/hardrun_*_"$(dpkg --print-architecture)".deb ]] || fail "no package: $output"
	run -0 dpkg-deb -f "$deb" Package Version Depends
	assert_eq "$output" "$(printf 'Package: hardrun\nVersion: %s\nDepends: runc | crun' \
		"$(sed -n 's/^VERSION := //p' "$HR_TOP/Makefile")")" "control fields"

	# A fresh dpkg database: nothing else is installed there, so the
	# dependency on runc is forced.
	local r=$T/root
	mkdir -p "$r/var/lib/dpkg/info" "$r/var/lib/dpkg/updates" "$r/var/log"
	: >"$r/var/lib/dpkg/status"
	: >"$r/var/lib/dpkg/available"
	run -0 dpkg --root="$r" --force-depends --force-script-chrootless -i "$deb"
	# shellcheck disable=SC2016 # a dpkg-query format
	run -0 dpkg-query --admindir="$r/var/lib/dpkg" -W -f '${Status}' hardrun
	assert_eq "$output" "install ok installed" "package status"
	run -0 "$r/usr/sbin/hardrun" --version
	assert_eq "${lines[0]}" "hardrun version $(sed -n 's/^VERSION := //p' "$HR_TOP/Makefile")" "--version"
	[ "$(readlink "$r/usr/sbin/hardrun-runc")" = hardrun ]
	[ -f "$r/usr/share/man/man8/hardrun.8.gz" ]
	[ -f "$r/usr/share/doc/hardrun/examples/kubernetes/hardrun-install" ]
	run -0 grep -x /etc/hardrun/policy.json.example "$r/var/lib/dpkg/info/hardrun.conffiles"

	# Remove keeps the conffile; purge removes it.
	run -0 dpkg --root="$r" --force-script-chrootless -r hardrun
	[ ! -e "$r/usr/sbin/hardrun" ]
	[ -f "$r/etc/hardrun/policy.json.example" ]
	run -0 dpkg --root="$r" --force-script-chrootless -P hardrun
	[ ! -e "$r/etc/hardrun/policy.json.example" ]
	run -0 find "$r" ! -type d ! -path "$r/var/*"
	assert_eq "$output" "" "files left after purge"
}

@test "package: lintian finds nothing in the package" {
	require_cmd lintian
	run -0 make -C "$HR_TOP" -s deb
	local deb=${lines[-1]}
	run lintian --display-info --pedantic "$deb"
	printf '# %s\n' "${lines[@]}" >&3
	! grep -E '^[EWIP]: ' <<<"$output" || fail "lintian: $output"
}
