/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The intersection of hardrun's seccomp profile with the container's own,
 * over real and written-for-the-purpose profiles: Docker's and Podman's
 * defaults as the engines wrote them, a stricter custom one, a denylist, one
 * with SCMP_ACT_NOTIFY, and edge cases.  Besides the expected changes, every
 * merge is checked against invariants written from DESIGN §4, name by name
 * over every syscall libseccomp knows: the result never allows what ours
 * denies, keeps what theirs denies, builds with libseccomp and is a fixed
 * point of the merge.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "knob-kit.h"
#include "seccomp-merge.h"
#include "seccomp-oci.h"
#include "seccomp-profile.h"
#include "tap.h"

/* linux.seccomp of an engine's config, or the file itself for the profile fixtures. */
static struct hr_json *theirs(const char *name)
{
        _cleanup_json_ struct hr_json *j = kit_load(name);
        const struct hr_json *sc = hr_json_get(hr_json_get(j, "linux"), "seccomp");

        return hr_json_copy(sc ? sc : j);
}

static struct hr_json *ours(const char *caps, bool learn)
{
        static const struct hr_seccomp_host host = {SCMP_ARCH_X86_64, {6, 18}};
        _cleanup_json_ struct hr_json *profile = NULL, *bounding = kit_parse(caps);
        struct hr_json *out = NULL;
        struct hr_error err = {0};

        if (hr_seccomp_default_parse(&profile, &err) < 0 ||
            hr_seccomp_profile_resolve(profile, &host, bounding, learn ? HR_SECCOMP_LEARN : 0, &out,
                                       &err) < 0) {
                printf("# %s\n", err.msg);
                abort();
        }
        return out;
}

/* ---- the oracle ------------------------------------------------------------ */

struct view {
        struct hr_sc sc;
        const char *what;
};

static bool view_open(struct view *v, const struct hr_json *json, const char *what)
{
        struct hr_error err = {0};

        v->what = what;
        if (hr_sc_parse(json, what, &v->sc, &err) < 0) {
                printf("# %s: %s\n", what, err.msg);
                return false;
        }
        return true;
}

static struct hr_sc_effect eff(const struct view *v, const char *name)
{
        struct hr_sc_effect e = {0};

        if (hr_sc_effect(&v->sc, name, v->sc.def, &e) < 0)
                abort();
        return e;
}

/* Lets a call through unseen: in learning mode a logged call counts as seen. */
static bool passes(uint32_t action, bool learn)
{
        return hr_sc_allowing(action) && !(learn && action == SCMP_ACT_LOG);
}

static bool denies_all(const struct hr_sc_effect *e, bool learn)
{
        if (passes(e->action, learn))
                return false;
        for (size_t i = 0; i < e->n_matches; i++)
                if (passes(e->matches[i].action, learn))
                        return false;
        return true;
}

static bool cube(const struct hr_sc_cond *c, uint64_t *m, uint64_t *v)
{
        *m = c->op == SCMP_CMP_EQ ? UINT64_MAX : c->value;
        *v = c->op == SCMP_CMP_EQ ? c->value : c->value_two & c->value;
        return c->op == SCMP_CMP_EQ || c->op == SCMP_CMP_MASKED_EQ;
}

/* Some condition of m confines it within one of ours' passing single-condition rules. */
static bool confined(const struct hr_sc_match *m, const struct hr_sc_effect *o, bool learn)
{
        for (uint32_t i = 0; i < m->n_conds; i++) {
                uint64_t tm, tv;

                if (!cube(&m->conds[i], &tm, &tv))
                        continue;
                for (size_t k = 0; k < o->n_matches; k++) {
                        uint64_t om, ov;

                        if (passes(o->matches[k].action, learn) && o->matches[k].n_conds == 1 &&
                            o->matches[k].conds[0].index == m->conds[i].index &&
                            cube(&o->matches[k].conds[0], &om, &ov) && (om & ~tm) == 0 &&
                            (tv & om) == ov)
                                return true;
                }
        }
        return false;
}

static bool has_match(const struct hr_sc_effect *e, const struct hr_sc_match *m)
{
        struct hr_sc_effect one = {
            .action = e->action, .matches = (struct hr_sc_match *)m, .n_matches = 1};

        for (size_t i = 0; i < e->n_matches; i++) {
                struct hr_sc_effect other = {
                    .action = e->action, .matches = &e->matches[i], .n_matches = 1};

                if (hr_sc_effect_equal(&one, &other))
                        return true;
        }
        return false;
}

