/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * verify: the readers it shares with verify-mounts.c, verify-linux.c and
 * verify-lsm.c, the knob table, and the process knobs (user, capabilities,
 * no_new_privileges, annotations, seccomp).
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cap-ng.h>

#include "host.h"
#include "hr-cleanup.h"
#include "util.h"
#include "verify-internal.h"

/* ---- readers ------------------------------------------------------------ */

int hr_vf_flag(struct hr_vf *v, const char *knob, const char *path, const char *fmt, ...)
{
        _cleanup_free_ char *msg = NULL;
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (n < 0) {
                msg = NULL;
                return hr_error_set(v->err, ENOMEM, "out of memory");
        }
        return hr_report_violation(v->out, v->err, knob, path, "%s", msg);
}

static const struct hr_json *get_n(const struct hr_json *obj, const char *key, size_t len)
{
        if (!obj || obj->type != HR_JSON_OBJECT)
                return NULL;
        for (size_t i = 0; i < obj->u.obj.len; i++) {
                const char *k = obj->u.obj.members[i].key;

                if (strlen(k) == len && memcmp(k, key, len) == 0)
                        return obj->u.obj.members[i].value;
        }
        return NULL;
}

const struct hr_json *hr_vf_get(const struct hr_json *obj, const char *key)
{
        return get_n(obj, key, strlen(key));
}

const struct hr_json *hr_vf_at(const struct hr_json *root, const char *dotted)
{
        const struct hr_json *node = root;

        while (node && *dotted) {
                const char *end = strchrnul(dotted, '.');

                node = get_n(node, dotted, (size_t)(end - dotted));
                dotted = *end ? end + 1 : end;
        }
        return node;
}

const struct hr_json *hr_vf_array(const struct hr_json *root, const char *dotted, bool *bad)
{
        const struct hr_json *a = hr_vf_at(root, dotted);

        *bad = a && a->type != HR_JSON_ARRAY && a->type != HR_JSON_NULL;
        return a && a->type == HR_JSON_ARRAY ? a : NULL;
}

const char *hr_vf_string(const struct hr_json *node)
{
        if (!node || node->type != HR_JSON_STRING || strlen(node->u.str.text) != node->u.str.len)
                return NULL;
        return node->u.str.text;
}

bool hr_vf_uint(const struct hr_json *node, uint64_t *out)
{
        return node && node->type == HR_JSON_NUMBER &&
               hr_parse_uint(node->u.str.text, 0, UINT64_MAX, out, NULL) == 0;
}

bool hr_vf_int(const struct hr_json *node, int64_t *out)
{
        const uint64_t min_magnitude = (uint64_t)INT64_MAX + 1;
        uint64_t u;

        if (!node || node->type != HR_JSON_NUMBER)
                return false;
        if (node->u.str.text[0] != '-') {
                if (hr_parse_uint(node->u.str.text, 0, INT64_MAX, &u, NULL) < 0)
                        return false;
                *out = (int64_t)u;
                return true;
        }
        if (hr_parse_uint(node->u.str.text + 1, 0, min_magnitude, &u, NULL) < 0)
                return false;
        *out = u == min_magnitude ? INT64_MIN : -(int64_t)u;
        return true;
}

char *hr_vf_clean(const char *path)
{
        char *clean = NULL;

        return hr_path_clean(path, &clean) < 0 ? NULL : clean;
}

bool hr_vf_covers(const char *a, const char *b)
{
        size_t n = strlen(a);

        if (strcmp(a, "/") == 0)
                return true;
        return strncmp(a, b, n) == 0 && (b[n] == '\0' || b[n] == '/');
}

static bool has_option(const struct hr_json *mount, const char *name)
{
        const struct hr_json *opts = hr_vf_get(mount, "options");

        for (size_t i = 0; opts && opts->type == HR_JSON_ARRAY && i < opts->u.arr.len; i++) {
                const char *o = hr_vf_string(opts->u.arr.items[i]);

                if (o && strcmp(o, name) == 0)
                        return true;
        }
        return false;
}

bool hr_vf_is_bind(const struct hr_json *mount)
{
        const char *type = hr_vf_string(hr_vf_get(mount, "type"));

        return (type && strcmp(type, "bind") == 0) || has_option(mount, "bind") ||
               has_option(mount, "rbind");
}

