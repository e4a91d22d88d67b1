/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * verify, knob lsm, from the policy's words (DESIGN §5, struct
 * hr_lsm_policy):
 * - AppArmor "unconfined" only when lsm.apparmor_unconfined says so;
 * - where the host enforces AppArmor, a profile: hardrun-default, or a
 *   loaded one that lsm.apparmor_profiles allows;
 * - SELinux types from lsm.selinux_types and lsm.selinux_mount_types (an
 *   empty list is not checked);
 * - where the host enforces SELinux, a process label whose level names
 *   explicit MCS categories, and a mount label at that same level;
 * - lsm.mode "required": a host that enforces one of them.
 * A host question that fails counts as non-compliant.
 */
#include <errno.h>
#include <fnmatch.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "hr-cleanup.h"
#include "util.h"
#include "verify-internal.h"

#define KNOB "lsm"

static bool enabled(const struct hr_policy *p)
{
        (void)p;
        return true;
}

static bool host_has(bool (*probe)(void))
{
        return probe && probe();
}

static bool glob_listed(const struct hr_strv *globs, const char *s)
{
        for (size_t i = 0; i < globs->n; i++)
                if (fnmatch(globs->v[i], s, 0) == 0)
                        return true;
        return false;
}

/* An allowed profile that the host says is loaded; a host that cannot say does not count. */
static bool loaded_and_allowed(const struct hr_vf *v, const char *profile)
{
        const struct hr_host *h = v->policy->host;
        bool loaded = false;

        if (strcmp(profile, HR_APPARMOR_PROFILE) == 0)
                return true;
        if (!glob_listed(&v->policy->lsm.apparmor_profiles, profile) || !h->apparmor_loaded)
                return false;
        return h->apparmor_loaded(profile, &loaded) == 0 && loaded;
}

static int check_apparmor(struct hr_vf *v, bool enforced)
{
        const struct hr_json *node = hr_vf_at(v->config, "process.apparmorProfile");
        const char *profile = hr_vf_string(node);

        if (node && node->type != HR_JSON_NULL && !profile)
                return hr_vf_flag(v, KNOB, "process.apparmorProfile", "not a string");
        if (profile && strcmp(profile, "unconfined") == 0)
                return v->policy->lsm.apparmor_unconfined
                           ? 0
                           : hr_vf_flag(v, KNOB, "process.apparmorProfile",
                                        "the process runs unconfined by AppArmor; remove the "
                                        "profile or name a confining one");
        if (!enforced)
                return 0;
        if (!profile || !*profile)
                return hr_vf_flag(v, KNOB, "process.apparmorProfile",
                                  "the host enforces AppArmor but the process has no profile");
        if (!loaded_and_allowed(v, profile))
                return hr_vf_flag(v, KNOB, "process.apparmorProfile",
                                  "the AppArmor profile %s is neither " HR_APPARMOR_PROFILE
                                  " nor a loaded profile that lsm.apparmor_profiles allows",
                                  profile);
        return 0;
}

/* The n-th ':' field of a context (0 user, 1 role, 2 type) malloc'd, or its level (n 3). */
static char *context_part(const char *context, int n)
{
        const char *p = context;

        for (int i = 0; i < n; i++) {
                if (!(p = strchr(p, ':')))
                        return NULL;
                p++;
        }
        return n == 3 ? strdup(p) : strndup(p, strcspn(p, ":"));
}

