/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The lsm knob on each answer of the fake host: AppArmor and SELinux
 * enforced or not, profiles loaded or not, the host's container contexts.
 * Refusals hold whatever the host enforces; labels are set only where it
 * enforces the LSM, and a second run changes nothing.
 */
#include "knob-test.h"

#define DROP "or exempt this container with a rule"
#define CATS "c3,c7" /* what the command layer reserved, in these tests */

static const char *const spc_msg =
    "the container asks for the SELinux type spc_t (process.selinuxLabel "
    "\"system_u:system_r:spc_t:s0\"), which the policy does not allow (knob lsm.selinux_types): a "
    "type such as spc_t or unconfined_t is not confined as a container; drop the label option "
    "(--security-opt label=type:..., seLinuxOptions), " DROP;

static const char *const unconfined_msg =
    "the container asks to run without AppArmor (process.apparmorProfile \"unconfined\", as "
    "docker run --privileged or --security-opt apparmor=unconfined give); drop that option, " DROP;

static const char *const loaded_here[] = {"hardrun-default", "docker-default", "custom",
                                          "localhost-web", NULL};

/* The restricted level on the fake host as it is now, with knob lsm text laid over it. */
static void lsm_policy(struct hr_policy *p, const char *lsm)
{
        struct hr_error err = {0};

        level(p, "restricted");
        if (lsm && configure_knob(p, "lsm", lsm, &err) < 0) {
                printf("# bad lsm knob %s: %s\n", lsm, err.msg);
                abort();
        }
        p->lsm.mcs_categories = strdup(CATS);
}

static const char *process_string(const struct hr_json *c, const char *key)
{
        return hr_json_string(hr_json_get(hr_json_get(c, "process"), key));
}

static const char *mount_label(const struct hr_json *c)
{
        return hr_json_string(hr_json_get(hr_json_get(c, "linux"), "mountLabel"));
}

/* Refusals: the same on every host; where the host enforces nothing, nothing changes. */
static void test_refusals(void)
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
            {"\"apparmorProfile\":\"unconfined\"", "", "process.apparmorProfile",
             NULL /* unconfined_msg */},
            {"\"apparmorProfile\":\"docker-default\"", "", NULL, NULL},
            {"\"apparmorProfile\":\"cri-containerd.apparmor.d\"", "", NULL, NULL},
            {"\"apparmorProfile\":\"\"", "", NULL, NULL},
        };

        fake_loaded = loaded_here;
        for (int host = 0; host < 4; host++) {
                struct hr_policy p;

                fake_aa = host & 1;
                fake_se = host & 2;
                lsm_policy(&p, NULL);
                for (size_t i = 0; i < HR_ARRAY_SIZE(cases); i++) {
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
                        if (host == 0)
                                is_str(text(c), buf, "no LSM on the host: config unchanged");
                        hr_report_done(&rep);
                }
                hr_policy_done(&p);
        }
}

/* AppArmor: hardrun-default unless an allowed, loaded profile is named; nothing without AppArmor.
 */
