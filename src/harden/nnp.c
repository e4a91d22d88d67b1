/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Knob no_new_privileges: process.noNewPrivileges is true. */
#include "harden.h"

static int configure(struct hr_policy *policy, const struct hr_json *value, struct hr_error *err)
{
        return hr_policy_bool(value, "no_new_privileges", &policy->no_new_privileges, err);
}

static int apply(struct hr_json *config, const struct hr_policy *policy, struct hr_report *report,
                 struct hr_error *err)
{
        struct hr_json *process;
        int r;

        if (!policy->no_new_privileges)
                return 0;
        if ((r = hr_harden_require_object(config, "process", "process", &process, err)) < 0)
                return r;
        return hr_harden_bool(process, "noNewPrivileges", true, "no_new_privileges",
                              "process.noNewPrivileges", report, err);
}

const struct hr_knob hr_knob_no_new_privileges = {
    .name = "no_new_privileges",
    .configure = configure,
    .apply = apply,
};
