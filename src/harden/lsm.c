/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Knob lsm (DESIGN §5): AppArmor and SELinux confine the container where the
 * host enforces them, and a container does not opt out of either.
 *
 * Refused whatever the host enforces:
 * - process.apparmorProfile "unconfined" (docker run --privileged or
 *   --security-opt apparmor=unconfined), unless lsm.apparmor_unconfined;
 * - an SELinux label whose type lsm.selinux_types (process.selinuxLabel)
 *   or lsm.selinux_mount_types (linux.mountLabel) does not list: a label
 *   asking for spc_t is a request for privilege either way.
 *
 * Applied only where the host enforces the LSM, since runc fails with a
 * label that the host cannot apply (crun ignores it):
 * - AppArmor: process.apparmorProfile becomes hardrun-default, unless it
 *   names another profile that lsm.apparmor_profiles allows and that is
 *   loaded.  The command layer has made sure hardrun-default is loaded
 *   before the knobs run (lsm-prepare.h).
 * - SELinux: a process label that carries an MCS level (explicit
 *   categories, s0:c1,c2) is kept.  Otherwise the container gets the
 *   host's container context (lxc_contexts "process"), or its own label's
 *   user:role:type, at the categories reserved for it
 *   (policy->lsm.mcs_categories, filled by the command layer).
 *   linux.mountLabel (the lxc_contexts "file" context unless the config has
 *   one) gets the process label's level.
 * - With lsm.mode "required", a host that enforces neither LSM is refused,
 *   and so is a container that no enforcing LSM confines once the labels
 *   are set (an allowed "unconfined" on an AppArmor-only host).
 *
 * apply does no I/O of its own: what the host enforces, which profiles it
 * has loaded and its container contexts come from policy->host.
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
#include "util.h"

#define KNOB "lsm"

/* What the config's labels are; the strings point into the tree. */
struct labels {
        struct hr_json *process; /* NULL when the config has none */
        struct hr_json *lx;
        const char *profile, *label, *mount_label;
};

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
                else if (strcmp(key, "apparmor_profiles") == 0)
                        r = hr_policy_strv(v, KNOB ".apparmor_profiles", &p->apparmor_profiles,
                                           err);
                else
                        r = hr_error_set(err, EINVAL, "unknown knob " KNOB ".%s", key);
        }
        return r;
}

/* ---- SELinux contexts: user:role:type[:level] ----------------------------- */

/* The type field of a context, malloc'd; NULL if malformed. */
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

/* The level of a context (all after the type), or NULL when it has none. */
static const char *context_level(const char *context)
{
        const char *p = context;

        for (int i = 0; i < 3 && p; i++)
                if ((p = strchr(p, ':')))
                        p++;
        return p && *p ? p : NULL;
}

/* A sensitivity "sN" and one or more explicit categories "cN", comma-separated: "s0:c1,c2". */
static bool mcs_level_ok(const char *level)
{
        _cleanup_free_ char *copy = strdup(level ? level : "");
        char *cats, *c;
        uint64_t n;

        if (!copy || copy[0] != 's' || !(cats = strchr(copy, ':')))
                return false;
        *cats++ = '\0';
        if (hr_parse_uint(copy + 1, 0, 15, &n, NULL) < 0)
                return false;
        /* strsep keeps empty fields: "c1,,c2" and "c1," are refused. */
        while ((c = strsep(&cats, ",")))
                if (c[0] != 'c' || hr_parse_uint(c + 1, 0, 1023, &n, NULL) < 0)
                        return false;
        return true;
}

bool hr_lsm_needs_mcs(const struct hr_json *config)
{
        const char *label =
            hr_json_string(hr_json_get(hr_json_get(config, "process"), "selinuxLabel"));

        return !label || !mcs_level_ok(context_level(label));
}

