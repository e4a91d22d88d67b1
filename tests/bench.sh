#!/usr/bin/env bash
# make bench: hardrun against the runtime it wraps, A and B interleaved, after
# a warm-up; medians, p10/p90 and the B/A ratio pair by pair.  A report, never
# a pass/fail: the targets of DESIGN §9 are printed beside the figures.
#
#   tests/bench.sh            the full run (a few minutes on 2 cores)
#   tests/bench.sh --smoke    tiny counts, to check that the harness works
#
# Needs root, runc, busybox-static, jq, gcc; crun and valgrind for their
# parts (a part whose tool is missing is left out of the report).  Prints the
# table on stdout, progress on stderr, and writes $OUT/results.json and the
# callgrind profiles in $OUT/callgrind.
#
# Environment (full run / --smoke):
#   N=200/3             pairs per timed case
#   N_RUN=500/3         pairs for run and exec, whose ratio is near its target and
#                       whose samples vary most (each pair is about 0.1 s)
#   WARMUP=5/1          pairs run first and dropped
#   N_SLOW=N/4/3        pairs for the large (STRESS_KIB) config, at least 10
#   STRESS_KIB=1024/64  size of the generated stress config
#   SYSCALL_RUNS=21/1   container runs per seccomp profile
#   SYSCALL_ITER=2000000/20000  calls per run
#   SCALE=50/3          containers created at once
#   SCALE_ROUNDS=5/1    rounds of that, hardrun and runc alone interleaved
#   OUT=bench/build/bench-smoke  where results.json goes
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
top=$PWD

smoke=false
case ${1:-} in
--smoke) smoke=true ;;
"") ;;
*)
	echo "usage: tests/bench.sh [--smoke]" >&2
	exit 2
	;;
esac
if $smoke; then
	N=${N:-3} N_RUN=${N_RUN:-3} WARMUP=${WARMUP:-1} N_SLOW=${N_SLOW:-3} STRESS_KIB=${STRESS_KIB:-64}
	SYSCALL_RUNS=${SYSCALL_RUNS:-1} SYSCALL_ITER=${SYSCALL_ITER:-20000}
	SCALE=${SCALE:-3} SCALE_ROUNDS=${SCALE_ROUNDS:-1} OUT=${OUT:-build/bench-smoke}
else
	N=${N:-200} N_RUN=${N_RUN:-500} WARMUP=${WARMUP:-5} STRESS_KIB=${STRESS_KIB:-1024}
	N_SLOW=${N_SLOW:-$((N / 4 > 10 ? N / 4 : 10))}
	SYSCALL_RUNS=${SYSCALL_RUNS:-21} SYSCALL_ITER=${SYSCALL_ITER:-2000000}
	SCALE=${SCALE:-50} SCALE_ROUNDS=${SCALE_ROUNDS:-5} OUT=${OUT:-bench}
fi

say() { printf 'bench: %s\n' "$*" >&2; }
die() {
	say "$*"
	exit 1
}
have() { command -v "$1" >/dev/null 2>&1; }

[ "$(id -u)" -eq 0 ] || die "needs root (runc)"
for c in runc jq gcc; do have "$c" || die "needs $c"; done
busybox=$(command -v busybox || true)
if [ -z "$busybox" ] || [[ $(LC_ALL=C ldd "$busybox" 2>&1) != *"not a dynamic executable"* ]]; then
	die "needs a static busybox (busybox-static)"
fi
runc=$(command -v runc)
crun=$(command -v crun || true)
have valgrind && have callgrind_annotate && callgrind=true || callgrind=false

make -s hardrun build/bench/bench build/bench/floor build/bench/syscall-loop build/bench/bpf-len
bench=$top/build/bench/bench
floor=$top/build/bench/floor
bpflen=$top/build/bench/bpf-len
hardrun=$top/hardrun
mkdir -p "$OUT"
out=$(cd "$OUT" && pwd)
rm -rf "$out/callgrind" "$out/results.json"

# The machine is shared: its load before and after goes into the report.
load_start=$(cut -d' ' -f1 /proc/loadavg)
work=$(mktemp -d "${TMPDIR:-/tmp}/hardrun-bench.XXXXXX")
work=$(cd "$work" && pwd)
shm=$(mktemp -d /dev/shm/hardrun-bench.XXXXXX)
root=$work/runc-root
croot=$work/crun-root
id=hrb-$$
res=$work/results
mkdir -p "$res"

