/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harden/harden.h"
#include "hr-cleanup.h"
#include "seccomp-merge.h"
#include "seccomp-oci.h"

#define PATH "linux.seccomp"

/* What happens to one syscall name. */
struct plan {
        const char *name;
        size_t t_first, t_n, h_first, h_n; /* its refs in theirs and ours */
        struct hr_sc_effect before;        /* theirs, under their default */
        struct hr_sc_effect after;         /* the merged profile's, under its default */
        bool drop;                         /* take the name out of their rules and write after */
        bool extra;                        /* keep their rules and add after's complement rules */
        bool first;                        /* write its rule before all others */
        struct hr_sc_effect emit;          /* the rules to add (extra) */
        bool changed;
};

struct merge {
        struct hr_sc t, h;
        uint32_t def; /* the merged default action */
        bool learn;
        const char *knob;
        struct plan *plans;
        size_t n_plans;
};

static bool denies_outright(const struct hr_sc_effect *e)
{
        return e->n_matches == 0 && !hr_sc_allowing(e->action);
}

/* Does ours let the name run whatever its arguments?  In learning mode its LOG is a denial. */
static bool ours_allows(const struct merge *m, const struct hr_sc_effect *e)
{
        return e->n_matches == 0 && hr_sc_allowing(e->action) &&
               !(m->learn && e->action == SCMP_ACT_LOG);
}

/* A copy of e's matches without those the merged default makes redundant, falling back on it. */
static int under_default(const struct hr_sc_effect *e, uint32_t def, struct hr_sc_effect *out)
{
        struct hr_sc_effect r = {.action = def};

        if (e->n_matches == 0) {
                *out = (struct hr_sc_effect){.action = e->action};
                return 0;
        }
        if (!(r.matches = calloc(e->n_matches, sizeof(*r.matches))))
                return -ENOMEM;
        for (size_t i = 0; i < e->n_matches; i++)
                if (e->matches[i].action != def)
                        r.matches[r.n_matches++] = e->matches[i];
        if (r.n_matches == 0) {
                hr_sc_effect_done(&r);
                r.action = def;
        }
        *out = r;
        return 0;
}

static const enum scmp_compare inverse[][2] = {
    {SCMP_CMP_EQ, SCMP_CMP_NE}, {SCMP_CMP_NE, SCMP_CMP_EQ}, {SCMP_CMP_LT, SCMP_CMP_GE},
    {SCMP_CMP_GE, SCMP_CMP_LT}, {SCMP_CMP_LE, SCMP_CMP_GT}, {SCMP_CMP_GT, SCMP_CMP_LE},
};

static bool invert(const struct hr_sc_cond *c, struct hr_sc_cond *out)
{
        for (size_t i = 0; i < HR_ARRAY_SIZE(inverse); i++)
                if (inverse[i][0] == c->op) {
                        *out = *c;
                        out->op = inverse[i][1];
                        return true;
                }
        return false;
}

/*
 * Their default allowed; ours does not.  Their conditional rules for the
 * name then need the rest of the argument space spelt out with their
 * default's action.  That is possible for one rule whose conditions all have
 * an inverse: one rule per inverted condition.  *emit gets those rules.
 */
static bool complement(const struct merge *m, const struct plan *p, struct hr_sc_effect *emit)
{
        size_t rule = SIZE_MAX;
        const struct hr_sc_rule *r;

        for (size_t i = p->t_first; i < p->t_first + p->t_n; i++) {
                size_t k = m->t.refs[i].rule;

                if (m->t.rules[k].action == m->t.def || k == rule)
                        continue;
                if (rule != SIZE_MAX)
                        return false;
                rule = k;
        }
        if (rule == SIZE_MAX)
                return false;
        r = &m->t.rules[rule];
        if (r->split || r->n_conds == 0 ||
            !(emit->matches = calloc(r->n_conds, sizeof(*emit->matches))))
                return false;
        for (uint32_t i = 0; i < r->n_conds; i++) {
                struct hr_sc_match *c = &emit->matches[i];

                *c = (struct hr_sc_match){.action = m->t.def, .n_conds = 1};
                if (!invert(&r->conds[i], &c->conds[0])) {
                        hr_sc_effect_done(emit);
                        return false;
                }
        }
        emit->n_matches = r->n_conds;
        emit->action = m->def;
        return true;
}

