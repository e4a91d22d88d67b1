/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Knob mounts: what the runtime mounts cannot be used to gain privilege.
 *
 * - Every bind mount gets nosuid and nodev ("suid" and "dev" go): a setuid
 *   binary or a device node in a host directory is inert in the container.
 *   runc and crun apply those flags to the top mount only, so with
 *   bind_recursive a bind mount also gets rnosuid and rnodev (mount_setattr,
 *   Linux 5.12), which reach the submounts that an rbind brings along.
 * - Every sysfs and cgroup mount, and whatever is mounted at /sys or
 *   /sys/fs/cgroup, is read-only ("rw" goes).
 * - linux.rootfsPropagation is "rprivate".  Not "private": runc applies
 *   the value to / alone, so with "private" every other mount copied from
 *   the host keeps its peer group, and a bind mount of a shared host mount
 *   stays shared with the host in both directions (worse than runc's
 *   default, rslave).  Only the recursive form cuts the container off from
 *   host mount events and the host off from the container's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "harden.h"
#include "hr-cleanup.h"

#define KNOB        "mounts"
#define PROPAGATION "rprivate"

static const struct sub {
        const char *name;
        size_t offset;
} subs[] = {
    {"bind_nosuid_nodev", offsetof(struct hr_mounts_policy, bind_nosuid_nodev)},
    {"bind_recursive", offsetof(struct hr_mounts_policy, bind_recursive)},
    {"readonly_sys", offsetof(struct hr_mounts_policy, readonly_sys)},
    {"private_propagation", offsetof(struct hr_mounts_policy, private_propagation)},
};

static int configure(struct hr_policy *policy, const struct hr_json *value, struct hr_error *err)
{
        struct hr_mounts_policy *p = &policy->mounts;
        char name[64];
        bool all;
        int r;

        if (value->type == HR_JSON_BOOL) {
                if ((r = hr_policy_bool(value, KNOB, &all, err)) < 0)
                        return r;
                for (size_t i = 0; i < HR_ARRAY_SIZE(subs); i++)
                        *(bool *)((char *)p + subs[i].offset) = all;
                return 0;
        }
        if (value->type != HR_JSON_OBJECT)
                return hr_error_set(err, EINVAL, "knob " KNOB " must be a boolean or an object");
        for (size_t i = 0; i < value->u.obj.len; i++) {
                const struct hr_json_member *m = &value->u.obj.members[i];
                size_t j = 0;

                while (j < HR_ARRAY_SIZE(subs) && strcmp(subs[j].name, m->key) != 0)
                        j++;
                if (j == HR_ARRAY_SIZE(subs))
                        return hr_error_set(err, EINVAL, "unknown knob " KNOB ".%s", m->key);
                snprintf(name, sizeof(name), KNOB ".%s", subs[j].name);
                if ((r = hr_policy_bool(m->value, name, (bool *)((char *)p + subs[j].offset),
                                        err)) < 0)
                        return r;
        }
        return 0;
}

/* The options a rule takes away and the ones it makes sure of, NULL-terminated. */
struct rule {
        const char *const *drop;
        const char *const *add;
};

static const char *const bind_drop[] = {"suid", "dev", NULL};
static const char *const bind_add[] = {"nosuid", "nodev", NULL};
static const char *const rbind_drop[] = {"rsuid", "rdev", NULL};
static const char *const rbind_add[] = {"rnosuid", "rnodev", NULL};
static const char *const ro_drop[] = {"rw", "rrw", NULL};
static const char *const ro_add[] = {"ro", NULL};

static const char *const ro_types[] = {"sysfs", "cgroup", "cgroup2"};
static const char *const ro_destinations[] = {"/sys", "/sys/fs/cgroup"};

static bool in_list(const char *const *list, const char *s)
{
        for (; *list; list++)
                if (strcmp(*list, s) == 0)
                        return true;
        return false;
}

static bool needs_ro(const struct hr_cfg_mount *m)
{
        for (size_t i = 0; m->type && i < HR_ARRAY_SIZE(ro_types); i++)
                if (strcmp(m->type, ro_types[i]) == 0)
                        return true;
        for (size_t i = 0; i < HR_ARRAY_SIZE(ro_destinations); i++)
                if (strcmp(m->dest_clean, ro_destinations[i]) == 0)
                        return true;
        return false;
}

