/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Knob limits: bounded resources.
 *
 * - linux.resources.pids.limit is at most `pids`; unset, 0 and negative
 *   values (no limit, to the runtimes) are set to it.
 * - RLIMIT_NOFILE is at most `nofile` (soft, hard) and RLIMIT_CORE at most
 *   `core`, in every process.rlimits entry of that type; a missing one is
 *   added.  Neither bound is ever above the hard limit hardrun itself runs
 *   with, which the runtime inherits through exec: raising a hard limit
 *   needs CAP_SYS_RESOURCE, which a host may withhold from the runtime too,
 *   and then the container would not start at all.
 * - linux.resources.memory.limit (bytes) and the cpu quota only when the
 *   policy sets `memory` and `cpus`; an unset, unlimited or higher config
 *   value gets the policy's.  The cpu quota is set against a period of
 *   100000 us; a config with its own period keeps it while its quota is
 *   within bounds.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "harden.h"
#include "host.h"
#include "hr-cleanup.h"
#include "util.h"

#define KNOB       "limits"
#define CPU_PERIOD 100000 /* us */
#define MIN_MILLIS 10     /* 0.01 cpu: the kernel's smallest quota is 1 ms */

/* ---- the policy value ------------------------------------------------------ */

/* An integer of bytes, or a string of digits with a k, m, g or t suffix (powers of 1024). */
static int parse_memory(const struct hr_json *v, uint64_t *out, struct hr_error *err)
{
        static const char suffixes[] = "kmgt";
        char num[20] = "";
        const char *text, *unit;
        size_t digits = 0;
        unsigned shift = 0;
        uint64_t n;

        if (v->type == HR_JSON_NUMBER || v->type == HR_JSON_STRING) {
                text = v->u.str.text;
                digits = strspn(text, "0123456789");
                if (v->type == HR_JSON_STRING && digits > 0 && text[digits] && !text[digits + 1] &&
                    (unit = strchr(suffixes, text[digits] | 0x20)))
                        shift = 10 * (unsigned)(unit - suffixes + 1);
                else if (text[digits])
                        digits = 0;
                if (digits < sizeof(num))
                        memcpy(num, text, digits);
        }
        if (digits == 0 || digits >= sizeof(num))
                return hr_error_set(err, EINVAL,
                                    "knob " KNOB ".memory must be a number of bytes or a size "
                                    "such as \"512m\"");
        if (hr_parse_uint(num, 0, (uint64_t)INT64_MAX >> shift, &n, NULL) < 0)
                return hr_error_set(err, ERANGE, "knob " KNOB ".memory is too large");
        *out = n << shift;
        return 0;
}

/* A number of cpus such as 1.5, to thousandths. */
static int parse_cpus(const struct hr_json *v, uint64_t *out, struct hr_error *err)
{
        const char *text = v->u.str.text;
        size_t whole = strspn(text, "0123456789"), frac = 0;
        uint64_t millis = 0;

        if (v->type == HR_JSON_NUMBER && text[whole] == '.')
                frac = strspn(text + whole + 1, "0123456789");
        if (v->type != HR_JSON_NUMBER || whole == 0 || whole > 7 || frac > 3 ||
            text[whole + (frac ? frac + 1 : 0)])
                return hr_error_set(err, EINVAL,
                                    "knob " KNOB ".cpus must be a number of cpus such as 1.5, "
                                    "with at most three decimals");
        for (size_t i = 0; i < whole; i++)
                millis = millis * 10 + (uint64_t)(text[i] - '0');
        millis *= 1000;
        for (size_t i = 0, scale = 100; i < frac; i++, scale /= 10)
                millis += scale * (uint64_t)(text[whole + 1 + i] - '0');
        if (millis != 0 && millis < MIN_MILLIS)
                return hr_error_set(err, EINVAL, "knob " KNOB ".cpus must be at least 0.01");
        *out = millis;
        return 0;
}

