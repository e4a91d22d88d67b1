/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hardrun check: what create would do to a config, without doing it.  The
 * config is read, the policy resolved for it and the knobs run exactly as
 * create runs them (hr_command_load()); then, instead of a decision, the
 * report is printed.  Nothing is written, no audit record is made, and no
 * runtime is asked anything.
 */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "command.h"
#include "hr-cleanup.h"
#include "own.h"
#include "seccomp-oci.h"

/* ---- the warning about syscall names ------------------------------------------------ */

/* The names in config's linux.seccomp that this libseccomp does not know. */
static int unknown_syscalls(const struct hr_json *config, struct hr_strv *out)
{
        const struct hr_json *sc = hr_json_get(hr_json_get(config, "linux"), "seccomp");
        struct hr_strv names = {0};
        struct hr_sc parsed;
        int r = 0;

        *out = names;
        /* A profile hardening left alone and libseccomp cannot read is the runtime's to refuse. */
        if (!sc || sc->type != HR_JSON_OBJECT ||
            hr_sc_parse(sc, "linux.seccomp", &parsed, NULL) < 0)
                return 0;
        if (!(names.v = calloc(parsed.n_groups + 1, sizeof(*names.v))))
                r = -ENOMEM;
        for (size_t i = 0; r == 0 && i < parsed.n_groups; i++) {
                if (hr_sc_name_known(&parsed, parsed.groups[i].name))
                        continue;
                if (!(names.v[names.n] = strdup(parsed.groups[i].name)))
                        r = -ENOMEM;
                else
                        names.n++;
        }
        hr_sc_done(&parsed);
        if (r < 0) {
                hr_strv_done(&names);
                return r;
        }
        *out = names;
        return 0;
}

static char *unknown_message(const struct hr_check_result *res)
{
        _cleanup_free_ char *list = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&list, &len);
        char *msg;

        if (!f)
                return NULL;
        for (size_t i = 0; i < res->n_unknown_syscalls; i++)
                fprintf(f, "%s%s", i ? ", " : "", res->unknown_syscalls[i]);
        if (fclose(f) != 0 ||
            asprintf(&msg,
                     "libseccomp %s does not know %zu syscall%s the profile names: %s; they are "
                     "kept, since the runtime's libseccomp may know them",
                     res->libseccomp, res->n_unknown_syscalls,
                     res->n_unknown_syscalls == 1 ? "" : "s", list) < 0)
                return NULL;
        return msg;
}

/* ---- text ------------------------------------------------------------------------- */

struct palette {
        const char *bad, *fix, *good, *note, *off;
};

static const struct palette plain = {"", "", "", "", ""};
static const struct palette ansi = {"\033[1;31m", "\033[1;33m", "\033[1;32m", "\033[1;35m",
                                    "\033[0m"};

static const char *plural(size_t n)
{
        return n == 1 ? "" : "s";
}

static void write_summary(FILE *out, const struct hr_check_result *res, const struct palette *c)
{
        const struct hr_report *rep = res->report;
        const char *what =
            strcmp(res->decision, "refused") == 0   ? "create would refuse the container"
            : strcmp(res->decision, "audited") == 0 ? "create would only record this"
                                                    : "create would rewrite the config";

        if (strcmp(res->decision, "compliant") == 0) {
                fprintf(out, "%scompliant%s: nothing to change or refuse\n", c->good, c->off);
                return;
        }
        fprintf(out, "%snot compliant%s: ", strcmp(res->decision, "refused") == 0 ? c->bad : c->fix,
                c->off);
        if (rep->n_violations)
                fprintf(out, "%zu violation%s%s", rep->n_violations, plural(rep->n_violations),
                        rep->n_changes ? ", " : "");
        if (rep->n_changes)
                fprintf(out, "%zu change%s", rep->n_changes, plural(rep->n_changes));
        fprintf(out, "; %s (mode %s)\n", what, hr_mode_name(res->policy->mode));
}

