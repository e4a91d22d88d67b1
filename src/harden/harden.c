/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>

#include "harden.h"
#include "hr-cleanup.h"

/* In the order they run: a knob may depend on what an earlier one decided. */
static const struct hr_knob *const knobs[] = {
    &hr_knob_no_new_privileges,
    &hr_knob_readonly_rootfs,
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

int hr_harden_require_object(struct hr_json *parent, const char *key, const char *path,
                             struct hr_json **out, struct hr_error *err)
{
        struct hr_json *v = hr_json_get(parent, key);

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
        struct hr_json *v = hr_json_get(parent, key);

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

int hr_harden_bool(struct hr_json *obj, const char *key, bool want, const char *knob,
                   const char *path, struct hr_report *report, struct hr_error *err)
{
        const struct hr_json *cur = hr_json_get(obj, key);
        _cleanup_json_ struct hr_json *after = hr_json_new_bool(want);
        int r;

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
