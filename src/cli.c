/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hr-cleanup.h"

/* Which part of the command line a flag belongs to. */
enum {
        C_GLOBAL = 1u << 0,
        C_CREATE = 1u << 1,
        C_RUN = 1u << 2,
        C_RESTORE = 1u << 3,
        C_EXEC = 1u << 4,
        C_UPDATE = 1u << 5,
};

#define C_CRR (C_CREATE | C_RUN | C_RESTORE)
#define C_ANY (C_GLOBAL | C_CRR | C_EXEC | C_UPDATE)

enum {
        V_RUNC = 1u << HR_FLAVOUR_RUNC,
        V_CRUN = 1u << HR_FLAVOUR_CRUN,
        V_ALL = V_RUNC | V_CRUN,
};

enum arity {
        A_BOOL,
        A_VALUE, /* a value; given twice is ambiguous */
        A_MULTI, /* a value; may repeat */
};

/* What the parser keeps of a flag; F_SKIP is parsed and dropped. */
enum flag_id {
        F_SKIP,
        F_ROOT,
        F_LOG,
        F_LOG_FORMAT,
        F_HELP,
        F_VERSION,
        F_BUNDLE,
        F_CONFIG,
        F_PROCESS,
        F_USER,
        F_APPARMOR,
        F_PROCESS_LABEL,
        F_NO_NEW_PRIVS,
        F_CAP,
        F_RESOURCES,
        F_PIDS_LIMIT,
        F_MEMORY,
        F_CPU_QUOTA,
        F_CPU_PERIOD,
        F_LSM_OVERRIDE,
};

struct flag {
        const char *name;
        char short_name;
        enum arity arity;
        unsigned commands;
        unsigned flavours;
        enum flag_id id;
};

