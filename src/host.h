/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What knobs need to know about the host, behind one small interface so
 * that the transforms stay pure and tests can give any answer: namespace
 * inodes, paths that exist, which LSMs the kernel enforces, and what they
 * hold (AppArmor profiles, SELinux container contexts).
 */
#ifndef HR_HOST_H
#define HR_HOST_H

#include <stdbool.h>
#include <stdint.h>

#include "hr-error.h"
#include "policy.h"

struct hr_host {
        /* The device and inode of path (stat, following symlinks); -errno on failure. */
        int (*stat)(const char *path, uint64_t *dev, uint64_t *ino);
        /* realpath(3) of path into *out (malloc'd); -errno on failure. */
        int (*realpath)(const char *path, char **out);
        /* The existing paths matching a glob(3) pattern, sorted; none is not an error. */
        int (*glob)(const char *pattern, struct hr_strv *out);
        /*
         * The soft and hard limits of an RLIMIT_* resource that hardrun, and
         * so the runtime it executes, runs with; UINT64_MAX for unlimited.
         * -errno on failure.
         */
        int (*rlimit)(int resource, uint64_t *soft, uint64_t *hard);
        bool (*apparmor_enabled)(void);
        bool (*selinux_enabled)(void);
        /*
         * Is the AppArmor profile name loaded in the kernel (listed in
         * securityfs's apparmor/profiles)?  -errno when that cannot be read.
         */
        int (*apparmor_loaded)(const char *name, bool *loaded);
        /*
         * Load (or replace) an AppArmor profile from its text, as
         * `apparmor_parser -r` does.  This changes the host: the command
         * layer calls it before the knobs run (lsm-prepare.h), a knob never.
         */
        int (*apparmor_load)(const char *text, struct hr_error *err);
        /*
         * The SELinux contexts containers get on this host: the "process"
         * and "file" entries of selinux_lxc_contexts_path(), malloc'd.
         */
        int (*selinux_contexts)(char **process, char **file, struct hr_error *err);
};

/* The real host. */
extern const struct hr_host hr_host_real;

#endif
