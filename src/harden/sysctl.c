/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Knob sysctls.
 *
 * Refused: a linux.sysctl key that no glob of sysctls.allowed matches, and a
 * sysctl the kernel keeps per namespace (net.* per network namespace, the
 * System V IPC and mqueue ones per IPC namespace, the host and domain names
 * per UTS namespace) while the container shares that namespace with the
 * host: writing it would change the host.  The namespaces knob refuses such
 * containers anyway; this knob does not rely on it.
 *
 * Fixed: in a network namespace of the container's own (a network entry
 * without a path), net.ipv4.ip_unprivileged_port_start=0 and
 * net.ipv4.ping_group_range="0 2147483647" are added, so that a process
 * without capabilities can bind ports below 1024 and open ICMP echo sockets,
 * as Docker does.  A value the config sets already is kept: ours are the
 * widest possible, so any other is narrower.  A network namespace joined by
 * path belongs to whoever made it (a pod sandbox, a CNI plugin) and is left
 * as it is.  Neither is added when sysctls.allowed does not allow it.
 *
 * Keys may be written with slashes (kernel/shm_rmid_forced), as runc and
 * sysctl(8) accept; they are compared in the dotted form, where a dot inside
 * a slash-separated component (eth0.100) becomes a slash.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harden.h"
#include "host.h"
#include "hr-cleanup.h"

#define KNOB "sysctls"

static const struct {
        const char *name, *value;
} unprivileged[] = {
    {"net.ipv4.ip_unprivileged_port_start", "0"},
    {"net.ipv4.ping_group_range", "0 2147483647"},
};

enum ns_kind { NS_NET, NS_IPC, NS_UTS, NS_NONE };

static const struct {
        const char *type; /* linux.namespaces[].type */
        const char *host; /* the host's own, to compare a joined path with */
        const char *what; /* for messages */
} ns_info[] = {
    [NS_NET] = {"network", "/proc/1/ns/net", "network"},
    [NS_IPC] = {"ipc", "/proc/1/ns/ipc", "IPC"},
    [NS_UTS] = {"uts", "/proc/1/ns/uts", "UTS"},
};

/* The sysctls the kernel keeps per namespace: a name, or a prefix ending in a dot. */
static const struct {
        const char *name;
        enum ns_kind ns;
} namespaced[] = {
    {"fs.mqueue.", NS_IPC},    {"kernel.domainname", NS_UTS},      {"kernel.hostname", NS_UTS},
    {"kernel.msgmax", NS_IPC}, {"kernel.msgmnb", NS_IPC},          {"kernel.msgmni", NS_IPC},
    {"kernel.sem", NS_IPC},    {"kernel.shm_rmid_forced", NS_IPC}, {"kernel.shmall", NS_IPC},
    {"kernel.shmmax", NS_IPC}, {"kernel.shmmni", NS_IPC},          {"net.", NS_NET},
};

enum ns_state { NS_SHARED_WITH_HOST, NS_PRIVATE, NS_JOINED };

/* The dotted form of a sysctl name, malloc'd. */
static char *normalise(const char *key)
{
        size_t first = strcspn(key, "./");
        char *out = strdup(key);

        if (!out || key[first] != '/')
                return out;
        for (char *c = out; *c; c++)
                if (*c == '.')
                        *c = '/';
                else if (*c == '/')
                        *c = '.';
        return out;
}

static int configure_allowed(struct hr_sysctl_policy *p, const struct hr_json *value,
                             struct hr_error *err)
{
        struct hr_strv globs = {0};
        int r;

        if ((r = hr_policy_strv(value, KNOB ".allowed", &globs, err)) < 0)
                return r;
        for (size_t i = 0; i < globs.n; i++) {
                char *dotted = normalise(globs.v[i]);

                if (!dotted) {
                        hr_strv_done(&globs);
                        return hr_error_set(err, ENOMEM, "out of memory");
                }
                free(globs.v[i]);
                globs.v[i] = dotted;
        }
        hr_strv_done(&p->allowed);
        p->allowed = globs;
        return 0;
}