/* One name: "" when the invariants hold, else which one broke. */
static const char *check_name(const struct view *t, const struct view *h, const struct view *m,
                              const char *name, bool learn)
{
        struct hr_sc_effect et = eff(t, name), eh = eff(h, name), em = eff(m, name);
        const char *bad = "";

        if (denies_all(&eh, learn) && !denies_all(&em, learn))
                bad = "lets through what ours denies";
        for (size_t i = 0; !*bad && eh.n_matches && i < em.n_matches; i++)
                if (passes(em.matches[i].action, learn) && !confined(&em.matches[i], &eh, learn))
                        bad = "lets through arguments ours denies";
        if (!*bad && eh.n_matches && passes(em.action, learn))
                bad = "lets through every argument ours constrains";
        if (!*bad && et.n_matches == 0 && !hr_sc_allowing(et.action) &&
            !hr_sc_effect_equal(&et, &em))
                bad = "loses their denial";
        if (!*bad && eh.n_matches == 0 && passes(eh.action, learn) && !hr_sc_allowing(t->sc.def) &&
            !hr_sc_effect_equal(&et, &em))
                bad = "changes what theirs decides where ours allows";
        for (size_t i = 0;
             !*bad && eh.n_matches == 0 && passes(eh.action, learn) && i < et.n_matches; i++)
                if (et.matches[i].action != m->sc.def && !has_match(&em, &et.matches[i]))
                        bad = "drops one of their rules where ours allows";
        hr_sc_effect_done(&et);
        hr_sc_effect_done(&eh);
        hr_sc_effect_done(&em);
        return bad;
}

static void check_names(const struct view *t, const struct view *h, const struct view *m,
                        bool learn, const char *what)
{
        size_t bad = 0, n = 0;

        for (int nr = 0; nr < 1024; nr++) {
                char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);
                const char *why;

                if (!name)
                        continue;
                n++;
                if (*(why = check_name(t, h, m, name, learn))) {
                        printf("# %s: %s %s\n", what, name, why);
                        bad++;
                }
                free(name);
        }
        for (size_t i = 0; i < t->sc.n_refs; i++) {
                const char *why = check_name(t, h, m, t->sc.refs[i].name, learn);

                if (*why) {
                        printf("# %s: %s %s\n", what, t->sc.refs[i].name, why);
                        bad++;
                }
        }
        ok(n > 300, "%s: %zu syscalls checked", what, n);
        is_int(bad, 0, "%s: never lets through what ours denies, keeps what theirs denies", what);
}

/* Merge ours into a copy of t; check the invariants; return the result and its report. */
static struct hr_json *merge(const struct hr_json *t, const struct hr_json *h, bool learn,
                             struct hr_report *report, const char *what)
{
        struct hr_json *m = hr_json_copy(t), *again;
        _cleanup_seccomp_ scmp_filter_ctx ctx = NULL;
        struct hr_report twice = {0};
        struct hr_error err = {0};
        struct view vt, vh, vm;

        *report = (struct hr_report){0};
        if (!ok(hr_seccomp_merge(m, h, learn, "seccomp", report, &err) == 0, "%s: merges (%s)",
                what, err.msg))
                return m;
        if (!view_open(&vt, t, "theirs") || !view_open(&vh, h, "ours") ||
            !view_open(&vm, m, "merged"))
                abort();
        ok(learn ? vm.sc.def != SCMP_ACT_ALLOW : !hr_sc_allowing(vm.sc.def),
           "%s: the default action denies", what);
        if (!hr_sc_allowing(vt.sc.def))
                is_int(vm.sc.def, vt.sc.def, "%s: their denying default stays", what);
        check_names(&vt, &vh, &vm, learn, what);
        is_int(hr_sc_build(&vm.sc, 0, &ctx, &err), 0, "%s: libseccomp builds it (%s)", what,
               err.msg);
        again = hr_json_copy(m);
        is_int(hr_seccomp_merge(again, h, learn, "seccomp", &twice, &err), 0, "%s: merges again",
               what);
        is_int(twice.n_changes + twice.n_violations, 0, "%s: merging again changes nothing", what);
        ok(hr_json_equal(again, m), "%s: merging again leaves it as it is", what);
        hr_report_done(&twice);
        hr_json_free(again);
        hr_sc_done(&vt.sc);
        hr_sc_done(&vh.sc);
        hr_sc_done(&vm.sc);
        return m;
}

