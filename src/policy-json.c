/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harden/caps.h"
#include "hr-cleanup.h"
#include "policy-json.h"

/* ---- values ---------------------------------------------------------------- */

static struct hr_json *number(uint64_t v)
{
        char text[24];

        snprintf(text, sizeof(text), "%" PRIu64, v);
        return hr_json_new_number(text);
}

static struct hr_json *strings(char *const *v, size_t n)
{
        _cleanup_json_ struct hr_json *a = hr_json_new_array();

        for (size_t i = 0; a && i < n; i++)
                if (hr_json_append(a, hr_json_new_string(v[i])) < 0)
                        return NULL;
        return TAKE_PTR(a);
}

static struct hr_json *strv(const struct hr_strv *s)
{
        return strings(s->v, s->n);
}

/* A list kept as exact paths and glob patterns, written as one sorted list. */
static struct hr_json *paths_and_globs(const struct hr_strv *paths, const struct hr_strv *globs)
{
        _cleanup_free_ char **all = calloc(paths->n + globs->n + 1, sizeof(*all));

        if (!all)
                return NULL;
        for (size_t i = 0; i < paths->n; i++)
                all[i] = paths->v[i];
        for (size_t i = 0; i < globs->n; i++)
                all[paths->n + i] = globs->v[i];
        qsort(all, paths->n + globs->n, sizeof(*all), hr_strv_cmp);
        return strings(all, paths->n + globs->n);
}

/* ---- the knobs, each as its policy file takes it ------------------------------------ */

static struct hr_json *user(const struct hr_policy *p)
{
        _cleanup_json_ struct hr_json *o = hr_json_new_object();
        char fallback[24];

        snprintf(fallback, sizeof(fallback), "%" PRIu32 ":%" PRIu32, p->user.uid, p->user.gid);
        if (hr_json_set(o, "allow_root", hr_json_new_bool(p->user.allow_root)) < 0 ||
            hr_json_set(o, "fallback_user", hr_json_new_string(fallback)) < 0)
                return NULL;
        return TAKE_PTR(o);
}

static struct hr_json *capabilities(const struct hr_policy *p)
{
        _cleanup_json_ struct hr_json *o = hr_json_new_object();
        struct hr_json *allowed = hr_json_new_array();
        char name[64];

        if (hr_json_set(o, "allowed", allowed) < 0)
                return NULL;
        for (int cap = 0; cap < 64; cap++) {
                if (!(p->capabilities.allowed & (UINT64_C(1) << cap)))
                        continue;
                if (hr_cap_name(cap, name, sizeof(name)) < 0 ||
                    hr_json_append(allowed, hr_json_new_string(name)) < 0)
                        return NULL;
        }
        return TAKE_PTR(o);
}

static struct hr_json *no_new_privileges(const struct hr_policy *p)
{
        return hr_json_new_bool(p->no_new_privileges);
}

static struct hr_json *readonly_rootfs(const struct hr_policy *p)
{
        const struct hr_rootfs_policy *r = &p->readonly_rootfs;
        _cleanup_json_ struct hr_json *o = hr_json_new_object();

        if (hr_json_set(o, "enabled", hr_json_new_bool(r->enabled)) < 0 ||
            hr_json_set(o, "writable", strings(r->writable, r->n_writable)) < 0 ||
            (r->tmpfs_size && hr_json_set(o, "tmpfs_size", hr_json_new_string(r->tmpfs_size)) < 0))
                return NULL;
        return TAKE_PTR(o);
}

static struct hr_json *masked_paths(const struct hr_policy *p)
{
        return paths_and_globs(&p->masked_paths, &p->masked_globs);
}

static struct hr_json *readonly_paths(const struct hr_policy *p)
{
        return paths_and_globs(&p->readonly_paths, &p->readonly_globs);
}

static struct hr_json *mounts(const struct hr_policy *p)
{
        const struct hr_mounts_policy *m = &p->mounts;
        _cleanup_json_ struct hr_json *o = hr_json_new_object();

        if (hr_json_set(o, "bind_nosuid_nodev", hr_json_new_bool(m->bind_nosuid_nodev)) < 0 ||
            hr_json_set(o, "bind_recursive", hr_json_new_bool(m->bind_recursive)) < 0 ||
            hr_json_set(o, "readonly_sys", hr_json_new_bool(m->readonly_sys)) < 0 ||
            hr_json_set(o, "private_propagation", hr_json_new_bool(m->private_propagation)) < 0)
                return NULL;
        return TAKE_PTR(o);
}

static struct hr_json *sensitive_mounts(const struct hr_policy *p)
{
        return strv(&p->sensitive_mounts);
}

