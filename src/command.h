/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What hardrun does before handing a create, run or restore over to the runtime. */
#ifndef HR_COMMAND_H
#define HR_COMMAND_H

#include "cli.h"
#include "hr-error.h"
#include "policy.h"

/*
 * Load the config the runtime will read, resolve the policy for this
 * container (its id, bundle and annotations pick the rule), harden the
 * config, record the outcome and, in enforce mode, replace the file
 * atomically when anything changed.  A refusal returns -EPERM with the reason
 * in err; the file is then untouched.
 */
int hr_command_harden(const struct hr_cmdline *cmd, const struct hr_policy_file *policy_file,
                      struct hr_error *err);

#endif
