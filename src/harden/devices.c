/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Knob devices: the container gets no host device beyond the allowed list
 * (null, zero, full, random, urandom, tty, console, ptmx and pts), and no
 * device cgroup rule that lets it use every device.  Refused, not fixed:
 * taking a device away changes what the container is.
 *
 * - A linux.devices entry whose path (cleaned) matches no allowed glob is
 *   refused.  An allowed path must also have its standard type and numbers
 *   where Linux fixes them (/dev/null is c 1:3): a node called /dev/null
 *   with the numbers of a disk is no /dev/null.
 * - A linux.resources.devices rule that allows type "a" (or no type: the
 *   kernel then allows everything, whatever the numbers), or every char or
 *   block device for reading or writing, is refused.  Docker's default
 *   "c *:* m" and "b *:* m" (mknod only) pass.
 * - docker run --privileged (privileged: true in a pod) asks for exactly
 *   that: every host device and an allow-all rule.  The message says so.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "harden.h"
#include "hr-cleanup.h"
#include "util.h"

#define KNOB         "devices"
#define DEV_MAX      0xffffffffLL
#define LIST_DEVICES 3 /* devices named in the --privileged message */

/* Devices whose numbers Linux fixes (Documentation/admin-guide/devices.txt). */
static const struct standard {
        const char *glob;
        char type;
        int64_t major_lo, major_hi, minor; /* minor -1: any */
} standard[] = {
    {"/dev/console", 'c', 5, 5, 1},     {"/dev/full", 'c', 1, 1, 7},
    {"/dev/fuse", 'c', 10, 10, 229},    {"/dev/kvm", 'c', 10, 10, 232},
    {"/dev/net/tun", 'c', 10, 10, 200}, {"/dev/null", 'c', 1, 1, 3},
    {"/dev/ptmx", 'c', 5, 5, 2},        {"/dev/pts/*", 'c', 136, 143, -1},
    {"/dev/random", 'c', 1, 1, 8},      {"/dev/tty", 'c', 5, 5, 0},
    {"/dev/urandom", 'c', 1, 1, 9},     {"/dev/zero", 'c', 1, 1, 5},
};

static int set_allowed(struct hr_policy *policy, const struct hr_json *value, struct hr_error *err)
{
        struct hr_strv s = {0};
        int r;

        if ((r = hr_policy_strv(value, KNOB ".allowed", &s, err)) < 0)
                return r;
        for (size_t i = 0; i < s.n; i++)
                if (s.v[i][0] != '/') {
                        r = hr_error_set(err, EINVAL,
                                         "knob " KNOB ".allowed: \"%s\" is not an absolute path "
                                         "or glob",
                                         s.v[i]);
                        hr_strv_done(&s);
                        return r;
                }
        hr_strv_done(&policy->devices);
        policy->devices = s;
        policy->devices_enabled = true;
        return 0;
}

/* A list (the allowed globs), a boolean, or {"enabled": ..., "allowed": [...]}. */
static int configure(struct hr_policy *policy, const struct hr_json *value, struct hr_error *err)
{
        int r = 0;

        if (value->type == HR_JSON_BOOL)
                return hr_policy_bool(value, KNOB, &policy->devices_enabled, err);
        if (value->type != HR_JSON_OBJECT)
                return set_allowed(policy, value, err);
        for (size_t i = 0; i < value->u.obj.len && r == 0; i++) {
                const char *key = value->u.obj.members[i].key;
                const struct hr_json *v = value->u.obj.members[i].value;

                if (strcmp(key, "allowed") == 0)
                        r = set_allowed(policy, v, err);
                else if (strcmp(key, "enabled") != 0)
                        r = hr_error_set(err, EINVAL, "unknown knob " KNOB ".%s", key);
        }
        /* "enabled" last, so that {"enabled": false, "allowed": [...]} stays off */
        for (size_t i = 0; i < value->u.obj.len && r == 0; i++)
                if (strcmp(value->u.obj.members[i].key, "enabled") == 0)
                        r = hr_policy_bool(value->u.obj.members[i].value, KNOB ".enabled",
                                           &policy->devices_enabled, err);
        return r;
}

static bool allowed(const struct hr_policy *policy, const char *path)
{
        for (size_t i = 0; i < policy->devices.n; i++)
                if (fnmatch(policy->devices.v[i], path, FNM_PATHNAME) == 0)
                        return true;
        return false;
}

/* "c 1:3", with * for a wildcard number, into buf. */
static const char *numbers(char *buf, size_t size, const char *type, int64_t major, int64_t minor)
{
        char ma[24] = "*", mi[24] = "*";

        if (major >= 0)
                snprintf(ma, sizeof(ma), "%lld", (long long)major);
        if (minor >= 0)
                snprintf(mi, sizeof(mi), "%lld", (long long)minor);
        snprintf(buf, size, "%s %s:%s", type, ma, mi);
        return buf;
}

struct device {
        const char *path_raw;
        char *path; /* clean */
        const char *type;
        int64_t major, minor;
};

