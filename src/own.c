/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errlog.h"
#include "hr-cleanup.h"
#include "own.h"
#include "util.h"

enum {
        K_CHECK = 1u << HR_OWN_CHECK,
        K_POLICY = 1u << HR_OWN_POLICY,
};

enum own_flag {
        O_BUNDLE,
        O_ID,
        O_FORMAT,
        O_POLICY,
        O_EXPLAIN,
        O_HELP,
};

/* Each takes --name VALUE, --name=VALUE and, with a short name, -x VALUE. */
static const struct own_option {
        const char *name;
        char short_name;
        bool value;
        unsigned commands;
        enum own_flag id;
} options[] = {
    {"bundle", 'b', true, K_CHECK, O_BUNDLE},
    {"id", 0, true, K_CHECK, O_ID},
    {"format", 0, true, K_CHECK | K_POLICY, O_FORMAT},
    {"policy", 0, true, K_CHECK | K_POLICY, O_POLICY},
    {"explain", 0, false, K_POLICY, O_EXPLAIN},
    {"help", 'h', false, K_CHECK | K_POLICY, O_HELP},
};

static const struct own_command {
        const char *name;
        enum hr_own_kind kind;
        const char *usage;
} commands[] = {
    {"check", HR_OWN_CHECK,
     "hardrun check [--bundle DIR | FILE] [--id ID] [--format text|json] [--policy FILE]"},
    {"policy", HR_OWN_POLICY, "hardrun policy [--explain] [--format text|json] [--policy FILE]"},
};

static const struct own_command *find_command(const char *word)
{
        for (size_t i = 0; word && i < HR_ARRAY_SIZE(commands); i++)
                if (strcmp(commands[i].name, word) == 0)
                        return &commands[i];
        return NULL;
}

bool hr_own_is_command(int argc, char *const argv[])
{
        return argc >= 2 && find_command(argv[1]) != NULL;
}

static const struct own_option *find_option(const char *tok, size_t len, unsigned kind)
{
        for (size_t i = 0; i < HR_ARRAY_SIZE(options); i++) {
                const struct own_option *o = &options[i];

                if (!(o->commands & kind))
                        continue;
                if (tok[1] == '-'
                        ? strlen(o->name) == len - 2 && strncmp(tok + 2, o->name, len - 2) == 0
                        : len == 2 && o->short_name && tok[1] == o->short_name)
                        return o;
        }
        return NULL;
}

static int store(struct hr_own_cmdline *c, const struct own_option *o, const char *value,
                 struct hr_error *err)
{
        const char **slot = o->id == O_BUNDLE   ? &c->bundle
                            : o->id == O_ID     ? &c->id
                            : o->id == O_POLICY ? &c->policy
                                                : NULL;

        if (o->id == O_EXPLAIN)
                c->explain = true;
        else if (o->id == O_HELP)
                c->help = true;
        else if (value[0] == '\0')
                return hr_error_set(err, EINVAL, "option --%s has an empty value", o->name);
        if (o->id == O_FORMAT) {
                if (c->format_set)
                        return hr_error_set(err, EINVAL, "option --format given more than once");
                if (strcmp(value, "text") != 0 && strcmp(value, "json") != 0)
                        return hr_error_set(
                            err, EINVAL, "option --format takes text or json, not \"%s\"", value);
                c->format = value[0] == 'j' ? HR_FORMAT_JSON : HR_FORMAT_TEXT;
                c->format_set = true;
        }
        if (slot && *slot)
                return hr_error_set(err, EINVAL, "option --%s given more than once", o->name);
        if (slot)
                *slot = value;
        return 0;
}

/* One option at argv[*i]; its value may be the next word. */
static int parse_option(int argc, char *const argv[], int *i, struct hr_own_cmdline *c,
                        struct hr_error *err)
{
        const char *tok = argv[*i], *eq = tok[1] == '-' ? strchr(tok, '=') : NULL;
        size_t len = eq ? (size_t)(eq - tok) : strlen(tok);
        const struct own_option *o = find_option(tok, len, 1u << c->kind);

        if (!o)
                return hr_error_set(err, EINVAL, "unknown option %.*s", (int)len, tok);
        if (!o->value) {
                if (eq)
                        return hr_error_set(err, EINVAL, "option --%s takes no value", o->name);
                return store(c, o, NULL, err);
        }
        if (eq)
                return store(c, o, eq + 1, err);
        if (*i + 1 >= argc)
                return hr_error_set(err, EINVAL, "option --%s needs a value", o->name);
        return store(c, o, argv[++*i], err);
}

