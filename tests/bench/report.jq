# Statistics, targets and the table of `make bench` (tests/bench.sh).
# Used as `jq -L tests/bench 'include "report"; ...'`.

# The q-quantile of an array of numbers, interpolated between ranks (the
# same rule as tests/bench/bench.c).
def quantile($q):
  sort as $v | ($v | length) as $n | ($q * ($n - 1)) as $pos | ($pos | floor) as $i
  | if $n == 0 then null
    elif $i + 1 >= $n then $v[$n - 1]
    else $v[$i] + ($pos - $i) * ($v[$i + 1] - $v[$i]) end;

# A 95% confidence interval for the median, free of any assumption on the
# distribution (the order statistics tests/bench/bench.c prints as well).
def ci95:
  sort as $v | ($v | length) as $n | (1.96 * ($n | sqrt)) as $h
  | ((($n - $h) / 2) | floor | if . < 1 then 1 else . end) as $lo
  | ((1 + ($n + $h) / 2) | ceil | if . > $n then $n else . end) as $hi
  | {ci95_lo: $v[$lo - 1], ci95_hi: $v[$hi - 1]};

def summary: {median: quantile(0.5), p10: quantile(0.1), p90: quantile(0.9)} + ci95;

# A number with $d decimals, as text.
def fixed($d):
  if . == null then "-"
  else pow(10; $d) as $s | (. * $s | round) as $r | ($r | fabs) as $a
    | (($a / $s) | floor | tostring) as $int
    | (($a % $s) | tostring) as $frac
    | (if $r < 0 then "-" else "" end) + $int
      + (if $d > 0 then "." + ("0" * ($d - ($frac | length)) // "") + $frac else "" end)
  end;

def pad($n): tostring | if length < $n then . + " " * ($n - length) else . end;
def lpad($n): tostring | if length < $n then " " * ($n - length) + . else . end;

# ---- targets (DESIGN §9) ----------------------------------------------------

def case($id): first(.cases[] | select(.id == $id)) // null;

# One target: what it is measured on, its limit, the median and met/missed
# (null when the case did not run).  $s holds the median with its 95%
# confidence interval where there is one; "noise" says the interval reaches
# across the limit, so that another run could give the other verdict.
def target($name; $case; $s; $unit; $limit; $cmp; $text):
  ($s | if type == "object" then . else {median: .} end) as $s
  | {name: $name, case: $case, target: $text, unit: $unit, limit: $limit, value: $s.median,
     ci95: (if $s.ci95_lo == null then null else [$s.ci95_lo, $s.ci95_hi] end),
     met: (if $s.median == null then null
           elif $cmp == "le" then $s.median <= $limit
           else $s.median < $limit end)}
  | .noise = (.ci95 != null and .ci95[0] <= $limit and .ci95[1] > $limit);

def targets:
  . as $r
  | [target("pass-through"; "pass-through.state";
            $r | case("pass-through.state").added_ms; "ms"; 0.3; "le";
            "<= +0.3 ms median")]
  + [("tmpfs", "disk") as $fs
     | "create.rewrite.\($fs).docker" as $id
     | target("create, Docker config, bundle on \($fs)"; $id;
              $r | case($id).added_ms; "ms"; 1; "le"; "<= +1 ms median")]
  + [("runc.tmpfs", "runc.disk", "crun.tmpfs") as $k
     | "run.\($k)" as $id
     | target("end to end, \($k | sub("\\."; " on "))"; $id;
              $r | case($id).ratio; "x"; 1.03; "le"; "<= 1.03x runtime alone")]
  + [target("peak RSS, create of the Docker config"; "create.rewrite.tmpfs.docker";
            $r | case("create.rewrite.tmpfs.docker").wrapped.maxrss_kib; "KiB"; 4096; "lt";
            "< 4 MiB")]
  + [target("syscall cost, hardrun's profile / Docker's"; "syscall";
            $r.syscall.ratio_hardrun_docker; "x"; 1.02; "le";
            "no worse than Docker's (<= 1.02x, 2% for noise)")]
  | if $r.smoke then map(.met = null | .note = "not judged: smoke run") else . end;

# ---- the table ----------------------------------------------------------------

def ms($s): "\($s.median_ms | fixed(3)) [\($s.p10_ms | fixed(2))-\($s.p90_ms | fixed(2))]";
def span($s; $d): "\($s.median | fixed($d)) [\($s.p10 | fixed($d))..\($s.p90 | fixed($d))]";

def met_text:
  (if .met == null then .note // "not run" elif .met then "met" else "MISSED" end)
  + (if .noise and .met != null then
       " (within noise: 95% CI \(.ci95[0] | fixed(3))..\(.ci95[1] | fixed(3)))"
     else "" end);

def case_rows:
  ["case", "A median [p10-p90] ms", "B median [p10-p90] ms", "B-A ms median [p10..p90]",
   "B/A median [p10..p90]", "n"],
  (.cases[] | [.title, "\(.direct_label): " + ms(.direct), "\(.wrapped_label): " + ms(.wrapped),
               span(.added_ms; 3), span(.ratio; 3), .n]);

def table:
  . as $r
  | [case_rows] as $rows
  | [range(0; $rows[0] | length) as $c | [$rows[][$c] | tostring | length] | max] as $w
  | "hardrun bench: \($r.machine.cpu), \($r.machine.cores) cores, kernel \($r.machine.kernel), load average \($r.machine.loadavg_start) at the start, \($r.machine.loadavg_end) at the end",
    "runc \($r.machine.runc), crun \($r.machine.crun // "not installed"), libseccomp \($r.machine.libseccomp), hardrun \($r.machine.hardrun)",
    "N=\($r.params.n) pairs, \($r.params.n_run) for run and exec, \($r.params.n_slow) for the stress config (A and B interleaved, after \($r.params.warmup) warm-up pairs); B-A and B/A are taken pair by pair"
    + (if $r.smoke then "; SMOKE RUN, figures meaningless" else "" end),
    "",
    ($rows[] | [to_entries[] | .key as $k | .value | pad($w[$k])] | join("  ")),
    "",
    "peak RSS of hardrun on create (ru_maxrss, KiB): "
    + ([$r.cases[] | select(.id | startswith("create.rewrite.tmpfs."))
        | "\(.config) \(.wrapped.maxrss_kib)"] | join(", ")),
    "",
    "instructions (callgrind, up to the execve of the runtime):",
    ($r.callgrind[] | "  \(.title | pad(46)) \(.instructions | tostring | lpad(12))"
      + (if .config_bytes then "  (\(.config_bytes) bytes)" else "" end)),
    ($r.callgrind[] | select(.id == "create.rewrite.docker")
     | "  where they go in \(.title), with what each calls: "
       + ([.top_inclusive_hr[] | "\(.fn) \(.ir / 1e6 | fixed(2))M"] | join(", "))),
    "",
    (if $r.syscall then
      ($r.syscall as $s
       | "syscall cost inside the container: \($s.syscall) x \($s.iterations), \($s.runs) runs per profile, ns per call",
         "  \("profile" | pad(30)) \("ns/call median [p10..p90]" | pad(28)) BPF insns (runc 1.1 / optimized)",
         ($s.profiles[] | "  \(.label | pad(30)) \(span(.ns_per_call; 1) | pad(28)) \(.bpf_len) / \(.bpf_len_optimized)"),
         "  hardrun/Docker \(span($s.ratio_hardrun_docker; 3)), hardrun/none \(span($s.ratio_hardrun_none; 3)), Docker/none \(span($s.ratio_docker_none; 3))")
     else "syscall cost: not run" end),
    "",
    (if $r.scale then
      ($r.scale as $s
       | "scale: \($s.containers) containers created concurrently, \($s.rounds) rounds, total seconds",
         "  runc alone:      \(span($s.runc.total_s; 3)), failed \($s.runc.failed)",
         "  hardrun -> runc: \(span($s.hardrun.total_s; 3)), failed \($s.hardrun.failed)",
         "  hardrun/runc \(span($s.ratio; 3)); containers left after cleanup: \($r.leftover_containers)")
     else "scale: not run" end),
    "",
    "targets (DESIGN §9):",
    ($r.targets[] | .unit as $unit | "  \(.name | pad(46)) \(.target | pad(48)) \(.value | fixed(if $unit == "KiB" then 0 else 3 end) | lpad(7)) \(.unit | pad(4)) \(met_text)");