static int read_device(const struct hr_json *devs, size_t i, struct device *out,
                       struct hr_error *err)
{
        const struct hr_json *d = devs->u.arr.items[i];
        struct device dev = {0};
        char where[48], key[64];
        int r;

        snprintf(where, sizeof(where), "linux.devices[%zu]", i);
        if (d->type != HR_JSON_OBJECT)
                return hr_error_set(err, EINVAL, "%s must be an object, not %s", where,
                                    hr_json_type_name(d->type));
        snprintf(key, sizeof(key), "%s.path", where);
        if ((r = hr_cfg_string(d, "path", key, &dev.path_raw, err)) < 0)
                return r;
        if (!dev.path_raw || !*dev.path_raw)
                return hr_error_set(err, EINVAL, "%s has no path", where);
        snprintf(key, sizeof(key), "%s.type", where);
        if ((r = hr_cfg_string(d, "type", key, &dev.type, err)) < 0)
                return r;
        snprintf(key, sizeof(key), "%s.major", where);
        if ((r = hr_cfg_int(d, "major", key, DEV_MAX, &dev.major, err)) < 0)
                return r;
        snprintf(key, sizeof(key), "%s.minor", where);
        if ((r = hr_cfg_int(d, "minor", key, DEV_MAX, &dev.minor, err)) < 0)
                return r;
        if (hr_path_clean(dev.path_raw, &dev.path) < 0)
                return hr_error_set(err, ENOMEM, "out of memory");
        *out = dev;
        return 0;
}

/* An allowed path with the numbers of another device is refused. */
static int check_standard(const struct device *dev, struct hr_report *report, struct hr_error *err)
{
        _cleanup_free_ char *where = NULL;
        char got[64], want[64], wtype[2];

        for (size_t i = 0; i < HR_ARRAY_SIZE(standard); i++) {
                const struct standard *s = &standard[i];
                bool is_char = dev->type && (!strcmp(dev->type, "c") || !strcmp(dev->type, "u"));

                if (fnmatch(s->glob, dev->path, FNM_PATHNAME) != 0)
                        continue;
                if (is_char && dev->major >= s->major_lo && dev->major <= s->major_hi &&
                    (s->minor < 0 ? dev->minor >= 0 : dev->minor == s->minor))
                        return 0;
                if (asprintf(&where, "linux.devices[path=%s]", dev->path) < 0)
                        return hr_error_set(err, ENOMEM, "out of memory");
                wtype[0] = s->type;
                wtype[1] = '\0';
                numbers(want, sizeof(want), wtype, s->major_lo, s->minor);
                if (s->major_hi != s->major_lo)
                        snprintf(want, sizeof(want), "%s %lld-%lld:*", wtype,
                                 (long long)s->major_lo, (long long)s->major_hi);
                return hr_report_violation(
                    report, err, KNOB, where,
                    "the device %s in the container is %s, but %s is %s: a device node may not "
                    "pose as another; fix its type and numbers, or remove it",
                    dev->path,
                    numbers(got, sizeof(got), dev->type ? dev->type : "?", dev->major, dev->minor),
                    dev->path, want);
        }
        return 0;
}

/* The paths of the devices that are not allowed, for the --privileged message. */
struct refused {
        char names[256];
        size_t n;
};

static void note_refused(struct refused *rf, const struct device *dev)
{
        if (rf->n < LIST_DEVICES)
                snprintf(rf->names + strlen(rf->names), sizeof(rf->names) - strlen(rf->names),
                         "%s%s", rf->n ? ", " : "", dev->path);
        rf->n++;
}

static int check_devices(const struct hr_json *devs, const struct hr_policy *policy,
                         bool privileged, struct refused *rf, struct hr_report *report,
                         struct hr_error *err)
{
        int r = 0;

        for (size_t i = 0; devs && i < devs->u.arr.len && r == 0; i++) {
                _cleanup_free_ char *where = NULL;
                struct device dev = {0};
                char nums[64];

                if ((r = read_device(devs, i, &dev, err)) < 0)
                        return r;
                if (allowed(policy, dev.path)) {
                        r = check_standard(&dev, report, err);
                } else if (privileged) {
                        note_refused(rf, &dev);
                } else if (asprintf(&where, "linux.devices[path=%s]", dev.path) < 0) {
                        r = hr_error_set(err, ENOMEM, "out of memory");
                } else {
                        r = hr_report_violation(
                            report, err, KNOB, where,
                            "the container asks for the host device %s (%s), which the policy "
                            "does not allow; remove it (docker run --device, a device plugin), "
                            "or add its path to knob devices",
                            dev.path,
                            numbers(nums, sizeof(nums), dev.type ? dev.type : "?", dev.major,
                                    dev.minor));
                }
                free(dev.path);
        }
        return r;
}

struct rule {
        bool allow;
        const char *type, *access;
        int64_t major, minor;
};