/* The report's changed paths, joined with " | ". */
static char *paths(const struct hr_report *r)
{
        static char buf[4096];

        buf[0] = '\0';
        for (size_t i = 0; i < r->n_changes; i++)
                snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", i ? " | " : "",
                         r->changes[i].path);
        return buf;
}

static const struct hr_json *rule_for(const struct hr_json *sc, const char *name)
{
        const struct hr_json *rules = hr_json_get(sc, "syscalls");

        for (size_t i = 0; rules && i < rules->u.arr.len; i++) {
                const struct hr_json *names = hr_json_get(rules->u.arr.items[i], "names");

                for (size_t k = 0; names && k < names->u.arr.len; k++)
                        if (strcmp(names->u.arr.items[k]->u.str.text, name) == 0)
                                return rules->u.arr.items[i];
        }
        return NULL;
}

/* ---- the engines' profiles ---------------------------------------------- */

static void test_docker(void)
{
        _cleanup_json_ struct hr_json *t = theirs("docker.json");
        _cleanup_json_ struct hr_json *config = kit_load("docker.json");
        _cleanup_json_ struct hr_json *h =
            ours("[\"CAP_CHOWN\",\"CAP_DAC_OVERRIDE\",\"CAP_FSETID\",\"CAP_FOWNER\",\"CAP_MKNOD\","
                 "\"CAP_NET_RAW\",\"CAP_SETGID\",\"CAP_SETUID\",\"CAP_SETFCAP\",\"CAP_SETPCAP\","
                 "\"CAP_NET_BIND_SERVICE\",\"CAP_SYS_CHROOT\",\"CAP_KILL\",\"CAP_AUDIT_WRITE\"]",
                 false);
        struct hr_report r;
        _cleanup_json_ struct hr_json *m = merge(t, h, false, &r, "docker");

        is_str(paths(&r),
               "linux.seccomp.syscalls[names=io_uring_enter,io_uring_register,io_uring_setup] | "
               "linux.seccomp.syscalls[names=ptrace] | linux.seccomp.syscalls[names=socket]",
               "docker: io_uring is gone, ptrace needs CAP_SYS_PTRACE, socket is constrained");
        for (size_t i = 0; i < r.n_changes; i++)
                is_str(r.changes[i].knob, "seccomp", "docker: change %zu names the knob", i);
        if (r.n_changes == 3) {
                is_str(r.changes[0].after, "{\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38}",
                       "docker: io_uring is ENOSYS");
                is_str(r.changes[1].before, "{\"action\":\"SCMP_ACT_ALLOW\"}",
                       "docker: ptrace was allowed");
                is_str(r.changes[1].after, "{\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1}",
                       "docker: ptrace is EPERM");
        }
        is_str(hr_json_string(hr_json_get(m, "defaultAction")), "SCMP_ACT_ERRNO",
               "docker: the default stays SCMP_ACT_ERRNO");
        ok(!hr_json_get(m, "defaultErrnoRet"), "docker: and EPERM");
        ok(hr_json_equal(rule_for(m, "personality"), rule_for(t, "personality")),
           "docker: its personality rules, within ours, stay");
        ok(hr_json_equal(rule_for(m, "clone3"), rule_for(t, "clone3")),
           "docker: clone3 stays ENOSYS");
        ok(hr_json_equal(hr_json_get(m, "architectures"), hr_json_get(t, "architectures")),
           "docker: same architectures");
        ok(rule_for(m, "getpid") == hr_json_get(m, "syscalls")->u.arr.items[0],
           "docker: its big rule stays first");
        hr_report_done(&r);
        (void)config;
}