/* "user:role:type" + ":" + level, malloc'd (NULL when context is malformed). */
static char *with_level(const char *context, const char *level)
{
        const char *old = context_level(context);
        size_t base = old ? (size_t)(old - context) - 1 : strlen(context);
        char *out = NULL;
        _cleanup_free_ char *type = context_type(context);

        if (!type || asprintf(&out, "%.*s:%s", (int)base, context, level) < 0)
                return NULL;
        return out;
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

/* A context from the host's lxc_contexts must be one the policy allows too. */
static int check_host_context(const char *context, const char *entry, const char *path,
                              const char *sub, const struct hr_strv *types, bool *ok,
                              struct hr_report *report, struct hr_error *err)
{
        _cleanup_free_ char *type = context_type(context);

        *ok = type && type_allowed(types, type);
        if (*ok)
                return 0;
        if (!type)
                return hr_report_violation(report, err, KNOB, path,
                                           "the host's SELinux container context \"%s\" "
                                           "(lxc_contexts entry %s) is not a context "
                                           "user:role:type[:level]; fix the host's SELinux policy",
                                           context, entry);
        return hr_report_violation(report, err, KNOB, path,
                                   "the host's SELinux container context \"%s\" (lxc_contexts "
                                   "entry %s) has the type %s, which the policy does not allow "
                                   "(knob lsm.%s); allow that type, or fix the host's SELinux "
                                   "policy",
                                   context, entry, type, sub);
}

/* ---- applying ---------------------------------------------------------------- */

static int read_labels(struct hr_json *config, struct labels *l, struct hr_error *err)
{
        int r;

        *l = (struct labels){0};
        if ((r = hr_cfg_object(config, "process", "process", &l->process, err)) < 0 ||
            (r = hr_cfg_string(l->process, "apparmorProfile", "process.apparmorProfile",
                               &l->profile, err)) < 0 ||
            (r = hr_cfg_string(l->process, "selinuxLabel", "process.selinuxLabel", &l->label,
                               err)) < 0 ||
            (r = hr_cfg_object(config, "linux", "linux", &l->lx, err)) < 0 ||
            (r = hr_cfg_string(l->lx, "mountLabel", "linux.mountLabel", &l->mount_label, err)) < 0)
                return r;
        return 0;
}

/* Make obj.key the string want, reporting the change. */
static int set_string(struct hr_json *obj, const char *key, const char *path, const char *want,
                      struct hr_report *report, struct hr_error *err)
{
        _cleanup_json_ struct hr_json *after = hr_json_new_string(want);
        const struct hr_json *cur = hr_json_get(obj, key);
        const char *have = hr_json_string(cur);
        int r;

        if (!after)
                return hr_error_set(err, ENOMEM, "out of memory");
        if (have && strcmp(have, want) == 0)
                return 0;
        if ((r = hr_report_change(report, KNOB, path, cur, after, err)) < 0)
                return r;
        return hr_json_set(obj, key, TAKE_PTR(after)) < 0
                   ? hr_error_set(err, ENOMEM, "out of memory")
                   : 0;
}

static bool listed(const struct hr_strv *globs, const char *name)
{
        for (size_t i = 0; i < globs->n; i++)
                if (fnmatch(globs->v[i], name, 0) == 0)
                        return true;
        return false;
}

static int apply_apparmor(const struct labels *l, const struct hr_policy *policy,
                          struct hr_report *report, struct hr_error *err)
{
        const char *profile = l->profile;
        bool loaded = false;
        int r;

        /* unconfined was refused already, or the policy allows it. */
        if (profile &&
            (strcmp(profile, HR_APPARMOR_PROFILE) == 0 || strcmp(profile, "unconfined") == 0))
                return 0;
        if (profile && *profile && listed(&policy->lsm.apparmor_profiles, profile)) {
                if ((r = policy->host->apparmor_loaded(profile, &loaded)) < 0)
                        return hr_error_errno(err, -r,
                                              "cannot tell whether the AppArmor profile %s is "
                                              "loaded",
                                              profile);
                if (loaded)
                        return 0;
        }
        return set_string(l->process, "apparmorProfile", "process.apparmorProfile",
                          HR_APPARMOR_PROFILE, report, err);
}

/* The sensitivity a level starts with ("s0" of "s0-s0:c0.c1023"), when it is one, else "s0". */
static char *sensitivity(const char *level)
{
        size_t n = level ? strcspn(level, ":-") : 0;
        _cleanup_free_ char *s = n ? strndup(level, n) : NULL;
        uint64_t v;

        if (s && s[0] == 's' && hr_parse_uint(s + 1, 0, 15, &v, NULL) == 0)
                return TAKE_PTR(s);
        return strdup("s0");
}

/* The level a new label gets: the context's sensitivity and the reserved categories. */
static int new_level(const char *context, const struct hr_policy *policy, char **out,
                     struct hr_error *err)
{
        _cleanup_free_ char *sens = sensitivity(context_level(context));
        const char *cats = policy->lsm.mcs_categories;

        if (!cats) {
                /* Only enforce writes the config; audit and refuse only tell. */
                if (policy->mode == HR_MODE_ENFORCE)
                        return hr_error_set(err, EINVAL,
                                            "no MCS categories were reserved for the container");
                cats = "cN,cM";
        }
        if (!sens || asprintf(out, "%s:%s", sens, cats) < 0)
                return hr_error_set(err, ENOMEM, "out of memory");
        return 0;
}

/* The process label the container runs with, malloc'd into *out; NULL when refused. */
static int process_label(const struct labels *l, const char *host_process,
                         const struct hr_policy *policy, char **out, struct hr_report *report,
                         struct hr_error *err)
{
        _cleanup_free_ char *level = NULL;
        const char *base = l->label && *l->label ? l->label : host_process;
        bool ok = true;
        int r;

        *out = NULL;
        if (l->label && *l->label && mcs_level_ok(context_level(l->label)))
                return (*out = strdup(l->label)) ? 0 : hr_error_set(err, ENOMEM, "out of memory");
        if (base == host_process &&
            (r = check_host_context(host_process, "process", "process.selinuxLabel",
                                    "selinux_types", &policy->lsm.selinux_types, &ok, report,
                                    err)) < 0)
                return r;
        if (!ok)
                return 0;
        if ((r = new_level(base, policy, &level, err)) < 0)
                return r;
        return (*out = with_level(base, level)) ? 0 : hr_error_set(err, ENOMEM, "out of memory");
}

static int apply_selinux(struct hr_json *config, const struct labels *l,
                         const struct hr_policy *policy, struct hr_report *report,
                         struct hr_error *err)
{
        _cleanup_free_ char *host_process = NULL, *host_file = NULL, *label = NULL, *mount = NULL;
        const char *mount_base = l->mount_label && *l->mount_label ? l->mount_label : NULL;
        struct hr_json *lx;
        bool ok = true;
        int r;

        if (((!l->label || !*l->label) || !mount_base) &&
            (r = policy->host->selinux_contexts(&host_process, &host_file, err)) < 0)
                return hr_error_prefix(err, "the host's SELinux container contexts");
        if ((r = process_label(l, host_process, policy, &label, report, err)) < 0 || !label)
                return r;
        if (!mount_base &&
            (r = check_host_context(host_file, "file", "linux.mountLabel", "selinux_mount_types",
                                    &policy->lsm.selinux_mount_types, &ok, report, err)) < 0)
                return r;
        if (!ok)
                return 0;
        if (!(mount = with_level(mount_base ? mount_base : host_file, context_level(label))))
                return hr_error_set(err, ENOMEM, "out of memory");
        if ((r = set_string(l->process, "selinuxLabel", "process.selinuxLabel", label, report,
                            err)) < 0 ||
            (r = hr_cfg_object_create(config, "linux", "linux", &lx, err)) < 0)
                return r;
        return set_string(lx, "mountLabel", "linux.mountLabel", mount, report, err);
}

static int check_required(bool aa, bool se, const char *profile, const char *label,
                          struct hr_report *report, struct hr_error *err)
{
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
        size_t refused = report->n_violations;
        struct labels l;
        bool aa, se;
        int r;

        if ((r = read_labels(config, &l, err)) < 0)
                return r;
        if (l.profile && strcmp(l.profile, "unconfined") == 0 && !p->apparmor_unconfined &&
            (r = hr_report_violation(report, err, KNOB, "process.apparmorProfile",
                                     "the container asks to run without AppArmor "
                                     "(process.apparmorProfile \"unconfined\", as docker run "
                                     "--privileged or --security-opt apparmor=unconfined give); "
                                     "drop that option, or exempt this container with a rule")) < 0)
                return r;
        if ((r = check_label(l.label, "process.selinuxLabel", "selinux_types", &p->selinux_types,
                             report, err)) < 0 ||
            (r = check_label(l.mount_label, "linux.mountLabel", "selinux_mount_types",
                             &p->selinux_mount_types, report, err)) < 0)
                return r;
        aa = policy->host->apparmor_enabled();
        se = policy->host->selinux_enabled();
        if (l.process && aa && (r = apply_apparmor(&l, policy, report, err)) < 0)
                return r;
        /* A label refused above is not rewritten: the refusal stands as the container asked. */
        if (l.process && se && report->n_violations == refused &&
            (r = apply_selinux(config, &l, policy, report, err)) < 0)
                return r;
        if (p->mode != HR_LSM_REQUIRED)
                return 0;
        if ((r = read_labels(config, &l, err)) < 0)
                return r;
        return check_required(aa, se, l.profile, l.label, report, err);
}

const struct hr_knob hr_knob_lsm = {
    .name = KNOB,
    .configure = configure,
    .apply = apply,
};
