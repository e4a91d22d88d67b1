/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Knobs masked_paths and readonly_paths: linux.maskedPaths and
 * linux.readonlyPaths hold at least the policy's paths.  What the config
 * already lists stays, in its order; each policy path it lacks is appended.
 * A policy entry with glob characters is a pattern expanded on the host when
 * the config is hardened (runc and crun take every entry literally), so that
 * the thermal_throttle directory of each cpu under /sys/devices/system/cpu
 * that exists on this machine is masked too.  Paths are compared as clean paths:
 * "/proc//kcore/" in a config is /proc/kcore.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harden.h"
#include "host.h"
#include "hr-cleanup.h"
#include "util.h"

struct paths_knob {
        const char *name;    /* the knob */
        const char *key;     /* its member of the linux object */
        const char *path;    /* linux.KEY, for messages */
        size_t paths, globs; /* offsets of its two lists in struct hr_policy */
};

static const struct paths_knob masked = {
    .name = "masked_paths",
    .key = "maskedPaths",
    .path = "linux.maskedPaths",
    .paths = offsetof(struct hr_policy, masked_paths),
    .globs = offsetof(struct hr_policy, masked_globs),
};

static const struct paths_knob readonly = {
    .name = "readonly_paths",
    .key = "readonlyPaths",
    .path = "linux.readonlyPaths",
    .paths = offsetof(struct hr_policy, readonly_paths),
    .globs = offsetof(struct hr_policy, readonly_globs),
};

static struct hr_strv *list_of(struct hr_policy *p, size_t offset)
{
        return (struct hr_strv *)((char *)p + offset);
}

static const struct hr_strv *clist_of(const struct hr_policy *p, size_t offset)
{
        return (const struct hr_strv *)((const char *)p + offset);
}

static bool is_pattern(const char *s)
{
        return strpbrk(s, "*?[") != NULL;
}

/* Move v[i] onto the end of s (which has room: both are sized for all of v). */
static void take(struct hr_strv *s, char **v, size_t i)
{
        s->v[s->n++] = v[i];
        v[i] = NULL;
}

static int configure_list(struct hr_policy *policy, const struct paths_knob *k,
                          const struct hr_json *value, struct hr_error *err)
{
        struct hr_strv paths = {0}, globs = {0};
        char **v;
        size_t n;
        int r;

        if ((r = hr_policy_strings(value, k->name, &v, &n, err)) < 0)
                return r;
        if (!(paths.v = calloc(n + 1, sizeof(char *))) ||
            !(globs.v = calloc(n + 1, sizeof(char *)))) {
                r = hr_error_set(err, ENOMEM, "out of memory");
                goto out;
        }
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *clean = NULL;

                if (v[i][0] != '/' || hr_path_clean(v[i], &clean) < 0 || strcmp(clean, v[i]) != 0 ||
                    strcmp(clean, "/") == 0) {
                        r = hr_error_set(err, EINVAL,
                                         "knob %s: \"%s\" is not a clean absolute path other "
                                         "than /",
                                         k->name, v[i]);
                        goto out;
                }
                take(is_pattern(v[i]) ? &globs : &paths, v, i);
        }
        hr_strv_done(list_of(policy, k->paths));
        hr_strv_done(list_of(policy, k->globs));
        *list_of(policy, k->paths) = paths;
        *list_of(policy, k->globs) = globs;
        paths = globs = (struct hr_strv){0};
        r = 0;
out:
        hr_strv_free(v, n);
        hr_strv_done(&paths);
        hr_strv_done(&globs);
        return r;
}

static int configure_masked(struct hr_policy *policy, const struct hr_json *value,
                            struct hr_error *err)
{
        return configure_list(policy, &masked, value, err);
}

static int configure_readonly(struct hr_policy *policy, const struct hr_json *value,
                              struct hr_error *err)
{
        return configure_list(policy, &readonly, value, err);
}

/* Is path (clean) among the entries of arr (a JSON array of strings, or NULL)? */
static int listed(const struct hr_json *arr, const char *path, bool *out, struct hr_error *err)
{
        for (size_t i = 0; arr && i < arr->u.arr.len; i++) {
                _cleanup_free_ char *clean = NULL;

                if (hr_path_clean(arr->u.arr.items[i]->u.str.text, &clean) < 0)
                        return hr_error_set(err, ENOMEM, "out of memory");
                if (strcmp(clean, path) == 0) {
                        *out = true;
                        return 0;
                }
        }
        *out = false;
        return 0;
}

