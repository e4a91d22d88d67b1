/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * profiles/apparmor/hardrun-default, checked as far as can be done without
 * apparmor_parser (tests/integration/lsm.bats compiles it with the parser):
 * the copy built into hardrun is the file; it is one profile of that name
 * with balanced braces, every rule ending in a comma, and no include; and
 * its path rules, read with AppArmor's globbing, deny what hardrun-profiles(7)
 * says they deny and nothing a container needs.
 */
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "hr-cleanup.h"
#include "lsm-host.h"
#include "tap.h"

#define PROFILE_FILE "profiles/apparmor/hardrun-default"

struct rule {
        bool deny;
        char *pattern; /* an AppArmor path glob */
        char *perms;
        regex_t re;
};

static struct rule rules[64];
static size_t n_rules;

/* An AppArmor glob (*, **, ?, [...], {a,b}) as an anchored POSIX ERE. */
static char *glob_to_ere(const char *g)
{
        size_t cap = strlen(g) * 4 + 8, n = 0;
        char *out = malloc(cap);
        int depth = 0;

        if (!out)
                abort();
        out[n++] = '^';
        for (const char *p = g; *p; p++) {
                if (p[0] == '*' && p[1] == '*') {
                        n += (size_t)sprintf(out + n, ".*");
                        p++;
                } else if (*p == '*') {
                        n += (size_t)sprintf(out + n, "[^/]*");
                } else if (*p == '?') {
                        n += (size_t)sprintf(out + n, "[^/]");
                } else if (*p == '[') {
                        const char *end = strchr(p + 1, ']');

                        if (!end)
                                abort();
                        memcpy(out + n, p, (size_t)(end - p) + 1);
                        n += (size_t)(end - p) + 1;
                        p = end;
                } else if (*p == '{') {
                        out[n++] = '(';
                        depth++;
                } else if (*p == '}' && depth) {
                        out[n++] = ')';
                        depth--;
                } else if (*p == ',' && depth) {
                        out[n++] = '|';
                } else {
                        if (strchr(".+()|^$\\", *p))
                                out[n++] = '\\';
                        out[n++] = *p;
                }
        }
        out[n++] = '$';
        out[n] = '\0';
        return out;
}

/* The body's lines, comments dropped, each a rule ending in a comma. */
static void read_profile(const char *text)
{
        _cleanup_free_ char *copy = strdup(text);
        char *save = NULL, *line;
        int depth = 0, headers = 0;
        bool commas = true, includes = false;

        for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *hash = strchr(line, '#'), *end;
                char deny[8], pattern[256], perms[16];

                if (strncmp(line, "#include", 8) == 0 || strstr(line, "include <"))
                        includes = true;
                if (hash)
                        *hash = '\0';
                while (*line == ' ')
                        line++;
                end = line + strlen(line);
                while (end > line && end[-1] == ' ')
                        *--end = '\0';
                if (!*line)
                        continue;
                if (strncmp(line, "profile hardrun-default ", 24) == 0 && end[-1] == '{') {
                        headers++;
                        depth++;
                        continue;
                }
                if (strcmp(line, "}") == 0) {
                        depth--;
                        continue;
                }
                commas &= depth == 1 && end[-1] == ',';
                if (sscanf(line, "%7s %255s %15[a-z],", deny, pattern, perms) == 3 &&
                    strcmp(deny, "deny") == 0 && pattern[0] == '/' && n_rules < 64) {
                        struct rule *r = &rules[n_rules++];
                        _cleanup_free_ char *ere = glob_to_ere(pattern);

                        r->deny = true;
                        r->pattern = strdup(pattern);
                        r->perms = strdup(perms);
                        if (regcomp(&r->re, ere, REG_EXTENDED | REG_NOSUB) != 0) {
                                printf("# cannot compile %s as %s\n", pattern, ere);
                                abort();
                        }
                }
        }
        is_int(headers, 1, "one profile, named hardrun-default");
        is_int(depth, 0, "its braces balance");
        ok(commas, "every rule is inside it and ends with a comma");
        ok(!includes, "it includes nothing, so it parses the same everywhere");
}

/* Does a deny rule take perm (one letter) on path? */
static bool denied(const char *path, char perm)
{
        for (size_t i = 0; i < n_rules; i++)
                if (strchr(rules[i].perms, perm) && regexec(&rules[i].re, path, 0, NULL, 0) == 0)
                        return true;
        return false;
}

