/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Knob readonly_rootfs: root.readonly is true, and every path apps write at
 * run time gets a tmpfs unless the config already mounts something there.
 * The tmpfs is nosuid,nodev with a size cap and tmpcopyup, so that what the
 * image keeps there (/run/lock, /run/postgresql, ...) survives.  A tmpfs the
 * engine already mounts there stays, with nosuid,nodev and the owner added.  /tmp and
 * /var/tmp are world-writable and sticky; the others are 0755 and, when the
 * process is not root, owned by its user, so a daemon that drops to that
 * user can still write its pid file.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harden.h"
#include "hr-cleanup.h"
#include "util.h"

#define KNOB "readonly_rootfs"

static const char *const sticky_dirs[] = {"/tmp", "/var/tmp"};

static int set_writable(struct hr_rootfs_policy *p, const struct hr_json *value,
                        struct hr_error *err)
{
        char **paths;
        size_t n;
        int r;

        if ((r = hr_policy_strings(value, KNOB ".writable", &paths, &n, err)) < 0)
                return r;
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *clean = NULL;

                if (paths[i][0] != '/' || hr_path_clean(paths[i], &clean) < 0 ||
                    strcmp(clean, paths[i]) != 0 || strcmp(clean, "/") == 0) {
                        r = hr_error_set(err, EINVAL,
                                         "knob " KNOB ".writable: \"%s\" is not a clean absolute "
                                         "path other than /",
                                         paths[i]);
                        hr_strv_free(paths, n);
                        return r;
                }
        }
        hr_strv_free(p->writable, p->n_writable);
        p->writable = paths;
        p->n_writable = n;
        return 0;
}

/* A tmpfs size: digits with an optional k, m, g or % suffix. */
static int set_size(struct hr_rootfs_policy *p, const struct hr_json *value, struct hr_error *err)
{
        char *size;
        size_t digits;
        int r;

        if ((r = hr_policy_string(value, KNOB ".tmpfs_size", &size, err)) < 0)
                return r;
        digits = strspn(size, "0123456789");
        if (digits == 0 || digits > 18 ||
            (size[digits] && (size[digits + 1] || !strchr("kKmMgG%", size[digits])))) {
                r = hr_error_set(err, EINVAL,
                                 "knob " KNOB ".tmpfs_size: \"%s\" is not a size such as 64m",
                                 size);
                free(size);
                return r;
        }
        free(p->tmpfs_size);
        p->tmpfs_size = size;
        return 0;
}

static int configure(struct hr_policy *policy, const struct hr_json *value, struct hr_error *err)
{
        struct hr_rootfs_policy *p = &policy->readonly_rootfs;
        int r = 0;

        if (value->type == HR_JSON_BOOL)
                return hr_policy_bool(value, KNOB, &p->enabled, err);
        if (value->type != HR_JSON_OBJECT)
                return hr_error_set(err, EINVAL, "knob " KNOB " must be a boolean or an object");
        for (size_t i = 0; i < value->u.obj.len && r == 0; i++) {
                const char *key = value->u.obj.members[i].key;
                const struct hr_json *v = value->u.obj.members[i].value;

                if (strcmp(key, "enabled") == 0)
                        r = hr_policy_bool(v, KNOB ".enabled", &p->enabled, err);
                else if (strcmp(key, "writable") == 0)
                        r = set_writable(p, v, err);
                else if (strcmp(key, "tmpfs_size") == 0)
                        r = set_size(p, v, err);
                else
                        r = hr_error_set(err, EINVAL, "unknown knob " KNOB ".%s", key);
        }
        return r;
}

/* The mount already at dest (compared as clean paths), or NULL. */
static int mounted_at(const struct hr_json *mounts, const char *dest, struct hr_json **out,
                      struct hr_error *err)
{
        for (size_t i = 0; i < mounts->u.arr.len; i++) {
                _cleanup_free_ char *clean = NULL;
                struct hr_json *dest_node;
                const char *d;
                int r;

                if ((r = hr_harden_get(mounts->u.arr.items[i], "destination", "mounts[]",
                                       &dest_node, err)) < 0)
                        return r;
                if (!(d = hr_json_string(dest_node)))
                        continue;
                if (hr_path_clean(d, &clean) < 0)
                        return hr_error_set(err, ENOMEM, "out of memory");
                if (strcmp(clean, dest) == 0) {
                        *out = mounts->u.arr.items[i];
                        return 0;
                }
        }
        *out = NULL;
        return 0;
}

