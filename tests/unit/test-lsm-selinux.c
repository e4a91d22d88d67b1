/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The lsm knob's SELinux labels on the fake host: a label with an MCS level
 * is kept, anything else gets the host's container contexts (or its own
 * user:role:type) at the reserved categories, and the mount label follows
 * the process label's level.  Nothing is set where SELinux is not enforced.
 */
#include "knob-test.h"

#define CATS  "c3,c7"
#define PROC  "system_u:system_r:container_t"
#define FILEC "system_u:object_r:container_file_t"

static void se_policy(struct hr_policy *p, const char *cats)
{
        level(p, "restricted");
        p->lsm.mcs_categories = cats ? strdup(cats) : NULL;
}

static const char *process_label(const struct hr_json *c)
{
        return hr_json_string(hr_json_get(hr_json_get(c, "process"), "selinuxLabel"));
}

static const char *mount_label(const struct hr_json *c)
{
        return hr_json_string(hr_json_get(hr_json_get(c, "linux"), "mountLabel"));
}

/* {"process":{"selinuxLabel":L},"linux":{"mountLabel":M}}, each only when given. */
static struct hr_json *config_with(const char *label, const char *mount)
{
        char buf[512];

        snprintf(buf, sizeof(buf), "{\"process\":{%s%s%s},\"linux\":{%s%s%s}}",
                 label ? "\"selinuxLabel\":\"" : "", label ? label : "", label ? "\"" : "",
                 mount ? "\"mountLabel\":\"" : "", mount ? mount : "", mount ? "\"" : "");
        return parse(buf);
}

static void test_labels(void)
{
        static const struct {
                const char *label, *mount;           /* before; NULL: absent */
                const char *want_label, *want_mount; /* after, on an SELinux host */
                size_t changes;
                bool contexts; /* the host's contexts are read */
        } cases[] = {
            {NULL, NULL, PROC ":s0:" CATS, FILEC ":s0:" CATS, 2, true},
            {"", NULL, PROC ":s0:" CATS, FILEC ":s0:" CATS, 2, true},
            {PROC ":s0:c1,c2", NULL, PROC ":s0:c1,c2", FILEC ":s0:c1,c2", 1, true},
            {PROC ":s0:c1,c2", FILEC ":s0:c1,c2", PROC ":s0:c1,c2", FILEC ":s0:c1,c2", 0, false},
            {PROC ":s0:c1,c2", FILEC ":s0:c8,c9", PROC ":s0:c1,c2", FILEC ":s0:c1,c2", 1, false},
            {PROC ":s0:c1,c2", "system_u:object_r:container_ro_file_t:s0", PROC ":s0:c1,c2",
             "system_u:object_r:container_ro_file_t:s0:c1,c2", 1, false},
            {"system_u:system_r:container_kvm_t:s0:c5", FILEC ":s0:c5",
             "system_u:system_r:container_kvm_t:s0:c5", FILEC ":s0:c5", 0, false},
            {PROC ":s0:c0,c1023", FILEC ":s0:c0,c1023", PROC ":s0:c0,c1023", FILEC ":s0:c0,c1023",
             0, false},
            /* no level, or one without separating categories: the reserved pair */
            {PROC, FILEC ":s0", PROC ":s0:" CATS, FILEC ":s0:" CATS, 2, false},
            {PROC ":s0", NULL, PROC ":s0:" CATS, FILEC ":s0:" CATS, 2, true},
            {PROC ":s0-s0:c0.c1023", NULL, PROC ":s0:" CATS, FILEC ":s0:" CATS, 2, true},
            {PROC ":s0:c0.c1023", NULL, PROC ":s0:" CATS, FILEC ":s0:" CATS, 2, true},
            {PROC ":s0:c1,,c2", NULL, PROC ":s0:" CATS, FILEC ":s0:" CATS, 2, true},
            {PROC ":s0:c1,", NULL, PROC ":s0:" CATS, FILEC ":s0:" CATS, 2, true},
            {PROC ":s0:c1024", NULL, PROC ":s0:" CATS, FILEC ":s0:" CATS, 2, true},
            {PROC ":s0:", NULL, PROC ":s0:" CATS, FILEC ":s0:" CATS, 2, true},
            {PROC ":s1:c4", NULL, PROC ":s1:c4", FILEC ":s1:c4", 1, true},
            {PROC ":x0:c4", NULL, PROC ":s0:" CATS, FILEC ":s0:" CATS, 2, true},
            {PROC ":s16:c4", NULL, PROC ":s0:" CATS, FILEC ":s0:" CATS, 2, true},
            {"unconfined_u:system_r:container_init_t:s0", NULL,
             "unconfined_u:system_r:container_init_t:s0:" CATS, FILEC ":s0:" CATS, 2, true},
        };

        for (size_t i = 0; i < HR_ARRAY_SIZE(cases); i++)
                for (int se = 0; se < 2; se++) {
                        _cleanup_json_ struct hr_json *c = NULL, *orig = NULL;
                        const char *t;
                        char what[512];
                        struct hr_policy p;
                        struct hr_report rep, rep2;
                        struct hr_error err = {0};

                        fake_aa = false;
                        fake_se = se;
                        fake_contexts_calls = 0;
                        se_policy(&p, CATS);
                        c = config_with(cases[i].label, cases[i].mount);
                        orig = hr_json_copy(c);
                        t = text(orig);
                        snprintf(what, sizeof(what), "%.400s", t ? t : "?");
                        is_int(run_knob("lsm", c, &p, &rep, &err), 0, "%s (%s)", what, err.msg);
                        is_int(rep.n_violations, 0, "se=%d %s: no violation", se, what);
                        if (!se) {
                                ok(hr_json_equal(c, orig), "se=0 %s: unchanged", what);
                                is_int(fake_contexts_calls, 0, "se=0: the host is not asked");
                        } else {
                                is_str(process_label(c), cases[i].want_label, "%s: the label",
                                       what);
                                is_str(mount_label(c), cases[i].want_mount, "%s: the mount label",
                                       what);
                                is_int(rep.n_changes, cases[i].changes, "%s: changes", what);
                                is_int(fake_contexts_calls > 0, cases[i].contexts,
                                       "%s: the host's contexts read or not", what);
                                is_int(run_knob("lsm", c, &p, &rep2, &err), 0, "again");
                                is_int(rep2.n_changes, 0, "%s: a second run changes nothing", what);
                                hr_report_done(&rep2);
                        }
                        hr_report_done(&rep);
                        hr_policy_done(&p);
                }
}

