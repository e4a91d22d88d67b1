/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Knob capabilities: every set of process.capabilities is intersected with
 * the allowed set, and the ambient and inheritable sets are emptied.  Names
 * are normalised through libcap-ng ("chown", "CAP_CHOWN" and "cap_chown" are
 * one capability, written back as CAP_CHOWN); a name libcap-ng does not
 * know is an error, in the policy and in the config alike, since runc would
 * refuse it too.
 *
 * A process without a capabilities object keeps every capability of the
 * runtime (runc and crun change nothing then), so hardrun gives it the
 * allowed set explicitly.  A set missing from the object is empty to the
 * runtime and stays missing.
 */
#include <cap-ng.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "caps.h"
#include "harden.h"
#include "hr-cleanup.h"

#define KNOB "capabilities"

static const struct cap_set {
        const char *key;
        bool emptied; /* always empty, whatever the allowed set */
} sets[] = {
    {"bounding", false},   {"effective", false}, {"permitted", false},
    {"inheritable", true}, {"ambient", true},
};

int hr_cap_from_name(const char *name)
{
        int cap;

        if (strncasecmp(name, "CAP_", 4) == 0)
                name += 4;
        if (!*name || strchr(name, ',') || (cap = capng_name_to_capability(name)) < 0 || cap >= 64)
                return -EINVAL;
        return cap;
}

int hr_cap_name(int cap, char *buf, size_t size)
{
        const char *n = capng_capability_to_name((unsigned)cap);
        size_t i;

        if (!n || size < 5)
                return -EINVAL;
        snprintf(buf, size, "CAP_%s", n);
        for (i = 4; buf[i]; i++)
                buf[i] = (char)toupper((unsigned char)buf[i]);
        return 0;
}

static int configure(struct hr_policy *policy, const struct hr_json *value, struct hr_error *err)
{
        const struct hr_json *allowed = NULL;
        uint64_t mask = 0;

        if (value->type != HR_JSON_OBJECT)
                return hr_error_set(err, EINVAL, "knob " KNOB " must be an object");
        for (size_t i = 0; i < value->u.obj.len; i++) {
                if (strcmp(value->u.obj.members[i].key, "allowed") != 0)
                        return hr_error_set(err, EINVAL, "unknown knob " KNOB ".%s",
                                            value->u.obj.members[i].key);
                allowed = value->u.obj.members[i].value;
        }
        if (!allowed)
                return 0;
        if (allowed->type != HR_JSON_ARRAY)
                return hr_error_set(err, EINVAL, "knob " KNOB ".allowed must be a list of names");
        for (size_t i = 0; i < allowed->u.arr.len; i++) {
                const char *name = hr_json_string(allowed->u.arr.items[i]);
                int cap = name ? hr_cap_from_name(name) : -EINVAL;

                if (cap < 0)
                        return hr_error_set(err, EINVAL,
                                            "knob " KNOB ".allowed: %s%s%s is not a capability "
                                            "this libcap-ng knows",
                                            name ? "\"" : "", name ? name : "an entry",
                                            name ? "\"" : "");
                mask |= UINT64_C(1) << cap;
        }
        policy->capabilities.allowed = mask;
        return 0;
}

/* The names in list that keep, in their order, canonical and without repeats. */
static int intersect(const struct hr_json *list, const char *path, uint64_t keep,
                     struct hr_json **out, struct hr_error *err)
{
        _cleanup_json_ struct hr_json *res = hr_json_new_array();
        uint64_t seen = 0;