/* The process's uid and gid, 0 when unset. */
static int process_ids(const struct hr_json *config, uint64_t *uid, uint64_t *gid,
                       struct hr_error *err)
{
        struct hr_json *process, *user, *u, *g;
        int r;

        if ((r = hr_harden_get(config, "process", "process", &process, err)) < 0 ||
            (r = hr_harden_get(process, "user", "process.user", &user, err)) < 0 ||
            (r = hr_harden_get(user, "uid", "process.user.uid", &u, err)) < 0 ||
            (r = hr_harden_get(user, "gid", "process.user.gid", &g, err)) < 0)
                return r;
        *uid = *gid = 0;
        if (u && (u->type != HR_JSON_NUMBER ||
                  (r = hr_parse_uint(u->u.str.text, 0, UINT32_MAX, uid, err)) < 0))
                return hr_error_set(err, EINVAL, "process.user.uid is not a valid uid");
        if (g && (g->type != HR_JSON_NUMBER ||
                  (r = hr_parse_uint(g->u.str.text, 0, UINT32_MAX, gid, err)) < 0))
                return hr_error_set(err, EINVAL, "process.user.gid is not a valid gid");
        return 0;
}

static int add_option(struct hr_json *options, const char *fmt, ...) HR_PRINTF(2, 3);
static int add_option(struct hr_json *options, const char *fmt, ...)
{
        _cleanup_free_ char *text = NULL;
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = vasprintf(&text, fmt, ap);
        va_end(ap);
        if (n < 0)
                return -ENOMEM;
        return hr_json_append(options, hr_json_new_string(text));
}

static bool is_sticky(const char *dest)
{
        for (size_t i = 0; i < HR_ARRAY_SIZE(sticky_dirs); i++)
                if (strcmp(dest, sticky_dirs[i]) == 0)
                        return true;
        return false;
}

static struct hr_json *tmpfs_mount(const char *dest, const struct hr_rootfs_policy *p, uint64_t uid,
                                   uint64_t gid)
{
        _cleanup_json_ struct hr_json *m = hr_json_new_object();
        struct hr_json *options = hr_json_new_array();
        bool sticky = is_sticky(dest);

        if (!m || hr_json_set(m, "destination", hr_json_new_string(dest)) < 0 ||
            hr_json_set(m, "type", hr_json_new_string("tmpfs")) < 0 ||
            hr_json_set(m, "source", hr_json_new_string("tmpfs")) < 0 ||
            hr_json_set(m, "options", options) < 0)
                return NULL;
        if (add_option(options, "nosuid") < 0 || add_option(options, "nodev") < 0 ||
            add_option(options, "mode=%s", sticky ? "1777" : "755") < 0 ||
            add_option(options, "size=%s", p->tmpfs_size) < 0 ||
            (!sticky && uid != 0 &&
             (add_option(options, "uid=%llu", (unsigned long long)uid) < 0 ||
              add_option(options, "gid=%llu", (unsigned long long)gid) < 0)) ||
            add_option(options, "tmpcopyup") < 0)
                return NULL;
        return TAKE_PTR(m);
}

/* Is there an option equal to opt, or starting with opt when it ends in '='? */
static bool has_option(const struct hr_json *options, const char *opt)
{
        size_t n = strlen(opt);
        bool prefix = n > 0 && opt[n - 1] == '=';

        for (size_t i = 0; options && i < options->u.arr.len; i++) {
                const char *o = hr_json_string(options->u.arr.items[i]);

                if (o && (prefix ? strncmp(o, opt, n) == 0 : strcmp(o, opt) == 0))
                        return true;
        }
        return false;
}

/*
 * An engine's own tmpfs at a writable path (ctr mounts one on /run) stays,
 * but gets nosuid,nodev and, for a non-root process, the owner a new one
 * would have: otherwise a daemon that runs as that user cannot write there.
 */