static bool dropped(const struct rule *rules, size_t n, const char *opt)
{
        for (size_t i = 0; i < n; i++)
                if (in_list(rules[i].drop, opt))
                        return true;
        return false;
}

/* The options with the rules applied: kept ones in order, then the additions. */
static struct hr_json *new_options(const struct hr_json *options, const struct rule *rules,
                                   size_t n)
{
        _cleanup_json_ struct hr_json *out = hr_json_new_array();

        if (!out)
                return NULL;
        for (size_t i = 0; options && i < options->u.arr.len; i++) {
                const char *o = options->u.arr.items[i]->u.str.text;

                if (!dropped(rules, n, o) && hr_json_append(out, hr_json_new_string(o)) < 0)
                        return NULL;
        }
        for (size_t i = 0; i < n; i++)
                for (const char *const *a = rules[i].add; *a; a++)
                        if (!hr_cfg_has_option(out, *a) &&
                            hr_json_append(out, hr_json_new_string(*a)) < 0)
                                return NULL;
        return TAKE_PTR(out);
}

static int fix_mount(struct hr_cfg_mount *m, const struct hr_mounts_policy *p,
                     struct hr_report *report, struct hr_error *err)
{
        _cleanup_json_ struct hr_json *after = NULL;
        _cleanup_free_ char *path = NULL;
        struct rule rules[3];
        size_t n = 0;
        int r;

        if (m->bind && p->bind_nosuid_nodev) {
                rules[n++] = (struct rule){bind_drop, bind_add};
                if (p->bind_recursive)
                        rules[n++] = (struct rule){rbind_drop, rbind_add};
        }
        if (p->readonly_sys && needs_ro(m))
                rules[n++] = (struct rule){ro_drop, ro_add};
        if (n == 0)
                return 0;
        if (!(after = new_options(m->options, rules, n)))
                return hr_error_set(err, ENOMEM, "out of memory");
        if (m->options && hr_json_equal(m->options, after))
                return 0;
        if (asprintf(&path, "mounts[destination=%s].options", m->destination) < 0)
                return hr_error_set(err, ENOMEM, "out of memory");
        if ((r = hr_report_change(report, KNOB, path, m->options, after, err)) < 0)
                return r;
        return hr_json_set(m->node, "options", TAKE_PTR(after)) < 0
                   ? hr_error_set(err, ENOMEM, "out of memory")
                   : 0;
}

static int fix_propagation(struct hr_json *config, struct hr_report *report, struct hr_error *err)
{
        _cleanup_json_ struct hr_json *after = hr_json_new_string(PROPAGATION);
        const char *cur;
        struct hr_json *lx;
        int r;

        if (!after)
                return hr_error_set(err, ENOMEM, "out of memory");
        if ((r = hr_cfg_object_create(config, "linux", "linux", &lx, err)) < 0 ||
            (r = hr_cfg_string(lx, "rootfsPropagation", "linux.rootfsPropagation", &cur, err)) < 0)
                return r;
        if (cur && strcmp(cur, PROPAGATION) == 0)
                return 0;
        if ((r = hr_report_change(report, KNOB, "linux.rootfsPropagation",
                                  hr_json_get(lx, "rootfsPropagation"), after, err)) < 0)
                return r;
        return hr_json_set(lx, "rootfsPropagation", TAKE_PTR(after)) < 0
                   ? hr_error_set(err, ENOMEM, "out of memory")
                   : 0;
}

static int apply(struct hr_json *config, const struct hr_policy *policy, struct hr_report *report,
                 struct hr_error *err)
{
        const struct hr_mounts_policy *p = &policy->mounts;
        struct hr_json *mounts;
        int r;

        if ((r = hr_cfg_array(config, "mounts", "mounts", &mounts, err)) < 0)
                return r;
        for (size_t i = 0; mounts && i < mounts->u.arr.len; i++) {
                struct hr_cfg_mount m;

                if ((r = hr_cfg_mount(mounts, i, &m, err)) < 0)
                        return r;
                r = fix_mount(&m, p, report, err);
                hr_cfg_mount_done(&m);
                if (r < 0)
                        return r;
        }
        return p->private_propagation ? fix_propagation(config, report, err) : 0;
}

const struct hr_knob hr_knob_mounts = {
    .name = KNOB,
    .configure = configure,
    .apply = apply,
};
