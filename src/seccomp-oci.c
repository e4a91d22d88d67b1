/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harden/harden.h"
#include "hr-cleanup.h"
#include "seccomp-oci.h"
#include "util.h"

#define ERRNO_ACTION_MASK 0xffff0000u

static const struct action {
        const char *name;
        uint32_t value; /* with errno 0 for the two that take one */
        bool takes_errno;
} actions[] = {
    /* The first name of a value is the one written. */
    {"SCMP_ACT_KILL", SCMP_ACT_KILL_THREAD, false},
    {"SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD, false},
    {"SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS, false},
    {"SCMP_ACT_TRAP", SCMP_ACT_TRAP, false},
    {"SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(0), true},
    {"SCMP_ACT_TRACE", SCMP_ACT_TRACE(0), true},
    {"SCMP_ACT_LOG", SCMP_ACT_LOG, false},
    {"SCMP_ACT_NOTIFY", SCMP_ACT_NOTIFY, false},
    {"SCMP_ACT_ALLOW", SCMP_ACT_ALLOW, false},
};

static const struct op {
        const char *name;
        enum scmp_compare op;
} ops[] = {
    {"SCMP_CMP_NE", SCMP_CMP_NE},
    {"SCMP_CMP_LT", SCMP_CMP_LT},
    {"SCMP_CMP_LE", SCMP_CMP_LE},
    {"SCMP_CMP_EQ", SCMP_CMP_EQ},
    {"SCMP_CMP_GE", SCMP_CMP_GE},
    {"SCMP_CMP_GT", SCMP_CMP_GT},
    {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
};

static const struct action *action_of(uint32_t value)
{
        for (size_t i = 0; i < HR_ARRAY_SIZE(actions); i++)
                if (actions[i].takes_errno ? (value & ERRNO_ACTION_MASK) == actions[i].value
                                           : value == actions[i].value)
                        return &actions[i];
        return NULL;
}

static const char *op_name(enum scmp_compare op)
{
        for (size_t i = 0; i < HR_ARRAY_SIZE(ops); i++)
                if (ops[i].op == op)
                        return ops[i].name;
        return "?";
}

bool hr_sc_allowing(uint32_t action)
{
        return action == SCMP_ACT_ALLOW || action == SCMP_ACT_LOG || action == SCMP_ACT_NOTIFY ||
               (action & ERRNO_ACTION_MASK) == SCMP_ACT_TRACE(0);
}

static int get_uint(const struct hr_json *node, const char *where, uint64_t max, uint64_t *out,
                    struct hr_error *err)
{
        if (node->type != HR_JSON_NUMBER || hr_parse_uint(node->u.str.text, 0, max, out, err) < 0)
                return hr_error_set(err, EINVAL, "%s must be an integer from 0 to %llu", where,
                                    (unsigned long long)max);
        return 0;
}

int hr_sc_action_parse(const char *name, const struct hr_json *errno_ret, const char *where,
                       uint32_t *out, struct hr_error *err)
{
        uint64_t e = EPERM;

        for (size_t i = 0; name && i < HR_ARRAY_SIZE(actions); i++) {
                if (strcmp(name, actions[i].name) != 0)
                        continue;
                if (errno_ret && !actions[i].takes_errno)
                        return hr_error_set(err, EINVAL,
                                            "%s: an errno is given for %s, which takes none "
                                            "(crun refuses such a profile)",
                                            where, name);
                if (errno_ret && get_uint(errno_ret, where, HR_SC_ERRNO_MAX, &e, NULL) < 0)
                        return hr_error_set(err, EINVAL,
                                            "%s: the errno must be an integer from 0 to %d", where,
                                            HR_SC_ERRNO_MAX);
                *out = actions[i].value | (actions[i].takes_errno ? (uint32_t)e : 0);
                return 0;
        }
        return hr_error_set(err, EINVAL, "%s: unknown action \"%s\"", where, name ? name : "");
}

int hr_sc_action_json(struct hr_json *obj, uint32_t action)
{
        const struct action *a = action_of(action);
        char num[16];

        if (!a)
                return -EINVAL;
        if (hr_json_set(obj, "action", hr_json_new_string(a->name)) < 0)
                return -ENOMEM;
        if (!a->takes_errno)
                return 0;
        snprintf(num, sizeof(num), "%u", (unsigned)(action & ~ERRNO_ACTION_MASK));
        return hr_json_set(obj, "errnoRet", hr_json_new_number(num));
}

uint32_t hr_sc_arch_token(const char *name)
{
        static const char prefix[] = "SCMP_ARCH_";
        char lower[32];
        size_t n;

        if (!name || strncmp(name, prefix, sizeof(prefix) - 1) != 0)
                return 0;
        name += sizeof(prefix) - 1;
        n = strlen(name);
        if (n == 0 || n >= sizeof(lower))
                return 0;
        for (size_t i = 0; i <= n; i++)
                lower[i] = (char)tolower((unsigned char)name[i]);
        return seccomp_arch_resolve_name(lower);
}

/* ---- parsing ---------------------------------------------------------- */

/* member key of obj, refusing a sibling runc would read as the same key. */
static int member(const struct hr_json *obj, const char *key, const char *where,
                  const struct hr_json **out, struct hr_error *err)
{
        struct hr_json *v;
        int r;

        if ((r = hr_harden_get(obj, key, where, &v, err)) < 0)
                return r;
        *out = v && v->type != HR_JSON_NULL ? v : NULL;
        return 0;
}

static int parse_cond(const struct hr_json *arg, const char *where, struct hr_sc_cond *out,
                      struct hr_error *err)
{
        const struct hr_json *index, *value, *two, *op;
        uint64_t i, v, v2 = 0;
        const char *name;
        int r;

        if (arg->type != HR_JSON_OBJECT)
                return hr_error_set(err, EINVAL, "%s must be an object", where);
        if ((r = member(arg, "index", where, &index, err)) < 0 ||
            (r = member(arg, "value", where, &value, err)) < 0 ||
            (r = member(arg, "valueTwo", where, &two, err)) < 0 ||
            (r = member(arg, "op", where, &op, err)) < 0)
                return r;
        if (!index || !value || !op)
                return hr_error_set(err, EINVAL, "%s needs index, value and op", where);
        if ((r = get_uint(index, where, HR_SC_MAX_ARGS - 1, &i, err)) < 0 ||
            (r = get_uint(value, where, UINT64_MAX, &v, err)) < 0 ||
            (two && (r = get_uint(two, where, UINT64_MAX, &v2, err)) < 0))
                return r;
        name = hr_json_string(op);
        for (size_t k = 0; name && k < HR_ARRAY_SIZE(ops); k++)
                if (strcmp(name, ops[k].name) == 0) {
                        *out = (struct hr_sc_cond){(uint32_t)i, ops[k].op, v, v2};
                        return 0;
                }
        return hr_error_set(err, EINVAL, "%s: unknown operator \"%s\"", where, name ? name : "");
}

static int parse_args(const struct hr_json *args, const char *where, struct hr_sc_rule *rule,
                      struct hr_error *err)
{
        unsigned seen = 0;

        if (args->type != HR_JSON_ARRAY)
                return hr_error_set(err, EINVAL, "%s.args must be an array", where);
        if (args->u.arr.len > HR_SC_MAX_ARGS)
                return hr_error_set(err, EINVAL,
                                    "%s.args has %zu conditions; a rule takes at most %d", where,
                                    args->u.arr.len, HR_SC_MAX_ARGS);
        for (size_t i = 0; i < args->u.arr.len; i++) {
                struct hr_sc_cond *c = &rule->conds[i];
                char at[160];
                int r;

                snprintf(at, sizeof(at), "%s.args[%zu]", where, i);
                if ((r = parse_cond(args->u.arr.items[i], at, c, err)) < 0)
                        return r;
                if (seen & (1u << c->index))
                        rule->split = true;
                seen |= 1u << c->index;
        }
        rule->n_conds = (uint32_t)args->u.arr.len;
        return 0;
}

static int parse_rule(const struct hr_json *node, const char *where, struct hr_sc_rule *out,
                      struct hr_error *err)
{
        const struct hr_json *names, *action, *errno_ret, *args;
        struct hr_sc_rule rule = {.node = node};
        int r;

        if (node->type != HR_JSON_OBJECT)
                return hr_error_set(err, EINVAL, "%s must be an object", where);
        if ((r = member(node, "names", where, &names, err)) < 0 ||
            (r = member(node, "action", where, &action, err)) < 0 ||
            (r = member(node, "errnoRet", where, &errno_ret, err)) < 0 ||
            (r = member(node, "args", where, &args, err)) < 0)
                return r;
        if (names && names->type != HR_JSON_ARRAY)
                return hr_error_set(err, EINVAL, "%s.names must be an array", where);
        for (size_t i = 0; names && i < names->u.arr.len; i++) {
                const struct hr_json *n = names->u.arr.items[i];

                if (n->type != HR_JSON_STRING || n->u.str.len == 0 ||
                    strlen(n->u.str.text) != n->u.str.len)
                        return hr_error_set(err, EINVAL, "%s.names[%zu] is not a syscall name",
                                            where, i);
        }
        if ((r = hr_sc_action_parse(hr_json_string(action), errno_ret, where, &rule.action, err)) <
                0 ||
            (args && (r = parse_args(args, where, &rule, err)) < 0))
                return r;
        rule.names = names;
        *out = rule;
        return 0;
}

static int parse_arches(const struct hr_json *arches, const char *where, struct hr_sc *sc,
                        struct hr_error *err)
{
        if (arches->type != HR_JSON_ARRAY)
                return hr_error_set(err, EINVAL, "%s.architectures must be an array", where);
        sc->has_arches = true;
        if (!(sc->arches = calloc(arches->u.arr.len + 1, sizeof(*sc->arches))))
                return hr_error_set(err, ENOMEM, "out of memory");
        for (size_t i = 0; i < arches->u.arr.len; i++) {
                const char *name = hr_json_string(arches->u.arr.items[i]);

                if (!(sc->arches[i] = hr_sc_arch_token(name)))
                        return hr_error_set(err, EINVAL,
                                            "%s.architectures[%zu]: unknown architecture \"%s\"",
                                            where, i, name ? name : "");
                sc->n_arches++;
        }
        return 0;
}

static int parse_flags(const struct hr_json *flags, const char *where, struct hr_sc *sc,
                       struct hr_error *err)
{
        if (flags->type != HR_JSON_ARRAY)
                return hr_error_set(err, EINVAL, "%s.flags must be an array", where);
        if (!(sc->flags = calloc(flags->u.arr.len + 1, sizeof(*sc->flags))))
                return hr_error_set(err, ENOMEM, "out of memory");
        for (size_t i = 0; i < flags->u.arr.len; i++) {
                const char *f = hr_json_string(flags->u.arr.items[i]);

                if (!f)
                        return hr_error_set(err, EINVAL, "%s.flags[%zu] is not a string", where, i);
                if (!(sc->flags[i] = strdup(f)))
                        return hr_error_set(err, ENOMEM, "out of memory");
                sc->n_flags++;
        }
        return 0;
}

static size_t hash(const char *s)
{
        size_t h = 2166136261u;

        for (; *s; s++)
                h = (h ^ (unsigned char)*s) * 16777619u;
        return h;
}

/* The slot of name: its group's, or the empty one where it would go. */
static size_t slot_of(const struct hr_sc *sc, const char *name)
{
        size_t i = hash(name) & (sc->n_slots - 1);

        while (sc->slots[i] && strcmp(sc->groups[sc->slots[i] - 1].name, name) != 0)
                i = (i + 1) & (sc->n_slots - 1);
        return i;
}

/* Group raw (the refs in rule order) by name, keeping rule order within each name. */
static int group_refs(struct hr_sc *sc, const struct hr_sc_ref *raw, size_t n)
{
        _cleanup_free_ size_t *of = calloc(n + 1, sizeof(*of)), *fill = NULL;

        for (sc->n_slots = 16; sc->n_slots < 2 * n; sc->n_slots *= 2)
                ;
        if (!of || !(sc->slots = calloc(sc->n_slots, sizeof(*sc->slots))) ||
            !(sc->groups = calloc(n + 1, sizeof(*sc->groups))) ||
            !(sc->refs = calloc(n + 1, sizeof(*sc->refs))))
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                size_t k = slot_of(sc, raw[i].name);

                if (!sc->slots[k]) {
                        sc->groups[sc->n_groups] = (struct hr_sc_group){.name = raw[i].name};
                        sc->slots[k] = ++sc->n_groups;
                }
                of[i] = sc->slots[k] - 1;
                sc->groups[of[i]].n++;
        }
        if (!(fill = calloc(sc->n_groups + 1, sizeof(*fill))))
                return -ENOMEM;
        for (size_t g = 1; g < sc->n_groups; g++)
                sc->groups[g].first = sc->groups[g - 1].first + sc->groups[g - 1].n;
        for (size_t i = 0; i < n; i++)
                sc->refs[sc->groups[of[i]].first + fill[of[i]]++] = raw[i];
        sc->n_refs = n;
        return 0;
}

static int parse_rules(const struct hr_json *syscalls, const char *where, struct hr_sc *sc,
                       struct hr_error *err)
{
        _cleanup_free_ struct hr_sc_ref *raw = NULL;
        size_t n, refs = 0, k = 0;

        if (syscalls->type != HR_JSON_ARRAY)
                return hr_error_set(err, EINVAL, "%s.syscalls must be an array", where);
        n = syscalls->u.arr.len;
        if (!(sc->rules = calloc(n + 1, sizeof(*sc->rules))))
                return hr_error_set(err, ENOMEM, "out of memory");
        for (size_t i = 0; i < n; i++) {
                char at[128];
                int r;

                snprintf(at, sizeof(at), "%s.syscalls[%zu]", where, i);
                if ((r = parse_rule(syscalls->u.arr.items[i], at, &sc->rules[i], err)) < 0)
                        return r;
                sc->n_rules++;
                refs += sc->rules[i].names ? sc->rules[i].names->u.arr.len : 0;
        }
        if (!(raw = calloc(refs + 1, sizeof(*raw))))
                return hr_error_set(err, ENOMEM, "out of memory");
        for (size_t i = 0; i < n; i++)
                for (size_t j = 0; sc->rules[i].names && j < sc->rules[i].names->u.arr.len; j++)
                        raw[k++] = (struct hr_sc_ref){
                            sc->rules[i].names->u.arr.items[j]->u.str.text, i, j};
        return group_refs(sc, raw, k) < 0 ? hr_error_set(err, ENOMEM, "out of memory") : 0;
}

int hr_sc_parse(const struct hr_json *seccomp, const char *where, struct hr_sc *out,
                struct hr_error *err)
{
        const struct hr_json *def, *def_errno, *arches, *flags, *syscalls;
        struct hr_sc sc = {0};
        char at[96];
        int r;

        if (seccomp->type != HR_JSON_OBJECT)
                return hr_error_set(err, EINVAL, "%s must be an object", where);
        if ((r = member(seccomp, "defaultAction", where, &def, err)) < 0 ||
            (r = member(seccomp, "defaultErrnoRet", where, &def_errno, err)) < 0 ||
            (r = member(seccomp, "architectures", where, &arches, err)) < 0 ||
            (r = member(seccomp, "flags", where, &flags, err)) < 0 ||
            (r = member(seccomp, "syscalls", where, &syscalls, err)) < 0)
                return r;
        if (!def)
                return hr_error_set(err, EINVAL, "%s has no defaultAction", where);
        snprintf(at, sizeof(at), "%s.defaultAction", where);
        if ((r = hr_sc_action_parse(hr_json_string(def), def_errno, at, &sc.def, err)) < 0)
                return r;
        if ((arches && (r = parse_arches(arches, where, &sc, err)) < 0) ||
            (flags && (r = parse_flags(flags, where, &sc, err)) < 0) ||
            (syscalls && (r = parse_rules(syscalls, where, &sc, err)) < 0)) {
                hr_sc_done(&sc);
                return r;
        }
        *out = sc;
        return 0;
}

void hr_sc_done(struct hr_sc *sc)
{
        free(sc->arches);
        hr_strv_free(sc->flags, sc->n_flags);
        free(sc->rules);
        free(sc->refs);
        free(sc->groups);
        free(sc->slots);
        *sc = (struct hr_sc){0};
}

const struct hr_sc_group *hr_sc_group(const struct hr_sc *sc, const char *name)
{
        size_t k;

        if (sc->n_slots == 0)
                return NULL;
        k = slot_of(sc, name);
        return sc->slots[k] ? &sc->groups[sc->slots[k] - 1] : NULL;
}

size_t hr_sc_find(const struct hr_sc *sc, const char *name, size_t *n)
{
        const struct hr_sc_group *g = hr_sc_group(sc, name);

        *n = g ? g->n : 0;
        return g ? g->first : 0;
}

/* ---- effects ---------------------------------------------------------- */

static int u64_cmp(uint64_t a, uint64_t b)
{
        return (a > b) - (a < b);
}

static int cond_cmp(const struct hr_sc_cond *a, const struct hr_sc_cond *b)
{
        int c;

        if ((c = u64_cmp(a->index, b->index)) || (c = u64_cmp(a->op, b->op)) ||
            (c = u64_cmp(a->value, b->value)))
                return c;
        return u64_cmp(a->value_two, b->value_two);
}

static int match_cmp(const void *pa, const void *pb)
{
        const struct hr_sc_match *a = pa, *b = pb;
        int c;

        if ((c = u64_cmp(a->action, b->action)) || (c = u64_cmp(a->n_conds, b->n_conds)))
                return c;
        for (uint32_t i = 0; i < a->n_conds; i++)
                if ((c = cond_cmp(&a->conds[i], &b->conds[i])))
                        return c;
        return 0;
}

static int cond_qsort(const void *a, const void *b)
{
        return cond_cmp(a, b);
}

/* Append rule's matches (one, or one per condition when it is split). */
static size_t add_matches(const struct hr_sc_rule *rule, struct hr_sc_match *out)
{
        uint32_t n = rule->split ? rule->n_conds : 1;

        for (uint32_t i = 0; i < n; i++) {
                out[i] = (struct hr_sc_match){.action = rule->action};
                out[i].n_conds = rule->split ? 1 : rule->n_conds;
                memcpy(out[i].conds, rule->split ? &rule->conds[i] : rule->conds,
                       out[i].n_conds * sizeof(rule->conds[0]));
                qsort(out[i].conds, out[i].n_conds, sizeof(out[i].conds[0]), cond_qsort);
        }
        return n;
}

int hr_sc_effect_at(const struct hr_sc *sc, size_t first, size_t n, uint32_t def,
                    struct hr_sc_effect *out)
{
        _cleanup_free_ struct hr_sc_match *m = NULL;
        size_t count = 0, kept = 0;

        for (size_t i = first; i < first + n; i++) {
                const struct hr_sc_rule *rule = &sc->rules[sc->refs[i].rule];

                if (rule->action == def)
                        continue;
                if (rule->n_conds == 0) {
                        *out = (struct hr_sc_effect){.action = rule->action};
                        return 0;
                }
                count += rule->split ? rule->n_conds : 1;
        }
        *out = (struct hr_sc_effect){.action = def};
        if (count == 0)
                return 0;
        if (!(m = calloc(count, sizeof(*m))))
                return -ENOMEM;
        count = 0;
        for (size_t i = first; i < first + n; i++) {
                const struct hr_sc_rule *rule = &sc->rules[sc->refs[i].rule];

                if (rule->action != def)
                        count += add_matches(rule, m + count);
        }
        qsort(m, count, sizeof(*m), match_cmp);
        for (size_t i = 0; i < count; i++)
                if (kept == 0 || match_cmp(&m[kept - 1], &m[i]) != 0)
                        m[kept++] = m[i];
        out->n_matches = kept;
        out->matches = TAKE_PTR(m);
        return 0;
}

int hr_sc_effect(const struct hr_sc *sc, const char *name, uint32_t def, struct hr_sc_effect *out)
{
        size_t n, first = hr_sc_find(sc, name, &n);

        return hr_sc_effect_at(sc, first, n, def, out);
}

void hr_sc_effect_done(struct hr_sc_effect *e)
{
        free(e->matches);
        *e = (struct hr_sc_effect){0};
}

bool hr_sc_effect_equal(const struct hr_sc_effect *a, const struct hr_sc_effect *b)
{
        if (a->action != b->action || a->n_matches != b->n_matches)
                return false;
        for (size_t i = 0; i < a->n_matches; i++)
                if (match_cmp(&a->matches[i], &b->matches[i]) != 0)
                        return false;
        return true;
}

struct hr_json *hr_sc_cond_json(const struct hr_sc_cond *c)
{
        _cleanup_json_ struct hr_json *o = hr_json_new_object();
        char num[24];

        if (!o)
                return NULL;
        snprintf(num, sizeof(num), "%u", c->index);
        if (hr_json_set(o, "index", hr_json_new_number(num)) < 0)
                return NULL;
        snprintf(num, sizeof(num), "%llu", (unsigned long long)c->value);
        if (hr_json_set(o, "value", hr_json_new_number(num)) < 0)
                return NULL;
        snprintf(num, sizeof(num), "%llu", (unsigned long long)c->value_two);
        if ((c->value_two || c->op == SCMP_CMP_MASKED_EQ) &&
            hr_json_set(o, "valueTwo", hr_json_new_number(num)) < 0)
                return NULL;
        if (hr_json_set(o, "op", hr_json_new_string(op_name(c->op))) < 0)
                return NULL;
        return TAKE_PTR(o);
}

static struct hr_json *match_json(const struct hr_sc_match *m)
{
        _cleanup_json_ struct hr_json *o = hr_json_new_object();
        struct hr_json *args = hr_json_new_array();

        if (!o || hr_sc_action_json(o, m->action) < 0 || hr_json_set(o, "args", args) < 0)
                return NULL;
        for (uint32_t i = 0; i < m->n_conds; i++)
                if (hr_json_append(args, hr_sc_cond_json(&m->conds[i])) < 0)
                        return NULL;
        return TAKE_PTR(o);
}

struct hr_json *hr_sc_effect_json(const struct hr_sc_effect *e)
{
        _cleanup_json_ struct hr_json *o = hr_json_new_object();
        struct hr_json *otherwise, *rules;

        if (!o)
                return NULL;
        if (e->n_matches == 0)
                return hr_sc_action_json(o, e->action) < 0 ? NULL : TAKE_PTR(o);
        if (!(rules = hr_json_new_array()) || hr_json_set(o, "rules", rules) < 0 ||
            !(otherwise = hr_json_new_object()) || hr_json_set(o, "otherwise", otherwise) < 0 ||
            hr_sc_action_json(otherwise, e->action) < 0)
                return NULL;
        for (size_t i = 0; i < e->n_matches; i++)
                if (hr_json_append(rules, match_json(&e->matches[i])) < 0)
                        return NULL;
        return TAKE_PTR(o);
}

/* ---- building with libseccomp ----------------------------------------- */

static int set_flags(scmp_filter_ctx ctx, const struct hr_sc *sc, struct hr_error *err)
{
        for (size_t i = 0; i < sc->n_flags; i++) {
                const char *f = sc->flags[i];
                int r = 0;

                if (strcmp(f, "SECCOMP_FILTER_FLAG_LOG") == 0)
                        r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1);
                else if (strcmp(f, "SECCOMP_FILTER_FLAG_SPEC_ALLOW") == 0)
                        r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_SSB, 1);
                else if (strcmp(f, "SECCOMP_FILTER_FLAG_TSYNC") != 0)
                        return hr_error_set(err, EINVAL, "seccomp flag %s is not known to runc", f);
                if (r < 0)
                        return hr_error_errno(err, -r, "libseccomp refuses the flag %s", f);
        }
        return 0;
}

static int add_rule(scmp_filter_ctx ctx, const struct hr_sc_rule *rule, int nr, const char *name,
                    struct hr_error *err)
{
        struct hr_sc_match m[HR_SC_MAX_ARGS];
        size_t n = rule->n_conds ? add_matches(rule, m) : 1;

        if (rule->n_conds == 0)
                m[0] = (struct hr_sc_match){.action = rule->action};
        for (size_t i = 0; i < n; i++) {
                struct scmp_arg_cmp cmp[HR_SC_MAX_ARGS];
                int r;

                for (uint32_t k = 0; k < m[i].n_conds; k++)
                        cmp[k] =
                            (struct scmp_arg_cmp){m[i].conds[k].index, m[i].conds[k].op,
                                                  m[i].conds[k].value, m[i].conds[k].value_two};
                if ((r = seccomp_rule_add_array(ctx, m[i].action, nr, m[i].n_conds, cmp)) < 0)
                        return hr_error_errno(err, -r, "libseccomp refuses a rule for %s", name);
        }
        return 0;
}

/*
 * For a quick check, the rules that can make libseccomp refuse a filter:
 * those of names with conditional rules, and of the multiplexers that carry
 * the socket and SysV IPC calls on x86, s390 and PowerPC (libseccomp writes
 * socket rules as socketcall rules there, without their conditions).
 */
static bool checked(const struct hr_sc *sc, const char *name)
{
        size_t n, first;

        if (strcmp(name, "socketcall") == 0 || strcmp(name, "ipc") == 0)
                return true;
        first = hr_sc_find(sc, name, &n);
        for (size_t i = first; i < first + n; i++) {
                const struct hr_sc_rule *rule = &sc->rules[sc->refs[i].rule];

                if (rule->n_conds > 0 && rule->action != sc->def)
                        return true;
        }
        return false;
}

int hr_sc_build(const struct hr_sc *sc, unsigned flags, scmp_filter_ctx *out, struct hr_error *err)
{
        _cleanup_seccomp_ scmp_filter_ctx ctx = seccomp_init(sc->def);
        int r;

        if (!ctx)
                return hr_error_set(err, EINVAL, "libseccomp refuses the default action");
        if ((flags & HR_SC_BUILD_LISTED_ARCHES) && sc->n_arches > 0 &&
            (r = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE)) < 0)
                return hr_error_errno(err, -r, "libseccomp cannot drop the native architecture");
        for (size_t i = 0; i < sc->n_arches; i++)
                if ((r = seccomp_arch_add(ctx, sc->arches[i])) < 0 && r != -EEXIST)
                        return hr_error_errno(err, -r, "libseccomp refuses an architecture");
        if (!(flags & HR_SC_BUILD_CONDITIONAL) && (r = set_flags(ctx, sc, err)) < 0)
                return r;
        if ((flags & HR_SC_BUILD_OPTIMIZE) && sc->n_refs > 32 &&
            (r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2)) < 0)
                return hr_error_errno(err, -r, "libseccomp has no binary tree optimisation");
        for (size_t i = 0; i < sc->n_rules; i++) {
                const struct hr_sc_rule *rule = &sc->rules[i];

                if (rule->action == sc->def)
                        continue;
                for (size_t j = 0; rule->names && j < rule->names->u.arr.len; j++) {
                        const char *name = rule->names->u.arr.items[j]->u.str.text;
                        int nr;

                        if ((flags & HR_SC_BUILD_CONDITIONAL) && !checked(sc, name))
                                continue;
                        nr = seccomp_syscall_resolve_name(name);
                        if (nr != __NR_SCMP_ERROR && (r = add_rule(ctx, rule, nr, name, err)) < 0)
                                return r;
                }
        }
        *out = TAKE_PTR(ctx);
        return 0;
}

bool hr_sc_name_known(const struct hr_sc *sc, const char *name)
{
        if (seccomp_syscall_resolve_name(name) != __NR_SCMP_ERROR)
                return true;
        for (size_t i = 0; i < sc->n_arches; i++)
                if (seccomp_syscall_resolve_name_arch(sc->arches[i], name) != __NR_SCMP_ERROR)
                        return true;
        return false;
}