static int read_rule(const struct hr_json *rules, size_t i, struct rule *out, struct hr_error *err)
{
        const struct hr_json *d = rules->u.arr.items[i];
        struct rule rule = {0};
        struct hr_json *allow;
        char where[64], key[80];
        int r;

        snprintf(where, sizeof(where), "linux.resources.devices[%zu]", i);
        if (d->type != HR_JSON_OBJECT)
                return hr_error_set(err, EINVAL, "%s must be an object, not %s", where,
                                    hr_json_type_name(d->type));
        snprintf(key, sizeof(key), "%s.allow", where);
        if ((r = hr_harden_get(d, "allow", key, &allow, err)) < 0)
                return r;
        if (allow && allow->type != HR_JSON_BOOL && allow->type != HR_JSON_NULL)
                return hr_error_set(err, EINVAL, "%s must be a boolean, not %s", key,
                                    hr_json_type_name(allow->type));
        rule.allow = allow && allow->type == HR_JSON_BOOL && allow->u.boolean;
        snprintf(key, sizeof(key), "%s.type", where);
        if ((r = hr_cfg_string(d, "type", key, &rule.type, err)) < 0)
                return r;
        snprintf(key, sizeof(key), "%s.access", where);
        if ((r = hr_cfg_string(d, "access", key, &rule.access, err)) < 0)
                return r;
        snprintf(key, sizeof(key), "%s.major", where);
        if ((r = hr_cfg_int(d, "major", key, DEV_MAX, &rule.major, err)) < 0)
                return r;
        snprintf(key, sizeof(key), "%s.minor", where);
        if ((r = hr_cfg_int(d, "minor", key, DEV_MAX, &rule.minor, err)) < 0)
                return r;
        if (!rule.type || !*rule.type)
                rule.type = "a";
        if (!rule.access || !*rule.access)
                rule.access = "rwm";
        *out = rule;
        return 0;
}

/* Does the rule let the container use every device (of a type)? */
static bool allows_all(const struct rule *rule)
{
        bool any_dev = (!strcmp(rule->type, "c") || !strcmp(rule->type, "b")) && rule->major < 0 &&
                       rule->minor < 0;

        if (!rule->allow)
                return false;
        return strcmp(rule->type, "a") == 0 ||
               (any_dev && (strchr(rule->access, 'r') || strchr(rule->access, 'w')));
}

/* The first allow-all rule in linux.resources.devices: *idx is its index, or -1. */
static int find_allow_all(const struct hr_json *rules, int *idx, struct rule *found,
                          struct hr_error *err)
{
        *idx = -1;
        for (size_t i = 0; rules && i < rules->u.arr.len; i++) {
                struct rule rule = {0};
                int r;

                if ((r = read_rule(rules, i, &rule, err)) < 0)
                        return r;
                if (allows_all(&rule)) {
                        *found = rule;
                        *idx = (int)i;
                        return 0;
                }
        }
        return 0;
}

static int refuse_allow_all(int idx, const struct rule *rule, const struct refused *rf,
                            struct hr_report *report, struct hr_error *err)
{
        char where[64], nums[64], more[48] = "";
        const char *kind = !strcmp(rule->type, "c")   ? "character "
                           : !strcmp(rule->type, "b") ? "block "
                                                      : "";

        if (rf->n > LIST_DEVICES)
                snprintf(more, sizeof(more), " and %zu more", rf->n - LIST_DEVICES);
        if (rf->n > 0)
                return hr_report_violation(
                    report, err, KNOB, "linux.devices",
                    "the container asks for every host device, as docker run --privileged "
                    "(privileged: true in a pod) does (%s%s); privileged containers are not "
                    "allowed: drop --privileged and add only the devices you need with --device",
                    rf->names, more);
        snprintf(where, sizeof(where), "linux.resources.devices[%d]", idx);
        return hr_report_violation(
            report, err, KNOB, where,
            "the device cgroup rule \"%s %s\" lets the container use every %sdevice, as docker "
            "run --privileged does; privileged containers are not allowed: remove the rule "
            "(--device-cgroup-rule) and allow only the devices the container needs",
            numbers(nums, sizeof(nums), rule->type, rule->major, rule->minor), rule->access, kind);
}

static int apply(struct hr_json *config, const struct hr_policy *policy, struct hr_report *report,
                 struct hr_error *err)
{
        struct hr_json *lx, *devs, *res, *rules = NULL;
        struct refused rf = {0};
        struct rule rule = {0};
        int idx = -1, r;

        if (!policy->devices_enabled)
                return 0;
        if ((r = hr_cfg_object(config, "linux", "linux", &lx, err)) < 0 ||
            (r = hr_cfg_array(lx, "devices", "linux.devices", &devs, err)) < 0 ||
            (r = hr_cfg_object(lx, "resources", "linux.resources", &res, err)) < 0 ||
            (r = hr_cfg_array(res, "devices", "linux.resources.devices", &rules, err)) < 0)
                return r;
        if ((r = find_allow_all(rules, &idx, &rule, err)) < 0 ||
            (r = check_devices(devs, policy, idx >= 0, &rf, report, err)) < 0)
                return r;
        return idx >= 0 ? refuse_allow_all(idx, &rule, &rf, report, err) : 0;
}

const struct hr_knob hr_knob_devices = {
    .name = KNOB,
    .configure = configure,
    .apply = apply,
};