static int fix_tmpfs(struct hr_json *m, const char *dest, uint64_t uid, uint64_t gid,
                     struct hr_report *report, struct hr_error *err)
{
        _cleanup_free_ char *path = NULL;
        _cleanup_json_ struct hr_json *after = NULL;
        struct hr_json *type, *options;
        int r;

        if ((r = hr_harden_get(m, "type", "mounts[].type", &type, err)) < 0 ||
            (r = hr_harden_get(m, "options", "mounts[].options", &options, err)) < 0)
                return r;
        if (!hr_json_string(type) || strcmp(hr_json_string(type), "tmpfs") != 0)
                return 0;
        if (options && options->type != HR_JSON_ARRAY)
                return hr_error_set(err, EINVAL, "mounts[destination=%s].options must be an array",
                                    dest);
        if (!(after = options ? hr_json_copy(options) : hr_json_new_array()))
                return hr_error_set(err, ENOMEM, "out of memory");
        if ((!has_option(after, "nosuid") && add_option(after, "nosuid") < 0) ||
            (!has_option(after, "nodev") && add_option(after, "nodev") < 0) ||
            (!is_sticky(dest) && uid != 0 && !has_option(after, "uid=") &&
             (add_option(after, "uid=%llu", (unsigned long long)uid) < 0 ||
              (!has_option(after, "gid=") &&
               add_option(after, "gid=%llu", (unsigned long long)gid) < 0))))
                return hr_error_set(err, ENOMEM, "out of memory");
        if (options && hr_json_equal(options, after))
                return 0;
        if (asprintf(&path, "mounts[destination=%s].options", dest) < 0)
                return hr_error_set(err, ENOMEM, "out of memory");
        if ((r = hr_report_change(report, KNOB, path, options, after, err)) < 0)
                return r;
        return hr_json_set(m, "options", TAKE_PTR(after)) < 0
                   ? hr_error_set(err, ENOMEM, "out of memory")
                   : 0;
}

static int add_tmpfs(struct hr_json *config, struct hr_json *mounts,
                     const struct hr_rootfs_policy *p, struct hr_report *report,
                     struct hr_error *err)
{
        uint64_t uid, gid;
        int r;

        if ((r = process_ids(config, &uid, &gid, err)) < 0)
                return r;
        for (size_t i = 0; i < p->n_writable; i++) {
                _cleanup_free_ char *path = NULL;
                _cleanup_json_ struct hr_json *m = NULL;
                struct hr_json *present;

                if ((r = mounted_at(mounts, p->writable[i], &present, err)) < 0)
                        return r;
                if (present) {
                        if ((r = fix_tmpfs(present, p->writable[i], uid, gid, report, err)) < 0)
                                return r;
                        continue;
                }
                if (!(m = tmpfs_mount(p->writable[i], p, uid, gid)) ||
                    asprintf(&path, "mounts[destination=%s]", p->writable[i]) < 0)
                        return hr_error_set(err, ENOMEM, "out of memory");
                if ((r = hr_report_change(report, KNOB, path, NULL, m, err)) < 0)
                        return r;
                if (hr_json_append(mounts, TAKE_PTR(m)) < 0)
                        return hr_error_set(err, ENOMEM, "out of memory");
        }
        return 0;
}

static int apply(struct hr_json *config, const struct hr_policy *policy, struct hr_report *report,
                 struct hr_error *err)
{
        const struct hr_rootfs_policy *p = &policy->readonly_rootfs;
        struct hr_json *root, *mounts;
        int r;

        if (!p->enabled)
                return 0;
        if ((r = hr_harden_require_object(config, "root", "root", &root, err)) < 0 ||
            (r = hr_harden_bool(root, "readonly", true, KNOB, "root.readonly", report, err)) < 0 ||
            (r = hr_harden_array(config, "mounts", "mounts", &mounts, err)) < 0)
                return r;
        return add_tmpfs(config, mounts, p, report, err);
}

const struct hr_knob hr_knob_readonly_rootfs = {
    .name = KNOB,
    .configure = configure,
    .apply = apply,
};
