/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Knob user: a process that would run as uid 0 runs as fallback_user
 * instead, without root's supplementary groups and without the
 * capabilities root was given: setuid(2) away from root drops them too.
 * It runs after the capabilities knob, which has checked every name.
 *
 * Not when the level allows root, and not when a user namespace maps
 * container root to a host uid other than 0: root in there is already an
 * unprivileged user on the host.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harden.h"
#include "hr-cleanup.h"
#include "util.h"

#define KNOB "user"

static int set_fallback(struct hr_user_policy *p, const struct hr_json *value, struct hr_error *err)
{
        const char *s = hr_json_string(value);
        _cleanup_free_ char *copy = NULL;
        uint64_t uid, gid;
        char *colon;

        if (!s || !(copy = strdup(s)))
                return hr_error_set(err, s ? ENOMEM : EINVAL,
                                    "knob " KNOB ".fallback_user must be a string \"UID:GID\"");
        colon = strchr(copy, ':');
        if (colon)
                *colon = '\0';
        if (!colon || hr_parse_uint(copy, 1, UINT32_MAX - 1, &uid, NULL) < 0 ||
            hr_parse_uint(colon + 1, 1, UINT32_MAX - 1, &gid, NULL) < 0)
                return hr_error_set(err, EINVAL,
                                    "knob " KNOB ".fallback_user: \"%s\" is not \"UID:GID\" with "
                                    "both numeric and non-zero",
                                    s);
        p->uid = (uint32_t)uid;
        p->gid = (uint32_t)gid;
        return 0;
}

static int configure(struct hr_policy *policy, const struct hr_json *value, struct hr_error *err)
{
        struct hr_user_policy *p = &policy->user;
        int r = 0;

        if (value->type != HR_JSON_OBJECT)
                return hr_error_set(err, EINVAL, "knob " KNOB " must be an object");
        for (size_t i = 0; i < value->u.obj.len && r == 0; i++) {
                const char *key = value->u.obj.members[i].key;
                const struct hr_json *v = value->u.obj.members[i].value;

                if (strcmp(key, "allow_root") == 0)
                        r = hr_policy_bool(v, KNOB ".allow_root", &p->allow_root, err);
                else if (strcmp(key, "fallback_user") == 0)
                        r = set_fallback(p, v, err);
                else
                        r = hr_error_set(err, EINVAL, "unknown knob " KNOB ".%s", key);
        }
        return r;
}

/* A JSON number as a uint32; absent is def. */
static int get_id(const struct hr_json *obj, const char *key, const char *path, uint64_t def,
                  uint64_t *out, struct hr_error *err)
{
        struct hr_json *v;
        int r;

        if ((r = hr_harden_get(obj, key, path, &v, err)) < 0)
                return r;
        if (!v) {
                *out = def;
                return 0;
        }
        if (v->type != HR_JSON_NUMBER || hr_parse_uint(v->u.str.text, 0, UINT32_MAX, out, NULL) < 0)
                return hr_error_set(err, EINVAL, "%s is not a valid id", path);
        return 0;
}

/* Does a private user namespace map container uid 0 to a host uid other than 0? */
static int root_is_mapped(const struct hr_json *config, bool *out, struct hr_error *err)
{
        struct hr_json *linux_, *nss, *maps;
        bool userns = false;
        int r;

        *out = false;
        if ((r = hr_harden_get(config, "linux", "linux", &linux_, err)) < 0 ||
            (r = hr_harden_get(linux_, "namespaces", "linux.namespaces", &nss, err)) < 0 ||
            (r = hr_harden_get(linux_, "uidMappings", "linux.uidMappings", &maps, err)) < 0)
                return r;
        for (size_t i = 0; nss && nss->type == HR_JSON_ARRAY && i < nss->u.arr.len; i++) {
                const struct hr_json *ns = nss->u.arr.items[i];
                const char *type = hr_json_string(hr_json_get(ns, "type"));

                /* Joining a namespace by path: its mappings are not in the config. */
                if (type && strcmp(type, "user") == 0 && !hr_json_get(ns, "path"))
                        userns = true;
        }
        if (!userns || !maps || maps->type != HR_JSON_ARRAY)
                return 0;
        for (size_t i = 0; i < maps->u.arr.len; i++) {
                const struct hr_json *m = maps->u.arr.items[i];
                uint64_t cid, hid, size;

                if ((r = get_id(m, "containerID", "linux.uidMappings[].containerID", UINT64_MAX,
                                &cid, err)) < 0 ||
                    (r = get_id(m, "hostID", "linux.uidMappings[].hostID", UINT64_MAX, &hid, err)) <
                        0 ||
                    (r = get_id(m, "size", "linux.uidMappings[].size", 0, &size, err)) < 0)
                        return r;
                if (cid == 0 && size > 0) {
                        *out = hid != 0 && hid != UINT64_MAX;
                        return 0;
                }
        }
        return 0;
}

