/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static int to_text(const struct hr_json *node, char **out, struct hr_error *err)
{
        size_t len;

        *out = NULL;
        return node ? hr_json_write(node, 0, out, &len, err) : 0;
}

int hr_report_change(struct hr_report *r, const char *knob, const char *path,
                     const struct hr_json *before, const struct hr_json *after,
                     struct hr_error *err)
{
        struct hr_change c = {0}, *grown;
        int ret;

        if ((ret = to_text(before, &c.before, err)) < 0 ||
            (ret = to_text(after, &c.after, err)) < 0)
                goto fail;
        if (!(c.knob = strdup(knob)) || !(c.path = strdup(path)) ||
            !(grown = realloc(r->changes, (r->n_changes + 1) * sizeof(*grown)))) {
                ret = hr_error_set(err, ENOMEM, "out of memory");
                goto fail;
        }
        r->changes = grown;
        r->changes[r->n_changes++] = c;
        return 0;
fail:
        free(c.knob);
        free(c.path);
        free(c.before);
        free(c.after);
        return ret;
}

int hr_report_violation(struct hr_report *r, struct hr_error *err, const char *knob,
                        const char *path, const char *fmt, ...)
{
        struct hr_violation v = {0}, *grown;
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = vasprintf(&v.message, fmt, ap);
        va_end(ap);
        if (n < 0)
                v.message = NULL;
        if (!v.message || !(v.knob = strdup(knob)) || !(v.path = strdup(path)) ||
            !(grown = realloc(r->violations, (r->n_violations + 1) * sizeof(*grown)))) {
                free(v.message);
                free(v.knob);
                free(v.path);
                return hr_error_set(err, ENOMEM, "out of memory");
        }
        r->violations = grown;
        r->violations[r->n_violations++] = v;
        return 0;
}

static int add_string(struct hr_json *obj, const char *key, const char *value)
{
        return hr_json_set(obj, key, value ? hr_json_new_string(value) : hr_json_new_null());
}

/* A compact JSON text from the report goes back in as a value, not as a string. */
static int add_value(struct hr_json *obj, const char *key, const char *text, struct hr_error *err)
{
        struct hr_json *v = NULL;
        int r;

        if (!text)
                return 0;
        if ((r = hr_json_parse(text, strlen(text), 0, &v, err)) < 0)
                return r;
        return hr_json_set(obj, key, v);
}

int hr_report_to_json(const struct hr_report *r, struct hr_json **out, struct hr_error *err)
{
        _cleanup_json_ struct hr_json *root = hr_json_new_object();
        struct hr_json *changes = hr_json_new_array(), *violations = hr_json_new_array();
        int ret = 0;

        if (!root || !changes || !violations || hr_json_set(root, "changes", changes) < 0 ||
            hr_json_set(root, "violations", violations) < 0) {
                if (!root) {
                        hr_json_free(changes);
                        hr_json_free(violations);
                }
                return hr_error_set(err, ENOMEM, "out of memory");
        }
        for (size_t i = 0; i < r->n_changes && ret == 0; i++) {
                const struct hr_change *c = &r->changes[i];
                struct hr_json *o = hr_json_new_object();

                if (hr_json_append(changes, o) < 0 || add_string(o, "knob", c->knob) < 0 ||
                    add_string(o, "path", c->path) < 0)
                        ret = hr_error_set(err, ENOMEM, "out of memory");
                else if ((ret = add_value(o, "before", c->before, err)) == 0)
                        ret = add_value(o, "after", c->after, err);
        }
        for (size_t i = 0; i < r->n_violations && ret == 0; i++) {
                const struct hr_violation *v = &r->violations[i];
                struct hr_json *o = hr_json_new_object();

                if (hr_json_append(violations, o) < 0 || add_string(o, "knob", v->knob) < 0 ||
                    add_string(o, "path", v->path) < 0 || add_string(o, "message", v->message) < 0)
                        ret = hr_error_set(err, ENOMEM, "out of memory");
        }
        if (ret < 0)
                return ret;
        *out = TAKE_PTR(root);
        return 0;
}

void hr_report_done(struct hr_report *r)
{
        for (size_t i = 0; i < r->n_changes; i++) {
                free(r->changes[i].knob);
                free(r->changes[i].path);
                free(r->changes[i].before);
                free(r->changes[i].after);
        }
        for (size_t i = 0; i < r->n_violations; i++) {
                free(r->violations[i].knob);
                free(r->violations[i].path);
                free(r->violations[i].message);
        }
        free(r->changes);
        free(r->violations);
        *r = (struct hr_report){0};
}
