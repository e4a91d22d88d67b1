/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The host side of knob lsm (DESIGN §5).  The knobs stay pure; what changes
 * the host happens here, in the command layer, around them.
 *
 * Before a create, run or restore is hardened (hr_lsm_prepare):
 * - On a host that enforces AppArmor, hardrun-default is loaded when no
 *   profile of that name is (enforce and refuse modes; audit changes
 *   nothing).  A failure refuses the container: fail closed.
 * - On a host that enforces SELinux, in enforce mode, a container that
 *   needs MCS categories (hr_lsm_needs_mcs()) gets a pair reserved under
 *   its id and --root (mcs.h), and policy->lsm.mcs_categories names it.
 *   When the container is then refused, or hardening fails,
 *   hr_lsm_unprepare() gives back a pair reserved just now.
 *
 * On delete, which passes through (hr_lsm_delete): only when the
 * reservation file exists at all, which one stat(2) tells, is the
 * container's pair looked up and released.  A delete without --force of a
 * container that is running or paused fails in the runtime, so then the
 * runtime's state is asked first and a live container keeps its pair.
 * Nothing here fails a delete.
 */
#ifndef HR_LSM_PREPARE_H
#define HR_LSM_PREPARE_H

#include <stdbool.h>

#include "cli.h"
#include "hr-error.h"
#include "json.h"
#include "mcs.h"
#include "policy.h"

/* What hr_lsm_prepare() did that a refusal must undo. */
struct hr_lsm_prepared {
        bool reserved; /* a pair was reserved for this container just now */
};

int hr_lsm_prepare(const struct hr_cmdline *cmd, const struct hr_json *config,
                   const struct hr_mcs_store *store, struct hr_policy *policy,
                   struct hr_lsm_prepared *out, struct hr_error *err);

/* Undo hr_lsm_prepare() for a container that will not be created; never fails. */
void hr_lsm_unprepare(const struct hr_cmdline *cmd, const struct hr_mcs_store *store,
                      const struct hr_lsm_prepared *prepared);

/* For a pass-through command: on `delete`, release the container's pair. */
void hr_lsm_delete(int argc, char *const argv[], const struct hr_cmdline *cmd, const char *runtime,
                   const struct hr_mcs_store *store);

#endif