static int parse_words(int argc, char *const argv[], struct hr_own_cmdline *c, struct hr_error *err)
{
        bool options_done = false;
        int r;

        for (int i = 2; i < argc; i++) {
                const char *tok = argv[i];

                if (!options_done && strcmp(tok, "--") == 0) {
                        options_done = true;
                } else if (!options_done && tok[0] == '-' && tok[1] != '\0') {
                        if ((r = parse_option(argc, argv, &i, c, err)) < 0)
                                return r;
                } else if (c->kind != HR_OWN_CHECK) {
                        return hr_error_set(err, EINVAL, "unexpected argument \"%s\"", tok);
                } else if (c->file) {
                        return hr_error_set(err, EINVAL,
                                            "one config file at a time, not \"%s\" too", tok);
                } else if (tok[0] == '\0') {
                        return hr_error_set(err, EINVAL, "the config file name is empty");
                } else {
                        c->file = tok;
                }
        }
        if (c->file && c->bundle)
                return hr_error_set(err, EINVAL, "give --bundle DIR or a config FILE, not both");
        return 0;
}

int hr_own_parse(int argc, char *const argv[], struct hr_own_cmdline *out, struct hr_error *err)
{
        const struct own_command *cmd = argc >= 2 ? find_command(argv[1]) : NULL;
        struct hr_own_cmdline c = {0};
        int r;

        if (!cmd)
                return hr_error_set(err, EINVAL, "not one of hardrun's own commands");
        c.kind = cmd->kind;
        c.format = cmd->kind == HR_OWN_POLICY ? HR_FORMAT_JSON : HR_FORMAT_TEXT;
        if ((r = parse_words(argc, argv, &c, err)) < 0) {
                char msg[HR_ERROR_MSG_MAX];

                snprintf(msg, sizeof(msg), "%s", err->msg);
                return hr_error_set(err, -r, "%s: %s; usage: %s", cmd->name, msg, cmd->usage);
        }
        *out = c;
        return 0;
}

int hr_own_policy_file(const struct hr_own_cmdline *cmd, struct hr_policy_file *out,
                       struct hr_error *err)
{
        if (cmd->policy)
                return hr_policy_file_load(cmd->policy, out, err);
        return hr_policy_file_read(out, err);
}

int hr_own_print(const char *text, size_t len, struct hr_error *err)
{
        int r = hr_write_all(STDOUT_FILENO, text, len);

        return r < 0 ? hr_error_errno(err, -r, "writing to standard output") : 0;
}

int hr_own_print_json(const struct hr_json *json, struct hr_error *err)
{
        _cleanup_free_ char *text = NULL;
        size_t len = 0;
        int r;

        if ((r = hr_json_write(json, HR_JSON_PRETTY, &text, &len, err)) < 0)
                return r;
        text[len++] = '\n'; /* over the terminating NUL */
        return hr_own_print(text, len, err);
}

static int usage(const struct own_command *cmd)
{
        _cleanup_free_ char *text = NULL;
        int n = asprintf(&text,
                         "usage: %s\n"
                         "Exit status: %s2 on a usage error or a failure. See hardrun(8).\n",
                         cmd->usage,
                         cmd->kind == HR_OWN_CHECK
                             ? "0 when the config is compliant, 1 when hardrun would change or "
                               "refuse it,\n"
                             : "0 when the policy resolves, ");

        if (n < 0 || hr_write_all(STDOUT_FILENO, text, (size_t)n) < 0)
                return HR_EXIT_ERROR;
        return HR_EXIT_OK;
}

int hr_own_main(int argc, char *argv[])
{
        struct hr_own_cmdline cmd;
        struct hr_error err = {0};
        int r;

        if (hr_own_parse(argc, argv, &cmd, &err) < 0) {
                hr_errlog(NULL, err.msg);
                return HR_EXIT_ERROR;
        }
        if (cmd.help)
                return usage(find_command(argv[1]));
        r = cmd.kind == HR_OWN_CHECK ? hr_own_check(&cmd, &err) : hr_own_policy(&cmd, &err);
        if (r < 0) {
                hr_errlog(NULL, err.msg);
                return HR_EXIT_ERROR;
        }
        return r;
}