/* sN:cA[,cB...]: one sensitivity and a list of categories, each at most c1023. */
static bool separating(const char *level)
{
        static const char pattern[] = "^s([0-9]|1[0-5]):c[0-9]{1,4}(,c[0-9]{1,4})*$";
        _cleanup_free_ char *copy = NULL;
        char *cats, *c, *save = NULL;
        regex_t re;
        uint64_t n;
        bool ok;

        if (!level || regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
                return false;
        ok = regexec(&re, level, 0, NULL, 0) == 0;
        regfree(&re);
        if (!ok || !(copy = strdup(level)) || !(cats = strchr(copy, ':')))
                return false;
        for (c = strtok_r(cats + 1, ",", &save); ok && c; c = strtok_r(NULL, ",", &save))
                ok = hr_parse_uint(c + 1, 0, 1023, &n, NULL) == 0;
        return ok;
}

/* The label at path is a context whose type types allows (an empty list allows all). */
static int check_type(struct hr_vf *v, const char *path, const char *label,
                      const struct hr_strv *types, bool *ok)
{
        _cleanup_free_ char *t = NULL;

        *ok = false;
        if (!strchr(label, ':') || !strchr(strchr(label, ':') + 1, ':'))
                return hr_vf_flag(v, KNOB, path,
                                  "\"%s\" is not an SELinux context user:role:type:level", label);
        if (!(t = context_part(label, 2)))
                return hr_error_set(v->err, ENOMEM, "out of memory");
        if (types->n == 0 || glob_listed(types, t)) {
                *ok = true;
                return 0;
        }
        return hr_vf_flag(v, KNOB, path,
                          "the SELinux type %s is not allowed; use a container_t type", t);
}

static int check_mount(struct hr_vf *v, const char *level, bool enforced)
{
        const struct hr_json *node = hr_vf_at(v->config, "linux.mountLabel");
        const char *mount = hr_vf_string(node);
        _cleanup_free_ char *mlevel = NULL;
        bool ok;
        int r;

        if (node && node->type != HR_JSON_NULL && !mount)
                return hr_vf_flag(v, KNOB, "linux.mountLabel", "not a string");
        if (mount && *mount &&
            ((r = check_type(v, "linux.mountLabel", mount, &v->policy->lsm.selinux_mount_types,
                             &ok)) < 0 ||
             !ok))
                return r < 0 ? r : 0;
        if (!enforced || !level)
                return 0;
        if (!mount || !*mount)
                return hr_vf_flag(v, KNOB, "linux.mountLabel",
                                  "the host enforces SELinux but the mounts get no label");
        mlevel = context_part(mount, 3);
        if (!mlevel || strcmp(mlevel, level) != 0)
                return hr_vf_flag(v, KNOB, "linux.mountLabel",
                                  "the mount label's level %s is not the process's, %s",
                                  mlevel ? mlevel : "(none)", level);
        return 0;
}

static int check_selinux(struct hr_vf *v, bool enforced)
{
        const struct hr_json *node = hr_vf_at(v->config, "process.selinuxLabel");
        const char *label = hr_vf_string(node);
        _cleanup_free_ char *level = NULL;
        bool ok = false;
        int r;

        if (node && node->type != HR_JSON_NULL && !label)
                return hr_vf_flag(v, KNOB, "process.selinuxLabel", "not a string");
        if (label && *label) {
                if ((r = check_type(v, "process.selinuxLabel", label, &v->policy->lsm.selinux_types,
                                    &ok)) < 0)
                        return r;
        } else if (enforced) {
                return hr_vf_flag(v, KNOB, "process.selinuxLabel",
                                  "the host enforces SELinux but the process has no label");
        }
        if (ok && enforced) {
                level = context_part(label, 3);
                if (!separating(level))
                        return hr_vf_flag(v, KNOB, "process.selinuxLabel",
                                          "the label %s carries no MCS categories (s0:cA,cB): "
                                          "containers are not kept apart",
                                          label);
        }
        return check_mount(v, ok ? level : NULL, enforced);
}

static int check(struct hr_vf *v)
{
        const struct hr_host *h = v->policy->host;
        bool aa = h && host_has(h->apparmor_enabled), se = h && host_has(h->selinux_enabled);
        int r;

        if ((r = check_apparmor(v, aa)) < 0 || (r = check_selinux(v, se)) < 0)
                return r;
        if (v->policy->lsm.mode == HR_LSM_REQUIRED && !aa && !se)
                return hr_vf_flag(v, KNOB, "process",
                                  "the policy requires an LSM but the host enforces neither "
                                  "AppArmor nor SELinux");
        return 0;
}

const struct hr_vf_knob hr_vf_lsm = {KNOB, enabled, check};
