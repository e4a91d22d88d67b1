/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "hr-cleanup.h"
#include "seccomp-oci.h"
#include "seccomp-profile.h"

#define WHERE "the seccomp profile"

/* The first name of a token is the one reported; the others are aliases moby has used. */
static const struct arch {
        uint32_t token;
        const char *oci;
        const char *name;
} arches[] = {
    {SCMP_ARCH_X86_64, "SCMP_ARCH_X86_64", "amd64"},
    {SCMP_ARCH_X86, "SCMP_ARCH_X86", "x86"},
    {SCMP_ARCH_X32, "SCMP_ARCH_X32", "x32"},
    {SCMP_ARCH_AARCH64, "SCMP_ARCH_AARCH64", "arm64"},
    {SCMP_ARCH_ARM, "SCMP_ARCH_ARM", "arm"},
    {SCMP_ARCH_PPC64LE, "SCMP_ARCH_PPC64LE", "ppc64le"},
    {SCMP_ARCH_PPC64, "SCMP_ARCH_PPC64", "ppc64"},
    {SCMP_ARCH_PPC, "SCMP_ARCH_PPC", "ppc"},
    {SCMP_ARCH_S390X, "SCMP_ARCH_S390X", "s390x"},
    {SCMP_ARCH_S390, "SCMP_ARCH_S390", "s390"},
    {SCMP_ARCH_RISCV64, "SCMP_ARCH_RISCV64", "riscv64"},
    {SCMP_ARCH_MIPS, "SCMP_ARCH_MIPS", "mips"},
    {SCMP_ARCH_MIPSEL, "SCMP_ARCH_MIPSEL", "mipsel"},
    {SCMP_ARCH_MIPSEL, "SCMP_ARCH_MIPSEL", "mipsle"},
    {SCMP_ARCH_MIPS64, "SCMP_ARCH_MIPS64", "mips64"},
    {SCMP_ARCH_MIPSEL64, "SCMP_ARCH_MIPSEL64", "mipsel64"},
    {SCMP_ARCH_MIPS64N32, "SCMP_ARCH_MIPS64N32", "mips64n32"},
    {SCMP_ARCH_MIPSEL64N32, "SCMP_ARCH_MIPSEL64N32", "mipsel64n32"},
    {SCMP_ARCH_MIPSEL64N32, "SCMP_ARCH_MIPSEL64N32", "mips3l64n32"},
};

static const struct arch *arch_by_token(uint32_t token)
{
        for (size_t i = 0; i < HR_ARRAY_SIZE(arches); i++)
                if (arches[i].token == token)
                        return &arches[i];
        return NULL;
}

static const struct arch *arch_by_name(const char *name)
{
        for (size_t i = 0; name && i < HR_ARRAY_SIZE(arches); i++)
                if (strcmp(arches[i].name, name) == 0)
                        return &arches[i];
        return NULL;
}

const char *hr_seccomp_arch_oci(uint32_t token)
{
        const struct arch *a = arch_by_token(token);

        return a ? a->oci : NULL;
}

const char *hr_seccomp_arch_name(uint32_t token)
{
        const struct arch *a = arch_by_token(token);

        return a ? a->name : NULL;
}

/* Leading decimal digits of *s as a number, moving *s past them; -1 when there are none. */
static long digits(const char **s)
{
        long v = 0;
        const char *p = *s;

        while (*p >= '0' && *p <= '9' && v < 1000000)
                v = v * 10 + (*p++ - '0');
        if (p == *s || (*p >= '0' && *p <= '9'))
                return -1;
        *s = p;
        return v;
}

/* "X.Y", optionally followed by ".Z", "-anything" or "+anything", as moby reads it. */
static int parse_kernel(const char *s, unsigned out[2])
{
        long major, minor;

        if (!s || (major = digits(&s)) < 0 || *s++ != '.' || (minor = digits(&s)) < 0 ||
            (*s && *s != '.' && *s != '-' && *s != '+'))
                return -EINVAL;
        out[0] = (unsigned)major;
        out[1] = (unsigned)minor;
        return 0;
}

int hr_seccomp_host_detect(struct hr_seccomp_host *out, struct hr_error *err)
{
        struct hr_seccomp_host h = {.arch = seccomp_arch_native()};
        struct utsname u;

        if (uname(&u) < 0)
                return hr_error_errno(err, errno, "uname");
        if (parse_kernel(u.release, h.kernel) < 0)
                return hr_error_set(err, EINVAL, "cannot read the kernel version \"%s\"",
                                    u.release);
        *out = h;
        return 0;
}

int hr_seccomp_default_parse(struct hr_json **out, struct hr_error *err)
{
        int r = hr_json_parse(hr_seccomp_default_profile, strlen(hr_seccomp_default_profile),
                              HR_JSON_TRUSTED, out, err);

        return r < 0 ? hr_error_prefix(err, "hardrun's built-in seccomp profile") : 0;
}