static struct hr_json *namespaces(const struct hr_policy *p)
{
        return strv(&p->namespaces);
}

static struct hr_json *sysctls(const struct hr_policy *p)
{
        _cleanup_json_ struct hr_json *o = hr_json_new_object();

        if (hr_json_set(o, "unprivileged_net", hr_json_new_bool(p->sysctls.unprivileged_net)) < 0 ||
            hr_json_set(o, "allowed", strv(&p->sysctls.allowed)) < 0)
                return NULL;
        return TAKE_PTR(o);
}

/* Thousandths of a cpu as the shortest decimal: 1500 is 1.5. */
static struct hr_json *cpus(uint64_t millis)
{
        char text[32];
        size_t len;

        len = (size_t)snprintf(text, sizeof(text), "%" PRIu64 ".%03" PRIu64, millis / 1000,
                               millis % 1000);
        while (text[len - 1] == '0')
                text[--len] = '\0';
        if (text[len - 1] == '.')
                text[--len] = '\0';
        return hr_json_new_number(text);
}

/* Unset limits are null, as the policy file writes them. */
static struct hr_json *limits(const struct hr_policy *p)
{
        const struct hr_limits_policy *l = &p->limits;
        _cleanup_json_ struct hr_json *o = hr_json_new_object();
        struct hr_json *nofile = hr_json_new_null();

        if (l->nofile_hard != HR_LIMIT_UNSET) {
                hr_json_free(nofile);
                if ((nofile = hr_json_new_array()) &&
                    (hr_json_append(nofile, number(l->nofile_soft)) < 0 ||
                     hr_json_append(nofile, number(l->nofile_hard)) < 0)) {
                        hr_json_free(nofile);
                        return NULL;
                }
        }
        if (hr_json_set(o, "pids", l->pids ? number(l->pids) : hr_json_new_null()) < 0 ||
            hr_json_set(o, "nofile", nofile) < 0 ||
            hr_json_set(o, "core",
                        l->core != HR_LIMIT_UNSET ? number(l->core) : hr_json_new_null()) < 0 ||
            hr_json_set(o, "memory", l->memory ? number(l->memory) : hr_json_new_null()) < 0 ||
            hr_json_set(o, "cpus", l->cpu_millis ? cpus(l->cpu_millis) : hr_json_new_null()) < 0)
                return NULL;
        return TAKE_PTR(o);
}

static struct hr_json *annotations(const struct hr_policy *p)
{
        _cleanup_json_ struct hr_json *o = hr_json_new_object();

        if (hr_json_set(o, "strip", strv(&p->annotations_strip)) < 0)
                return NULL;
        return TAKE_PTR(o);
}

static struct hr_json *devices(const struct hr_policy *p)
{
        _cleanup_json_ struct hr_json *o = hr_json_new_object();

        if (hr_json_set(o, "enabled", hr_json_new_bool(p->devices_enabled)) < 0 ||
            hr_json_set(o, "allowed", strv(&p->devices)) < 0)
                return NULL;
        return TAKE_PTR(o);
}

static struct hr_json *lsm(const struct hr_policy *p)
{
        const struct hr_lsm_policy *l = &p->lsm;
        _cleanup_json_ struct hr_json *o = hr_json_new_object();
        const char *mode = l->mode == HR_LSM_REQUIRED ? "required" : "when-available";

        if (hr_json_set(o, "mode", hr_json_new_string(mode)) < 0 ||
            hr_json_set(o, "selinux_types", strv(&l->selinux_types)) < 0 ||
            hr_json_set(o, "selinux_mount_types", strv(&l->selinux_mount_types)) < 0 ||
            hr_json_set(o, "apparmor_unconfined", hr_json_new_bool(l->apparmor_unconfined)) < 0)
                return NULL;
        return TAKE_PTR(o);
}

static struct hr_json *seccomp(const struct hr_policy *p)
{
        const struct hr_seccomp_policy *s = &p->seccomp;
        _cleanup_json_ struct hr_json *o = hr_json_new_object();

        if (hr_json_set(o, "enabled", hr_json_new_bool(s->enabled)) < 0 ||
            (s->profile && hr_json_set(o, "profile", hr_json_new_string(s->profile)) < 0) ||
            hr_json_set(o, "learn", hr_json_new_bool(s->learn)) < 0)
                return NULL;
        return TAKE_PTR(o);
}

