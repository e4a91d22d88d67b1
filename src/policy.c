/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "harden/harden.h"
#include "host.h"
#include "hr-cleanup.h"
#include "policy.h"
#include "util.h"

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

/* Read path; a missing file is an empty policy unless it was named explicitly. */
static int file_read(const char *path, bool explicit, const char *what, struct hr_policy_file *out,
                     struct hr_error *err)
{
        struct hr_file file = HR_FILE_INIT;
        struct hr_policy_file f = {0};
        int r;

        r = hr_file_read(path, true, POLICY_MAX_SIZE, &file, err);
        if (r == -ENOENT && !explicit) {
                *out = f;
                return 0;
        }
        if (r < 0)
                return hr_error_prefix(err, "reading the policy%s", what);
        r = hr_json_parse(file.data, file.len, HR_JSON_ALLOW_COMMENTS | HR_JSON_LINES, &f.doc, err);
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

int hr_policy_file_read(struct hr_policy_file *out, struct hr_error *err)
{
        const char *path = getenv(HR_POLICY_ENV);

        if (path && *path)
                return file_read(path, true, " (" HR_POLICY_ENV ")", out, err);
        return file_read(HR_POLICY_DEFAULT_PATH, false, "", out, err);
}

int hr_policy_file_load(const char *path, struct hr_policy_file *out, struct hr_error *err)
{
        return file_read(path, true, "", out, err);
}

const char *hr_policy_level_text(const char *name)
{
        for (size_t i = 0; name && i < HR_ARRAY_SIZE(levels); i++)
                if (strcmp(levels[i].name, name) == 0)
                        return levels[i].text;
        return NULL;
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
        free(p->rule);
        hr_strv_done(&p->masked_paths);
        hr_strv_done(&p->masked_globs);
        hr_strv_done(&p->readonly_paths);
        hr_strv_done(&p->readonly_globs);
        hr_strv_done(&p->sensitive_mounts);
        hr_strv_done(&p->sysctls.allowed);
        hr_strv_done(&p->annotations_strip);
        hr_strv_done(&p->namespaces);
        hr_strv_done(&p->devices);
        hr_strv_done(&p->lsm.selinux_types);
        hr_strv_done(&p->lsm.selinux_mount_types);
        hr_strv_done(&p->lsm.apparmor_profiles);
        free(p->lsm.mcs_categories);
        free(p->seccomp.profile);
        hr_json_free(p->seccomp.doc);
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

/* Keys of a level, the policy file and a rule that are not knobs. */
static const char *const level_keys[] = {"description", NULL};
static const char *const file_keys[] = {
    "description", "level", "mode", "runtime", "audit_file", "rules", "annotation_may_relax", NULL};
static const char *const rule_keys[] = {"name", "description", "match", "level", "mode", NULL};

static bool in_list(const char *const *list, const char *key)
{
        for (; *list; list++)
                if (strcmp(*list, key) == 0)
                        return true;
        return false;
}

/* Apply every member of doc (a level, the policy file or a rule) as a knob. */
static int apply_knobs(struct hr_policy *p, const struct hr_json *doc, const char *const *reserved,
                       struct hr_error *err)
{
        for (size_t i = 0; i < doc->u.obj.len; i++) {
                const struct hr_json_member *m = &doc->u.obj.members[i];
                const struct hr_knob *knob;
                int r;

                if (in_list(reserved, m->key))
                        continue;
                if (!(knob = hr_knob_find(m->key)))
                        r = hr_error_set(err, EINVAL, "unknown knob \"%s\" (see hardrun-policy(5))",
                                         m->key);
                else
                        r = knob->configure(p, m->value, err);
                if (r < 0)
                        return m->line ? hr_error_prefix(err, "line %u", m->line) : r;
        }
        return 0;
}

/* The level's index in levels[]: a lower index is stricter.  -1 when unknown. */
static int level_index(const char *name)
{
        for (size_t i = 0; name && i < HR_ARRAY_SIZE(levels); i++)
                if (strcmp(levels[i].name, name) == 0)
                        return (int)i;
        return -1;
}

static int check_level(const struct hr_json *v, const char *what, const char **out,
                       struct hr_error *err)
{
        const char *name = hr_json_string(v);

        if (!name)
                return hr_error_set(err, EINVAL, "%s must be a string naming a level", what);
        if (level_index(name) < 0)
                return hr_error_set(err, EINVAL,
                                    "%s: unknown level \"%s\" (levels: restricted, baseline)", what,
                                    name);
        *out = name;
        return 0;
}

static int load_level(struct hr_policy *p, const char *name, struct hr_error *err)
{
        int i = level_index(name);
        _cleanup_json_ struct hr_json *doc = NULL;
        int r;

        if (i < 0)
                return hr_error_set(err, EINVAL,
                                    "unknown level \"%s\" (levels: restricted, baseline)", name);
        if ((r = hr_json_parse(levels[i].text, strlen(levels[i].text), HR_JSON_ALLOW_COMMENTS, &doc,
                               err)) < 0 ||
            (r = apply_knobs(p, doc, level_keys, err)) < 0)
                return hr_error_prefix(err, "built-in level %s", name);
        return 0;
}

static int parse_mode(const struct hr_json *v, const char *what, enum hr_mode *out,
                      struct hr_error *err)
{
        const char *mode = hr_json_string(v);

        for (size_t i = 0; mode && i < HR_ARRAY_SIZE(mode_names); i++)
                if (strcmp(mode, mode_names[i]) == 0) {
                        *out = (enum hr_mode)i;
                        return 0;
                }
        return hr_error_set(err, EINVAL, "%s must be \"enforce\", \"refuse\" or \"audit\"", what);
}

/* Does the rule's match object fit this container?  Checked in full even without one. */
static int rule_matches(const struct hr_json *match, const struct hr_policy_ctx *ctx, bool *out,
                        struct hr_error *err)
{
        bool all = ctx != NULL;

        if (!match || match->type != HR_JSON_OBJECT || match->u.obj.len == 0)
                return hr_error_set(err, EINVAL,
                                    "match must be an object with id, bundle or annotations");
        for (size_t i = 0; i < match->u.obj.len; i++) {
                const char *key = match->u.obj.members[i].key;
                const struct hr_json *v = match->u.obj.members[i].value;
                const char *glob = hr_json_string(v);

                if (strcmp(key, "id") == 0 || strcmp(key, "bundle") == 0) {
                        const char *have = !ctx ? NULL : key[0] == 'i' ? ctx->id : ctx->bundle;

                        if (!glob)
                                return hr_error_set(err, EINVAL, "match.%s must be a glob string",
                                                    key);
                        all = all && have &&
                              fnmatch(glob, have, key[0] == 'b' ? FNM_PATHNAME : 0) == 0;
                } else if (strcmp(key, "annotations") == 0 && v->type == HR_JSON_OBJECT) {
                        for (size_t j = 0; j < v->u.obj.len; j++) {
                                const struct hr_json_member *a = &v->u.obj.members[j];
                                const char *have;

                                if (!(glob = hr_json_string(a->value)))
                                        return hr_error_set(err, EINVAL,
                                                            "match.annotations.%s must be a glob "
                                                            "string",
                                                            a->key);
                                have = ctx ? hr_json_string(hr_json_get(ctx->annotations, a->key))
                                           : NULL;
                                all = all && have && fnmatch(glob, have, 0) == 0;
                        }
                } else {
                        return hr_error_set(err, EINVAL,
                                            "match.%s: a rule matches on id, bundle or "
                                            "annotations (an object of globs)",
                                            key);
                }
        }
        *out = all;
        return 0;
}

/* Check a rule whole, knobs included, so that a broken rule fails closed for every container. */
static int check_rule(const struct hr_json *rule, const struct hr_policy_ctx *ctx, bool *matches,
                      struct hr_error *err)
{
        struct hr_policy scratch = {.host = &hr_host_real};
        const struct hr_json *v;
        const char *level;
        enum hr_mode mode;
        int r;

        if (rule->type != HR_JSON_OBJECT)
                return hr_error_set(err, EINVAL, "a rule must be an object");
        if (((v = hr_json_get(rule, "name")) && !hr_json_string(v)) ||
            ((v = hr_json_get(rule, "description")) && !hr_json_string(v)))
                return hr_error_set(err, EINVAL, "name and description must be strings");
        if ((r = rule_matches(hr_json_get(rule, "match"), ctx, matches, err)) < 0 ||
            ((v = hr_json_get(rule, "level")) && (r = check_level(v, "level", &level, err)) < 0) ||
            ((v = hr_json_get(rule, "mode")) && (r = parse_mode(v, "mode", &mode, err)) < 0))
                return r;
        r = apply_knobs(&scratch, rule, rule_keys, err);
        hr_policy_done(&scratch);
        return r;
}

/* The first rule that matches ctx (NULL when none); every rule is checked. */
static int find_rule(const struct hr_json *doc, const struct hr_policy_ctx *ctx,
                     const struct hr_json **out, size_t *index, struct hr_error *err)
{
        const struct hr_json *rules = hr_json_get(doc, "rules");

        *out = NULL;
        if (!rules)
                return 0;
        if (rules->type != HR_JSON_ARRAY)
                return hr_error_set(err, EINVAL, "rules must be a list of rules");
        for (size_t i = 0; i < rules->u.arr.len; i++) {
                bool match = false;
                int r;

                if ((r = check_rule(rules->u.arr.items[i], ctx, &match, err)) < 0)
                        return hr_error_prefix(err, "rules[%zu]", i);
                if (match && !*out) {
                        *out = rules->u.arr.items[i];
                        *index = i;
                }
        }
        return 0;
}

static int read_may_relax(struct hr_policy *p, const struct hr_json *doc, struct hr_error *err)
{
        const struct hr_json *v = hr_json_get(doc, "annotation_may_relax");
        int r;

        if (!v)
                return 0;
        if ((r = hr_policy_strv(v, "annotation_may_relax", &p->annotation_may_relax, err)) < 0)
                return r;
        for (size_t i = 0; i < p->annotation_may_relax.n; i++) {
                const char *k = p->annotation_may_relax.v[i];

                if (strcmp(k, "level") != 0 && !hr_knob_find(k))
                        return hr_error_set(err, EINVAL,
                                            "annotation_may_relax: \"%s\" is neither \"level\" "
                                            "nor a knob",
                                            k);
        }
        return 0;
}

static bool may_relax(const struct hr_policy *p, const char *what)
{
        for (size_t i = 0; i < p->annotation_may_relax.n; i++)
                if (strcmp(p->annotation_may_relax.v[i], what) == 0)
                        return true;
        return false;
}

/* io.hardrun.level: always to a stricter level, to a looser one only when allowed. */
static int annotation_level(const struct hr_policy *p, const struct hr_policy_ctx *ctx,
                            const char **level, struct hr_error *err)
{
        const struct hr_json *v = ctx ? hr_json_get(ctx->annotations, HR_ANNOTATION_LEVEL) : NULL;
        const char *want;
        int r;

        if (!v)
                return 0;
        if ((r = check_level(v, "annotation " HR_ANNOTATION_LEVEL, &want, err)) < 0)
                return r;
        if (level_index(want) > level_index(*level) && !may_relax(p, "level"))
                return hr_error_set(err, EPERM,
                                    "annotation " HR_ANNOTATION_LEVEL "=%s would relax level %s; "
                                    "annotations may only tighten unless the policy lists "
                                    "\"level\" in annotation_may_relax",
                                    want, *level);
        *level = want;
        return 0;
}

/* io.hardrun.KNOB=JSON: only for knobs that annotation_may_relax lists. */
static int annotation_knobs(struct hr_policy *p, const struct hr_policy_ctx *ctx,
                            struct hr_error *err)
{
        const struct hr_json *ann = ctx ? ctx->annotations : NULL;
        static const size_t plen = sizeof(HR_ANNOTATION_PREFIX) - 1;

        for (size_t i = 0; ann && ann->type == HR_JSON_OBJECT && i < ann->u.obj.len; i++) {
                const char *key = ann->u.obj.members[i].key;
                const char *text = hr_json_string(ann->u.obj.members[i].value);
                _cleanup_json_ struct hr_json *value = NULL;
                const struct hr_knob *knob;
                int r;

                if (strncmp(key, HR_ANNOTATION_PREFIX, plen) != 0 ||
                    strcmp(key, HR_ANNOTATION_LEVEL) == 0)
                        continue;
                if (!(knob = hr_knob_find(key + plen)))
                        return hr_error_set(err, EINVAL,
                                            "annotation %s names no knob (see hardrun-policy(5))",
                                            key);
                if (!may_relax(p, knob->name))
                        return hr_error_set(err, EPERM,
                                            "annotation %s may not change knob %s: the policy's "
                                            "annotation_may_relax does not list it",
                                            key, knob->name);
                if (!text || hr_json_parse(text, strlen(text), 0, &value, err) < 0 ||
                    (r = knob->configure(p, value, err)) < 0)
                        return hr_error_prefix(err, "annotation %s", key);
        }
        return 0;
}

static int resolve_file(struct hr_policy *p, const struct hr_json *doc,
                        const struct hr_policy_ctx *ctx, struct hr_error *err)
{
        const struct hr_json *audit = hr_json_get(doc, "audit_file");
        const struct hr_json *rule, *v;
        const char *level = HR_POLICY_DEFAULT_LEVEL;
        size_t index = 0;
        int r;

        if (((v = hr_json_get(doc, "level")) && (r = check_level(v, "level", &level, err)) < 0) ||
            ((v = hr_json_get(doc, "mode")) && (r = parse_mode(v, "mode", &p->mode, err)) < 0) ||
            (r = find_rule(doc, ctx, &rule, &index, err)) < 0 ||
            (r = read_may_relax(p, doc, err)) < 0)
                return r;
        if (rule) {
                const char *name = hr_json_string(hr_json_get(rule, "name"));

                if ((v = hr_json_get(rule, "level")))
                        level = hr_json_string(v);
                if ((v = hr_json_get(rule, "mode")))
                        (void)parse_mode(v, "mode", &p->mode, err);
                if ((name ? asprintf(&p->rule, "%s", name)
                          : asprintf(&p->rule, "rules[%zu]", index)) < 0)
                        return hr_error_set(err, ENOMEM, "out of memory");
        }
        if ((r = annotation_level(p, ctx, &level, err)) < 0)
                return r;
        free(p->level);
        if (!(p->level = strdup(level)))
                return hr_error_set(err, ENOMEM, "out of memory");
        if ((r = load_level(p, p->level, err)) < 0)
                return r;
        if (audit && ((r = hr_policy_string(audit, "audit_file", &p->audit_file, err)) < 0))
                return r;
        if (p->audit_file && p->audit_file[0] != '/')
                return hr_error_set(err, EINVAL, "audit_file must be an absolute path");
        if ((r = apply_knobs(p, doc, file_keys, err)) < 0 ||
            (rule && (r = apply_knobs(p, rule, rule_keys, err)) < 0))
                return r;
        return annotation_knobs(p, ctx, err);
}

/* Without a policy file: the default level, tightened by io.hardrun.level. */
static int resolve_builtin(struct hr_policy *p, const struct hr_policy_ctx *ctx,
                           struct hr_error *err)
{
        const char *level = p->level;
        int r;

        if ((r = annotation_level(p, ctx, &level, err)) < 0)
                return r;
        if (level != p->level) {
                free(p->level);
                if (!(p->level = strdup(level)))
                        return hr_error_set(err, ENOMEM, "out of memory");
        }
        if ((r = load_level(p, p->level, err)) < 0)
                return r;
        return annotation_knobs(p, ctx, err);
}

int hr_policy_resolve_for(const struct hr_policy_file *f, const struct hr_policy_ctx *ctx,
                          struct hr_policy *out, struct hr_error *err)
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
                r = f->doc ? resolve_file(&p, f->doc, ctx, err) : resolve_builtin(&p, ctx, err);
        if (r < 0) {
                hr_policy_done(&p);
                return f->path ? hr_error_prefix(err, "policy %s", f->path) : r;
        }
        *out = p;
        return 0;
}

int hr_policy_resolve(const struct hr_policy_file *f, struct hr_policy *out, struct hr_error *err)
{
        return hr_policy_resolve_for(f, NULL, out, err);
}