static int configure(struct hr_policy *policy, const struct hr_json *value, struct hr_error *err)
{
        struct hr_sysctl_policy *p = &policy->sysctls;
        int r = 0;

        if (value->type != HR_JSON_OBJECT)
                return hr_error_set(err, EINVAL, "knob " KNOB " must be an object");
        for (size_t i = 0; i < value->u.obj.len && r == 0; i++) {
                const char *key = value->u.obj.members[i].key;
                const struct hr_json *v = value->u.obj.members[i].value;

                if (strcmp(key, "unprivileged_net") == 0)
                        r = hr_policy_bool(v, KNOB ".unprivileged_net", &p->unprivileged_net, err);
                else if (strcmp(key, "allowed") == 0)
                        r = configure_allowed(p, v, err);
                else
                        r = hr_error_set(err, EINVAL, "unknown knob " KNOB ".%s", key);
        }
        return r;
}

static bool allowed(const struct hr_sysctl_policy *p, const char *dotted)
{
        for (size_t i = 0; i < p->allowed.n; i++)
                if (fnmatch(p->allowed.v[i], dotted, 0) == 0)
                        return true;
        return false;
}

static enum ns_kind namespace_of(const char *dotted)
{
        for (size_t i = 0; i < HR_ARRAY_SIZE(namespaced); i++) {
                const char *n = namespaced[i].name;
                size_t len = strlen(n);

                if (n[len - 1] == '.' ? strncmp(dotted, n, len) == 0 : strcmp(dotted, n) == 0)
                        return namespaced[i].ns;
        }
        return NS_NONE;
}

/* Is path the host's own namespace of that kind?  A path that cannot be read is not. */
static bool is_host_ns(const struct hr_host *host, enum ns_kind ns, const char *path)
{
        uint64_t dev, ino, hdev, hino;

        return host->stat(path, &dev, &ino) == 0 &&
               host->stat(ns_info[ns].host, &hdev, &hino) == 0 && dev == hdev && ino == hino;
}

/* How the container has each namespace kind, from linux.namespaces. */
static int namespace_states(const struct hr_json *lx, const struct hr_host *host,
                            enum ns_state states[NS_NONE], struct hr_error *err)
{
        struct hr_json *list;
        int r;

        for (int i = 0; i < NS_NONE; i++)
                states[i] = NS_SHARED_WITH_HOST;
        if ((r = hr_harden_get(lx, "namespaces", "linux.namespaces", &list, err)) < 0)
                return r;
        if (!list || list->type == HR_JSON_NULL)
                return 0;
        if (list->type != HR_JSON_ARRAY)
                return hr_error_set(err, EINVAL, "linux.namespaces must be an array, not %s",
                                    hr_json_type_name(list->type));
        for (size_t i = 0; i < list->u.arr.len; i++) {
                struct hr_json *type, *path;
                const char *t, *p;

                if ((r = hr_harden_get(list->u.arr.items[i], "type", "linux.namespaces[].type",
                                       &type, err)) < 0 ||
                    (r = hr_harden_get(list->u.arr.items[i], "path", "linux.namespaces[].path",
                                       &path, err)) < 0)
                        return r;
                if (list->u.arr.items[i]->type != HR_JSON_OBJECT || !(t = hr_json_string(type)) ||
                    (path && path->type != HR_JSON_NULL && !hr_json_string(path)))
                        return hr_error_set(err, EINVAL,
                                            "linux.namespaces[%zu] must be an object with a "
                                            "string type and an optional string path",
                                            i);
                p = hr_json_string(path);
                for (int k = 0; k < NS_NONE; k++) {
                        if (strcmp(t, ns_info[k].type) != 0)
                                continue;
                        if (!p || !*p)
                                states[k] = NS_PRIVATE;
                        else
                                states[k] = is_host_ns(host, (enum ns_kind)k, p)
                                                ? NS_SHARED_WITH_HOST
                                                : NS_JOINED;
                }
        }
        return 0;
}

