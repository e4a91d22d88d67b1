/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Safe reading and atomic replacement of the file a runtime will read.
 *
 * config.json is opened relative to a descriptor of its directory, without
 * following a symlink, and only a regular file of at most HR_JSON_MAX_SIZE
 * bytes is accepted.  A replacement is written to a temporary file in the
 * same directory with the original's mode and owner, fsync'ed and renamed
 * over the original, so a crash leaves the old file or the new one, never a
 * mix.
 */
#ifndef HR_BUNDLE_H
#define HR_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "hr-error.h"

struct hr_file {
        int dirfd;     /* the directory holding the file */
        char *name;    /* its name in that directory */
        char *display; /* its path, for messages */
        struct stat st;
        char *data; /* NUL-terminated */
        size_t len;
};

#define HR_FILE_INIT                                                                               \
        {                                                                                          \
                .dirfd = -1                                                                        \
        }

/*
 * Read the config a create/run/restore will use: <bundle>/config.json, or
 * crun's --config FILE (resolved against the current directory).  bundle
 * NULL means the current directory.
 */
int hr_bundle_read_config(const char *bundle, const char *config, struct hr_file *out,
                          struct hr_error *err);

/* Read any file of at most max bytes; follow_symlink for admin-owned files such as the policy. */
int hr_file_read(const char *path, bool follow_symlink, size_t max, struct hr_file *out,
                 struct hr_error *err);

/*
 * Read fd to its end, at most max bytes, into *data (NUL-terminated) and
 * *len; display names it in messages.  For pipes and stdin too.
 */
int hr_fd_read_all(int fd, const char *display, size_t max, char **data, size_t *len,
                   struct hr_error *err);

/* Atomically replace the file read into f with data. */
int hr_file_replace(const struct hr_file *f, const char *data, size_t len, struct hr_error *err);

void hr_file_done(struct hr_file *f);

#endif