# crun 1.8 refuses this host's hybrid cgroup layout while the empty cgroup2
# is mounted at /sys/fs/cgroup/unified: run it in a private mount namespace
# without that mount (TESTING.md).
in_crun_ns() {
	unshare -m --propagation private sh -c \
		'if grep -q " /sys/fs/cgroup/unified " /proc/self/mountinfo; then
			umount /sys/fs/cgroup/unified; fi; exec "$@"' sh "$@"
}

# How many containers are left in either root; delete_all deletes them, and
# cleanup the temporary trees too.
leftovers() {
	local n=0 c
	for c in $("$runc" --root "$root" list -q 2>/dev/null); do n=$((n + 1)); done
	if [ -n "$crun" ] && [ -d "$croot" ]; then
		for c in $(in_crun_ns "$crun" --root "$croot" list -q 2>/dev/null); do n=$((n + 1)); done
	fi
	echo "$n"
}
delete_all() {
	local c
	for c in $("$runc" --root "$root" list -q 2>/dev/null); do
		"$runc" --root "$root" delete --force "$c" >/dev/null 2>&1 || true
	done
	if [ -n "$crun" ] && [ -d "$croot" ]; then
		# shellcheck disable=SC2016 # expanded by that sh
		in_crun_ns sh -c 'for c in $("$1" --root "$2" list -q); do
			"$1" --root "$2" delete --force "$c"; done' sh "$crun" "$croot" >/dev/null 2>&1 || true
	fi
}
cleanup() {
	delete_all
	rm -rf "$work" "$shm"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- bundles and configs ------------------------------------------------------
# One busybox rootfs on disk, shared by every bundle through an absolute
# root.path; bundles hold only config.json, on disk ($work) or on tmpfs
# ($shm, as /run is for containerd and Docker).

rootfs=$work/rootfs
mkdir -p "$rootfs/bin" "$rootfs/etc"
cp "$busybox" "$rootfs/bin/busybox"
for a in sh sleep true; do ln -s busybox "$rootfs/bin/$a"; done
cp build/bench/syscall-loop "$rootfs/bin/syscall-loop"
mkdir -p "$rootfs"/{proc,sys,dev,tmp,var/tmp,var/log,var/cache,run,root}
chmod 1777 "$rootfs/tmp" "$rootfs/var/tmp"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' \
	>"$rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"

cfg=$work/configs
mkdir -p "$cfg"
(cd "$cfg" && "$runc" spec && mv config.json runc-spec.json)
# shellcheck disable=SC2016 # $r is jq's
jq --arg r "$rootfs" '.root.path = $r | .process.terminal = false' "$cfg/runc-spec.json" \
	>"$cfg/base.json"

# Docker's config with its full seccomp profile (tests/data/docker.json), and
# the 20 annotations an orchestrated container carries (the file has none).
# shellcheck disable=SC2016 # $d is jq's
jq -c --arg d "sha256:$(printf '%064d' 0 | tr 0 7)" '.annotations = {
	"io.kubernetes.cri.container-type": "container",
	"io.kubernetes.cri.container-name": "web",
	"io.kubernetes.cri.sandbox-id": ($d[7:]),
	"io.kubernetes.cri.sandbox-name": "web-6d4cf56db6-x7k2p",
	"io.kubernetes.cri.sandbox-namespace": "shop",
	"io.kubernetes.cri.sandbox-uid": "0f3b6b52-4e0a-4d3e-9c53-2b9a8c3c6f11",
	"io.kubernetes.cri.image-name": "registry.example.com/shop/web:1.24.3",
	"org.opencontainers.image.title": "web",
	"org.opencontainers.image.description": "The shop front end, served by nginx",
	"org.opencontainers.image.version": "1.24.3",
	"org.opencontainers.image.revision": "9c1e4f0d2b7a5e3c8f6a1d0b4e7c2a9f5d3b8e1c",
	"org.opencontainers.image.created": "2024-05-14T09:31:27Z",
	"org.opencontainers.image.source": "https://git.example.com/shop/web",
	"org.opencontainers.image.url": "https://shop.example.com",
	"org.opencontainers.image.documentation": "https://git.example.com/shop/web/README.md",
	"org.opencontainers.image.authors": "shop-team@example.com",
	"org.opencontainers.image.vendor": "Example Shop",
	"org.opencontainers.image.licenses": "Apache-2.0",
	"org.opencontainers.image.base.name": "docker.io/library/debian:bookworm-slim",
	"org.opencontainers.image.base.digest": $d}' tests/data/docker.json >"$cfg/docker.json"

