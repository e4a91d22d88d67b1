/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The property that ties enforce to verify: for every config in tests/data,
 * permissive variants of each and seeded random mixes of those, under the
 * restricted and baseline levels, verify(enforce(config)) has no violation.
 * Where enforce refuses a config instead, verify must flag the same knob on
 * the config as it came.  And verify flags every permissive mutation on the
 * config before enforce, so the property is not won by a verify that sees
 * nothing.
 *
 * Which knobs are held to the property is fixture_asserted() in
 * verify-fixture.h.  The hand-built fixture policy (every knob on) runs too,
 * so that the catching half covers every knob whatever the levels resolve to.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cap-ng.h>

#include "bundle.h"
#include "harden/harden.h"
#include "tap.h"
#include "verify-fixture.h"
#include "verify.h"

#define RANDOM_VARIANTS 200
#define RANDOM_SEED     UINT64_C(0x9e3779b97f4a7c15)
#define MAX_PRINTED     12 /* failure details printed per tally */

/* ---- permissive mutations ------------------------------------------------- */

static void must(int r)
{
        if (r < 0) {
                printf("# out of memory or a bad edit\n");
                abort();
        }
}

static struct hr_json *array_at(struct hr_json *config, const char *parent, const char *key)
{
        struct hr_json *p = hr_json_get(config, parent);

        if (!p) {
                must(hr_json_set(config, parent, hr_json_new_object()));
                p = hr_json_get(config, parent);
        }
        if (!hr_json_get_type(p, key, HR_JSON_ARRAY))
                must(hr_json_set(p, key, hr_json_new_array()));
        return hr_json_get(p, key);
}

/* Every capability libcap-ng knows, in every set, ambient too. */
static int all_caps(struct hr_json *config)
{
        static const char *const sets[] = {"bounding", "effective", "permitted", "inheritable",
                                           "ambient"};

        for (size_t s = 0; s < HR_ARRAY_SIZE(sets); s++) {
                struct hr_json *arr = hr_json_new_array();
                char path[64];

                for (int c = 0; c <= CAP_LAST_CAP; c++) {
                        char name[64];
                        const char *n = capng_capability_to_name((unsigned)c);

                        snprintf(name, sizeof(name), "CAP_%s", n ? n : "?");
                        for (char *x = name; *x; x++)
                                *x = (char)(*x >= 'a' && *x <= 'z' ? *x - 'a' + 'A' : *x);
                        must(hr_json_append(arr, hr_json_new_string(name)));
                }
                snprintf(path, sizeof(path), "process/capabilities/%s", sets[s]);
                must(fixture_edit(config, path, "[]")); /* makes process.capabilities */
                must(hr_json_set(hr_json_get(hr_json_get(config, "process"), "capabilities"),
                                 sets[s], arr));
        }
        return 0;
}

static bool is_sys_type(const struct hr_json *m)
{
        const char *t = hr_json_string(hr_json_get(m, "type"));

        return t &&
               (strcmp(t, "sysfs") == 0 || strcmp(t, "cgroup") == 0 || strcmp(t, "cgroup2") == 0);
}

/* /sys and the cgroup mount read-write (added when the config has none). */
static int rw_sys(struct hr_json *config)
{
        struct hr_json *mounts = hr_json_get_type(config, "mounts", HR_JSON_ARRAY);
        bool found = false;

        if (!mounts) {
                must(hr_json_set(config, "mounts", hr_json_new_array()));
                mounts = hr_json_get(config, "mounts");
        }
        for (size_t i = 0; i < mounts->u.arr.len; i++) {
                struct hr_json *m = mounts->u.arr.items[i], *opts = hr_json_new_array();
                const struct hr_json *old = hr_json_get(m, "options");

                if (!is_sys_type(m)) {
                        hr_json_free(opts);
                        continue;
                }
                found = true;
                for (size_t j = 0; old && old->type == HR_JSON_ARRAY && j < old->u.arr.len; j++) {
                        const char *o = hr_json_string(old->u.arr.items[j]);

                        if (o && strcmp(o, "ro") != 0)
                                must(hr_json_append(opts, hr_json_new_string(o)));
                }
                must(hr_json_append(opts, hr_json_new_string("rw")));
                must(hr_json_set(m, "options", opts));
        }
        if (!found)
                must(fixture_edit(config, "mounts/+",
                                  "{\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":"
                                  "\"sysfs\",\"options\":[\"nosuid\",\"noexec\",\"rw\"]}"));
        return 0;
}

