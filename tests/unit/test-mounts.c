/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The mounts knob: bind mounts nosuid,nodev; /sys and cgroup read-only; rprivate propagation. */
#include "knob-test.h"

#define ALL                                                                                        \
        "{\"bind_nosuid_nodev\":true,\"bind_recursive\":true,\"readonly_sys\":true,"               \
        "\"private_propagation\":false}"

static void test_options(void)
{
        static const struct {
                const char *policy, *mount, *options; /* options after; NULL: unchanged */
        } cases[] = {
            /* Docker's own files, rbind */
            {ALL,
             "{\"destination\":\"/etc/hosts\",\"type\":\"bind\",\"source\":\"/x\","
             "\"options\":[\"rbind\",\"rprivate\"]}",
             "[\"rbind\",\"rprivate\",\"nosuid\",\"nodev\",\"rnosuid\",\"rnodev\"]"},
            /* Podman's /dev/shm already has nosuid,nodev: only the recursive ones come */
            {ALL,
             "{\"destination\":\"/dev/shm\",\"type\":\"bind\",\"source\":\"/x\","
             "\"options\":[\"bind\",\"rprivate\",\"nosuid\",\"noexec\",\"nodev\"]}",
             "[\"bind\",\"rprivate\",\"nosuid\",\"noexec\",\"nodev\",\"rnosuid\",\"rnodev\"]"},
            /* suid and dev go, in every spelling */
            {ALL,
             "{\"destination\":\"/d\",\"type\":\"bind\",\"source\":\"/x\","
             "\"options\":[\"rbind\",\"suid\",\"dev\",\"rsuid\",\"rdev\",\"ro\"]}",
             "[\"rbind\",\"ro\",\"nosuid\",\"nodev\",\"rnosuid\",\"rnodev\"]"},
            /* a bind by option only, with type none */
            {ALL,
             "{\"destination\":\"/d\",\"type\":\"none\",\"source\":\"/x\",\"options\":[\"bind\"]}",
             "[\"bind\",\"nosuid\",\"nodev\",\"rnosuid\",\"rnodev\"]"},
            /* a bind by option only, no type at all */
            {ALL, "{\"destination\":\"/d\",\"source\":\"/x\",\"options\":[\"rbind\"]}",
             "[\"rbind\",\"nosuid\",\"nodev\",\"rnosuid\",\"rnodev\"]"},
            /* type bind, no options */
            {ALL, "{\"destination\":\"/d\",\"type\":\"bind\",\"source\":\"/x\"}",
             "[\"nosuid\",\"nodev\",\"rnosuid\",\"rnodev\"]"},
            {ALL, "{\"destination\":\"/d\",\"type\":\"bind\",\"source\":\"/x\",\"options\":null}",
             "[\"nosuid\",\"nodev\",\"rnosuid\",\"rnodev\"]"},
            /* already compliant */
            {ALL,
             "{\"destination\":\"/d\",\"type\":\"bind\",\"source\":\"/x\","
             "\"options\":[\"rnodev\",\"nosuid\",\"rnosuid\",\"nodev\"]}",
             NULL},
            /* without bind_recursive, the plain flags only */
            {"{\"bind_recursive\":false}",
             "{\"destination\":\"/d\",\"type\":\"bind\",\"source\":\"/x\",\"options\":[\"rbind\"]}",
             "[\"rbind\",\"nosuid\",\"nodev\"]"},
            {"{\"bind_nosuid_nodev\":false}",
             "{\"destination\":\"/d\",\"type\":\"bind\",\"source\":\"/x\",\"options\":[\"suid\"]}",
             NULL},
            /* not a bind */
            {ALL,
             "{\"destination\":\"/tmp\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
             "\"options\":[\"suid\"]}",
             NULL},
            /* sysfs and cgroup: ro, and rw goes */
            {ALL,
             "{\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":\"sysfs\","
             "\"options\":[\"nosuid\",\"noexec\",\"nodev\"]}",
             "[\"nosuid\",\"noexec\",\"nodev\",\"ro\"]"},
            {ALL,
             "{\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":\"sysfs\","
             "\"options\":[\"nosuid\",\"rw\",\"nodev\"]}",
             "[\"nosuid\",\"nodev\",\"ro\"]"},
            {ALL,
             "{\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":\"sysfs\","
             "\"options\":[\"ro\",\"rw\"]}",
             "[\"ro\"]"},
            {ALL,
             "{\"destination\":\"/sys/fs/cgroup\",\"type\":\"cgroup\",\"source\":\"cgroup\","
             "\"options\":[\"ro\",\"nosuid\"]}",
             NULL},
            {ALL,
             "{\"destination\":\"/sys/fs/cgroup\",\"type\":\"cgroup2\",\"source\":\"cgroup\","
             "\"options\":[\"rw\",\"rrw\"]}",
             "[\"ro\"]"},
            {ALL, "{\"destination\":\"//sys/fs/cgroup/\",\"type\":\"tmpfs\",\"source\":\"t\"}",
             "[\"ro\"]"},
            {ALL, "{\"destination\":\"/host-sys\",\"type\":\"sysfs\",\"source\":\"sysfs\"}",
             "[\"ro\"]"},
            {ALL, "{\"destination\":\"/sys/kernel\",\"type\":\"tmpfs\",\"source\":\"t\"}", NULL},
            {"{\"readonly_sys\":false}",
             "{\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":\"sysfs\"}", NULL},
            /* a bind of the host's /sys gets both */
            {ALL,
             "{\"destination\":\"/sys\",\"type\":\"bind\",\"source\":\"/sys\","
             "\"options\":[\"rbind\",\"rw\"]}",
             "[\"rbind\",\"nosuid\",\"nodev\",\"rnosuid\",\"rnodev\",\"ro\"]"},
        };
        struct hr_policy base;

        level(&base, "restricted");
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                struct hr_policy p = base;
                char buf[1024];
                _cleanup_json_ struct hr_json *c = NULL, *orig = NULL;
                const struct hr_json *m;
                struct hr_report rep;
                struct hr_error err = {0};

                p.mounts.private_propagation = false;
                is_int(configure_knob(&p, "mounts", cases[i].policy, &err), 0, "policy %s",
                       cases[i].policy);
                snprintf(buf, sizeof(buf), "{\"mounts\":[%s]}", cases[i].mount);
                c = parse(buf);
                orig = parse(buf);
                is_int(run_knob("mounts", c, &p, &rep, &err), 0, "mounts on %s", cases[i].mount);
                m = hr_json_get(c, "mounts")->u.arr.items[0];
                if (!cases[i].options) {
                        ok(hr_json_equal(c, orig), "unchanged: %s", cases[i].mount);
                        is_int(rep.n_changes, 0, "no change reported");
                } else {
                        const struct hr_json *before =
                            hr_json_get(hr_json_get(orig, "mounts")->u.arr.items[0], "options");

                        is_str(text(hr_json_get(m, "options")), cases[i].options, "options of %s",
                               cases[i].mount);
                        is_int(rep.n_changes, 1, "one change");
                        if (rep.n_changes == 1) {
                                char path[128];

                                snprintf(path, sizeof(path), "mounts[destination=%s].options",
                                         hr_json_string(hr_json_get(m, "destination")));
                                is_str(rep.changes[0].knob, "mounts", "knob named");
                                is_str(rep.changes[0].path, path, "path named");
                                /* options null reads as absent */
                                is_str(rep.changes[0].before,
                                       before && before->type != HR_JSON_NULL ? text(before) : NULL,
                                       "before recorded");
                                is_str(rep.changes[0].after, cases[i].options, "after recorded");
                        }
                }
                hr_report_done(&rep);
                is_int(run_knob("mounts", c, &p, &rep, &err), 0, "again");
                is_int(rep.n_changes, 0, "idempotent: %s", cases[i].mount);
                hr_report_done(&rep);
        }
        hr_policy_done(&base);
}

