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

#include "hr-error.h"
#include "json.h"

#define HR_POLICY_ENV           "HARDRUN_POLICY"
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

struct hr_policy {
        char *source; /* the file, or "built-in" */
        char *level;
        enum hr_mode mode;
        char **runtime; /* names or paths, in order; NULL when unset */
        size_t n_runtime;
        char *audit_file; /* NULL: syslog only */

        bool no_new_privileges;
        struct hr_rootfs_policy readonly_rootfs;
};

/* The parsed policy file; doc is NULL when there is none (built-in policy). */
struct hr_policy_file {
        struct hr_json *doc;
        char *path;
};

/* Read and parse the policy file, without resolving it. */
int hr_policy_file_read(struct hr_policy_file *out, struct hr_error *err);
void hr_policy_file_done(struct hr_policy_file *f);

/* Only the runtime key, for commands that pass straight through. */
int hr_policy_runtime(const struct hr_policy_file *f, struct hr_policy *out, struct hr_error *err);

/* Resolve the level and every knob. */
int hr_policy_resolve(const struct hr_policy_file *f, struct hr_policy *out, struct hr_error *err);

void hr_policy_done(struct hr_policy *p);

const char *hr_mode_name(enum hr_mode mode);

/* Helpers for knobs reading their policy values. */
int hr_policy_bool(const struct hr_json *value, const char *knob, bool *out, struct hr_error *err);
int hr_policy_string(const struct hr_json *value, const char *knob, char **out,
                     struct hr_error *err);
/* A string or an array of strings. */
int hr_policy_strings(const struct hr_json *value, const char *knob, char ***out, size_t *n,
                      struct hr_error *err);
void hr_strv_free(char **v, size_t n);

#endif
