/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "bundle.h"
#include "command.h"
#include "harden/harden.h"
#include "hr-cleanup.h"
#include "lsm-prepare.h"
#include "report.h"
#include "util.h"

/* One line for the first thing wrong, and how many more there are. */
static int refusal(const struct hr_cmdline *cmd, const struct hr_policy *policy,
                   const struct hr_report *report, const char *what_refused, struct hr_error *err)
{
        char what[512], tail[64] = "";
        const char *knob;
        size_t more;

        if (report->n_violations > 0) {
                const struct hr_violation *v = &report->violations[0];

                snprintf(what, sizeof(what), "%s", v->message);
                knob = v->knob;
                more = report->n_violations - 1;
        } else {
                const struct hr_change *c = &report->changes[0];

                if (c->before)
                        snprintf(what, sizeof(what), "%s is %.200s where the policy wants %.200s",
                                 c->path, c->before, c->after ? c->after : "it absent");
                else
                        snprintf(what, sizeof(what), "%s is missing", c->path);
                knob = c->knob;
                more = report->n_changes - 1;
        }
        if (more)
                snprintf(tail, sizeof(tail), "; %zu more finding%s in the audit record", more,
                         more == 1 ? "" : "s");
        return hr_error_set(err, EPERM,
                            "refusing %s %s: %s (policy knob %s, mode %s; see "
                            "hardrun-policy(5))%s",
                            what_refused, cmd->id, what, knob, hr_mode_name(policy->mode), tail);
}

static int write_back(const struct hr_file *file, const struct hr_json *config,
                      struct hr_error *err)
{
        _cleanup_free_ char *text = NULL;
        size_t len;
        int r;

        if ((r = hr_json_write(config, 0, &text, &len, err)) < 0 ||
            (r = hr_file_replace(file, text, len, err)) < 0)
                return r;
        return 0;
}

const char *hr_command_outcome(const struct hr_policy *policy, const struct hr_report *report,
                               bool can_write)
{
        if (report->n_changes == 0 && report->n_violations == 0)
                return "compliant";
        if (policy->mode == HR_MODE_AUDIT)
                return "audited";
        if (report->n_violations > 0 || policy->mode == HR_MODE_REFUSE || !can_write)
                return "refused";
        return "changed";
}

int hr_command_decide(const struct hr_cmdline *cmd, const struct hr_policy *policy,
                      const struct hr_file *file, const struct hr_json *config,
                      const struct hr_report *report, struct hr_error *err)
{
        bool update = cmd->kind == HR_KIND_UPDATE;
        struct hr_audit audit = {.cmd = cmd,
                                 .policy = policy,
                                 .config = file     ? file->display
                                           : update ? "the update's resources"
                                                    : "the exec flags",
                                 .decision = hr_command_outcome(policy, report, file != NULL)};
        int r;

        if ((r = hr_audit_record(&audit, report, err)) < 0)
                return r;
        if (strcmp(audit.decision, "refused") == 0)
                return refusal(cmd, policy, report,
                               update                      ? "update of container"
                               : cmd->kind == HR_KIND_EXEC ? "exec in container"
                                                           : "container",
                               err);
        if (strcmp(audit.decision, "changed") != 0)
                return 0;
        return write_back(file, config, err);
}

/* The bundle as an absolute, clean path, for rules to match on. */
static int bundle_path(const char *bundle, char **out, struct hr_error *err)
{
        _cleanup_free_ char *cwd = NULL, *joined = NULL;

        if (bundle && bundle[0] == '/')
                return hr_path_clean(bundle, out) < 0 ? hr_error_set(err, ENOMEM, "out of memory")
                                                      : 0;
        if (!(cwd = getcwd(NULL, 0)))
                return hr_error_errno(err, errno, "finding the current directory");
        if (asprintf(&joined, "%s/%s", cwd, bundle ? bundle : ".") < 0 ||
            hr_path_clean(joined, out) < 0)
                return hr_error_set(err, ENOMEM, "out of memory");
        return 0;
}

