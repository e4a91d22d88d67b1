/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The knobs.  Each knob is one file in src/harden/ with the same shape: it
 * reads its policy value (configure) and brings a config in line with it
 * (apply).  apply is a pure function over the JSON tree: it records every
 * change and every violation in the report and does no I/O, so that enforce,
 * refuse, audit and `check` all run the same code.
 */
#ifndef HR_HARDEN_H
#define HR_HARDEN_H

#include "hr-error.h"
#include "json.h"
#include "policy.h"
#include "report.h"

struct hr_knob {
        const char *name;
        /* Read the knob's value from a level or policy file into policy. */
        int (*configure)(struct hr_policy *policy, const struct hr_json *value,
                         struct hr_error *err);
        /* Bring config in line with policy.  A malformed config is an error. */
        int (*apply)(struct hr_json *config, const struct hr_policy *policy,
                     struct hr_report *report, struct hr_error *err);
};

extern const struct hr_knob hr_knob_user;
extern const struct hr_knob hr_knob_capabilities;
extern const struct hr_knob hr_knob_no_new_privileges;
extern const struct hr_knob hr_knob_readonly_rootfs;
extern const struct hr_knob hr_knob_masked_paths;
extern const struct hr_knob hr_knob_readonly_paths;
extern const struct hr_knob hr_knob_mounts;
extern const struct hr_knob hr_knob_sensitive_mounts;
extern const struct hr_knob hr_knob_namespaces;
extern const struct hr_knob hr_knob_sysctls;
extern const struct hr_knob hr_knob_limits;
extern const struct hr_knob hr_knob_annotations;
extern const struct hr_knob hr_knob_devices;
extern const struct hr_knob hr_knob_lsm;
extern const struct hr_knob hr_knob_seccomp;

/* Knob limits' part on process.rlimits alone (an exec'd process has no linux.resources). */
int hr_limits_rlimits(struct hr_json *config, const struct hr_policy *policy,
                      struct hr_report *report, struct hr_error *err);

/*
 * Knob lsm's part the command layer asks before the knobs run: on a host
 * that enforces SELinux, does the container need MCS categories reserved
 * (it has no process.selinuxLabel, or one without explicit categories)?
 */
bool hr_lsm_needs_mcs(const struct hr_json *config);

/* The knob called name, or NULL. */
const struct hr_knob *hr_knob_find(const char *name);

/* Run every knob, in order, over config. */
int hr_harden(struct hr_json *config, const struct hr_policy *policy, struct hr_report *report,
              struct hr_error *err);

/*
 * For knobs: the member parent.key (NULL when absent or parent is not an
 * object).  runc decodes with Go's encoding/json, which matches struct keys
 * case-insensitively (and reads U+017F as s, U+212A as k), the last match
 * winning: {"process":..., "Process":...} runs the second.  A sibling that
 * runc would read as the same key is therefore refused, so that what hardrun
 * hardens is what the runtime uses.
 */
int hr_harden_get(const struct hr_json *parent, const char *key, const char *path,
                  struct hr_json **out, struct hr_error *err);

/* For knobs: the object at parent.key, which the runtime requires. */
int hr_harden_require_object(struct hr_json *parent, const char *key, const char *path,
                             struct hr_json **out, struct hr_error *err);

/* For knobs: the array at parent.key, created empty when absent. */
int hr_harden_array(struct hr_json *parent, const char *key, const char *path, struct hr_json **out,
                    struct hr_error *err);

/*
 * For knobs: the object at parent.key.  When it is absent (or null), *out is
 * NULL, unless create is set: then an empty object is put there.
 */
int hr_harden_object(struct hr_json *parent, const char *key, const char *path, bool create,
                     struct hr_json **out, struct hr_error *err);

/*
 * For knobs and the commands that read resources: obj.key as a signed 64-bit
 * integer, *present false (and *out 0) when absent or null.
 */
int hr_harden_int(const struct hr_json *obj, const char *key, const char *path, bool *present,
                  int64_t *out, struct hr_error *err);

/* For knobs: make obj.key the boolean want, reporting the change. */
int hr_harden_bool(struct hr_json *obj, const char *key, bool want, const char *knob,
                   const char *path, struct hr_report *report, struct hr_error *err);

#endif