int hr_check_write_text(FILE *out, const struct hr_check_result *res, bool colour)
{
        const struct palette *c = colour ? &ansi : &plain;
        const struct hr_report *rep = res->report;
        const struct hr_policy *p = res->policy;

        fprintf(out, "config: %s\npolicy: %s (level %s, mode %s", res->config, p->source, p->level,
                hr_mode_name(p->mode));
        if (p->rule)
                fprintf(out, ", rule \"%s\"", p->rule);
        fputs(")\n", out);
        if (rep->n_violations)
                fprintf(out, "\n%sviolations%s (enforce refuses the container for each):\n", c->bad,
                        c->off);
        for (size_t i = 0; i < rep->n_violations; i++) {
                const struct hr_violation *v = &rep->violations[i];

                fprintf(out, "  [%s] %s: %s\n", v->knob, v->path, v->message);
        }
        if (rep->n_changes)
                fprintf(out, "\n%schanges%s (enforce rewrites these):\n", c->fix, c->off);
        for (size_t i = 0; i < rep->n_changes; i++) {
                const struct hr_change *ch = &rep->changes[i];

                fprintf(out, "  [%s] %s\n      before: %s\n      after:  %s\n", ch->knob, ch->path,
                        ch->before ? ch->before : "(absent)", ch->after ? ch->after : "(removed)");
        }
        if (res->n_unknown_syscalls) {
                _cleanup_free_ char *msg = unknown_message(res);

                if (!msg)
                        return -ENOMEM;
                fprintf(out, "\n%swarnings%s:\n  [seccomp] linux.seccomp: %s\n", c->note, c->off,
                        msg);
        }
        fputc('\n', out);
        write_summary(out, res, c);
        return ferror(out) ? -EIO : 0;
}

/* ---- JSON --------------------------------------------------------------------------- */

static int add_warnings(struct hr_json *o, const struct hr_check_result *res)
{
        _cleanup_free_ char *msg = NULL;
        struct hr_json *list = hr_json_new_array(), *w, *names;

        if (hr_json_set(o, "warnings", list) < 0)
                return -ENOMEM;
        if (res->n_unknown_syscalls == 0)
                return 0;
        if (!(msg = unknown_message(res)) || hr_json_append(list, w = hr_json_new_object()) < 0 ||
            hr_json_set(w, "knob", hr_json_new_string("seccomp")) < 0 ||
            hr_json_set(w, "path", hr_json_new_string("linux.seccomp")) < 0 ||
            hr_json_set(w, "message", hr_json_new_string(msg)) < 0 ||
            hr_json_set(w, "syscalls", names = hr_json_new_array()) < 0)
                return -ENOMEM;
        for (size_t i = 0; i < res->n_unknown_syscalls; i++)
                if (hr_json_append(names, hr_json_new_string(res->unknown_syscalls[i])) < 0)
                        return -ENOMEM;
        return 0;
}

int hr_check_to_json(const struct hr_check_result *res, struct hr_json **out, struct hr_error *err)
{
        const struct hr_policy *p = res->policy;
        _cleanup_json_ struct hr_json *o = hr_json_new_object(), *body = NULL;
        int r;

        if (hr_json_set(o, "config", hr_json_new_string(res->config)) < 0 ||
            hr_json_set(o, "policy", hr_json_new_string(p->source)) < 0 ||
            hr_json_set(o, "level", hr_json_new_string(p->level)) < 0 ||
            hr_json_set(o, "mode", hr_json_new_string(hr_mode_name(p->mode))) < 0 ||
            hr_json_set(o, "rule", p->rule ? hr_json_new_string(p->rule) : hr_json_new_null()) <
                0 ||
            hr_json_set(o, "decision", hr_json_new_string(res->decision)) < 0 ||
            hr_json_set(o, "compliant", hr_json_new_bool(strcmp(res->decision, "compliant") == 0)) <
                0)
                return hr_error_set(err, ENOMEM, "out of memory");
        if ((r = hr_report_to_json(res->report, &body, err)) < 0)
                return r;
        /* The report's changes and violations, moved over in their order. */
        for (size_t i = 0; i < body->u.obj.len; i++)
                if (hr_json_set(o, body->u.obj.members[i].key,
                                TAKE_PTR(body->u.obj.members[i].value)) < 0)
                        return hr_error_set(err, ENOMEM, "out of memory");
        if (add_warnings(o, res) < 0)
                return hr_error_set(err, ENOMEM, "out of memory");
        *out = TAKE_PTR(o);
        return 0;
}