/* ---- includes and excludes -------------------------------------------- */

struct filter {
        const struct hr_json *caps, *arches;
        bool has_kernel;
        unsigned kernel[2];
};

static int check_keys(const struct hr_json *obj, const char *const *keys, size_t n,
                      const char *where, struct hr_error *err)
{
        for (size_t i = 0; i < obj->u.obj.len; i++) {
                size_t k = 0;

                while (k < n && strcmp(obj->u.obj.members[i].key, keys[k]) != 0)
                        k++;
                if (k == n)
                        return hr_error_set(err, EINVAL, "%s: unknown key \"%s\"", where,
                                            obj->u.obj.members[i].key);
        }
        return 0;
}

static int strings(const struct hr_json *v, const char *where, struct hr_error *err)
{
        if (v->type != HR_JSON_ARRAY)
                return hr_error_set(err, EINVAL, "%s must be an array of strings", where);
        for (size_t i = 0; i < v->u.arr.len; i++)
                if (!hr_json_string(v->u.arr.items[i]))
                        return hr_error_set(err, EINVAL, "%s must be an array of strings", where);
        return 0;
}

static int parse_filter(const struct hr_json *v, const char *where, struct filter *out,
                        struct hr_error *err)
{
        static const char *const keys[] = {"caps", "arches", "minKernel"};
        const struct hr_json *kernel;
        struct filter f = {0};
        int r;

        if (!v || v->type == HR_JSON_NULL) {
                *out = f;
                return 0;
        }
        if (v->type != HR_JSON_OBJECT)
                return hr_error_set(err, EINVAL, "%s must be an object", where);
        if ((r = check_keys(v, keys, HR_ARRAY_SIZE(keys), where, err)) < 0)
                return r;
        f.caps = hr_json_get(v, "caps");
        f.arches = hr_json_get(v, "arches");
        kernel = hr_json_get(v, "minKernel");
        if ((f.caps && (r = strings(f.caps, where, err)) < 0) ||
            (f.arches && (r = strings(f.arches, where, err)) < 0))
                return r;
        for (size_t i = 0; f.arches && i < f.arches->u.arr.len; i++)
                if (!arch_by_name(hr_json_string(f.arches->u.arr.items[i])))
                        return hr_error_set(err, EINVAL, "%s: unknown architecture \"%s\"", where,
                                            hr_json_string(f.arches->u.arr.items[i]));
        if (kernel && parse_kernel(hr_json_string(kernel), f.kernel) < 0)
                return hr_error_set(err, EINVAL, "%s.minKernel must be a version such as \"4.8\"",
                                    where);
        f.has_kernel = kernel != NULL;
        *out = f;
        return 0;
}

static bool has_string(const struct hr_json *arr, const char *s)
{
        for (size_t i = 0; arr && arr->type == HR_JSON_ARRAY && i < arr->u.arr.len; i++) {
                const char *v = hr_json_string(arr->u.arr.items[i]);

                if (v && s && strcmp(v, s) == 0)
                        return true;
        }
        return false;
}

/* Is the native architecture among names (moby's names, aliases included)? */
static bool has_arch(const struct hr_json *names, uint32_t native)
{
        for (size_t i = 0; names && i < names->u.arr.len; i++) {
                const struct arch *a = arch_by_name(hr_json_string(names->u.arr.items[i]));

                if (a && a->token == native)
                        return true;
        }
        return false;
}

static bool kernel_at_least(const struct hr_seccomp_host *h, const unsigned v[2])
{
        return h->kernel[0] > v[0] || (h->kernel[0] == v[0] && h->kernel[1] >= v[1]);
}

static bool applies(const struct filter *in, const struct filter *ex,
                    const struct hr_seccomp_host *host, const struct hr_json *bounding)
{
        if (has_arch(ex->arches, host->arch) ||
            (ex->has_kernel && kernel_at_least(host, ex->kernel)))
                return false;
        for (size_t i = 0; ex->caps && i < ex->caps->u.arr.len; i++)
                if (has_string(bounding, hr_json_string(ex->caps->u.arr.items[i])))
                        return false;
        if (in->arches && in->arches->u.arr.len > 0 && !has_arch(in->arches, host->arch))
                return false;
        for (size_t i = 0; in->caps && i < in->caps->u.arr.len; i++)
                if (!has_string(bounding, hr_json_string(in->caps->u.arr.items[i])))
                        return false;
        return !in->has_kernel || kernel_at_least(host, in->kernel);
}

/* ---- resolution -------------------------------------------------------- */