static void test_podman(void)
{
        _cleanup_json_ struct hr_json *t = theirs("podman.json");
        _cleanup_json_ struct hr_json *h =
            ours("[\"CAP_CHOWN\",\"CAP_DAC_OVERRIDE\",\"CAP_FOWNER\",\"CAP_FSETID\",\"CAP_KILL\","
                 "\"CAP_NET_BIND_SERVICE\",\"CAP_SETFCAP\",\"CAP_SETGID\",\"CAP_SETPCAP\","
                 "\"CAP_SETUID\",\"CAP_SYS_CHROOT\"]",
                 false);
        struct hr_report r;
        _cleanup_json_ struct hr_json *m = merge(t, h, false, &r, "podman");
        const char *p = paths(&r);

        ok(strstr(p, "[names=fsconfig,fsmount,fsopen,fspick,get_mempolicy,keyctl,mbind,mount,") !=
               NULL,
           "podman: mount, keyctl and company become EPERM (%s)", p);
        ok(strstr(p, "unshare]") != NULL, "podman: unshare too");
        ok(strstr(p, "[names=clone3,") != NULL, "podman: clone3 becomes ENOSYS");
        ok(strstr(p, "[names=clone]") && strstr(p, "[names=socket]"),
           "podman: clone and socket take our argument rules");
        ok(!strstr(p, "personality") &&
               hr_json_equal(rule_for(m, "personality"), rule_for(t, "personality")),
           "podman: its personality rules, within ours, stay");
        is_str(hr_json_get(m, "defaultErrnoRet")->u.str.text, "38",
               "podman: its ENOSYS default stays");
        hr_report_done(&r);
}

static void test_strict(void)
{
        _cleanup_json_ struct hr_json *t = theirs("seccomp/strict.json");
        _cleanup_json_ struct hr_json *h = ours("[]", false);
        struct hr_report r;
        _cleanup_json_ struct hr_json *m = merge(t, h, false, &r, "strict");

        is_int(r.n_changes + r.n_violations, 0, "strict: nothing to change (%s)", paths(&r));
        ok(hr_json_equal(m, t), "strict: comes out as it went in");
        hr_report_done(&r);
}

static void test_denylist(void)
{
        _cleanup_json_ struct hr_json *t = theirs("seccomp/denylist.json");
        _cleanup_json_ struct hr_json *h = ours("[]", false);
        struct hr_report r;
        _cleanup_json_ struct hr_json *m = merge(t, h, false, &r, "denylist");
        const struct hr_json *setuid = rule_for(m, "setuid");

        if (ok(r.n_changes > 0, "denylist: changes")) {
                is_str(r.changes[0].path, "linux.seccomp.defaultAction",
                       "denylist: the default changes");
                is_str(r.changes[0].before, "{\"action\":\"SCMP_ACT_ALLOW\"}",
                       "denylist: from ALLOW");
                is_str(r.changes[0].after, "{\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38}",
                       "denylist: to ours");
        }
        is_str(hr_json_get(m, "defaultErrnoRet")->u.str.text, "38",
               "denylist: defaultErrnoRet set");
        ok(hr_json_equal(hr_json_get(m, "syscalls")->u.arr.items[0],
                         hr_json_get(t, "syscalls")->u.arr.items[0]),
           "denylist: their denials stay as they were");
        ok(strstr(paths(&r), ",bpf,") != NULL,
           "denylist: bpf, which their default allowed, is EPERM (%s)", paths(&r));
        ok(setuid && hr_json_get(setuid, "args"), "denylist: their setuid rule stays");
        is_str(hr_json_string(hr_json_get(rule_for(m, "read"), "action")), "SCMP_ACT_ALLOW",
               "denylist: what both allow is spelt out");
        is_str(hr_json_string(hr_json_get(rule_for(m, "execve"), "action")), "SCMP_ACT_LOG",
               "denylist: their LOG stays");
        is_int(r.n_violations, 0, "denylist: no violation");
        hr_report_done(&r);
}

static void test_notify(void)
{
        _cleanup_json_ struct hr_json *t = theirs("seccomp/notify.json");
        _cleanup_json_ struct hr_json *t2 = theirs("seccomp/notify.json");
        _cleanup_json_ struct hr_json *h = ours("[]", false);
        struct hr_json *rules = hr_json_get(t2, "syscalls");
        struct hr_report r;
        _cleanup_json_ struct hr_json *m = merge(t, h, false, &r, "notify");
        _cleanup_json_ struct hr_json *m2 = NULL;

        ok(!hr_json_get(m, "listenerPath") && !hr_json_get(m, "listenerMetadata"),
           "notify: nothing to notify is left, so the listener goes");
        ok(strstr(paths(&r), "linux.seccomp.listenerPath | linux.seccomp.listenerMetadata") != NULL,
           "notify: and that is recorded (%s)", paths(&r));
        ok(strstr(paths(&r), "[names=mount,umount2]") != NULL,
           "notify: mount is no longer notified");
        hr_report_done(&r);

        hr_json_append(rules,
                       kit_parse("{\"names\":[\"pkey_mprotect\"],\"action\":\"SCMP_ACT_NOTIFY\"}"));
        m2 = merge(t2, h, false, &r, "notify kept");
        is_str(hr_json_string(hr_json_get(m2, "listenerPath")), "/run/seccomp-agent.sock",
               "notify: a notified syscall ours allows keeps the listener");
        is_str(hr_json_string(hr_json_get(rule_for(m2, "pkey_mprotect"), "action")),
               "SCMP_ACT_NOTIFY", "notify: NOTIFY stays where ours allows");
        hr_report_done(&r);
}

