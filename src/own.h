/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hardrun's own commands (DESIGN §7), which no runtime has: `hardrun check`
 * and `hardrun policy`.  They are recognised only as the first word after
 * the program name, before any runtime is looked up, and take no runtime
 * global options: `hardrun --root X check` goes to the runtime as any
 * unknown command does.  They are run by people and pipelines, not by
 * engines, so they print their results on stdout; errors go to stderr.
 *
 * Exit status: 0 done (check: compliant), 1 check found something to change
 * or refuse, 2 a usage error or a failure (a file that cannot be read or
 * parsed, a broken policy).
 */
#ifndef HR_OWN_H
#define HR_OWN_H

#include <stdbool.h>
#include <stdio.h>

#include "hr-error.h"
#include "json.h"
#include "policy.h"
#include "report.h"

enum {
        HR_EXIT_OK = 0,
        HR_EXIT_NOT_COMPLIANT = 1,
        HR_EXIT_ERROR = 2,
};

enum hr_own_kind {
        HR_OWN_CHECK,
        HR_OWN_POLICY,
};

enum hr_format {
        HR_FORMAT_TEXT,
        HR_FORMAT_JSON,
};

/* Strings point into argv. */
struct hr_own_cmdline {
        enum hr_own_kind kind;
        bool help;
        bool format_set;
        enum hr_format format; /* check: text by default; policy: json */
        bool explain;
        const char *policy; /* --policy FILE; NULL: HARDRUN_POLICY, then /etc */
        const char *bundle; /* check --bundle DIR */
        const char *file;   /* check FILE */
        const char *id;     /* check --id ID: the container id rules match on */
};

/* Is argv[1] one of hardrun's own commands? */
bool hr_own_is_command(int argc, char *const argv[]);

/* Parse argv (argv[1] is the command); err says what is wrong with it. */
int hr_own_parse(int argc, char *const argv[], struct hr_own_cmdline *out, struct hr_error *err);

/* Run the command; returns the exit status, having reported any error. */
int hr_own_main(int argc, char *argv[]);

/* ---- check (check.c) ------------------------------------------------------ */

/* What check found, for the two renderings. */
struct hr_check_result {
        const char *config; /* the file, as named */
        const struct hr_policy *policy;
        const struct hr_report *report;
        const char *decision;    /* hr_command_outcome(): what create would do */
        char **unknown_syscalls; /* in linux.seccomp, unknown to this libseccomp */
        size_t n_unknown_syscalls;
        const char *libseccomp; /* its version, for the warning */
};

/* 0 compliant, 1 not, or -errno with err set. */
int hr_own_check(const struct hr_own_cmdline *cmd, struct hr_error *err);

/* The text for people; colour adds ANSI colours. */
int hr_check_write_text(FILE *out, const struct hr_check_result *res, bool colour);

/* {"config","policy","level","mode","rule","decision","compliant","changes","violations","warnings"}
 */
int hr_check_to_json(const struct hr_check_result *res, struct hr_json **out, struct hr_error *err);

/* ---- policy (show-policy.c) ------------------------------------------------------ */

int hr_own_policy(const struct hr_own_cmdline *cmd, struct hr_error *err);

/* The text form: "key: value" lines, each with "    from ..." when sources is given. */
int hr_policy_write_text(FILE *out, const struct hr_policy_file *f, const struct hr_json *doc,
                         const struct hr_json *sources);

/* ---- shared ------------------------------------------------------------------------- */

/* The policy the command names, or HARDRUN_POLICY, or the default file. */
int hr_own_policy_file(const struct hr_own_cmdline *cmd, struct hr_policy_file *out,
                       struct hr_error *err);

/* Write text whole to stdout. */
int hr_own_print(const char *text, size_t len, struct hr_error *err);

/* Write json to stdout, pretty, with a final newline. */
int hr_own_print_json(const struct hr_json *json, struct hr_error *err);

#endif