/* after = keep's matches plus emit's, under the merged default. */
static int join(const struct hr_sc_effect *keep, const struct hr_sc_effect *emit, uint32_t def,
                struct hr_sc_effect *after)
{
        struct hr_sc_effect j = {.action = def, .n_matches = keep->n_matches + emit->n_matches};

        if (!(j.matches = calloc(j.n_matches, sizeof(*j.matches))))
                return -ENOMEM;
        memcpy(j.matches, keep->matches, keep->n_matches * sizeof(*j.matches));
        memcpy(j.matches + keep->n_matches, emit->matches, emit->n_matches * sizeof(*j.matches));
        *after = j;
        return 0;
}

/* Ours allows the name outright: their treatment, under the merged default. */
static int plan_theirs(struct merge *m, struct plan *p, const struct hr_sc_effect *keep,
                       struct hr_report *report, struct hr_error *err)
{
        char path[320];

        if (p->before.n_matches == 0 || m->t.def == m->def)
                return under_default(&p->before, m->def, &p->after) < 0 ? -ENOMEM : 0;
        if (complement(m, p, &p->emit)) {
                p->extra = true;
                return join(keep, &p->emit, m->def, &p->after);
        }
        snprintf(path, sizeof(path), PATH ".syscalls[names=%s]", p->name);
        if (hr_report_violation(report, err, m->knob, path,
                                "the container's seccomp profile allows by default and has "
                                "conditional rules for %s that cannot be written out under "
                                "hardrun's denying default; give it a denying defaultAction, or "
                                "one rule for %s whose conditions use EQ, NE, LT, LE, GT or GE "
                                "(see hardrun-profiles(7))",
                                p->name, p->name) < 0)
                return -ENOMEM;
        return under_default(keep, m->def, &p->after) < 0 ? -ENOMEM : 0;
}

/* A condition as the set (x & mask) == value, for the operators that have one. */
static bool as_cube(const struct hr_sc_cond *c, uint64_t *mask, uint64_t *value)
{
        if (c->op == SCMP_CMP_EQ) {
                *mask = UINT64_MAX;
                *value = c->value;
                return true;
        }
        if (c->op == SCMP_CMP_MASKED_EQ) {
                *mask = c->value;
                *value = c->value_two & c->value;
                return true;
        }
        return false;
}

/* Is every argument value match lets through also let through by one of ours? */
static bool inside(const struct merge *m, const struct hr_sc_match *match,
                   const struct hr_sc_effect *ours)
{
        for (uint32_t i = 0; i < match->n_conds; i++) {
                uint64_t tm, tv;

                if (!as_cube(&match->conds[i], &tm, &tv))
                        continue;
                for (size_t k = 0; k < ours->n_matches; k++) {
                        const struct hr_sc_match *o = &ours->matches[k];
                        uint64_t om, ov;

                        if (o->n_conds == 1 && o->conds[0].index == match->conds[i].index &&
                            hr_sc_allowing(o->action) && !(m->learn && o->action == SCMP_ACT_LOG) &&
                            as_cube(&o->conds[0], &om, &ov) && (om & ~tm) == 0 && (tv & om) == ov)
                                return true;
                }
        }
        return false;
}

/*
 * Ours constrains the arguments: do theirs (under a denying default) let
 * through only argument values ours lets through?  Then theirs are the
 * stricter and stay.  Checked one match at a time against one of ours, so
 * "no" may be too cautious, never wrong.
 */
static bool within_ours(const struct merge *m, const struct hr_sc_effect *theirs,
                        const struct hr_sc_effect *ours)
{
        if (theirs->n_matches == 0 || hr_sc_allowing(m->t.def))
                return false;
        for (size_t i = 0; i < theirs->n_matches; i++)
                if (hr_sc_allowing(theirs->matches[i].action) &&
                    !inside(m, &theirs->matches[i], ours))
                        return false;
        return true;
}

static int plan_name(struct merge *m, struct plan *p, struct hr_report *report,
                     struct hr_error *err)
{
        struct hr_sc_effect ours = {0}, keep = {0};
        int r;

