/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside verify: its own small readers of the config tree, and the knob
 * checks of verify.c, verify-mounts.c, verify-linux.c and verify-lsm.c.
 * Nothing here is shared with src/harden/.
 */
#ifndef HR_VERIFY_INTERNAL_H
#define HR_VERIFY_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "verify.h"

struct hr_vf {
        const struct hr_json *config;
        const struct hr_policy *policy;
        struct hr_report *out;
        struct hr_error *err;
};

/* One knob: whether the policy enables it, and the check. */
struct hr_vf_knob {
        const char *name;
        bool (*enabled)(const struct hr_policy *p);
        int (*check)(struct hr_vf *v);
};

/* Record a violation; returns 0 or -ENOMEM. */
int hr_vf_flag(struct hr_vf *v, const char *knob, const char *path, const char *fmt, ...)
    HR_PRINTF(4, 5);

/* The member obj.key; NULL when obj is not an object or has no such key. */
const struct hr_json *hr_vf_get(const struct hr_json *obj, const char *key);
/* The value at a dotted path of keys, e.g. "linux.resources.pids". */
const struct hr_json *hr_vf_at(const struct hr_json *root, const char *dotted);
/* The array at a dotted path; NULL when absent or null.  *bad when it is another type. */
const struct hr_json *hr_vf_array(const struct hr_json *root, const char *dotted, bool *bad);
/* A string without embedded NULs, or NULL. */
const char *hr_vf_string(const struct hr_json *node);

/* A JSON number that is a whole number in range; false otherwise. */
bool hr_vf_int(const struct hr_json *node, int64_t *out);
bool hr_vf_uint(const struct hr_json *node, uint64_t *out);

/* The lexically clean form of an absolute path (malloc'd), or NULL when out of memory. */
char *hr_vf_clean(const char *path);
/* Is a equal to b, or a directory above it?  Both clean and absolute. */
bool hr_vf_covers(const char *a, const char *b);

/* Mounts. */
bool hr_vf_is_bind(const struct hr_json *mount);
/* The state of a flag option: the last of on/off in options wins, dflt when neither. */
bool hr_vf_mount_flag(const struct hr_json *mount, const char *on, const char *off, bool dflt);
/* The clean destination into *out (malloc'd; NULL when there is none).  0 or -ENOMEM. */
int hr_vf_mount_dest(const struct hr_json *mount, char **out, struct hr_error *err);
/* A name for mounts[i] in a violation, "mounts[destination=/x]" or "mounts[3]". */
int hr_vf_mount_name(const struct hr_json *mount, size_t i, char **out, struct hr_error *err);

/* Knobs of verify-mounts.c. */
extern const struct hr_vf_knob hr_vf_readonly_rootfs;
extern const struct hr_vf_knob hr_vf_masked_paths;
extern const struct hr_vf_knob hr_vf_readonly_paths;
extern const struct hr_vf_knob hr_vf_mounts;
extern const struct hr_vf_knob hr_vf_sensitive_mounts;
extern const struct hr_vf_knob hr_vf_devices;

/* Knobs of verify-linux.c. */
extern const struct hr_vf_knob hr_vf_namespaces;
extern const struct hr_vf_knob hr_vf_sysctls;
extern const struct hr_vf_knob hr_vf_limits;

/* Knob lsm, in verify-lsm.c. */
extern const struct hr_vf_knob hr_vf_lsm;

#endif
