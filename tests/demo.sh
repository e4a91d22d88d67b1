#!/usr/bin/env bash
# `make demo`: run the same container once through plain runc and once
# through hardrun -> runc, and show side by side what the process inside can
# do, as reported by the probe (tests/probe/probe.c).
#
# Needs root (it runs real containers).  Installs what is missing with
# apt-get, builds hardrun and the probe, and removes everything it created
# on exit.  Works on a fresh Debian 12 machine.
set -euo pipefail

cd "$(dirname "$0")/.."
top=$PWD

if [ "$(id -u)" -ne 0 ]; then
	echo "demo: this runs real containers with runc, so it needs root." >&2
	echo "demo: run it again as root, e.g.: sudo make demo" >&2
	exit 1
fi

say() { printf 'demo: %s\n' "$*" >&2; }

# ---- dependencies -------------------------------------------------------------

missing=()
need_cmd() { # command package
	command -v "$1" >/dev/null 2>&1 || missing+=("$2")
}
need_cmd runc runc
need_cmd jq jq
need_cmd gcc gcc
need_cmd make make
need_cmd pkg-config pkg-config
# busybox must be static: it is copied alone into an empty rootfs
static_busybox() {
	local out
	bb=$(command -v busybox 2>/dev/null) || return 1
	out=$(LC_ALL=C ldd "$bb" 2>&1 || true)
	[[ $out == *"not a dynamic executable"* ]]
}
static_busybox || missing+=(busybox-static)
# the probe is linked statically: it needs libc.a
if ! command -v gcc >/dev/null 2>&1 || [ ! -f "$(gcc -print-file-name=libc.a)" ]; then
	missing+=(libc6-dev)
fi
if command -v pkg-config >/dev/null 2>&1; then
	for pair in libseccomp:libseccomp-dev libcap-ng:libcap-ng-dev yajl:libyajl-dev \
		libselinux:libselinux1-dev libapparmor:libapparmor-dev; do
		pkg-config --exists "${pair%%:*}" || missing+=("${pair#*:}")
	done
else
	missing+=(libseccomp-dev libcap-ng-dev libyajl-dev libselinux1-dev libapparmor-dev)
fi
if [ ${#missing[@]} -gt 0 ]; then
	command -v apt-get >/dev/null 2>&1 || {
		say "missing: ${missing[*]}, and there is no apt-get to install them"
		exit 1
	}
	say "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
	static_busybox || {
		say "busybox is still not a static binary: $bb"
		exit 1
	}
fi

# ---- build -----------------------------------------------------------------------

tmp=$(mktemp -d /tmp/hardrun-demo.XXXXXX)
root=$tmp/runc-root
ids=()
cleanup() {
	local id
	for id in "${ids[@]}"; do
		runc --root "$root" delete --force "$id" >/dev/null 2>&1 || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

say "building hardrun"
if ! make -s -C "$top" hardrun >"$tmp/make.log" 2>&1; then
	cat "$tmp/make.log" >&2
	say "make failed"
	exit 1
fi
gcc -static -O2 -Wall -Wextra -Werror -o "$tmp/probe" tests/probe/probe.c

# ---- the bundle ------------------------------------------------------------------
# A busybox rootfs with the probe as the container's command.  The config is
# `runc spec`'s with a writable root and noNewPrivileges off, as Docker and
# Podman write it by default.

make_bundle() { # DIR
	local dir=$1 a
	mkdir -p "$dir/rootfs/bin"
	cp "$bb" "$dir/rootfs/bin/busybox"
	for a in $("$bb" --list); do
		[ "$a" = busybox ] || ln -s busybox "$dir/rootfs/bin/$a"
	done
	mkdir -p "$dir/rootfs"/{proc,sys,dev,etc,tmp,var/tmp,var/log,var/cache,run}
	chmod 1777 "$dir/rootfs/tmp" "$dir/rootfs/var/tmp"
	cp "$tmp/probe" "$dir/rootfs/bin/probe"
	runc spec --bundle "$dir"
	jq '.process.args = ["/bin/probe"] | .process.terminal = false |
		.root.readonly = false | .process.noNewPrivileges = false' \
		"$dir/config.json" >"$dir/config.json.new"
	mv "$dir/config.json.new" "$dir/config.json"
}
make_bundle "$tmp/bundle"
printf '{"runtime": "runc"}\n' >"$tmp/policy.json"

# ---- run -------------------------------------------------------------------------

id=hardrun-demo-$$
ids=("$id-runc" "$id-hardrun")
say "running the probe through plain runc"
runc --root "$root" run --bundle "$tmp/bundle" "$id-runc" </dev/null >"$tmp/runc.out"
say "running the probe through hardrun -> runc"
HARDRUN_POLICY=$tmp/policy.json "$top/hardrun" --root "$root" run --bundle "$tmp/bundle" \
	"$id-hardrun" </dev/null >"$tmp/hardrun.out"

# ---- the table ---------------------------------------------------------------------

get() { # KEY FILE
	awk -v k="$1=" 'index($0, k) == 1 { print substr($0, length(k) + 1); exit }' "$2"
}
show() { # kind value: a probe value as a table cell
	case $1:$2 in
	*:) echo "?" ;;
	bool:1) echo yes ;;
	bool:0) echo no ;;
	bool:"0 "*) echo "no (${2#0 })" ;;
	seccomp:0) echo "0 (off)" ;;
	seccomp:1) echo "1 (strict)" ;;
	seccomp:2) echo "2 (filter)" ;;
	*) echo "$2" ;;
	esac
}
row() { # label key kind
	printf '%-15s %-20s %s\n' "$1" "$(show "$3" "$(get "$2" "$tmp/runc.out")")" \
		"$(show "$3" "$(get "$2" "$tmp/hardrun.out")")"
}

echo
printf '%-15s %-20s %s\n' "" "runc" "hardrun → runc"
printf '%-15s %-20s %s\n' "" "----" "--------------"
row uid uid raw
row CapEff CapEff raw
row NoNewPrivs NoNewPrivs bool
row Seccomp Seccomp seccomp
row "/ writable" root_writable bool
row "/tmp writable" tmp_writable bool
