/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the knob unit tests: JSON from text or from tests/data, the
 * restricted and baseline levels, a fake host whose answers a test sets, and
 * running one knob with its report.
 */
#ifndef HR_KNOB_KIT_H
#define HR_KNOB_KIT_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bundle.h"
#include "harden/harden.h"
#include "host.h"
#include "policy.h"
#include "tap.h"

/* The real configs in tests/data. */
static const char *const kit_data[] = {
    "runc-spec.json",
    "docker.json",
    "docker-readonly.json",
    "podman.json",
    "containerd.json",
    "containerd-cri-container.json",
    "containerd-cri-sandbox.json",
};

static inline struct hr_json *kit_parse(const char *text)
{
        struct hr_json *j = NULL;
        struct hr_error err = {0};

        if (hr_json_parse(text, strlen(text), 0, &j, &err) < 0) {
                printf("# bad test JSON: %s\n%s\n", err.msg, text);
                abort();
        }
        return j;
}

static inline struct hr_json *kit_load(const char *name)
{
        struct hr_file f = HR_FILE_INIT;
        struct hr_error err = {0};
        char path[256];
        struct hr_json *j;

        snprintf(path, sizeof(path), HR_TEST_DATA "/%s", name);
        if (hr_file_read(path, false, HR_JSON_MAX_SIZE, &f, &err) < 0) {
                printf("# %s\n", err.msg);
                abort();
        }
        j = kit_parse(f.data);
        hr_file_done(&f);
        return j;
}

/* Compact JSON text of node (static buffer), "(absent)" for NULL. */
static inline const char *kit_text(const struct hr_json *node)
{
        static char buf[8192];
        char *text = NULL;
        size_t len;
        struct hr_error err = {0};

        if (!node)
                return "(absent)";
        if (hr_json_write(node, 0, &text, &len, &err) < 0)
                abort();
        snprintf(buf, sizeof(buf), "%s", text);
        free(text);
        return buf;
}

/* The value at a dotted path of object keys (keys holding dots need hr_json_get). */
static inline const struct hr_json *kit_get(const struct hr_json *node, const char *path)
{
        char buf[256], *save = NULL;

        snprintf(buf, sizeof(buf), "%s", path);
        for (char *k = strtok_r(buf, ".", &save); k && node; k = strtok_r(NULL, ".", &save))
                node = hr_json_get(node, k);
        return node;
}

/* ---- the fake host ---------------------------------------------------------- */

struct kit_stat {
        const char *path;
        uint64_t dev, ino;
};

static struct {
        const struct kit_stat *stats; /* NULL-path terminated */
        const char *const *glob_pattern;
        const char *const *glob_found; /* what every pattern in glob_pattern finds */
        int glob_error;                /* returned by glob when set */
        uint64_t nofile_soft, nofile_hard;
        int rlimit_error;
        int glob_calls;
} kit_host_state = {.nofile_soft = 1024, .nofile_hard = 1048576};

static inline int kit_stat(const char *path, uint64_t *dev, uint64_t *ino)
{
        for (const struct kit_stat *s = kit_host_state.stats; s && s->path; s++)
                if (strcmp(s->path, path) == 0) {
                        *dev = s->dev;
                        *ino = s->ino;
                        return 0;
                }
        return -ENOENT;
}

static inline int kit_realpath(const char *path, char **out)
{
        *out = strdup(path);
        return *out ? 0 : -ENOMEM;
}

static inline int kit_glob(const char *pattern, struct hr_strv *out)
{
        bool known = false;
        size_t n = 0;

        kit_host_state.glob_calls++;
        *out = (struct hr_strv){0};
        if (kit_host_state.glob_error)
                return -kit_host_state.glob_error;
        for (const char *const *p = kit_host_state.glob_pattern; p && *p; p++)
                known |= strcmp(*p, pattern) == 0;
        for (const char *const *f = kit_host_state.glob_found; known && f && *f; f++)
                n++;
        if (n == 0)
                return 0;
        if (!(out->v = calloc(n + 1, sizeof(char *))))
                abort();
        for (size_t i = 0; i < n; i++)
                if (!(out->v[out->n++] = strdup(kit_host_state.glob_found[i])))
                        abort();
        return 0;
}