/* runc 1.1 and crun 1.8.  Adding a flag is one line. */
static const struct flag flags[] = {
    /* global */
    {"root", 0, A_VALUE, C_GLOBAL, V_ALL, F_ROOT},
    {"log", 0, A_VALUE, C_GLOBAL, V_ALL, F_LOG},
    {"log-format", 0, A_VALUE, C_GLOBAL, V_ALL, F_LOG_FORMAT},
    {"log-level", 0, A_VALUE, C_GLOBAL, V_CRUN, F_SKIP},
    {"rootless", 0, A_VALUE, C_GLOBAL, V_ALL, F_SKIP},
    {"criu", 0, A_VALUE, C_GLOBAL, V_RUNC, F_SKIP},
    {"cgroup-manager", 0, A_VALUE, C_GLOBAL, V_CRUN, F_SKIP},
    {"debug", 0, A_BOOL, C_GLOBAL, V_ALL, F_SKIP},
    {"systemd-cgroup", 0, A_BOOL, C_GLOBAL, V_ALL, F_SKIP},
    {"help", 'h', A_BOOL, C_ANY, V_RUNC, F_HELP},
    {"help", '?', A_BOOL, C_ANY, V_CRUN, F_HELP},
    {"usage", 0, A_BOOL, C_ANY, V_CRUN, F_HELP},
    {"version", 'v', A_BOOL, C_GLOBAL, V_ALL, F_VERSION},
    {"version", 'V', A_BOOL, C_GLOBAL, V_CRUN, F_VERSION},
    /* create, run, restore */
    {"bundle", 'b', A_VALUE, C_CRR, V_ALL, F_BUNDLE},
    {"config", 'f', A_VALUE, C_CREATE | C_RUN, V_CRUN, F_CONFIG},
    {"console-socket", 0, A_VALUE, C_CRR | C_EXEC, V_ALL, F_SKIP},
    {"pid-file", 0, A_VALUE, C_CRR | C_EXEC, V_ALL, F_SKIP},
    {"preserve-fds", 0, A_VALUE, C_CREATE | C_RUN | C_EXEC, V_ALL, F_SKIP},
    {"no-pivot", 0, A_BOOL, C_CRR, V_ALL, F_SKIP},
    {"no-new-keyring", 0, A_BOOL, C_CREATE | C_RUN, V_ALL, F_SKIP},
    {"detach", 'd', A_BOOL, C_RUN | C_RESTORE | C_EXEC, V_ALL, F_SKIP},
    {"keep", 0, A_BOOL, C_RUN, V_ALL, F_SKIP},
    {"no-subreaper", 0, A_BOOL, C_RUN | C_RESTORE, V_ALL, F_SKIP},
    {"image-path", 0, A_VALUE, C_RESTORE, V_ALL, F_SKIP},
    {"work-path", 0, A_VALUE, C_RESTORE, V_ALL, F_SKIP},
    {"tcp-established", 0, A_BOOL, C_RESTORE, V_ALL, F_SKIP},
    {"tcp-close", 0, A_BOOL, C_RESTORE, V_CRUN, F_SKIP},
    {"ext-unix-sk", 0, A_BOOL, C_RESTORE, V_ALL, F_SKIP},
    {"shell-job", 0, A_BOOL, C_RESTORE, V_ALL, F_SKIP},
    {"file-locks", 0, A_BOOL, C_RESTORE, V_ALL, F_SKIP},
    {"manage-cgroups-mode", 0, A_VALUE, C_RESTORE, V_ALL, F_SKIP},
    {"empty-ns", 0, A_MULTI, C_RESTORE, V_RUNC, F_SKIP},
    {"auto-dedup", 0, A_BOOL, C_RESTORE, V_RUNC, F_SKIP},
    {"lazy-pages", 0, A_BOOL, C_RESTORE, V_RUNC, F_SKIP},
    {"lsm-profile", 0, A_VALUE, C_RESTORE, V_ALL, F_LSM_OVERRIDE},
    {"lsm-mount-context", 0, A_VALUE, C_RESTORE, V_ALL, F_LSM_OVERRIDE},
    /* exec */
    {"process", 'p', A_VALUE, C_EXEC, V_ALL, F_PROCESS},
    {"cwd", 0, A_VALUE, C_EXEC, V_ALL, F_SKIP},
    {"env", 'e', A_MULTI, C_EXEC, V_ALL, F_SKIP},
    {"tty", 't', A_BOOL, C_EXEC, V_ALL, F_SKIP},
    {"user", 'u', A_VALUE, C_EXEC, V_ALL, F_USER},
    {"additional-gids", 'g', A_MULTI, C_EXEC, V_ALL, F_SKIP},
    {"process-label", 0, A_VALUE, C_EXEC, V_ALL, F_PROCESS_LABEL},
    {"apparmor", 0, A_VALUE, C_EXEC, V_ALL, F_APPARMOR},
    {"no-new-privs", 0, A_BOOL, C_EXEC, V_ALL, F_NO_NEW_PRIVS},
    {"cap", 'c', A_MULTI, C_EXEC, V_ALL, F_CAP},
    {"cgroup", 0, A_MULTI, C_EXEC, V_ALL, F_SKIP},
    {"ignore-paused", 0, A_BOOL, C_EXEC, V_RUNC, F_SKIP},
    /* update */
    {"resources", 'r', A_VALUE, C_UPDATE, V_ALL, F_RESOURCES},
    {"pids-limit", 0, A_VALUE, C_UPDATE, V_ALL, F_PIDS_LIMIT},
    {"memory", 0, A_VALUE, C_UPDATE, V_ALL, F_MEMORY},
    {"memory-reservation", 0, A_VALUE, C_UPDATE, V_ALL, F_SKIP},
    {"memory-swap", 0, A_VALUE, C_UPDATE, V_ALL, F_SKIP},
    {"kernel-memory", 0, A_VALUE, C_UPDATE, V_ALL, F_SKIP},
    {"kernel-memory-tcp", 0, A_VALUE, C_UPDATE, V_ALL, F_SKIP},
    {"blkio-weight", 0, A_VALUE, C_UPDATE, V_ALL, F_SKIP},
    {"cpu-period", 0, A_VALUE, C_UPDATE, V_ALL, F_CPU_PERIOD},
    {"cpu-quota", 0, A_VALUE, C_UPDATE, V_ALL, F_CPU_QUOTA},
    {"cpu-rt-period", 0, A_VALUE, C_UPDATE, V_ALL, F_SKIP},
    {"cpu-rt-runtime", 0, A_VALUE, C_UPDATE, V_ALL, F_SKIP},
    {"cpu-share", 0, A_VALUE, C_UPDATE, V_ALL, F_SKIP},
    {"cpuset-cpus", 0, A_VALUE, C_UPDATE, V_ALL, F_SKIP},
    {"cpuset-mems", 0, A_VALUE, C_UPDATE, V_ALL, F_SKIP},
    {"l3-cache-schema", 0, A_VALUE, C_UPDATE, V_ALL, F_SKIP},
    {"mem-bw-schema", 0, A_VALUE, C_UPDATE, V_ALL, F_SKIP},
};

/* How a command's words after the options are read. */
enum positional {
        P_ONE_ID,       /* exactly one id; options may follow it */
        P_ID_THEN_ARGV, /* options, the id, then the process's argv untouched */
};

