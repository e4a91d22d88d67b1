#!/usr/bin/env bash
# Install what building and testing hardrun need, when it is missing.
# Used by `make check` and `make demo`; as non-root it only says what is missing.
set -u
packages=(
	build-essential pkg-config libc6-dev
	libseccomp-dev libcap-ng-dev libyajl-dev libselinux1-dev libapparmor-dev
	runc crun busybox-static bats jq shellcheck clang-format groff-base util-linux
	# make bench and its smoke tier: instruction counts with callgrind
	valgrind
	# apparmor_parser compiles the AppArmor profile in the integration tier (no kernel needed)
	apparmor
	# the engine tier, the Kubernetes installer, packaging and the man pages
	podman containerd docker.io python3 python3-tomlkit python3-yaml mandoc man-db lintian
)
if [ "${1:-}" = --list ]; then
	printf '%s\n' "${packages[@]}"
	exit 0
fi
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
	echo "deps: missing packages (install them as root): ${missing[*]}" >&2
	exit 0
fi
echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2 && apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