bool hr_vf_mount_flag(const struct hr_json *mount, const char *on, const char *off, bool dflt)
{
        const struct hr_json *opts = hr_vf_get(mount, "options");
        bool state = dflt;

        for (size_t i = 0; opts && opts->type == HR_JSON_ARRAY && i < opts->u.arr.len; i++) {
                const char *o = hr_vf_string(opts->u.arr.items[i]);

                if (o && strcmp(o, on) == 0)
                        state = true;
                else if (o && strcmp(o, off) == 0)
                        state = false;
        }
        return state;
}

int hr_vf_mount_dest(const struct hr_json *mount, char **out, struct hr_error *err)
{
        const char *d = hr_vf_string(hr_vf_get(mount, "destination"));

        *out = NULL;
        if (d && !(*out = hr_vf_clean(d)))
                return hr_error_set(err, ENOMEM, "out of memory");
        return 0;
}

int hr_vf_mount_name(const struct hr_json *mount, size_t i, char **out, struct hr_error *err)
{
        _cleanup_free_ char *dest = NULL;
        int r;

        if ((r = hr_vf_mount_dest(mount, &dest, err)) < 0)
                return r;
        if ((dest ? asprintf(out, "mounts[destination=%s]", dest)
                  : asprintf(out, "mounts[%zu]", i)) < 0)
                return hr_error_set(err, ENOMEM, "out of memory");
        return 0;
}

/* ---- user ----------------------------------------------------------------- */

/* A private user namespace whose uid map sends container root to a non-zero host uid. */
static bool root_remapped(const struct hr_json *config)
{
        bool bad, userns = false;
        const struct hr_json *ns = hr_vf_array(config, "linux.namespaces", &bad);
        const struct hr_json *maps = hr_vf_array(config, "linux.uidMappings", &bad);

        for (size_t i = 0; ns && i < ns->u.arr.len; i++) {
                const char *type = hr_vf_string(hr_vf_get(ns->u.arr.items[i], "type"));
                const struct hr_json *path = hr_vf_get(ns->u.arr.items[i], "path");

                if (type && strcmp(type, "user") == 0 &&
                    (!path || path->type == HR_JSON_NULL ||
                     (path->type == HR_JSON_STRING && path->u.str.len == 0)))
                        userns = true;
        }
        for (size_t i = 0; userns && maps && i < maps->u.arr.len; i++) {
                const struct hr_json *m = maps->u.arr.items[i];
                uint64_t container, host, size;

                if (hr_vf_uint(hr_vf_get(m, "containerID"), &container) &&
                    hr_vf_uint(hr_vf_get(m, "hostID"), &host) &&
                    hr_vf_uint(hr_vf_get(m, "size"), &size) && container == 0 && size > 0)
                        return host != 0;
        }
        return false;
}

static bool user_enabled(const struct hr_policy *p)
{
        return !p->user.allow_root;
}

static int check_user(struct hr_vf *v)
{
        const struct hr_json *user = hr_vf_at(v->config, "process.user");
        const struct hr_json *uid = hr_vf_get(user, "uid");
        const struct hr_json *gids = hr_vf_get(user, "additionalGids");
        uint64_t id = 0;
        int r;

        if (root_remapped(v->config))
                return 0;
        if (uid && !hr_vf_uint(uid, &id))
                return hr_vf_flag(v, "user", "process.user.uid", "the uid is not a number");
        if (id == 0 && (r = hr_vf_flag(v, "user", "process.user.uid",
                                       "the process runs as root (uid 0); run it as another "
                                       "user, or map root to a non-root host uid in a user "
                                       "namespace")) < 0)
                return r;
        if (!gids || gids->type == HR_JSON_NULL)
                return 0;
        if (gids->type != HR_JSON_ARRAY)
                return hr_vf_flag(v, "user", "process.user.additionalGids", "not a list of gids");
        for (size_t i = 0; i < gids->u.arr.len; i++) {
                uint64_t g;

                if (!hr_vf_uint(gids->u.arr.items[i], &g))
                        return hr_vf_flag(v, "user", "process.user.additionalGids",
                                          "not a list of gids");
                if (g == 0)
                        return hr_vf_flag(v, "user", "process.user.additionalGids",
                                          "the process is in root's group (gid 0); remove it "
                                          "from the supplementary groups");
        }
        return 0;
}

/* ---- capabilities ----------------------------------------------------------- */

static const struct {
        const char *set;
        bool must_be_empty;
} cap_sets[] = {
    {"bounding", false},   {"effective", false}, {"permitted", false},
    {"inheritable", true}, {"ambient", true},
};

