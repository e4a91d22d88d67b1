/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The lsm knob: no unconfined AppArmor profile, no privileged SELinux type, lsm.mode. */
#include "knob-test.h"

#define DROP "or exempt this container with a rule"

static const char *const spc_msg =
    "the container asks for the SELinux type spc_t (process.selinuxLabel "
    "\"system_u:system_r:spc_t:s0\"), which the policy does not allow (knob lsm.selinux_types): a "
    "type such as spc_t or unconfined_t is not confined as a container; drop the label option "
    "(--security-opt label=type:..., seLinuxOptions), " DROP;

static const char *const unconfined_msg =
    "the container asks to run without AppArmor (process.apparmorProfile \"unconfined\", as "
    "docker run --privileged or --security-opt apparmor=unconfined give); drop that option, " DROP;

/* Labels and profiles, whatever the host enforces. */
static void test_labels(void)
{
        static const struct {
                const char *process, *lx, *path, *message; /* message NULL: allowed */
        } cases[] = {
            {"\"selinuxLabel\":\"system_u:system_r:spc_t:s0\"", "", "process.selinuxLabel",
             NULL /* spc_msg */},
            {"\"selinuxLabel\":\"unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023\"", "",
             "process.selinuxLabel",
             "the container asks for the SELinux type unconfined_t (process.selinuxLabel "
             "\"unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023\"), which the policy does "
             "not allow (knob lsm.selinux_types): a type such as spc_t or unconfined_t is not "
             "confined as a container; drop the label option (--security-opt label=type:..., "
             "seLinuxOptions), " DROP},
            {"\"selinuxLabel\":\"garbage\"", "", "process.selinuxLabel",
             "process.selinuxLabel \"garbage\" is not an SELinux context user:role:type[:level]; "
             "fix it or remove it"},
            {"\"selinuxLabel\":\"a:b:\"", "", "process.selinuxLabel",
             "process.selinuxLabel \"a:b:\" is not an SELinux context user:role:type[:level]; "
             "fix it or remove it"},
            {"\"selinuxLabel\":\"system_u:system_r:container_t:s0:c1,c2\"", "", NULL, NULL},
            {"\"selinuxLabel\":\"system_u:system_r:container_kvm_t:s0:c1,c2\"", "", NULL, NULL},
            {"\"selinuxLabel\":\"system_u:system_r:container_t\"", "", NULL, NULL},
            {"\"selinuxLabel\":\"\"", "", NULL, NULL},
            {"\"selinuxLabel\":null", "", NULL, NULL},
            {"", "\"mountLabel\":\"system_u:object_r:container_file_t:s0:c1,c2\"", NULL, NULL},
            {"", "\"mountLabel\":\"system_u:object_r:etc_t:s0\"", "linux.mountLabel",
             "the container asks for the SELinux type etc_t (linux.mountLabel "
             "\"system_u:object_r:etc_t:s0\"), which the policy does not allow (knob "
             "lsm.selinux_mount_types): a type such as spc_t or unconfined_t is not confined as "
             "a container; drop the label option (--security-opt label=type:..., "
             "seLinuxOptions), " DROP},
            {"", "\"mountLabel\":\"system_u:object_r:spc_t:s0\"", "linux.mountLabel",
             "the container asks for the SELinux type spc_t (linux.mountLabel "
             "\"system_u:object_r:spc_t:s0\"), which the policy does not allow (knob "
             "lsm.selinux_mount_types): a type such as spc_t or unconfined_t is not confined as "
             "a container; drop the label option (--security-opt label=type:..., "
             "seLinuxOptions), " DROP},
            {"\"apparmorProfile\":\"unconfined\"", "", "process.apparmorProfile",
             NULL /* unconfined_msg */},
            {"\"apparmorProfile\":\"docker-default\"", "", NULL, NULL},
            {"\"apparmorProfile\":\"cri-containerd.apparmor.d\"", "", NULL, NULL},
            {"\"apparmorProfile\":\"\"", "", NULL, NULL},
        };

        for (int host = 0; host < 4; host++) {
                struct hr_policy p;

                fake_aa = host & 1;
                fake_se = host & 2;
                fake_lsm_calls = 0;
                level(&p, "restricted");
                for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                        char buf[512];
                        const char *want = cases[i].message;
                        _cleanup_json_ struct hr_json *c = NULL;
                        struct hr_report rep;
                        struct hr_error err = {0};

                        if (!want && cases[i].path)
                                want = strstr(cases[i].process, "spc_t") ? spc_msg : unconfined_msg;
                        snprintf(buf, sizeof(buf), "{\"process\":{%s},\"linux\":{%s}}",
                                 cases[i].process, cases[i].lx);
                        c = parse(buf);
                        is_int(run_knob("lsm", c, &p, &rep, &err), 0, "%s (%s)", buf, err.msg);
                        is_int(rep.n_violations, want ? 1 : 0, "host aa=%d se=%d: %s", fake_aa,
                               fake_se, buf);
                        if (want && rep.n_violations == 1) {
                                is_str(rep.violations[0].message, want, "message");
                                is_str(rep.violations[0].path, cases[i].path, "path");
                                is_str(rep.violations[0].knob, "lsm", "knob");
                        }
                        is_str(text(c), buf, "config unchanged");
                        hr_report_done(&rep);
                }
                is_int(fake_lsm_calls, 0, "when-available asks the host nothing");
                hr_policy_done(&p);
        }
}