static void test_propagation(void)
{
        static const char *const values[] = {
            NULL,         "\"private\"",    "\"shared\"",      "\"rshared\"", "\"slave\"",
            "\"rslave\"", "\"unbindable\"", "\"runbindable\"", "\"\"",        "null",
        };
        struct hr_policy p;

        level(&p, "restricted");
        for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
                char buf[256];
                _cleanup_json_ struct hr_json *c = NULL;
                struct hr_report rep;
                struct hr_error err = {0};

                if (values[i])
                        snprintf(buf, sizeof(buf), "{\"linux\":{\"rootfsPropagation\":%s}}",
                                 values[i]);
                else
                        snprintf(buf, sizeof(buf), "{}");
                c = parse(buf);
                is_int(run_knob("mounts", c, &p, &rep, &err), 0, "propagation %s", buf);
                is_str(text(hr_json_get(hr_json_get(c, "linux"), "rootfsPropagation")),
                       "\"rprivate\"", "rprivate after %s", buf);
                is_int(rep.n_changes, 1, "one change for %s", buf);
                if (rep.n_changes == 1) {
                        is_str(rep.changes[0].path, "linux.rootfsPropagation", "path named");
                        is_str(rep.changes[0].before, values[i], "before recorded");
                        is_str(rep.changes[0].after, "\"rprivate\"", "after recorded");
                }
                hr_report_done(&rep);
                is_int(run_knob("mounts", c, &p, &rep, &err), 0, "again");
                is_int(rep.n_changes, 0, "idempotent after %s", buf);
                hr_report_done(&rep);
        }
        p.mounts.private_propagation = false;
        {
                _cleanup_json_ struct hr_json *c = parse("{\"linux\":{\"rootfsPropagation\":"
                                                         "\"shared\"}}");
                struct hr_report rep;
                struct hr_error err = {0};

                is_int(run_knob("mounts", c, &p, &rep, &err), 0, "propagation off");
                is_str(text(c), "{\"linux\":{\"rootfsPropagation\":\"shared\"}}",
                       "private_propagation false keeps shared");
                hr_report_done(&rep);
        }
        hr_policy_done(&p);
}

