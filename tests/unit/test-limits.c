/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The knob limits, over the real configs and edge cases. */
#include "knob-kit.h"

#define CORE0 "{\"type\":\"RLIMIT_CORE\",\"hard\":0,\"soft\":0}"

struct limits_case {
        const char *config; /* a whole config */
        const char *key;    /* what to compare after hardening (kit_get) */
        const char *want;   /* its compact JSON */
        int changes;
};

static void run_cases(const struct limits_case *cases, size_t n, const struct hr_policy *p,
                      const char *what)
{
        for (size_t i = 0; i < n; i++) {
                _cleanup_json_ struct hr_json *c = kit_parse(cases[i].config);
                struct hr_report rep;
                struct hr_error err;

                is_int(kit_apply("limits", c, p, &rep, &err), 0, "%s %s: no error (%s)", what,
                       cases[i].config, err.msg);
                is_str(kit_text(kit_get(c, cases[i].key)), cases[i].want, "%s %s: %s", what,
                       cases[i].config, cases[i].key);
                is_int(rep.n_changes, cases[i].changes, "%s %s: changes", what, cases[i].config);
                is_int(rep.n_violations, 0, "%s %s: nothing refused", what, cases[i].config);
                hr_report_done(&rep);
                kit_idempotent("limits", c, p, cases[i].config);
        }
}

static void test_real_configs(void)
{
        static const struct {
                const char *name, *rlimits;
                int changes;
        } cases[] = {
            {"runc-spec.json",
             "[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":1024}," CORE0 "]", 2},
            {"docker.json", "[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":1024}," CORE0 "]",
             2},
            {"docker-readonly.json",
             "[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":1024}," CORE0 "]", 2},
            /* Podman's pids limit is the policy's already */
            {"podman.json",
             "[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":1024},"
             "{\"type\":\"RLIMIT_NPROC\",\"hard\":1024,\"soft\":1024}," CORE0 "]",
             1},
            {"containerd.json",
             "[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":1024}," CORE0 "]", 2},
            {"containerd-cri-container.json",
             "[{\"type\":\"RLIMIT_NOFILE\",\"hard\":524288,\"soft\":1024}," CORE0 "]", 3},
            {"containerd-cri-sandbox.json",
             "[{\"type\":\"RLIMIT_NOFILE\",\"hard\":524288,\"soft\":1024}," CORE0 "]", 3},
        };
        struct hr_policy p;

        kit_host_state.nofile_hard = 1048576;
        kit_policy(&p, NULL);
        for (size_t i = 0; i < HR_ARRAY_SIZE(cases); i++) {
                _cleanup_json_ struct hr_json *c = kit_load(cases[i].name);
                struct hr_report rep;
                struct hr_error err;

                is_int(kit_apply("limits", c, &p, &rep, &err), 0, "%s: no error (%s)",
                       cases[i].name, err.msg);
                is_str(kit_text(kit_get(c, "linux.resources.pids.limit")), "2048", "%s: pids limit",
                       cases[i].name);
                is_str(kit_text(kit_get(c, "process.rlimits")), cases[i].rlimits, "%s: rlimits",
                       cases[i].name);
                is_int(rep.n_changes, cases[i].changes, "%s: changes", cases[i].name);
                hr_report_done(&rep);
                kit_idempotent("limits", c, &p, cases[i].name);
        }
        {
                _cleanup_json_ struct hr_json *c = kit_load("runc-spec.json");
                struct hr_report rep;
                struct hr_error err;
                int at;

                kit_apply("limits", c, &p, &rep, &err);
                at = kit_change(&rep, "linux.resources.pids.limit");
                ok(at >= 0, "runc spec: the pids limit is reported");
                if (at >= 0) {
                        is_str(rep.changes[at].knob, "limits", "knob named");
                        is_str(rep.changes[at].before, NULL, "pids limit was absent");
                        is_str(rep.changes[at].after, "2048", "pids limit after");
                }
                at = kit_change(&rep, "process.rlimits[RLIMIT_CORE]");
                ok(at >= 0, "runc spec: the core limit is reported");
                if (at >= 0)
                        is_str(rep.changes[at].after, CORE0, "core limit after");
                ok(hr_json_get(kit_get(c, "linux.resources"), "devices") != NULL,
                   "runc spec: the device cgroup stays beside pids");
                hr_report_done(&rep);
        }
        hr_policy_done(&p);
}

