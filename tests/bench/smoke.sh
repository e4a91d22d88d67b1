#!/usr/bin/env bash
# The bench-smoke tier: run the bench harness (tests/bench.sh --smoke) on tiny
# counts and check that it produces a well-formed results.json.  Prints TAP.
# It never compares timings: a smoke run's figures mean nothing, only their
# shape is checked.  Skips, with the reason, without root or runc.
# shellcheck disable=SC2016 # the $names in the jq programs are jq's
set -u
cd "$(dirname "$0")/../.." || exit 1
out=$PWD/build/bench-smoke
results=$out/results.json
log=$out/bench.log

n=0
ok() { # STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}
skip() { # DESCRIPTION REASON
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}
# check DESCRIPTION JQ-FILTER: the filter must hold on results.json.
check() {
	local what=$1
	shift
	jq -e "$@" "$results" >/dev/null 2>&1
	ok $? "$what"
}

if [ "$(id -u)" -ne 0 ]; then
	skip "bench harness" "needs root (runc containers)"
	exit 0
fi
if ! command -v runc >/dev/null; then
	skip "bench harness" "runc is not installed"
	exit 0
fi

rm -rf "$out"
mkdir -p "$out/tmp"
shm_before=$(find /dev/shm -maxdepth 1 -name 'hardrun-bench.*' | sort)
TMPDIR=$out/tmp OUT=$out tests/bench.sh --smoke >"$out/table.txt" 2>"$log"
st=$?
ok "$st" "tests/bench.sh --smoke exits 0"
if [ "$st" -ne 0 ]; then
	sed 's/^/# /' "$log" | tail -20
	exit 0
fi

jq empty "$results" 2>/dev/null
ok $? "results.json is JSON"
check "schema 1, a smoke run, with its command and date" \
	'.schema == 1 and .smoke == true and .command == "tests/bench.sh --smoke" and
	 (.date | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$"))'
check "machine: cpu, cores, kernel, runc, libseccomp, hardrun and load average" \
	'.machine | (.cpu, .kernel, .runc, .libseccomp, .hardrun | type == "string" and length > 0)
	 and (.cores | type == "number" and . >= 1)
	 and (.loadavg_start, .loadavg_end | type == "number" and . >= 0)'
check "params: every count a positive integer" \
	'[.params[]] | length == 9 and all(type == "number" and . >= 1 and . == floor)'

# Every timed case, with both sides' order statistics and the pairwise ones.
cases=(pass-through.state pass-through.floor pass-through.vs-floor exec.runc run.runc.tmpfs
	run.runc.disk)
for c in runc-spec docker stress; do
	cases+=("create.rewrite.tmpfs.$c" "create.rewrite.disk.$c" "create.compliant.tmpfs.$c")
done
command -v crun >/dev/null && cases+=(run.crun.tmpfs)
for id in "${cases[@]}"; do
		check "case $id: medians, p10 and p90 of A, B, B-A and B/A, CI of the last two, peak RSS" --arg id "$id" '
		def num: type == "number";
		def stats($s): ($s.median | num) and ($s.p10 | num) and ($s.p90 | num)
			and $s.p10 <= $s.median and $s.median <= $s.p90;
		def ci($s): stats($s) and ($s.ci95_lo | num) and ($s.ci95_hi | num)
			and $s.ci95_lo <= $s.median and $s.median <= $s.ci95_hi;
		def side: stats({median: .median_ms, p10: .p10_ms, p90: .p90_ms})
			and (.maxrss_kib | num and . > 0);
		[.cases[] | select(.id == $id)] | length == 1 and (.[0] |
			(.title, .direct_label, .wrapped_label | type == "string") and
			(.n | num and . >= 1) and (.warmup | num) and
			(.direct | side) and (.wrapped | side) and ci(.added_ms) and ci(.ratio))'
done
command -v crun >/dev/null || skip "case run.crun.tmpfs" "crun is not installed"
check "create cases name their config and its size" \
	'[.cases[] | select(.id | startswith("create."))] | length == 9 and
	 all(.config | IN("runc-spec", "docker", "stress")) and all(.config_bytes > 0)'
check "the stress config is near STRESS_KIB" \
	'[.cases[] | select(.id == "create.rewrite.tmpfs.stress") | .config_bytes][0] as $b
	 | ($b - .params.stress_kib * 1024 | fabs) < 2048'

if command -v valgrind >/dev/null; then
	for id in pass-through.state pass-through.floor create.rewrite.runc-spec \
		create.compliant.runc-spec create.rewrite.docker create.compliant.docker \
		create.rewrite.stress create.compliant.stress; do
				check "callgrind $id: instructions and the costliest functions" --arg id "$id" '
			[.callgrind[] | select(.id == $id)] | length == 1 and (.[0] |
				(.instructions | type == "number" and . > 0 and . == floor) and
				(.top_self | length > 0 and all(.fn | type == "string"))
				and all(.top_self[]; .ir > 0))'
	done
	check "callgrind: create profiles show hardrun's own functions" \
		'[.callgrind[] | select(.id | startswith("create.")) | .top_inclusive_hr | length > 0] | all'
else
	skip "callgrind" "valgrind is not installed"
fi

check "syscall cost: ns per call under each of the four profiles, and the ratios" '
	.syscall | (.profiles | map(.profile) == ["none", "docker", "hardrun", "hardrun-default"])
	and all(.profiles[]; .ns_per_call.median > 0 and (.label | length > 0))
	and ([.ratio_hardrun_docker, .ratio_hardrun_none, .ratio_docker_none][]
	     | .median > 0 and .p10 > 0 and .p90 > 0)'
check "BPF lengths: none without a filter, a program for every profile" '
	.syscall.profiles | (.[0] | .bpf_len == 0 and .bpf_len_optimized == 0)
	and all(.[1:][]; .bpf_len > 0 and .bpf_len_optimized > 0)'
check "scale: every container of every round created, through hardrun and runc alone" '
	.scale | .containers == $p.scale and .rounds == $p.scale_rounds
	and .hardrun.failed == 0 and .runc.failed == 0
	and .hardrun.total_s.median > 0 and .runc.total_s.median > 0 and .ratio.median > 0' \
	--argjson p "$(jq .params "$results")"
check "no container left behind" '.leftover_containers == 0'
left=$(find "$out/tmp" -mindepth 1 -maxdepth 1 | wc -l)
shm_after=$(find /dev/shm -maxdepth 1 -name 'hardrun-bench.*' | sort)
[ "$left" -eq 0 ] && [ -z "$(comm -13 <(echo "$shm_before") <(echo "$shm_after"))" ]
ok $? "the bench's temporary trees are removed"
check "targets: the eight of DESIGN §9, each with its limit, not judged in a smoke run" '
	.targets | length == 8 and all(
		(.name, .target, .unit | type == "string") and (.limit | type == "number")
		and (.value | type == "number" or (. == null and $crun == false)) and .met == null
		and (.noise | type == "boolean"))' \
	--argjson crun "$(command -v crun >/dev/null && echo true || echo false)"
grep -q '^targets (DESIGN §9):' "$out/table.txt" && grep -q '^pass-through: state ' "$out/table.txt"
ok $? "the table is printed"
echo "1..$n"
