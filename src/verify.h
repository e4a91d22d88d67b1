/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The compliance check: does a config meet a policy?
 *
 * verify is written from the policy's words (DESIGN §3.3 and the fields of
 * struct hr_policy), not from the knobs: it shares no code with src/harden/.
 * Tests and the fuzzer run it over what enforce produces, and it must accept
 * all of that; where it disagrees with a knob, one of the two is wrong.
 *
 * A non-compliance is a violation {knob, path, message} in the report, one
 * per thing that is wrong.  A config that is malformed where the policy looks
 * (a uid that is a string, a mount list that is an object) is a violation
 * too, not an error: verify only judges.  The host is asked (policy->host)
 * only where the meaning needs it: namespace inodes, the real path of a bind
 * mount's source, the thermal_throttle paths, and which LSMs it enforces.
 * A host question that fails counts as non-compliant.
 */
#ifndef HR_VERIFY_H
#define HR_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "hr-error.h"
#include "json.h"
#include "policy.h"
#include "report.h"

/*
 * Check config against every knob the policy enables, appending violations
 * to out.  Returns 0, or -ENOMEM (the only error).
 */
int hr_verify(const struct hr_json *config, const struct hr_policy *policy, struct hr_report *out,
              struct hr_error *err);

/* The same for one knob only (-EINVAL for a name verify does not know). */
int hr_verify_knob(const struct hr_json *config, const struct hr_policy *policy, const char *knob,
                   struct hr_report *out, struct hr_error *err);

/*
 * Does the policy enable knob?  A knob set to false, an empty list or 0 is
 * not checked.  capabilities and lsm are always checked.
 */
bool hr_verify_enabled(const struct hr_policy *policy, const char *knob);

/* The names of the knobs verify checks, by index; NULL past the last. */
const char *hr_verify_knob_name(size_t i);

/*
 * Knob seccomp, kept apart until the policy has its seccomp field: the
 * config has a linux.seccomp whose defaultAction does not let every syscall
 * through (not SCMP_ACT_ALLOW, SCMP_ACT_LOG or SCMP_ACT_NOTIFY, which a
 * listener can let continue).  hr_verify does not call it yet.
 */
int hr_verify_seccomp(const struct hr_json *config, struct hr_report *out, struct hr_error *err);

#endif