# The stress config: Docker's, with as many annotations, env entries and
# tmpfs mounts (one per four) as make it STRESS_KIB KiB.
stress() { # COUNT
	# shellcheck disable=SC2016 # $k is jq's
	jq -c --argjson k "$1" '("x" * 72) as $v
		| .annotations += ([range($k) | {key: "io.example.stress.\(.)", value: $v}] | from_entries)
		| .process.env += [range($k) | "STRESS_\(.)=\($v)"]
		| .mounts += [range($k / 4 | floor) | {destination: "/stress/\(.)", type: "tmpfs",
			source: "tmpfs", options: ["nosuid", "nodev", "noexec", "size=1m"]}]' \
		"$cfg/docker.json"
}
s0=$(stress 0 | wc -c)
s1=$(stress 1000 | wc -c)
stress $(((STRESS_KIB * 1024 - s0) * 1000 / (s1 - s0))) >"$cfg/stress.json"

printf '{"runtime":"%s"}\n' "$runc" >"$work/policy-runc.json"
printf '{"runtime":"/bin/true"}\n' >"$work/policy-true.json"
[ -z "$crun" ] || printf '{"runtime":"%s"}\n' "$crun" >"$work/policy-crun.json"
export HARDRUN_POLICY=$work/policy-runc.json

# The config hardrun writes for CONFIG (runtime a no-op), on stdout.
hardened() { # CONFIG
	local d
	d=$(mktemp -d "$shm/h.XXXXXX")
	cp "$1" "$d/config.json"
	HARDRUN_POLICY=$work/policy-true.json "$hardrun" create --bundle "$d" h >&2 ||
		die "hardrun refused $1"
	cat "$d/config.json"
	rm -rf "$d"
}

# A config of base.json (runc spec's) that runs ARGS.
with_args() { # ARG...
	local a='[]' x
	for x in "$@"; do a=$(jq -c --arg x "$x" '. + [$x]' <<<"$a"); done
	jq --argjson a "$a" '.process.args = $a' "$cfg/base.json"
}

# ---- timed cases ----------------------------------------------------------------

# run_case ID TITLE A-LABEL B-LABEL N PREP-A PREP-B [KEY=JSON...] -- A... -- B...
# Runs bench, and keeps its result with the labels (and each KEY=JSON) as
# one line of $res/cases.jsonl.
run_case() {
	local id=$1 title=$2 la=$3 lb=$4 n=$5 pa=$6 pb=$7 extra='{}' r
	shift 7
	while [ "$1" != -- ]; do
		extra=$(jq -c --arg k "${1%%=*}" --argjson v "${1#*=}" '.[$k] = $v' <<<"$extra")
		shift
	done
	say "$title ($la vs $lb, $n pairs)"
	r=$("${BENCH_PREFIX[@]}" "$bench" -w "$WARMUP" "$n" "$pa" "$pb" "$@") ||
		die "case $id failed"
	jq -c --arg id "$id" --arg t "$title" --arg a "$la" --arg b "$lb" --argjson x "$extra" \
		'{id: $id, title: $t, direct_label: $a, wrapped_label: $b} + $x + .' <<<"$r" \
		>>"$res/cases.jsonl"
}
BENCH_PREFIX=()

# A running container, for state and exec: sleep, from the hardened config so
# that both sides exec into the same container.
mkdir -p "$shm/run"
with_args sleep 1000000 >"$work/sleep.json"
hardened "$work/sleep.json" >"$shm/run/config.json"
"$runc" --root "$root" run -d --bundle "$shm/run" "$id-run" </dev/null >/dev/null 2>&1 ||
	die "runc cannot run the busybox bundle"

# 1. Pass-through: the state of a running container.
run_case pass-through.state "pass-through: state" "runc" "hardrun" "$N" - - \
	-- "$runc" --root "$root" state "$id-run" \
	-- "$hardrun" --root "$root" state "$id-run"