static void test_apparmor(void)
{
        static const struct {
                const char *lsm;     /* knob lsm text laid over restricted, or NULL */
                const char *profile; /* the JSON value, or NULL: absent */
                const char *want;    /* the profile afterwards on an AppArmor host */
                size_t violations;   /* on every host */
        } cases[] = {
            {NULL, NULL, "hardrun-default", 0},
            {NULL, "\"\"", "hardrun-default", 0},
            {NULL, "null", "hardrun-default", 0},
            {NULL, "\"hardrun-default\"", "hardrun-default", 0},
            {NULL, "\"docker-default\"", "docker-default", 0},
            {NULL, "\"custom\"", "hardrun-default", 0},          /* loaded, not allowed */
            {NULL, "\"not-loaded-here\"", "hardrun-default", 0}, /* neither */
            {"{\"apparmor_profiles\":[\"not-loaded-here\"]}", "\"not-loaded-here\"",
             "hardrun-default", 0},
            {"{\"apparmor_profiles\":[\"custom\"]}", "\"custom\"", "custom", 0},
            {"{\"apparmor_profiles\":[\"custom\"]}", "\"docker-default\"", "hardrun-default", 0},
            {"{\"apparmor_profiles\":\"localhost-*\"}", "\"localhost-web\"", "localhost-web", 0},
            {"{\"apparmor_profiles\":[]}", "\"docker-default\"", "hardrun-default", 0},
            {"{\"apparmor_profiles\":[]}", "\"hardrun-default\"", "hardrun-default", 0},
            {NULL, "\"unconfined\"", "unconfined", 1},
            {"{\"apparmor_unconfined\":true}", "\"unconfined\"", "unconfined", 0},
        };

        fake_loaded = loaded_here;
        fake_se = false;
        for (size_t i = 0; i < HR_ARRAY_SIZE(cases); i++)
                for (int aa = 0; aa < 2; aa++) {
                        char buf[256];
                        _cleanup_json_ struct hr_json *c = NULL, *again = NULL;
                        const char *want = aa ? cases[i].want : NULL;
                        struct hr_policy p;
                        struct hr_report rep, rep2;
                        struct hr_error err = {0};

                        fake_aa = aa;
                        lsm_policy(&p, cases[i].lsm);
                        snprintf(buf, sizeof(buf), "{\"process\":{%s%s}}",
                                 cases[i].profile ? "\"apparmorProfile\":" : "",
                                 cases[i].profile ? cases[i].profile : "");
                        c = parse(buf);
                        is_int(run_knob("lsm", c, &p, &rep, &err), 0, "%s (%s)", buf, err.msg);
                        is_int(rep.n_violations, cases[i].violations, "aa=%d %s %s: violations", aa,
                               buf, cases[i].lsm ? cases[i].lsm : "");
                        if (want) {
                                is_str(process_string(c, "apparmorProfile"), want,
                                       "aa=1 %s %s: the profile", buf,
                                       cases[i].lsm ? cases[i].lsm : "");
                                is_int(rep.n_changes,
                                       cases[i].profile && strstr(cases[i].profile, want) ? 0 : 1,
                                       "aa=1 %s: changes", buf);
                        } else {
                                is_str(text(c), buf, "aa=0 %s: unchanged", buf);
                        }
                        again = hr_json_copy(c);
                        is_int(run_knob("lsm", again, &p, &rep2, &err), 0, "again");
                        is_int(rep2.n_changes, 0, "aa=%d %s: a second run changes nothing", aa,
                               buf);
                        hr_report_done(&rep);
                        hr_report_done(&rep2);
                        hr_policy_done(&p);
                }
}

/* The host cannot say which profiles are loaded: an error, not a guess. */
static void test_apparmor_errors(void)
{
        _cleanup_json_ struct hr_json *c = parse("{\"process\":{\"apparmorProfile\":"
                                                 "\"docker-default\"}}");
        _cleanup_json_ struct hr_json *d = parse("{\"process\":{}}");
        struct hr_policy p;
        struct hr_report rep;
        struct hr_error err = {0};

        fake_aa = true;
        fake_se = false;
        fake_loaded_error = EACCES;
        lsm_policy(&p, NULL);
        ok(run_knob("lsm", c, &p, &rep, &err) < 0 &&
               strstr(err.msg, "cannot tell whether the AppArmor profile docker-default is "
                               "loaded: Permission denied"),
           "an unreadable profile list is an error (%s)", err.msg);
        hr_report_done(&rep);
        /* Nothing to look up when the container names no profile. */
        is_int(run_knob("lsm", d, &p, &rep, &err), 0, "no profile named: no lookup (%s)", err.msg);
        is_str(process_string(d, "apparmorProfile"), "hardrun-default", "hardrun-default set");
        hr_report_done(&rep);
        hr_policy_done(&p);
        fake_loaded_error = 0;
}

