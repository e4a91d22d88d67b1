/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "harden/harden.h"
#include "host.h"
#include "hr-cleanup.h"
#include "policy.h"
#include "util.h"

#ifndef HR_SYSCONFDIR
#define HR_SYSCONFDIR "/etc"
#endif
#define POLICY_MAX_SIZE (1024u * 1024u)

/* Embedded from profiles/policies/ by levels.S. */
extern const char hr_level_restricted[];
extern const char hr_level_baseline[];

static const struct level {
        const char *name;
        const char *text;
} levels[] = {
    {"restricted", hr_level_restricted},
    {"baseline", hr_level_baseline},
};

static const char *const mode_names[] = {
    [HR_MODE_ENFORCE] = "enforce",
    [HR_MODE_REFUSE] = "refuse",
    [HR_MODE_AUDIT] = "audit",
};

const char *hr_mode_name(enum hr_mode mode)
{
        return mode_names[mode];
}

void hr_strv_free(char **v, size_t n)
{
        for (size_t i = 0; i < n; i++)
                free(v[i]);
        free(v);
}

void hr_strv_done(struct hr_strv *s)
{
        hr_strv_free(s->v, s->n);
        *s = (struct hr_strv){0};
}

int hr_strv_cmp(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

int hr_policy_strv(const struct hr_json *value, const char *knob, struct hr_strv *out,
                   struct hr_error *err)
{
        struct hr_strv s;
        int r;

        if (value->type == HR_JSON_ARRAY && value->u.arr.len == 0) {
                hr_strv_done(out);
                return 0;
        }
        if ((r = hr_policy_strings(value, knob, &s.v, &s.n, err)) < 0)
                return r;
        hr_strv_done(out);
        *out = s;
        return 0;
}

int hr_policy_uint(const struct hr_json *value, const char *knob, uint64_t min, uint64_t max,
                   uint64_t *out, struct hr_error *err)
{
        uint64_t v;

        if (value->type != HR_JSON_NUMBER ||
            hr_parse_uint(value->u.str.text, min, max, &v, NULL) < 0)
                return hr_error_set(err, EINVAL, "knob %s must be an integer from %llu to %llu",
                                    knob, (unsigned long long)min, (unsigned long long)max);
        *out = v;
        return 0;
}

int hr_policy_bool(const struct hr_json *value, const char *knob, bool *out, struct hr_error *err)
{
        if (value->type != HR_JSON_BOOL)
                return hr_error_set(err, EINVAL, "knob %s must be true or false, not a %s", knob,
                                    hr_json_type_name(value->type));
        *out = value->u.boolean;
        return 0;
}

int hr_policy_string(const struct hr_json *value, const char *knob, char **out,
                     struct hr_error *err)
{
        char *s;

        if (value->type != HR_JSON_STRING || strlen(value->u.str.text) != value->u.str.len ||
            value->u.str.len == 0)
                return hr_error_set(err, EINVAL, "knob %s must be a non-empty string", knob);
        if (!(s = strdup(value->u.str.text)))
                return hr_error_set(err, ENOMEM, "out of memory");
        *out = s;
        return 0;
}

int hr_policy_strings(const struct hr_json *value, const char *knob, char ***out, size_t *n,
                      struct hr_error *err)
{
        const struct hr_json *const *items = (const struct hr_json *const *)&value;
        size_t count = 1;
        char **v;
        int r;

        if (value->type == HR_JSON_ARRAY) {
                items = (const struct hr_json *const *)value->u.arr.items;
                count = value->u.arr.len;
        }
        if (!(v = calloc(count + 1, sizeof(*v))))
                return hr_error_set(err, ENOMEM, "out of memory");
        for (size_t i = 0; i < count; i++) {
                if ((r = hr_policy_string(items[i], knob, &v[i], err)) < 0) {
                        hr_strv_free(v, i);
                        return hr_error_prefix(err,
                                               "knob %s must be a string or a list of "
                                               "strings",
                                               knob);
                }
        }
        *out = v;
        *n = count;
        return 0;
}

void hr_policy_file_done(struct hr_policy_file *f)
{
        hr_json_free(f->doc);
        free(f->path);
        *f = (struct hr_policy_file){0};
}

int hr_policy_file_read(struct hr_policy_file *out, struct hr_error *err)
{
        const char *path = getenv(HR_POLICY_ENV);
        struct hr_file file = HR_FILE_INIT;
        struct hr_policy_file f = {0};
        bool explicit = path && *path;
        int r;

        if (!explicit)
                path = HR_SYSCONFDIR "/hardrun/policy.json";
        r = hr_file_read(path, true, POLICY_MAX_SIZE, &file, err);
        if (r == -ENOENT && !explicit) {
                *out = f;
                return 0;
        }
        if (r < 0)
                return hr_error_prefix(err, "reading the policy%s",
                                       explicit ? " (" HR_POLICY_ENV ")" : "");
        r = hr_json_parse(file.data, file.len, HR_JSON_ALLOW_COMMENTS, &f.doc, err);
        hr_file_done(&file);
        if (r < 0)
                return hr_error_prefix(err, "policy %s", path);
        if (f.doc->type != HR_JSON_OBJECT) {
                hr_json_free(f.doc);
                return hr_error_set(err, EINVAL, "policy %s is not a JSON object", path);
        }
        if (!(f.path = strdup(path))) {
                hr_json_free(f.doc);
                return hr_error_set(err, ENOMEM, "out of memory");
        }
        *out = f;
        return 0;
}

void hr_policy_done(struct hr_policy *p)
{
        free(p->source);
        free(p->level);
        hr_strv_free(p->runtime, p->n_runtime);
        free(p->audit_file);
        hr_strv_free(p->readonly_rootfs.writable, p->readonly_rootfs.n_writable);
        free(p->readonly_rootfs.tmpfs_size);
        hr_strv_done(&p->annotation_may_relax);
        hr_strv_done(&p->masked_paths);
        hr_strv_done(&p->readonly_paths);
        hr_strv_done(&p->sensitive_mounts);
        hr_strv_done(&p->sysctls.allowed);
        hr_strv_done(&p->annotations_strip);
        hr_strv_done(&p->namespaces);
        hr_strv_done(&p->devices);
        hr_strv_done(&p->lsm.selinux_types);
        hr_strv_done(&p->lsm.selinux_mount_types);
        *p = (struct hr_policy){0};
}

int hr_policy_runtime(const struct hr_policy_file *f, struct hr_policy *out, struct hr_error *err)
{
        const struct hr_json *rt = hr_json_get(f->doc, "runtime");

        if (!rt)
                return 0;
        if (hr_policy_strings(rt, "runtime", &out->runtime, &out->n_runtime, err) < 0 ||
            out->n_runtime == 0)
                return hr_error_set(err, EINVAL,
                                    "runtime must be a path, a name or a non-empty list of "
                                    "names");
        return 0;
}

/* Apply every member of doc (a level or the policy file) as a knob. */
static int apply_knobs(struct hr_policy *p, const struct hr_json *doc, bool is_file,
                       struct hr_error *err)
{
        for (size_t i = 0; i < doc->u.obj.len; i++) {
                const char *key = doc->u.obj.members[i].key;
                const struct hr_json *v = doc->u.obj.members[i].value;
                const struct hr_knob *knob;
                int r;

                if (strcmp(key, "description") == 0 ||
                    (is_file && (strcmp(key, "level") == 0 || strcmp(key, "mode") == 0 ||
                                 strcmp(key, "runtime") == 0 || strcmp(key, "audit_file") == 0)))
                        continue;
                if (!(knob = hr_knob_find(key)))
                        return hr_error_set(err, EINVAL,
                                            "unknown knob \"%s\" (see hardrun-policy(5))", key);
                if ((r = knob->configure(p, v, err)) < 0)
                        return r;
        }
        return 0;
}

static int load_level(struct hr_policy *p, const char *name, struct hr_error *err)
{
        for (size_t i = 0; i < HR_ARRAY_SIZE(levels); i++) {
                _cleanup_json_ struct hr_json *doc = NULL;
                int r;

                if (strcmp(levels[i].name, name) != 0)
                        continue;
                if ((r = hr_json_parse(levels[i].text, strlen(levels[i].text),
                                       HR_JSON_ALLOW_COMMENTS, &doc, err)) < 0 ||
                    (r = apply_knobs(p, doc, false, err)) < 0)
                        return hr_error_prefix(err, "built-in level %s", name);
                return 0;
        }
        return hr_error_set(err, EINVAL, "unknown level \"%s\" (levels: restricted, baseline)",
                            name);
}

static int resolve_mode(struct hr_policy *p, const struct hr_json *doc, struct hr_error *err)
{
        const char *mode = hr_json_string(hr_json_get(doc, "mode"));

        if (!hr_json_get(doc, "mode"))
                return 0;
        for (size_t i = 0; mode && i < HR_ARRAY_SIZE(mode_names); i++)
                if (strcmp(mode, mode_names[i]) == 0) {
                        p->mode = (enum hr_mode)i;
                        return 0;
                }
        return hr_error_set(err, EINVAL, "mode must be \"enforce\", \"refuse\" or \"audit\"");
}

static int resolve_file(struct hr_policy *p, const struct hr_json *doc, struct hr_error *err)
{
        const struct hr_json *level = hr_json_get(doc, "level");
        const struct hr_json *audit = hr_json_get(doc, "audit_file");
        int r;

        if (level) {
                free(p->level);
                p->level = NULL;
                if ((r = hr_policy_string(level, "level", &p->level, err)) < 0)
                        return r;
        }
        if ((r = load_level(p, p->level, err)) < 0 || (r = resolve_mode(p, doc, err)) < 0)
                return r;
        if (audit && ((r = hr_policy_string(audit, "audit_file", &p->audit_file, err)) < 0))
                return r;
        if (p->audit_file && p->audit_file[0] != '/')
                return hr_error_set(err, EINVAL, "audit_file must be an absolute path");
        return apply_knobs(p, doc, true, err);
}

int hr_policy_resolve(const struct hr_policy_file *f, struct hr_policy *out, struct hr_error *err)
{
        struct hr_policy p = {.mode = HR_MODE_ENFORCE, .host = &hr_host_real};
        int r;

        if (!(p.source = strdup(f->path ? f->path : "built-in")) ||
            !(p.level = strdup(HR_POLICY_DEFAULT_LEVEL))) {
                hr_policy_done(&p);
                return hr_error_set(err, ENOMEM, "out of memory");
        }
        if (f->doc)
                r = hr_policy_runtime(f, &p, err);
        else
                r = 0;
        if (r == 0)
                r = f->doc ? resolve_file(&p, f->doc, err) : load_level(&p, p.level, err);
        if (r < 0) {
                hr_policy_done(&p);
                return f->path ? hr_error_prefix(err, "policy %s", f->path) : r;
        }
        *out = p;
        return 0;
}
