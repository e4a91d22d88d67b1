#!/usr/bin/env bash
# make bench: hardrun against direct runc in one run, medians of interleaved samples.
# Needs root, runc and busybox-static.  Prints a report on stdout; never a pass/fail.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-200}
[ "$(id -u)" -eq 0 ] || { echo "bench: needs root (runc)" >&2; exit 1; }
command -v runc >/dev/null || { echo "bench: needs runc" >&2; exit 1; }
[ -x /bin/busybox ] || { echo "bench: needs busybox-static" >&2; exit 1; }

make -s hardrun
mkdir -p build/bench
gcc -O2 -Wall -Wextra -Werror -o build/bench/bench tests/bench/bench.c
gcc -O2 -Wall -Wextra -Werror -static-pie -o build/bench/floor tests/bench/floor.c
bench=build/bench/bench
floor=$PWD/build/bench/floor
hardrun=$PWD/hardrun
runc=$(command -v runc)

work=$(mktemp -d)
root=$work/root
id=bench-$$
cleanup() {
	runc --root "$root" delete --force "$id" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

# A busybox bundle.
mkdir -p "$work/b/rootfs/bin"
cp /bin/busybox "$work/b/rootfs/bin/"
for a in sh sleep true; do ln -s busybox "$work/b/rootfs/bin/$a"; done
(cd "$work/b" && runc spec)
jq '.process.args=["sleep","1000"] | .process.terminal=false' "$work/b/config.json" >"$work/c"
mv "$work/c" "$work/b/config.json"
printf '{"runtime":"%s"}\n' "$runc" >"$work/policy-runc.json"
export HARDRUN_POLICY=$work/policy-runc.json

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')," \
	"kernel $(uname -r), $(runc --version | head -1), N=$N, medians"

# 1. Pass-through: state of a running container.
runc --root "$root" run -d --bundle "$work/b" "$id" >/dev/null </dev/null
echo "pass-through (state):  $($bench "$N" - - -- "$runc" --root "$root" state "$id" \
	-- "$hardrun" --root "$root" state "$id")"
echo "floor, a static program that only execs runc (state):  $($bench "$N" - - \
	-- "$runc" --root "$root" state "$id" -- "$floor" "$runc" --root "$root" state "$id")"
runc --root "$root" delete --force "$id" >/dev/null 2>&1

# 2. hardrun's own work on create: the runtime is /bin/true, so only hardrun
# is measured.  Bundles on disk (Podman keeps them under /var/lib) pay for the
# two fsyncs of the atomic write; on tmpfs (containerd's /run) they do not.
printf '{"runtime":"/bin/true"}\n' >"$work/policy-true.json"
shm=$(mktemp -d /dev/shm/hardrun-bench.XXXXXX)
trap 'cleanup; rm -rf "$shm"' EXIT
for dir in "$work/c1" "$shm/c1"; do
	for cfg in tests/data/docker.json "$work/b/config.json"; do
		mkdir -p "$dir"
		cp "$cfg" "$dir/orig.json"
		fs=$(stat -f -c %T "$dir")
		echo "create on $fs, rewrite $(basename "$cfg") ($(stat -c %s "$cfg") bytes):  $(
			HARDRUN_POLICY=$work/policy-true.json \
			$bench "$N" - "copy:$dir/orig.json:$dir/config.json" \
			-- /bin/true create --bundle "$dir" x -- "$hardrun" create --bundle "$dir" x)"
		# Already compliant: hardened once, then measured without rewriting.
		cp "$cfg" "$dir/config.json"
		HARDRUN_POLICY=$work/policy-true.json "$hardrun" create --bundle "$dir" x
		echo "create on $fs, compliant $(basename "$cfg"):  $(HARDRUN_POLICY=$work/policy-true.json \
			$bench "$N" - - -- /bin/true create --bundle "$dir" x \
			-- "$hardrun" create --bundle "$dir" x)"
		rm -rf "$dir"
	done
done

# 3. End to end: run busybox true.  Direct runc gets the config hardrun would
# write, so the ratio is hardrun's own cost, not the cost of the tmpfs mounts
# the policy adds.  Once with the bundle on disk, once on tmpfs.
jq '.process.args=["true"]' "$work/b/config.json" >"$work/orig.json"
runs=$((N / 5 > 20 ? N / 5 : 20))
cp -a "$work/b" "$shm/b"
for b in "$work/b" "$shm/b"; do
	cp "$work/orig.json" "$b/config.json"
	"$hardrun" --root "$root" create --bundle "$b" "$id" </dev/null >/dev/null
	runc --root "$root" delete --force "$id" >/dev/null
	cp "$b/config.json" "$work/hardened.json"
	echo "end-to-end run of true on $(stat -f -c %T "$b") (N=$runs):  $($bench "$runs" \
		"copy:$work/hardened.json:$b/config.json" "copy:$work/orig.json:$b/config.json" \
		-- "$runc" --root "$root" run --bundle "$b" "$id" \
		-- "$hardrun" --root "$root" run --bundle "$b" "$id")"
done