/* Every bind mount allows setuid and devices. */
static int suid_binds(struct hr_json *config)
{
        struct hr_json *mounts = hr_json_get_type(config, "mounts", HR_JSON_ARRAY);

        for (size_t i = 0; mounts && i < mounts->u.arr.len; i++) {
                struct hr_json *m = mounts->u.arr.items[i];
                const char *t = hr_json_string(hr_json_get(m, "type"));

                if (!t || strcmp(t, "bind") != 0)
                        continue;
                if (!hr_json_get_type(m, "options", HR_JSON_ARRAY))
                        must(hr_json_set(m, "options", hr_json_new_array()));
                must(hr_json_append(hr_json_get(m, "options"), hr_json_new_string("suid")));
                must(hr_json_append(hr_json_get(m, "options"), hr_json_new_string("dev")));
        }
        return fixture_edit(config, "mounts/+",
                            "{\"destination\":\"/data\",\"type\":\"bind\",\"source\":"
                            "\"/srv/data\",\"options\":[\"rbind\",\"suid\",\"dev\",\"rw\"]}");
}

static int set_rlimit(struct hr_json *config, const char *type, const char *value)
{
        struct hr_json *rl = array_at(config, "process", "rlimits");
        char text[256];

        snprintf(text, sizeof(text), "{\"type\":\"%s\",\"hard\":%s,\"soft\":%s}", type, value,
                 value);
        for (size_t i = 0; i < rl->u.arr.len; i++) {
                const char *t = hr_json_string(hr_json_get(rl->u.arr.items[i], "type"));
                char path[64];

                if (t && strcmp(t, type) == 0) {
                        snprintf(path, sizeof(path), "process/rlimits/%zu", i);
                        return fixture_edit(config, path, text);
                }
        }
        return fixture_edit(config, "process/rlimits/+", text);
}

static int big_nofile(struct hr_json *config)
{
        return set_rlimit(config, "RLIMIT_NOFILE", "1048576");
}

static int core_unlimited(struct hr_json *config)
{
        return set_rlimit(config, "RLIMIT_CORE", "18446744073709551615");
}

/* Remove the entries of type from linux.namespaces, or point them at path. */
static int host_namespace(struct hr_json *config, const char *type, const char *path)
{
        struct hr_json *ns = array_at(config, "linux", "namespaces");
        bool found = false;
        char text[128];

        for (size_t i = ns->u.arr.len; i-- > 0;) {
                const char *t = hr_json_string(hr_json_get(ns->u.arr.items[i], "type"));
                char at[64];

                if (!t || strcmp(t, type) != 0)
                        continue;
                found = true;
                snprintf(at, sizeof(at), "linux/namespaces/%zu%s", i, path ? "/path" : "");
                snprintf(text, sizeof(text), "\"%s\"", path ? path : "");
                must(fixture_edit(config, at, path ? text : NULL));
        }
        if (path && !found) {
                snprintf(text, sizeof(text), "{\"type\":\"%s\",\"path\":\"%s\"}", type, path);
                return fixture_edit(config, "linux/namespaces/+", text);
        }
        return 0;
}

static int no_netns(struct hr_json *config)
{
        return host_namespace(config, "network", NULL);
}

static int host_pidns(struct hr_json *config)
{
        return host_namespace(config, "pid", "/proc/1/ns/pid");
}

struct mutation {
        const char *name;
        const char *knob; /* verify must flag it on the mutated config */
        bool maybe;       /* a no-op on some configs: not asserted */
        const char *edits[4][2];
        int (*fn)(struct hr_json *config);
        /* Whether the policy checks what this mutation breaks (NULL: when the knob is on). */
        bool (*applies)(const struct hr_policy *p);
};

