/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The verify unit tests' compliant base config and their table runner: each
 * case edits the base, may tweak the fixture policy, and expects exactly one
 * violation (knob, path and a piece of the message) or none.
 */
#ifndef HR_VERIFY_CASES_H
#define HR_VERIFY_CASES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "verify-fixture.h"
#include "verify.h"

/* Compliant with fixture_policy() on the fake host. */
static const char base[] =
    "{\"ociVersion\":\"1.0.2\","
    "\"process\":{\"user\":{\"uid\":65534,\"gid\":65534},\"args\":[\"sh\"],\"cwd\":\"/\","
    " \"capabilities\":{\"bounding\":[\"CAP_NET_BIND_SERVICE\"],"
    "  \"effective\":[\"CAP_NET_BIND_SERVICE\"],\"permitted\":[\"CAP_NET_BIND_SERVICE\"],"
    "  \"inheritable\":[],\"ambient\":[]},"
    " \"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":1024},"
    "  {\"type\":\"RLIMIT_CORE\",\"hard\":0,\"soft\":0}],"
    " \"noNewPrivileges\":true},"
    "\"root\":{\"path\":\"rootfs\",\"readonly\":true},"
    "\"mounts\":["
    " {\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"
    " {\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":\"sysfs\","
    "  \"options\":[\"nosuid\",\"noexec\",\"nodev\",\"ro\"]},"
    " {\"destination\":\"/sys/fs/cgroup\",\"type\":\"cgroup\",\"source\":\"cgroup\","
    "  \"options\":[\"nosuid\",\"noexec\",\"nodev\",\"relatime\",\"ro\"]},"
    " {\"destination\":\"/etc/hosts\",\"type\":\"bind\",\"source\":\"/var/lib/ctr/hosts\","
    "  \"options\":[\"rbind\",\"nosuid\",\"nodev\",\"ro\"]},"
    " {\"destination\":\"/tmp\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
    "  \"options\":[\"nosuid\",\"nodev\",\"mode=1777\"]},"
    " {\"destination\":\"/var/tmp\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"},"
    " {\"destination\":\"/run\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"},"
    " {\"destination\":\"/var/log\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"},"
    " {\"destination\":\"/var/cache\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"}],"
    "\"annotations\":{\"io.kubernetes.pod.namespace\":\"default\"},"
    "\"linux\":{"
    " \"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\"},{\"type\":\"ipc\"},"
    "  {\"type\":\"uts\"},{\"type\":\"mount\"}],"
    " \"maskedPaths\":[\"/proc/acpi\",\"/proc/asound\",\"/proc/interrupts\",\"/proc/kcore\","
    "  \"/proc/keys\",\"/proc/latency_stats\",\"/proc/sched_debug\",\"/proc/scsi\","
    "  \"/proc/timer_list\",\"/proc/timer_stats\",\"/sys/dev/block\","
    "  \"/sys/devices/virtual/powercap\",\"/sys/firmware\",\"/sys/fs/selinux\","
    "  \"/sys/devices/system/cpu/cpu0/thermal_throttle\","
    "  \"/sys/devices/system/cpu/cpu1/thermal_throttle\"],"
    " \"readonlyPaths\":[\"/proc/bus\",\"/proc/fs\",\"/proc/irq\",\"/proc/sys\","
    "  \"/proc/sysrq-trigger\"],"
    " \"rootfsPropagation\":\"private\","
    " \"sysctl\":{\"net.ipv4.ip_unprivileged_port_start\":\"0\","
    "  \"net.ipv4.ping_group_range\":\"0 2147483647\"},"
    " \"resources\":{\"pids\":{\"limit\":2048},\"devices\":[{\"allow\":false,\"access\":\"rwm\"}]},"
    " \"devices\":[{\"path\":\"/dev/null\",\"type\":\"c\",\"major\":1,\"minor\":3}]}}";

#define ALL_CAPS "[\"CAP_SYS_ADMIN\",\"CAP_NET_RAW\",\"CAP_NET_BIND_SERVICE\"]"

#define ALL_CAPS "[\"CAP_SYS_ADMIN\",\"CAP_NET_RAW\",\"CAP_NET_BIND_SERVICE\"]"

struct vcase {
        const char *what;
        const char *edits[4][2]; /* path, JSON value (NULL removes) */
        void (*tweak)(struct hr_policy *p);
        const char *knob, *path, *msg; /* the one violation expected; knob NULL: none */
};

static struct hr_json *parse(const char *text)
{
        struct hr_json *j = NULL;
        struct hr_error err = {0};

        if (hr_json_parse(text, strlen(text), 0, &j, &err) < 0) {
                printf("# bad test JSON: %s\n", err.msg);
                abort();
        }
        return j;
}

static void print_report(const struct hr_report *r)
{
        for (size_t i = 0; i < r->n_violations; i++)
                printf("#   violation %s %s: %s\n", r->violations[i].knob, r->violations[i].path,
                       r->violations[i].message);
}

static void run_case(const struct vcase *c)
{
        _cleanup_json_ struct hr_json *config = parse(base);
        struct hr_policy p = fixture_policy();
        struct hr_report rep = {0};
        struct hr_error err = {0};

        for (size_t i = 0; i < 4 && c->edits[i][0]; i++)
                if (fixture_edit(config, c->edits[i][0], c->edits[i][1]) < 0) {
                        printf("# cannot edit %s\n", c->edits[i][0]);
                        abort();
                }
        if (c->tweak)
                c->tweak(&p);
        if (!ok(hr_verify(config, &p, &rep, &err) == 0, "%s: verify runs", c->what)) {
                printf("#   %s\n", err.msg);
                return;
        }
        if (!c->knob) {
                if (!ok(rep.n_violations == 0, "%s: compliant", c->what))
                        print_report(&rep);
        } else if (!ok(rep.n_violations == 1, "%s: exactly one violation", c->what)) {
                print_report(&rep);
        } else {
                const struct hr_violation *v = &rep.violations[0];

                is_str(v->knob, c->knob, "%s: knob", c->what);
                is_str(v->path, c->path, "%s: path", c->what);
                if (c->msg && !ok(strstr(v->message, c->msg) != NULL, "%s: message says \"%s\"",
                                  c->what, c->msg))
                        printf("#   message: %s\n", v->message);
        }
        hr_report_done(&rep);
}

static void run_cases(const struct vcase *cases, size_t n)
{
        for (size_t i = 0; i < n; i++)
                run_case(&cases[i]);
}

#endif