static bool denies(const struct hr_json *action)
{
        const char *a = hr_json_string(action);
        uint32_t v;

        return a && hr_sc_action_parse(a, NULL, "", &v, NULL) == 0 && !hr_sc_allowing(v);
}

/* Copy key from src to dst when present. */
static int copy_member(struct hr_json *dst, const struct hr_json *src, const char *key)
{
        const struct hr_json *v = hr_json_get(src, key);

        return v ? hr_json_set(dst, key, hr_json_copy(v)) : 0;
}

/* The same, moving the value out of src (left null) when flags say so. */
static int move_member(struct hr_json *dst, struct hr_json *src, const char *key, unsigned flags)
{
        struct hr_json *null;

        if (!(flags & HR_SECCOMP_MOVE))
                return copy_member(dst, src, key);
        for (size_t i = 0; i < src->u.obj.len; i++)
                if (strcmp(src->u.obj.members[i].key, key) == 0) {
                        if (!(null = hr_json_new_null()))
                                return -ENOMEM;
                        return hr_json_set(dst, key, TAKE_PTR(src->u.obj.members[i].value)) < 0 ||
                                       !(src->u.obj.members[i].value = null)
                                   ? -ENOMEM
                                   : 0;
                }
        return 0;
}

static int resolve_rule(struct hr_json *rule, const char *where, unsigned flags,
                        struct hr_json **out, struct hr_error *err)
{
        static const char *const keys[] = {"names", "name",    "action",   "errnoRet",
                                           "args",  "comment", "includes", "excludes"};
        const struct hr_json *names = hr_json_get(rule, "names"), *name = hr_json_get(rule, "name");
        _cleanup_json_ struct hr_json *o = hr_json_new_object();
        bool learn = (flags & HR_SECCOMP_LEARN) && denies(hr_json_get(rule, "action"));
        int r;

        if (rule->type != HR_JSON_OBJECT)
                return hr_error_set(err, EINVAL, "%s must be an object", where);
        if ((r = check_keys(rule, keys, HR_ARRAY_SIZE(keys), where, err)) < 0)
                return r;
        if (names && name)
                return hr_error_set(err, EINVAL, "%s has both name and names", where);
        if (!o)
                return hr_error_set(err, ENOMEM, "out of memory");
        if (name) {
                struct hr_json *arr = hr_json_new_array();

                if (hr_json_set(o, "names", arr) < 0 || hr_json_append(arr, hr_json_copy(name)) < 0)
                        return hr_error_set(err, ENOMEM, "out of memory");
        }
        if (move_member(o, rule, "names", flags) < 0 ||
            (learn ? hr_json_set(o, "action", hr_json_new_string("SCMP_ACT_LOG"))
                   : copy_member(o, rule, "action")) < 0 ||
            (!learn && copy_member(o, rule, "errnoRet") < 0) || copy_member(o, rule, "args") < 0)
                return hr_error_set(err, ENOMEM, "out of memory");
        *out = TAKE_PTR(o);
        return 0;
}

static int rule_filters(const struct hr_json *rule, const char *at, struct filter *in,
                        struct filter *ex, struct hr_error *err)
{
        char where[96];
        int r;

        snprintf(where, sizeof(where), "%s.includes", at);
        if ((r = parse_filter(hr_json_get(rule, "includes"), where, in, err)) < 0)
                return r;
        snprintf(where, sizeof(where), "%s.excludes", at);
        return parse_filter(hr_json_get(rule, "excludes"), where, ex, err);
}

static int resolve_rules(struct hr_json *rules, const struct hr_seccomp_host *host,
                         const struct hr_json *bounding, unsigned flags, struct hr_json *out,
                         struct hr_error *err)
{
        if (rules->type != HR_JSON_ARRAY)
                return hr_error_set(err, EINVAL, WHERE ": syscalls must be an array");
        for (size_t i = 0; i < rules->u.arr.len; i++) {
                struct hr_json *rule = rules->u.arr.items[i], *o = NULL;
                struct filter in, ex;
                char at[64];
                int r;

                snprintf(at, sizeof(at), WHERE ": syscalls[%zu]", i);
                if (rule->type == HR_JSON_OBJECT) {
                        if ((r = rule_filters(rule, at, &in, &ex, err)) < 0)
                                return r;
                        if (!(flags & HR_SECCOMP_EVERY_RULE) && !applies(&in, &ex, host, bounding))
                                continue;
                }
                if ((r = resolve_rule(rule, at, flags, &o, err)) < 0)
                        return r;
                if (hr_json_append(out, o) < 0)
                        return hr_error_set(err, ENOMEM, "out of memory");
        }
        return 0;
}

/* architectures: the archMap entry of the native architecture, or the legacy list. */
static int resolve_arches(const struct hr_json *profile, uint32_t native, struct hr_json *out,
                          struct hr_error *err)
{
        const struct hr_json *map = hr_json_get(profile, "archMap");
        const char *oci = hr_seccomp_arch_oci(native);