static inline int kit_rlimit(int resource, uint64_t *soft, uint64_t *hard)
{
        if (kit_host_state.rlimit_error)
                return -kit_host_state.rlimit_error;
        if (resource == RLIMIT_NOFILE) {
                *soft = kit_host_state.nofile_soft;
                *hard = kit_host_state.nofile_hard;
        } else {
                *soft = *hard = UINT64_MAX;
        }
        return 0;
}

static inline bool kit_no(void)
{
        return false;
}

static const struct hr_host kit_host = {
    .stat = kit_stat,
    .realpath = kit_realpath,
    .glob = kit_glob,
    .rlimit = kit_rlimit,
    .apparmor_enabled = kit_no,
    .selinux_enabled = kit_no,
};

/* ---- policies and knobs ------------------------------------------------------ */

/* A level resolved as the policy module does, with text laid over it, on the fake host. */
static inline void kit_policy(struct hr_policy *p, const char *text)
{
        struct hr_policy_file f = {0};
        struct hr_error err = {0};

        if (text && hr_json_parse(text, strlen(text), HR_JSON_ALLOW_COMMENTS, &f.doc, &err) < 0) {
                printf("# bad policy: %s\n", err.msg);
                abort();
        }
        if (text)
                f.path = strdup("test-policy.json");
        if (hr_policy_resolve(&f, p, &err) < 0) {
                printf("# %s\n", err.msg);
                abort();
        }
        hr_policy_file_done(&f);
        p->host = &kit_host;
}

/* The error configure gives for a policy text, or NULL when it loads. */
static inline const char *kit_policy_error(const char *text)
{
        static struct hr_error err;
        struct hr_policy_file f = {0};
        struct hr_policy p;
        int r;

        err = (struct hr_error){0};
        if (hr_json_parse(text, strlen(text), HR_JSON_ALLOW_COMMENTS, &f.doc, &err) < 0)
                return err.msg;
        f.path = strdup("test-policy.json");
        r = hr_policy_resolve(&f, &p, &err);
        hr_policy_file_done(&f);
        if (r == 0) {
                hr_policy_done(&p);
                return NULL;
        }
        return err.msg;
}

/* Run one knob's apply; returns its result, report in *rep (to be freed). */
static inline int kit_apply(const char *knob, struct hr_json *config, const struct hr_policy *p,
                            struct hr_report *rep, struct hr_error *err)
{
        const struct hr_knob *k = hr_knob_find(knob);

        if (!k)
                abort();
        *rep = (struct hr_report){0};
        *err = (struct hr_error){0};
        return k->apply(config, p, rep, err);
}

/* Applying the knob again to its own output changes nothing and refuses nothing new. */
static inline void kit_idempotent(const char *knob, struct hr_json *config,
                                  const struct hr_policy *p, const char *what)
{
        _cleanup_json_ struct hr_json *before = hr_json_copy(config);
        struct hr_report rep;
        struct hr_error err;

        is_int(kit_apply(knob, config, p, &rep, &err), 0, "%s: %s again: no error (%s)", knob, what,
               err.msg);
        is_int(rep.n_changes, 0, "%s: %s again: no change", knob, what);
        ok(hr_json_equal(before, config), "%s: %s again: config untouched", knob, what);
        hr_report_done(&rep);
}

/* The index of the change at path, or -1. */
static inline int kit_change(const struct hr_report *rep, const char *path)
{
        for (size_t i = 0; i < rep->n_changes; i++)
                if (strcmp(rep->changes[i].path, path) == 0)
                        return (int)i;
        return -1;
}

#endif