/* The config's list, or NULL when it has none; anything but strings is malformed. */
static int config_list(struct hr_json *lx, const struct paths_knob *k, struct hr_json **out,
                       struct hr_error *err)
{
        struct hr_json *arr;
        int r;

        if ((r = hr_harden_get(lx, k->key, k->path, &arr, err)) < 0)
                return r;
        if (arr && arr->type == HR_JSON_NULL)
                arr = NULL;
        if (arr && arr->type != HR_JSON_ARRAY)
                return hr_error_set(err, EINVAL, "%s must be an array, not %s", k->path,
                                    hr_json_type_name(arr->type));
        for (size_t i = 0; arr && i < arr->u.arr.len; i++)
                if (arr->u.arr.items[i]->type != HR_JSON_STRING ||
                    strlen(arr->u.arr.items[i]->u.str.text) != arr->u.arr.items[i]->u.str.len)
                        return hr_error_set(err, EINVAL, "%s[%zu] must be a path string", k->path,
                                            i);
        *out = arr;
        return 0;
}

/* Append path to linux.KEY unless it is there already, reporting the addition. */
static int ensure(struct hr_json *config, const struct paths_knob *k, const char *path,
                  struct hr_report *report, struct hr_error *err)
{
        _cleanup_free_ char *where = NULL;
        _cleanup_json_ struct hr_json *entry = NULL;
        struct hr_json *lx, *arr;
        bool present;
        int r;

        if ((r = hr_harden_object(config, "linux", "linux", false, &lx, err)) < 0 ||
            (r = config_list(lx, k, &arr, err)) < 0 || (r = listed(arr, path, &present, err)) < 0)
                return r;
        if (present)
                return 0;
        if ((r = hr_harden_object(config, "linux", "linux", true, &lx, err)) < 0 ||
            (r = hr_harden_array(lx, k->key, k->path, &arr, err)) < 0)
                return r;
        if (!(entry = hr_json_new_string(path)) || asprintf(&where, "%s[%s]", k->path, path) < 0)
                return hr_error_set(err, ENOMEM, "out of memory");
        if ((r = hr_report_change(report, k->name, where, NULL, entry, err)) < 0)
                return r;
        return hr_json_append(arr, TAKE_PTR(entry)) < 0 ? hr_error_set(err, ENOMEM, "out of memory")
                                                        : 0;
}

static int apply_list(struct hr_json *config, const struct hr_policy *policy,
                      const struct paths_knob *k, struct hr_report *report, struct hr_error *err)
{
        const struct hr_strv *paths = clist_of(policy, k->paths);
        const struct hr_strv *globs = clist_of(policy, k->globs);
        struct hr_json *lx, *arr;
        int r;

        /* A malformed list is an error even when the policy asks for nothing. */
        if ((r = hr_harden_object(config, "linux", "linux", false, &lx, err)) < 0 ||
            (r = config_list(lx, k, &arr, err)) < 0)
                return r;
        for (size_t i = 0; i < paths->n; i++)
                if ((r = ensure(config, k, paths->v[i], report, err)) < 0)
                        return r;
        for (size_t i = 0; i < globs->n; i++) {
                struct hr_strv found = {0};

                if ((r = policy->host->glob(globs->v[i], &found)) < 0)
                        return hr_error_set(err, -r, "expanding %s on the host: %s", globs->v[i],
                                            strerror(-r));
                for (size_t j = 0; j < found.n && r == 0; j++)
                        r = ensure(config, k, found.v[j], report, err);
                hr_strv_done(&found);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int apply_masked(struct hr_json *config, const struct hr_policy *policy,
                        struct hr_report *report, struct hr_error *err)
{
        return apply_list(config, policy, &masked, report, err);
}

static int apply_readonly(struct hr_json *config, const struct hr_policy *policy,
                          struct hr_report *report, struct hr_error *err)
{
        return apply_list(config, policy, &readonly, report, err);
}

const struct hr_knob hr_knob_masked_paths = {
    .name = "masked_paths",
    .configure = configure_masked,
    .apply = apply_masked,
};

const struct hr_knob hr_knob_readonly_paths = {
    .name = "readonly_paths",
    .configure = configure_readonly,
    .apply = apply_readonly,
};
