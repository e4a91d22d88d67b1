/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hardrun's seccomp profile (profiles/seccomp/default.json) and the
 * resolution of Docker-format profiles: the profile's own invariants, checked
 * on every architecture and capability set it can be resolved for, and the
 * archMap/includes/excludes rules on a small profile written for the purpose.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "knob-kit.h"
#include "seccomp-oci.h"
#include "seccomp-profile.h"
#include "tap.h"

static struct hr_json *load(const char *path)
{
        struct hr_file f = HR_FILE_INIT;
        struct hr_error err = {0};
        struct hr_json *j;

        if (hr_file_read(path, false, HR_JSON_MAX_SIZE, &f, &err) < 0) {
                printf("# %s\n", err.msg);
                abort();
        }
        j = kit_parse(f.data);
        hr_file_done(&f);
        return j;
}

static const struct hr_seccomp_host x86_64 = {SCMP_ARCH_X86_64, {6, 18}};

/* Capabilities named by includes/excludes, plus a set with all of them. */
static const char *const cap_sets[] = {
    "[]",
    "[\"CAP_SYS_ADMIN\"]",
    "[\"CAP_SYS_PTRACE\"]",
    "[\"CAP_SYS_BOOT\",\"CAP_SYS_CHROOT\",\"CAP_SYS_MODULE\",\"CAP_SYS_NICE\"]",
    "[\"CAP_SYS_PACCT\",\"CAP_SYS_RAWIO\",\"CAP_SYS_TIME\",\"CAP_SYS_TTY_CONFIG\",\"CAP_SYSLOG\"]",
    "[\"CAP_SYS_ADMIN\",\"CAP_SYS_PTRACE\",\"CAP_SYS_BOOT\",\"CAP_SYS_CHROOT\",\"CAP_SYS_MODULE\","
    "\"CAP_SYS_NICE\",\"CAP_SYS_PACCT\",\"CAP_SYS_RAWIO\",\"CAP_SYS_TIME\",\"CAP_SYS_TTY_CONFIG\","
    "\"CAP_SYSLOG\"]",
};

static struct hr_json *resolve(struct hr_json *profile, const struct hr_seccomp_host *host,
                               const char *caps, unsigned flags)
{
        _cleanup_json_ struct hr_json *bounding = kit_parse(caps);
        struct hr_json *out = NULL;
        struct hr_error err = {0};

        if (hr_seccomp_profile_resolve(profile, host, bounding, flags, &out, &err) < 0)
                printf("# resolve: %s\n", err.msg);
        return out;
}

/* ---- the default profile's own invariants -------------------------------- */

static void test_default_parses(struct hr_json *profile)
{
        _cleanup_json_ struct hr_json *installed = load("profiles/seccomp/default.json");
        struct hr_error err = {0};

        _cleanup_json_ struct hr_json *strict = NULL;

        ok(profile != NULL, "the built-in profile parses");
        /* hardrun parses it as trusted data; here it gets every check. */
        is_int(hr_json_parse(hr_seccomp_default_profile, strlen(hr_seccomp_default_profile), 0,
                             &strict, &err),
               0, "the built-in profile passes the UTF-8 and duplicate-key checks (%s)", err.msg);
        ok(hr_json_equal(profile, installed),
           "the built-in profile is profiles/seccomp/default.json");
        is_int(hr_seccomp_profile_check(profile, &err), 0, "the profile checks out (%s)", err.msg);
        is_str(hr_json_string(hr_json_get(profile, "defaultAction")), "SCMP_ACT_ERRNO",
               "default action errno");
        is_str(hr_json_get(profile, "defaultErrnoRet")->u.str.text, "38",
               "default errno is ENOSYS");
}

static void test_names_sorted(const struct hr_json *profile)
{
        const struct hr_json *rules = hr_json_get(profile, "syscalls");
        size_t bad = 0;

        for (size_t i = 0; i < rules->u.arr.len; i++) {
                const struct hr_json *names = hr_json_get(rules->u.arr.items[i], "names");

                for (size_t k = 1; names && k < names->u.arr.len; k++)
                        if (strcmp(names->u.arr.items[k - 1]->u.str.text,
                                   names->u.arr.items[k]->u.str.text) >= 0) {
                                printf("# group %zu: %s before %s\n", i,
                                       names->u.arr.items[k - 1]->u.str.text,
                                       names->u.arr.items[k]->u.str.text);
                                bad++;
                        }
                ok(names && names->u.arr.len > 0, "group %zu has names", i);
                ok(hr_json_string(hr_json_get(rules->u.arr.items[i], "comment")) != NULL,
                   "group %zu says why (comment)", i);
        }
        is_int(bad, 0, "names are sorted and unique within each group");
}

