/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Knob lsm: the container does not opt out of AppArmor or SELinux.
 *
 * - process.apparmorProfile "unconfined" (docker run --privileged or
 *   --security-opt apparmor=unconfined) is refused, unless
 *   lsm.apparmor_unconfined allows it.  Any other profile, or none, is the
 *   engine's choice and stays: hardrun-default is not loaded yet.
 * - process.selinuxLabel (user:role:type[:level]) must have a type from
 *   lsm.selinux_types, and linux.mountLabel one from
 *   lsm.selinux_mount_types.  That holds whether or not the host enforces
 *   SELinux: a label asking for spc_t is a request for privilege either way.
 * - With lsm.mode "required", a host that enforces neither LSM is refused,
 *   and so is a container that no enforcing LSM confines (no AppArmor
 *   profile, no SELinux label): fail closed.
 *
 * The host is asked through policy->host only in "required" mode.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "harden.h"
#include "host.h"
#include "hr-cleanup.h"

#define KNOB "lsm"

static const char *const mode_names[] = {
    [HR_LSM_WHEN_AVAILABLE] = "when-available",
    [HR_LSM_REQUIRED] = "required",
};

static int set_mode(struct hr_lsm_policy *p, const struct hr_json *value, struct hr_error *err)
{
        const char *s = hr_json_string(value);

        for (size_t i = 0; s && i < HR_ARRAY_SIZE(mode_names); i++)
                if (strcmp(s, mode_names[i]) == 0) {
                        p->mode = (enum hr_lsm_mode)i;
                        return 0;
                }
        return hr_error_set(err, EINVAL,
                            "knob " KNOB ".mode must be \"when-available\" or \"required\"");
}

static int configure(struct hr_policy *policy, const struct hr_json *value, struct hr_error *err)
{
        struct hr_lsm_policy *p = &policy->lsm;
        int r = 0;

        if (value->type != HR_JSON_OBJECT)
                return hr_error_set(err, EINVAL, "knob " KNOB " must be an object");
        for (size_t i = 0; i < value->u.obj.len && r == 0; i++) {
                const char *key = value->u.obj.members[i].key;
                const struct hr_json *v = value->u.obj.members[i].value;

                if (strcmp(key, "mode") == 0)
                        r = set_mode(p, v, err);
                else if (strcmp(key, "selinux_types") == 0)
                        r = hr_policy_strv(v, KNOB ".selinux_types", &p->selinux_types, err);
                else if (strcmp(key, "selinux_mount_types") == 0)
                        r = hr_policy_strv(v, KNOB ".selinux_mount_types", &p->selinux_mount_types,
                                           err);
                else if (strcmp(key, "apparmor_unconfined") == 0)
                        r = hr_policy_bool(v, KNOB ".apparmor_unconfined", &p->apparmor_unconfined,
                                           err);
                else
                        r = hr_error_set(err, EINVAL, "unknown knob " KNOB ".%s", key);
        }
        return r;
}

/* The type field of an SELinux context user:role:type[:level], malloc'd; NULL if malformed. */
static char *context_type(const char *context)
{
        const char *t = strchr(context, ':');
        size_t n;

        if (!t || !(t = strchr(t + 1, ':')))
                return NULL;
        t++;
        n = strcspn(t, ":");
        return n ? strndup(t, n) : NULL;
}

static bool type_allowed(const struct hr_strv *types, const char *type)
{
        for (size_t i = 0; i < types->n; i++)
                if (fnmatch(types->v[i], type, 0) == 0)
                        return true;
        return false;
}

/* A label (process or mount) whose type is not in types is refused. */
static int check_label(const char *label, const char *path, const char *sub,
                       const struct hr_strv *types, struct hr_report *report, struct hr_error *err)
{
        _cleanup_free_ char *type = NULL;

        if (!label || !*label)
                return 0;
        if (!(type = context_type(label)))
                return hr_report_violation(report, err, KNOB, path,
                                           "%s \"%s\" is not an SELinux context "
                                           "user:role:type[:level]; fix it or remove it",
                                           path, label);
        if (type_allowed(types, type))
                return 0;
        return hr_report_violation(report, err, KNOB, path,
                                   "the container asks for the SELinux type %s (%s \"%s\"), which "
                                   "the policy does not allow (knob lsm.%s): a type such as spc_t "
                                   "or unconfined_t is not confined as a container; drop the "
                                   "label option (--security-opt label=type:..., seLinuxOptions), "
                                   "or exempt this container with a rule",
                                   type, path, label, sub);
}

static int check_required(const struct hr_host *host, const char *profile, const char *label,
                          struct hr_report *report, struct hr_error *err)
{
        bool aa = host->apparmor_enabled(), se = host->selinux_enabled();
        bool confined = (aa && profile && *profile && strcmp(profile, "unconfined") != 0) ||
                        (se && label && *label);

        if (!aa && !se)
                return hr_report_violation(report, err, KNOB, "process",
                                           "the host enforces neither AppArmor nor SELinux, and "
                                           "the policy requires one (knob lsm.mode \"required\"); "
                                           "enable one on the host, or set lsm.mode to "
                                           "\"when-available\"");
        if (confined)
                return 0;
        return hr_report_violation(
            report, err, KNOB, "process",
            "no %s confines the container, and the policy requires one (knob lsm.mode "
            "\"required\"); have the engine set one, or exempt this container with a rule",
            aa && se ? "AppArmor profile or SELinux label"
            : aa     ? "AppArmor profile (process.apparmorProfile)"
                     : "SELinux label (process.selinuxLabel)");
}

static int apply(struct hr_json *config, const struct hr_policy *policy, struct hr_report *report,
                 struct hr_error *err)
{
        const struct hr_lsm_policy *p = &policy->lsm;
        const char *profile = NULL, *label = NULL, *mount_label = NULL;
        struct hr_json *process, *lx;
        int r;

        if ((r = hr_cfg_object(config, "process", "process", &process, err)) < 0 ||
            (r = hr_cfg_string(process, "apparmorProfile", "process.apparmorProfile", &profile,
                               err)) < 0 ||
            (r = hr_cfg_string(process, "selinuxLabel", "process.selinuxLabel", &label, err)) < 0 ||
            (r = hr_cfg_object(config, "linux", "linux", &lx, err)) < 0 ||
            (r = hr_cfg_string(lx, "mountLabel", "linux.mountLabel", &mount_label, err)) < 0)
                return r;
        if (profile && strcmp(profile, "unconfined") == 0 && !p->apparmor_unconfined &&
            (r = hr_report_violation(report, err, KNOB, "process.apparmorProfile",
                                     "the container asks to run without AppArmor "
                                     "(process.apparmorProfile \"unconfined\", as docker run "
                                     "--privileged or --security-opt apparmor=unconfined give); "
                                     "drop that option, or exempt this container with a rule")) < 0)
                return r;
        if ((r = check_label(label, "process.selinuxLabel", "selinux_types", &p->selinux_types,
                             report, err)) < 0 ||
            (r = check_label(mount_label, "linux.mountLabel", "selinux_mount_types",
                             &p->selinux_mount_types, report, err)) < 0)
                return r;
        if (p->mode == HR_LSM_REQUIRED)
                return check_required(policy->host, profile, label, report, err);
        return 0;
}

const struct hr_knob hr_knob_lsm = {
    .name = KNOB,
    .configure = configure,
    .apply = apply,
};