/* In the order of the level files. */
static const struct knob_json {
        const char *name;
        struct hr_json *(*write)(const struct hr_policy *p);
} knobs[] = {
    {"user", user},
    {"capabilities", capabilities},
    {"no_new_privileges", no_new_privileges},
    {"readonly_rootfs", readonly_rootfs},
    {"masked_paths", masked_paths},
    {"readonly_paths", readonly_paths},
    {"mounts", mounts},
    {"sensitive_mounts", sensitive_mounts},
    {"namespaces", namespaces},
    {"sysctls", sysctls},
    {"limits", limits},
    {"annotations", annotations},
    {"devices", devices},
    {"lsm", lsm},
    {"seccomp", seccomp},
};

int hr_policy_to_json(const struct hr_policy *p, struct hr_json **out, struct hr_error *err)
{
        _cleanup_json_ struct hr_json *o = hr_json_new_object();

        if (hr_json_set(o, "level", hr_json_new_string(p->level)) < 0 ||
            hr_json_set(o, "mode", hr_json_new_string(hr_mode_name(p->mode))) < 0 ||
            (p->runtime && hr_json_set(o, "runtime", strings(p->runtime, p->n_runtime)) < 0) ||
            (p->audit_file &&
             hr_json_set(o, "audit_file", hr_json_new_string(p->audit_file)) < 0) ||
            hr_json_set(o, "annotation_may_relax", strv(&p->annotation_may_relax)) < 0)
                return hr_error_set(err, ENOMEM, "out of memory");
        for (size_t i = 0; i < HR_ARRAY_SIZE(knobs); i++)
                if (hr_json_set(o, knobs[i].name, knobs[i].write(p)) < 0)
                        return hr_error_set(err, ENOMEM, "out of memory");
        *out = TAKE_PTR(o);
        return 0;
}

/* ---- where each value came from ----------------------------------------------------- */

static const struct hr_json_member *member(const struct hr_json *obj, const char *key)
{
        for (size_t i = 0; obj && obj->type == HR_JSON_OBJECT && i < obj->u.obj.len; i++)
                if (strcmp(obj->u.obj.members[i].key, key) == 0)
                        return &obj->u.obj.members[i];
        return NULL;
}

static struct hr_json *source(const char *key, const struct hr_json *value,
                              const struct hr_policy_file *f, const struct hr_json *level_doc,
                              const char *level)
{
        const struct hr_json_member *in_file = member(f->doc, key);
        bool in_level = member(level_doc, key) != NULL;
        _cleanup_json_ struct hr_json *o = hr_json_new_object();
        char file[64];

        snprintf(file, sizeof(file), "%s.json", level);
        if (in_file) {
                if (hr_json_set(o, "from", hr_json_new_string("policy")) < 0 ||
                    hr_json_set(o, "file", hr_json_new_string(f->path)) < 0 ||
                    (in_file->line && hr_json_set(o, "line", number(in_file->line)) < 0))
                        return NULL;
                /* A knob that is an object is set member by member: the level gives the rest. */
                if (in_level && value->type == HR_JSON_OBJECT &&
                    hr_json_set(o, "over_level", hr_json_new_string(level)) < 0)
                        return NULL;
        } else if (in_level) {
                if (hr_json_set(o, "from", hr_json_new_string("level")) < 0 ||
                    hr_json_set(o, "level", hr_json_new_string(level)) < 0 ||
                    hr_json_set(o, "file", hr_json_new_string(file)) < 0)
                        return NULL;
        } else if (hr_json_set(o, "from", hr_json_new_string("default")) < 0) {
                return NULL;
        }
        return TAKE_PTR(o);
}

int hr_policy_sources(const struct hr_policy_file *f, const struct hr_policy *p,
                      const struct hr_json *doc, struct hr_json **out, struct hr_error *err)
{
        const char *text = hr_policy_level_text(p->level);
        _cleanup_json_ struct hr_json *level_doc = NULL, *o = hr_json_new_object();
        int r;

        if (!text)
                return hr_error_set(err, EINVAL, "unknown level \"%s\"", p->level);
        if ((r = hr_json_parse(text, strlen(text), HR_JSON_ALLOW_COMMENTS, &level_doc, err)) < 0)
                return hr_error_prefix(err, "built-in level %s", p->level);
        if (!o)
                return hr_error_set(err, ENOMEM, "out of memory");
        for (size_t i = 0; i < doc->u.obj.len; i++) {
                const struct hr_json_member *m = &doc->u.obj.members[i];

                if (hr_json_set(o, m->key, source(m->key, m->value, f, level_doc, p->level)) < 0)
                        return hr_error_set(err, ENOMEM, "out of memory");
        }
        *out = TAKE_PTR(o);
        return 0;
}