/* Over every real config: the changes are exactly the expected ones, and idempotent. */
static void test_real_configs(void)
{
        static const struct {
                const char *file;
                const char *paths; /* the changed paths, in order, joined by spaces */
        } cases[] = {
            {"runc-spec.json", "linux.rootfsPropagation"},
            {"docker.json", "mounts[destination=/etc/resolv.conf].options "
                            "mounts[destination=/etc/hostname].options "
                            "mounts[destination=/etc/hosts].options linux.rootfsPropagation"},
            {"docker-readonly.json", "mounts[destination=/etc/resolv.conf].options "
                                     "mounts[destination=/etc/hostname].options "
                                     "mounts[destination=/etc/hosts].options "
                                     "linux.rootfsPropagation"},
            {"docker-privileged.json",
             "mounts[destination=/sys].options mounts[destination=/sys/fs/cgroup].options "
             "mounts[destination=/etc/resolv.conf].options "
             "mounts[destination=/etc/hostname].options mounts[destination=/etc/hosts].options "
             "linux.rootfsPropagation"},
            {"podman.json", "mounts[destination=/etc/hosts].options "
                            "mounts[destination=/dev/shm].options "
                            "mounts[destination=/run/.containerenv].options "
                            "mounts[destination=/etc/hostname].options linux.rootfsPropagation"},
            {"containerd.json", "linux.rootfsPropagation"},
            {"containerd-cri-container.json",
             "mounts[destination=/etc/hostname].options mounts[destination=/etc/hosts].options "
             "mounts[destination=/etc/resolv.conf].options "
             "mounts[destination=/dev/shm].options linux.rootfsPropagation"},
            {"containerd-cri-sandbox.json", "mounts[destination=/dev/shm].options "
                                            "mounts[destination=/etc/resolv.conf].options "
                                            "linux.rootfsPropagation"},
        };
        struct hr_policy p;

        level(&p, "restricted");
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                _cleanup_json_ struct hr_json *c = load(cases[i].file);
                const struct hr_json *mounts;
                struct hr_report rep;
                struct hr_error err = {0};
                char got[1024] = "";
                bool good = true;

                is_int(run_knob("mounts", c, &p, &rep, &err), 0, "%s hardens", cases[i].file);
                for (size_t j = 0; j < rep.n_changes; j++)
                        snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", j ? " " : "",
                                 rep.changes[j].path);
                is_str(got, cases[i].paths, "%s: the changes", cases[i].file);
                hr_report_done(&rep);
                mounts = hr_json_get(c, "mounts");
                for (size_t j = 0; j < mounts->u.arr.len; j++) {
                        const struct hr_json *m = mounts->u.arr.items[j];
                        const struct hr_json *o = hr_json_get(m, "options");
                        const char *type = hr_json_string(hr_json_get(m, "type"));
                        const char *dest = hr_json_string(hr_json_get(m, "destination"));

                        if (strcmp(type, "bind") == 0)
                                good &= has_string(o, "nosuid") && has_string(o, "nodev") &&
                                        has_string(o, "rnosuid") && has_string(o, "rnodev");
                        if (!strcmp(type, "sysfs") || !strcmp(type, "cgroup") ||
                            !strcmp(dest, "/sys/fs/cgroup"))
                                good &= has_string(o, "ro") && !has_string(o, "rw");
                }
                ok(good, "%s: every bind is nosuid,nodev,rnosuid,rnodev; /sys and cgroup ro",
                   cases[i].file);
                is_int(run_knob("mounts", c, &p, &rep, &err), 0, "%s again", cases[i].file);
                is_int(rep.n_changes, 0, "%s: idempotent", cases[i].file);
                hr_report_done(&rep);
        }
        hr_policy_done(&p);
}