static int parse_nofile(struct hr_limits_policy *p, const struct hr_json *v, struct hr_error *err)
{
        uint64_t soft, hard;

        if (v->type == HR_JSON_NULL) {
                p->nofile_soft = p->nofile_hard = HR_LIMIT_UNSET;
                return 0;
        }
        if (v->type != HR_JSON_ARRAY || v->u.arr.len != 2 ||
            hr_policy_uint(v->u.arr.items[0], KNOB ".nofile", 0, INT64_MAX, &soft, NULL) < 0 ||
            hr_policy_uint(v->u.arr.items[1], KNOB ".nofile", 0, INT64_MAX, &hard, NULL) < 0 ||
            soft > hard)
                return hr_error_set(err, EINVAL,
                                    "knob " KNOB ".nofile must be [soft, hard], two integers "
                                    "with soft at most hard, or null");
        p->nofile_soft = soft;
        p->nofile_hard = hard;
        return 0;
}

static int configure_one(struct hr_limits_policy *p, const char *key, const struct hr_json *v,
                         struct hr_error *err)
{
        bool null = v->type == HR_JSON_NULL;

        if (strcmp(key, "pids") == 0) {
                if (null)
                        p->pids = 0;
                return null ? 0 : hr_policy_uint(v, KNOB ".pids", 0, INT64_MAX, &p->pids, err);
        }
        if (strcmp(key, "nofile") == 0)
                return parse_nofile(p, v, err);
        if (strcmp(key, "core") == 0) {
                if (null)
                        p->core = HR_LIMIT_UNSET;
                return null ? 0 : hr_policy_uint(v, KNOB ".core", 0, INT64_MAX, &p->core, err);
        }
        if (strcmp(key, "memory") == 0) {
                if (null)
                        p->memory = 0;
                return null ? 0 : parse_memory(v, &p->memory, err);
        }
        if (strcmp(key, "cpus") == 0) {
                if (null)
                        p->cpu_millis = 0;
                return null ? 0 : parse_cpus(v, &p->cpu_millis, err);
        }
        return hr_error_set(err, EINVAL, "unknown knob " KNOB ".%s", key);
}

static int configure(struct hr_policy *policy, const struct hr_json *value, struct hr_error *err)
{
        int r = 0;

        if (value->type != HR_JSON_OBJECT)
                return hr_error_set(err, EINVAL, "knob " KNOB " must be an object");
        for (size_t i = 0; i < value->u.obj.len && r == 0; i++)
                r = configure_one(&policy->limits, value->u.obj.members[i].key,
                                  value->u.obj.members[i].value, err);
        return r;
}

/* ---- reading and writing config numbers ------------------------------------ */

/* obj.key as an unsigned 64-bit integer, 0 when absent or null. */
static int get_uint(const struct hr_json *obj, const char *key, const char *path, uint64_t *out,
                    struct hr_error *err)
{
        struct hr_json *v;
        int r;

        if ((r = hr_harden_get(obj, key, path, &v, err)) < 0)
                return r;
        *out = 0;
        if (!v || v->type == HR_JSON_NULL)
                return 0;
        if (v->type != HR_JSON_NUMBER || hr_parse_uint(v->u.str.text, 0, UINT64_MAX, out, NULL) < 0)
                return hr_error_set(err, EINVAL, "%s must be a non-negative 64-bit integer", path);
        return 0;
}

static struct hr_json *new_uint(uint64_t n)
{
        char text[24];

        snprintf(text, sizeof(text), "%" PRIu64, n);
        return hr_json_new_number(text);
}

/* Make obj.key the number n, reporting the change at path. */
static int set_uint(struct hr_json *obj, const char *key, const char *path, uint64_t n,
                    struct hr_report *report, struct hr_error *err)
{
        _cleanup_json_ struct hr_json *after = new_uint(n);
        struct hr_json *before;
        int r;

        if (!after)
                return hr_error_set(err, ENOMEM, "out of memory");
        if ((r = hr_harden_get(obj, key, path, &before, err)) < 0 ||
            (r = hr_report_change(report, KNOB, path, before, after, err)) < 0)
                return r;
        return hr_json_set(obj, key, TAKE_PTR(after)) < 0
                   ? hr_error_set(err, ENOMEM, "out of memory")
                   : 0;
}

/* linux.resources.NAME, created with its parents when create is set. */
static int resource(struct hr_json *config, const char *name, const char *path, bool create,
                    struct hr_json **out, struct hr_error *err)
{
        struct hr_json *lx, *resources;
        int r;

        *out = NULL;
        if ((r = hr_harden_object(config, "linux", "linux", create, &lx, err)) < 0 ||
            (r = hr_harden_object(lx, "resources", "linux.resources", create, &resources, err)) < 0)
                return r;
        return hr_harden_object(resources, name, path, create, out, err);
}

