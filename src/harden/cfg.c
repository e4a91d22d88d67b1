/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "hr-cleanup.h"
#include "util.h"

/* parent.key, with null read as absent, and a type check when present. */
static int get_typed(const struct hr_json *parent, const char *key, const char *path,
                     enum hr_json_type type, struct hr_json **out, struct hr_error *err)
{
        struct hr_json *v;
        int r;

        if ((r = hr_harden_get(parent, key, path, &v, err)) < 0)
                return r;
        if (v && v->type == HR_JSON_NULL)
                v = NULL;
        if (v && v->type != type)
                return hr_error_set(err, EINVAL, "%s must be %s %s, not %s", path,
                                    type == HR_JSON_ARRAY || type == HR_JSON_OBJECT ? "an" : "a",
                                    hr_json_type_name(type), hr_json_type_name(v->type));
        *out = v;
        return 0;
}

static int check_string(const struct hr_json *v, const char *path, struct hr_error *err)
{
        if (strlen(v->u.str.text) != v->u.str.len)
                return hr_error_set(err, EINVAL, "%s holds a NUL character", path);
        return 0;
}

int hr_cfg_string(const struct hr_json *parent, const char *key, const char *path, const char **out,
                  struct hr_error *err)
{
        struct hr_json *v;
        int r;

        if ((r = get_typed(parent, key, path, HR_JSON_STRING, &v, err)) < 0 ||
            (v && (r = check_string(v, path, err)) < 0))
                return r;
        *out = v ? v->u.str.text : NULL;
        return 0;
}

int hr_cfg_array(const struct hr_json *parent, const char *key, const char *path,
                 struct hr_json **out, struct hr_error *err)
{
        return get_typed(parent, key, path, HR_JSON_ARRAY, out, err);
}

int hr_cfg_object(const struct hr_json *parent, const char *key, const char *path,
                  struct hr_json **out, struct hr_error *err)
{
        return get_typed(parent, key, path, HR_JSON_OBJECT, out, err);
}

int hr_cfg_object_create(struct hr_json *parent, const char *key, const char *path,
                         struct hr_json **out, struct hr_error *err)
{
        struct hr_json *v;
        int r;

        if ((r = hr_cfg_object(parent, key, path, &v, err)) < 0)
                return r;
        if (!v) {
                if (hr_json_set(parent, key, hr_json_new_object()) < 0)
                        return hr_error_set(err, ENOMEM, "out of memory");
                v = hr_json_get(parent, key);
        }
        *out = v;
        return 0;
}

int hr_cfg_int(const struct hr_json *parent, const char *key, const char *path, int64_t max,
               int64_t *out, struct hr_error *err)
{
        struct hr_json *v;
        uint64_t n;
        int r;

        if ((r = get_typed(parent, key, path, HR_JSON_NUMBER, &v, err)) < 0)
                return r;
        if (!v || strcmp(v->u.str.text, "-1") == 0) {
                *out = -1;
                return 0;
        }
        if (hr_parse_uint(v->u.str.text, 0, (uint64_t)max, &n, NULL) < 0)
                return hr_error_set(err, EINVAL, "%s is %s, not an integer from -1 to %lld", path,
                                    v->u.str.text, (long long)max);
        *out = (int64_t)n;
        return 0;
}

void hr_cfg_mount_done(struct hr_cfg_mount *m)
{
        free(m->dest_clean);
        *m = (struct hr_cfg_mount){0};
}

bool hr_cfg_has_option(const struct hr_json *options, const char *opt)
{
        for (size_t i = 0; options && i < options->u.arr.len; i++)
                if (strcmp(options->u.arr.items[i]->u.str.text, opt) == 0)
                        return true;
        return false;
}

static int read_options(struct hr_cfg_mount *m, const char *path, struct hr_error *err)
{
        char opath[96];
        int r;

        snprintf(opath, sizeof(opath), "%s.options", path);
        if ((r = hr_cfg_array(m->node, "options", opath, &m->options, err)) < 0)
                return r;
        for (size_t i = 0; m->options && i < m->options->u.arr.len; i++) {
                const struct hr_json *o = m->options->u.arr.items[i];

                if (o->type != HR_JSON_STRING)
                        return hr_error_set(err, EINVAL, "%s[%zu] must be a string, not %s", opath,
                                            i, hr_json_type_name(o->type));
                if ((r = check_string(o, opath, err)) < 0)
                        return r;
        }
        return 0;
}

int hr_cfg_mount(const struct hr_json *mounts, size_t i, struct hr_cfg_mount *out,
                 struct hr_error *err)
{
        struct hr_cfg_mount m = {.node = mounts->u.arr.items[i]};
        char path[64], key[80];
        int r;

        snprintf(path, sizeof(path), "mounts[%zu]", i);
        if (m.node->type != HR_JSON_OBJECT)
                return hr_error_set(err, EINVAL, "%s must be an object, not %s", path,
                                    hr_json_type_name(m.node->type));
        snprintf(key, sizeof(key), "%s.destination", path);
        if ((r = hr_cfg_string(m.node, "destination", key, &m.destination, err)) < 0)
                return r;
        if (!m.destination || !*m.destination)
                return hr_error_set(err, EINVAL, "%s has no destination", path);
        snprintf(key, sizeof(key), "%s.type", path);
        if ((r = hr_cfg_string(m.node, "type", key, &m.type, err)) < 0)
                return r;
        snprintf(key, sizeof(key), "%s.source", path);
        if ((r = hr_cfg_string(m.node, "source", key, &m.source, err)) < 0 ||
            (r = read_options(&m, path, err)) < 0)
                return r;
        m.bind = hr_cfg_has_option(m.options, "rbind") || hr_cfg_has_option(m.options, "bind") ||
                 (m.type && strcmp(m.type, "bind") == 0);
        if (hr_path_clean(m.destination, &m.dest_clean) < 0)
                return hr_error_set(err, ENOMEM, "out of memory");
        *out = m;
        return 0;
}