static void test_pids(void)
{
        static const struct limits_case cases[] = {
            {"{\"process\":{}}", "linux.resources.pids", "{\"limit\":2048}", 1},
            {"{\"process\":{},\"linux\":{\"resources\":{\"pids\":{\"limit\":0}}}}",
             "linux.resources.pids", "{\"limit\":2048}", 1},
            {"{\"process\":{},\"linux\":{\"resources\":{\"pids\":{\"limit\":-1}}}}",
             "linux.resources.pids", "{\"limit\":2048}", 1},
            {"{\"process\":{},\"linux\":{\"resources\":{\"pids\":{\"limit\":4096}}}}",
             "linux.resources.pids", "{\"limit\":2048}", 1},
            {"{\"process\":{},\"linux\":{\"resources\":{\"pids\":{\"limit\":9223372036854775807}}}"
             "}",
             "linux.resources.pids", "{\"limit\":2048}", 1},
            {"{\"process\":{},\"linux\":{\"resources\":{\"pids\":{\"limit\":-9223372036854775808}}}"
             "}",
             "linux.resources.pids", "{\"limit\":2048}", 1},
            {"{\"process\":{},\"linux\":{\"resources\":{\"pids\":{\"limit\":null}}}}",
             "linux.resources.pids", "{\"limit\":2048}", 1},
            {"{\"process\":{},\"linux\":{\"resources\":{\"pids\":null}}}", "linux.resources.pids",
             "{\"limit\":2048}", 1},
            {"{\"process\":{},\"linux\":{\"resources\":{\"pids\":{\"limit\":100}}}}",
             "linux.resources.pids", "{\"limit\":100}", 0},
            {"{\"process\":{},\"linux\":{\"resources\":{\"pids\":{\"limit\":2048}}}}",
             "linux.resources.pids", "{\"limit\":2048}", 0},
        };
        struct hr_policy p;

        kit_policy(&p, "{\"limits\": {\"nofile\": null, \"core\": null}}");
        run_cases(cases, HR_ARRAY_SIZE(cases), &p, "pids");
        hr_policy_done(&p);

        kit_policy(&p, "{\"limits\": {\"pids\": 0, \"core\": null, \"nofile\": null}}");
        {
                _cleanup_json_ struct hr_json *c = kit_parse("{\"process\":{}}");
                struct hr_report rep;
                struct hr_error err;

                is_int(kit_apply("limits", c, &p, &rep, &err), 0, "limits switched off");
                is_int(rep.n_changes, 0, "limits switched off: no change");
                is_str(kit_text(c), "{\"process\":{}}", "limits switched off: config untouched");
                hr_report_done(&rep);
        }
        hr_policy_done(&p);
}

