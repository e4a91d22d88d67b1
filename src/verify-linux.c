/* SPDX-License-Identifier: GPL-2.0-or-later */
/* verify: the kernel-facing knobs namespaces, sysctls and limits. */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "hr-cleanup.h"
#include "verify-internal.h"

/* ---- namespaces ----------------------------------------------------------- */

/* The file under /proc/PID/ns/ for each runtime-spec namespace type. */
static const struct {
        const char *type, *file;
} ns_files[] = {
    {"cgroup", "cgroup"}, {"ipc", "ipc"},   {"mount", "mnt"}, {"network", "net"},
    {"pid", "pid"},       {"time", "time"}, {"user", "user"}, {"uts", "uts"},
};

static const char *ns_file(const char *type)
{
        for (size_t i = 0; i < HR_ARRAY_SIZE(ns_files); i++)
                if (strcmp(ns_files[i].type, type) == 0)
                        return ns_files[i].file;
        return NULL;
}

/* The path of a namespace entry, NULL when it asks for a new namespace. */
static const char *ns_path(const struct hr_json *entry, bool *bad)
{
        const struct hr_json *p = hr_vf_get(entry, "path");
        const char *s = hr_vf_string(p);

        *bad = p && p->type != HR_JSON_NULL && !s;
        return s && *s ? s : NULL;
}

static bool namespaces_enabled(const struct hr_policy *p)
{
        return p->namespaces.n > 0;
}

/* A namespace joined by path must not be the host's own (compared by device and inode). */
static int check_joined(struct hr_vf *v, const char *type, const char *path)
{
        const struct hr_host *h = v->policy->host;
        const char *file = ns_file(type);
        _cleanup_free_ char *host = NULL, *name = NULL;
        uint64_t hdev, hino, dev, ino;
        int r;

        if (asprintf(&name, "linux.namespaces[type=%s]", type) < 0 ||
            (file && asprintf(&host, "/proc/1/ns/%s", file) < 0))
                return hr_error_set(v->err, ENOMEM, "out of memory");
        if (!file)
                return hr_vf_flag(v, "namespaces", name, "unknown namespace type %s", type);
        if (!h || !h->stat)
                return hr_vf_flag(v, "namespaces", name, "cannot tell whether %s is the host's",
                                  path);
        if ((r = h->stat(host, &hdev, &hino)) < 0)
                return hr_vf_flag(v, "namespaces", name, "cannot stat the host's %s: %s", host,
                                  strerror(-r));
        if ((r = h->stat(path, &dev, &ino)) < 0)
                return hr_vf_flag(v, "namespaces", name, "cannot stat %s: %s", path, strerror(-r));
        if (dev == hdev && ino == hino)
                return hr_vf_flag(v, "namespaces", name,
                                  "%s is the host's %s namespace; the container must not share "
                                  "it",
                                  path, type);
        return 0;
}

static int check_namespace(struct hr_vf *v, const struct hr_json *list, const char *type)
{
        bool found = false;
        int r;

        for (size_t i = 0; list && i < list->u.arr.len; i++) {
                const struct hr_json *e = list->u.arr.items[i];
                const char *t = hr_vf_string(hr_vf_get(e, "type")), *path;
                bool bad;

                if (!t || strcmp(t, type) != 0)
                        continue;
                found = true;
                path = ns_path(e, &bad);
                if (bad && (r = hr_vf_flag(v, "namespaces", "linux.namespaces",
                                           "the %s namespace path is not a string", type)) < 0)
                        return r;
                if (path && (r = check_joined(v, type, path)) < 0)
                        return r;
        }
        if (found)
                return 0;
        return hr_vf_flag(v, "namespaces", "linux.namespaces",
                          "the container shares the host's %s namespace; give it its own", type);
}

static int check_namespaces(struct hr_vf *v)
{
        bool bad;
        const struct hr_json *list = hr_vf_array(v->config, "linux.namespaces", &bad);
        int r;

        if (bad)
                return hr_vf_flag(v, "namespaces", "linux.namespaces", "not a list");
        for (size_t i = 0; i < v->policy->namespaces.n; i++)
                if ((r = check_namespace(v, list, v->policy->namespaces.v[i])) < 0)
                        return r;
        return 0;
}