static bool selinux_types_listed(const struct hr_policy *p)
{
        return p->lsm.selinux_types.n > 0;
}

static bool apparmor_enforced(const struct hr_policy *p)
{
        return p->host->apparmor_enabled();
}

static bool selinux_enforced(const struct hr_policy *p)
{
        return p->host->selinux_enabled();
}

/* Fixable first (enforce rewrites these), then what enforce must refuse. */
static const struct mutation mutations[] = {
    {"all capabilities", "capabilities", false, {{0}}, all_caps},
    {"uid 0 in root's groups",
     "user",
     false,
     {{"process/user", "{\"uid\":0,\"gid\":0,\"additionalGids\":[0,10]}"}},
     NULL},
    {"no masked paths", "masked_paths", false, {{"linux/maskedPaths", NULL}}, NULL},
    {"no readonly paths", "readonly_paths", false, {{"linux/readonlyPaths", "[]"}}, NULL},
    {"rw root", "readonly_rootfs", false, {{"root/readonly", "false"}}, NULL},
    {"nnp off", "no_new_privileges", false, {{"process/noNewPrivileges", "false"}}, NULL},
    {"no pids limit", "limits", false, {{"linux/resources/pids", NULL}}, NULL},
    {"suid,dev bind mounts", "mounts", false, {{0}}, suid_binds},
    {"rw /sys and cgroup", "mounts", false, {{0}}, rw_sys},
    {"shared propagation", "mounts", false, {{"linux/rootfsPropagation", "\"rshared\""}}, NULL},
    {"allowed sysctls only",
     "sysctls",
     true, /* caught only in a private netns: enforce must add the net sysctls */
     {{"linux/sysctl", "{\"kernel.shm_rmid_forced\":\"1\",\"fs.mqueue.msg_max\":\"100\"}"}},
     NULL},
    {"bypass annotations",
     "annotations",
     false,
     {{"annotations/run.oci.seccomp_bpf_data", "\"AAAA\""},
      {"annotations/org.systemd.property.Delegate", "\"yes\""},
      {"annotations/org.criu.config", "\"/x\""},
      {"annotations/bundle", "\"/b\""}},
     NULL},
    {"nofile 1048576", "limits", false, {{0}}, big_nofile},
    {"core unlimited", "limits", false, {{0}}, core_unlimited},
    {"no network namespace", "namespaces", false, {{0}}, no_netns},
    {"the host's pid namespace", "namespaces", false, {{0}}, host_pidns},
    {"docker.sock bind",
     "sensitive_mounts",
     false,
     {{"mounts/+", "{\"destination\":\"/var/run/docker.sock\",\"type\":\"bind\",\"source\":"
                   "\"/var/run/docker.sock\",\"options\":[\"rbind\",\"nosuid\",\"nodev\"]}"}},
     NULL},
    {"/dev/sda",
     "devices",
     false,
     {{"linux/devices/+", "{\"path\":\"/dev/sda\",\"type\":\"b\","
                          "\"major\":8,\"minor\":0}"}},
     NULL},
    {"allow-all device cgroup",
     "devices",
     false,
     {{"linux/resources/devices/+", "{\"allow\":true,\"access\":\"rwm\"}"}},
     NULL},
    /* Before spc_t and unconfined, which overwrite them when both are applied. */
    {"an AppArmor profile the policy does not allow",
     "lsm",
     false,
     {{"process/apparmorProfile", "\"custom\""}},
     NULL,
     apparmor_enforced},
    {"an SELinux label without MCS categories",
     "lsm",
     false,
     {{"process/selinuxLabel", "\"system_u:system_r:container_t:s0\""}},
     NULL,
     selinux_enforced},
    {"a mount label at another level",
     "lsm",
     false,
     {{"linux/mountLabel", "\"system_u:object_r:container_file_t:s0:c8,c9\""}},
     NULL,
     selinux_enforced},
    {"spc_t",
     "lsm",
     false,
     {{"process/selinuxLabel", "\"system_u:system_r:spc_t:s0\""}},
     NULL,
     selinux_types_listed},
    {"AppArmor unconfined", "lsm", false, {{"process/apparmorProfile", "\"unconfined\""}}, NULL},
    /* Checked once the seccomp knob is wired into verify (hr_verify_enabled is false until). */
    {"no seccomp", "seccomp", false, {{"linux/seccomp", NULL}}, NULL},
    {"seccomp allowing by default",
     "seccomp",
     false,
     {{"linux/seccomp", "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[]}"}},
     NULL},
    {"an unsafe sysctl",
     "sysctls",
     false,
     {{"linux/sysctl/kernel.core_pattern", "\"|/bin/sh\""}},
     NULL},
};
#define N_MUTATIONS HR_ARRAY_SIZE(mutations)