static void test_rlimits(void)
{
#define RL(x)                                                                                      \
        "{\"process\":{\"rlimits\":[" x "]},\"linux\":{\"resources\":{\"pids\":{\"limit\":1}}}}"
        static const struct limits_case cases[] = {
            /* added, bounded by the runtime's own hard limit (20000 here) */
            {"{\"process\":{},\"linux\":{\"resources\":{\"pids\":{\"limit\":1}}}}",
             "process.rlimits",
             "[{\"type\":\"RLIMIT_NOFILE\",\"hard\":20000,\"soft\":1024}," CORE0 "]", 2},
            {RL("{\"type\":\"RLIMIT_NOFILE\",\"hard\":8192,\"soft\":4096}"), "process.rlimits",
             "[{\"type\":\"RLIMIT_NOFILE\",\"hard\":8192,\"soft\":1024}," CORE0 "]", 2},
            {RL("{\"type\":\"RLIMIT_NOFILE\",\"hard\":1048576,\"soft\":1048576}"),
             "process.rlimits",
             "[{\"type\":\"RLIMIT_NOFILE\",\"hard\":20000,\"soft\":1024}," CORE0 "]", 3},
            {RL("{\"type\":\"RLIMIT_NOFILE\",\"hard\":200,\"soft\":100}"), "process.rlimits",
             "[{\"type\":\"RLIMIT_NOFILE\",\"hard\":200,\"soft\":100}," CORE0 "]", 1},
            /* every entry of the type (runc applies them all, the last winning) */
            {RL("{\"type\":\"RLIMIT_NOFILE\",\"hard\":100,\"soft\":100},"
                "{\"type\":\"RLIMIT_NOFILE\",\"soft\":65536,\"hard\":65536}"),
             "process.rlimits",
             "[{\"type\":\"RLIMIT_NOFILE\",\"hard\":100,\"soft\":100},"
             "{\"type\":\"RLIMIT_NOFILE\",\"soft\":1024,\"hard\":20000}," CORE0 "]",
             3},
            /* core: unlimited (2^64-1, as Go writes RLIM_INFINITY) comes down to 0 */
            {RL("{\"type\":\"RLIMIT_CORE\",\"hard\":18446744073709551615,\"soft\":0},"
                "{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":1024}"),
             "process.rlimits",
             "[{\"type\":\"RLIMIT_CORE\",\"hard\":0,\"soft\":0},"
             "{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":1024}]",
             1},
            /* missing fields are 0 to runc; other types are left alone */
            {RL("{\"type\":\"RLIMIT_NOFILE\"},{\"type\":\"RLIMIT_NPROC\",\"hard\":99999999,"
                "\"soft\":1}," CORE0),
             "process.rlimits",
             "[{\"type\":\"RLIMIT_NOFILE\"},{\"type\":\"RLIMIT_NPROC\",\"hard\":99999999,"
             "\"soft\":1}," CORE0 "]",
             0},
            {"{\"process\":{\"rlimits\":null},\"linux\":{\"resources\":{\"pids\":{\"limit\":1}}}}",
             "process.rlimits",
             "[{\"type\":\"RLIMIT_NOFILE\",\"hard\":20000,\"soft\":1024}," CORE0 "]", 2},
        };
#undef RL
        struct hr_policy p;

        kit_host_state.nofile_hard = 20000;
        kit_policy(&p, NULL);
        run_cases(cases, HR_ARRAY_SIZE(cases), &p, "rlimits");
        hr_policy_done(&p);
        kit_host_state.nofile_hard = 1048576;
}

/* What is reported, and bounds from hosts with other limits. */
static void test_rlimits_host(void)
{
        struct hr_policy p;

        kit_host_state.nofile_hard = 20000;
        kit_policy(&p, NULL);
        {
                _cleanup_json_ struct hr_json *c = kit_parse("{\"process\":{\"rlimits\":[{\"type\":"
                                                             "\"RLIMIT_NOFILE\",\"hard\":8192,"
                                                             "\"soft\":4096}]}}");
                struct hr_report rep;
                struct hr_error err;
                int at;

                kit_apply("limits", c, &p, &rep, &err);
                at = kit_change(&rep, "process.rlimits[RLIMIT_NOFILE].soft");
                ok(at >= 0, "the soft limit change is reported by type");
                if (at >= 0) {
                        is_str(rep.changes[at].before, "4096", "soft before");
                        is_str(rep.changes[at].after, "1024", "soft after");
                }
                ok(kit_change(&rep, "process.rlimits[RLIMIT_NOFILE].hard") < 0,
                   "a hard limit within bounds is not changed");
                hr_report_done(&rep);
        }
        /* A host whose limit cannot be read: the policy alone bounds it. */
        kit_host_state.rlimit_error = EPERM;
        {
                _cleanup_json_ struct hr_json *c = kit_parse("{\"process\":{}}");
                struct hr_report rep;
                struct hr_error err;

                kit_apply("limits", c, &p, &rep, &err);
                is_str(kit_text(kit_get(c, "process.rlimits")),
                       "[{\"type\":\"RLIMIT_NOFILE\",\"hard\":524288,\"soft\":1024}," CORE0 "]",
                       "without the host's limit, the policy's");
                hr_report_done(&rep);
        }
        kit_host_state.rlimit_error = 0;
        /* A runtime whose own hard limit is below the policy's soft one. */
        kit_host_state.nofile_hard = 512;
        {
                _cleanup_json_ struct hr_json *c = kit_parse("{\"process\":{}}");
                struct hr_report rep;
                struct hr_error err;

                kit_apply("limits", c, &p, &rep, &err);
                is_str(kit_text(kit_get(c, "process.rlimits")),
                       "[{\"type\":\"RLIMIT_NOFILE\",\"hard\":512,\"soft\":512}," CORE0 "]",
                       "soft never above hard");
                hr_report_done(&rep);
        }
        kit_host_state.nofile_hard = 1048576;
        hr_policy_done(&p);
}