/* ---- sysctls -------------------------------------------------------------- */

static const struct {
        const char *name, *value;
} unprivileged_net[] = {
    {"net.ipv4.ip_unprivileged_port_start", "0"},
    {"net.ipv4.ping_group_range", "0 2147483647"},
};

static bool sysctls_enabled(const struct hr_policy *p)
{
        return p->sysctls.allowed.n > 0 || p->sysctls.unprivileged_net;
}

/* A sysctl key as a dotted name ("net/ipv4/x" is "net.ipv4.x"), malloc'd. */
static char *dotted(const char *key)
{
        char *s = strdup(key);

        for (char *c = s; c && *c; c++)
                if (*c == '/')
                        *c = '.';
        return s;
}

/* Does the config set the sysctl name, in either spelling? */
static int sets(const struct hr_json *sysctl, const char *name, bool *out, struct hr_error *err)
{
        *out = false;
        for (size_t i = 0; sysctl && i < sysctl->u.obj.len && !*out; i++) {
                _cleanup_free_ char *key = dotted(sysctl->u.obj.members[i].key);

                if (!key)
                        return hr_error_set(err, ENOMEM, "out of memory");
                *out = strcmp(key, name) == 0;
        }
        return 0;
}

/* A network namespace of its own: an entry of type network without a path. */
static bool private_netns(const struct hr_json *config)
{
        bool bad;
        const struct hr_json *list = hr_vf_array(config, "linux.namespaces", &bad);

        for (size_t i = 0; list && i < list->u.arr.len; i++) {
                const char *t = hr_vf_string(hr_vf_get(list->u.arr.items[i], "type"));

                if (t && strcmp(t, "network") == 0 && !ns_path(list->u.arr.items[i], &bad) && !bad)
                        return true;
        }
        return false;
}

/* The namespace a sysctl belongs to, NULL for a host-wide one. */
static const char *sysctl_namespace(const char *key)
{
        static const struct {
                const char *prefix, *type;
        } spaces[] = {
            {"net.", "network"},          {"kernel.shm", "ipc"}, {"kernel.msg", "ipc"},
            {"kernel.sem", "ipc"},        {"fs.mqueue.", "ipc"}, {"kernel.hostname", "uts"},
            {"kernel.domainname", "uts"},
        };

        for (size_t i = 0; i < HR_ARRAY_SIZE(spaces); i++)
                if (strncmp(key, spaces[i].prefix, strlen(spaces[i].prefix)) == 0)
                        return spaces[i].type;
        return NULL;
}

static bool has_namespace(const struct hr_json *config, const char *type)
{
        bool bad;
        const struct hr_json *list = hr_vf_array(config, "linux.namespaces", &bad);

        for (size_t i = 0; list && i < list->u.arr.len; i++) {
                const char *t = hr_vf_string(hr_vf_get(list->u.arr.items[i], "type"));

                if (t && strcmp(t, type) == 0)
                        return true;
        }
        return false;
}

/* A namespaced sysctl without that namespace would set the host's value. */
static int check_namespaced(struct hr_vf *v, const struct hr_json *sysctl)
{
        int r;

        for (size_t i = 0; sysctl && i < sysctl->u.obj.len; i++) {
                _cleanup_free_ char *key = dotted(sysctl->u.obj.members[i].key), *path = NULL;
                const char *type;

                if (!key)
                        return hr_error_set(v->err, ENOMEM, "out of memory");
                if (!(type = sysctl_namespace(key)) || has_namespace(v->config, type))
                        continue;
                if (asprintf(&path, "linux.sysctl.%s", sysctl->u.obj.members[i].key) < 0)
                        return hr_error_set(v->err, ENOMEM, "out of memory");
                if ((r = hr_vf_flag(v, "sysctls", path,
                                    "the sysctl %s would change the host's %s namespace; remove "
                                    "it or give the container its own",
                                    key, type)) < 0)
                        return r;
        }
        return 0;
}

