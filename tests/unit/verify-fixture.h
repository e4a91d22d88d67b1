/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the verify tests and the verify fuzz harness: a fake host, a
 * policy built by hand with every knob on, a small editor for config trees,
 * and the list of knobs whose enforce output is held to verify.
 */
#ifndef HR_VERIFY_FIXTURE_H
#define HR_VERIFY_FIXTURE_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "json.h"
#include "policy.h"
#include "util.h"

#define FIXTURE_UNUSED __attribute__((unused))

/*
 * The knobs whose enforce output the property test and the fuzzer hold to
 * verify.  On this branch only no_new_privileges and readonly_rootfs are
 * written; the other knobs are stubs that change nothing, and verify rightly
 * fails what they leave.  Once every knob is written, make this true, and
 * every knob verify checks is held to it:
 */
#define FIXTURE_ALL_KNOBS_WRITTEN true
static const char *const fixture_written_knobs[] FIXTURE_UNUSED = {"no_new_privileges",
                                                                   "readonly_rootfs"};

static inline bool fixture_asserted(const char *knob)
{
        if (FIXTURE_ALL_KNOBS_WRITTEN)
                return true;
        for (size_t i = 0; i < sizeof(fixture_written_knobs) / sizeof(fixture_written_knobs[0]);
             i++)
                if (strcmp(fixture_written_knobs[i], knob) == 0)
                        return true;
        return false;
}

/* ---- the fake host -------------------------------------------------------- */

#define FIXTURE_THERMAL_GLOB "/sys/devices/system/cpu/cpu*/thermal_throttle"

/* Paths that are another path on the fake host (a symlink, a bind of a namespace file). */
static const char *const fixture_aliases[][2] FIXTURE_UNUSED = {
    {"/run/netns/host", "/proc/1/ns/net"},
    {"/srv/sock-link", "/run/docker.sock"},
};

static inline const char *fixture_resolve(const char *path)
{
        for (size_t i = 0; i < sizeof(fixture_aliases) / sizeof(fixture_aliases[0]); i++)
                if (strcmp(fixture_aliases[i][0], path) == 0)
                        return fixture_aliases[i][1];
        return path;
}

/* Every path exists but those under /missing/; each has its own inode. */
static inline int fixture_stat(const char *path, uint64_t *dev, uint64_t *ino)
{
        uint64_t h = 14695981039346656037u; /* FNV-1a */

        if (strncmp(path, "/missing/", 9) == 0)
                return -ENOENT;
        for (const char *c = fixture_resolve(path); *c; c++)
                h = (h ^ (unsigned char)*c) * 1099511628211u;
        *dev = 1;
        *ino = h;
        return 0;
}

static inline int fixture_realpath(const char *path, char **out)
{
        if (strncmp(path, "/missing/", 9) == 0)
                return -ENOENT;
        return (*out = strdup(fixture_resolve(path))) ? 0 : -ENOMEM;
}

/* Two cpus with thermal_throttle; nothing else matches. */
static inline int fixture_glob(const char *pattern, struct hr_strv *out)
{
        char **v;

        *out = (struct hr_strv){0};
        if (strcmp(pattern, FIXTURE_THERMAL_GLOB) != 0)
                return 0;
        if (!(v = calloc(3, sizeof(*v))) ||
            !(v[0] = strdup("/sys/devices/system/cpu/cpu0/thermal_throttle")) ||
            !(v[1] = strdup("/sys/devices/system/cpu/cpu1/thermal_throttle"))) {
                if (v)
                        hr_strv_free(v, 2);
                return -ENOMEM;
        }
        *out = (struct hr_strv){.v = v, .n = 2};
        return 0;
}

static inline bool fixture_no(void)
{
        return false;
}

static inline bool fixture_yes(void)
{
        return true;
}

/* AppArmor: hardrun-default, docker-default and custom are loaded. */
static inline int fixture_apparmor_loaded(const char *name, bool *loaded)
{
        *loaded = strcmp(name, "hardrun-default") == 0 || strcmp(name, "docker-default") == 0 ||
                  strcmp(name, "custom") == 0;
        return 0;
}

static inline int fixture_apparmor_load(const char *text, struct hr_error *err)
{
        (void)text;
        (void)err;
        return 0;
}

/* SELinux: Fedora's lxc_contexts. */
static inline int fixture_selinux_contexts(char **process, char **file, struct hr_error *err)
{
        (void)err;
        *process = strdup("system_u:system_r:container_t:s0");
        *file = strdup("system_u:object_r:container_file_t:s0");
        if (!*process || !*file) {
                free(*process);
                free(*file);
                return -ENOMEM;
        }
        return 0;
}