/* Every architecture of the archMap, sub-architectures included. */
static size_t map_arches(const struct hr_json *profile, uint32_t *out, size_t max)
{
        const struct hr_json *map = hr_json_get(profile, "archMap");
        size_t n = 0;

        for (size_t i = 0; i < map->u.arr.len; i++) {
                const struct hr_json *e = map->u.arr.items[i];
                const struct hr_json *subs = hr_json_get(e, "subArchitectures");

                if (n < max)
                        out[n++] = hr_sc_arch_token(hr_json_string(hr_json_get(e, "architecture")));
                for (size_t k = 0; subs && k < subs->u.arr.len && n < max; k++)
                        out[n++] = hr_sc_arch_token(hr_json_string(subs->u.arr.items[k]));
        }
        return n;
}

static void test_names_resolve(const struct hr_json *profile)
{
        const struct hr_json *rules = hr_json_get(profile, "syscalls");
        uint32_t arches[32];
        size_t n_arches = map_arches(profile, arches, 32), unknown = 0, total = 0;

        ok(n_arches >= 9, "the archMap covers x86, ARM, POWER, s390 and RISC-V (%zu)", n_arches);
        for (size_t k = 0; k < n_arches; k++)
                ok(arches[k] != 0, "archMap architecture %zu is known to libseccomp", k);
        for (size_t i = 0; i < rules->u.arr.len; i++) {
                const struct hr_json *names = hr_json_get(rules->u.arr.items[i], "names");

                for (size_t j = 0; j < names->u.arr.len; j++) {
                        const char *name = names->u.arr.items[j]->u.str.text;
                        bool found = false;

                        for (size_t k = 0; k < n_arches && !found; k++)
                                found = seccomp_syscall_resolve_name_arch(arches[k], name) >= 0;
                        if (!found) {
                                printf("# %s resolves on no architecture of the archMap\n", name);
                                unknown++;
                        }
                        total++;
                }
        }
        ok(total > 400, "the profile names %zu syscalls", total);
        is_int(unknown, 0, "every name resolves on at least one architecture of its archMap");
}

/* (x & mask) == value for the operators the profile uses in argument rules. */
static bool cube(const struct hr_sc_cond *c, uint64_t *mask, uint64_t *value)
{
        *mask = c->op == SCMP_CMP_EQ ? UINT64_MAX : c->value;
        *value = c->op == SCMP_CMP_EQ ? c->value : c->value_two;
        return c->op == SCMP_CMP_EQ || c->op == SCMP_CMP_MASKED_EQ;
}

/* The conditional rules of one name: one condition each, and disjoint when their actions differ. */
static size_t overlapping(const struct hr_sc_effect *e, const char *name)
{
        size_t bad = 0;

        for (size_t i = 0; i < e->n_matches; i++) {
                uint64_t m1, v1;

                if (e->matches[i].n_conds != 1 || !cube(&e->matches[i].conds[0], &m1, &v1)) {
                        printf("# %s: a rule with other than one EQ/MASKED_EQ condition\n", name);
                        bad++;
                        continue;
                }
                for (size_t k = i + 1; k < e->n_matches; k++) {
                        uint64_t m2, v2;

                        if (e->matches[k].action == e->matches[i].action ||
                            e->matches[k].n_conds != 1 ||
                            !cube(&e->matches[k].conds[0], &m2, &v2) ||
                            e->matches[k].conds[0].index != e->matches[i].conds[0].index)
                                continue;
                        if (((v1 ^ v2) & m1 & m2) == 0) {
                                printf("# %s: rules %zu and %zu overlap with different actions\n",
                                       name, i, k);
                                bad++;
                        }
                }
        }
        return bad;
}

/*
 * In every profile the default one resolves to: each name has one
 * treatment (one unconditional action, or disjoint argument rules, never
 * both), libseccomp builds the filter for every architecture, and so the
 * runtime's result does not depend on rule order.
 */