static void mutate(struct hr_json *config, const struct mutation *m)
{
        for (size_t i = 0; i < 4 && m->edits[i][0]; i++)
                must(fixture_edit(config, m->edits[i][0], m->edits[i][1]));
        if (m->fn)
                must(m->fn(config));
}

/* ---- the checks ----------------------------------------------------------- */

struct tally {
        int cases, clean, refused, checks, failures;
};

static void fail(struct tally *t, const char *fmt, ...) HR_PRINTF(2, 3);
static void fail(struct tally *t, const char *fmt, ...)
{
        va_list ap;

        if (t->failures++ >= MAX_PRINTED)
                return;
        printf("#   ");
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        printf("\n");
}

/* Does verify flag knob on config? */
static bool flags(const struct hr_json *config, const struct hr_policy *p, const char *knob)
{
        struct hr_report rep = {0};
        struct hr_error err = {0};
        bool seen = false;

        if (hr_verify_knob(config, p, knob, &rep, &err) < 0) {
                printf("# verify: %s\n", err.msg);
                abort();
        }
        for (size_t i = 0; i < rep.n_violations; i++)
                seen |= strcmp(rep.violations[i].knob, knob) == 0;
        hr_report_done(&rep);
        return seen;
}

/* verify(enforce(config)) is clean for the asserted knobs, or enforce's refusals are verify's. */
static void property(const char *label, const struct hr_json *config, const struct hr_policy *p,
                     struct tally *t)
{
        _cleanup_json_ struct hr_json *out = hr_json_copy(config);
        struct hr_report enf = {0}, ver = {0};
        struct hr_error err = {0};

        t->cases++;
        if (!out || hr_harden(out, p, &enf, &err) < 0) {
                fail(t, "%s: enforce failed: %s", label, err.msg);
                hr_report_done(&enf);
                return;
        }
        if (enf.n_violations > 0) {
                t->refused++;
                for (size_t i = 0; i < enf.n_violations; i++)
                        if (fixture_asserted(enf.violations[i].knob) &&
                            !flags(config, p, enf.violations[i].knob))
                                fail(t, "%s: enforce refuses %s at %s, verify does not flag it",
                                     label, enf.violations[i].knob, enf.violations[i].path);
                hr_report_done(&enf);
                return;
        }
        hr_report_done(&enf);
        if (hr_verify(out, p, &ver, &err) < 0) {
                printf("# verify: %s\n", err.msg);
                abort();
        }
        for (size_t i = 0; i < ver.n_violations; i++)
                if (fixture_asserted(ver.violations[i].knob))
                        fail(t, "%s: after enforce, %s %s: %s", label, ver.violations[i].knob,
                             ver.violations[i].path, ver.violations[i].message);
        t->clean++;
        hr_report_done(&ver);
}

static void caught(const char *label, const struct hr_json *config, const struct hr_policy *p,
                   const char *knob, struct tally *t)
{
        if (!hr_verify_enabled(p, knob))
                return;
        t->checks++;
        if (!flags(config, p, knob))
                fail(t, "%s: verify does not flag %s", label, knob);
}

/* verify flags what mutation m breaks, where the policy checks it. */
static void caught_mutation(const char *label, const struct hr_json *config,
                            const struct hr_policy *p, const struct mutation *m, struct tally *t)
{
        if (m->maybe || (m->applies && !m->applies(p)) || !hr_verify_enabled(p, m->knob))
                return;
        t->checks++;
        if (!flags(config, p, m->knob))
                fail(t, "%s: verify does not flag %s", label, m->knob);
}