#define FIXTURE_HOST(aa, se)                                                                       \
        {                                                                                          \
                .stat = fixture_stat, .realpath = fixture_realpath, .glob = fixture_glob,          \
                .apparmor_enabled = (aa), .selinux_enabled = (se),                                 \
                .apparmor_loaded = fixture_apparmor_loaded,                                        \
                .apparmor_load = fixture_apparmor_load,                                            \
                .selinux_contexts = fixture_selinux_contexts,                                      \
        }

/* No LSM; AppArmor only; SELinux only. */
static const struct hr_host fixture_host FIXTURE_UNUSED = FIXTURE_HOST(fixture_no, fixture_no);
static const struct hr_host fixture_apparmor_host FIXTURE_UNUSED =
    FIXTURE_HOST(fixture_yes, fixture_no);
static const struct hr_host fixture_selinux_host FIXTURE_UNUSED =
    FIXTURE_HOST(fixture_no, fixture_yes);

/* ---- a policy with every knob on, built without the policy module ------- */

static char *fixture_writable[] FIXTURE_UNUSED = {"/tmp", "/var/tmp", "/run", "/var/log",
                                                  "/var/cache"};
static char *fixture_masked[] FIXTURE_UNUSED = {
    "/proc/acpi",       "/proc/asound",        "/proc/interrupts",  "/proc/kcore",
    "/proc/keys",       "/proc/latency_stats", "/proc/sched_debug", "/proc/scsi",
    "/proc/timer_list", "/proc/timer_stats",   "/sys/dev/block",    "/sys/devices/virtual/powercap",
    "/sys/firmware",    "/sys/fs/selinux"};
static char *fixture_readonly[] FIXTURE_UNUSED = {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                                                  "/proc/sysrq-trigger"};
static char *fixture_sensitive[] FIXTURE_UNUSED = {"/",
                                                   "/boot",
                                                   "/dev",
                                                   "/etc",
                                                   "/lib",
                                                   "/proc",
                                                   "/sys",
                                                   "/usr",
                                                   "/var/run",
                                                   "/run/containerd/containerd.sock",
                                                   "/run/crio/crio.sock",
                                                   "/run/docker.sock",
                                                   "/run/podman/podman.sock",
                                                   "/var/run/containerd/containerd.sock",
                                                   "/var/run/crio/crio.sock",
                                                   "/var/run/docker.sock",
                                                   "/var/run/podman/podman.sock"};
static char *fixture_sysctls[] FIXTURE_UNUSED = {"kernel.shm_rmid_forced",
                                                 "net.ipv4.ip_local_port_range",
                                                 "net.ipv4.ip_unprivileged_port_start",
                                                 "net.ipv4.ping_group_range",
                                                 "kernel.msgmax",
                                                 "kernel.sem",
                                                 "fs.mqueue.*"};
static char *fixture_strip[] FIXTURE_UNUSED = {"run.oci.*", "org.systemd.property.*",
                                               "org.criu.config", "bundle"};
static char *fixture_namespaces[] FIXTURE_UNUSED = {"ipc", "mount", "network", "pid", "uts"};
static char *fixture_devices[] FIXTURE_UNUSED = {"/dev/console", "/dev/full",    "/dev/null",
                                                 "/dev/ptmx",    "/dev/pts/*",   "/dev/random",
                                                 "/dev/tty",     "/dev/urandom", "/dev/zero"};
static char *fixture_selinux[] FIXTURE_UNUSED = {"container_t", "container_init_t",
                                                 "svirt_lxc_net_t"};
static char *fixture_selinux_mount[] FIXTURE_UNUSED = {"container_file_t", "container_ro_file_t"};
static char *fixture_apparmor[] FIXTURE_UNUSED = {"hardrun-default", "docker-default"};

static char *fixture_masked_globs[] = {(char *)FIXTURE_THERMAL_GLOB};

#define FIXTURE_STRV(a) ((struct hr_strv){.v = (a), .n = sizeof(a) / sizeof((a)[0])})