        if (!res)
                return hr_error_set(err, ENOMEM, "out of memory");
        if (list->type != HR_JSON_ARRAY)
                return hr_error_set(err, EINVAL, "%s must be an array of capability names", path);
        for (size_t i = 0; i < list->u.arr.len; i++) {
                const char *name = hr_json_string(list->u.arr.items[i]);
                int cap = name ? hr_cap_from_name(name) : -EINVAL;
                char canon[64];

                if (cap < 0)
                        return hr_error_set(err, EINVAL, "%s[%zu]: %s%s%s is not a capability name",
                                            path, i, name ? "\"" : "", name ? name : "not a string",
                                            name ? "\"" : "");
                if (!(keep & (UINT64_C(1) << cap)) || (seen & (UINT64_C(1) << cap)))
                        continue;
                seen |= UINT64_C(1) << cap;
                if (hr_cap_name(cap, canon, sizeof(canon)) < 0 ||
                    hr_json_append(res, hr_json_new_string(canon)) < 0)
                        return hr_error_set(err, ENOMEM, "out of memory");
        }
        *out = TAKE_PTR(res);
        return 0;
}

static int allowed_list(uint64_t mask, struct hr_json **out, struct hr_error *err)
{
        _cleanup_json_ struct hr_json *res = hr_json_new_array();

        if (!res)
                return hr_error_set(err, ENOMEM, "out of memory");
        for (int cap = 0; cap < 64; cap++) {
                char canon[64];

                if (!(mask & (UINT64_C(1) << cap)))
                        continue;
                if (hr_cap_name(cap, canon, sizeof(canon)) < 0 ||
                    hr_json_append(res, hr_json_new_string(canon)) < 0)
                        return hr_error_set(err, ENOMEM, "out of memory");
        }
        *out = TAKE_PTR(res);
        return 0;
}

/* A process with no capabilities object: give it the allowed set, explicitly. */
static int add_caps(struct hr_json *process, uint64_t allowed, struct hr_report *report,
                    struct hr_error *err)
{
        _cleanup_json_ struct hr_json *caps = hr_json_new_object();
        int r;

        if (!caps)
                return hr_error_set(err, ENOMEM, "out of memory");
        for (size_t i = 0; i < HR_ARRAY_SIZE(sets); i++) {
                struct hr_json *list = NULL;

                if ((r = allowed_list(sets[i].emptied ? 0 : allowed, &list, err)) < 0)
                        return r;
                if (hr_json_set(caps, sets[i].key, list) < 0)
                        return hr_error_set(err, ENOMEM, "out of memory");
        }
        if ((r = hr_report_change(report, KNOB, "process.capabilities", NULL, caps, err)) < 0)
                return r;
        return hr_json_set(process, "capabilities", TAKE_PTR(caps)) < 0
                   ? hr_error_set(err, ENOMEM, "out of memory")
                   : 0;
}

static int apply(struct hr_json *config, const struct hr_policy *policy, struct hr_report *report,
                 struct hr_error *err)
{
        uint64_t allowed = policy->capabilities.allowed;
        struct hr_json *process, *caps;
        int r;

        if ((r = hr_harden_require_object(config, "process", "process", &process, err)) < 0 ||
            (r = hr_harden_get(process, "capabilities", "process.capabilities", &caps, err)) < 0)
                return r;
        if (!caps || caps->type == HR_JSON_NULL)
                return add_caps(process, allowed, report, err);
        if (caps->type != HR_JSON_OBJECT)
                return hr_error_set(err, EINVAL, "process.capabilities must be an object");
        for (size_t i = 0; i < HR_ARRAY_SIZE(sets); i++) {
                _cleanup_json_ struct hr_json *after = NULL;
                char path[64];
                struct hr_json *list = NULL;

                snprintf(path, sizeof(path), "process.capabilities.%s", sets[i].key);
                if ((r = hr_harden_get(caps, sets[i].key, path, &list, err)) < 0)
                        return r;
                if (!list || list->type == HR_JSON_NULL)
                        continue;
                if ((r = intersect(list, path, sets[i].emptied ? 0 : allowed, &after, err)) < 0)
                        return r;
                if (hr_json_equal(list, after))
                        continue;
                if ((r = hr_report_change(report, KNOB, path, list, after, err)) < 0)
                        return r;
                if (hr_json_set(caps, sets[i].key, TAKE_PTR(after)) < 0)
                        return hr_error_set(err, ENOMEM, "out of memory");
        }
        return 0;
}

const struct hr_knob hr_knob_capabilities = {
    .name = KNOB,
    .configure = configure,
    .apply = apply,
};
