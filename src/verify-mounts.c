/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * verify: the filesystem knobs (readonly_rootfs, masked_paths,
 * readonly_paths, mounts, sensitive_mounts) and devices.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "hr-cleanup.h"
#include "verify-internal.h"

/* runc does not expand globs in maskedPaths, so the policy asks the host. */

static int malformed(struct hr_vf *v, const char *knob, const char *path)
{
        return hr_vf_flag(v, knob, path, "not a list; the runtime cannot read it");
}

/* Is anything mounted at the clean path dest? */
static int mounted_at(const struct hr_json *mounts, const char *dest, bool *out,
                      struct hr_error *err)
{
        *out = false;
        for (size_t i = 0; mounts && i < mounts->u.arr.len && !*out; i++) {
                _cleanup_free_ char *d = NULL;
                int r;

                if ((r = hr_vf_mount_dest(mounts->u.arr.items[i], &d, err)) < 0)
                        return r;
                *out = d && strcmp(d, dest) == 0;
        }
        return 0;
}

/* ---- readonly_rootfs ------------------------------------------------------ */

static bool rootfs_enabled(const struct hr_policy *p)
{
        return p->readonly_rootfs.enabled;
}

static int check_rootfs(struct hr_vf *v)
{
        const struct hr_rootfs_policy *p = &v->policy->readonly_rootfs;
        const struct hr_json *ro = hr_vf_at(v->config, "root.readonly");
        bool bad;
        const struct hr_json *mounts = hr_vf_array(v->config, "mounts", &bad);
        int r;

        if (!(ro && ro->type == HR_JSON_BOOL && ro->u.boolean) &&
            (r = hr_vf_flag(v, "readonly_rootfs", "root.readonly",
                            "the root filesystem is writable; set root.readonly to true")) < 0)
                return r;
        if (bad)
                return malformed(v, "readonly_rootfs", "mounts");
        for (size_t i = 0; i < p->n_writable; i++) {
                _cleanup_free_ char *clean = hr_vf_clean(p->writable[i]), *path = NULL;
                bool present;

                if (!clean)
                        return hr_error_set(v->err, ENOMEM, "out of memory");
                if ((r = mounted_at(mounts, clean, &present, v->err)) < 0)
                        return r;
                if (present)
                        continue;
                if (asprintf(&path, "mounts[destination=%s]", clean) < 0)
                        return hr_error_set(v->err, ENOMEM, "out of memory");
                if ((r = hr_vf_flag(v, "readonly_rootfs", path,
                                    "nothing is mounted on %s, which apps write at run time; "
                                    "mount a tmpfs there",
                                    clean)) < 0)
                        return r;
        }
        return 0;
}

/* ---- masked_paths and readonly_paths -------------------------------------- */

/* Does the list at key hold path (both compared clean)? */
static int listed(const struct hr_json *list, const char *path, bool *out, struct hr_error *err)
{
        *out = false;
        for (size_t i = 0; list && i < list->u.arr.len && !*out; i++) {
                const char *s = hr_vf_string(list->u.arr.items[i]);
                _cleanup_free_ char *clean = NULL;

                if (!s)
                        continue;
                if (!(clean = hr_vf_clean(s)))
                        return hr_error_set(err, ENOMEM, "out of memory");
                *out = strcmp(clean, path) == 0;
        }
        return 0;
}

static int check_listed(struct hr_vf *v, const char *knob, const char *key,
                        const struct hr_strv *want, const char *what)
{
        bool bad;
        const struct hr_json *list = hr_vf_array(v->config, key, &bad);
        int r;

        if (bad)
                return malformed(v, knob, key);
        for (size_t i = 0; i < want->n; i++) {
                _cleanup_free_ char *clean = hr_vf_clean(want->v[i]);
                bool present;

                if (!clean)
                        return hr_error_set(v->err, ENOMEM, "out of memory");
                if ((r = listed(list, clean, &present, v->err)) < 0)
                        return r;
                if (!present && (r = hr_vf_flag(v, knob, key, "%s is not %s; add it to %s", clean,
                                                what, key)) < 0)
                        return r;
        }
        return 0;
}