static const struct command {
        const char *name;
        unsigned bit;
        enum hr_kind kind;
        enum positional positional;
} commands[] = {
    {"create", C_CREATE, HR_KIND_HARDEN, P_ONE_ID},
    {"run", C_RUN, HR_KIND_HARDEN, P_ONE_ID},
    {"restore", C_RESTORE, HR_KIND_HARDEN, P_ONE_ID},
    {"exec", C_EXEC, HR_KIND_EXEC, P_ID_THEN_ARGV},
    {"update", C_UPDATE, HR_KIND_UPDATE, P_ONE_ID},
};

struct parser {
        int argc;
        char *const *argv;
        enum hr_flavour flavour;
        unsigned scope; /* C_GLOBAL or the command's bit */
        const char *scope_name;
        bool seen[HR_ARRAY_SIZE(flags)];
        bool help;
        struct hr_cmdline *out;
        struct hr_error *err;
};

static bool flag_applies(const struct parser *p, const struct flag *f)
{
        return (f->commands & p->scope) && (f->flavours & (1u << p->flavour));
}

static const struct flag *find_short(const struct parser *p, char c)
{
        for (size_t i = 0; i < HR_ARRAY_SIZE(flags); i++)
                if (flags[i].short_name == c && flag_applies(p, &flags[i]))
                        return &flags[i];
        return NULL;
}

/* Exact long name, then (runc) a one-letter alias, or (crun) a unique prefix. */
static int find_long(struct parser *p, const char *name, size_t len, const struct flag **out)
{
        const struct flag *prefix = NULL;
        bool ambiguous = false;

        for (size_t i = 0; i < HR_ARRAY_SIZE(flags); i++) {
                const struct flag *f = &flags[i];

                if (!flag_applies(p, f) || strncmp(f->name, name, len) != 0)
                        continue;
                if (f->name[len] == '\0') {
                        *out = f;
                        return 0;
                }
                if (prefix && strcmp(prefix->name, f->name) != 0)
                        ambiguous = true;
                prefix = f;
        }
        if (p->flavour == HR_FLAVOUR_RUNC && len == 1 && (*out = find_short(p, name[0])))
                return 0;
        if (p->flavour == HR_FLAVOUR_CRUN && prefix && !ambiguous) {
                *out = prefix;
                return 0;
        }
        return hr_error_set(p->err, EINVAL,
                            ambiguous ? "option --%.*s of %s is an ambiguous abbreviation"
                                      : "unknown option --%.*s for %s; refusing to guess "
                                        "whether it takes a value",
                            (int)len, name, p->scope_name);
}

/* strconv.ParseBool: 1 for true, 0 for false, -1 for anything else. */
static int parse_go_bool(const char *s)
{
        static const char *const values[] = {"1", "t", "T", "true",  "TRUE",  "True",
                                             "0", "f", "F", "false", "FALSE", "False"};

        for (size_t i = 0; i < HR_ARRAY_SIZE(values); i++)
                if (strcmp(s, values[i]) == 0)
                        return i < HR_ARRAY_SIZE(values) / 2;
        return -1;
}

static int store(struct parser *p, const struct flag *f, const char *value)
{
        struct hr_cmdline *o = p->out;
        size_t idx = (size_t)(f - flags);

        if (f->arity == A_VALUE) {
                if (p->seen[idx])
                        return hr_error_set(p->err, EINVAL,
                                            "option --%s given more than once; refusing an "
                                            "ambiguous command line",
                                            f->name);
                if (value[0] == '\0' && f->id != F_SKIP)
                        return hr_error_set(p->err, EINVAL, "option --%s has an empty value",
                                            f->name);
        }
        p->seen[idx] = true;

        switch (f->id) {
        case F_SKIP:
                break;
        case F_ROOT:
                o->root = value;
                break;
        case F_LOG:
                o->log = value;
                if (p->flavour == HR_FLAVOUR_CRUN) {
                        if (strncmp(value, "file:", 5) == 0)
                                o->log = value + 5;
                        else if (strncmp(value, "journald:", 9) == 0 ||
                                 strncmp(value, "syslog:", 7) == 0)
                                o->log = NULL;
                }
                break;
        case F_LOG_FORMAT:
                o->log_format_raw = value;
                o->log_format = strcmp(value, "json") == 0 ? HR_LOG_JSON : HR_LOG_TEXT;
                break;
        case F_HELP:
                p->help = true;
                break;
        case F_VERSION:
                o->kind = HR_KIND_VERSION;
                break;
        case F_BUNDLE:
                o->bundle = value;
                break;
        case F_CONFIG:
                o->config = value;
                break;
        case F_PROCESS:
                o->process = value;
                break;
        case F_USER:
                o->user = value;
                break;
        case F_APPARMOR:
                o->apparmor = value;
                break;
        case F_PROCESS_LABEL:
                o->process_label = value;
                break;
        case F_NO_NEW_PRIVS:
                o->no_new_privs = true;
                break;
        case F_CAP: {
                const char **caps = realloc(o->caps, (o->n_caps + 1) * sizeof(*caps));

                if (!caps)
                        return hr_error_set(p->err, ENOMEM, "out of memory");
                caps[o->n_caps++] = value;
                o->caps = caps;
                break;
        }
        case F_RESOURCES:
                o->resources = value;
                break;
        case F_PIDS_LIMIT:
                o->pids_limit = value;
                break;
        case F_MEMORY:
                o->memory = value;
                break;
        case F_CPU_QUOTA:
                o->cpu_quota = value;
                break;
        case F_CPU_PERIOD:
                o->cpu_period = value;
                break;
        case F_LSM_OVERRIDE:
                o->lsm_override = f->name;
                break;
        }
        return 0;
}

