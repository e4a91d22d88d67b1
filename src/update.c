/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * update (DESIGN §2): the limits the policy caps cannot be raised or removed
 * on a running container.  `docker update --pids-limit -1` reaches the
 * runtime as `update --resources=- ID` with the resources on stdin; runc and
 * crun also take single flags.
 *
 * The resources asked for come from the --resources file (or stdin, which
 * is read, checked, and put back for the runtime as it was) and from the
 * flags.  runc ignores the flags when --resources is given; crun need not,
 * so both are checked, each on its own.  For each limit the policy caps
 * (knob limits, for the container the rules pick):
 *   - pids.limit: negative removes the limit, above the cap raises it; 0
 *     leaves it as it is;
 *   - memory.limit: the same, when the policy sets memory;
 *   - cpu quota/period: when the policy sets cpus, the share they give (a
 *     quota or period not in the update is the container's own) must stay
 *     within it, and a negative quota removes it.
 * Nothing is fixed: an update asking for more is refused (recorded only in
 * audit mode).  An update that touches none of these is handed over without
 * looking further.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bundle.h"
#include "command.h"
#include "container.h"
#include "harden/harden.h"
#include "hr-cleanup.h"
#include "util.h"

#define KNOB        "limits"
#define CPU_PERIOD  100000 /* us, the kernel's default */
#define SEE_LIMITS  "raise the cap in the policy, or exempt this container with a rule"
#define FLAG_PARSED "cannot read update %s \"%s\"; hardrun refuses what it cannot check"

struct asked {
        bool has_pids, has_memory, has_quota, has_period;
        int64_t pids, memory, quota;
        uint64_t period;
        const char *pids_from, *memory_from, *cpu_from; /* for the message */
};

/* runc's memory flags: -1, or bytes with an optional k/m/g/t/p suffix (powers of 1024). */
static int parse_memory(const char *s, int64_t *out)
{
        static const char units[] = "kmgtp";
        _cleanup_free_ char *digits = strdup(s);
        uint64_t v, scale = 1;
        size_t n = 0;
        const char *u;

        if (!digits)
                return -ENOMEM;
        if (strcmp(s, "-1") == 0) {
                *out = -1;
                return 0;
        }
        while (isdigit((unsigned char)digits[n]))
                n++;
        u = s + n;
        if (*u == ' ')
                u++;
        if (*u && (strchr(units, tolower((unsigned char)*u)))) {
                for (const char *p = units; *p != tolower((unsigned char)*u); p++)
                        scale *= 1024;
                scale *= 1024;
                u++;
                if (tolower((unsigned char)*u) == 'i')
                        u++;
        }
        if (tolower((unsigned char)*u) == 'b')
                u++;
        digits[n] = '\0';
        if (n == 0 || *u || hr_parse_uint(digits, 0, INT64_MAX / scale, &v, NULL) < 0)
                return -EINVAL;
        *out = (int64_t)(v * scale);
        return 0;
}

/* What the --resources JSON asks for. */
static int from_json(const struct hr_json *res, struct asked *a, struct hr_error *err)
{
        struct hr_json *pids, *memory, *cpu;
        int64_t period = 0;
        bool has_period = false;
        int r;

        if (res->type != HR_JSON_OBJECT)
                return hr_error_set(err, EINVAL, "the resources are not a JSON object");
        /* Read as runc reads them: a key it folds into one of these is refused. */
        if ((r = hr_harden_get(res, "pids", "pids", &pids, err)) < 0 ||
            (r = hr_harden_get(res, "memory", "memory", &memory, err)) < 0 ||
            (r = hr_harden_get(res, "cpu", "cpu", &cpu, err)) < 0 ||
            (r = hr_harden_int(pids, "limit", "pids.limit", &a->has_pids, &a->pids, err)) < 0 ||
            (r = hr_harden_int(memory, "limit", "memory.limit", &a->has_memory, &a->memory, err)) <
                0 ||
            (r = hr_harden_int(cpu, "quota", "cpu.quota", &a->has_quota, &a->quota, err)) < 0 ||
            (r = hr_harden_int(cpu, "period", "cpu.period", &has_period, &period, err)) < 0)
                return r;
        /* runc: 0 leaves a value as it is. */
        a->has_pids = a->has_pids && a->pids != 0;
        a->has_memory = a->has_memory && a->memory != 0;
        a->has_quota = a->has_quota && a->quota != 0;
        a->has_period = has_period && period > 0;
        a->period = a->has_period ? (uint64_t)period : 0;
        a->pids_from = a->memory_from = a->cpu_from = "--resources";
        return 0;
}

/* What the flags ask for. */
static int from_flags(const struct hr_cmdline *cmd, struct asked *a, struct hr_error *err)
{
        int64_t v;

        if (cmd->pids_limit) {
                if (hr_parse_int(cmd->pids_limit, &v) < 0)
                        return hr_error_set(err, EINVAL, FLAG_PARSED, "--pids-limit",
                                            cmd->pids_limit);
                a->has_pids = v != 0;
                a->pids = v;
                a->pids_from = "--pids-limit";
        }
        if (cmd->memory) {
                if (parse_memory(cmd->memory, &v) < 0)
                        return hr_error_set(err, EINVAL, FLAG_PARSED, "--memory", cmd->memory);
                a->has_memory = v != 0;
                a->memory = v;
                a->memory_from = "--memory";
        }
        if (cmd->cpu_quota) {
                if (hr_parse_int(cmd->cpu_quota, &v) < 0)
                        return hr_error_set(err, EINVAL, FLAG_PARSED, "--cpu-quota",
                                            cmd->cpu_quota);
                a->has_quota = v != 0;
                a->quota = v;
                a->cpu_from = "--cpu-quota";
        }
        if (cmd->cpu_period) {
                if (hr_parse_int(cmd->cpu_period, &v) < 0 || v < 0)
                        return hr_error_set(err, EINVAL, FLAG_PARSED, "--cpu-period",
                                            cmd->cpu_period);
                a->has_period = v != 0;
                a->period = (uint64_t)v;
                a->cpu_from = cmd->cpu_quota ? "--cpu-quota/--cpu-period" : "--cpu-period";
        }
        return 0;
}

static bool touches_caps(const struct hr_cmdline *cmd)
{
        return cmd->resources || cmd->pids_limit || cmd->memory || cmd->cpu_quota ||
               cmd->cpu_period;
}

/* A limit capped at cap: removing it or raising it is a violation. */
static int check_cap(struct hr_report *report, const char *path, const char *what, const char *from,
                     int64_t v, uint64_t cap, struct hr_error *err)
{
        if (v < 0)
                return hr_report_violation(report, err, KNOB, path,
                                           "update %s would remove the %s limit, which the policy "
                                           "caps at %" PRIu64 "; %s",
                                           from, what, cap, SEE_LIMITS);
        if ((uint64_t)v > cap)
                return hr_report_violation(report, err, KNOB, path,
                                           "update %s would raise the %s limit to %" PRId64
                                           ", above the policy's cap of %" PRIu64 "; %s",
                                           from, what, v, cap, SEE_LIMITS);
        return 0;
}

static int check_cpu(const struct asked *a, const struct hr_json *config, uint64_t millis,
                     struct hr_report *report, struct hr_error *err)
{
        const struct hr_json *cpu =
            hr_json_get(hr_json_get(hr_json_get(config, "linux"), "resources"), "cpu");
        int64_t quota = 0, period = 0;
        bool has_quota = false, has_period = false;
        int r;

        if (!a->has_quota && !a->has_period)
                return 0;
        if ((r = hr_harden_int(cpu, "quota", "linux.resources.cpu.quota", &has_quota, &quota,
                               err)) < 0 ||
            (r = hr_harden_int(cpu, "period", "linux.resources.cpu.period", &has_period, &period,
                               err)) < 0)
                return r;
        if (a->has_quota)
                quota = a->quota;
        if (a->has_period)
                period = (int64_t)a->period;
        if (period <= 0)
                period = CPU_PERIOD;
        if (quota < 0 || (!a->has_quota && !has_quota))
                return hr_report_violation(report, err, KNOB, "linux.resources.cpu.quota",
                                           "update %s would remove the cpu limit, which the "
                                           "policy caps at %" PRIu64 " thousandths of a cpu; %s",
                                           a->cpu_from, millis, SEE_LIMITS);
        if ((unsigned __int128)quota * 1000 > (unsigned __int128)millis * (uint64_t)period)
                return hr_report_violation(report, err, KNOB, "linux.resources.cpu.quota",
                                           "update %s would give %" PRId64 "/%" PRId64
                                           " of a cpu, above the policy's cap of %" PRIu64
                                           " thousandths; %s",
                                           a->cpu_from, quota, period, millis, SEE_LIMITS);
        return 0;
}

/* stdin, read whole and put back, unchanged, for the runtime to read. */
static int take_stdin(char **out, size_t *len, struct hr_error *err)
{
        _cleanup_close_ int fd = -1;
        _cleanup_free_ char *buf = NULL;
        size_t n = 0;
        int r;

        if ((r = hr_fd_read_all(0, "standard input", HR_JSON_MAX_SIZE, &buf, &n, err)) < 0)
                return r;
        /* Not O_CLOEXEC: it becomes the runtime's stdin. */
        if ((fd = memfd_create("hardrun-update-resources", 0)) < 0)
                return hr_error_errno(err, errno, "keeping the resources for the runtime");
        if ((n && write(fd, buf, n) != (ssize_t)n) || lseek(fd, 0, SEEK_SET) < 0 || dup2(fd, 0) < 0)
                return hr_error_errno(err, errno, "handing the resources on to the runtime");
        *out = TAKE_PTR(buf);
        *len = n;
        return 0;
}

static int read_resources(const struct hr_cmdline *cmd, struct asked *a, struct hr_error *err)
{
        _cleanup_json_ struct hr_json *res = NULL;
        _cleanup_free_ char *text = NULL;
        struct hr_file file = HR_FILE_INIT;
        size_t len = 0;
        int r;

        if (!cmd->resources)
                return 0;
        if (strcmp(cmd->resources, "-") == 0) {
                if ((r = take_stdin(&text, &len, err)) < 0)
                        return r;
                r = hr_json_parse(text, len, 0, &res, err);
        } else {
                r = hr_file_read(cmd->resources, true, HR_JSON_MAX_SIZE, &file, err);
                if (r == 0)
                        r = hr_json_parse(file.data, file.len, 0, &res, err);
                hr_file_done(&file);
        }
        if (r == 0)
                r = from_json(res, a, err);
        if (r < 0)
                return hr_error_prefix(err, "reading --resources %s", cmd->resources);
        return 0;
}

static int check(const struct asked *a, const struct hr_json *config,
                 const struct hr_policy *policy, struct hr_report *report, struct hr_error *err)
{
        int r = 0;

        if (a->has_pids && policy->limits.pids)
                r = check_cap(report, "linux.resources.pids.limit", "pids", a->pids_from, a->pids,
                              policy->limits.pids, err);
        if (r == 0 && a->has_memory && policy->limits.memory)
                r = check_cap(report, "linux.resources.memory.limit", "memory", a->memory_from,
                              a->memory, policy->limits.memory, err);
        if (r == 0 && policy->limits.cpu_millis)
                r = check_cpu(a, config, policy->limits.cpu_millis, report, err);
        return r;
}

int hr_command_update(const struct hr_cmdline *cmd, const char *runtime,
                      const struct hr_policy_file *policy_file, struct hr_error *err)
{
        _cleanup_free_ char *bundle = NULL;
        _cleanup_json_ struct hr_json *config = NULL;
        struct hr_policy policy = {0};
        struct hr_report report = {0};
        struct asked json = {0}, flags = {0};
        int r;

        if (!touches_caps(cmd))
                return 0;
        r = read_resources(cmd, &json, err);
        if (r == 0)
                r = from_flags(cmd, &flags, err);
        if (r == 0)
                r = hr_container_config(runtime, cmd, &bundle, &config, err);
        if (r == 0)
                r = hr_command_policy_for(cmd->id, bundle, policy_file, config, &policy, err);
        if (r == 0)
                r = check(&json, config, &policy, &report, err);
        if (r == 0)
                r = check(&flags, config, &policy, &report, err);
        if (r < 0)
                hr_error_prefix(err, "refusing update of container %s", cmd->id);
        else
                r = hr_command_decide(cmd, &policy, NULL, NULL, &report, err);
        hr_report_done(&report);
        hr_policy_done(&policy);
        return r;
}
