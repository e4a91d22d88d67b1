/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Seccomp profiles in the format Docker and Podman users already have: the
 * OCI linux.seccomp members plus archMap, and per rule includes/excludes by
 * caps, arches and minKernel (see hardrun-profiles(7)).  Resolving a profile
 * for one container gives plain OCI linux.seccomp, with the same rules as
 * moby would keep:
 *   - architectures: the archMap entry of the native architecture, with its
 *     sub-architectures;
 *   - a rule is dropped when the native architecture is in excludes.arches,
 *     any of excludes.caps is in the bounding set, or the kernel is at least
 *     excludes.minKernel; and unless the native architecture is in
 *     includes.arches (when given), every one of includes.caps is in the
 *     bounding set and the kernel is at least includes.minKernel.
 */
#ifndef HR_SECCOMP_PROFILE_H
#define HR_SECCOMP_PROFILE_H

#include <stdint.h>

#include "hr-error.h"
#include "json.h"

/* What a profile is resolved against, besides the capabilities. */
struct hr_seccomp_host {
        uint32_t arch;      /* libseccomp's token of the native architecture */
        unsigned kernel[2]; /* major and minor of the running kernel */
};

/* The running host. */
int hr_seccomp_host_detect(struct hr_seccomp_host *out, struct hr_error *err);

/* profiles/seccomp/default.json, embedded at build time. */
extern const char hr_seccomp_default_profile[];

/* Parse the embedded default profile. */
int hr_seccomp_default_parse(struct hr_json **out, struct hr_error *err);

enum hr_seccomp_resolve_flags {
        /* Learning mode: every action that denies becomes SCMP_ACT_LOG. */
        HR_SECCOMP_LEARN = 1 << 0,
        /* Keep every rule whatever its includes/excludes (to check a profile). */
        HR_SECCOMP_EVERY_RULE = 1 << 1,
        /* Move the rules' names out of the profile instead of copying them. */
        HR_SECCOMP_MOVE = 1 << 2,
};

/*
 * Resolve profile for one container.  bounding is the container's final
 * process.capabilities.bounding (NULL: no capabilities).  *out is a new
 * linux.seccomp object.
 */
int hr_seccomp_profile_resolve(struct hr_json *profile, const struct hr_seccomp_host *host,
                               const struct hr_json *bounding, unsigned flags, struct hr_json **out,
                               struct hr_error *err);

/* Check that a profile resolves and that every rule in it is valid OCI seccomp. */
int hr_seccomp_profile_check(struct hr_json *profile, struct hr_error *err);

/* Architecture names: the OCI one ("SCMP_ARCH_X86_64") and the one includes use ("amd64"). */
const char *hr_seccomp_arch_oci(uint32_t token);
const char *hr_seccomp_arch_name(uint32_t token);

#endif