static void test_real_configs(void)
{
        struct hr_policy p;

        fake_aa = fake_se = false;
        level(&p, "restricted");
        for (size_t i = 0; i < sizeof(real_configs) / sizeof(real_configs[0]); i++) {
                _cleanup_json_ struct hr_json *c = load(real_configs[i]);
                _cleanup_json_ struct hr_json *orig = load(real_configs[i]);
                struct hr_report rep;
                struct hr_error err = {0};

                is_int(run_knob("lsm", c, &p, &rep, &err), 0, "%s (%s)", real_configs[i], err.msg);
                is_int(rep.n_violations, 0, "%s passes", real_configs[i]);
                ok(hr_json_equal(c, orig), "%s unchanged", real_configs[i]);
                hr_report_done(&rep);
        }
        hr_policy_done(&p);
}

/* lsm.mode "required" on each detection answer. */
static void test_required(void)
{
        static const char *const neither =
            "the host enforces neither AppArmor nor SELinux, and the policy requires one (knob "
            "lsm.mode \"required\"); enable one on the host, or set lsm.mode to \"when-available\"";
        static const char *const no_aa =
            "no AppArmor profile (process.apparmorProfile) confines the container, and the policy "
            "requires one (knob lsm.mode \"required\"); have the engine set one, " DROP;
        static const char *const no_se =
            "no SELinux label (process.selinuxLabel) confines the container, and the policy "
            "requires one (knob lsm.mode \"required\"); have the engine set one, " DROP;
        static const char *const no_either =
            "no AppArmor profile or SELinux label confines the container, and the policy requires "
            "one (knob lsm.mode \"required\"); have the engine set one, " DROP;
        static const struct {
                bool aa, se;
                const char *process;
                const char *last; /* the last violation, or NULL */
                size_t n;
        } cases[] = {
            {false, false, "", neither, 1},
            {false, false, "\"apparmorProfile\":\"docker-default\"", neither, 1},
            {true, false, "\"apparmorProfile\":\"docker-default\"", NULL, 0},
            {true, false, "", no_aa, 1},
            {true, false, "\"apparmorProfile\":\"unconfined\"", no_aa, 2},
            {true, false, "\"selinuxLabel\":\"system_u:system_r:container_t:s0:c1,c2\"", no_aa, 1},
            {false, true, "\"selinuxLabel\":\"system_u:system_r:container_t:s0:c1,c2\"", NULL, 0},
            {false, true, "\"apparmorProfile\":\"docker-default\"", no_se, 1},
            {false, true, "", no_se, 1},
            {true, true, "", no_either, 1},
            {true, true, "\"apparmorProfile\":\"docker-default\"", NULL, 0},
            {true, true, "\"selinuxLabel\":\"system_u:system_r:container_t:s0:c1,c2\"", NULL, 0},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char buf[256];
                _cleanup_json_ struct hr_json *c = NULL;
                struct hr_policy p;
                struct hr_report rep;
                struct hr_error err = {0};

                fake_aa = cases[i].aa;
                fake_se = cases[i].se;
                level(&p, "restricted");
                is_int(configure_knob(&p, "lsm", "{\"mode\":\"required\"}", &err), 0, "required");
                snprintf(buf, sizeof(buf), "{\"process\":{%s}}", cases[i].process);
                c = parse(buf);
                is_int(run_knob("lsm", c, &p, &rep, &err), 0, "required, aa=%d se=%d: %s",
                       cases[i].aa, cases[i].se, buf);
                is_int(rep.n_violations, cases[i].n, "violations (aa=%d se=%d %s)", cases[i].aa,
                       cases[i].se, buf);
                if (cases[i].last && rep.n_violations == cases[i].n) {
                        is_str(rep.violations[cases[i].n - 1].message, cases[i].last, "message");
                        is_str(rep.violations[cases[i].n - 1].path, "process", "path");
                }
                hr_report_done(&rep);
                hr_policy_done(&p);
        }
}