/* ---- inputs --------------------------------------------------------------- */

struct input {
        char *name;
        struct hr_json *config;
};

static int is_json(const struct dirent *d)
{
        size_t n = strlen(d->d_name);

        return n > 5 && strcmp(d->d_name + n - 5, ".json") == 0;
}

static size_t load_data(struct input **out)
{
        struct dirent **names = NULL;
        int n = scandir(HR_TEST_DATA, &names, is_json, alphasort);
        struct input *in;

        if (n <= 0 || !(in = calloc((size_t)n, sizeof(*in))))
                abort();
        for (int i = 0; i < n; i++) {
                struct hr_file f = HR_FILE_INIT;
                struct hr_error err = {0};
                char path[512];

                snprintf(path, sizeof(path), HR_TEST_DATA "/%s", names[i]->d_name);
                if (hr_file_read(path, false, HR_JSON_MAX_SIZE, &f, &err) < 0 ||
                    hr_json_parse(f.data, f.len, 0, &in[i].config, &err) < 0) {
                        printf("# %s: %s\n", path, err.msg);
                        abort();
                }
                hr_file_done(&f);
                in[i].name = strdup(names[i]->d_name);
                free(names[i]);
        }
        free(names);
        *out = in;
        return (size_t)n;
}

static char dir[] = "/tmp/hardrun-test-verify-XXXXXX";

/* A level resolved by the policy module from a file that names it, on a fake host. */
static struct hr_policy level_on(const char *name, const struct hr_host *host)
{
        struct hr_policy_file f = {0};
        struct hr_policy p;
        struct hr_error err = {0};
        char path[256];
        FILE *file;

        snprintf(path, sizeof(path), "%s/policy.json", dir);
        if (!(file = fopen(path, "we")))
                abort();
        fprintf(file, "{\"level\": \"%s\"}\n", name);
        fclose(file);
        setenv(HR_POLICY_ENV, path, 1);
        if (hr_policy_file_read(&f, &err) < 0 || hr_policy_resolve(&f, &p, &err) < 0) {
                printf("# level %s: %s\n", name, err.msg);
                abort();
        }
        hr_policy_file_done(&f);
        unlink(path);
        p.host = host;
        p.lsm.mcs_categories = strdup("c1,c2"); /* what the command layer would reserve */
        if (!p.lsm.mcs_categories)
                abort();
        return p;
}

static struct hr_policy level(const char *name)
{
        return level_on(name, &fixture_host);
}

/* Which LSM the policy's fake host enforces, for the TAP lines. */
static const char *lsm_of(const struct hr_policy *p)
{
        return p->host->apparmor_enabled()  ? " (AppArmor host)"
               : p->host->selinux_enabled() ? " (SELinux host)"
                                            : "";
}

/* ---- the runs ------------------------------------------------------------- */

static void run_config(const struct input *in, const struct hr_policy *p)
{
        struct tally prop = {0}, trap = {0};
        _cleanup_json_ struct hr_json *full = hr_json_copy(in->config);
        char label[256];

        snprintf(label, sizeof(label), "%s as it is", in->name);
        property(label, in->config, p, &prop);
        for (size_t m = 0; m < N_MUTATIONS; m++) {
                _cleanup_json_ struct hr_json *v = hr_json_copy(in->config);

                snprintf(label, sizeof(label), "%s + %s", in->name, mutations[m].name);
                mutate(v, &mutations[m]);
                mutate(full, &mutations[m]);
                property(label, v, p, &prop);
                caught_mutation(label, v, p, &mutations[m], &trap);
        }
        snprintf(label, sizeof(label), "%s + every mutation", in->name);
        property(label, full, p, &prop);
        for (size_t k = 0; hr_verify_knob_name(k); k++)
                caught(label, full, p, hr_verify_knob_name(k), &trap);
        ok(prop.failures == 0 && prop.clean + prop.refused == prop.cases && prop.cases > 0,
           "%s%s: verify(enforce(%s)) is clean over %d variants (%d refused)", p->level, lsm_of(p),
           in->name, prop.cases, prop.refused);
        ok(trap.failures == 0 && trap.checks > 0,
           "%s%s: verify flags each permissive mutation of %s (%d checks)", p->level, lsm_of(p),
           in->name, trap.checks);
}

