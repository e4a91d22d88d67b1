/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The knobs masked_paths and readonly_paths, over the real configs and edge cases. */
#include "knob-kit.h"

#define THERMAL "/sys/devices/system/cpu/cpu*/thermal_throttle"

static const char *const thermal_pattern[] = {THERMAL, NULL};
static const char *const thermal_found[] = {
    "/sys/devices/system/cpu/cpu0/thermal_throttle",
    "/sys/devices/system/cpu/cpu1/thermal_throttle",
    NULL,
};

/* What the levels list, in order, as the union of Docker's and Podman's lists. */
static const char *const want_masked[] = {
    "/proc/acpi",       "/proc/asound",        "/proc/interrupts",  "/proc/kcore",
    "/proc/keys",       "/proc/latency_stats", "/proc/sched_debug", "/proc/scsi",
    "/proc/timer_list", "/proc/timer_stats",   "/sys/dev/block",    "/sys/devices/virtual/powercap",
    "/sys/firmware",    "/sys/fs/selinux",
};
static const char *const want_readonly[] = {
    "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};

static void use_thermal(void)
{
        kit_host_state.glob_pattern = thermal_pattern;
        kit_host_state.glob_found = thermal_found;
        kit_host_state.glob_error = 0;
}

static size_t count(const struct hr_json *arr, const char *s)
{
        size_t n = 0;

        for (size_t i = 0; arr && i < arr->u.arr.len; i++)
                n += strcmp(hr_json_string(arr->u.arr.items[i]), s) == 0;
        return n;
}

static void test_levels(void)
{
        static const char *const levels[] = {"{\"level\":\"restricted\"}",
                                             "{\"level\":\"baseline\"}"};

        for (size_t l = 0; l < HR_ARRAY_SIZE(levels); l++) {
                struct hr_policy p;

                kit_policy(&p, levels[l]);
                is_int(p.masked_paths.n, HR_ARRAY_SIZE(want_masked), "%s: masked paths", levels[l]);
                for (size_t i = 0; i < HR_ARRAY_SIZE(want_masked) && i < p.masked_paths.n; i++)
                        is_str(p.masked_paths.v[i], want_masked[i], "%s: masked path %zu",
                               levels[l], i);
                is_int(p.masked_globs.n, 1, "%s: one masked glob", levels[l]);
                is_str(p.masked_globs.n ? p.masked_globs.v[0] : NULL, THERMAL,
                       "%s: the thermal_throttle glob", levels[l]);
                is_int(p.readonly_paths.n, HR_ARRAY_SIZE(want_readonly), "%s: read-only paths",
                       levels[l]);
                for (size_t i = 0; i < HR_ARRAY_SIZE(want_readonly) && i < p.readonly_paths.n; i++)
                        is_str(p.readonly_paths.v[i], want_readonly[i], "%s: read-only path %zu",
                               levels[l], i);
                is_int(p.readonly_globs.n, 0, "%s: no read-only glob", levels[l]);
                hr_policy_done(&p);
        }
}

/*
 * Every real config: what it lists stays first and in order, every policy
 * path (and every thermal_throttle directory found) is there exactly once,
 * each addition is reported, and a second pass changes nothing.
 */
static void check_union(const char *name, const char *knob, const char *key,
                        const char *const *want, size_t n_want, bool thermal,
                        const struct hr_policy *p)
{
        _cleanup_json_ struct hr_json *c = kit_load(name);
        _cleanup_json_ struct hr_json *orig = hr_json_copy(kit_get(c, key));
        const struct hr_json *after;
        struct hr_report rep;
        struct hr_error err;
        size_t had = orig ? orig->u.arr.len : 0, added = 0;
        bool prefix = true;

        is_int(kit_apply(knob, c, p, &rep, &err), 0, "%s %s: no error (%s)", name, knob, err.msg);
        after = kit_get(c, key);
        for (size_t i = 0; i < had; i++)
                prefix &= after && i < after->u.arr.len &&
                          hr_json_equal(orig->u.arr.items[i], after->u.arr.items[i]);
        ok(prefix, "%s %s: the config's own list is kept, in order", name, knob);
        for (size_t i = 0; i < n_want; i++) {
                bool was = count(orig, want[i]) > 0;

                is_int(count(after, want[i]), was ? count(orig, want[i]) : 1,
                       "%s %s: %s listed once", name, knob, want[i]);
                if (!was) {
                        char path[128];
                        int at;

                        snprintf(path, sizeof(path), "%s[%s]", key, want[i]);
                        at = kit_change(&rep, path);
                        ok(at >= 0, "%s %s: adding %s is reported", name, knob, want[i]);
                        if (at >= 0) {
                                is_str(rep.changes[at].knob, knob, "knob of %s", path);
                                is_str(rep.changes[at].before, NULL, "before of %s", path);
                        }
                        added++;
                }
        }
        for (size_t i = 0; thermal && thermal_found[i]; i++) {
                is_int(count(after, thermal_found[i]), 1, "%s %s: %s masked", name, knob,
                       thermal_found[i]);
                added++;
        }
        is_int(rep.n_changes, added, "%s %s: one change per added path", name, knob);
        is_int(after ? after->u.arr.len : 0, had + added, "%s %s: nothing else added", name, knob);
        is_int(rep.n_violations, 0, "%s %s: nothing refused", name, knob);
        hr_report_done(&rep);
        kit_idempotent(knob, c, p, name);
}

static void test_real_configs(void)
{
        struct hr_policy p;

        use_thermal();
        kit_policy(&p, NULL);
        for (size_t i = 0; i < HR_ARRAY_SIZE(kit_data); i++) {
                check_union(kit_data[i], "masked_paths", "linux.maskedPaths", want_masked,
                            HR_ARRAY_SIZE(want_masked), true, &p);
                check_union(kit_data[i], "readonly_paths", "linux.readonlyPaths", want_readonly,
                            HR_ARRAY_SIZE(want_readonly), false, &p);
        }
        hr_policy_done(&p);
}

/* Exact results for `runc spec` and Podman, the appended order included. */
static void test_exact(void)
{
        struct hr_policy p;
        struct hr_report rep;
        struct hr_error err;

        use_thermal();
        kit_policy(&p, NULL);
        {
                _cleanup_json_ struct hr_json *c = kit_load("runc-spec.json");

                is_int(kit_apply("masked_paths", c, &p, &rep, &err), 0, "runc spec masked");
                is_str(kit_text(kit_get(c, "linux.maskedPaths")),
                       "[\"/proc/acpi\",\"/proc/asound\",\"/proc/kcore\",\"/proc/keys\","
                       "\"/proc/latency_stats\",\"/proc/timer_list\",\"/proc/timer_stats\","
                       "\"/proc/sched_debug\",\"/sys/firmware\",\"/proc/scsi\","
                       "\"/proc/interrupts\",\"/sys/dev/block\","
                       "\"/sys/devices/virtual/powercap\",\"/sys/fs/selinux\","
                       "\"/sys/devices/system/cpu/cpu0/thermal_throttle\","
                       "\"/sys/devices/system/cpu/cpu1/thermal_throttle\"]",
                       "runc spec: masked paths after hardening");
                is_int(rep.n_changes, 6, "runc spec: six masked paths added");
                if (rep.n_changes == 6) {
                        is_str(rep.changes[0].path, "linux.maskedPaths[/proc/interrupts]",
                               "first change path");
                        is_str(rep.changes[0].after, "\"/proc/interrupts\"", "first change after");
                        is_str(rep.changes[5].path,
                               "linux.maskedPaths[/sys/devices/system/cpu/cpu1/thermal_throttle]",
                               "last change path");
                }
                hr_report_done(&rep);
                is_int(kit_apply("readonly_paths", c, &p, &rep, &err), 0, "runc spec read-only");
                is_int(rep.n_changes, 0, "runc spec: read-only paths already complete");
                hr_report_done(&rep);
        }
        {
                _cleanup_json_ struct hr_json *c = kit_load("podman.json");

                is_int(kit_apply("masked_paths", c, &p, &rep, &err), 0, "podman masked");
                is_int(rep.n_changes, 5, "podman: three paths and two thermal_throttle added");
                is_str(rep.n_changes > 0 ? rep.changes[0].path : NULL,
                       "linux.maskedPaths[/proc/asound]",
                       "podman: /proc/asound (read-only there) is masked too");
                is_str(rep.n_changes > 1 ? rep.changes[1].path : NULL,
                       "linux.maskedPaths[/proc/interrupts]", "podman: /proc/interrupts");
                is_str(rep.n_changes > 2 ? rep.changes[2].path : NULL,
                       "linux.maskedPaths[/sys/devices/virtual/powercap]", "podman: powercap");
                hr_report_done(&rep);
                is_int(kit_apply("readonly_paths", c, &p, &rep, &err), 0, "podman read-only");
                is_int(rep.n_changes, 0, "podman: its read-only list already covers ours");
                is_int(kit_get(c, "linux.readonlyPaths")->u.arr.len, 6,
                       "podman: its /proc/asound read-only entry stays");
                hr_report_done(&rep);
        }
        hr_policy_done(&p);
}

static void test_edges(void)
{
        static const struct {
                const char *config, *result;
                int changes;
        } cases[] = {
            /* no linux at all: created */
            {"{}", "{\"linux\":{\"maskedPaths\":[\"/a\",\"/b/c\"]}}", 2},
            {"{\"linux\":null}", "{\"linux\":{\"maskedPaths\":[\"/a\",\"/b/c\"]}}", 2},
            {"{\"linux\":{\"maskedPaths\":null}}",
             "{\"linux\":{\"maskedPaths\":[\"/a\",\"/b/c\"]}}", 2},
            /* compared as clean paths; the config's spelling stays */
            {"{\"linux\":{\"maskedPaths\":[\"//a/\",\"/b/./c\"]}}",
             "{\"linux\":{\"maskedPaths\":[\"//a/\",\"/b/./c\"]}}", 0},
            {"{\"linux\":{\"maskedPaths\":[\"/b/c\",\"/x\",\"/x\"]}}",
             "{\"linux\":{\"maskedPaths\":[\"/b/c\",\"/x\",\"/x\",\"/a\"]}}", 1},
            /* an unrelated key and order kept */
            {"{\"linux\":{\"z\":1,\"maskedPaths\":[]}}",
             "{\"linux\":{\"z\":1,\"maskedPaths\":[\"/a\",\"/b/c\"]}}", 2},
        };
        struct hr_policy p;

        use_thermal();
        kit_host_state.glob_found = NULL; /* the glob finds nothing */
        kit_policy(&p, "{\"masked_paths\": [\"/a\", \"/b/c\", \"" THERMAL "\"]}");
        for (size_t i = 0; i < HR_ARRAY_SIZE(cases); i++) {
                _cleanup_json_ struct hr_json *c = kit_parse(cases[i].config);
                struct hr_report rep;
                struct hr_error err;

                is_int(kit_apply("masked_paths", c, &p, &rep, &err), 0, "%s: no error (%s)",
                       cases[i].config, err.msg);
                is_str(kit_text(c), cases[i].result, "%s: result", cases[i].config);
                is_int(rep.n_changes, cases[i].changes, "%s: changes", cases[i].config);
                hr_report_done(&rep);
                kit_idempotent("masked_paths", c, &p, cases[i].config);
        }
        hr_policy_done(&p);
        use_thermal();
}

static void test_malformed(void)
{
        static const struct {
                const char *config, *error;
        } cases[] = {
            {"{\"linux\":[]}", "linux must be an object, not array"},
            {"{\"linux\":{\"maskedPaths\":{}}}", "linux.maskedPaths must be an array, not object"},
            {"{\"linux\":{\"maskedPaths\":\"/proc/kcore\"}}", "must be an array, not string"},
            {"{\"linux\":{\"maskedPaths\":[\"/a\",1]}}", "linux.maskedPaths[1] must be a path"},
            {"{\"linux\":{\"maskedPaths\":[null]}}", "linux.maskedPaths[0] must be a path"},
            {"{\"linux\":{\"maskedPaths\":[\"a\\u0000b\"]}}", "linux.maskedPaths[0] must be a"},
            {"{\"linux\":{\"MaskedPaths\":[]}}", "the key \"MaskedPaths\" is read by runc"},
            {"{\"Linux\":{}}", "the key \"Linux\" is read by runc as \"linux\""},
            /* malformed even though nothing would be added */
            {"{\"linux\":{\"maskedPaths\":[\"/proc/kcore\",{}]}}", "maskedPaths[1] must be"},
        };
        struct hr_policy p;

        kit_policy(&p, NULL);
        for (size_t i = 0; i < HR_ARRAY_SIZE(cases); i++) {
                _cleanup_json_ struct hr_json *c = kit_parse(cases[i].config);
                struct hr_report rep;
                struct hr_error err;

                ok(kit_apply("masked_paths", c, &p, &rep, &err) < 0, "refused: %s",
                   cases[i].config);
                ok(strstr(err.msg, cases[i].error) != NULL, "message has \"%s\" (%s)",
                   cases[i].error, err.msg);
                hr_report_done(&rep);
        }
        {
                _cleanup_json_ struct hr_json *c = kit_parse("{\"linux\":{\"readonlyPaths\":7}}");
                struct hr_report rep;
                struct hr_error err;

                ok(kit_apply("readonly_paths", c, &p, &rep, &err) < 0 &&
                       strstr(err.msg, "linux.readonlyPaths must be an array, not number"),
                   "read-only: malformed list refused (%s)", err.msg);
                hr_report_done(&rep);
        }
        hr_policy_done(&p);
}

static void test_glob(void)
{
        _cleanup_json_ struct hr_json *c = kit_parse("{}");
        struct hr_policy p;
        struct hr_report rep;
        struct hr_error err;

        kit_policy(&p, NULL);
        use_thermal();
        kit_host_state.glob_error = EIO;
        ok(kit_apply("masked_paths", c, &p, &rep, &err) < 0, "a failing glob is an error");
        ok(strstr(err.msg, "expanding " THERMAL " on the host") != NULL, "glob error names it (%s)",
           err.msg);
        hr_report_done(&rep);
        use_thermal();
        kit_host_state.glob_calls = 0;
        is_int(kit_apply("readonly_paths", c, &p, &rep, &err), 0, "read-only paths");
        is_int(kit_host_state.glob_calls, 0, "read-only paths expand no glob");
        hr_report_done(&rep);
        hr_policy_done(&p);
}

static void test_policy(void)
{
        static const struct {
                const char *text, *error;
        } bad[] = {
            {"{\"masked_paths\": [\"proc/kcore\"]}",
             "knob masked_paths: \"proc/kcore\" is not a clean"},
            {"{\"masked_paths\": [\"/\"]}", "is not a clean absolute path other than /"},
            {"{\"masked_paths\": [\"/proc/../etc\"]}", "\"/proc/../etc\" is not a clean"},
            {"{\"masked_paths\": [\"/proc/kcore/\"]}", "\"/proc/kcore/\" is not a clean"},
            {"{\"readonly_paths\": [\"/proc/sys\", 1]}", "knob readonly_paths must be a string"},
            {"{\"readonly_paths\": {}}", "knob readonly_paths must be a"},
            {"{\"masked_paths\": [\"\"]}", "knob masked_paths must be a non-empty string"},
            {"{\"masked_paths\": [\"cpu*\"]}", "\"cpu*\" is not a clean absolute path"},
        };
        struct hr_policy p;

        for (size_t i = 0; i < HR_ARRAY_SIZE(bad); i++) {
                const char *e = kit_policy_error(bad[i].text);

                ok(e && strstr(e, bad[i].error), "policy %s refused: \"%s\" (%s)", bad[i].text,
                   bad[i].error, e ? e : "loaded");
        }
        kit_policy(&p, "{\"masked_paths\": \"/only\", \"readonly_paths\": [\"/r/*\", \"/s\"]}");
        is_int(p.masked_paths.n, 1, "a single string is a list of one");
        is_int(p.masked_globs.n, 0, "an override replaces the level's globs too");
        is_int(p.readonly_globs.n, 1, "a read-only glob");
        is_str(p.readonly_paths.n ? p.readonly_paths.v[0] : NULL, "/s", "read-only path kept");
        hr_policy_done(&p);

        /* An empty list switches the knob off: the config is not touched at all. */
        kit_policy(&p, "{\"masked_paths\": [], \"readonly_paths\": []}");
        {
                _cleanup_json_ struct hr_json *c = kit_parse("{\"process\":{}}");
                struct hr_report rep;
                struct hr_error err;

                is_int(kit_apply("masked_paths", c, &p, &rep, &err), 0, "empty masked list");
                is_int(rep.n_changes, 0, "empty masked list: no change");
                hr_report_done(&rep);
                is_int(kit_apply("readonly_paths", c, &p, &rep, &err), 0, "empty read-only list");
                is_int(rep.n_changes, 0, "empty read-only list: no change");
                hr_report_done(&rep);
                is_str(kit_text(c), "{\"process\":{}}", "empty lists: no linux created");
        }
        hr_policy_done(&p);
}

int main(void)
{
        test_levels();
        test_real_configs();
        test_exact();
        test_edges();
        test_malformed();
        test_glob();
        test_policy();
        return tap_done();
}