static void check_resolved(const struct hr_json *oci, const char *what)
{
        _cleanup_seccomp_ scmp_filter_ctx ctx = NULL;
        struct hr_error err = {0};
        size_t bad = 0;
        struct hr_sc sc;

        if (!ok(hr_sc_parse(oci, "resolved", &sc, &err) == 0, "%s: valid OCI seccomp (%s)", what,
                err.msg))
                return;
        for (size_t i = 0; i < sc.n_refs; i++) {
                const char *name = sc.refs[i].name;
                size_t n, first = hr_sc_find(&sc, name, &n);
                size_t uncond = 0, cond = 0;
                struct hr_sc_effect e;

                if (first != i)
                        continue;
                for (size_t k = first; k < first + n; k++) {
                        if (sc.rules[sc.refs[k].rule].n_conds)
                                cond++;
                        else
                                uncond++;
                }
                if (uncond > 1 || (uncond && cond)) {
                        printf("# %s: %zu unconditional and %zu conditional rules\n", name, uncond,
                               cond);
                        bad++;
                }
                if (hr_sc_effect(&sc, name, sc.def, &e) == 0) {
                        bad += overlapping(&e, name);
                        hr_sc_effect_done(&e);
                }
        }
        is_int(bad, 0, "%s: one treatment per name, argument rules disjoint", what);
        is_int(hr_sc_build(&sc, HR_SC_BUILD_LISTED_ARCHES, &ctx, &err), 0,
               "%s: libseccomp builds the whole filter (%s)", what, err.msg);
        hr_sc_done(&sc);
}

static void test_every_resolution(struct hr_json *profile)
{
        const struct hr_json *map = hr_json_get(profile, "archMap");

        for (size_t i = 0; i < map->u.arr.len; i++) {
                const char *arch = hr_json_string(hr_json_get(map->u.arr.items[i], "architecture"));
                struct hr_seccomp_host host = {hr_sc_arch_token(arch), {6, 18}};

                for (size_t c = 0; c < sizeof(cap_sets) / sizeof(cap_sets[0]); c++) {
                        _cleanup_json_ struct hr_json *oci =
                            resolve(profile, &host, cap_sets[c], 0);
                        char what[160];

                        snprintf(what, sizeof(what), "%s with %s", arch, cap_sets[c]);
                        if (ok(oci != NULL, "%s: resolves", what))
                                check_resolved(oci, what);
                }
        }
}

/* ---- what the default profile decides ------------------------------------ */

static struct hr_sc_effect effect_of(const struct hr_json *oci, const char *name)
{
        struct hr_sc_effect e = {0};
        struct hr_error err = {0};
        struct hr_sc sc;

        if (hr_sc_parse(oci, "resolved", &sc, &err) == 0) {
                if (hr_sc_effect(&sc, name, sc.def, &e) < 0)
                        e = (struct hr_sc_effect){0};
                hr_sc_done(&sc);
        }
        return e;
}

/* The action a name gets outright, or 1 when its arguments decide. */
static uint32_t action_of(const struct hr_json *oci, const char *name)
{
        struct hr_sc_effect e = effect_of(oci, name);
        uint32_t a = e.n_matches ? 1 : e.action;

        hr_sc_effect_done(&e);
        return a;
}

static void test_stance(struct hr_json *profile)
{
        static const struct {
                const char *name;
                uint32_t action;
        } cases[] = {
            {"read", SCMP_ACT_ALLOW},
            {"clone3", SCMP_ACT_ERRNO(38)},
            {"io_uring_setup", SCMP_ACT_ERRNO(38)},
            {"io_uring_enter", SCMP_ACT_ERRNO(38)},
            {"keyctl", SCMP_ACT_ERRNO(1)},
            {"add_key", SCMP_ACT_ERRNO(1)},
            {"request_key", SCMP_ACT_ERRNO(1)},
            {"bpf", SCMP_ACT_ERRNO(1)},
            {"perf_event_open", SCMP_ACT_ERRNO(1)},
            {"userfaultfd", SCMP_ACT_ERRNO(1)},
            {"ptrace", SCMP_ACT_ERRNO(1)},
            {"process_vm_readv", SCMP_ACT_ERRNO(1)},
            {"mount", SCMP_ACT_ERRNO(1)},
            {"unshare", SCMP_ACT_ERRNO(1)},
            {"open_by_handle_at", SCMP_ACT_ERRNO(1)},
            {"arch_prctl", SCMP_ACT_ALLOW},
            {"socket", 1},
            {"clone", 1},
            {"personality", 1},
            {"set_tls", SCMP_ACT_ERRNO(38)},
            {"uselib", SCMP_ACT_ERRNO(38)},
            {"no_such_syscall", SCMP_ACT_ERRNO(38)},
        };
        _cleanup_json_ struct hr_json *oci =
            resolve(profile, &x86_64, "[\"CAP_NET_BIND_SERVICE\"]", 0);
        const struct hr_json *arches = hr_json_get(oci, "architectures");

        ok(arches && arches->u.arr.len == 3 &&
               strcmp(hr_json_string(arches->u.arr.items[0]), "SCMP_ARCH_X86_64") == 0 &&
               strcmp(hr_json_string(arches->u.arr.items[1]), "SCMP_ARCH_X86") == 0 &&
               strcmp(hr_json_string(arches->u.arr.items[2]), "SCMP_ARCH_X32") == 0,
           "x86_64 gets x86_64, x86 and x32");
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
                is_int(action_of(oci, cases[i].name), cases[i].action, "restricted: %s",
                       cases[i].name);
}