/* The libcap-ng number of "CAP_NAME" or "name", or -1. */
static int cap_number(const struct hr_json *node)
{
        const char *name = hr_vf_string(node);

        if (!name)
                return -1;
        if (strncasecmp(name, "CAP_", 4) == 0)
                name += 4;
        return capng_name_to_capability(name);
}

/* Write the names in set that are unknown or outside allowed into f; count them. */
static size_t caps_outside(const struct hr_json *set, uint64_t allowed, FILE *f)
{
        size_t count = 0;

        for (size_t i = 0; i < set->u.arr.len; i++) {
                const char *text = hr_vf_string(set->u.arr.items[i]);
                int n = cap_number(set->u.arr.items[i]);

                if (n >= 0 && n < 64 && (allowed & (UINT64_C(1) << n)))
                        continue;
                fprintf(f, "%s%s%s", count ? ", " : "", n < 0 ? "unknown " : "",
                        text ? text : "(not a name)");
                count++;
        }
        return count;
}

static int check_cap_set(struct hr_vf *v, const char *set, bool must_be_empty)
{
        const struct hr_json *caps = hr_vf_get(hr_vf_at(v->config, "process.capabilities"), set);
        _cleanup_free_ char *path = NULL, *names = NULL;
        size_t len = 0, count;
        FILE *f;

        if (asprintf(&path, "process.capabilities.%s", set) < 0)
                return hr_error_set(v->err, ENOMEM, "out of memory");
        if (!caps || caps->type == HR_JSON_NULL)
                return 0;
        if (caps->type != HR_JSON_ARRAY)
                return hr_vf_flag(v, "capabilities", path, "not a list of capabilities");
        if (must_be_empty && caps->u.arr.len > 0)
                return hr_vf_flag(v, "capabilities", path,
                                  "the %s set must be empty; it holds %zu capabilities", set,
                                  caps->u.arr.len);
        if (!(f = open_memstream(&names, &len)))
                return hr_error_set(v->err, ENOMEM, "out of memory");
        count = caps_outside(caps, v->policy->capabilities.allowed, f);
        if (fclose(f) != 0)
                return hr_error_set(v->err, ENOMEM, "out of memory");
        if (count == 0)
                return 0;
        return hr_vf_flag(v, "capabilities", path,
                          "%s %s not in the allowed set; drop %s from the %s set", names,
                          count == 1 ? "is" : "are", count == 1 ? "it" : "them", set);
}

static int check_capabilities(struct hr_vf *v)
{
        const struct hr_json *caps = hr_vf_at(v->config, "process.capabilities");
        int r;

        if (!caps || caps->type == HR_JSON_NULL)
                return 0; /* no capabilities object: runc and crun give none */
        if (caps->type != HR_JSON_OBJECT)
                return hr_vf_flag(v, "capabilities", "process.capabilities", "not an object");
        for (size_t i = 0; i < HR_ARRAY_SIZE(cap_sets); i++)
                if ((r = check_cap_set(v, cap_sets[i].set, cap_sets[i].must_be_empty)) < 0)
                        return r;
        return 0;
}

/* ---- no_new_privileges ---------------------------------------------------- */

static bool nnp_enabled(const struct hr_policy *p)
{
        return p->no_new_privileges;
}

static int check_nnp(struct hr_vf *v)
{
        const struct hr_json *nnp = hr_vf_at(v->config, "process.noNewPrivileges");

        if (nnp && nnp->type == HR_JSON_BOOL && nnp->u.boolean)
                return 0;
        return hr_vf_flag(v, "no_new_privileges", "process.noNewPrivileges",
                          "no_new_privs is not set; set process.noNewPrivileges to true");
}

/* ---- annotations ---------------------------------------------------------- */

static bool annotations_enabled(const struct hr_policy *p)
{
        return p->annotations_strip.n > 0;
}

static bool any_match(const struct hr_strv *globs, const char *s, int flags)
{
        for (size_t i = 0; i < globs->n; i++)
                if (fnmatch(globs->v[i], s, flags) == 0)
                        return true;
        return false;
}