        if ((r = hr_sc_effect_at(&m->t, p->t_first, p->t_n, m->t.def, &p->before)) < 0 ||
            (r = hr_sc_effect_at(&m->h, p->h_first, p->h_n, m->h.def, &ours)) < 0 ||
            (r = hr_sc_effect_at(&m->t, p->t_first, p->t_n, m->def, &keep)) < 0)
                goto out;
        if (ours_allows(m, &ours))
                r = plan_theirs(m, p, &keep, report, err);
        else if (denies_outright(&p->before) || within_ours(m, &p->before, &ours))
                r = under_default(&p->before, m->def, &p->after);
        else
                r = under_default(&ours, m->def, &p->after);
        if (r < 0)
                goto out;
        p->drop = !p->extra && !hr_sc_effect_equal(&keep, &p->after);
        p->changed = !hr_sc_effect_equal(&p->before, &p->after);
out:
        hr_sc_effect_done(&ours);
        hr_sc_effect_done(&keep);
        return r == -ENOMEM ? hr_error_set(err, ENOMEM, "out of memory") : r;
}

/*
 * On x86, s390 and PowerPC libseccomp also writes each socket rule as a
 * socketcall rule, without its conditions (they are in memory), and each SysV
 * IPC rule as an ipc rule.  Two conditional rules of one such syscall with
 * different actions then make the same socketcall rule twice, and libseccomp
 * refuses the filter, unless an unconditional rule for the multiplexer comes
 * first.  When the multiplexer is left to the default (which denies), it gets
 * an explicit denying rule of its own, first in the list.
 */
static const char *const socket_family[] = {
    "accept",  "accept4", "bind",       "connect",  "getpeername", "getsockname", "getsockopt",
    "listen",  "recv",    "recvfrom",   "recvmmsg", "recvmsg",     "send",        "sendmmsg",
    "sendmsg", "sendto",  "setsockopt", "shutdown", "socket",      "socketpair",
};
static const char *const ipc_family[] = {
    "msgctl", "msgget",     "msgrcv", "msgsnd", "semctl", "semget",
    "semop",  "semtimedop", "shmat",  "shmctl", "shmdt",  "shmget",
};
static const struct multiplexer {
        const char *name;
        const char *const *family;
        size_t n;
} multiplexers[] = {
    {"socketcall", socket_family, HR_ARRAY_SIZE(socket_family)},
    {"ipc", ipc_family, HR_ARRAY_SIZE(ipc_family)},
};

static bool in_family(const struct multiplexer *x, const char *name)
{
        for (size_t i = 0; i < x->n; i++)
                if (strcmp(x->family[i], name) == 0)
                        return true;
        return false;
}

/* Does e have conditional rules with two actions other than def? */
static bool mixed(const struct hr_sc_effect *e, uint32_t def)
{
        uint32_t seen = def;

        for (size_t i = 0; i < e->n_matches; i++) {
                if (e->matches[i].action == def)
                        continue;
                if (seen == def)
                        seen = e->matches[i].action;
                else if (e->matches[i].action != seen)
                        return true;
        }
        return false;
}

static void spell_out_multiplexers(struct merge *m)
{
        for (size_t k = 0; k < HR_ARRAY_SIZE(multiplexers); k++) {
                struct plan *mux = NULL;
                bool conflict = false;

                for (size_t i = 0; i < m->n_plans; i++) {
                        struct plan *p = &m->plans[i];

                        if (!mux && strcmp(p->name, multiplexers[k].name) == 0)
                                mux = p;
                        else if (p->after.n_matches > 1 && mixed(&p->after, m->def))
                                conflict |= in_family(&multiplexers[k], p->name);
                }
                if (!mux || !conflict || mux->after.n_matches || mux->after.action != m->def)
                        continue;
                mux->after.action = m->def == SCMP_ACT_ERRNO(EPERM) ? SCMP_ACT_ERRNO(ENOSYS)
                                                                    : SCMP_ACT_ERRNO(EPERM);
                mux->drop = mux->first = true;
                mux->changed = !hr_sc_effect_equal(&mux->before, &mux->after);
        }
}