int hr_command_policy_for(const char *id, const char *bundle_arg, const struct hr_policy_file *f,
                          const struct hr_json *config, struct hr_policy *out, struct hr_error *err)
{
        _cleanup_free_ char *bundle = NULL;
        struct hr_policy_ctx ctx = {.id = id};
        int r;

        if ((r = bundle_path(bundle_arg, &bundle, err)) < 0 ||
            (r = hr_harden_get(config, "annotations", "annotations",
                               (struct hr_json **)&ctx.annotations, err)) < 0)
                return r;
        ctx.bundle = bundle;
        return hr_policy_resolve_for(f, &ctx, out, err);
}

int hr_command_load(const struct hr_harden_job *job, struct hr_hardening *out, struct hr_error *err)
{
        struct hr_hardening h = HR_HARDENING_INIT;
        int r;

        if ((r = hr_bundle_read_config(job->bundle, job->config, &h.file, err)) < 0)
                return hr_error_prefix(err, "%s", job->cannot);
        r = hr_json_parse(h.file.data, h.file.len, 0, &h.config, err);
        if (r < 0)
                hr_error_prefix(err, "%s: reading %s", job->cannot, h.file.display);
        else if (h.config->type != HR_JSON_OBJECT)
                r = hr_error_set(err, EINVAL, "%s: %s is not a JSON object", job->cannot,
                                 h.file.display);
        else if ((r = hr_command_policy_for(job->id, job->bundle, job->policy_file, h.config,
                                            &h.policy, err)) < 0 ||
                 (job->prepare_lsm &&
                  (r = hr_lsm_prepare(job->prepare_lsm, h.config, &hr_mcs_store_real, &h.policy,
                                      &h.prepared, err)) < 0))
                hr_error_prefix(err, "%s", job->refusing);
        else if ((r = hr_harden(h.config, &h.policy, &h.report, err)) < 0)
                hr_error_prefix(err, "%s: %s", job->cannot, h.file.display);
        if (r < 0) {
                if (job->prepare_lsm)
                        hr_lsm_unprepare(job->prepare_lsm, &hr_mcs_store_real, &h.prepared);
                hr_hardening_done(&h);
                return r;
        }
        *out = h;
        return 0;
}

void hr_hardening_done(struct hr_hardening *h)
{
        hr_report_done(&h->report);
        hr_policy_done(&h->policy);
        hr_json_free(h->config);
        hr_file_done(&h->file);
        *h = (struct hr_hardening)HR_HARDENING_INIT;
}

int hr_command_harden(const struct hr_cmdline *cmd, const struct hr_policy_file *policy_file,
                      struct hr_error *err)
{
        _cleanup_free_ char *cannot = NULL, *refusing = NULL;
        struct hr_hardening h = HR_HARDENING_INIT;
        int r;

        if (asprintf(&cannot, "cannot harden container %s", cmd->id) < 0 ||
            asprintf(&refusing, "refusing container %s", cmd->id) < 0)
                return hr_error_set(err, ENOMEM, "out of memory");
        if ((r = hr_command_load(&(struct hr_harden_job){.id = cmd->id,
                                                         .bundle = cmd->bundle,
                                                         .config = cmd->config,
                                                         .policy_file = policy_file,
                                                         .cannot = cannot,
                                                         .refusing = refusing,
                                                         .prepare_lsm = cmd},
                                 &h, err)) < 0)
                return r;
        /* runc and crun put these over the labels of config.json. */
        r = cmd->lsm_override ? hr_report_violation(&h.report, err, "lsm", "process",
                                                    "restore --%s would replace the AppArmor or "
                                                    "SELinux labels hardrun sets; drop the flag",
                                                    cmd->lsm_override)
                              : 0;
        if (r == 0)
                r = hr_command_decide(cmd, &h.policy, &h.file, h.config, &h.report, err);
        if (r < 0)
                hr_lsm_unprepare(cmd, &hr_mcs_store_real, &h.prepared);
        hr_hardening_done(&h);
        return r;
}