/* Every path the host has for each of the policy's patterns must be listed too. */
static int check_globbed(struct hr_vf *v, const char *knob, const char *key,
                         const struct hr_strv *globs, const char *what)
{
        const struct hr_host *h = v->policy->host;

        for (size_t i = 0; i < globs->n; i++) {
                struct hr_strv found = {0};
                int r = h && h->glob ? h->glob(globs->v[i], &found) : -ENOSYS;

                if (r == -ENOMEM)
                        return hr_error_set(v->err, ENOMEM, "out of memory");
                if (r < 0)
                        return hr_vf_flag(v, knob, key, "cannot list %s on the host: %s",
                                          globs->v[i], strerror(-r));
                r = check_listed(v, knob, key, &found, what);
                hr_strv_done(&found);
                if (r < 0)
                        return r;
        }
        return 0;
}

static bool masked_enabled(const struct hr_policy *p)
{
        return p->masked_paths.n > 0 || p->masked_globs.n > 0;
}

static int check_masked(struct hr_vf *v)
{
        int r;

        if ((r = check_listed(v, "masked_paths", "linux.maskedPaths", &v->policy->masked_paths,
                              "masked")) < 0)
                return r;
        return check_globbed(v, "masked_paths", "linux.maskedPaths", &v->policy->masked_globs,
                             "masked");
}

static bool readonly_enabled(const struct hr_policy *p)
{
        return p->readonly_paths.n > 0 || p->readonly_globs.n > 0;
}

static int check_readonly(struct hr_vf *v)
{
        int r;

        if ((r = check_listed(v, "readonly_paths", "linux.readonlyPaths",
                              &v->policy->readonly_paths, "read-only")) < 0)
                return r;
        return check_globbed(v, "readonly_paths", "linux.readonlyPaths", &v->policy->readonly_globs,
                             "read-only");
}

/* ---- mounts --------------------------------------------------------------- */

static bool mounts_enabled(const struct hr_policy *p)
{
        return p->mounts.bind_nosuid_nodev || p->mounts.readonly_sys ||
               p->mounts.private_propagation;
}

/* sysfs or a cgroup filesystem, or a bind mount over /sys or /sys/fs/cgroup. */
static bool is_sys(const struct hr_json *m, const char *dest)
{
        static const char *const types[] = {"sysfs", "cgroup", "cgroup2"};
        const char *type = hr_vf_string(hr_vf_get(m, "type"));

        for (size_t i = 0; type && i < HR_ARRAY_SIZE(types); i++)
                if (strcmp(type, types[i]) == 0)
                        return true;
        return dest && hr_vf_is_bind(m) &&
               (strcmp(dest, "/sys") == 0 || strcmp(dest, "/sys/fs/cgroup") == 0);
}

static int check_mount(struct hr_vf *v, const struct hr_json *m, size_t i)
{
        const struct hr_mounts_policy *p = &v->policy->mounts;
        _cleanup_free_ char *name = NULL, *dest = NULL;
        bool suid, dev;
        int r;

        if ((r = hr_vf_mount_name(m, i, &name, v->err)) < 0 ||
            (r = hr_vf_mount_dest(m, &dest, v->err)) < 0)
                return r;
        suid = hr_vf_mount_flag(m, "suid", "nosuid", true);
        dev = hr_vf_mount_flag(m, "dev", "nodev", true);
        if (p->bind_nosuid_nodev && hr_vf_is_bind(m) && (suid || dev) &&
            (r = hr_vf_flag(v, "mounts", name, "the bind mount allows %s; add %s to its options",
                            suid && dev ? "setuid files and devices"
                            : suid      ? "setuid files"
                                        : "devices",
                            suid && dev ? "nosuid,nodev"
                            : suid      ? "nosuid"
                                        : "nodev")) < 0)
                return r;
        if (p->readonly_sys && is_sys(m, dest) && hr_vf_mount_flag(m, "rw", "ro", true))
                return hr_vf_flag(v, "mounts", name,
                                  "%s is mounted read-write; add ro to its options",
                                  dest ? dest : "sysfs");
        return 0;
}