static void test_learn(void)
{
        _cleanup_json_ struct hr_json *t = theirs("docker.json");
        _cleanup_json_ struct hr_json *h = ours("[]", true);
        struct hr_report r;
        _cleanup_json_ struct hr_json *m = merge(t, h, true, &r, "learn docker");

        is_str(hr_json_string(hr_json_get(rule_for(m, "io_uring_setup"), "action")), "SCMP_ACT_LOG",
               "learn: what Docker allowed and ours denies is logged");
        ok(!rule_for(m, "keyctl"), "learn: what Docker denied stays denied (its default)");
        is_str(hr_json_string(hr_json_get(m, "defaultAction")), "SCMP_ACT_ERRNO",
               "learn: Docker's default stays");
        hr_report_done(&r);
}

/* ---- edge cases ------------------------------------------------------------ */

static void test_edges(void)
{
        static const struct {
                const char *theirs, *what, *expect; /* a path the report must name, or "" */
        } cases[] = {
            {"{\"defaultAction\":\"SCMP_ACT_ALLOW\"}", "allow everything",
             "linux.seccomp.defaultAction"},
            {"{\"defaultAction\":\"SCMP_ACT_LOG\",\"syscalls\":null}", "log everything",
             "linux.seccomp.defaultAction"},
            {"{\"defaultAction\":\"SCMP_ACT_TRACE\",\"defaultErrnoRet\":5,\"syscalls\":[]}",
             "trace", "linux.seccomp.defaultAction"},
            {"{\"defaultAction\":\"SCMP_ACT_KILL_PROCESS\",\"syscalls\":[{\"names\":[\"read\","
             "\"write\",\"io_uring_setup\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
             "a killing default", "[names=io_uring_setup]"},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\","
             "\"SCMP_ARCH_AARCH64\"],\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_"
             "ALLOW\"}]}",
             "a foreign architecture", "linux.seccomp.architectures"},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"ioctl\"],"
             "\"action\":"
             "\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":1,\"value\":1,\"op\":\"SCMP_CMP_EQ\"},"
             "{\"index\":1,\"value\":2,\"op\":\"SCMP_CMP_EQ\"}]}]}",
             "an argument compared twice where ours allows", ""},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"socket\"],"
             "\"action\":"
             "\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":38,\"op\":\"SCMP_CMP_NE\"},"
             "{\"index\":0,\"value\":40,\"op\":\"SCMP_CMP_NE\"}]}]}",
             "an argument compared twice where ours constrains it", "[names=socket]"},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"socket\"],"
             "\"action\":"
             "\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_EQ\"},"
             "{\"index\":1,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
             "stricter argument rules than ours", ""},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"socket\"],"
             "\"action\":"
             "\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":38,\"op\":\"SCMP_CMP_EQ\"}]}]}",
             "AF_ALG alone", "[names=socket]"},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"keyctl\",\"read\"],"
             "\"action\":\"SCMP_ACT_KILL_PROCESS\"},{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_"
             "TRAP\"}]}",
             "their harsher denials", ""},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"no_such_call\","
             "\"read\"],"
             "\"action\":\"SCMP_ACT_ALLOW\"}]}",
             "a name libseccomp does not know", "[names=no_such_call]"},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"mount\"],"
             "\"action\":"
             "\"SCMP_ACT_ALLOW\"},{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_ERRNO\"}]}",
             "two unconditional rules, the first allowing", "[names=mount]"},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38,\"architectures\":"
             "[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"],\"syscalls\":[{"
             "\"names\":[\"bind\",\"socket\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
             "no socketcall", "[names=socket]"},
            {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"kill\"],\"action\":"
             "\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":1,\"value\":9,\"op\":\"SCMP_CMP_EQ\"},"
             "{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_LE\"}]}]}",
             "a denylist's conditional rule", "[names=kill]"},
        };
        _cleanup_json_ struct hr_json *h = ours("[]", false);

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                _cleanup_json_ struct hr_json *t = kit_parse(cases[i].theirs);
                struct hr_report r;
                _cleanup_json_ struct hr_json *m = merge(t, h, false, &r, cases[i].what);

                if (*cases[i].expect)
                        ok(strstr(paths(&r), cases[i].expect) != NULL, "%s: changes %s (%s)",
                           cases[i].what, cases[i].expect, paths(&r));
                else
                        is_int(r.n_changes, 0, "%s: nothing to change (%s)", cases[i].what,
                               paths(&r));
                is_int(r.n_violations, 0, "%s: no violation", cases[i].what);
                hr_report_done(&r);
        }
}

