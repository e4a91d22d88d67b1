/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the knob tests: loading configs from tests/data, the restricted
 * level, running one knob, and a fake host whose paths, namespaces and LSMs
 * each test sets.
 */
#ifndef HR_KNOB_TEST_H
#define HR_KNOB_TEST_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "harden/harden.h"
#include "host.h"
#include "tap.h"

static inline struct hr_json *parse(const char *text)
{
        struct hr_json *j = NULL;
        struct hr_error err = {0};

        if (hr_json_parse(text, strlen(text), 0, &j, &err) < 0) {
                printf("# bad test JSON: %s\n%s\n", err.msg, text);
                abort();
        }
        return j;
}

static inline struct hr_json *load(const char *name)
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
        j = parse(f.data);
        hr_file_done(&f);
        return j;
}

/* Compact JSON of a node (static buffer, for comparisons). */
static inline const char *text(const struct hr_json *node)
{
        static char buf[8192];
        struct hr_error err = {0};
        char *out = NULL;
        size_t len;

        if (!node)
                return NULL;
        if (hr_json_write(node, 0, &out, &len, &err) < 0)
                abort();
        snprintf(buf, sizeof(buf), "%s", out);
        free(out);
        return buf;
}

/* Does the array hold the string s? */
static inline bool has_string(const struct hr_json *arr, const char *s)
{
        for (size_t i = 0; arr && arr->type == HR_JSON_ARRAY && i < arr->u.arr.len; i++) {
                const char *v = hr_json_string(arr->u.arr.items[i]);

                if (v && strcmp(v, s) == 0)
                        return true;
        }
        return false;
}

/* The configs engines really wrote (tests/data). */
static const char *const real_configs[] = {
    "runc-spec.json",
    "docker.json",
    "docker-readonly.json",
    "docker-privileged.json",
    "podman.json",
    "containerd.json",
    "containerd-cri-container.json",
    "containerd-cri-sandbox.json",
};

/* ---- the fake host ------------------------------------------------------- */

/* A path that exists on the fake host: its realpath, or a namespace inode, or an error. */
struct fake_path {
        const char *path;
        const char *real; /* NULL: the path itself */
        uint64_t dev, ino;
        int error; /* a positive errno for every call on it */
};

static const struct fake_path *fake_paths;
static size_t n_fake_paths;
static bool fake_aa, fake_se;
static int fake_lsm_calls;

static inline const struct fake_path *fake_find(const char *path)
{
        for (size_t i = 0; i < n_fake_paths; i++)
                if (strcmp(fake_paths[i].path, path) == 0)
                        return &fake_paths[i];
        return NULL;
}

static inline int fake_stat(const char *path, uint64_t *dev, uint64_t *ino)
{
        const struct fake_path *f = fake_find(path);

        if (!f)
                return -ENOENT;
        if (f->error)
                return -f->error;
        *dev = f->dev;
        *ino = f->ino;
        return 0;
}

static inline int fake_realpath(const char *path, char **out)
{
        const struct fake_path *f = fake_find(path);

        if (!f)
                return -ENOENT;
        if (f->error)
                return -f->error;
        *out = strdup(f->real ? f->real : f->path);
        return *out ? 0 : -ENOMEM;
}

static inline int fake_glob(const char *pattern, struct hr_strv *out)
{
        (void)pattern;
        *out = (struct hr_strv){0};
        return 0;
}

static inline bool fake_apparmor(void)
{
        fake_lsm_calls++;
        return fake_aa;
}

static inline bool fake_selinux(void)
{
        fake_lsm_calls++;
        return fake_se;
}

/* The AppArmor profiles loaded on the fake host (NULL-terminated), and errors to give. */
static const char *const *fake_loaded;
static int fake_loaded_error, fake_load_error, fake_loads, fake_contexts_calls;
static const char *fake_lxc_process = "system_u:system_r:container_t:s0";
static const char *fake_lxc_file = "system_u:object_r:container_file_t:s0";

static inline int fake_apparmor_loaded(const char *name, bool *loaded)
{
        if (fake_loaded_error)
                return -fake_loaded_error;
        *loaded = false;
        for (const char *const *p = fake_loaded; p && *p; p++)
                *loaded |= strcmp(*p, name) == 0;
        return 0;
}

static inline int fake_apparmor_load(const char *text, struct hr_error *err)
{
        fake_loads++;
        if (fake_load_error)
                return hr_error_set(err, fake_load_error, "apparmor_parser exited with status 1");
        return strstr(text, "profile hardrun-default ") ? 0
                                                        : hr_error_set(err, EINVAL, "no profile");
}

static inline int fake_selinux_contexts(char **process, char **file, struct hr_error *err)
{
        fake_contexts_calls++;
        if (!fake_lxc_process)
                return hr_error_set(err, ENOENT, "no lxc_contexts");
        *process = strdup(fake_lxc_process);
        *file = strdup(fake_lxc_file);
        return 0;
}

static const struct hr_host fake_host = {
    .stat = fake_stat,
    .realpath = fake_realpath,
    .glob = fake_glob,
    .apparmor_enabled = fake_apparmor,
    .selinux_enabled = fake_selinux,
    .apparmor_loaded = fake_apparmor_loaded,
    .apparmor_load = fake_apparmor_load,
    .selinux_contexts = fake_selinux_contexts,
};

#define FAKE_PATHS(table)                                                                          \
        do {                                                                                       \
                fake_paths = (table);                                                              \
                n_fake_paths = sizeof(table) / sizeof((table)[0]);                                 \
        } while (0)

/* The restricted (or baseline) level as the policy module resolves it, on the fake host. */
static inline void level(struct hr_policy *p, const char *name)
{
        struct hr_policy_file f = {0};
        struct hr_error err = {0};
        char doc[64];

        snprintf(doc, sizeof(doc), "{\"level\":\"%s\"}", name);
        f.doc = parse(doc);
        f.path = strdup("test-level");
        if (hr_policy_resolve(&f, p, &err) < 0) {
                printf("# %s\n", err.msg);
                abort();
        }
        hr_policy_file_done(&f);
        p->host = &fake_host;
}

/* Configure a knob from a JSON text on top of p; returns the configure result. */
static inline int configure_knob(struct hr_policy *p, const char *knob, const char *value,
                                 struct hr_error *err)
{
        _cleanup_json_ struct hr_json *v = parse(value);

        return hr_knob_find(knob)->configure(p, v, err);
}

/* Run one knob over config into a fresh report. */
static inline int run_knob(const char *knob, struct hr_json *config, const struct hr_policy *p,
                           struct hr_report *report, struct hr_error *err)
{
        *report = (struct hr_report){0};
        *err = (struct hr_error){0};
        return hr_knob_find(knob)->apply(config, p, report, err);
}

#endif
