/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The real host's AppArmor and SELinux, behind struct hr_host (host.h), and
 * the parsers of what they say, which tests call directly.
 *
 * - hardrun's AppArmor profile, profiles/apparmor/hardrun-default, is built
 *   into the binary (src/apparmor-default.S), as the seccomp profile is: a
 *   hardrun copied onto a node works without an install tree.  It is also
 *   installed to DATADIR/apparmor for admins who load it at boot.
 * - It is loaded by running apparmor_parser -K -r from a fixed list of
 *   system directories, with the text on stdin; its stdout is not the
 *   engine's (hardrun never writes there).
 */
#ifndef HR_LSM_HOST_H
#define HR_LSM_HOST_H

#include <stdbool.h>

#include "hr-error.h"

/* profiles/apparmor/hardrun-default, NUL-terminated. */
extern const char hr_apparmor_default_profile[];

/* Where apparmor_parser is looked for, in order: system directories only, never PATH. */
#define HR_APPARMOR_PARSERS "/usr/sbin/apparmor_parser", "/sbin/apparmor_parser"

/* Does the text of apparmor/profiles ("NAME (MODE)" lines) list name? */
bool hr_apparmor_listed(const char *text, const char *name);

/*
 * The "process" and "file" contexts of an lxc_contexts file's text (lines
 * KEY = "CONTEXT", '#' comments); either missing is -EINVAL.
 */
int hr_selinux_lxc_parse(const char *text, char **process, char **file, struct hr_error *err);

/* The real host's answers (hr_host_real uses these). */
int hr_apparmor_real_loaded(const char *name, bool *loaded);
int hr_apparmor_real_load(const char *text, struct hr_error *err);
int hr_selinux_real_contexts(char **process, char **file, struct hr_error *err);

#endif