/* Every name either profile mentions, theirs first, each once, with where its refs are. */
static int collect_names(struct merge *m, struct hr_error *err)
{
        if (!(m->plans = calloc(m->t.n_groups + m->h.n_groups + 1, sizeof(*m->plans))))
                return hr_error_set(err, ENOMEM, "out of memory");
        for (size_t i = 0; i < m->t.n_groups; i++) {
                const struct hr_sc_group *t = &m->t.groups[i], *h = hr_sc_group(&m->h, t->name);

                m->plans[m->n_plans++] = (struct plan){.name = t->name,
                                                       .t_first = t->first,
                                                       .t_n = t->n,
                                                       .h_first = h ? h->first : 0,
                                                       .h_n = h ? h->n : 0};
        }
        for (size_t i = 0; i < m->h.n_groups; i++) {
                const struct hr_sc_group *h = &m->h.groups[i];

                if (!hr_sc_group(&m->t, h->name))
                        m->plans[m->n_plans++] =
                            (struct plan){.name = h->name, .h_first = h->first, .h_n = h->n};
        }
        return 0;
}

/* ---- writing the merged profile ---------------------------------------- */

/*
 * Their rule i, with the dropped names taken out: kept as it is (moved),
 * given new names, or freed when no name is left.  *out is NULL then.
 */
static int kept_rule(struct hr_json *rule, const bool *dropped, struct hr_json **out)
{
        struct hr_json *names = hr_json_get(rule, "names"), *kept;
        size_t n = names && names->type == HR_JSON_ARRAY ? names->u.arr.len : 0, left = 0;

        *out = NULL;
        for (size_t j = 0; j < n; j++)
                left += !dropped[j];
        if (left == n) {
                *out = rule;
                return 0;
        }
        if (!(kept = hr_json_new_array())) {
                hr_json_free(rule);
                return -ENOMEM;
        }
        for (size_t j = 0; j < n; j++)
                if (!dropped[j] && hr_json_append(kept, TAKE_PTR(names->u.arr.items[j])) < 0) {
                        hr_json_free(kept);
                        hr_json_free(rule);
                        return -ENOMEM;
                }
        if (left == 0) {
                hr_json_free(kept);
                hr_json_free(rule);
                return 0;
        }
        if (hr_json_set(rule, "names", kept) < 0) {
                hr_json_free(rule);
                return -ENOMEM;
        }
        *out = rule;
        return 0;
}

static struct hr_json *new_rule(const char *name, uint32_t action)
{
        _cleanup_json_ struct hr_json *o = hr_json_new_object();
        struct hr_json *names = hr_json_new_array();

        if (!o || hr_json_set(o, "names", names) < 0 ||
            (name && hr_json_append(names, hr_json_new_string(name)) < 0) ||
            hr_sc_action_json(o, action) < 0)
                return NULL;
        return TAKE_PTR(o);
}

/* Unconditional additions: one rule per action, the names in order. */
static int add_unconditional(const struct merge *m, struct hr_json *rules)
{
        _cleanup_free_ uint32_t *actions = calloc(m->n_plans + 1, sizeof(*actions));
        _cleanup_free_ struct hr_json **groups = calloc(m->n_plans + 1, sizeof(*groups));
        size_t n = 0;

        if (!actions || !groups)
                return -ENOMEM;
        for (size_t i = 0; i < m->n_plans; i++) {
                const struct plan *p = &m->plans[i];
                size_t g = 0;

                if (!p->drop || p->first || p->after.n_matches > 0 || p->after.action == m->def)
                        continue;
                while (g < n && actions[g] != p->after.action)
                        g++;
                if (g == n) {
                        actions[n] = p->after.action;
                        if (hr_json_append(rules, groups[n++] = new_rule(NULL, p->after.action)) <
                            0)
                                return -ENOMEM;
                }
                if (hr_json_append(hr_json_get(groups[g], "names"), hr_json_new_string(p->name)) <
                    0)
                        return -ENOMEM;
        }
        return 0;
}

