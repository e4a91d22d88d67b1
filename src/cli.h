/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The runc/crun command line, parsed without side effects.
 *
 * The grammar is `RUNTIME [global options] COMMAND [command options] ARGS`.
 * runc parses options the way Go's flag package does (`-name`, `--name`,
 * `=value` or the next word, no abbreviations, no grouping); crun uses GNU
 * argp (`-x VALUE`, `-xVALUE`, `--name=value`, unique prefixes of long
 * names, grouped short booleans).  Both accept options after the container
 * id of create/run/restore.  Anything that could be read two ways is refused.
 */
#ifndef HR_CLI_H
#define HR_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "hr-error.h"

enum hr_flavour {
        HR_FLAVOUR_RUNC,
        HR_FLAVOUR_CRUN,
};

enum hr_kind {
        HR_KIND_PASS,    /* anything hardrun does not touch: exec the runtime at once */
        HR_KIND_VERSION, /* global --version with no command */
        HR_KIND_HARDEN,  /* create, run, restore: harden <bundle>/config.json */
        HR_KIND_EXEC,    /* exec: parsed so that later stages can harden it */
        HR_KIND_UPDATE,  /* update: parsed so that later stages can check limits */
};

enum hr_log_format {
        HR_LOG_TEXT,
        HR_LOG_JSON,
};

/* Strings point into argv; only the arrays are allocated. */
struct hr_cmdline {
        enum hr_kind kind;
        const char *command; /* the subcommand word, NULL when there is none */
        int command_index;   /* its index in argv, 0 when there is none */

        const char *root;
        const char *log; /* a file path; NULL for crun's journald:/syslog: targets */
        enum hr_log_format log_format;
        const char *log_format_raw;

        const char *id;     /* container id */
        const char *bundle; /* NULL: the current directory */
        const char *config; /* crun --config/-f; NULL: <bundle>/config.json */

        /* exec */
        const char *process;
        const char *user;
        const char *apparmor;
        const char *process_label;
        bool no_new_privs;
        const char **caps;
        size_t n_caps;
        int exec_args_index; /* first word of the process's own argv, 0 when none */

        /* update */
        const char *resources;
        const char *pids_limit;
        const char *memory;
        const char *cpu_quota;
        const char *cpu_period;

        /* restore: --lsm-profile or --lsm-mount-context (the flag's name), which override labels */
        const char *lsm_override;
};

/*
 * Parse argv for a runtime of the given flavour.  On success *out is filled
 * (release with hr_cmdline_done()); on failure err says why the command line
 * is refused.
 */
int hr_cli_parse(int argc, char *const argv[], enum hr_flavour flavour, struct hr_cmdline *out,
                 struct hr_error *err);

void hr_cmdline_done(struct hr_cmdline *cmd);

/* Scan argv for the --log/--log-format options only, for error reporting when parsing failed. */
void hr_cli_find_log(int argc, char *const argv[], enum hr_flavour flavour, struct hr_cmdline *out);

/*
 * The container id of a delete, and whether it is forced: `delete [--force|-f] ID`
 * (runc and crun), read without refusing anything, since delete passes
 * through whatever hardrun makes of it.  -EINVAL for any other shape:
 * crun's --regex, several ids, an option it does not know.
 */
int hr_cli_delete(int argc, char *const argv[], const struct hr_cmdline *cmd, const char **id,
                  bool *force);

#endif