/* ---- the command -------------------------------------------------------------------- */

static bool want_colour(void)
{
        const char *no = getenv("NO_COLOR"), *term = getenv("TERM");

        return isatty(STDOUT_FILENO) && !(no && *no) && !(term && strcmp(term, "dumb") == 0);
}

static int render(const struct hr_own_cmdline *cmd, const struct hr_check_result *res,
                  struct hr_error *err)
{
        _cleanup_json_ struct hr_json *json = NULL;
        _cleanup_free_ char *text = NULL;
        size_t len = 0;
        FILE *f;
        int r;

        if (cmd->format == HR_FORMAT_JSON) {
                if ((r = hr_check_to_json(res, &json, err)) < 0)
                        return r;
                return hr_own_print_json(json, err);
        }
        if (!(f = open_memstream(&text, &len)))
                return hr_error_errno(err, errno, "out of memory");
        r = hr_check_write_text(f, res, want_colour());
        if (fclose(f) != 0 || r < 0)
                return hr_error_set(err, ENOMEM, "out of memory");
        return hr_own_print(text, len, err);
}

/* The directory of a config file: what rules match the bundle against. */
static char *dir_of(const char *file)
{
        const char *slash = strrchr(file, '/');

        if (!slash)
                return strdup(".");
        return slash == file ? strdup("/") : strndup(file, (size_t)(slash - file));
}

static int check_loaded(const struct hr_own_cmdline *cmd, const struct hr_hardening *h,
                        struct hr_error *err)
{
        const struct scmp_version *v = seccomp_version();
        struct hr_check_result res = {.config = h->file.display,
                                      .policy = &h->policy,
                                      .report = &h->report,
                                      .decision = hr_command_outcome(&h->policy, &h->report, true)};
        struct hr_strv unknown;
        char version[48];
        int r;

        if (unknown_syscalls(h->config, &unknown) < 0)
                return hr_error_set(err, ENOMEM, "out of memory");
        snprintf(version, sizeof(version), "%u.%u.%u", v ? v->major : 0, v ? v->minor : 0,
                 v ? v->micro : 0);
        res.unknown_syscalls = unknown.v;
        res.n_unknown_syscalls = unknown.n;
        res.libseccomp = version;
        r = render(cmd, &res, err);
        hr_strv_done(&unknown);
        if (r < 0)
                return r;
        return strcmp(res.decision, "compliant") == 0 ? HR_EXIT_OK : HR_EXIT_NOT_COMPLIANT;
}

int hr_own_check(const struct hr_own_cmdline *cmd, struct hr_error *err)
{
        struct hr_policy_file pf = {0};
        struct hr_hardening h = HR_HARDENING_INIT;
        _cleanup_free_ char *dir = NULL;
        int r;

        if (cmd->file && !(dir = dir_of(cmd->file)))
                return hr_error_set(err, ENOMEM, "out of memory");
        if ((r = hr_own_policy_file(cmd, &pf, err)) < 0)
                return hr_error_prefix(err, "cannot check");
        r = hr_command_load(&(struct hr_harden_job){.id = cmd->id,
                                                    .bundle = cmd->file ? dir : cmd->bundle,
                                                    .config = cmd->file,
                                                    .policy_file = &pf,
                                                    .cannot = "cannot check",
                                                    .refusing = "cannot check"},
                            &h, err);
        if (r == 0)
                r = check_loaded(cmd, &h, err);
        hr_hardening_done(&h);
        hr_policy_file_done(&pf);
        return r;
}
