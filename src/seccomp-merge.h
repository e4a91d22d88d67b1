/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The intersection of hardrun's seccomp profile with the one a container
 * brings (DESIGN §4; the rules are spelt out in hardrun-profiles(7)).
 *
 * Per syscall name, with "theirs" the container's linux.seccomp and "ours"
 * hardrun's profile resolved for this container:
 *   - ours allows it outright: their treatment survives as it is;
 *   - ours constrains its arguments: ours replaces theirs, unless theirs
 *     denies it outright or lets through only argument values ours does;
 *   - ours denies it: ours, unless theirs denies it too, in which case their
 *     action (errno, kill, trap) stays.
 * SCMP_ACT_ALLOW, SCMP_ACT_LOG, SCMP_ACT_NOTIFY and SCMP_ACT_TRACE all count
 * as allowing (a listener or a tracer can let the call run).  Their default
 * stays when it denies; one that allows is replaced by ours, and what ours
 * allows and theirs left to that default is then written out with it.  The
 * architectures are the intersection; listenerPath and listenerMetadata go
 * when no SCMP_ACT_NOTIFY rule is left.  The result never allows what ours
 * denies, and merging it again changes nothing.  Their rules come first, as
 * they were (less the names taken out), then ours.
 */
#ifndef HR_SECCOMP_MERGE_H
#define HR_SECCOMP_MERGE_H

#include <stdbool.h>

#include "hr-error.h"
#include "json.h"
#include "report.h"

/*
 * Merge ours into theirs, in place, recording every change of effect in
 * report under knob (and a violation where their rules cannot be carried
 * over).  learn: ours is in learning mode, so its SCMP_ACT_LOG stands for a
 * denial.  theirs is left untouched when nothing changes.
 */
int hr_seccomp_merge(struct hr_json *theirs, const struct hr_json *ours, bool learn,
                     const char *knob, struct hr_report *report, struct hr_error *err);

#endif