static void test_malformed(void)
{
        static const struct {
                const char *config, *error;
        } cases[] = {
            {"{\"mounts\":{}}", "mounts must be an array, not object"},
            {"{\"mounts\":[1]}", "mounts[0] must be an object, not number"},
            {"{\"mounts\":[{\"type\":\"bind\"}]}", "mounts[0] has no destination"},
            {"{\"mounts\":[{\"destination\":\"\"}]}", "mounts[0] has no destination"},
            {"{\"mounts\":[{\"destination\":7}]}",
             "mounts[0].destination must be a string, not number"},
            {"{\"mounts\":[{\"destination\":\"/a\",\"type\":[]}]}",
             "mounts[0].type must be a string, not array"},
            {"{\"mounts\":[{\"destination\":\"/a\",\"options\":\"rbind\"}]}",
             "mounts[0].options must be an array, not string"},
            {"{\"mounts\":[{\"destination\":\"/a\",\"options\":[\"rbind\",true]}]}",
             "mounts[0].options[1] must be a string, not boolean"},
            {"{\"mounts\":[{\"destination\":\"/a\",\"options\":[\"nosuid\\u0000x\"]}]}",
             "mounts[0].options holds a NUL character"},
            {"{\"mounts\":[{\"destination\":\"/a\",\"Options\":[]}]}",
             "the key \"Options\" is read by runc as \"options\""},
            {"{\"mounts\":[{\"destination\":\"/a\",\"options\":[],\"OPTIONS\":[]}]}",
             "is read by runc as \"options\""},
            {"{\"linux\":[]}", "linux must be an object, not array"},
            {"{\"linux\":{\"rootfsPropagation\":1}}",
             "linux.rootfsPropagation must be a string, not number"},
            {"{\"linux\":{\"RootfsPropagation\":\"shared\"}}",
             "\"RootfsPropagation\" is read by runc as \"rootfsPropagation\""},
        };
        struct hr_policy p;

        level(&p, "restricted");
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                _cleanup_json_ struct hr_json *c = parse(cases[i].config);
                struct hr_report rep;
                struct hr_error err = {0};

                ok(run_knob("mounts", c, &p, &rep, &err) < 0, "refused: %s", cases[i].config);
                ok(strstr(err.msg, cases[i].error) != NULL, "message has \"%s\" (%s)",
                   cases[i].error, err.msg);
                hr_report_done(&rep);
        }
        hr_policy_done(&p);
}

static void test_configure(void)
{
        static const struct {
                const char *value, *error; /* error NULL: accepted */
                bool nosuid, recursive, ro, prop;
        } cases[] = {
            {"false", NULL, false, false, false, false},
            {"true", NULL, true, true, true, true},
            {"{\"readonly_sys\":false}", NULL, true, true, false, true},
            {"{}", NULL, true, true, true, true},
            {"{\"private_propagation\":false,\"bind_recursive\":false}", NULL, true, false, true,
             false},
            {"{\"readonly_sys\":1}", "knob mounts.readonly_sys must be true or false"},
            {"{\"sys\":true}", "unknown knob mounts.sys"},
            {"\"yes\"", "knob mounts must be a boolean or an object"},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                struct hr_policy p;
                struct hr_error err = {0};
                int r;

                level(&p, "restricted");
                r = configure_knob(&p, "mounts", cases[i].value, &err);
                if (cases[i].error) {
                        ok(r < 0, "refused: %s", cases[i].value);
                        ok(strstr(err.msg, cases[i].error) != NULL, "message has \"%s\" (%s)",
                           cases[i].error, err.msg);
                } else {
                        is_int(r, 0, "accepted: %s", cases[i].value);
                        ok(p.mounts.bind_nosuid_nodev == cases[i].nosuid &&
                               p.mounts.bind_recursive == cases[i].recursive &&
                               p.mounts.readonly_sys == cases[i].ro &&
                               p.mounts.private_propagation == cases[i].prop,
                           "sub-keys after %s", cases[i].value);
                }
                hr_policy_done(&p);
        }
}

static void test_levels(void)
{
        static const char *const names[] = {"restricted", "baseline"};

        for (size_t i = 0; i < 2; i++) {
                struct hr_policy p;

                level(&p, names[i]);
                ok(p.mounts.bind_nosuid_nodev && p.mounts.bind_recursive && p.mounts.readonly_sys &&
                       p.mounts.private_propagation,
                   "%s: every mounts sub-key is on", names[i]);
                hr_policy_done(&p);
        }
}

int main(void)
{
        test_options();
        test_propagation();
        test_real_configs();
        test_malformed();
        test_configure();
        test_levels();
        return tap_done();
}