static void test_memory_cpu(void)
{
#define R(x) "{\"process\":{},\"linux\":{\"resources\":{" x "}}}"
#define PIDS "\"pids\":{\"limit\":1}"
        static const struct limits_case memory[] = {
            {R(PIDS), "linux.resources.memory", "{\"limit\":536870912}", 1},
            {R(PIDS ",\"memory\":{\"limit\":-1}"), "linux.resources.memory",
             "{\"limit\":536870912}", 1},
            {R(PIDS ",\"memory\":{\"limit\":1073741824,\"swap\":2147483648}"),
             "linux.resources.memory", "{\"limit\":536870912,\"swap\":2147483648}", 1},
            {R(PIDS ",\"memory\":{\"limit\":268435456}"), "linux.resources.memory",
             "{\"limit\":268435456}", 0},
            /* memory.swap is memory plus swap, so never below the limit */
            {R(PIDS ",\"memory\":{\"swap\":134217728}"), "linux.resources.memory",
             "{\"swap\":536870912,\"limit\":536870912}", 2},
            {R(PIDS ",\"memory\":{\"swap\":-1,\"disableOOMKiller\":false}"),
             "linux.resources.memory",
             "{\"swap\":-1,\"disableOOMKiller\":false,"
             "\"limit\":536870912}",
             1},
        };
        static const struct limits_case cpu[] = {
            {R(PIDS), "linux.resources.cpu", "{\"period\":100000,\"quota\":150000}", 2},
            {R(PIDS ",\"cpu\":{\"shares\":1024}"), "linux.resources.cpu",
             "{\"shares\":1024,\"period\":100000,\"quota\":150000}", 2},
            {R(PIDS ",\"cpu\":{\"quota\":50000,\"period\":100000}"), "linux.resources.cpu",
             "{\"quota\":50000,\"period\":100000}", 0},
            {R(PIDS ",\"cpu\":{\"quota\":150000}"), "linux.resources.cpu", "{\"quota\":150000}", 0},
            {R(PIDS ",\"cpu\":{\"quota\":200000,\"period\":100000}"), "linux.resources.cpu",
             "{\"quota\":150000,\"period\":100000}", 1},
            /* 1.2 cpus on a period of its own: kept */
            {R(PIDS ",\"cpu\":{\"quota\":300000,\"period\":250000}"), "linux.resources.cpu",
             "{\"quota\":300000,\"period\":250000}", 0},
            /* 2 cpus: replaced, on our period */
            {R(PIDS ",\"cpu\":{\"quota\":2000000,\"period\":1000000}"), "linux.resources.cpu",
             "{\"quota\":150000,\"period\":100000}", 2},
            {R(PIDS ",\"cpu\":{\"quota\":-1,\"period\":100000}"), "linux.resources.cpu",
             "{\"quota\":150000,\"period\":100000}", 1},
            {R(PIDS ",\"cpu\":{\"quota\":9223372036854775807,\"period\":1}"), "linux.resources.cpu",
             "{\"quota\":150000,\"period\":100000}", 2},
        };
#undef R
#undef PIDS
        struct hr_policy p;

        kit_policy(&p, "{\"limits\": {\"memory\": \"512m\", \"nofile\": null, \"core\": null}}");
        is_int(p.limits.memory, 536870912, "512m is 512 MiB");
        run_cases(memory, HR_ARRAY_SIZE(memory), &p, "memory");
        hr_policy_done(&p);
        kit_policy(&p, "{\"limits\": {\"cpus\": 1.5, \"nofile\": null, \"core\": null}}");
        is_int(p.limits.cpu_millis, 1500, "1.5 cpus");
        run_cases(cpu, HR_ARRAY_SIZE(cpu), &p, "cpu");
        hr_policy_done(&p);

        kit_policy(&p, NULL);
        {
                _cleanup_json_ struct hr_json *c =
                    kit_parse("{\"process\":{},\"linux\":{\"resources\":{\"memory\":{\"limit\":-1},"
                              "\"cpu\":{\"quota\":-1}}}}");
                struct hr_report rep;
                struct hr_error err;

                kit_apply("limits", c, &p, &rep, &err);
                is_str(kit_text(kit_get(c, "linux.resources.memory")), "{\"limit\":-1}",
                       "no memory in the policy: the config's stays");
                is_str(kit_text(kit_get(c, "linux.resources.cpu")), "{\"quota\":-1}",
                       "no cpus in the policy: the config's stays");
                hr_report_done(&rep);
        }
        hr_policy_done(&p);
}