/* Refuse what the config sets that the policy does not allow. */
static int check(const struct hr_json *sysctl, const struct hr_policy *policy,
                 const enum ns_state states[NS_NONE], struct hr_report *report,
                 struct hr_error *err)
{
        for (size_t i = 0; sysctl && i < sysctl->u.obj.len; i++) {
                const char *key = sysctl->u.obj.members[i].key;
                _cleanup_free_ char *dotted = normalise(key), *where = NULL;
                enum ns_kind ns;
                int r = 0;

                if (!dotted || asprintf(&where, "linux.sysctl.%s", key) < 0)
                        return hr_error_set(err, ENOMEM, "out of memory");
                ns = namespace_of(dotted);
                if (!allowed(&policy->sysctls, dotted))
                        r = hr_report_violation(report, err, KNOB, where,
                                                "sysctl %s is not allowed; remove it, or allow it "
                                                "in the policy's sysctls.allowed",
                                                key);
                else if (ns != NS_NONE && states[ns] == NS_SHARED_WITH_HOST)
                        r = hr_report_violation(
                            report, err, KNOB, where,
                            "sysctl %s belongs to the %s namespace, which the container shares "
                            "with the host, so setting it would change the host; remove it, or "
                            "give the container its own %s namespace",
                            key, ns_info[ns].what, ns_info[ns].what);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Does the config set name (dotted), in any spelling? */
static bool sets(const struct hr_json *sysctl, const char *name)
{
        for (size_t i = 0; sysctl && i < sysctl->u.obj.len; i++) {
                _cleanup_free_ char *dotted = normalise(sysctl->u.obj.members[i].key);

                if (dotted && strcmp(dotted, name) == 0)
                        return true;
        }
        return false;
}

static int add_unprivileged(struct hr_json *config, const struct hr_policy *policy,
                            struct hr_report *report, struct hr_error *err)
{
        for (size_t i = 0; i < HR_ARRAY_SIZE(unprivileged); i++) {
                _cleanup_json_ struct hr_json *value = hr_json_new_string(unprivileged[i].value);
                _cleanup_free_ char *where = NULL;
                struct hr_json *lx, *sysctl;
                int r;

                if ((r = hr_harden_object(config, "linux", "linux", false, &lx, err)) < 0 ||
                    (r = hr_harden_object(lx, "sysctl", "linux.sysctl", false, &sysctl, err)) < 0)
                        return r;
                if (sets(sysctl, unprivileged[i].name) ||
                    !allowed(&policy->sysctls, unprivileged[i].name))
                        continue;
                if ((r = hr_harden_object(config, "linux", "linux", true, &lx, err)) < 0 ||
                    (r = hr_harden_object(lx, "sysctl", "linux.sysctl", true, &sysctl, err)) < 0)
                        return r;
                if (!value || asprintf(&where, "linux.sysctl.%s", unprivileged[i].name) < 0)
                        return hr_error_set(err, ENOMEM, "out of memory");
                if ((r = hr_report_change(report, KNOB, where, NULL, value, err)) < 0)
                        return r;
                if (hr_json_set(sysctl, unprivileged[i].name, TAKE_PTR(value)) < 0)
                        return hr_error_set(err, ENOMEM, "out of memory");
        }
        return 0;
}

static int apply(struct hr_json *config, const struct hr_policy *policy, struct hr_report *report,
                 struct hr_error *err)
{
        enum ns_state states[NS_NONE];
        struct hr_json *lx, *sysctl;
        int r;

        if ((r = hr_harden_object(config, "linux", "linux", false, &lx, err)) < 0 ||
            (r = hr_harden_object(lx, "sysctl", "linux.sysctl", false, &sysctl, err)) < 0 ||
            (r = namespace_states(lx, policy->host, states, err)) < 0)
                return r;
        for (size_t i = 0; sysctl && i < sysctl->u.obj.len; i++) {
                const struct hr_json *v = sysctl->u.obj.members[i].value;

                if (v->type != HR_JSON_STRING)
                        return hr_error_set(err, EINVAL, "linux.sysctl.%s must be a string, not %s",
                                            sysctl->u.obj.members[i].key,
                                            hr_json_type_name(v->type));
        }
        if ((r = check(sysctl, policy, states, report, err)) < 0)
                return r;
        if (!policy->sysctls.unprivileged_net || states[NS_NET] != NS_PRIVATE)
                return 0;
        return add_unprivileged(config, policy, report, err);
}

const struct hr_knob hr_knob_sysctls = {
    .name = KNOB,
    .configure = configure,
    .apply = apply,
};
