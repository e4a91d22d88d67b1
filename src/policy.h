/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The policy: a level (a data file from profiles/policies/, embedded at build
 * time) with the admin's file laid over it.  The file is HARDRUN_POLICY, or
 * SYSCONFDIR/hardrun/policy.json; with neither, the restricted level applies
 * in enforce mode.  A file that does not parse, or that names an unknown
 * knob, is an error: hardrun fails closed.
 */
#ifndef HR_POLICY_H
#define HR_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hr-error.h"
#include "json.h"

#ifndef HR_SYSCONFDIR
#define HR_SYSCONFDIR "/etc"
#endif
#define HR_POLICY_ENV           "HARDRUN_POLICY"
#define HR_POLICY_DEFAULT_PATH  HR_SYSCONFDIR "/hardrun/policy.json"
#define HR_POLICY_DEFAULT_LEVEL "restricted"

enum hr_mode {
        HR_MODE_ENFORCE, /* fix what can be fixed, refuse what cannot */
        HR_MODE_REFUSE,  /* change nothing; refuse what is not compliant */
        HR_MODE_AUDIT,   /* change nothing, refuse nothing; record what enforce would do */
};

struct hr_rootfs_policy {
        bool enabled;
        char **writable; /* absolute, clean paths that get a tmpfs */
        size_t n_writable;
        char *tmpfs_size; /* the size= option of those tmpfs */
};

/* A list of strings from the policy (paths, names or globs). */
struct hr_strv {
        char **v;
        size_t n;
};

/* Knob user. */
struct hr_user_policy {
        bool allow_root;   /* baseline: uid 0 may stay */
        uint32_t uid, gid; /* fallback_user, for a process that would run as uid 0 */
};

/* Knob capabilities: the allowed set, as a bit mask of libcap-ng numbers. */
struct hr_caps_policy {
        uint64_t allowed;
};

/* Knob mounts. */
struct hr_mounts_policy {
        bool bind_nosuid_nodev;   /* every bind mount gets nosuid,nodev */
        bool bind_recursive;      /* ... and rnosuid,rnodev, for the submounts of an rbind */
        bool readonly_sys;        /* /sys and the cgroup mount are read-only */
        bool private_propagation; /* linux.rootfsPropagation is rprivate */
};

/* Knob sysctls. */
struct hr_sysctl_policy {
        bool unprivileged_net;  /* add the port and ping sysctls in a private netns */
        struct hr_strv allowed; /* names or globs (fnmatch) that a config may set */
};

/* Knob limits.  0 (or HR_LIMIT_UNSET) leaves a value alone. */
#define HR_LIMIT_UNSET UINT64_MAX
struct hr_limits_policy {
        uint64_t pids;        /* pids.limit at most this; 0: no cap */
        uint64_t nofile_soft; /* RLIMIT_NOFILE at most soft:hard; HR_LIMIT_UNSET: no cap */
        uint64_t nofile_hard;
        uint64_t core;       /* RLIMIT_CORE at most this; HR_LIMIT_UNSET: no cap */
        uint64_t memory;     /* memory.limit in bytes at most this; 0: not set */
        uint64_t cpu_millis; /* cpu quota as thousandths of a cpu; 0: not set */
};

/* Knob lsm. */
enum hr_lsm_mode {
        HR_LSM_WHEN_AVAILABLE, /* apply a label where the host enforces the LSM */
        HR_LSM_REQUIRED,       /* a host without AppArmor or SELinux is refused */
};
/* The AppArmor profile hardrun sets (profiles/apparmor/hardrun-default, built in). */
#define HR_APPARMOR_PROFILE "hardrun-default"
struct hr_lsm_policy {
        enum hr_lsm_mode mode;
        struct hr_strv selinux_types;       /* allowed SELinux types (globs) */
        struct hr_strv selinux_mount_types; /* allowed types of linux.mountLabel (globs) */
        bool apparmor_unconfined;           /* the AppArmor profile "unconfined" is allowed */
        struct hr_strv apparmor_profiles;   /* loaded profiles a container may keep (globs) */
        /*
         * Not a knob: the MCS categories ("cA,cB") reserved for this
         * container before the knobs run (lsm-prepare.h), or NULL.
         */
        char *mcs_categories;
};

struct hr_host;

/*
 * Knob seccomp (DESIGN §4): hardrun's seccomp profile, resolved for each
 * container and intersected with the container's own.  doc is the parsed
 * profile file, or NULL for the default profile built into hardrun.
 */
struct hr_seccomp_policy {
        bool enabled;
        bool learn;    /* SCMP_ACT_LOG where the profile denies: nothing blocked, all logged */
        char *profile; /* "default", or the absolute path of a profile file */
        struct hr_json *doc;
};