static int check_allowed(struct hr_vf *v, const struct hr_json *sysctl)
{
        const struct hr_strv *allowed = &v->policy->sysctls.allowed;
        int r;

        for (size_t i = 0; sysctl && allowed->n > 0 && i < sysctl->u.obj.len; i++) {
                _cleanup_free_ char *key = dotted(sysctl->u.obj.members[i].key), *path = NULL;
                bool ok = false;

                if (!key)
                        return hr_error_set(v->err, ENOMEM, "out of memory");
                for (size_t j = 0; j < allowed->n && !ok; j++)
                        ok = fnmatch(allowed->v[j], key, 0) == 0;
                if (ok)
                        continue;
                if (asprintf(&path, "linux.sysctl.%s", sysctl->u.obj.members[i].key) < 0)
                        return hr_error_set(v->err, ENOMEM, "out of memory");
                if ((r = hr_vf_flag(v, "sysctls", path,
                                    "the sysctl %s is outside the safe set; remove it", key)) < 0)
                        return r;
        }
        return 0;
}

static int check_sysctls(struct hr_vf *v)
{
        const struct hr_json *sysctl = hr_vf_at(v->config, "linux.sysctl");
        int r;

        if (sysctl && sysctl->type == HR_JSON_NULL)
                sysctl = NULL;
        if (sysctl && sysctl->type != HR_JSON_OBJECT)
                return hr_vf_flag(v, "sysctls", "linux.sysctl", "not an object");
        if ((r = check_allowed(v, sysctl)) < 0 || (r = check_namespaced(v, sysctl)) < 0)
                return r;
        if (!v->policy->sysctls.unprivileged_net || !private_netns(v->config))
                return 0;
        for (size_t i = 0; i < HR_ARRAY_SIZE(unprivileged_net); i++) {
                _cleanup_free_ char *path = NULL;
                bool present;

                if ((r = sets(sysctl, unprivileged_net[i].name, &present, v->err)) < 0)
                        return r;
                if (present)
                        continue;
                if (asprintf(&path, "linux.sysctl.%s", unprivileged_net[i].name) < 0)
                        return hr_error_set(v->err, ENOMEM, "out of memory");
                if ((r = hr_vf_flag(v, "sysctls", path,
                                    "%s is not set in the container's own network namespace; "
                                    "set it to \"%s\"",
                                    unprivileged_net[i].name, unprivileged_net[i].value)) < 0)
                        return r;
        }
        return 0;
}

/* ---- limits --------------------------------------------------------------- */

static bool limits_enabled(const struct hr_policy *p)
{
        const struct hr_limits_policy *l = &p->limits;

        return l->pids || l->nofile_soft != HR_LIMIT_UNSET || l->nofile_hard != HR_LIMIT_UNSET ||
               l->core != HR_LIMIT_UNSET || l->memory || l->cpu_millis;
}

/* A positive cgroup limit at path, at most max. */
static int check_cap(struct hr_vf *v, const char *path, const char *what, uint64_t max)
{
        const struct hr_json *node = hr_vf_at(v->config, path);
        int64_t n;

        if (!node || node->type == HR_JSON_NULL)
                return hr_vf_flag(v, "limits", path, "no %s limit; set one of at most %llu", what,
                                  (unsigned long long)max);
        if (!hr_vf_int(node, &n))
                return hr_vf_flag(v, "limits", path, "the %s limit is not an integer", what);
        if (n <= 0)
                return hr_vf_flag(v, "limits", path,
                                  "the %s limit %lld means unlimited; set one of at most %llu",
                                  what, (long long)n, (unsigned long long)max);
        if ((uint64_t)n > max)
                return hr_vf_flag(v, "limits", path, "the %s limit %lld is above %llu; lower it",
                                  what, (long long)n, (unsigned long long)max);
        return 0;
}

static void limit_text(char *buf, size_t size, uint64_t v)
{
        if (v == HR_LIMIT_UNSET)
                snprintf(buf, size, "unlimited");
        else
                snprintf(buf, size, "%llu", (unsigned long long)v);
}