static int add_matches(const char *name, const struct hr_sc_effect *e, struct hr_json *rules)
{
        for (size_t i = 0; i < e->n_matches; i++) {
                const struct hr_sc_match *mt = &e->matches[i];
                struct hr_json *rule = new_rule(name, mt->action), *args = hr_json_new_array();

                if (hr_json_set(rule, "args", args) < 0 || hr_json_append(rules, rule) < 0)
                        return -ENOMEM;
                for (uint32_t k = 0; k < mt->n_conds; k++)
                        if (hr_json_append(args, hr_sc_cond_json(&mt->conds[k])) < 0)
                                return -ENOMEM;
        }
        return 0;
}

/* Which names of their rules go: one flag per name, rule after rule. */
static bool *dropped_names(const struct merge *m, size_t *offsets)
{
        bool *dropped;
        size_t total = 0;

        for (size_t i = 0; i < m->t.n_rules; i++) {
                offsets[i] = total;
                total += m->t.rules[i].names ? m->t.rules[i].names->u.arr.len : 0;
        }
        if (!(dropped = calloc(total + 1, sizeof(*dropped))))
                return NULL;
        for (size_t i = 0; i < m->n_plans; i++)
                for (size_t k = m->plans[i].t_first;
                     m->plans[i].drop && k < m->plans[i].t_first + m->plans[i].t_n; k++)
                        dropped[offsets[m->t.refs[k].rule] + m->t.refs[k].pos] = true;
        return dropped;
}

/*
 * Their rules, less the dropped names, then ours.  The additions are made
 * first: the names they copy belong to their rules, which are then moved
 * into the new list (or freed) one by one.
 */
static int write_rules(const struct merge *m, struct hr_json *theirs)
{
        _cleanup_json_ struct hr_json *rules = hr_json_new_array(), *added = hr_json_new_array();
        _cleanup_free_ size_t *offsets = calloc(m->t.n_rules + 1, sizeof(*offsets));
        _cleanup_free_ bool *dropped = NULL;
        struct hr_json *old = hr_json_get(theirs, "syscalls");

        if (!rules || !added || !offsets || !(dropped = dropped_names(m, offsets)) ||
            add_unconditional(m, added) < 0)
                return -ENOMEM;
        for (size_t i = 0; i < m->n_plans; i++)
                if (m->plans[i].first &&
                    hr_json_append(rules, new_rule(m->plans[i].name, m->plans[i].after.action)) < 0)
                        return -ENOMEM;
        for (size_t i = 0; i < m->n_plans; i++) {
                const struct plan *p = &m->plans[i];

                if ((p->drop && add_matches(p->name, &p->after, added) < 0) ||
                    (p->extra && add_matches(p->name, &p->emit, added) < 0))
                        return -ENOMEM;
        }
        for (size_t i = 0; i < m->t.n_rules; i++) {
                struct hr_json *kept;

                if (kept_rule(TAKE_PTR(old->u.arr.items[i]), dropped + offsets[i], &kept) < 0 ||
                    (kept && hr_json_append(rules, kept) < 0))
                        return -ENOMEM;
        }
        for (size_t i = 0; i < added->u.arr.len; i++)
                if (hr_json_append(rules, TAKE_PTR(added->u.arr.items[i])) < 0)
                        return -ENOMEM;
        return hr_json_set(theirs, "syscalls", TAKE_PTR(rules));
}

/* ---- the other members ------------------------------------------------- */

static int write_default(struct hr_json *theirs, const struct hr_json *ours)
{
        const struct hr_json *errno_ret = hr_json_get(ours, "defaultErrnoRet");

        if (hr_json_set(theirs, "defaultAction", hr_json_copy(hr_json_get(ours, "defaultAction"))) <
            0)
                return -ENOMEM;
        if (errno_ret)
                return hr_json_set(theirs, "defaultErrnoRet", hr_json_copy(errno_ret));
        hr_json_remove(theirs, "defaultErrnoRet");
        return 0;
}

static bool arch_in(const struct hr_sc *sc, uint32_t token)
{
        if (token == seccomp_arch_native())
                return true;
        for (size_t i = 0; i < sc->n_arches; i++)
                if (sc->arches[i] == token)
                        return true;
        return false;
}

