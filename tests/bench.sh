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
bench=build/bench/bench
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
runc --root "$root" delete --force "$id" >/dev/null 2>&1

# 2. hardrun's own work on create: the runtime is /bin/true, so only hardrun is measured.
printf '{"runtime":"/bin/true"}\n' >"$work/policy-true.json"
for cfg in tests/data/docker.json "$work/b/config.json"; do
	mkdir -p "$work/c1"
	cp "$cfg" "$work/c1/orig.json"
	size=$(stat -c %s "$cfg")
	echo "create, rewrite $(basename "$cfg") ($size bytes):  $(HARDRUN_POLICY=$work/policy-true.json \
		$bench "$N" - "copy:$work/c1/orig.json:$work/c1/config.json" \
		-- /bin/true create --bundle "$work/c1" x \
		-- "$hardrun" create --bundle "$work/c1" x)"
	# Already compliant: hardened once, then measured without rewriting.
	HARDRUN_POLICY=$work/policy-true.json "$hardrun" create --bundle "$work/c1" x
	cp "$work/c1/config.json" "$work/c1/hardened.json"
	echo "create, compliant $(basename "$cfg"):  $(HARDRUN_POLICY=$work/policy-true.json \
		$bench "$N" - "copy:$work/c1/hardened.json:$work/c1/config.json" \
		-- /bin/true create --bundle "$work/c1" x \
		-- "$hardrun" create --bundle "$work/c1" x)"
	rm -rf "$work/c1"
done

# 3. End to end: run busybox true.  Direct runc gets the config hardrun would
# write, so the ratio is hardrun's own cost, not the cost of the tmpfs mounts
# the policy adds (shown separately, against the unhardened config).
jq '.process.args=["true"]' "$work/b/config.json" >"$work/orig.json"
cp "$work/orig.json" "$work/b/config.json"
"$hardrun" create --bundle "$work/b" hardened-once >/dev/null 2>&1 || true
runc --root "$root" delete --force hardened-once >/dev/null 2>&1 || true
"$hardrun" --root "$root" create --bundle "$work/b" "$id" </dev/null >/dev/null
runc --root "$root" delete --force "$id" >/dev/null
cp "$work/b/config.json" "$work/hardened.json"
runs=$((N / 5 > 20 ? N / 5 : 20))
echo "end-to-end run of true (N=$runs), runc given the hardened config:  $($bench "$runs" \
	"copy:$work/hardened.json:$work/b/config.json" "copy:$work/orig.json:$work/b/config.json" \
	-- "$runc" --root "$root" run --bundle "$work/b" "$id" \
	-- "$hardrun" --root "$root" run --bundle "$work/b" "$id")"
echo "end-to-end run of true (N=$runs), runc given the original config:  $($bench "$runs" \
	"copy:$work/orig.json:$work/b/config.json" "copy:$work/orig.json:$work/b/config.json" \
	-- "$runc" --root "$root" run --bundle "$work/b" "$id" \
	-- "$hardrun" --root "$root" run --bundle "$work/b" "$id")"