# The floor for any exec wrapper: a static program that only execs runc.
# What hardrun adds beyond it is its own pass-through work.
run_case pass-through.floor "floor: a static exec-only wrapper" "runc" "floor" "$N" - - \
	-- "$runc" --root "$root" state "$id-run" \
	-- "$floor" "$runc" --root "$root" state "$id-run"
run_case pass-through.vs-floor "pass-through: hardrun vs the floor" "floor" "hardrun" "$N" - - \
	-- "$floor" "$runc" --root "$root" state "$id-run" \
	-- "$hardrun" --root "$root" state "$id-run"

# 4. exec into the running container.
run_case exec.runc "exec true" "runc" "hardrun" "$N_RUN" - - \
	-- "$runc" --root "$root" exec "$id-run" true \
	-- "$hardrun" --root "$root" exec "$id-run" true
"$runc" --root "$root" delete --force "$id-run" >/dev/null

# 2. create, with the runtime a no-op (/bin/true): only hardrun's own work is
# timed, against /bin/true alone.  "rewrite": every sample starts from the
# original config.  "compliant": the config hardrun wrote, which it reads,
# checks and leaves alone.  On disk, the atomic write's fsync is paid; on
# tmpfs it is not.
for name in runc-spec docker stress; do
	src=$cfg/$name.json
	bytes=$(stat -c %s "$src")
	n=$N
	[ "$name" = stress ] && n=$N_SLOW
	for fs in tmpfs disk; do
		if [ "$fs" = tmpfs ]; then d=$shm/c-$name; else d=$work/c-$name; fi
		mkdir -p "$d"
		cp "$src" "$d/orig.json"
		HARDRUN_POLICY=$work/policy-true.json run_case "create.rewrite.$fs.$name" \
			"create $name ($bytes B), rewrite, $fs" "true" "hardrun" "$n" \
			- "copy:$d/orig.json:$d/config.json" "config=\"$name\"" "config_bytes=$bytes" \
			-- /bin/true create --bundle "$d" x -- "$hardrun" create --bundle "$d" x
	done
	d=$shm/c-$name
	hardened "$src" >"$d/config.json"
	HARDRUN_POLICY=$work/policy-true.json run_case "create.compliant.tmpfs.$name" \
		"create $name, compliant, tmpfs" "true" "hardrun" "$n" - - "config=\"$name\"" \
		"config_bytes=$bytes" \
		-- /bin/true create --bundle "$d" x -- "$hardrun" create --bundle "$d" x
done

# 3. End to end: run busybox true.  The runtime alone gets the config hardrun
# would write, so the ratio is hardrun's own cost, not the cost of the tmpfs
# mounts the policy adds.
with_args true >"$work/true.json"
hardened "$work/true.json" >"$work/true-hardened.json"
for fs in tmpfs disk; do
	if [ "$fs" = tmpfs ]; then b=$shm/e2e; else b=$work/e2e; fi
	mkdir -p "$b"
	run_case "run.runc.$fs" "run true, runc, $fs" "runc" "hardrun" "$N_RUN" \
		"copy:$work/true-hardened.json:$b/config.json" "copy:$work/true.json:$b/config.json" \
		-- "$runc" --root "$root" run --bundle "$b" "$id-e2e" \
		-- "$hardrun" --root "$root" run --bundle "$b" "$id-e2e"
done
if [ -n "$crun" ]; then
	b=$shm/e2e-crun
	mkdir -p "$b"
	# crun's hardened config, from hardrun itself in front of crun.
	cp "$work/true.json" "$b/config.json"
	HARDRUN_POLICY=$work/policy-crun.json in_crun_ns "$hardrun" --root "$croot" create \
		--bundle "$b" "$id-c" </dev/null >/dev/null || die "hardrun with crun failed"
	in_crun_ns "$crun" --root "$croot" delete --force "$id-c" >/dev/null
	cp "$b/config.json" "$work/true-hardened-crun.json"
	BENCH_PREFIX=(in_crun_ns)
	HARDRUN_POLICY=$work/policy-crun.json run_case run.crun.tmpfs "run true, crun, tmpfs" \
		"crun" "hardrun" "$N_RUN" \
		"copy:$work/true-hardened-crun.json:$b/config.json" "copy:$work/true.json:$b/config.json" \
		-- "$crun" --root "$croot" run --bundle "$b" "$id-e2e" \
		-- "$hardrun" --root "$croot" run --bundle "$b" "$id-e2e"
	BENCH_PREFIX=()
