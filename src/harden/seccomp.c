/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Knob seccomp: the container runs under hardrun's seccomp profile (the one
 * built in, or a profile file the policy names), resolved for the container's
 * final capabilities (process.capabilities.bounding, after the capabilities
 * knob), the native architecture and the running kernel.  A container with no
 * linux.seccomp gets it as it is; one with its own profile gets the
 * intersection (seccomp-merge.h).  In learning mode what the profile denies
 * is logged instead (SCMP_ACT_LOG).  A merged profile, or one from a file,
 * goes through libseccomp before it is written.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bundle.h"
#include "harden.h"
#include "hr-cleanup.h"
#include "seccomp-merge.h"
#include "seccomp-oci.h"
#include "seccomp-profile.h"

#define KNOB         "seccomp"
#define PROFILE_MAX  (1024u * 1024u)
#define SEE_PROFILES "see hardrun-profiles(7)"

static int set_profile(struct hr_seccomp_policy *p, const struct hr_json *value,
                       struct hr_error *err)
{
        _cleanup_free_ char *path = NULL;
        _cleanup_json_ struct hr_json *doc = NULL;
        struct hr_file file = HR_FILE_INIT;
        int r;

        if ((r = hr_policy_string(value, KNOB ".profile", &path, err)) < 0)
                return r;
        if (strcmp(path, "default") != 0) {
                if (path[0] != '/')
                        return hr_error_set(err, EINVAL,
                                            "knob " KNOB ".profile must be \"default\" or the "
                                            "absolute path of a profile, not \"%s\"",
                                            path);
                r = hr_file_read(path, true, PROFILE_MAX, &file, err);
                if (r == 0)
                        r = hr_json_parse(file.data, file.len, 0, &doc, err);
                hr_file_done(&file);
                if (r == 0)
                        r = hr_seccomp_profile_check(doc, err);
                if (r < 0) {
                        char msg[HR_ERROR_MSG_MAX];

                        snprintf(msg, sizeof(msg), "%s", err->msg);
                        return hr_error_set(err, -r,
                                            "knob " KNOB ".profile %s: %s; fix the file or use "
                                            "\"default\" (%s)",
                                            path, msg, SEE_PROFILES);
                }
        }
        free(p->profile);
        hr_json_free(p->doc);
        p->profile = TAKE_PTR(path);
        p->doc = TAKE_PTR(doc);
        return 0;
}

static int configure(struct hr_policy *policy, const struct hr_json *value, struct hr_error *err)
{
        struct hr_seccomp_policy *p = &policy->seccomp;
        int r = 0;

        if (value->type == HR_JSON_BOOL)
                return hr_policy_bool(value, KNOB, &p->enabled, err);
        if (value->type != HR_JSON_OBJECT)
                return hr_error_set(err, EINVAL, "knob " KNOB " must be a boolean or an object");
        for (size_t i = 0; i < value->u.obj.len && r == 0; i++) {
                const char *key = value->u.obj.members[i].key;
                const struct hr_json *v = value->u.obj.members[i].value;

                if (strcmp(key, "enabled") == 0)
                        r = hr_policy_bool(v, KNOB ".enabled", &p->enabled, err);
                else if (strcmp(key, "learn") == 0)
                        r = hr_policy_bool(v, KNOB ".learn", &p->learn, err);
                else if (strcmp(key, "profile") == 0)
                        r = set_profile(p, v, err);
                else
                        r = hr_error_set(err, EINVAL, "unknown knob " KNOB ".%s", key);
        }
        if (r == 0 && p->enabled && !p->profile && !(p->profile = strdup("default")))
                r = hr_error_set(err, ENOMEM, "out of memory");
        return r;
}

/* process.capabilities.bounding, or NULL when there is none. */
static int bounding_set(const struct hr_json *config, const struct hr_json **out,
                        struct hr_error *err)
{
        struct hr_json *process, *caps, *bounding;
        int r;

        if ((r = hr_harden_get(config, "process", "process", &process, err)) < 0 ||
            (r = hr_harden_get(process, "capabilities", "process.capabilities", &caps, err)) < 0 ||
            (r = hr_harden_get(caps, "bounding", "process.capabilities.bounding", &bounding, err)) <
                0)
                return r;
        if (bounding && bounding->type != HR_JSON_ARRAY && bounding->type != HR_JSON_NULL)
                return hr_error_set(err, EINVAL, "process.capabilities.bounding must be an array");
        *out = bounding && bounding->type == HR_JSON_ARRAY ? bounding : NULL;
        return 0;
}

/* hardrun's profile, resolved for this container. */
static int ours(const struct hr_json *config, const struct hr_seccomp_policy *p,
                struct hr_json **out, struct hr_error *err)
{
        _cleanup_json_ struct hr_json *builtin = NULL;
        const struct hr_json *bounding = NULL;
        struct hr_seccomp_host host;
        int r;