/* What the host or the policy gets wrong: a refusal or an error, never a made-up label. */
static void test_host_problems(void)
{
        struct hr_policy p;
        struct hr_report rep;
        struct hr_error err = {0};
        _cleanup_json_ struct hr_json *a = config_with(NULL, NULL), *b = config_with(NULL, NULL),
                                      *c = config_with(NULL, NULL), *d = config_with(NULL, NULL),
                                      *e = config_with(PROC ":s0:c1,c2", NULL);

        fake_aa = false;
        fake_se = true;
        se_policy(&p, CATS);
        fake_lxc_process = "system_u:system_r:spc_t:s0";
        is_int(run_knob("lsm", a, &p, &rep, &err), 0, "a host context outside the policy");
        is_int(rep.n_violations, 1, "is refused");
        is_str(rep.n_violations ? rep.violations[0].message : NULL,
               "the host's SELinux container context \"system_u:system_r:spc_t:s0\" "
               "(lxc_contexts entry process) has the type spc_t, which the policy does not allow "
               "(knob lsm.selinux_types); allow that type, or fix the host's SELinux policy",
               "the message");
        is_str(process_label(a), NULL, "and no label is set");
        hr_report_done(&rep);

        fake_lxc_process = "garbage";
        is_int(run_knob("lsm", b, &p, &rep, &err), 0, "a malformed host context");
        ok(rep.n_violations == 1 && strstr(rep.violations[0].message, "is not a context "
                                                                      "user:role:type[:level]"),
           "is refused (%s)", rep.n_violations ? rep.violations[0].message : "");
        hr_report_done(&rep);

        fake_lxc_process = NULL; /* lxc_contexts cannot be read */
        ok(run_knob("lsm", c, &p, &rep, &err) < 0 &&
               strcmp(err.msg, "the host's SELinux container contexts: no lxc_contexts") == 0,
           "unreadable contexts are an error (%s)", err.msg);
        hr_report_done(&rep);
        ok(run_knob("lsm", e, &p, &rep, &err) < 0, "also when only the mount label needs them");
        hr_report_done(&rep);
        fake_lxc_process = "system_u:system_r:container_t:s0";

        fake_lxc_file = "system_u:object_r:etc_t:s0";
        is_int(run_knob("lsm", d, &p, &rep, &err), 0, "a host file context outside the policy");
        ok(rep.n_violations == 1 &&
               strstr(rep.violations[0].message, "(lxc_contexts entry file) "
                                                 "has the type etc_t") &&
               strcmp(rep.violations[0].path, "linux.mountLabel") == 0,
           "is refused at linux.mountLabel (%s)",
           rep.n_violations ? rep.violations[0].message : "");
        hr_report_done(&rep);
        fake_lxc_file = "system_u:object_r:container_file_t:s0";
        hr_policy_done(&p);
}

