/* SPDX-License-Identifier: GPL-2.0-or-later */
/* STUB: to be written. */
#include "harden.h"

static int configure(struct hr_policy *policy, const struct hr_json *value, struct hr_error *err)
{
        (void)policy;
        (void)value;
        (void)err;
        return 0;
}

static int apply(struct hr_json *config, const struct hr_policy *policy, struct hr_report *report,
                 struct hr_error *err)
{
        (void)config;
        (void)policy;
        (void)report;
        (void)err;
        return 0;
}

const struct hr_knob hr_knob_lsm = {
    .name = "lsm",
    .configure = configure,
    .apply = apply,
};
