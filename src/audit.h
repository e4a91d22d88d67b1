/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The audit record: one JSON object per call that changed or refused
 * something, to syslog (journald picks it up) and, when the policy names
 * one, appended to audit_file.  Never to the engine's --log.
 */
#ifndef HR_AUDIT_H
#define HR_AUDIT_H

#include "cli.h"
#include "policy.h"
#include "report.h"

struct hr_audit {
        const struct hr_cmdline *cmd;
        const struct hr_policy *policy;
        const char *config;   /* the file hardened */
        const char *decision; /* "changed", "refused", "audited" */
};

/* Nothing is recorded for an empty report. */
int hr_audit_record(const struct hr_audit *a, const struct hr_report *report, struct hr_error *err);

#endif