static void test_capabilities(struct hr_json *profile)
{
        static const struct hr_seccomp_host old = {SCMP_ARCH_X86_64, {4, 4}};
        _cleanup_json_ struct hr_json *ptrace =
            resolve(profile, &x86_64, "[\"CAP_SYS_PTRACE\"]", 0);
        _cleanup_json_ struct hr_json *old_ptrace =
            resolve(profile, &old, "[\"CAP_SYS_PTRACE\"]", 0);
        _cleanup_json_ struct hr_json *admin = resolve(profile, &x86_64, "[\"CAP_SYS_ADMIN\"]", 0);
        _cleanup_json_ struct hr_json *other = resolve(profile, &x86_64, "[\"CAP_SYS_ADMINX\"]", 0);

        is_int(action_of(ptrace, "ptrace"), SCMP_ACT_ALLOW, "CAP_SYS_PTRACE: ptrace allowed");
        is_int(action_of(ptrace, "process_vm_writev"), SCMP_ACT_ALLOW,
               "CAP_SYS_PTRACE: process_vm_writev allowed");
        is_int(action_of(ptrace, "mount"), SCMP_ACT_ERRNO(1), "CAP_SYS_PTRACE: mount still denied");
        is_int(action_of(old_ptrace, "ptrace"), SCMP_ACT_ERRNO(38),
               "CAP_SYS_PTRACE on Linux 4.4 (before 4.8): ptrace is in no rule");
        is_int(action_of(old_ptrace, "kcmp"), SCMP_ACT_ALLOW, "minKernel is ptrace's alone");
        is_int(action_of(admin, "mount"), SCMP_ACT_ALLOW, "CAP_SYS_ADMIN: mount allowed");
        is_int(action_of(admin, "clone"), SCMP_ACT_ALLOW, "CAP_SYS_ADMIN: clone with any flags");
        is_int(action_of(admin, "bpf"), SCMP_ACT_ERRNO(1), "CAP_SYS_ADMIN: bpf still denied");
        is_int(action_of(admin, "keyctl"), SCMP_ACT_ERRNO(1), "CAP_SYS_ADMIN: keyctl still denied");
        is_int(action_of(other, "mount"), SCMP_ACT_ERRNO(1), "capability names match exactly");
}

/* The clone rules compare the argument that holds the flags on each architecture. */
static void test_clone_index(struct hr_json *profile)
{
        static const struct hr_seccomp_host s390x = {SCMP_ARCH_S390X, {6, 1}};
        _cleanup_json_ struct hr_json *a = resolve(profile, &x86_64, "[]", 0);
        _cleanup_json_ struct hr_json *b = resolve(profile, &s390x, "[]", 0);
        struct hr_sc_effect ea = effect_of(a, "clone"), eb = effect_of(b, "clone");
        bool ia = ea.n_matches > 0, ib = eb.n_matches > 0;

        for (size_t i = 0; i < ea.n_matches; i++)
                ia &= ea.matches[i].conds[0].index == 0;
        for (size_t i = 0; i < eb.n_matches; i++)
                ib &= eb.matches[i].conds[0].index == 1;
        ok(ia, "x86_64: clone's flags are argument 0");
        ok(ib, "s390x: clone's flags are argument 1");
        is_int(ea.n_matches, 8, "clone: one allowing rule and seven namespace flags denied");
        hr_sc_effect_done(&ea);
        hr_sc_effect_done(&eb);
}