/* ---- linux.resources ------------------------------------------------------- */

/* obj.key (an int64 where <= 0 means no limit) at most max. */
static int cap_int(struct hr_json *config, const char *name, const char *key, const char *path,
                   uint64_t max, struct hr_report *report, struct hr_error *err)
{
        char where[64];
        struct hr_json *obj;
        bool present;
        int64_t cur;
        int r;

        snprintf(where, sizeof(where), "linux.resources.%s", name);
        if ((r = resource(config, name, where, false, &obj, err)) < 0 ||
            (r = hr_harden_int(obj, key, path, &present, &cur, err)) < 0)
                return r;
        if (present && cur > 0 && (uint64_t)cur <= max)
                return 0;
        if ((r = resource(config, name, where, true, &obj, err)) < 0)
                return r;
        return set_uint(obj, key, path, max, report, err);
}

/* memory.swap is memory plus swap: it may not be below the limit. */
static int fix_swap(struct hr_json *config, struct hr_report *report, struct hr_error *err)
{
        struct hr_json *memory;
        bool has_limit, has_swap;
        int64_t limit, swap;
        int r;

        if ((r = resource(config, "memory", "linux.resources.memory", false, &memory, err)) < 0 ||
            (r = hr_harden_int(memory, "limit", "linux.resources.memory.limit", &has_limit, &limit,
                               err)) < 0 ||
            (r = hr_harden_int(memory, "swap", "linux.resources.memory.swap", &has_swap, &swap,
                               err)) < 0)
                return r;
        if (!has_limit || limit <= 0 || !has_swap || swap <= 0 || swap >= limit)
                return 0;
        return set_uint(memory, "swap", "linux.resources.memory.swap", (uint64_t)limit, report,
                        err);
}

static int cap_cpu(struct hr_json *config, uint64_t millis, struct hr_report *report,
                   struct hr_error *err)
{
        struct hr_json *cpu;
        uint64_t period;
        bool present;
        int64_t quota;
        int r;

        if ((r = resource(config, "cpu", "linux.resources.cpu", false, &cpu, err)) < 0 ||
            (r = hr_harden_int(cpu, "quota", "linux.resources.cpu.quota", &present, &quota, err)) <
                0 ||
            (r = get_uint(cpu, "period", "linux.resources.cpu.period", &period, err)) < 0)
                return r;
        if (period == 0)
                period = CPU_PERIOD;
        /* quota / period <= millis / 1000, without overflow */
        if (present && quota > 0 &&
            (unsigned __int128)quota * 1000 <= (unsigned __int128)millis * period)
                return 0;
        if ((r = resource(config, "cpu", "linux.resources.cpu", true, &cpu, err)) < 0 ||
            (r = get_uint(cpu, "period", "linux.resources.cpu.period", &period, err)) < 0)
                return r;
        if (period != CPU_PERIOD && (r = set_uint(cpu, "period", "linux.resources.cpu.period",
                                                  CPU_PERIOD, report, err)) < 0)
                return r;
        return set_uint(cpu, "quota", "linux.resources.cpu.quota", millis * (CPU_PERIOD / 1000),
                        report, err);
}

/* ---- process.rlimits ------------------------------------------------------- */

struct rlimit_cap {
        const char *type;
        int resource;
        uint64_t soft, hard;
};

static int cap_entry(struct hr_json *e, size_t i, const struct rlimit_cap *c,
                     struct hr_report *report, struct hr_error *err)
{
        static const char *const fields[] = {"soft", "hard"};

        for (size_t f = 0; f < HR_ARRAY_SIZE(fields); f++) {
                uint64_t max = f == 0 ? c->soft : c->hard, cur;
                char where[96];
                int r;

                snprintf(where, sizeof(where), "process.rlimits[%zu].%s", i, fields[f]);
                if ((r = get_uint(e, fields[f], where, &cur, err)) < 0)
                        return r;
                snprintf(where, sizeof(where), "process.rlimits[%s].%s", c->type, fields[f]);
                if (cur > max && (r = set_uint(e, fields[f], where, max, report, err)) < 0)
                        return r;
        }
        return 0;
}