/* No categories reserved: enforce must not invent a label; audit and refuse only tell. */
static void test_unreserved(void)
{
        static const enum hr_mode modes[] = {HR_MODE_ENFORCE, HR_MODE_AUDIT, HR_MODE_REFUSE};

        fake_aa = false;
        fake_se = true;
        for (size_t i = 0; i < HR_ARRAY_SIZE(modes); i++) {
                _cleanup_json_ struct hr_json *c = config_with(NULL, NULL);
                struct hr_policy p;
                struct hr_report rep;
                struct hr_error err = {0};
                int r;

                se_policy(&p, NULL);
                p.mode = modes[i];
                r = run_knob("lsm", c, &p, &rep, &err);
                if (modes[i] == HR_MODE_ENFORCE)
                        ok(r < 0 && strcmp(err.msg, "no MCS categories were reserved for the "
                                                    "container") == 0,
                           "enforce without reserved categories is an error (%s)", err.msg);
                else
                        ok(r == 0 && rep.n_changes == 2 && rep.changes[0].after &&
                               strcmp(rep.changes[0].after, "\"" PROC ":s0:cN,cM\"") == 0,
                           "%s records the label with a placeholder (%s)", hr_mode_name(modes[i]),
                           rep.n_changes ? rep.changes[0].after : err.msg);
                hr_report_done(&rep);
                hr_policy_done(&p);
        }
}

static void test_needs_mcs(void)
{
        static const struct {
                const char *config;
                bool needs;
        } cases[] = {
            {"{}", true},
            {"{\"process\":{}}", true},
            {"{\"process\":{\"selinuxLabel\":null}}", true},
            {"{\"process\":{\"selinuxLabel\":\"\"}}", true},
            {"{\"process\":{\"selinuxLabel\":5}}", true},
            {"{\"process\":{\"selinuxLabel\":\"" PROC "\"}}", true},
            {"{\"process\":{\"selinuxLabel\":\"" PROC ":s0\"}}", true},
            {"{\"process\":{\"selinuxLabel\":\"" PROC ":s0-s0:c0.c1023\"}}", true},
            {"{\"process\":{\"selinuxLabel\":\"" PROC ":s0:c1,c2\"}}", false},
            {"{\"process\":{\"selinuxLabel\":\"" PROC ":s0:c1\"}}", false},
            {"{\"process\":{\"selinuxLabel\":\"system_u:system_r:spc_t:s0:c1,c2\"}}", false},
        };

        for (size_t i = 0; i < HR_ARRAY_SIZE(cases); i++) {
                _cleanup_json_ struct hr_json *c = parse(cases[i].config);

                is_int(hr_lsm_needs_mcs(c), cases[i].needs, "needs MCS categories: %s",
                       cases[i].config);
        }
}

int main(void)
{
        test_labels();
        test_host_problems();
        test_unreserved();
        test_needs_mcs();
        return tap_done();
}