static int check_mounts(struct hr_vf *v)
{
        bool bad;
        const struct hr_json *mounts = hr_vf_array(v->config, "mounts", &bad);
        const char *prop = hr_vf_string(hr_vf_at(v->config, "linux.rootfsPropagation"));
        int r;

        if (bad)
                return malformed(v, "mounts", "mounts");
        for (size_t i = 0; mounts && i < mounts->u.arr.len; i++)
                if ((r = check_mount(v, mounts->u.arr.items[i], i)) < 0)
                        return r;
        if (!v->policy->mounts.private_propagation ||
            (prop && (strcmp(prop, "private") == 0 || strcmp(prop, "rprivate") == 0)))
                return 0;
        return hr_vf_flag(v, "mounts", "linux.rootfsPropagation",
                          "the root's mount propagation is %s%s%s; set it to private",
                          prop ? "\"" : "", prop ? prop : "not private (runc makes it rslave)",
                          prop ? "\"" : "");
}

/* ---- sensitive_mounts ----------------------------------------------------- */

static bool sensitive_enabled(const struct hr_policy *p)
{
        return p->sensitive_mounts.n > 0;
}

/* Into *hit, the sensitive path that src is or lies above, or NULL. */
static int exposes(const struct hr_strv *sensitive, const char *src, const char **hit,
                   struct hr_error *err)
{
        *hit = NULL;
        for (size_t i = 0; src && i < sensitive->n && !*hit; i++) {
                _cleanup_free_ char *clean = hr_vf_clean(sensitive->v[i]);

                if (!clean)
                        return hr_error_set(err, ENOMEM, "out of memory");
                if (hr_vf_covers(src, clean))
                        *hit = sensitive->v[i];
        }
        return 0;
}

static int check_bind_source(struct hr_vf *v, const struct hr_json *m, size_t i)
{
        const struct hr_host *h = v->policy->host;
        const char *src = hr_vf_string(hr_vf_get(m, "source")), *hit;
        _cleanup_free_ char *clean = NULL, *real = NULL, *name = NULL;
        int r;

        if (!src || src[0] != '/')
                return 0; /* relative to the bundle */
        if (!(clean = hr_vf_clean(src)))
                return hr_error_set(v->err, ENOMEM, "out of memory");
        if (h && h->realpath && (r = h->realpath(clean, &real)) < 0) {
                if (r == -ENOMEM)
                        return hr_error_set(v->err, ENOMEM, "out of memory");
                real = NULL; /* a missing source fails to mount */
        }
        if ((r = exposes(&v->policy->sensitive_mounts, clean, &hit, v->err)) < 0 ||
            (!hit && (r = exposes(&v->policy->sensitive_mounts, real, &hit, v->err)) < 0))
                return r;
        if (!hit)
                return 0;
        if ((r = hr_vf_mount_name(m, i, &name, v->err)) < 0)
                return r;
        return hr_vf_flag(v, "sensitive_mounts", name,
                          "bind mount of %s%s%s%s into the container exposes the host's %s; "
                          "remove the mount or exempt this container with a rule",
                          clean, real && strcmp(real, clean) != 0 ? " (" : "",
                          real && strcmp(real, clean) != 0 ? real : "",
                          real && strcmp(real, clean) != 0 ? ")" : "", hit);
}

static int check_sensitive(struct hr_vf *v)
{
        bool bad;
        const struct hr_json *mounts = hr_vf_array(v->config, "mounts", &bad);
        int r;

        if (bad)
                return malformed(v, "sensitive_mounts", "mounts");
        for (size_t i = 0; mounts && i < mounts->u.arr.len; i++)
                if (hr_vf_is_bind(mounts->u.arr.items[i]) &&
                    (r = check_bind_source(v, mounts->u.arr.items[i], i)) < 0)
                        return r;
        return 0;
}