        if (map && hr_json_get(profile, "architectures"))
                return hr_error_set(err, EINVAL, WHERE " has both architectures and archMap");
        if (!map)
                return copy_member(out, profile, "architectures") < 0
                           ? hr_error_set(err, ENOMEM, "out of memory")
                           : 0;
        if (map->type != HR_JSON_ARRAY)
                return hr_error_set(err, EINVAL, WHERE ": archMap must be an array");
        for (size_t i = 0; i < map->u.arr.len; i++) {
                const struct hr_json *e = map->u.arr.items[i];
                const struct hr_json *subs = hr_json_get(e, "subArchitectures");
                const char *arch = hr_json_string(hr_json_get(e, "architecture"));
                struct hr_json *list;

                if (!arch || !hr_sc_arch_token(arch) || (subs && strings(subs, WHERE, err) < 0))
                        return hr_error_set(err, EINVAL,
                                            WHERE ": archMap[%zu] needs an architecture and a "
                                                  "list of subArchitectures",
                                            i);
                if (!oci || strcmp(arch, oci) != 0)
                        continue;
                if (!(list = hr_json_new_array()) || hr_json_set(out, "architectures", list) < 0 ||
                    hr_json_append(list, hr_json_new_string(arch)) < 0)
                        return hr_error_set(err, ENOMEM, "out of memory");
                for (size_t k = 0; subs && k < subs->u.arr.len; k++)
                        if (hr_json_append(list, hr_json_copy(subs->u.arr.items[k])) < 0)
                                return hr_error_set(err, ENOMEM, "out of memory");
        }
        return 0;
}

static int resolve_default(const struct hr_json *profile, unsigned flags, struct hr_json *out,
                           struct hr_error *err)
{
        const struct hr_json *def = hr_json_get(profile, "defaultAction");

        if (!hr_json_string(def))
                return hr_error_set(err, EINVAL, WHERE " has no defaultAction");
        if ((flags & HR_SECCOMP_LEARN) && denies(def))
                return hr_json_set(out, "defaultAction", hr_json_new_string("SCMP_ACT_LOG")) < 0
                           ? hr_error_set(err, ENOMEM, "out of memory")
                           : 0;
        if (copy_member(out, profile, "defaultAction") < 0 ||
            copy_member(out, profile, "defaultErrnoRet") < 0)
                return hr_error_set(err, ENOMEM, "out of memory");
        return 0;
}

int hr_seccomp_profile_resolve(struct hr_json *profile, const struct hr_seccomp_host *host,
                               const struct hr_json *bounding, unsigned flags, struct hr_json **out,
                               struct hr_error *err)
{
        static const char *const keys[] = {"defaultAction",    "defaultErrnoRet", "architectures",
                                           "archMap",          "flags",           "listenerPath",
                                           "listenerMetadata", "syscalls"};
        _cleanup_json_ struct hr_json *o = hr_json_new_object();
        struct hr_json *rules = hr_json_get(profile, "syscalls");
        struct hr_json *list;
        int r;

        if (!profile || profile->type != HR_JSON_OBJECT)
                return hr_error_set(err, EINVAL, WHERE " is not a JSON object");
        if (!o)
                return hr_error_set(err, ENOMEM, "out of memory");
        if ((r = check_keys(profile, keys, HR_ARRAY_SIZE(keys), WHERE, err)) < 0 ||
            (r = resolve_default(profile, flags, o, err)) < 0 ||
            (r = resolve_arches(profile, host->arch, o, err)) < 0)
                return r;
        if (copy_member(o, profile, "flags") < 0 || copy_member(o, profile, "listenerPath") < 0 ||
            copy_member(o, profile, "listenerMetadata") < 0 || !(list = hr_json_new_array()) ||
            hr_json_set(o, "syscalls", list) < 0)
                return hr_error_set(err, ENOMEM, "out of memory");
        if (rules && rules->type != HR_JSON_NULL &&
            (r = resolve_rules(rules, host, bounding, flags, list, err)) < 0)
                return r;
        *out = TAKE_PTR(o);
        return 0;
}

int hr_seccomp_profile_check(struct hr_json *profile, struct hr_error *err)
{
        struct hr_seccomp_host host = {.arch = seccomp_arch_native()};
        _cleanup_json_ struct hr_json *oci = NULL;
        struct hr_sc sc;
        int r;

        if ((r = hr_seccomp_profile_resolve(profile, &host, NULL, HR_SECCOMP_EVERY_RULE, &oci,
                                            err)) < 0 ||
            (r = hr_sc_parse(oci, "profile", &sc, err)) < 0)
                return r;
        hr_sc_done(&sc);
        return 0;
}