/* The value of a flag written as the next word. */
static int next_value(struct parser *p, int *i, const struct flag *f, const char **value)
{
        if (*i + 1 >= p->argc)
                return hr_error_set(p->err, EINVAL, "option --%s of %s needs a value", f->name,
                                    p->scope_name);
        *value = p->argv[++*i];
        return 0;
}

/* Go's flag package: -name, --name, -name=value, --name value; bools take only =value. */
static int parse_go_option(struct parser *p, int *i)
{
        const char *tok = p->argv[*i];
        const char *name = tok + 1, *eq, *value = NULL;
        const struct flag *f;
        size_t len;
        int r;

        if (*name == '-')
                name++;
        if (*name == '-' || *name == '=' || *name == '\0')
                return hr_error_set(p->err, EINVAL, "bad option syntax: %s", tok);
        eq = strchr(name, '=');
        len = eq ? (size_t)(eq - name) : strlen(name);
        r = find_long(p, name, len, &f);
        if (r < 0)
                return r;
        if (f->arity == A_BOOL) {
                int on = eq ? parse_go_bool(eq + 1) : 1;

                if (on < 0)
                        return hr_error_set(p->err, EINVAL, "invalid boolean value in %s", tok);
                /* --help=false runs the command: it must not count as help. */
                return on ? store(p, f, "") : 0;
        }
        if (eq)
                value = eq + 1;
        else if ((r = next_value(p, i, f, &value)) < 0)
                return r;
        return store(p, f, value);
}

/* GNU argp: --name[=value] (unique prefixes allowed), -x VALUE, -xVALUE, -abc. */
static int parse_argp_option(struct parser *p, int *i)
{
        const char *tok = p->argv[*i], *value = NULL;
        const struct flag *f;
        int r;

        if (tok[1] == '-') {
                const char *name = tok + 2, *eq = strchr(name, '=');
                size_t len = eq ? (size_t)(eq - name) : strlen(name);

                if ((r = find_long(p, name, len, &f)) < 0)
                        return r;
                if (f->arity == A_BOOL) {
                        if (eq)
                                return hr_error_set(p->err, EINVAL,
                                                    "option --%s takes no value: %s", f->name, tok);
                        return store(p, f, "");
                }
                if (eq)
                        return store(p, f, eq + 1);
                if ((r = next_value(p, i, f, &value)) < 0)
                        return r;
                return store(p, f, value);
        }

        for (const char *c = tok + 1; *c; c++) {
                if (!(f = find_short(p, *c)))
                        return hr_error_set(p->err, EINVAL,
                                            "unknown option -%c for %s; refusing to guess "
                                            "whether it takes a value",
                                            *c, p->scope_name);
                if (f->arity == A_BOOL) {
                        if ((r = store(p, f, "")) < 0)
                                return r;
                        continue;
                }
                if (c[1])
                        return store(p, f, c + 1);
                if ((r = next_value(p, i, f, &value)) < 0)
                        return r;
                return store(p, f, value);
        }
        return 0;
}

static bool is_option(const char *tok)
{
        return tok[0] == '-' && tok[1] != '\0';
}

static int parse_option(struct parser *p, int *i)
{
        if (p->flavour == HR_FLAVOUR_CRUN)
                return parse_argp_option(p, i);
        return parse_go_option(p, i);
}