        if ((r = bounding_set(config, &bounding, err)) < 0 ||
            (r = hr_seccomp_host_detect(&host, err)) < 0 ||
            (!p->doc && (r = hr_seccomp_default_parse(&builtin, err)) < 0))
                return r;
        /* The built-in profile was parsed for this call alone: its names can be moved. */
        return hr_seccomp_profile_resolve(
            p->doc ? p->doc : builtin, &host, bounding,
            (p->learn ? HR_SECCOMP_LEARN : 0) | (p->doc ? 0 : HR_SECCOMP_MOVE), out, err);
}

/* What the audit record shows for a profile put in place: not all of its rules. */
static struct hr_json *summary(const struct hr_seccomp_policy *p, const struct hr_json *sc)
{
        static const char *const keys[] = {"defaultAction", "defaultErrnoRet", "architectures"};
        _cleanup_json_ struct hr_json *o = hr_json_new_object();
        const struct hr_json *rules = hr_json_get(sc, "syscalls");
        char n[24];

        snprintf(n, sizeof(n), "%zu", rules ? rules->u.arr.len : 0);
        if (!o || hr_json_set(o, "profile", hr_json_new_string(p->profile)) < 0 ||
            hr_json_set(o, "learn", hr_json_new_bool(p->learn)) < 0)
                return NULL;
        for (size_t i = 0; i < HR_ARRAY_SIZE(keys); i++)
                if (hr_json_get(sc, keys[i]) &&
                    hr_json_set(o, keys[i], hr_json_copy(hr_json_get(sc, keys[i]))) < 0)
                        return NULL;
        if (hr_json_set(o, "rules", hr_json_new_number(n)) < 0)
                return NULL;
        return TAKE_PTR(o);
}

static int put(struct hr_json *lx, struct hr_json *before, struct hr_json *sc,
               const struct hr_seccomp_policy *p, struct hr_report *report, struct hr_error *err)
{
        _cleanup_json_ struct hr_json *after = summary(p, sc);
        int r;

        if (!after) {
                hr_json_free(sc);
                return hr_error_set(err, ENOMEM, "out of memory");
        }
        if ((r = hr_report_change(report, KNOB, "linux.seccomp", before, after, err)) < 0) {
                hr_json_free(sc);
                return r;
        }
        return hr_json_set(lx, "seccomp", sc) < 0 ? hr_error_set(err, ENOMEM, "out of memory") : 0;
}

/* What libseccomp makes of the profile the runtime will get. */
static int validate(const struct hr_json *sc, struct hr_error *err)
{
        _cleanup_seccomp_ scmp_filter_ctx ctx = NULL;
        struct hr_sc parsed;
        int r;

        if ((r = hr_sc_parse(sc, "linux.seccomp", &parsed, err)) < 0)
                return r;
        r = hr_sc_build(&parsed, HR_SC_BUILD_CONDITIONAL, &ctx, err);
        hr_sc_done(&parsed);
        return r;
}

/* Add the way out to a message about the container's own profile. */
static int advise(struct hr_error *err, int r)
{
        char msg[HR_ERROR_MSG_MAX];

        snprintf(msg, sizeof(msg), "%s", err->msg);
        return hr_error_set(err, -r,
                            "%s; fix the container's seccomp profile (linux.seccomp), or relax "
                            "the knob for this workload in the policy (%s)",
                            msg, SEE_PROFILES);
}

static int apply(struct hr_json *config, const struct hr_policy *policy, struct hr_report *report,
                 struct hr_error *err)
{
        const struct hr_seccomp_policy *p = &policy->seccomp;
        _cleanup_json_ struct hr_json *mine = NULL;
        struct hr_json *lx, *theirs;
        int r;

        if (!p->enabled)
                return 0;
        if ((r = hr_harden_get(config, "linux", "linux", &lx, err)) < 0)
                return r;
        if (!lx) {
                if (hr_json_set(config, "linux", hr_json_new_object()) < 0)
                        return hr_error_set(err, ENOMEM, "out of memory");
                lx = hr_json_get(config, "linux");
        }
        if (lx->type != HR_JSON_OBJECT)
                return hr_error_set(err, EINVAL, "linux must be an object");
        if ((r = hr_harden_get(lx, "seccomp", "linux.seccomp", &theirs, err)) < 0 ||
            (r = ours(config, p, &mine, err)) < 0)
                return r;
        if (!theirs || theirs->type == HR_JSON_NULL) {
                /* The built-in profile, as it is, is checked by the unit tests on every
                 * architecture and capability set it resolves for. */
                bool checked = !p->doc;

                if ((r = put(lx, theirs, TAKE_PTR(mine), p, report, err)) < 0)
                        return r;
                if (checked)
                        return 0;
        } else if ((r = hr_seccomp_merge(theirs, mine, p->learn, KNOB, report, err)) < 0) {
                return advise(err, r);
        }
        if ((r = validate(hr_json_get(lx, "seccomp"), err)) < 0)
                return advise(err, r);
        return 0;
}

const struct hr_knob hr_knob_seccomp = {
    .name = KNOB,
    .configure = configure,
    .apply = apply,
};