/* lsm.mode "required" on each detection answer, judged once the labels are set. */
static void test_required(void)
{
        static const char *const neither =
            "the host enforces neither AppArmor nor SELinux, and the policy requires one (knob "
            "lsm.mode \"required\"); enable one on the host, or set lsm.mode to \"when-available\"";
        static const char *const no_aa =
            "no AppArmor profile (process.apparmorProfile) confines the container, and the policy "
            "requires one (knob lsm.mode \"required\"); have the engine set one, " DROP;
        static const char *const no_either =
            "no AppArmor profile or SELinux label confines the container, and the policy requires "
            "one (knob lsm.mode \"required\"); have the engine set one, " DROP;
        static const struct {
                bool aa, se;
                const char *lsm, *process;
                const char *last; /* the last violation, or NULL */
                size_t n;
        } cases[] = {
            {false, false, NULL, "", neither, 1},
            {false, false, NULL, "\"apparmorProfile\":\"docker-default\"", neither, 1},
            {true, false, NULL, "\"apparmorProfile\":\"docker-default\"", NULL, 0},
            {true, false, NULL, "", NULL, 0}, /* hardrun-default is set */
            {true, false, NULL, "\"apparmorProfile\":\"unconfined\"", no_aa, 2},
            {true, false, "{\"apparmor_unconfined\":true}", "\"apparmorProfile\":\"unconfined\"",
             no_aa, 1},
            {true, true, "{\"apparmor_unconfined\":true}", "\"apparmorProfile\":\"unconfined\"",
             NULL, 0}, /* SELinux confines it */
            {true, false, NULL, "\"selinuxLabel\":\"system_u:system_r:container_t:s0:c1,c2\"", NULL,
             0},
            {false, true, NULL, "\"selinuxLabel\":\"system_u:system_r:container_t:s0:c1,c2\"", NULL,
             0},
            {false, true, NULL, "\"apparmorProfile\":\"docker-default\"", NULL, 0},
            {false, true, NULL, "", NULL, 0}, /* a label is set */
            {true, true, NULL, "", NULL, 0},
            {true, true, "{\"apparmor_unconfined\":true}",
             "\"apparmorProfile\":\"unconfined\","
             "\"selinuxLabel\":\"system_u:system_r:spc_t:s0\"",
             spc_msg, 1},
            /* The host's container type is not allowed, so no label is set; nothing confines. */
            {true, true, "{\"apparmor_unconfined\":true,\"selinux_types\":\"svirt_lxc_net_t\"}",
             "\"apparmorProfile\":\"unconfined\"", no_either, 2},
        };

        fake_loaded = loaded_here;
        for (size_t i = 0; i < HR_ARRAY_SIZE(cases); i++) {
                char buf[256], lsm[256];
                _cleanup_json_ struct hr_json *c = NULL;
                struct hr_policy p;
                struct hr_report rep;
                struct hr_error err = {0};

                fake_aa = cases[i].aa;
                fake_se = cases[i].se;
                lsm_policy(&p, "{\"mode\":\"required\"}");
                snprintf(lsm, sizeof(lsm), "%s", cases[i].lsm ? cases[i].lsm : "{}");
                is_int(configure_knob(&p, "lsm", lsm, &err), 0, "%s", lsm);
                snprintf(buf, sizeof(buf), "{\"process\":{%s}}", cases[i].process);
                c = parse(buf);
                is_int(run_knob("lsm", c, &p, &rep, &err), 0, "required, aa=%d se=%d: %s",
                       cases[i].aa, cases[i].se, buf);
                is_int(rep.n_violations, cases[i].n, "violations (aa=%d se=%d %s %s)", cases[i].aa,
                       cases[i].se, buf, lsm);
                if (cases[i].last && rep.n_violations == cases[i].n)
                        is_str(rep.violations[cases[i].n - 1].message, cases[i].last, "message");
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
            {"{\"apparmor_profiles\":7}", "knob lsm.apparmor_profiles must be a string or a list"},
            {"{\"apparmor_profiles\":[\"x\",null]}",
             "knob lsm.apparmor_profiles must be a string or a list"},
            {"{\"apparmor\":true}", "unknown knob lsm.apparmor"},
            {"{\"mcs_categories\":\"c1,c2\"}", "unknown knob lsm.mcs_categories"},
            {"true", "knob lsm must be an object"},
        };

        for (size_t i = 0; i < HR_ARRAY_SIZE(cases); i++) {
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
        for (size_t i = 0; i < HR_ARRAY_SIZE(cases); i++) {
                char buf[256];
                _cleanup_json_ struct hr_json *c = NULL;
                struct hr_policy p;
                struct hr_report rep;
                struct hr_error err = {0};

                lsm_policy(&p, cases[i].value);
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

        fake_loaded = loaded_here;
        for (int host = 0; host < 4; host++) {
                struct hr_policy p;

                fake_aa = host & 1;
                fake_se = host & 2;
                lsm_policy(&p, NULL);
                for (size_t i = 0; i < HR_ARRAY_SIZE(cases); i++) {
                        _cleanup_json_ struct hr_json *c = parse(cases[i].config);
                        struct hr_report rep;
                        struct hr_error err = {0};

                        ok(run_knob("lsm", c, &p, &rep, &err) < 0, "error (aa=%d se=%d): %s",
                           fake_aa, fake_se, cases[i].config);
                        ok(strstr(err.msg, cases[i].error) != NULL, "message has \"%s\" (%s)",
                           cases[i].error, err.msg);
                        hr_report_done(&rep);
                }
                hr_policy_done(&p);
        }
}

/* Every real config passes on every host and is labelled where the host enforces an LSM. */
static void test_real_configs(void)
{
        fake_loaded = loaded_here;
        for (int host = 0; host < 4; host++) {
                struct hr_policy p;

                fake_aa = host & 1;
                fake_se = host & 2;
                lsm_policy(&p, NULL);
                for (size_t i = 0; i < HR_ARRAY_SIZE(real_configs); i++) {
                        _cleanup_json_ struct hr_json *c = load(real_configs[i]);
                        _cleanup_json_ struct hr_json *orig = load(real_configs[i]);
                        struct hr_report rep;
                        struct hr_error err = {0};
                        const char *prof, *label;

                        is_int(run_knob("lsm", c, &p, &rep, &err), 0, "%s (%s)", real_configs[i],
                               err.msg);
                        is_int(rep.n_violations, 0, "aa=%d se=%d: %s passes", fake_aa, fake_se,
                               real_configs[i]);
                        prof = process_string(c, "apparmorProfile");
                        label = process_string(c, "selinuxLabel");
                        ok(host ? !hr_json_equal(c, orig) : hr_json_equal(c, orig),
                           "aa=%d se=%d: %s %s", fake_aa, fake_se, real_configs[i],
                           host ? "labelled" : "unchanged");
                        ok(!fake_aa || (prof && strcmp(prof, "hardrun-default") == 0),
                           "aa=%d: %s gets hardrun-default (%s)", fake_aa, real_configs[i],
                           prof ? prof : "none");
                        ok(!fake_se || (label && strstr(label, ":s0:" CATS) && mount_label(c) &&
                                        strstr(mount_label(c), ":s0:" CATS)),
                           "se=%d: %s gets the reserved categories (%s)", fake_se, real_configs[i],
                           label ? label : "none");
                        hr_report_done(&rep);
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
                ok(p.lsm.mode == HR_LSM_WHEN_AVAILABLE && !p.lsm.apparmor_unconfined &&
                       p.lsm.selinux_types.n == 5 && p.lsm.selinux_mount_types.n == 3 &&
                       p.lsm.apparmor_profiles.n == 2 &&
                       strcmp(p.lsm.apparmor_profiles.v[0], "hardrun-default") == 0 &&
                       strcmp(p.lsm.apparmor_profiles.v[1], "docker-default") == 0 &&
                       !p.lsm.mcs_categories,
                   "%s: lsm defaults", names[i]);
                hr_policy_done(&p);
        }
        printf("# this host: apparmor %d, selinux %d\n", hr_host_real.apparmor_enabled(),
               hr_host_real.selinux_enabled());
}

int main(void)
{
        test_refusals();
        test_apparmor();
        test_apparmor_errors();
        test_required();
        test_configure();
        test_relaxed();
        test_errors();
        test_real_configs();
        test_levels();
        return tap_done();
}
