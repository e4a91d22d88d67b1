/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "harden.h"
#include "hr-cleanup.h"
#include "util.h"

/* In the order they run: a knob may depend on what an earlier one decided. */
static const struct hr_knob *const knobs[] = {
    &hr_knob_capabilities,
    &hr_knob_user, /* empties what capabilities kept when it remaps root */
    &hr_knob_no_new_privileges,
    &hr_knob_readonly_rootfs,
    &hr_knob_masked_paths,
    &hr_knob_readonly_paths,
    &hr_knob_mounts,
    &hr_knob_sensitive_mounts,
    &hr_knob_namespaces,
    &hr_knob_sysctls, /* after namespaces: it adds sysctls only in a private netns */
    &hr_knob_limits,
    &hr_knob_annotations,
    &hr_knob_devices,
    &hr_knob_lsm,
    &hr_knob_seccomp,
};

const struct hr_knob *hr_knob_find(const char *name)
{
        for (size_t i = 0; i < HR_ARRAY_SIZE(knobs); i++)
                if (strcmp(knobs[i]->name, name) == 0)
                        return knobs[i];
        return NULL;
}

int hr_harden(struct hr_json *config, const struct hr_policy *policy, struct hr_report *report,
              struct hr_error *err)
{
        if (!config || config->type != HR_JSON_OBJECT)
                return hr_error_set(err, EINVAL, "the config is not a JSON object");
        for (size_t i = 0; i < HR_ARRAY_SIZE(knobs); i++) {
                int r = knobs[i]->apply(config, policy, report, err);

                if (r < 0)
                        return hr_error_prefix(err, "knob %s", knobs[i]->name);
        }
        return 0;
}

/* Does key match the ASCII field name as Go's encoding/json folds it? */
static bool go_fold_equal(const char *key, const char *name)
{
        for (; *name; name++) {
                char c = (char)tolower((unsigned char)*name);

                if ((unsigned char)*key < 0x80) {
                        if (tolower((unsigned char)*key) != c)
                                return false;
                        key++;
                } else if (c == 's' && strncmp(key, "\xc5\xbf", 2) == 0) {
                        key += 2; /* U+017F LATIN SMALL LETTER LONG S */
                } else if (c == 'k' && strncmp(key, "\xe2\x84\xaa", 3) == 0) {
                        key += 3; /* U+212A KELVIN SIGN */
                } else {
                        return false;
                }
        }
        return *key == '\0';
}

int hr_harden_get(const struct hr_json *parent, const char *key, const char *path,
                  struct hr_json **out, struct hr_error *err)
{
        struct hr_json *found = NULL;

        if (!parent || parent->type != HR_JSON_OBJECT) {
                *out = NULL;
                return 0;
        }
        for (size_t i = 0; i < parent->u.obj.len; i++) {
                const struct hr_json_member *m = &parent->u.obj.members[i];

                if (strcmp(m->key, key) == 0)
                        found = m->value;
                else if (go_fold_equal(m->key, key))
                        return hr_error_set(err, EINVAL,
                                            "%s: the key \"%s\" is read by runc as \"%s\"; "
                                            "refusing a config the runtime could read "
                                            "differently from hardrun",
                                            path, m->key, key);
        }
        *out = found;
        return 0;
}

int hr_harden_int(const struct hr_json *obj, const char *key, const char *path, bool *present,
                  int64_t *out, struct hr_error *err)
{
        struct hr_json *v;
        int r;

        if ((r = hr_harden_get(obj, key, path, &v, err)) < 0)
                return r;
        *present = v && v->type != HR_JSON_NULL;
        *out = 0;
        if (!*present)
                return 0;
        if (v->type != HR_JSON_NUMBER || hr_parse_int(v->u.str.text, out) < 0)
                return hr_error_set(err, EINVAL, "%s must be a 64-bit integer", path);
        return 0;
}

int hr_harden_require_object(struct hr_json *parent, const char *key, const char *path,
                             struct hr_json **out, struct hr_error *err)
{
        struct hr_json *v;
        int r;

        if ((r = hr_harden_get(parent, key, path, &v, err)) < 0)
                return r;
        if (!v)
                return hr_error_set(err, EINVAL, "the config has no %s", path);
        if (v->type != HR_JSON_OBJECT)
                return hr_error_set(err, EINVAL, "%s must be an object, not %s", path,
                                    hr_json_type_name(v->type));
        *out = v;
        return 0;
}

int hr_harden_array(struct hr_json *parent, const char *key, const char *path, struct hr_json **out,
                    struct hr_error *err)
{
        struct hr_json *v;
        int r;

        if ((r = hr_harden_get(parent, key, path, &v, err)) < 0)
                return r;
        if (v && v->type == HR_JSON_NULL) {
                hr_json_remove(parent, key);
                v = NULL;
        }
        if (!v) {
                if (hr_json_set(parent, key, hr_json_new_array()) < 0)
                        return hr_error_set(err, ENOMEM, "out of memory");
                v = hr_json_get(parent, key);
        }
        if (v->type != HR_JSON_ARRAY)
                return hr_error_set(err, EINVAL, "%s must be an array, not %s", path,
                                    hr_json_type_name(v->type));
        *out = v;
        return 0;
}

int hr_harden_object(struct hr_json *parent, const char *key, const char *path, bool create,
                     struct hr_json **out, struct hr_error *err)
{
        struct hr_json *v;
        int r;

        if ((r = hr_harden_get(parent, key, path, &v, err)) < 0)
                return r;
        if (v && v->type != HR_JSON_NULL && v->type != HR_JSON_OBJECT)
                return hr_error_set(err, EINVAL, "%s must be an object, not %s", path,
                                    hr_json_type_name(v->type));
        if ((!v || v->type == HR_JSON_NULL) && create) {
                if (!parent || parent->type != HR_JSON_OBJECT)
                        return hr_error_set(err, EINVAL, "%s: its parent is not an object", path);
                if (hr_json_set(parent, key, hr_json_new_object()) < 0)
                        return hr_error_set(err, ENOMEM, "out of memory");
                v = hr_json_get(parent, key);
        }
        *out = v && v->type == HR_JSON_OBJECT ? v : NULL;
        return 0;
}

int hr_harden_bool(struct hr_json *obj, const char *key, bool want, const char *knob,
                   const char *path, struct hr_report *report, struct hr_error *err)
{
        _cleanup_json_ struct hr_json *after = hr_json_new_bool(want);
        struct hr_json *cur;
        int r;

        if ((r = hr_harden_get(obj, key, path, &cur, err)) < 0)
                return r;
        if (!after)
                return hr_error_set(err, ENOMEM, "out of memory");
        if (cur && cur->type == HR_JSON_BOOL && cur->u.boolean == want)
                return 0;
        if ((r = hr_report_change(report, knob, path, cur, after, err)) < 0)
                return r;
        return hr_json_set(obj, key, TAKE_PTR(after)) < 0
                   ? hr_error_set(err, ENOMEM, "out of memory")
                   : 0;
}
