/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The resolved policy written back as a policy document, for `hardrun
 * policy`.  Every value is read from struct hr_policy, the values the knobs
 * enforce, not copied from the files they came from: read as a policy file,
 * the document resolves to the same policy (a unit test holds this).
 * Rules are not in it: they apply per container.
 */
#ifndef HR_POLICY_JSON_H
#define HR_POLICY_JSON_H

#include "hr-error.h"
#include "json.h"
#include "policy.h"

/* {"level":..,"mode":..,["runtime":..,]["audit_file":..,]"annotation_may_relax":.., knobs...} */
int hr_policy_to_json(const struct hr_policy *p, struct hr_json **out, struct hr_error *err);

/*
 * Where each top-level value of doc (from hr_policy_to_json) came from, as
 * an object of the same keys:
 *   {"from":"policy","file":PATH,"line":N}, with "over_level":LEVEL when the
 *       value is an object that the level sets too: the file sets the members
 *       it names (a boolean sets "enabled"), the others keep the level's;
 *   {"from":"level","level":LEVEL,"file":"LEVEL.json"};
 *   {"from":"default"}: neither sets it.
 * f is the policy file p was resolved from (doc NULL: the built-in policy).
 */
int hr_policy_sources(const struct hr_policy_file *f, const struct hr_policy *p,
                      const struct hr_json *doc, struct hr_json **out, struct hr_error *err);

#endif