static void test_learn(struct hr_json *profile)
{
        _cleanup_json_ struct hr_json *oci = resolve(profile, &x86_64, "[]", HR_SECCOMP_LEARN);
        const struct hr_json *rules = hr_json_get(oci, "syscalls");
        size_t denying = 0, allowing = 0;

        is_str(hr_json_string(hr_json_get(oci, "defaultAction")), "SCMP_ACT_LOG",
               "learn: the default action is SCMP_ACT_LOG");
        ok(!hr_json_get(oci, "defaultErrnoRet"), "learn: no default errno");
        for (size_t i = 0; rules && i < rules->u.arr.len; i++) {
                const char *a = hr_json_string(hr_json_get(rules->u.arr.items[i], "action"));

                denying += strcmp(a, "SCMP_ACT_LOG") != 0 && strcmp(a, "SCMP_ACT_ALLOW") != 0;
                allowing += strcmp(a, "SCMP_ACT_ALLOW") == 0;
                denying += hr_json_get(rules->u.arr.items[i], "errnoRet") != NULL;
        }
        is_int(denying, 0, "learn: no rule denies");
        ok(allowing > 10, "learn: the allowing rules stay (%zu)", allowing);
        is_int(action_of(oci, "keyctl"), SCMP_ACT_LOG, "learn: keyctl is logged");
        is_int(action_of(oci, "read"), SCMP_ACT_ALLOW, "learn: read is allowed");
        check_resolved(oci, "learn");
}

/* ---- resolving a Docker-format profile ---------------------------------- */

/* The names of a resolved profile's rules, sorted, comma-joined. */
static char *names_of(const struct hr_json *oci)
{
        static char buf[1024];
        const struct hr_json *rules = hr_json_get(oci, "syscalls");
        const char *all[64];
        size_t n = 0;

        for (size_t i = 0; rules && i < rules->u.arr.len; i++) {
                const struct hr_json *names = hr_json_get(rules->u.arr.items[i], "names");

                for (size_t k = 0; names && k < names->u.arr.len && n < 64; k++)
                        all[n++] = names->u.arr.items[k]->u.str.text;
        }
        for (size_t i = 1; i < n; i++)
                for (size_t k = i; k > 0 && strcmp(all[k - 1], all[k]) > 0; k--) {
                        const char *t = all[k];

                        all[k] = all[k - 1];
                        all[k - 1] = t;
                }
        buf[0] = '\0';
        for (size_t i = 0; i < n; i++)
                snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", i ? "," : "",
                         all[i]);
        return buf;
}

static void test_custom_profile(void)
{
        static const struct {
                struct hr_seccomp_host host;
                const char *caps, *names, *arches;
        } cases[] = {
            {{SCMP_ARCH_X86_64, {6, 18}},
             "[]",
             "arch_prctl,close,exit_group,getpid,ptrace,read,socket,write",
             "[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\"]"},
            {{SCMP_ARCH_X86_64, {5, 4}},
             "[]",
             "arch_prctl,close,exit_group,getpid,io_uring_setup,ptrace,read,socket,write",
             NULL},
            {{SCMP_ARCH_X86_64, {6, 18}},
             "[\"CAP_SYS_PTRACE\"]",
             "arch_prctl,close,exit_group,getpid,ptrace,read,socket,write",
             NULL},
            {{SCMP_ARCH_X86_64, {5, 9}},
             "[\"CAP_SYS_PTRACE\"]",
             "arch_prctl,close,exit_group,getpid,io_uring_setup,read,socket,write",
             NULL},
            {{SCMP_ARCH_X86_64, {6, 18}},
             "[\"CAP_KILL\"]",
             "arch_prctl,close,exit_group,getpid,ptrace,read,socket,write",
             NULL},
            {{SCMP_ARCH_X86_64, {6, 18}},
             "[\"CAP_SYS_ADMIN\",\"CAP_KILL\"]",
             "arch_prctl,close,exit_group,getpid,kill,ptrace,read,socket,write",
             NULL},
            {{SCMP_ARCH_AARCH64, {6, 18}},
             "[]",
             "close,exit_group,fchown,getpid,ptrace,read,set_tls,socket,write",
             "[\"SCMP_ARCH_AARCH64\"]"},
            {{SCMP_ARCH_PPC64LE, {6, 18}},
             "[]",
             "close,exit_group,fchown,getpid,ptrace,read,socket,write",
             "absent"},
        };
        _cleanup_json_ struct hr_json *profile = load(HR_TEST_DATA "/seccomp/profile.json");
        struct hr_error err = {0};

        is_int(hr_seccomp_profile_check(profile, &err), 0, "the test profile checks out (%s)",
               err.msg);
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                _cleanup_json_ struct hr_json *oci =
                    resolve(profile, &cases[i].host, cases[i].caps, 0);
                _cleanup_free_ char *arches = NULL;
                const struct hr_json *a = hr_json_get(oci, "architectures");
                size_t len;

                is_str(names_of(oci), cases[i].names, "case %zu: the rules kept", i);
                if (a)
                        hr_json_write(a, 0, &arches, &len, &err);
                if (cases[i].arches)
                        is_str(arches ? arches : "absent", cases[i].arches,
                               "case %zu: architectures", i);
                ok(!hr_json_get(oci, "archMap"), "case %zu: no archMap in the OCI form", i);
        }
}