static void test_paths(void)
{
        static const struct {
                const char *path;
                char perm;
                bool deny;
        } cases[] = {
            /* /proc: kernel knobs */
            {"/proc/sysrq-trigger", 'w', true},
            {"/proc/sysrq-trigger", 'r', true},
            {"/proc/kcore", 'r', true},
            {"/proc/timer_list", 'w', true},
            {"/proc/sys/kernel/core_pattern", 'w', true},
            {"/proc/sys/kernel/modprobe", 'w', true},
            {"/proc/sys/kernel/randomize_va_space", 'w', true},
            {"/proc/sys/kernel/random/uuid", 'w', true},
            {"/proc/sys/kernel/yama/ptrace_scope", 'w', true},
            {"/proc/sys/kernel/sysrq", 'w', true},
            {"/proc/sys/kernel/m", 'w', true},
            {"/proc/sys/kernel/modules_disabled", 'w', true},
            {"/proc/sys/kernel/ms", 'w', true},
            {"/proc/sys/kernel/msx", 'w', true},
            {"/proc/sys/kernel/seccomp/actions_logged", 'w', true},
            {"/proc/sys/kernel/se", 'w', true},
            {"/proc/sys/kernel/sched_child_runs_first", 'w', true},
            {"/proc/sys/kernel/sh", 'w', true},
            {"/proc/sys/kernel/shx", 'w', true},
            {"/proc/sys/kernel/hostname", 'w', true},
            {"/proc/sys/kernel/ns_last_pid", 'w', true},
            {"/proc/sys/kernel/s", 'w', true},
            {"/proc/sys/vm/drop_caches", 'w', true},
            {"/proc/sys/fs/binfmt_misc/register", 'w', true},
            {"/proc/sys/net/ipv4/ip_forward", 'w', true},
            {"/proc/sys/abi/vsyscall32", 'w', true},
            {"/proc/irq/1/smp_affinity", 'w', true},
            {"/proc/bus/pci/00/00.0", 'w', true},
            {"/proc/acpi/wakeup", 'w', true},
            {"/proc/fs/nfsd/threads", 'w', true},
            {"/proc/self/attr/current", 'w', true}, /* never seen: AppArmor mediates /proc/PID */
            {"/proc/1a/x", 'w', true},
            {"/proc/sysvipc/x", 'w', true},
            /* /sys */
            {"/sys/kernel/mm/transparent_hugepage/enabled", 'w', true},
            {"/sys/class/net/eth0/mtu", 'w', true},
            {"/sys/power/state", 'w', true},
            {"/sys/module/apparmor/parameters/enabled", 'w', true},
            {"/sys/fs/ext4/sda1/errors_count", 'w', true},
            {"/sys/fs/bpf/map", 'w', true},
            {"/sys/fs/cxl/x", 'w', true},
            {"/sys/fs/cgx/x", 'w', true},
            {"/sys/fs/fuse/connections/1/abort", 'w', true},
            {"/sys/firmware/acpi/tables/DSDT", 'r', true},
            {"/sys/kernel/security/apparmor/profiles", 'r', true},
            {"/sys/devices/system/cpu/cpu0/online", 'w', true},
            /* what containers need */
            {"/proc/1/oom_score_adj", 'w', false},
            {"/proc/42/attr/current", 'w', false},
            {"/proc/123/task/124/comm", 'w', false},
            {"/proc/sys/kernel/shmmax", 'w', false},
            {"/proc/sys/kernel/shm_rmid_forced", 'w', false},
            {"/proc/sys/kernel/msgmnb", 'w', false},
            {"/proc/sys/kernel/sem", 'w', false},
            {"/proc/sys/kernel/sem_next_id", 'w', false},
            {"/proc/sys/kernel/msg_next_id", 'w', false},
            {"/proc/sys/kernel/shm_next_id", 'w', false},
            {"/proc/sys/kernel/core_pattern", 'r', false},
            {"/proc/cpuinfo", 'r', false},
            {"/proc/1/status", 'r', false},
            {"/sys/fs/cgroup/memory.max", 'w', false},
            {"/sys/fs/cgroup/cpu/cpu.shares", 'w', false},
            {"/sys/class/net/eth0/mtu", 'r', false},
            {"/etc/passwd", 'w', false},
            {"/tmp/x", 'w', false},
            {"/var/lib/app/proc/sys", 'w', false},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
                is_int(denied(cases[i].path, cases[i].perm), cases[i].deny, "%s %c: %s",
                       cases[i].path, cases[i].perm, cases[i].deny ? "denied" : "allowed");
}

static void test_rules(const char *text)
{
        static const char *const wanted[] = {
            "  file,\n",
            "  deny network inet raw,\n",
            "  deny network inet6 raw,\n",
            "  deny network packet,\n",
            "  deny network alg,\n",
            "  deny mount,\n",
            "  deny umount,\n",
            "  deny pivot_root,\n",
            "  ptrace (read,readby,trace,tracedby) peer=hardrun-default,\n",
        };

        for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++)
                ok(strstr(text, wanted[i]) != NULL, "the profile has %.*s",
                   (int)strlen(wanted[i]) - 1, wanted[i]);
        ok(!strstr(text, "deny network raw,") && !strstr(text, "deny network netlink"),
           "netlink sockets stay allowed (glibc, iproute2 and Go read routes through them)");
        ok(strstr(text,
                  "\nprofile hardrun-default flags=(attach_disconnected,mediate_deleted) {\n"),
           "attach_disconnected: paths outside the container's mount namespace still resolve");
}

int main(void)
{
        struct hr_file f = HR_FILE_INIT;
        struct hr_error err = {0};

        if (hr_file_read(PROFILE_FILE, false, 1u << 20, &f, &err) < 0) {
                printf("# %s\n", err.msg);
                return 1;
        }
        is_str(hr_apparmor_default_profile, f.data, "the profile built in is " PROFILE_FILE);
        read_profile(f.data);
        ok(n_rules >= 10, "%zu deny path rules read", n_rules);
        test_paths();
        test_rules(f.data);
        for (size_t i = 0; i < n_rules; i++) {
                regfree(&rules[i].re);
                free(rules[i].pattern);
                free(rules[i].perms);
        }
        hr_file_done(&f);
        return tap_done();
}