static int check_annotations(struct hr_vf *v)
{
        const struct hr_json *a = hr_vf_get(v->config, "annotations");
        int r;

        if (!a || a->type == HR_JSON_NULL)
                return 0;
        if (a->type != HR_JSON_OBJECT)
                return hr_vf_flag(v, "annotations", "annotations", "not an object");
        for (size_t i = 0; i < a->u.obj.len; i++) {
                const char *key = a->u.obj.members[i].key;
                _cleanup_free_ char *path = NULL;

                if (!any_match(&v->policy->annotations_strip, key, 0))
                        continue;
                if (asprintf(&path, "annotations.%s", key) < 0)
                        return hr_error_set(v->err, ENOMEM, "out of memory");
                if ((r = hr_vf_flag(v, "annotations", path,
                                    "the annotation %s lets the runtime bypass hardening; "
                                    "remove it",
                                    key)) < 0)
                        return r;
        }
        return 0;
}

/* ---- seccomp -------------------------------------------------------------- */

static const char *const allowing_actions[] = {"SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY"};

int hr_verify_seccomp(const struct hr_json *config, struct hr_report *out, struct hr_error *err)
{
        struct hr_vf v = {.config = config, .out = out, .err = err};
        const struct hr_json *sc = hr_vf_at(config, "linux.seccomp");
        const char *action;

        if (!sc || sc->type == HR_JSON_NULL)
                return hr_vf_flag(&v, "seccomp", "linux.seccomp",
                                  "the container has no seccomp filter; every syscall is allowed");
        if (!(action = hr_vf_string(hr_vf_get(sc, "defaultAction"))))
                return hr_vf_flag(&v, "seccomp", "linux.seccomp.defaultAction",
                                  "the filter has no default action");
        for (size_t i = 0; i < HR_ARRAY_SIZE(allowing_actions); i++)
                if (strcmp(action, allowing_actions[i]) == 0)
                        return hr_vf_flag(&v, "seccomp", "linux.seccomp.defaultAction",
                                          "the default action %s lets every other syscall "
                                          "through",
                                          action);
        return 0;
}

/* ---- the table ------------------------------------------------------------ */

static bool always(const struct hr_policy *p)
{
        (void)p;
        return true;
}

static const struct hr_vf_knob knob_user = {"user", user_enabled, check_user};
static const struct hr_vf_knob knob_capabilities = {"capabilities", always, check_capabilities};
static const struct hr_vf_knob knob_nnp = {"no_new_privileges", nnp_enabled, check_nnp};
static const struct hr_vf_knob knob_annotations = {"annotations", annotations_enabled,
                                                   check_annotations};

/* The knobs of DESIGN §3.3 but seccomp (see hr_verify_seccomp). */
static const struct hr_vf_knob *const knobs[] = {
    &knob_user,          &knob_capabilities,
    &knob_nnp,           &hr_vf_readonly_rootfs,
    &hr_vf_masked_paths, &hr_vf_readonly_paths,
    &hr_vf_mounts,       &hr_vf_sensitive_mounts,
    &hr_vf_namespaces,   &hr_vf_sysctls,
    &hr_vf_limits,       &knob_annotations,
    &hr_vf_devices,      &hr_vf_lsm,
};

static const struct hr_vf_knob *find(const char *name)
{
        for (size_t i = 0; i < HR_ARRAY_SIZE(knobs); i++)
                if (strcmp(knobs[i]->name, name) == 0)
                        return knobs[i];
        return NULL;
}

const char *hr_verify_knob_name(size_t i)
{
        return i < HR_ARRAY_SIZE(knobs) ? knobs[i]->name : NULL;
}

bool hr_verify_enabled(const struct hr_policy *policy, const char *knob)
{
        const struct hr_vf_knob *k = find(knob);

        return k && k->enabled(policy);
}

int hr_verify_knob(const struct hr_json *config, const struct hr_policy *policy, const char *knob,
                   struct hr_report *out, struct hr_error *err)
{
        struct hr_vf v = {.config = config, .policy = policy, .out = out, .err = err};
        const struct hr_vf_knob *k = find(knob);

        if (!k)
                return hr_error_set(err, EINVAL, "verify knows no knob \"%s\"", knob);
        return k->enabled(policy) ? k->check(&v) : 0;
}

int hr_verify(const struct hr_json *config, const struct hr_policy *policy, struct hr_report *out,
              struct hr_error *err)
{
        struct hr_vf v = {.config = config, .policy = policy, .out = out, .err = err};

        for (size_t i = 0; i < HR_ARRAY_SIZE(knobs); i++) {
                int r = knobs[i]->enabled(policy) ? knobs[i]->check(&v) : 0;

                if (r < 0)
                        return r;
        }
        return 0;
}