static void test_profile_errors(void)
{
        static const struct {
                const char *profile, *error;
        } cases[] = {
            {"[]", "is not a JSON object"},
            {"{\"syscalls\":[]}", "has no defaultAction"},
            {"{\"defaultAction\":\"SCMP_ACT_DENY\"}", "unknown action \"SCMP_ACT_DENY\""},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"colour\":1}", "unknown key \"colour\""},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[],\"archMap\":[]}",
             "both architectures and archMap"},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"archMap\":[{\"architecture\":\"x86\"}]}",
             "archMap[0] needs an architecture"},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],"
             "\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"arches\":[\"vax\"]}}]}",
             "unknown architecture \"vax\""},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],"
             "\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"minKernel\":\"four\"}}]}",
             "minKernel must be a version"},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],"
             "\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":\"CAP_KILL\"}}]}",
             "must be an array of strings"},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],"
             "\"action\":\"SCMP_ACT_ALLOW\",\"when\":{}}]}",
             "syscalls[0]: unknown key \"when\""},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],"
             "\"name\":\"write\",\"action\":\"SCMP_ACT_ALLOW\"}]}",
             "both name and names"},
            /* Checked even where the capabilities would drop the rule. */
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],"
             "\"action\":\"SCMP_ACT_ALOW\",\"includes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}}]}",
             "syscalls[0]: unknown action \"SCMP_ACT_ALOW\""},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],"
             "\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":1,\"op\":\"LT\"}]}]}",
             "unknown operator \"LT\""},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                _cleanup_json_ struct hr_json *p = kit_parse(cases[i].profile);
                struct hr_error err = {0};

                ok(hr_seccomp_profile_check(p, &err) < 0, "refused: %s", cases[i].profile);
                ok(strstr(err.msg, cases[i].error) != NULL, "message has \"%s\" (%s)",
                   cases[i].error, err.msg);
        }
}

/* Moving the names out gives the same profile as copying them. */
static void test_move(struct hr_json *profile)
{
        _cleanup_json_ struct hr_json *copy = hr_json_copy(profile);
        _cleanup_json_ struct hr_json *a = resolve(profile, &x86_64, "[]", 0);
        _cleanup_json_ struct hr_json *b = resolve(copy, &x86_64, "[]", HR_SECCOMP_MOVE);
        const struct hr_json *first = hr_json_get(copy, "syscalls")->u.arr.items[0];
        _cleanup_json_ struct hr_json *fresh = NULL;
        struct hr_error err = {0};

        ok(a && b && hr_json_equal(a, b), "moving the names gives the same profile");
        ok(hr_json_get(first, "names")->type == HR_JSON_NULL, "and takes them from the source");
        ok(hr_seccomp_default_parse(&fresh, &err) == 0 && hr_json_equal(profile, fresh),
           "copying leaves the source as it was");
}

int main(void)
{
        _cleanup_json_ struct hr_json *profile = NULL;
        struct hr_error err = {0};

        if (hr_seccomp_default_parse(&profile, &err) < 0) {
                printf("# %s\n", err.msg);
                return 1;
        }
        test_default_parses(profile);
        test_names_sorted(profile);
        test_names_resolve(profile);
        test_every_resolution(profile);
        test_stance(profile);
        test_capabilities(profile);
        test_clone_index(profile);
        test_learn(profile);
        test_move(profile);
        test_custom_profile();
        test_profile_errors();
        return tap_done();
}