static void test_memory_cpu_values(void)
{
        static const struct {
                const char *text;
                uint64_t memory, millis;
        } values[] = {
            {"{\"limits\": {\"memory\": 1048576}}", 1048576, 0},
            {"{\"limits\": {\"memory\": \"2G\", \"cpus\": 2}}", 2147483648ULL, 2000},
            {"{\"limits\": {\"memory\": \"64k\", \"cpus\": 0.25}}", 65536, 250},
            {"{\"limits\": {\"memory\": \"1t\", \"cpus\": 0.01}}", 1099511627776ULL, 10},
            {"{\"limits\": {\"memory\": null, \"cpus\": null}}", 0, 0},
            {"{\"limits\": {\"memory\": 0, \"cpus\": 0}}", 0, 0},
        };
        struct hr_policy p;

        for (size_t i = 0; i < HR_ARRAY_SIZE(values); i++) {
                kit_policy(&p, values[i].text);
                is_int(p.limits.memory, values[i].memory, "%s: memory", values[i].text);
                is_int(p.limits.cpu_millis, values[i].millis, "%s: cpus", values[i].text);
                hr_policy_done(&p);
        }
}

static void test_policy_errors(void)
{
        static const struct {
                const char *text, *error;
        } bad[] = {
            {"{\"limits\": 1}", "knob limits must be an object"},
            {"{\"limits\": {\"pid\": 1}}", "unknown knob limits.pid"},
            {"{\"limits\": {\"pids\": -1}}", "knob limits.pids must be an integer"},
            {"{\"limits\": {\"pids\": 1.5}}", "knob limits.pids must be an integer"},
            {"{\"limits\": {\"pids\": \"10\"}}", "knob limits.pids must be an integer"},
            {"{\"limits\": {\"nofile\": [2048, 1024]}}", "knob limits.nofile must be [soft, hard]"},
            {"{\"limits\": {\"nofile\": [1024]}}", "knob limits.nofile must be [soft, hard]"},
            {"{\"limits\": {\"nofile\": 1024}}", "knob limits.nofile must be [soft, hard]"},
            {"{\"limits\": {\"nofile\": [-1, 2]}}", "knob limits.nofile must be [soft, hard]"},
            {"{\"limits\": {\"core\": \"0\"}}", "knob limits.core must be an integer"},
            {"{\"limits\": {\"memory\": \"512mb\"}}", "knob limits.memory must be a number"},
            {"{\"limits\": {\"memory\": \"m\"}}", "knob limits.memory must be a number"},
            {"{\"limits\": {\"memory\": \"\"}}", "knob limits.memory must be a number"},
            {"{\"limits\": {\"memory\": -1}}", "knob limits.memory must be a number"},
            {"{\"limits\": {\"memory\": 1.5}}", "knob limits.memory must be a number"},
            {"{\"limits\": {\"memory\": \"12x\"}}", "knob limits.memory must be a number"},
            {"{\"limits\": {\"memory\": true}}", "knob limits.memory must be a number"},
            {"{\"limits\": {\"memory\": \"9999999999999999999\"}}", "limits.memory is too large"},
            {"{\"limits\": {\"memory\": \"9000000000t\"}}", "limits.memory is too large"},
            {"{\"limits\": {\"cpus\": \"1.5\"}}", "knob limits.cpus must be a number of cpus"},
            {"{\"limits\": {\"cpus\": 1.2345}}", "with at most three decimals"},
            {"{\"limits\": {\"cpus\": -1}}", "knob limits.cpus must be a number of cpus"},
            {"{\"limits\": {\"cpus\": 1e3}}", "knob limits.cpus must be a number of cpus"},
            {"{\"limits\": {\"cpus\": 0.001}}", "knob limits.cpus must be at least 0.01"},
            {"{\"limits\": {\"cpus\": 99999999}}", "knob limits.cpus must be a number"},
        };

        for (size_t i = 0; i < HR_ARRAY_SIZE(bad); i++) {
                const char *e = kit_policy_error(bad[i].text);

                ok(e && strstr(e, bad[i].error), "policy %s refused: \"%s\" (%s)", bad[i].text,
                   bad[i].error, e ? e : "loaded");
        }
}