static uint64_t next(uint64_t *s)
{
        *s ^= *s << 13;
        *s ^= *s >> 7;
        *s ^= *s << 17;
        return *s;
}

static void run_random(const struct input *in, size_t n_in, const struct hr_policy *p)
{
        struct tally prop = {0}, trap = {0};
        uint64_t seed = RANDOM_SEED;

        for (int i = 0; i < RANDOM_VARIANTS; i++) {
                const struct input *base = &in[next(&seed) % n_in];
                uint64_t mask = next(&seed) | UINT64_C(1) << (next(&seed) % N_MUTATIONS);
                _cleanup_json_ struct hr_json *v = hr_json_copy(base->config);
                char label[128];

                snprintf(label, sizeof(label), "random %d (%s, mutations %#llx)", i, base->name,
                         (unsigned long long)(mask & ((UINT64_C(1) << N_MUTATIONS) - 1)));
                for (size_t m = 0; m < N_MUTATIONS; m++)
                        if (mask & UINT64_C(1) << m)
                                mutate(v, &mutations[m]);
                property(label, v, p, &prop);
                for (size_t m = 0; m < N_MUTATIONS; m++)
                        if (mask & UINT64_C(1) << m)
                                caught_mutation(label, v, p, &mutations[m], &trap);
        }
        ok(prop.failures == 0 && prop.cases == RANDOM_VARIANTS,
           "%s%s: verify(enforce(x)) is clean over %d seeded random variants (%d refused)",
           p->level, lsm_of(p), prop.cases, prop.refused);
        ok(trap.failures == 0 && trap.checks > 0,
           "%s%s: verify flags the mutations of those variants (%d checks)", p->level, lsm_of(p),
           trap.checks);
}

int main(void)
{
        struct hr_policy policies[7];
        struct input *in = NULL;
        size_t n_in;

        if (!mkdtemp(dir))
                return 1;
        policies[0] = level("restricted");
        policies[1] = level("baseline");
        policies[2] = fixture_policy();
        policies[3] = level_on("restricted", &fixture_apparmor_host);
        policies[4] = level_on("restricted", &fixture_selinux_host);
        policies[5] = fixture_policy();
        policies[5].host = &fixture_apparmor_host;
        policies[6] = fixture_policy();
        policies[6].host = &fixture_selinux_host;
        rmdir(dir);
        n_in = load_data(&in);
        printf("# knobs held to verify(enforce(x)):");
        for (size_t k = 0; hr_verify_knob_name(k); k++)
                if (fixture_asserted(hr_verify_knob_name(k)))
                        printf(" %s", hr_verify_knob_name(k));
        printf("\n");
        is_int(N_MUTATIONS < 64, 1, "the mutations fit a 64-bit mask");
        for (size_t k = 0; hr_verify_knob_name(k); k++) {
                bool mutated = false;

                for (size_t m = 0; m < N_MUTATIONS; m++)
                        mutated |= strcmp(mutations[m].knob, hr_verify_knob_name(k)) == 0;
                ok(mutated, "a mutation breaks knob %s", hr_verify_knob_name(k));
        }
        for (size_t p = 0; p < HR_ARRAY_SIZE(policies); p++) {
                for (size_t i = 0; i < n_in; i++)
                        run_config(&in[i], &policies[p]);
                run_random(in, n_in, &policies[p]);
        }
        for (size_t i = 0; i < n_in; i++) {
                hr_json_free(in[i].config);
                free(in[i].name);
        }
        free(in);
        hr_policy_done(&policies[0]);
        hr_policy_done(&policies[1]);
        hr_policy_done(&policies[3]);
        hr_policy_done(&policies[4]);
        return tap_done();
}