/* Global options; returns the index of the command word (argc when there is none). */
static int parse_globals(struct parser *p, int *index)
{
        int i, r;

        p->scope = C_GLOBAL;
        p->scope_name = "the runtime";
        for (i = 1; i < p->argc; i++) {
                const char *tok = p->argv[i];

                if (strcmp(tok, "--") == 0) {
                        i++;
                        break;
                }
                if (!is_option(tok))
                        break;
                if ((r = parse_option(p, &i)) < 0)
                        return r;
        }
        *index = i;
        return 0;
}

static int parse_command(struct parser *p, int start, const struct command *c)
{
        struct hr_cmdline *o = p->out;
        bool options_done = false;
        int n_positional = 0, r;

        p->scope = c->bit;
        p->scope_name = c->name;
        for (int i = start; i < p->argc; i++) {
                const char *tok = p->argv[i];

                if (!options_done && strcmp(tok, "--") == 0) {
                        options_done = true;
                        continue;
                }
                if (!options_done && is_option(tok)) {
                        if ((r = parse_option(p, &i)) < 0)
                                return r;
                        continue;
                }
                if (n_positional++ == 0)
                        o->id = tok;
                if (c->positional == P_ID_THEN_ARGV) {
                        o->exec_args_index = i + 1 < p->argc ? i + 1 : 0;
                        break;
                }
        }
        /* `create --help` prints help and creates nothing. */
        if (p->help) {
                o->kind = HR_KIND_PASS;
                return 0;
        }
        if (n_positional == 0)
                return hr_error_set(p->err, EINVAL, "%s needs a container id", c->name);
        if (c->positional == P_ONE_ID && n_positional > 1)
                return hr_error_set(p->err, EINVAL,
                                    "%s takes exactly one container id, got %d words; refusing "
                                    "an ambiguous command line",
                                    c->name, n_positional);
        if (o->id[0] == '\0')
                return hr_error_set(p->err, EINVAL, "%s: the container id is empty", c->name);
        return 0;
}

int hr_cli_parse(int argc, char *const argv[], enum hr_flavour flavour, struct hr_cmdline *out,
                 struct hr_error *err)
{
        struct hr_cmdline o = {.kind = HR_KIND_PASS};
        struct parser p = {.argc = argc, .argv = argv, .flavour = flavour, .out = &o, .err = err};
        int i, r;

        if ((r = parse_globals(&p, &i)) < 0)
                goto fail;
        /* --help and --version end the runtime before any command runs. */
        if (p.help || o.kind == HR_KIND_VERSION || i >= argc)
                goto done;
        o.command = argv[i];
        o.command_index = i;
        for (size_t c = 0; c < HR_ARRAY_SIZE(commands); c++) {
                if (strcmp(o.command, commands[c].name) != 0)
                        continue;
                o.kind = commands[c].kind;
                if ((r = parse_command(&p, i + 1, &commands[c])) < 0)
                        goto fail;
                break;
        }
done:
        *out = o;
        return 0;
fail:
        free(o.caps);
        return r;
}

void hr_cmdline_done(struct hr_cmdline *cmd)
{
        free(cmd->caps);
        cmd->caps = NULL;
        cmd->n_caps = 0;
}

void hr_cli_find_log(int argc, char *const argv[], enum hr_flavour flavour, struct hr_cmdline *out)
{
        struct hr_cmdline o = {.log_format = HR_LOG_TEXT};
        struct parser p = {.argc = argc, .argv = argv, .flavour = flavour, .out = &o};
        int i;

        /* Keep what was read before the first word that does not parse. */
        (void)parse_globals(&p, &i);
        out->log = o.log;
        out->log_format = o.log_format;
        out->log_format_raw = o.log_format_raw;
}

int hr_cli_delete(int argc, char *const argv[], const struct hr_cmdline *cmd, const char **id,
                  bool *force)
{
        const char *found = NULL;
        bool forced = false, options_done = false;

        if (!cmd->command || strcmp(cmd->command, "delete") != 0)
                return -EINVAL;
        for (int i = cmd->command_index + 1; i < argc; i++) {
                const char *tok = argv[i], *name;

                if (!options_done && strcmp(tok, "--") == 0) {
                        options_done = true;
                } else if (!options_done && is_option(tok)) {
                        name = tok + (tok[1] == '-' ? 2 : 1);
                        if (strcmp(name, "force") == 0 || strcmp(name, "f") == 0)
                                forced = true;
                        else if (strncmp(name, "force=", 6) == 0 && parse_go_bool(name + 6) >= 0)
                                forced = parse_go_bool(name + 6) == 1;
                        else
                                return -EINVAL;
                } else if (found) {
                        return -EINVAL;
                } else {
                        found = tok;
                }
        }
        if (!found || !*found)
                return -EINVAL;
        *id = found;
        *force = forced;
        return 0;
}