/* Their architectures that ours has too (the native one is always in both). */
static int merge_arches(const struct merge *m, struct hr_json *theirs, struct hr_report *report,
                        struct hr_error *err)
{
        const struct hr_json *list = hr_json_get(theirs, "architectures");
        _cleanup_json_ struct hr_json *kept = hr_json_new_array();
        int r;

        if (!m->t.has_arches)
                return 0;
        if (!kept)
                return hr_error_set(err, ENOMEM, "out of memory");
        for (size_t i = 0; i < m->t.n_arches; i++)
                if (arch_in(&m->h, m->t.arches[i]) &&
                    hr_json_append(kept, hr_json_copy(list->u.arr.items[i])) < 0)
                        return hr_error_set(err, ENOMEM, "out of memory");
        if (kept->u.arr.len == m->t.n_arches)
                return 0;
        if ((r = hr_report_change(report, m->knob, PATH ".architectures", list, kept, err)) < 0)
                return r;
        return hr_json_set(theirs, "architectures", TAKE_PTR(kept)) < 0
                   ? hr_error_set(err, ENOMEM, "out of memory")
                   : 0;
}

static bool has_notify(const struct hr_sc_effect *e)
{
        if (e->n_matches == 0)
                return e->action == SCMP_ACT_NOTIFY;
        for (size_t i = 0; i < e->n_matches; i++)
                if (e->matches[i].action == SCMP_ACT_NOTIFY)
                        return true;
        return false;
}

/* Does a SCMP_ACT_NOTIFY rule survive: one of theirs for a name kept, or one added? */
static bool notify_left(const struct merge *m)
{
        for (size_t i = 0; i < m->n_plans; i++) {
                const struct plan *p = &m->plans[i];

                if (p->drop) {
                        if (has_notify(&p->after))
                                return true;
                        continue;
                }
                if (p->extra && has_notify(&p->emit))
                        return true;
                for (size_t k = p->t_first; k < p->t_first + p->t_n; k++)
                        if (m->t.rules[m->t.refs[k].rule].action == SCMP_ACT_NOTIFY)
                                return true;
        }
        return false;
}

static int drop_listener(const struct merge *m, struct hr_json *theirs, struct hr_report *report,
                         struct hr_error *err)
{
        static const char *const keys[] = {"listenerPath", "listenerMetadata"};

        if (notify_left(m))
                return 0;
        for (size_t i = 0; i < HR_ARRAY_SIZE(keys); i++) {
                struct hr_json *v;
                char path[64];
                int r;

                if ((r = hr_harden_get(theirs, keys[i], PATH, &v, err)) < 0)
                        return r;
                if (!v)
                        continue;
                snprintf(path, sizeof(path), PATH ".%s", keys[i]);
                if ((r = hr_report_change(report, m->knob, path, v, NULL, err)) < 0)
                        return r;
                hr_json_remove(theirs, keys[i]);
        }
        return 0;
}

/* ---- reporting --------------------------------------------------------- */