static int check_rlimit(struct hr_vf *v, const struct hr_json *rlimits, const char *type,
                        uint64_t soft_max, uint64_t hard_max)
{
        _cleanup_free_ char *path = NULL;
        char soft_text[24], hard_text[24];
        bool found = false;
        int r;

        if (asprintf(&path, "process.rlimits[type=%s]", type) < 0)
                return hr_error_set(v->err, ENOMEM, "out of memory");
        limit_text(soft_text, sizeof(soft_text), soft_max);
        limit_text(hard_text, sizeof(hard_text), hard_max);
        for (size_t i = 0; rlimits && i < rlimits->u.arr.len; i++) {
                const struct hr_json *e = rlimits->u.arr.items[i];
                const char *t = hr_vf_string(hr_vf_get(e, "type"));
                uint64_t soft, hard;

                if (!t || strcmp(t, type) != 0)
                        continue;
                found = true;
                if (!hr_vf_uint(hr_vf_get(e, "soft"), &soft) ||
                    !hr_vf_uint(hr_vf_get(e, "hard"), &hard))
                        r = hr_vf_flag(v, "limits", path, "soft and hard must be integers");
                else if (soft > soft_max || hard > hard_max)
                        r = hr_vf_flag(v, "limits", path, "%s is %llu:%llu, above %s:%s; lower it",
                                       type, (unsigned long long)soft, (unsigned long long)hard,
                                       soft_text, hard_text);
                else
                        r = 0;
                if (r < 0)
                        return r;
        }
        if (found)
                return 0;
        return hr_vf_flag(v, "limits", path,
                          "%s is not set, so the process inherits the runtime's; set it to at "
                          "most %s:%s",
                          type, soft_text, hard_text);
}

static int check_cpu(struct hr_vf *v, uint64_t millis)
{
        const struct hr_json *period_node = hr_vf_at(v->config, "linux.resources.cpu.period");
        uint64_t period = 100000; /* the kernel's default period, in microseconds */
        size_t before = v->out->n_violations;
        int64_t quota;
        int r;

        if ((r = check_cap(v, "linux.resources.cpu.quota", "cpu quota", INT64_MAX)) < 0 ||
            v->out->n_violations > before)
                return r;
        if (!hr_vf_int(hr_vf_at(v->config, "linux.resources.cpu.quota"), &quota) ||
            (period_node && !hr_vf_uint(period_node, &period)))
                return hr_vf_flag(v, "limits", "linux.resources.cpu.period",
                                  "the cpu period is not an integer");
        if (period == 0)
                period = 100000;
        if ((unsigned __int128)(uint64_t)quota * 1000 > (unsigned __int128)millis * period)
                return hr_vf_flag(v, "limits", "linux.resources.cpu.quota",
                                  "the cpu quota %lld per %llu us is above %llu thousandths of "
                                  "a cpu; lower it",
                                  (long long)quota, (unsigned long long)period,
                                  (unsigned long long)millis);
        return 0;
}

static int check_limits(struct hr_vf *v)
{
        const struct hr_limits_policy *l = &v->policy->limits;
        bool bad;
        const struct hr_json *rlimits = hr_vf_array(v->config, "process.rlimits", &bad);
        int r;

        if (l->pids && (r = check_cap(v, "linux.resources.pids.limit", "pids", l->pids)) < 0)
                return r;
        if (bad)
                return hr_vf_flag(v, "limits", "process.rlimits", "not a list");
        if ((l->nofile_soft != HR_LIMIT_UNSET || l->nofile_hard != HR_LIMIT_UNSET) &&
            (r = check_rlimit(v, rlimits, "RLIMIT_NOFILE", l->nofile_soft, l->nofile_hard)) < 0)
                return r;
        if (l->core != HR_LIMIT_UNSET &&
            (r = check_rlimit(v, rlimits, "RLIMIT_CORE", l->core, l->core)) < 0)
                return r;
        if (l->memory &&
            (r = check_cap(v, "linux.resources.memory.limit", "memory", l->memory)) < 0)
                return r;
        return l->cpu_millis ? check_cpu(v, l->cpu_millis) : 0;
}

const struct hr_vf_knob hr_vf_namespaces = {"namespaces", namespaces_enabled, check_namespaces};
const struct hr_vf_knob hr_vf_sysctls = {"sysctls", sysctls_enabled, check_sysctls};
const struct hr_vf_knob hr_vf_limits = {"limits", limits_enabled, check_limits};
