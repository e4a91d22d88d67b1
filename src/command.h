/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What hardrun does before handing a create, run or restore over to the runtime. */
#ifndef HR_COMMAND_H
#define HR_COMMAND_H

#include "bundle.h"
#include "cli.h"
#include "hr-error.h"
#include "json.h"
#include "policy.h"
#include "report.h"

/*
 * Load the config the runtime will read, resolve the policy for this
 * container (its id, bundle and annotations pick the rule), harden the
 * config, record the outcome and, in enforce mode, replace the file
 * atomically when anything changed.  A refusal returns -EPERM with the reason
 * in err; the file is then untouched.
 */
int hr_command_harden(const struct hr_cmdline *cmd, const struct hr_policy_file *policy_file,
                      struct hr_error *err);

/*
 * Harden what an exec will run (DESIGN §3.6): the --process file, rewritten
 * like config.json, and the flags, which are refused when they widen the
 * process beyond the policy.  The container's bundle comes from the
 * runtime's `state`; its hardened config supplies the LSM labels and what
 * rules match on.  Defined in exec.c.
 */
int hr_command_exec(const struct hr_cmdline *cmd, const char *runtime,
                    const struct hr_policy_file *policy_file, struct hr_error *err);

/*
 * Refuse an update that would raise or remove a limit the policy caps
 * (pids, and memory and cpus when the policy sets them), from --resources
 * (a file, or stdin, which is put back for the runtime) and the flags.
 * Defined in update.c.
 */
int hr_command_update(const struct hr_cmdline *cmd, const char *runtime,
                      const struct hr_policy_file *policy_file, struct hr_error *err);

/* For all three: the policy for container id in bundle_arg (NULL: the cwd) with this config. */
int hr_command_policy_for(const char *id, const char *bundle_arg, const struct hr_policy_file *f,
                          const struct hr_json *config, struct hr_policy *out,
                          struct hr_error *err);

/*
 * For all three: record the report, then refuse, or write config back to file in
 * enforce mode when anything changed.  file NULL: there is nothing to write
 * (exec flags, update), and a change is refused.
 */
int hr_command_decide(const struct hr_cmdline *cmd, const struct hr_policy *policy,
                      const struct hr_file *file, const struct hr_json *config,
                      const struct hr_report *report, struct hr_error *err);

#endif