struct hr_policy {
        char *source; /* the file, or "built-in" */
        char *level;
        enum hr_mode mode;
        char **runtime; /* names or paths, in order; NULL when unset */
        size_t n_runtime;
        char *audit_file; /* NULL: syslog only */

        struct hr_strv annotation_may_relax; /* knobs (and "level") annotations may relax */
        char *rule; /* the name of the rule that matched, or NULL (for the record) */

        /* What the knobs ask of the host; tests put their own here. */
        const struct hr_host *host;

        /* The knobs, in the order hr_harden() runs them. */
        struct hr_user_policy user;
        struct hr_caps_policy capabilities;
        bool no_new_privileges;
        struct hr_rootfs_policy readonly_rootfs;
        struct hr_strv masked_paths;   /* clean absolute paths */
        struct hr_strv masked_globs;   /* glob(3) patterns, expanded on the host at apply */
        struct hr_strv readonly_paths; /* clean absolute paths */
        struct hr_strv readonly_globs; /* glob(3) patterns, expanded on the host at apply */
        struct hr_mounts_policy mounts;
        struct hr_strv sensitive_mounts; /* host paths that may not be bind mounted */
        struct hr_sysctl_policy sysctls;
        struct hr_limits_policy limits;
        struct hr_strv annotations_strip; /* knob annotations: globs of keys removed */
        struct hr_strv namespaces;        /* knob namespaces: types that must be private */
        struct hr_strv devices;           /* knob devices: device paths allowed (globs) */
        bool devices_enabled;             /* knob devices: false turns it off */
        struct hr_lsm_policy lsm;
        struct hr_seccomp_policy seccomp;
};

/* The parsed policy file; doc is NULL when there is none (built-in policy). */
struct hr_policy_file {
        struct hr_json *doc;
        char *path;
};

/*
 * Read and parse the policy file, without resolving it: HARDRUN_POLICY, or
 * HR_POLICY_DEFAULT_PATH when that exists.
 */
int hr_policy_file_read(struct hr_policy_file *out, struct hr_error *err);
/* The same for a file named explicitly (hardrun check --policy): it must exist. */
int hr_policy_file_load(const char *path, struct hr_policy_file *out, struct hr_error *err);
void hr_policy_file_done(struct hr_policy_file *f);

/* Only the runtime key, for commands that pass straight through. */
int hr_policy_runtime(const struct hr_policy_file *f, struct hr_policy *out, struct hr_error *err);

/* What rules and annotations match on. */
#define HR_ANNOTATION_PREFIX "io.hardrun."
#define HR_ANNOTATION_LEVEL  HR_ANNOTATION_PREFIX "level"
struct hr_policy_ctx {
        const char *id;
        const char *bundle;                /* absolute and clean */
        const struct hr_json *annotations; /* the config's object, or NULL */
};

/*
 * Resolve the policy for one container: the first rule that matches it picks
 * the level (and mode) and adds its knobs over the file's; io.hardrun.level
 * may always tighten the level, and io.hardrun.KNOB annotations may change
 * the knobs listed in annotation_may_relax.  Every rule is checked, matching
 * or not.
 */
int hr_policy_resolve_for(const struct hr_policy_file *f, const struct hr_policy_ctx *ctx,
                          struct hr_policy *out, struct hr_error *err);

/* The same without a container: no rule matches and no annotation applies. */
int hr_policy_resolve(const struct hr_policy_file *f, struct hr_policy *out, struct hr_error *err);

void hr_policy_done(struct hr_policy *p);

const char *hr_mode_name(enum hr_mode mode);

/* The text of a built-in level (profiles/policies/NAME.json), or NULL when there is none. */
const char *hr_policy_level_text(const char *name);

/* Helpers for knobs reading their policy values. */
int hr_policy_bool(const struct hr_json *value, const char *knob, bool *out, struct hr_error *err);
int hr_policy_string(const struct hr_json *value, const char *knob, char **out,
                     struct hr_error *err);
/* A string or an array of strings. */
int hr_policy_strings(const struct hr_json *value, const char *knob, char ***out, size_t *n,
                      struct hr_error *err);
void hr_strv_free(char **v, size_t n);
/* Replace *out with the string or list of strings in value. */
int hr_policy_strv(const struct hr_json *value, const char *knob, struct hr_strv *out,
                   struct hr_error *err);
void hr_strv_done(struct hr_strv *s);
/* qsort comparator for char * elements. */
int hr_strv_cmp(const void *a, const void *b);
/* A JSON integer in [min, max]. */
int hr_policy_uint(const struct hr_json *value, const char *knob, uint64_t min, uint64_t max,
                   uint64_t *out, struct hr_error *err);

#endif
