/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What hardrun does before handing a create, run or restore over to the runtime. */
#ifndef HR_COMMAND_H
#define HR_COMMAND_H

#include "bundle.h"
#include "cli.h"
#include "hr-error.h"
#include "json.h"
#include "lsm-prepare.h"
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

/*
 * What create and check share: the config read as create reads it, the
 * policy resolved for it, and the report of hardening it in memory.
 */
struct hr_hardening {
        struct hr_file file;
        struct hr_json *config; /* hardened; written back by create only */
        struct hr_policy policy;
        struct hr_report report;
        struct hr_lsm_prepared prepared; /* what the host side of knob lsm did (create) */
};

#define HR_HARDENING_INIT                                                                          \
        {                                                                                          \
                .file = HR_FILE_INIT                                                               \
        }

struct hr_harden_job {
        const char *id;     /* the container id; NULL: none (check), and no id rule matches */
        const char *bundle; /* NULL: the current directory */
        const char *config; /* crun's --config (from the cwd); NULL: <bundle>/config.json */
        const struct hr_policy_file *policy_file;
        const char *cannot;   /* how errors begin: "cannot harden container ID" */
        const char *refusing; /* and a policy that does not resolve: "refusing container ID" */
        /*
         * create: the host side of knob lsm runs before the knobs (loading
         * hardrun-default, reserving MCS categories; lsm-prepare.h).  NULL
         * for check, which changes nothing on the host.
         */
        const struct hr_cmdline *prepare_lsm;
};

/* Read, resolve and harden; nothing is written.  Release *out with hr_hardening_done(). */
int hr_command_load(const struct hr_harden_job *job, struct hr_hardening *out,
                    struct hr_error *err);
void hr_hardening_done(struct hr_hardening *h);

/*
 * What create does with a report under policy: "compliant" (nothing to do),
 * "changed" (the config is rewritten), "refused" or "audited".  can_write is
 * false where there is no file to rewrite (exec flags, update): a change is
 * then refused.
 */
const char *hr_command_outcome(const struct hr_policy *policy, const struct hr_report *report,
                               bool can_write);

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