static void test_configure(void)
{
        static const struct {
                const char *value, *error;
        } cases[] = {
            {"{\"mode\":\"always\"}", "knob lsm.mode must be \"when-available\" or \"required\""},
            {"{\"mode\":1}", "knob lsm.mode must be \"when-available\" or \"required\""},
            {"{\"selinux_types\":[1]}", "knob lsm.selinux_types must be a string or a list"},
            {"{\"selinux_mount_types\":{}}", "knob lsm.selinux_mount_types must be"},
            {"{\"apparmor_unconfined\":\"yes\"}",
             "knob lsm.apparmor_unconfined must be true or false"},
            {"{\"apparmor\":true}", "unknown knob lsm.apparmor"},
            {"true", "knob lsm must be an object"},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                struct hr_policy p;
                struct hr_error err = {0};

                level(&p, "restricted");
                ok(configure_knob(&p, "lsm", cases[i].value, &err) < 0, "refused: %s",
                   cases[i].value);
                ok(strstr(err.msg, cases[i].error) != NULL, "message has \"%s\" (%s)",
                   cases[i].error, err.msg);
                hr_policy_done(&p);
        }
}

/* Exemptions: unconfined allowed, spc_t allowed by a glob, an empty list allows nothing. */
static void test_relaxed(void)
{
        static const struct {
                const char *value, *process;
                size_t violations;
        } cases[] = {
            {"{\"apparmor_unconfined\":true}", "\"apparmorProfile\":\"unconfined\"", 0},
            {"{\"selinux_types\":[\"container_t\",\"spc_t\"]}",
             "\"selinuxLabel\":\"system_u:system_r:spc_t:s0\"", 0},
            {"{\"selinux_types\":\"*\"}", "\"selinuxLabel\":\"u:r:unconfined_t:s0\"", 0},
            {"{\"selinux_types\":\"container_*\"}", "\"selinuxLabel\":\"u:r:container_t:s0\"", 0},
            {"{\"selinux_types\":\"container_*\"}", "\"selinuxLabel\":\"u:r:spc_t:s0\"", 1},
            {"{\"selinux_types\":[]}", "\"selinuxLabel\":\"u:r:container_t:s0\"", 1},
        };

        fake_aa = fake_se = false;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char buf[256];
                _cleanup_json_ struct hr_json *c = NULL;
                struct hr_policy p;
                struct hr_report rep;
                struct hr_error err = {0};

                level(&p, "restricted");
                is_int(configure_knob(&p, "lsm", cases[i].value, &err), 0, "%s", cases[i].value);
                snprintf(buf, sizeof(buf), "{\"process\":{%s}}", cases[i].process);
                c = parse(buf);
                is_int(run_knob("lsm", c, &p, &rep, &err), 0, "%s", buf);
                is_int(rep.n_violations, cases[i].violations, "%s under %s", buf, cases[i].value);
                hr_report_done(&rep);
                hr_policy_done(&p);
        }
}

static void test_errors(void)
{
        static const struct {
                const char *config, *error;
        } cases[] = {
            {"{\"process\":[]}", "process must be an object, not array"},
            {"{\"process\":{\"selinuxLabel\":5}}",
             "process.selinuxLabel must be a string, not number"},
            {"{\"process\":{\"apparmorProfile\":\"unconfined\\u0000x\"}}",
             "process.apparmorProfile holds a NUL character"},
            {"{\"process\":{\"ApparmorProfile\":\"unconfined\"}}",
             "the key \"ApparmorProfile\" is read by runc as \"apparmorProfile\""},
            {"{\"process\":{\"selinuxLabel\":\"a:b:container_t\",\"SelinuxLabel\":\"a:b:spc_t\"}}",
             "the key \"SelinuxLabel\" is read by runc as \"selinuxLabel\""},
            {"{\"linux\":{\"mountLabel\":[]}}", "linux.mountLabel must be a string, not array"},
        };
        struct hr_policy p;

        level(&p, "restricted");
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                _cleanup_json_ struct hr_json *c = parse(cases[i].config);
                struct hr_report rep;
                struct hr_error err = {0};

                ok(run_knob("lsm", c, &p, &rep, &err) < 0, "error: %s", cases[i].config);
                ok(strstr(err.msg, cases[i].error) != NULL, "message has \"%s\" (%s)",
                   cases[i].error, err.msg);
                hr_report_done(&rep);
        }
        hr_policy_done(&p);
}

/* The real detection on this host answers without failing; the levels say when-available. */
static void test_levels(void)
{
        static const char *const names[] = {"restricted", "baseline"};

        for (size_t i = 0; i < 2; i++) {
                struct hr_policy p;

                level(&p, names[i]);
                ok(p.lsm.mode == HR_LSM_WHEN_AVAILABLE && !p.lsm.apparmor_unconfined &&
                       p.lsm.selinux_types.n == 5 && p.lsm.selinux_mount_types.n == 3,
                   "%s: lsm defaults", names[i]);
                hr_policy_done(&p);
        }
        printf("# this host: apparmor %d, selinux %d\n", hr_host_real.apparmor_enabled(),
               hr_host_real.selinux_enabled());
}

int main(void)
{
        test_labels();
        test_real_configs();
        test_required();
        test_configure();
        test_relaxed();
        test_errors();
        test_levels();
        return tap_done();
}