static void test_malformed(void)
{
        static const struct {
                const char *config, *error;
        } cases[] = {
            {"{}", "the config has no process"},
            {"{\"process\":{},\"linux\":{\"resources\":[]}}",
             "linux.resources must be an object, not array"},
            {"{\"process\":{},\"linux\":{\"resources\":{\"pids\":5}}}",
             "linux.resources.pids must be an object, not number"},
            {"{\"process\":{},\"linux\":{\"resources\":{\"pids\":{\"limit\":\"10\"}}}}",
             "linux.resources.pids.limit must be a 64-bit integer"},
            {"{\"process\":{},\"linux\":{\"resources\":{\"pids\":{\"limit\":1.5}}}}",
             "linux.resources.pids.limit must be a 64-bit integer"},
            {"{\"process\":{},\"linux\":{\"resources\":{\"pids\":{\"limit\":9223372036854775808}}}"
             "}",
             "linux.resources.pids.limit must be a 64-bit integer"},
            {"{\"process\":{},\"linux\":{\"resources\":{\"pids\":{\"Limit\":1}}}}",
             "the key \"Limit\" is read by runc as \"limit\""},
            {"{\"process\":{\"rlimits\":{}}}", "process.rlimits must be an array, not object"},
            {"{\"process\":{\"rlimits\":[1]}}", "process.rlimits[0] must be an object"},
            {"{\"process\":{\"rlimits\":[{\"hard\":1}]}}", "process.rlimits[0] must be an object"},
            {"{\"process\":{\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":-1}]}}",
             "process.rlimits[0].hard must be a non-negative 64-bit integer"},
            {"{\"process\":{\"rlimits\":[{\"type\":\"RLIMIT_CORE\",\"soft\":\"0\"}]}}",
             "process.rlimits[0].soft must be a non-negative"},
            {"{\"process\":{\"rlimits\":[{\"type\":\"RLIMIT_CORE\",\"Soft\":0}]}}",
             "the key \"Soft\" is read by runc"},
        };
        struct hr_policy p;

        kit_policy(&p, NULL);
        for (size_t i = 0; i < HR_ARRAY_SIZE(cases); i++) {
                _cleanup_json_ struct hr_json *c = kit_parse(cases[i].config);
                struct hr_report rep;
                struct hr_error err;

                ok(kit_apply("limits", c, &p, &rep, &err) < 0, "refused: %s", cases[i].config);
                ok(strstr(err.msg, cases[i].error) != NULL, "message has \"%s\" (%s)",
                   cases[i].error, err.msg);
                hr_report_done(&rep);
        }
        hr_policy_done(&p);

        kit_policy(&p, "{\"limits\": {\"cpus\": 1}}");
        {
                _cleanup_json_ struct hr_json *c = kit_parse(
                    "{\"process\":{},\"linux\":{\"resources\":{\"cpu\":{\"period\":-5}}}}");
                struct hr_report rep;
                struct hr_error err;

                ok(kit_apply("limits", c, &p, &rep, &err) < 0 &&
                       strstr(err.msg, "linux.resources.cpu.period must be a non-negative"),
                   "a negative cpu period is malformed (%s)", err.msg);
                hr_report_done(&rep);
        }
        hr_policy_done(&p);
}

int main(void)
{
        test_real_configs();
        test_pids();
        test_rlimits();
        test_rlimits_host();
        test_memory_cpu();
        test_memory_cpu_values();
        test_policy_errors();
        test_malformed();
        return tap_done();
}