static struct hr_json *rlimit_entry(const struct rlimit_cap *c)
{
        _cleanup_json_ struct hr_json *e = hr_json_new_object();

        if (!e || hr_json_set(e, "type", hr_json_new_string(c->type)) < 0 ||
            hr_json_set(e, "hard", new_uint(c->hard)) < 0 ||
            hr_json_set(e, "soft", new_uint(c->soft)) < 0)
                return NULL;
        return TAKE_PTR(e);
}

static int cap_rlimit(struct hr_json *rlimits, const struct rlimit_cap *c, struct hr_report *report,
                      struct hr_error *err)
{
        _cleanup_json_ struct hr_json *e = NULL;
        char where[64];
        bool found = false;
        int r;

        for (size_t i = 0; i < rlimits->u.arr.len; i++) {
                struct hr_json *item = rlimits->u.arr.items[i], *type;
                const char *t;

                if ((r = hr_harden_get(item, "type", "process.rlimits[].type", &type, err)) < 0)
                        return r;
                if (item->type != HR_JSON_OBJECT || !(t = hr_json_string(type)))
                        return hr_error_set(err, EINVAL,
                                            "process.rlimits[%zu] must be an object with a "
                                            "string type",
                                            i);
                if (strcmp(t, c->type) != 0)
                        continue;
                found = true;
                if ((r = cap_entry(item, i, c, report, err)) < 0)
                        return r;
        }
        if (found)
                return 0;
        snprintf(where, sizeof(where), "process.rlimits[%s]", c->type);
        if (!(e = rlimit_entry(c)))
                return hr_error_set(err, ENOMEM, "out of memory");
        if ((r = hr_report_change(report, KNOB, where, NULL, e, err)) < 0)
                return r;
        return hr_json_append(rlimits, TAKE_PTR(e)) < 0 ? hr_error_set(err, ENOMEM, "out of memory")
                                                        : 0;
}

/* The policy's bounds, lowered to the hard limit the runtime will have. */
static void bound(const struct hr_host *host, struct rlimit_cap *c)
{
        uint64_t soft, hard;

        if (host->rlimit && host->rlimit(c->resource, &soft, &hard) == 0 && hard < c->hard)
                c->hard = hard;
        if (c->soft > c->hard)
                c->soft = c->hard;
}

int hr_limits_rlimits(struct hr_json *config, const struct hr_policy *policy,
                      struct hr_report *report, struct hr_error *err)
{
        const struct hr_limits_policy *p = &policy->limits;
        struct rlimit_cap caps[] = {
            {"RLIMIT_NOFILE", RLIMIT_NOFILE, p->nofile_soft, p->nofile_hard},
            {"RLIMIT_CORE", RLIMIT_CORE, p->core, p->core},
        };
        struct hr_json *process, *rlimits;
        int r;

        if (p->nofile_hard == HR_LIMIT_UNSET && p->core == HR_LIMIT_UNSET)
                return 0;
        if ((r = hr_harden_require_object(config, "process", "process", &process, err)) < 0 ||
            (r = hr_harden_array(process, "rlimits", "process.rlimits", &rlimits, err)) < 0)
                return r;
        for (size_t i = 0; i < HR_ARRAY_SIZE(caps); i++) {
                if (caps[i].hard == HR_LIMIT_UNSET)
                        continue;
                bound(policy->host, &caps[i]);
                if ((r = cap_rlimit(rlimits, &caps[i], report, err)) < 0)
                        return r;
        }
        return 0;
}

static int apply(struct hr_json *config, const struct hr_policy *policy, struct hr_report *report,
                 struct hr_error *err)
{
        const struct hr_limits_policy *p = &policy->limits;
        int r;

        if (p->pids && (r = cap_int(config, "pids", "limit", "linux.resources.pids.limit", p->pids,
                                    report, err)) < 0)
                return r;
        if (p->memory && ((r = cap_int(config, "memory", "limit", "linux.resources.memory.limit",
                                       p->memory, report, err)) < 0 ||
                          (r = fix_swap(config, report, err)) < 0))
                return r;
        if (p->cpu_millis && (r = cap_cpu(config, p->cpu_millis, report, err)) < 0)
                return r;
        return hr_limits_rlimits(config, policy, report, err);
}

const struct hr_knob hr_knob_limits = {
    .name = KNOB,
    .configure = configure,
    .apply = apply,
};