/* ---- devices -------------------------------------------------------------- */

static bool devices_enabled(const struct hr_policy *p)
{
        return p->devices.n > 0;
}

static bool device_allowed(const struct hr_strv *allowed, const char *path)
{
        for (size_t i = 0; i < allowed->n; i++)
                if (fnmatch(allowed->v[i], path, FNM_PATHNAME) == 0)
                        return true;
        return false;
}

static int check_device(struct hr_vf *v, const struct hr_json *dev, size_t i)
{
        const char *path = hr_vf_string(hr_vf_get(dev, "path"));
        _cleanup_free_ char *clean = NULL, *name = NULL;

        if (!path) {
                if (asprintf(&name, "linux.devices[%zu]", i) < 0)
                        return hr_error_set(v->err, ENOMEM, "out of memory");
                return hr_vf_flag(v, "devices", name, "the device has no path");
        }
        if (!(clean = hr_vf_clean(path)) || asprintf(&name, "linux.devices[path=%s]", clean) < 0)
                return hr_error_set(v->err, ENOMEM, "out of memory");
        if (device_allowed(&v->policy->devices, clean))
                return 0;
        return hr_vf_flag(v, "devices", name,
                          "the host device %s is not allowed in a container (--privileged "
                          "adds every host device, and is refused); remove it",
                          clean);
}

/* A wildcard: absent, null or -1. */
static bool any_number(const struct hr_json *n)
{
        int64_t x;

        return !n || n->type == HR_JSON_NULL || (hr_vf_int(n, &x) && x == -1);
}

static bool allows_all(const struct hr_json *rule)
{
        const struct hr_json *allow = hr_vf_get(rule, "allow");
        const char *type = hr_vf_string(hr_vf_get(rule, "type"));

        return allow && allow->type == HR_JSON_BOOL && allow->u.boolean &&
               (!type || !*type || strcmp(type, "a") == 0) &&
               any_number(hr_vf_get(rule, "major")) && any_number(hr_vf_get(rule, "minor"));
}

static int check_devices(struct hr_vf *v)
{
        bool bad_devs, bad_rules;
        const struct hr_json *devs = hr_vf_array(v->config, "linux.devices", &bad_devs);
        const struct hr_json *rules = hr_vf_array(v->config, "linux.resources.devices", &bad_rules);
        int r;

        if (bad_devs && (r = malformed(v, "devices", "linux.devices")) < 0)
                return r;
        if (bad_rules && (r = malformed(v, "devices", "linux.resources.devices")) < 0)
                return r;
        for (size_t i = 0; devs && i < devs->u.arr.len; i++)
                if ((r = check_device(v, devs->u.arr.items[i], i)) < 0)
                        return r;
        for (size_t i = 0; rules && i < rules->u.arr.len; i++) {
                _cleanup_free_ char *name = NULL;

                if (!allows_all(rules->u.arr.items[i]))
                        continue;
                if (asprintf(&name, "linux.resources.devices[%zu]", i) < 0)
                        return hr_error_set(v->err, ENOMEM, "out of memory");
                if ((r = hr_vf_flag(v, "devices", name,
                                    "the device cgroup allows every device, as --privileged "
                                    "does; remove the rule")) < 0)
                        return r;
        }
        return 0;
}

const struct hr_vf_knob hr_vf_readonly_rootfs = {"readonly_rootfs", rootfs_enabled, check_rootfs};
const struct hr_vf_knob hr_vf_masked_paths = {"masked_paths", masked_enabled, check_masked};
const struct hr_vf_knob hr_vf_readonly_paths = {"readonly_paths", readonly_enabled, check_readonly};
const struct hr_vf_knob hr_vf_mounts = {"mounts", mounts_enabled, check_mounts};
const struct hr_vf_knob hr_vf_sensitive_mounts = {"sensitive_mounts", sensitive_enabled,
                                                  check_sensitive};
const struct hr_vf_knob hr_vf_devices = {"devices", devices_enabled, check_devices};
