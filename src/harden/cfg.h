/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Typed, strict reads of config values for the knobs that look at mounts,
 * namespaces, devices and labels.  Every read goes through hr_harden_get(),
 * so a key that runc would fold into the one read here is an error.  A value
 * of the wrong JSON type, or a string holding a NUL (which Go keeps and C
 * would cut short), is an error too: the config is malformed, and hardrun
 * must not judge a value the runtime reads differently.  JSON null reads as
 * absent, as Go's decoder leaves the zero value.
 */
#ifndef HR_HARDEN_CFG_H
#define HR_HARDEN_CFG_H

#include <stdbool.h>
#include <stdint.h>

#include "harden.h"

/* The string at parent.key, or NULL when absent or null. */
int hr_cfg_string(const struct hr_json *parent, const char *key, const char *path, const char **out,
                  struct hr_error *err);

/* The array at parent.key, or NULL when absent or null. */
int hr_cfg_array(const struct hr_json *parent, const char *key, const char *path,
                 struct hr_json **out, struct hr_error *err);

/* The object at parent.key, or NULL when absent or null. */
int hr_cfg_object(const struct hr_json *parent, const char *key, const char *path,
                  struct hr_json **out, struct hr_error *err);

/* The object at parent.key, created empty when absent or null. */
int hr_cfg_object_create(struct hr_json *parent, const char *key, const char *path,
                         struct hr_json **out, struct hr_error *err);

/*
 * An integer at parent.key in [-1, max]; absent or null gives -1 (as does
 * -1 itself: runc's wildcard device number).
 */
int hr_cfg_int(const struct hr_json *parent, const char *key, const char *path, int64_t max,
               int64_t *out, struct hr_error *err);

/* One entry of the mounts array. */
struct hr_cfg_mount {
        struct hr_json *node;
        const char *destination; /* as written */
        char *dest_clean;        /* cleaned as the runtimes clean it */
        const char *type;        /* NULL when absent */
        const char *source;      /* NULL when absent */
        struct hr_json *options; /* an array of strings, or NULL */
        bool bind;               /* type "bind", or a bind/rbind option */
};

/* Read mounts[i] (mounts is an array); free with hr_cfg_mount_done(). */
int hr_cfg_mount(const struct hr_json *mounts, size_t i, struct hr_cfg_mount *out,
                 struct hr_error *err);
void hr_cfg_mount_done(struct hr_cfg_mount *m);

/* Does the options array (or NULL) hold opt? */
bool hr_cfg_has_option(const struct hr_json *options, const char *opt);

#endif