static int set_id(struct hr_json *user, const char *key, const char *path, uint32_t want,
                  struct hr_report *report, struct hr_error *err)
{
        _cleanup_json_ struct hr_json *after = NULL;
        char text[16];
        int r;

        snprintf(text, sizeof(text), "%u", want);
        if (!(after = hr_json_new_number(text)))
                return hr_error_set(err, ENOMEM, "out of memory");
        if (hr_json_equal(hr_json_get(user, key), after))
                return 0;
        if ((r = hr_report_change(report, KNOB, path, hr_json_get(user, key), after, err)) < 0)
                return r;
        return hr_json_set(user, key, TAKE_PTR(after)) < 0
                   ? hr_error_set(err, ENOMEM, "out of memory")
                   : 0;
}

/* Root's capabilities go with root: every set is emptied. */
static int drop_caps(struct hr_json *process, struct hr_report *report, struct hr_error *err)
{
        static const char *const sets[] = {"bounding", "effective", "permitted", "inheritable",
                                           "ambient"};
        _cleanup_json_ struct hr_json *after = hr_json_new_object();
        struct hr_json *caps;
        int r;

        if ((r = hr_harden_get(process, "capabilities", "process.capabilities", &caps, err)) < 0)
                return r;
        if (!after)
                return hr_error_set(err, ENOMEM, "out of memory");
        if (caps && caps->type != HR_JSON_OBJECT && caps->type != HR_JSON_NULL)
                return hr_error_set(err, EINVAL, "process.capabilities must be an object");
        for (size_t i = 0; i < HR_ARRAY_SIZE(sets); i++)
                if (hr_json_set(after, sets[i], hr_json_new_array()) < 0)
                        return hr_error_set(err, ENOMEM, "out of memory");
        /* Keep keys hardrun does not know, in their place. */
        for (size_t i = 0; caps && caps->type == HR_JSON_OBJECT && i < caps->u.obj.len; i++) {
                const struct hr_json_member *m = &caps->u.obj.members[i];

                if (!hr_json_get(after, m->key) &&
                    hr_json_set(after, m->key, hr_json_copy(m->value)) < 0)
                        return hr_error_set(err, ENOMEM, "out of memory");
        }
        if (caps && hr_json_equal(caps, after))
                return 0;
        if ((r = hr_report_change(report, KNOB, "process.capabilities", caps, after, err)) < 0)
                return r;
        return hr_json_set(process, "capabilities", TAKE_PTR(after)) < 0
                   ? hr_error_set(err, ENOMEM, "out of memory")
                   : 0;
}

static int apply(struct hr_json *config, const struct hr_policy *policy, struct hr_report *report,
                 struct hr_error *err)
{
        const struct hr_user_policy *p = &policy->user;
        struct hr_json *process, *user, *groups;
        uint64_t uid;
        bool mapped;
        int r;

        if (p->allow_root)
                return 0;
        if ((r = hr_harden_require_object(config, "process", "process", &process, err)) < 0 ||
            (r = hr_harden_get(process, "user", "process.user", &user, err)) < 0)
                return r;
        if (user && user->type != HR_JSON_OBJECT)
                return hr_error_set(err, EINVAL, "process.user must be an object");
        if ((r = get_id(user, "uid", "process.user.uid", 0, &uid, err)) < 0 ||
            (r = root_is_mapped(config, &mapped, err)) < 0)
                return r;
        if (uid != 0 || mapped)
                return 0;
        if (!user) {
                if (hr_json_set(process, "user", hr_json_new_object()) < 0)
                        return hr_error_set(err, ENOMEM, "out of memory");
                user = hr_json_get(process, "user");
        }
        if ((r = hr_harden_get(user, "additionalGids", "process.user.additionalGids", &groups,
                               err)) < 0 ||
            (r = set_id(user, "uid", "process.user.uid", p->uid, report, err)) < 0 ||
            (r = set_id(user, "gid", "process.user.gid", p->gid, report, err)) < 0)
                return r;
        if (groups) {
                if ((r = hr_report_change(report, KNOB, "process.user.additionalGids", groups, NULL,
                                          err)) < 0)
                        return r;
                hr_json_remove(user, "additionalGids");
        }
        return drop_caps(process, report, err);
}

const struct hr_knob hr_knob_user = {
    .name = KNOB,
    .configure = configure,
    .apply = apply,
};
