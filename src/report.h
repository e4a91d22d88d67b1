/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What hardening found: changes it made (or, in audit and refuse modes,
 * would make) and violations it cannot fix.  Every knob reports here; the
 * command layer turns the report into a decision, an error and an audit
 * record.
 */
#ifndef HR_REPORT_H
#define HR_REPORT_H

#include <stddef.h>

#include "hr-error.h"
#include "json.h"

struct hr_change {
        char *knob;
        char *path;   /* where in the config, e.g. "process.noNewPrivileges" */
        char *before; /* compact JSON, NULL when absent */
        char *after;  /* compact JSON, NULL when removed */
};

struct hr_violation {
        char *knob;
        char *path;
        char *message;
};

struct hr_report {
        struct hr_change *changes;
        size_t n_changes;
        struct hr_violation *violations;
        size_t n_violations;
};

/* Record a change; before/after are serialised now (either may be NULL). */
int hr_report_change(struct hr_report *r, const char *knob, const char *path,
                     const struct hr_json *before, const struct hr_json *after,
                     struct hr_error *err);

int hr_report_violation(struct hr_report *r, struct hr_error *err, const char *knob,
                        const char *path, const char *fmt, ...) HR_PRINTF(5, 6);

/* The report as a JSON object {"changes":[...],"violations":[...]}. */
int hr_report_to_json(const struct hr_report *r, struct hr_json **out, struct hr_error *err);

void hr_report_done(struct hr_report *r);

#endif