/* Their default allowed; a conditional rule with no inverse cannot be written out. */
static void test_violation(void)
{
        _cleanup_json_ struct hr_json *h = ours("[]", false);
        _cleanup_json_ struct hr_json *t = kit_parse(
            "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"chmod\"],\"action\":"
            "\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":1,\"value\":2048,\"valueTwo\":2048,\"op\":"
            "\"SCMP_CMP_MASKED_EQ\"}]}]}");
        struct hr_json *m = hr_json_copy(t);
        struct hr_report r = {0};
        struct hr_error err = {0};

        is_int(hr_seccomp_merge(m, h, false, "seccomp", &r, &err), 0,
               "masked denylist rule: merges");
        is_int(r.n_violations, 1, "masked denylist rule: one violation");
        if (r.n_violations) {
                is_str(r.violations[0].knob, "seccomp", "the violation names the knob");
                is_str(r.violations[0].path, "linux.seccomp.syscalls[names=chmod]", "and the rule");
                ok(strstr(r.violations[0].message, "give it a denying defaultAction") != NULL,
                   "and says what to do (%s)", r.violations[0].message);
        }
        hr_report_done(&r);
        hr_json_free(m);
}

static void test_invalid(void)
{
        static const struct {
                const char *theirs, *error;
        } cases[] = {
            {"{}", "linux.seccomp has no defaultAction"},
            {"{\"defaultAction\":\"SCMP_ACT_BLOCK\"}", "unknown action \"SCMP_ACT_BLOCK\""},
            {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"defaultErrnoRet\":1}", "takes none"},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":-1}", "from 0 to 4095"},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":4096}", "from 0 to 4095"},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"DefaultAction\":\"SCMP_ACT_ALLOW\"}",
             "\"DefaultAction\" is read by runc as \"defaultAction\""},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"x86_64\"]}",
             "unknown architecture \"x86_64\""},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":{}}", "syscalls must be an array"},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"]}]}",
             "syscalls[0]: unknown action \"\""},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[1],\"action\":"
             "\"SCMP_ACT_ALLOW\"}]}",
             "names[0] is not a syscall name"},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":"
             "\"SCMP_ACT_ALLOW\",\"errnoRet\":1}]}",
             "an errno is given for SCMP_ACT_ALLOW"},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":"
             "\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":6,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
             "args[0] must be an integer from 0 to 5"},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":"
             "\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_APPROX\"}]}]"
             "}",
             "unknown operator \"SCMP_CMP_APPROX\""},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":"
             "\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":1.5,\"op\":\"SCMP_CMP_EQ\"}]}]}",
             "must be an integer"},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":"
             "\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"op\":\"SCMP_CMP_EQ\"}]}]}",
             "needs index, value and op"},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":"
             "\"SCMP_ACT_ALLOW\",\"Action\":\"SCMP_ACT_ERRNO\"}]}",
             "\"Action\" is read by runc as \"action\""},
        };
        _cleanup_json_ struct hr_json *h = ours("[]", false);

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                _cleanup_json_ struct hr_json *t = kit_parse(cases[i].theirs);
                struct hr_report r = {0};
                struct hr_error err = {0};

                ok(hr_seccomp_merge(t, h, false, "seccomp", &r, &err) < 0, "refused: %s",
                   cases[i].theirs);
                ok(strstr(err.msg, cases[i].error) != NULL, "message has \"%s\" (%s)",
                   cases[i].error, err.msg);
                hr_report_done(&r);
        }
}

int main(void)
{
        test_docker();
        test_podman();
        test_strict();
        test_denylist();
        test_notify();
        test_learn();
        test_edges();
        test_violation();
        test_invalid();
        return tap_done();
}
