/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The OCI linux.seccomp object as runc and crun read it.
 *
 * Both runtimes hand the rules to libseccomp in order, name by name.  They
 * skip a rule whose action equals the default action and a name libseccomp
 * does not know; a rule that compares one argument twice becomes one rule per
 * condition (so its conditions are OR'ed, not AND'ed).  libseccomp then lets
 * an unconditional rule for a syscall win over every conditional one, and the
 * first of two unconditional rules win over the second.  The "effect" of a
 * profile on a syscall name, below, is what is left after all of that.
 *
 * Actions, operators and architectures are validated here against
 * libseccomp's own values; syscall names are resolved only when a filter is
 * built, because a name this libseccomp does not know is kept (the runtime's
 * libseccomp may know it).
 */
#ifndef HR_SECCOMP_OCI_H
#define HR_SECCOMP_OCI_H

#include <seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hr-error.h"
#include "json.h"

#define HR_SC_MAX_ARGS  6
#define HR_SC_ERRNO_MAX 4095

struct hr_sc_cond {
        uint32_t index;
        enum scmp_compare op;
        uint64_t value, value_two;
};

/* One rule as libseccomp receives it: conditions on distinct arguments. */
struct hr_sc_match {
        uint32_t action;
        uint32_t n_conds;
        struct hr_sc_cond conds[HR_SC_MAX_ARGS];
};

struct hr_sc_rule {
        const struct hr_json *node;  /* the rule object */
        const struct hr_json *names; /* its names array, or NULL */
        uint32_t action;             /* libseccomp's value, errno included */
        uint32_t n_conds;
        struct hr_sc_cond conds[HR_SC_MAX_ARGS];
        bool split; /* an argument is compared twice: one rule per condition */
};

/* A name in a rule's names, for lookups by name. */
struct hr_sc_ref {
        const char *name;
        size_t rule;
        size_t pos; /* in the rule's names */
};

/* The refs of one name: refs[first .. first + n), in rule order. */
struct hr_sc_group {
        const char *name;
        size_t first, n;
};

struct hr_sc {
        uint32_t def;     /* the default action */
        bool has_arches;  /* "architectures" is present */
        uint32_t *arches; /* its libseccomp tokens */
        size_t n_arches;
        char **flags; /* "flags", unchecked */
        size_t n_flags;
        struct hr_sc_rule *rules;
        size_t n_rules;
        struct hr_sc_ref *refs; /* grouped by name, the names in order of first appearance */
        size_t n_refs;
        struct hr_sc_group *groups;
        size_t n_groups;
        size_t *slots; /* a hash table of names: group index + 1, or 0 */
        size_t n_slots;
};

/*
 * Parse and validate a linux.seccomp object; where names it in messages
 * (e.g. "linux.seccomp").  out points into seccomp, which must outlive it.
 */
int hr_sc_parse(const struct hr_json *seccomp, const char *where, struct hr_sc *out,
                struct hr_error *err);
void hr_sc_done(struct hr_sc *sc);

/* The rules naming name: the index of the first ref, and how many. */
size_t hr_sc_find(const struct hr_sc *sc, const char *name, size_t *n);
/* The group of name, or NULL. */
const struct hr_sc_group *hr_sc_group(const struct hr_sc *sc, const char *name);

/*
 * What a profile does to one syscall name under the default action def: an
 * unconditional action (n_matches 0), or matches that fall back on action.
 * Matches are sorted and unique, none with the default's action.
 */
struct hr_sc_effect {
        uint32_t action;
        struct hr_sc_match *matches;
        size_t n_matches;
};

int hr_sc_effect(const struct hr_sc *sc, const char *name, uint32_t def, struct hr_sc_effect *out);
/* The same for the n refs from first, which hr_sc_find gave. */
int hr_sc_effect_at(const struct hr_sc *sc, size_t first, size_t n, uint32_t def,
                    struct hr_sc_effect *out);
void hr_sc_effect_done(struct hr_sc_effect *e);
bool hr_sc_effect_equal(const struct hr_sc_effect *a, const struct hr_sc_effect *b);
/* As JSON: {"action":..,"errnoRet":..} or {"rules":[..],"otherwise":{..}}. */
struct hr_json *hr_sc_effect_json(const struct hr_sc_effect *e);

/* Actions: does it let the call run (ALLOW, LOG, NOTIFY, TRACE)? */
bool hr_sc_allowing(uint32_t action);
/* Set the "action" (and "errnoRet") members of obj to action. */
int hr_sc_action_json(struct hr_json *obj, uint32_t action);
/* The action named name, with errno_ret (NULL: the runtimes' EPERM). */
int hr_sc_action_parse(const char *name, const struct hr_json *errno_ret, const char *where,
                       uint32_t *out, struct hr_error *err);
/* A condition as an OCI args member. */
struct hr_json *hr_sc_cond_json(const struct hr_sc_cond *c);

/* An OCI architecture name ("SCMP_ARCH_X86_64") as a libseccomp token; 0 when unknown. */
uint32_t hr_sc_arch_token(const char *name);

/* What seccomp_init() etc. are given, as runc 1.1 builds it. */
enum hr_sc_build_flags {
        /* A quick check: only the rules libseccomp can refuse (see seccomp-oci.c). */
        HR_SC_BUILD_CONDITIONAL = 1 << 0,
        HR_SC_BUILD_OPTIMIZE = 1 << 1, /* binary tree above 32 rules, as runc 1.2 does */
        /* The listed architectures only, without this host's: to build for another host. */
        HR_SC_BUILD_LISTED_ARCHES = 1 << 2,
};

/*
 * Build the filter the runtime would load.  Every conditional rule goes
 * through libseccomp for every architecture, which is where libseccomp
 * refuses what it cannot express.  *out is set only on success.
 */
int hr_sc_build(const struct hr_sc *sc, unsigned flags, scmp_filter_ctx *out, struct hr_error *err);

/*
 * Does this libseccomp know name, on the native architecture or one the
 * profile lists?  A name it does not know is kept in the profile (the
 * runtime's libseccomp may know it), and skipped when a filter is built here.
 */
bool hr_sc_name_known(const struct hr_sc *sc, const char *name);

DEFINE_CLEANUP_FUNC(scmp_filter_ctx, seccomp_release)
#define _cleanup_seccomp_ _cleanup_(seccomp_releasep)

#endif