/* The restricted level's values, by hand.  Static storage: never hr_policy_done() it. */
static inline struct hr_policy fixture_policy(void)
{
        return (struct hr_policy){
            .level = "fixture",
            .host = &fixture_host,
            .user = {.allow_root = false, .uid = 65534, .gid = 65534},
            .capabilities = {.allowed = UINT64_C(1) << 10}, /* CAP_NET_BIND_SERVICE */
            .no_new_privileges = true,
            .readonly_rootfs = {.enabled = true,
                                .writable = fixture_writable,
                                .n_writable = sizeof(fixture_writable) / sizeof(char *),
                                .tmpfs_size = "64m"},
            .masked_paths = FIXTURE_STRV(fixture_masked),
            .masked_globs = FIXTURE_STRV(fixture_masked_globs),
            .readonly_paths = FIXTURE_STRV(fixture_readonly),
            .mounts = {.bind_nosuid_nodev = true,
                       .bind_recursive = true,
                       .readonly_sys = true,
                       .private_propagation = true},
            .sensitive_mounts = FIXTURE_STRV(fixture_sensitive),
            .sysctls = {.unprivileged_net = true, .allowed = FIXTURE_STRV(fixture_sysctls)},
            .limits = {.pids = 2048,
                       .nofile_soft = 1024,
                       .nofile_hard = 524288,
                       .core = 0,
                       .memory = 0,
                       .cpu_millis = 0},
            .annotations_strip = FIXTURE_STRV(fixture_strip),
            .namespaces = FIXTURE_STRV(fixture_namespaces),
            .devices = FIXTURE_STRV(fixture_devices),
            .devices_enabled = true,
            .lsm = {.mode = HR_LSM_WHEN_AVAILABLE,
                    .selinux_types = FIXTURE_STRV(fixture_selinux),
                    .selinux_mount_types = FIXTURE_STRV(fixture_selinux_mount),
                    .apparmor_profiles = FIXTURE_STRV(fixture_apparmor),
                    .mcs_categories = (char *)"c1,c2"},
        };
}

/* ---- editing config trees ------------------------------------------------- */

static inline struct hr_json *fixture_child(struct hr_json *node, const char *seg, bool create,
                                            bool array)
{
        uint64_t i;

        if (node->type == HR_JSON_ARRAY)
                return hr_parse_uint(seg, 0, UINT64_MAX, &i, NULL) == 0 && i < node->u.arr.len
                           ? node->u.arr.items[i]
                           : NULL;
        if (node->type != HR_JSON_OBJECT)
                return NULL;
        if (!hr_json_get(node, seg) && create &&
            hr_json_set(node, seg, array ? hr_json_new_array() : hr_json_new_object()) < 0)
                return NULL;
        return hr_json_get(node, seg);
}

/* Replace item i of arr with v, or remove it when v is NULL. */
static inline int fixture_set_item(struct hr_json *arr, const char *seg, struct hr_json *v)
{
        uint64_t i;

        if (hr_parse_uint(seg, 0, UINT64_MAX, &i, NULL) < 0 || i >= arr->u.arr.len)
                return -1;
        hr_json_free(arr->u.arr.items[i]);
        if (v) {
                arr->u.arr.items[i] = v;
                return 0;
        }
        memmove(&arr->u.arr.items[i], &arr->u.arr.items[i + 1],
                (arr->u.arr.len - i - 1) * sizeof(arr->u.arr.items[0]));
        arr->u.arr.len--;
        return 0;
}

/*
 * Set the value at a '/'-separated path of keys and array indexes to the
 * JSON text value, creating objects (or an array before "+") on the way;
 * a last segment "+" appends, and a NULL value removes.  0 or -1.
 */
static inline int fixture_edit(struct hr_json *root, const char *path, const char *value)
{
        struct hr_json *node = root, *v = NULL;
        char *copy = strdup(path), *seg = copy, *slash;
        int r = -1;

        if (!copy || (value && hr_json_parse(value, strlen(value), 0, &v, NULL) < 0))
                goto out;
        while (node && (slash = strchr(seg, '/'))) {
                *slash = '\0';
                node = fixture_child(node, seg, true, strcmp(slash + 1, "+") == 0);
                seg = slash + 1;
        }
        if (!node)
                goto out;
        if (node->type == HR_JSON_ARRAY && strcmp(seg, "+") == 0 && v) {
                r = hr_json_append(node, v);
                v = NULL;
        } else if (node->type == HR_JSON_ARRAY) {
                if ((r = fixture_set_item(node, seg, v)) == 0)
                        v = NULL;
        } else if (node->type == HR_JSON_OBJECT && !v) {
                r = hr_json_remove(node, seg) >= 0 ? 0 : -1;
        } else if (node->type == HR_JSON_OBJECT) {
                r = hr_json_set(node, seg, v);
                v = NULL;
        }
out:
        hr_json_free(v);
        free(copy);
        return r < 0 ? -1 : 0;
}

#endif
