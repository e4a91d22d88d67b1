/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Knob namespaces: the container has its own namespace of each listed type.
 * Refused, not fixed: adding a network namespace to a --network host
 * container changes what it is.
 *
 * A type missing from linux.namespaces is the host's.  So is one whose path
 * is the host's own namespace: the device and inode of the path equal those
 * of /proc/1/ns/NAME (or of /proc/self/ns/NAME, hardrun's own).  Joining a
 * sibling's namespace (a pod's sandbox, a CNI netns file) is fine.  A path
 * that cannot be looked at is an error: the runtime could not join it
 * either, and hardrun does not guess.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cfg.h"
#include "harden.h"
#include "host.h"
#include "hr-cleanup.h"

#define KNOB "namespaces"

/* The runtime-spec type, its name under /proc/PID/ns, and how one gets the host's. */
static const struct ns_type {
        const char *type;
        const char *proc;
        const char *how;
} types[] = {
    {"cgroup", "cgroup", "docker run --cgroupns host"},
    {"ipc", "ipc", "docker run --ipc host, hostIPC: true"},
    {"mount", "mnt", "a config without a mount namespace"},
    {"network", "net", "docker run --network host, hostNetwork: true"},
    {"pid", "pid", "docker run --pid host, hostPID: true"},
    {"time", "time", "a config without a time namespace"},
    {"user", "user", "docker run --userns host, hostUsers: true"},
    {"uts", "uts", "docker run --uts host, hostNetwork: true"},
};

static const struct ns_type *find_type(const char *type)
{
        for (size_t i = 0; i < HR_ARRAY_SIZE(types); i++)
                if (strcmp(types[i].type, type) == 0)
                        return &types[i];
        return NULL;
}

static int configure(struct hr_policy *policy, const struct hr_json *value, struct hr_error *err)
{
        struct hr_strv s = {0};
        int r;

        if ((r = hr_policy_strv(value, KNOB, &s, err)) < 0)
                return r;
        for (size_t i = 0; i < s.n; i++)
                if (!find_type(s.v[i])) {
                        r = hr_error_set(err, EINVAL,
                                         "knob " KNOB ": unknown namespace type \"%s\" (types: "
                                         "cgroup, ipc, mount, network, pid, time, user, uts)",
                                         s.v[i]);
                        hr_strv_done(&s);
                        return r;
                }
        hr_strv_done(&policy->namespaces);
        policy->namespaces = s;
        return 0;
}

/* The path of the entry of this type in linux.namespaces ("" for a new one), or NULL. */
static int find_entry(const struct hr_json *nss, const char *type, const char **path,
                      struct hr_error *err)
{
        const char *found = NULL;
        char where[64], tpath[80], ppath[80];
        int r;

        for (size_t i = 0; nss && i < nss->u.arr.len; i++) {
                const struct hr_json *ns = nss->u.arr.items[i];
                const char *t, *p;

                snprintf(where, sizeof(where), "linux.namespaces[%zu]", i);
                snprintf(tpath, sizeof(tpath), "%s.type", where);
                snprintf(ppath, sizeof(ppath), "%s.path", where);
                if (ns->type != HR_JSON_OBJECT)
                        return hr_error_set(err, EINVAL, "%s must be an object, not %s", where,
                                            hr_json_type_name(ns->type));
                if ((r = hr_cfg_string(ns, "type", tpath, &t, err)) < 0 ||
                    (r = hr_cfg_string(ns, "path", ppath, &p, err)) < 0)
                        return r;
                if (!t || strcmp(t, type) != 0)
                        continue;
                if (found)
                        return hr_error_set(
                            err, EINVAL, "linux.namespaces has the type %s more than once", type);
                found = p ? p : "";
        }
        *path = found;
        return 0;
}

/*
 * Is path the host's own namespace of this type: that of pid 1, or that of
 * hardrun itself (which the runtime, and a container without the entry,
 * would share)?  Where pid 1 cannot be looked at (hardrun lacks a capability
 * that pid 1 has), its own namespace stands for the host's: the runtime,
 * with hardrun's credentials, could not open pid 1's either.
 */
static int is_host_ns(const struct hr_host *host, const struct ns_type *t, const char *path,
                      bool *out, struct hr_error *err)
{
        uint64_t dev, ino, hdev[2], hino[2];
        bool known[2];
        char own[2][32];
        int r;

        for (size_t i = 0; i < 2; i++) {
                snprintf(own[i], sizeof(own[i]), "/proc/%s/ns/%s", i ? "self" : "1", t->proc);
                r = host->stat(own[i], &hdev[i], &hino[i]);
                known[i] = r == 0;
                if (r < 0 && (i == 1 || (r != -EACCES && r != -EPERM)))
                        return hr_error_errno(err, -r,
                                              "cannot look at the host's %s namespace (%s)",
                                              t->type, own[i]);
        }
        if ((r = host->stat(path, &dev, &ino)) < 0)
                return hr_error_errno(err, -r,
                                      "linux.namespaces: cannot look at the %s namespace "
                                      "path %s",
                                      t->type, path);
        *out = false;
        for (size_t i = 0; i < 2; i++)
                *out |= known[i] && dev == hdev[i] && ino == hino[i];
        return 0;
}

static int check_type(const struct hr_json *nss, const struct ns_type *t,
                      const struct hr_policy *policy, struct hr_report *report,
                      struct hr_error *err)
{
        const char *path = NULL;
        bool host = false;
        char where[64];
        int r;

        if ((r = find_entry(nss, t->type, &path, err)) < 0)
                return r;
        snprintf(where, sizeof(where), "linux.namespaces[type=%s]", t->type);
        if (!path)
                return hr_report_violation(report, err, KNOB, where,
                                           "the container shares the host's %s namespace (%s); "
                                           "give it its own, or exempt this container with a rule",
                                           t->type, t->how);
        if (!*path)
                return 0;
        if ((r = is_host_ns(policy->host, t, path, &host, err)) < 0)
                return r;
        if (!host)
                return 0;
        return hr_report_violation(report, err, KNOB, where,
                                   "the container joins the host's %s namespace through %s, so it "
                                   "shares it (%s); give it its own, or exempt this container "
                                   "with a rule",
                                   t->type, path, t->how);
}

static int apply(struct hr_json *config, const struct hr_policy *policy, struct hr_report *report,
                 struct hr_error *err)
{
        struct hr_json *lx, *nss = NULL;
        int r;

        if (policy->namespaces.n == 0)
                return 0;
        if ((r = hr_cfg_object(config, "linux", "linux", &lx, err)) < 0 ||
            (r = hr_cfg_array(lx, "namespaces", "linux.namespaces", &nss, err)) < 0)
                return r;
        for (size_t i = 0; i < policy->namespaces.n; i++) {
                const struct ns_type *t = find_type(policy->namespaces.v[i]);

                if ((r = check_type(nss, t, policy, report, err)) < 0)
                        return r;
        }
        return 0;
}

const struct hr_knob hr_knob_namespaces = {
    .name = KNOB,
    .configure = configure,
    .apply = apply,
};