else
	say "crun is not installed: end to end against crun left out"
fi

# ---- 2b. instructions, with callgrind --------------------------------------------
# Counted up to the execve of the runtime (--dump-before=execve), so the count
# is hardrun's alone; repeatable where timings are not.

: >"$res/callgrind.jsonl"
callgrind_one() { # ID TITLE BYTES CMD...
	local id=$1 title=$2 bytes=$3 f ir self incl
	shift 3
	say "callgrind: $title"
	f=$out/callgrind/$id.out
	valgrind --tool=callgrind --dump-before=execve --callgrind-out-file="$f" "$@" \
		</dev/null >/dev/null 2>"$f.log" || die "callgrind $id failed: $(tail -3 "$f.log")"
	[ -s "$f.1" ] || die "callgrind $id: no dump before execve ($f.1)"
	ir=$(sed -n 's/^summary: *//p' "$f.1")
	# The ten functions that cost most on their own, and the ten of hardrun's
	# own (hr_*) that cost most with what they call.
	self=$(callgrind_annotate --tree=none --inclusive=no "$f.1" | top_functions . 10)
	incl=$(callgrind_annotate --tree=none --inclusive=yes "$f.1" | top_functions '^hr_' 10)
	jq -nc --arg id "$id" --arg t "$title" --argjson b "$bytes" --argjson ir "$ir" \
		--argjson self "$self" --argjson incl "$incl" \
		'{id: $id, title: $t, config_bytes: $b, instructions: $ir, top_self: $self,
		  top_inclusive_hr: $incl}' >>"$res/callgrind.jsonl"
}
# callgrind_annotate's function lines, "1,234 (5.6%)  file:function [binary]",
# as a JSON array of {fn, ir}: the first COUNT whose name matches ERE.  With
# --inclusive=yes a function can be listed twice (under its source path and
# under the binary's) and recursion adds "fn'2" entries: the first of each
# name counts, and the recursive ones and "(below main)" are left out.
top_functions() { # ERE COUNT
	awk -v re="$1" -v max="$2" '
		/^ *[0-9,]+ +\( *[0-9.]+%\) +[^ ]/ && !/PROGRAM TOTALS/ {
			ir = $1; gsub(",", "", ir)
			fn = $0; sub(/^ *[0-9,]+ +\( *[0-9.]+%\) +/, "", fn); sub(/ \[.*$/, "", fn)
			sub(/^.*:/, "", fn)
			if (fn ~ /'"'"'|^\(below main\)$/ || seen[fn]++ || fn !~ re || n >= max) next
			printf "%s{\"fn\":\"%s\",\"ir\":%s}", n ? "," : "", fn, ir; n++
		}
		BEGIN { printf "[" } END { print "]" }'
}
if $callgrind; then
	mkdir -p "$out/callgrind"
	"$runc" --root "$root" run -d --bundle "$shm/run" "$id-run" </dev/null >/dev/null 2>&1
	callgrind_one pass-through.state "hardrun state (pass-through)" null \
		"$hardrun" --root "$root" state "$id-run"
	callgrind_one pass-through.floor "floor: exec-only wrapper" null \
		"$floor" "$runc" --root "$root" state "$id-run"
	"$runc" --root "$root" delete --force "$id-run" >/dev/null
	for name in runc-spec docker stress; do
		d=$shm/c-$name
		cp "$d/orig.json" "$d/config.json"
		HARDRUN_POLICY=$work/policy-true.json callgrind_one "create.rewrite.$name" \
			"create $name, rewrite" "$(stat -c %s "$d/orig.json")" \
			"$hardrun" create --bundle "$d" x
		HARDRUN_POLICY=$work/policy-true.json callgrind_one "create.compliant.$name" \
			"create $name, compliant" "$(stat -c %s "$d/config.json")" \
			"$hardrun" create --bundle "$d" x
	done
else
	say "valgrind is not installed: instruction counts left out"
fi

# ---- 6. syscall cost inside the container ----------------------------------------
# syscall-loop under no filter (runc spec's config), Docker's profile (its
# linux.seccomp), hardrun's merge of Docker's with its own (the config hardrun
# writes from the Docker one) and hardrun's own profile alone (the config
# hardrun writes from runc spec's), each run by runc, interleaved.

say "syscall cost: $SYSCALL_RUNS runs per profile of getpid x $SYSCALL_ITER"
with_args /bin/syscall-loop "$SYSCALL_ITER" getpid >"$work/sys-none.json"
jq --slurpfile d tests/data/docker.json '.linux.seccomp = $d[0].linux.seccomp' \
	"$work/sys-none.json" >"$work/sys-docker.json"
hardened "$work/sys-docker.json" >"$work/sys-hardrun.json"
hardened "$work/sys-none.json" >"$work/sys-hardrun-default.json"
profiles=(none docker hardrun hardrun-default)
: >"$res/syscall.jsonl"
mkdir -p "$shm/sys"
for r in $(seq "$SYSCALL_RUNS"); do
	for p in "${profiles[@]}"; do
		cp "$work/sys-$p.json" "$shm/sys/config.json"
		line=$("$runc" --root "$root" run --bundle "$shm/sys" "$id-sys" </dev/null) ||
			die "syscall-loop under the $p profile failed"
		ns=$(sed -n 's/.*ns_per_call=\([0-9.]*\).*/\1/p' <<<"$line")
		[ -n "$ns" ] || die "syscall-loop printed no ns_per_call: $line"
		printf '{"run":%d,"profile":"%s","ns":%s}\n' "$r" "$p" "$ns" >>"$res/syscall.jsonl"
	done
done
: >"$res/bpf.jsonl"
for p in "${profiles[@]}"; do
	if [ "$p" = none ]; then
		a=0 o=0
	else
		a=$("$bpflen" "$work/sys-$p.json") || die "bpf-len failed on the $p profile"
		o=$("$bpflen" --optimize "$work/sys-$p.json") || die "bpf-len failed on the $p profile"
	fi
	printf '{"profile":"%s","bpf_len":%d,"bpf_len_optimized":%d}\n' "$p" "$a" "$o" \
		>>"$res/bpf.jsonl"
done

# ---- 7. scale: containers created at once -----------------------------------------

say "scale: $SCALE containers created at once, $SCALE_ROUNDS rounds"
with_args true >"$work/scale.json"
hardened "$work/scale.json" >"$work/scale-hardened.json"
: >"$res/scale.jsonl"
scale_round() { # LABEL CONFIG RUNTIME...
	local label=$1 config=$2 i t0 t1 failed=0 st
	shift 2
	for i in $(seq "$SCALE"); do
		mkdir -p "$shm/scale/$i"
		cp "$config" "$shm/scale/$i/config.json"
		rm -f "$shm/scale/$i.rc"
	done
	t0=$EPOCHREALTIME
	for i in $(seq "$SCALE"); do
		{
			st=0
			"$@" --root "$root" create --bundle "$shm/scale/$i" "$id-s$i" </dev/null \
				>/dev/null 2>"$shm/scale/$i.err" || st=$?
			echo "$st" >"$shm/scale/$i.rc"
		} &
	done
	wait
	t1=$EPOCHREALTIME
	for i in $(seq "$SCALE"); do
		st=$("$runc" --root "$root" state "$id-s$i" 2>/dev/null | jq -r .status) || st=
		if [ "$(cat "$shm/scale/$i.rc")" != 0 ] || [ "$st" != created ]; then
			failed=$((failed + 1))
			say "scale: $label: container $i failed: $(head -c 300 "$shm/scale/$i.err")"
		fi
	done
	for i in $(seq "$SCALE"); do
		"$runc" --root "$root" delete --force "$id-s$i" >/dev/null 2>&1 &
	done
	wait
	jq -nc --arg l "$label" --arg t0 "$t0" --arg t1 "$t1" --argjson f "$failed" \
		'{label: $l, total_s: (($t1 | tonumber) - ($t0 | tonumber)), failed: $f}' \
		>>"$res/scale.jsonl"
}
for r in $(seq "$SCALE_ROUNDS"); do
	if [ $((r % 2)) -eq 1 ]; then
		scale_round hardrun "$work/scale.json" "$hardrun"
		scale_round runc "$work/scale-hardened.json" "$runc"
	else
		scale_round runc "$work/scale-hardened.json" "$runc"
		scale_round hardrun "$work/scale.json" "$hardrun"
	fi
done

# ---- results.json and the table -------------------------------------------------

delete_all
left=$(leftovers)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
rv=$("$runc" --version)
jq -n -L tests/bench 'include "report";
	{
	  schema: 1,
	  smoke: $smoke,
	  date: $date,
	  command: (if $smoke then "tests/bench.sh --smoke" else "make bench" end),
	  machine: {cpu: $cpu, cores: $cores, kernel: $kernel, runc: $runc, crun: $crun,
	            libseccomp: $libseccomp, hardrun: $hardrun,
	            loadavg_start: $load[0], loadavg_end: $load[1]},
	  params: {n: $p[0], warmup: $p[1], n_slow: $p[2], stress_kib: $p[3],
	           syscall_runs: $p[4], syscall_iterations: $p[5], scale: $p[6], scale_rounds: $p[7],
	           n_run: $p[8]},
	  cases: $cases,
	  callgrind: $cg,
	  syscall: ({syscall: "getpid", iterations: $p[5], runs: $p[4],
	    profiles: [$bpf[] | .profile as $p | . + {
	      label: {none: "none (no linux.seccomp)", docker: "Docker default profile",
	              hardrun: "hardrun merged with Docker'"'"'s",
	              "hardrun-default": "hardrun default alone"}[$p],
	      ns_per_call: ([$sys[] | select(.profile == $p) | .ns] | summary)}]}
	    + ($sys | group_by(.run) | map(map({key: .profile, value: .ns}) | from_entries)
	       | {ratio_hardrun_docker: (map(.hardrun / .docker) | summary),
	          ratio_hardrun_none: (map(.hardrun / .none) | summary),
	          ratio_docker_none: (map(.docker / .none) | summary)})),
	  scale: {containers: $p[6], rounds: $p[7],
	    hardrun: {total_s: ([$scale[] | select(.label == "hardrun") | .total_s] | summary),
	              failed: ([$scale[] | select(.label == "hardrun") | .failed] | add)},
	    runc: {total_s: ([$scale[] | select(.label == "runc") | .total_s] | summary),
	           failed: ([$scale[] | select(.label == "runc") | .failed] | add)},
	    ratio: ([$scale[] | select(.label == "hardrun") | .total_s] as $h
	            | [$scale[] | select(.label == "runc") | .total_s] as $c
	            | [range($h | length) | $h[.] / $c[.]] | summary)},
	  leftover_containers: $left
	} | .targets = targets' \
	--argjson smoke "$smoke" --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
	--arg cpu "$cpu" --argjson cores "$(nproc)" --arg kernel "$(uname -r)" \
	--arg runc "$(sed -n 's/^runc version //p' <<<"$rv")" \
	--arg libseccomp "$(sed -n 's/^libseccomp: //p' <<<"$rv")" \
	--argjson crun "$(if [ -n "$crun" ]; then "$crun" --version | sed -n 's/^crun version //p' |
		jq -R .; else echo null; fi)" \
	--arg hardrun "$(sed -n 's/^VERSION := //p' Makefile) ($(git rev-parse --short HEAD 2>/dev/null ||
		echo unknown)$(git diff --quiet HEAD -- src include 2>/dev/null || echo ', modified'))" \
	--argjson p "[$N, $WARMUP, $N_SLOW, $STRESS_KIB, $SYSCALL_RUNS, $SYSCALL_ITER, $SCALE, $SCALE_ROUNDS,
		$N_RUN]" \
	--slurpfile cases "$res/cases.jsonl" --slurpfile cg "$res/callgrind.jsonl" \
	--slurpfile sys "$res/syscall.jsonl" --slurpfile bpf "$res/bpf.jsonl" \
	--slurpfile scale "$res/scale.jsonl" --argjson left "$left" \
	--argjson load "[$load_start, $(cut -d' ' -f1 /proc/loadavg)]" >"$out/results.json.tmp"
mv "$out/results.json.tmp" "$out/results.json"
jq -r -L tests/bench 'include "report"; table' "$out/results.json"
say "results in $OUT/results.json"
