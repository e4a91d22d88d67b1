/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Finding the real runtime and handing over to it. */
#ifndef HR_RUNTIME_H
#define HR_RUNTIME_H

#include "cli.h"
#include "hr-error.h"

/* Set in the environment of the runtime we exec; seeing it on entry means a loop. */
#define HR_LOOP_MARKER "_HARDRUN_HANDED_OVER"

/*
 * Resolve the runtime.  names is the policy's list (NULL/0 when it has none):
 * an entry with a '/' is a path, any other is looked up in PATH and then the
 * standard sbin/bin directories.  Without a list, an argv[0] named
 * hardrun-runc or hardrun-crun picks that runtime, else runc then crun.
 * Candidates that are this very binary are skipped.  *path is malloc'd.
 */
int hr_runtime_find(const char *argv0, char *const *names, size_t n_names, char **path,
                    struct hr_error *err);

/* The grammar of a runtime binary, from its name. */
enum hr_flavour hr_runtime_flavour(const char *path);

/* Print hardrun's version line on stdout (for --version). */
int hr_runtime_print_version(struct hr_error *err);

/* execve the runtime with argv (argv[0] replaced by path).  Returns only on failure. */
int hr_runtime_exec(const char *path, char *const argv[], struct hr_error *err);

#endif