static int name_cmp(const void *a, const void *b)
{
        return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The changed plans from first on with the same before and after as first, marked done. */
static int report_group(const struct merge *m, size_t first, bool *done, struct hr_report *report,
                        struct hr_error *err)
{
        const struct plan *p = &m->plans[first];
        _cleanup_free_ const char **names = calloc(m->n_plans + 1, sizeof(*names));
        _cleanup_json_ struct hr_json *before = hr_sc_effect_json(&p->before);
        _cleanup_json_ struct hr_json *after = hr_sc_effect_json(&p->after);
        _cleanup_free_ char *path = NULL;
        size_t n = 0, len = sizeof(PATH ".syscalls[names=]"), at;

        if (!names || !before || !after)
                return hr_error_set(err, ENOMEM, "out of memory");
        for (size_t i = first; i < m->n_plans; i++) {
                const struct plan *q = &m->plans[i];

                if (done[i] || !q->changed || !hr_sc_effect_equal(&q->before, &p->before) ||
                    !hr_sc_effect_equal(&q->after, &p->after))
                        continue;
                done[i] = true;
                names[n++] = q->name;
                len += strlen(q->name) + 1;
        }
        qsort(names, n, sizeof(*names), name_cmp);
        if (!(path = malloc(len)))
                return hr_error_set(err, ENOMEM, "out of memory");
        at = (size_t)snprintf(path, len, PATH ".syscalls[names=");
        for (size_t i = 0; i < n && at < len; i++)
                at +=
                    (size_t)snprintf(path + at, len - at, "%s%s", names[i], i + 1 < n ? "," : "]");
        return hr_report_change(report, m->knob, path, before, after, err);
}

/*
 * One change per distinct (before, after), naming every syscall it applies
 * to, in the order of the first name of each.
 */
static int report_names(const struct merge *m, struct hr_report *report, struct hr_error *err)
{
        _cleanup_free_ bool *done = calloc(m->n_plans + 1, sizeof(*done));
        _cleanup_free_ const char **firsts = calloc(m->n_plans + 1, sizeof(*firsts));
        size_t n = 0;
        int r = 0;

        if (!done || !firsts)
                return hr_error_set(err, ENOMEM, "out of memory");
        /* Each group is reported from its alphabetically first name. */
        for (size_t i = 0; i < m->n_plans; i++)
                if (m->plans[i].changed)
                        firsts[n++] = m->plans[i].name;
        qsort(firsts, n, sizeof(*firsts), name_cmp);
        for (size_t k = 0; r == 0 && k < n; k++)
                for (size_t i = 0; r == 0 && i < m->n_plans; i++)
                        if (!done[i] && m->plans[i].changed && m->plans[i].name == firsts[k])
                                r = report_group(m, i, done, report, err);
        return r;
}

static int report_default(const struct merge *m, struct hr_report *report, struct hr_error *err)
{
        struct hr_sc_effect b = {.action = m->t.def}, a = {.action = m->def};
        _cleanup_json_ struct hr_json *before = hr_sc_effect_json(&b);
        _cleanup_json_ struct hr_json *after = hr_sc_effect_json(&a);

        if (!before || !after)
                return hr_error_set(err, ENOMEM, "out of memory");
        return hr_report_change(report, m->knob, PATH ".defaultAction", before, after, err);
}

/* ---- the merge ----------------------------------------------------------- */

static void merge_done(struct merge *m)
{
        for (size_t i = 0; i < m->n_plans; i++) {
                hr_sc_effect_done(&m->plans[i].before);
                hr_sc_effect_done(&m->plans[i].after);
                hr_sc_effect_done(&m->plans[i].emit);
        }
        free(m->plans);
        hr_sc_done(&m->t);
        hr_sc_done(&m->h);
}

static int run(struct merge *m, struct hr_json *theirs, const struct hr_json *ours,
               struct hr_report *report, struct hr_error *err)
{
        bool rewrite;
        int r;

        if ((r = hr_sc_parse(theirs, PATH, &m->t, err)) < 0 ||
            (r = hr_sc_parse(ours, "hardrun's seccomp profile", &m->h, err)) < 0 ||
            (r = collect_names(m, err)) < 0)
                return r;
        m->def = hr_sc_allowing(m->t.def) ? m->h.def : m->t.def;
        for (size_t i = 0; i < m->n_plans; i++)
                if ((r = plan_name(m, &m->plans[i], report, err)) < 0)
                        return r;
        spell_out_multiplexers(m);
        rewrite = m->def != m->t.def;
        for (size_t i = 0; i < m->n_plans; i++)
                rewrite |= m->plans[i].drop || m->plans[i].extra;
        /* Everything that reads their rules comes before they are rewritten. */
        if ((m->def != m->t.def && (r = report_default(m, report, err)) < 0) ||
            (r = merge_arches(m, theirs, report, err)) < 0 ||
            (r = report_names(m, report, err)) < 0 ||
            (r = drop_listener(m, theirs, report, err)) < 0)
                return r;
        if ((m->def != m->t.def && write_default(theirs, ours) < 0) ||
            (rewrite && write_rules(m, theirs) < 0))
                return hr_error_set(err, ENOMEM, "out of memory");
        return 0;
}

int hr_seccomp_merge(struct hr_json *theirs, const struct hr_json *ours, bool learn,
                     const char *knob, struct hr_report *report, struct hr_error *err)
{
        struct merge m = {.learn = learn, .knob = knob};
        int r = run(&m, theirs, ours, report, err);

        merge_done(&m);
        return r;
}
