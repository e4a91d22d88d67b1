/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hardrun's own commands: the command line, what check prints for a report
 * (text and JSON), and check and policy run in-process with stdout and
 * stderr caught: exit status, no write, the syscall name warning.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"
#include "command.h"
#include "hr-cleanup.h"
#include "own.h"
#include "tap.h"

static char dir[] = "/tmp/hardrun-test-own-XXXXXX";

/* ---- the command line --------------------------------------------------------------- */

static const struct parse_case {
        const char *argv[8];
        bool good;
        enum hr_own_kind kind;
        enum hr_format format;
        const char *file, *bundle, *policy, *id;
        bool explain, help;
} parse_cases[] = {
    {{"hardrun", "check"}, true, HR_OWN_CHECK, HR_FORMAT_TEXT},
    {{"hardrun", "check", "c.json"}, true, HR_OWN_CHECK, HR_FORMAT_TEXT, "c.json"},
    {{"hardrun", "check", "--bundle", "b"}, true, HR_OWN_CHECK, HR_FORMAT_TEXT, NULL, "b"},
    {{"hardrun", "check", "-b", "b", "--format=json"},
     true,
     HR_OWN_CHECK,
     HR_FORMAT_JSON,
     NULL,
     "b"},
    {{"hardrun", "check", "--bundle=b", "--id", "x", "--policy", "p"},
     true,
     HR_OWN_CHECK,
     HR_FORMAT_TEXT,
     NULL,
     "b",
     "p",
     "x"},
    {{"hardrun", "check", "--", "-odd.json"}, true, HR_OWN_CHECK, HR_FORMAT_TEXT, "-odd.json"},
    {{"hardrun", "check", "-h"}, true, HR_OWN_CHECK, HR_FORMAT_TEXT, .help = true},
    {{"hardrun", "policy"}, true, HR_OWN_POLICY, HR_FORMAT_JSON},
    {{"hardrun", "policy", "--explain", "--format", "text"},
     true,
     HR_OWN_POLICY,
     HR_FORMAT_TEXT,
     .explain = true},
    {{"hardrun", "policy", "--policy=p"}, true, HR_OWN_POLICY, HR_FORMAT_JSON, .policy = "p"},
    /* refused */
    {{"hardrun", "check", "a.json", "b.json"}},
    {{"hardrun", "check", "--bundle", "b", "c.json"}},
    {{"hardrun", "check", "--bundle"}},
    {{"hardrun", "check", "--bundle", "a", "--bundle", "b"}},
    {{"hardrun", "check", "--bundle="}},
    {{"hardrun", "check", "--format", "yaml"}},
    {{"hardrun", "check", "--format", "json", "--format", "json"}},
    {{"hardrun", "check", "--explain"}},
    {{"hardrun", "check", "--root", "/r"}},
    {{"hardrun", "check", "-bb"}},
    {{"hardrun", "check", ""}},
    {{"hardrun", "policy", "x"}},
    {{"hardrun", "policy", "--explain=yes"}},
    {{"hardrun", "policy", "--bundle", "b"}},
    {{"hardrun", "create"}},
};

static void test_parse(void)
{
        for (size_t i = 0; i < HR_ARRAY_SIZE(parse_cases); i++) {
                const struct parse_case *c = &parse_cases[i];
                struct hr_own_cmdline got;
                struct hr_error err = {0};
                char line[256] = "";
                int argc = 0, r;

                while (c->argv[argc])
                        snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s%s",
                                 argc ? " " : "", c->argv[argc]),
                            argc++;
                r = hr_own_parse(argc, (char *const *)c->argv, &got, &err);
                if (!c->good) {
                        ok(r < 0 &&
                               (strstr(err.msg, "usage: ") || strcmp(c->argv[1], "create") == 0),
                           "refused: %s (%s)", line, err.msg);
                        continue;
                }
                if (!ok(r == 0, "parses: %s (%s)", line, err.msg))
                        continue;
                ok(got.kind == c->kind && got.format == c->format && got.explain == c->explain &&
                       got.help == c->help,
                   "%s: command, format and flags", line);
                is_str(got.file, c->file, "%s: file", line);
                is_str(got.bundle, c->bundle, "%s: bundle", line);
                is_str(got.policy, c->policy, "%s: policy", line);
                is_str(got.id, c->id, "%s: id", line);
        }
}

static void test_is_command(void)
{
        char *check[] = {"hardrun", "check", NULL}, *policy[] = {"hardrun-runc", "policy", NULL};
        char *create[] = {"hardrun", "create", "x", NULL}, *root[] = {"hardrun", "--root", "check"};
        char *alone[] = {"hardrun", NULL};

        ok(hr_own_is_command(2, check), "check is hardrun's own");
        ok(hr_own_is_command(2, policy), "policy is hardrun's own, whatever argv[0]");
        ok(!hr_own_is_command(3, create), "create is the runtime's");
        ok(!hr_own_is_command(3, root), "after a global option, check goes to the runtime");
        ok(!hr_own_is_command(1, alone), "no command");
}

/* ---- what create would do ----------------------------------------------------------- */

static void test_outcome(void)
{
        static const struct {
                enum hr_mode mode;
                size_t changes, violations;
                bool can_write;
                const char *want;
        } cases[] = {
            {HR_MODE_ENFORCE, 0, 0, true, "compliant"}, {HR_MODE_REFUSE, 0, 0, true, "compliant"},
            {HR_MODE_AUDIT, 0, 0, true, "compliant"},   {HR_MODE_ENFORCE, 2, 0, true, "changed"},
            {HR_MODE_ENFORCE, 2, 0, false, "refused"},  {HR_MODE_ENFORCE, 0, 1, true, "refused"},
            {HR_MODE_REFUSE, 2, 0, true, "refused"},    {HR_MODE_AUDIT, 2, 1, true, "audited"},
        };

        for (size_t i = 0; i < HR_ARRAY_SIZE(cases); i++) {
                struct hr_policy p = {.mode = cases[i].mode};
                struct hr_report r = {.n_changes = cases[i].changes,
                                      .n_violations = cases[i].violations};

                is_str(hr_command_outcome(&p, &r, cases[i].can_write), cases[i].want,
                       "mode %s, %zu changes, %zu violations%s", hr_mode_name(cases[i].mode),
                       cases[i].changes, cases[i].violations,
                       cases[i].can_write ? "" : ", nothing to write");
        }
}

/* ---- rendering a report ----------------------------------------------------------- */

static struct hr_json *parse(const char *text)
{
        struct hr_json *j = NULL;

        if (hr_json_parse(text, strlen(text), 0, &j, NULL) < 0)
                abort();
        return j;
}

static char *text_of(const struct hr_check_result *res, bool colour)
{
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);

        if (!f || hr_check_write_text(f, res, colour) < 0 || fclose(f) != 0)
                abort();
        return text;
}

static void test_render(void)
{
        struct hr_policy p = {
            .source = "/etc/hardrun/policy.json", .level = "restricted", .rule = "web"};
        struct hr_report rep = {0};
        _cleanup_json_ struct hr_json *before = parse("false"), *after = parse("true"),
                                      *json = NULL;
        char *unknown[] = {"no_such_call"};
        struct hr_check_result res = {
            .config = "b/config.json", .policy = &p, .report = &rep, .libseccomp = "2.5.4"};
        _cleanup_free_ char *plain = NULL, *colour = NULL, *jtext = NULL;
        size_t len;
        static const char want[] =
            "config: b/config.json\n"
            "policy: /etc/hardrun/policy.json (level restricted, mode enforce, rule \"web\")\n"
            "\n"
            "violations (enforce refuses the container for each):\n"
            "  [devices] linux.devices[0]: /dev/sda is not allowed\n"
            "\n"
            "changes (enforce rewrites these):\n"
            "  [no_new_privileges] process.noNewPrivileges\n"
            "      before: false\n"
            "      after:  true\n"
            "  [annotations] annotations.bundle\n"
            "      before: (absent)\n"
            "      after:  (removed)\n"
            "\n"
            "warnings:\n"
            "  [seccomp] linux.seccomp: libseccomp 2.5.4 does not know 1 syscall the profile "
            "names: no_such_call; they are kept, since the runtime's libseccomp may know them\n"
            "\n"
            "not compliant: 1 violation, 2 changes; create would refuse the container (mode "
            "enforce)\n";

        res.decision = "compliant";
        plain = text_of(&res, false);
        ok(strstr(plain, "\ncompliant: nothing to change or refuse\n") != NULL,
           "an empty report is compliant");
        free(TAKE_PTR(plain));
        if (hr_report_change(&rep, "no_new_privileges", "process.noNewPrivileges", before, after,
                             NULL) < 0 ||
            hr_report_change(&rep, "annotations", "annotations.bundle", NULL, NULL, NULL) < 0 ||
            hr_report_violation(&rep, NULL, "devices", "linux.devices[0]", "%s is not allowed",
                                "/dev/sda") < 0)
                abort();
        res.decision = hr_command_outcome(&p, &rep, true);
        res.unknown_syscalls = unknown;
        res.n_unknown_syscalls = 1;
        plain = text_of(&res, false);
        is_str(plain, want, "the text of a report");
        ok(!strchr(plain, '\033'), "no colour unless asked");
        colour = text_of(&res, true);
        ok(strstr(colour, "\033[1;31mviolations\033[0m") &&
               strstr(colour, "\033[1;31mnot compliant"),
           "colour: violations and the verdict in red");
        if (ok(hr_check_to_json(&res, &json, NULL) == 0, "the JSON form") &&
            hr_json_write(json, 0, &jtext, &len, NULL) == 0)
                is_str(jtext,
                       "{\"config\":\"b/config.json\",\"policy\":\"/etc/hardrun/policy.json\","
                       "\"level\":\"restricted\",\"mode\":\"enforce\",\"rule\":\"web\","
                       "\"decision\":\"refused\",\"compliant\":false,"
                       "\"changes\":[{\"knob\":\"no_new_privileges\",\"path\":"
                       "\"process.noNewPrivileges\",\"before\":false,\"after\":true},"
                       "{\"knob\":\"annotations\",\"path\":\"annotations.bundle\"}],"
                       "\"violations\":[{\"knob\":\"devices\",\"path\":\"linux.devices[0]\","
                       "\"message\":\"/dev/sda is not allowed\"}],"
                       "\"warnings\":[{\"knob\":\"seccomp\",\"path\":\"linux.seccomp\","
                       "\"message\":\"libseccomp 2.5.4 does not know 1 syscall the profile names: "
                       "no_such_call; they are kept, since the runtime's libseccomp may know "
                       "them\",\"syscalls\":[\"no_such_call\"]}]}",
                       "the JSON text of a report");
        p.mode = HR_MODE_AUDIT;
        res.decision = hr_command_outcome(&p, &rep, true);
        free(TAKE_PTR(plain));
        plain = text_of(&res, false);
        ok(strstr(plain, "create would only record this (mode audit)\n") != NULL,
           "audit mode: create records only");
        hr_report_done(&rep);
}

/* ---- in-process runs ------------------------------------------------------------------ */

struct run {
        int status;
        char *out, *err;
};

static char *slurp(const char *path)
{
        struct hr_file f = HR_FILE_INIT;
        char *data;

        if (hr_file_read(path, true, 1u << 24, &f, NULL) < 0)
                abort();
        data = TAKE_PTR(f.data);
        hr_file_done(&f);
        return data;
}

/* Run hardrun's own command with stdout and stderr caught in files. */
static void run_own(struct run *r, const char *const *args)
{
        char out[256], err[256];
        int argc = 0, saved_out, saved_err, fo, fe;

        while (args[argc])
                argc++;
        snprintf(out, sizeof(out), "%s/stdout", dir);
        snprintf(err, sizeof(err), "%s/stderr", dir);
        fflush(stdout);
        fo = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        fe = open(err, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        saved_out = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
        saved_err = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
        if (fo < 0 || fe < 0 || saved_out < 0 || saved_err < 0 || dup2(fo, STDOUT_FILENO) < 0 ||
            dup2(fe, STDERR_FILENO) < 0)
                abort();
        r->status = hr_own_main(argc, (char **)args);
        if (dup2(saved_out, STDOUT_FILENO) < 0 || dup2(saved_err, STDERR_FILENO) < 0)
                abort();
        close(saved_out);
        close(saved_err);
        close(fo);
        close(fe);
        r->out = slurp(out);
        r->err = slurp(err);
        r->err[strcspn(r->err, "\n")] = '\0'; /* one line is all there may be */
}

static void run_done(struct run *r)
{
        free(r->out);
        free(r->err);
}

static void write_file(const char *path, const char *text)
{
        FILE *f = fopen(path, "we");

        if (!f || fputs(text, f) < 0 || fclose(f) != 0)
                abort();
}

/*
 * Harden src under policy in memory and write the result to dst, as create
 * would; seccomp (JSON text, or NULL) then replaces linux.seccomp.
 */
static void harden_to(const char *src, const char *policy, const char *dst, const char *seccomp)
{
        struct hr_policy_file pf = {0};
        struct hr_hardening h = HR_HARDENING_INIT;
        _cleanup_free_ char *text = NULL;
        struct hr_error err = {0};
        size_t len;

        if (hr_policy_file_load(policy, &pf, &err) < 0 ||
            hr_command_load(
                &(struct hr_harden_job){
                    .config = src, .policy_file = &pf, .cannot = "test", .refusing = "test"},
                &h, &err) < 0 ||
            (seccomp &&
             hr_json_set(hr_json_get(h.config, "linux"), "seccomp", parse(seccomp)) < 0) ||
            hr_json_write(h.config, HR_JSON_PRETTY, &text, &len, &err) < 0) {
                printf("# %s\n", err.msg);
                abort();
        }
        write_file(dst, text);
        hr_hardening_done(&h);
        hr_policy_file_done(&pf);
}

static void test_check_runs(void)
{
        char policy[256], config[256], nosc[256];
        struct stat before, after;
        struct run r;

        snprintf(policy, sizeof(policy), "%s/policy.json", dir);
        snprintf(nosc, sizeof(nosc), "%s/no-seccomp.json", dir);
        snprintf(config, sizeof(config), "%s/config.json", dir);
        write_file(policy, "{}");
        write_file(nosc, "{\"seccomp\": false}");

        run_own(&r, (const char *[]){"hardrun", "check", "--policy", policy,
                                     HR_TEST_DATA "/runc-spec.json", NULL});
        is_int(r.status, HR_EXIT_NOT_COMPLIANT, "runc spec's config is not compliant");
        ok(strstr(r.out, "not compliant: ") && r.err[0] == '\0', "the verdict on stdout only");
        run_done(&r);

        harden_to(HR_TEST_DATA "/runc-spec.json", policy, config, NULL);
        if (stat(config, &before) < 0)
                abort();
        run_own(&r, (const char *[]){"hardrun", "check", "--policy", policy, "--format", "json",
                                     "--bundle", dir, NULL});
        is_int(r.status, HR_EXIT_OK, "a hardened config is compliant (%s)", r.err);
        ok(strstr(r.out, "\"compliant\": true") != NULL, "JSON says so");
        run_done(&r);
        if (stat(config, &after) < 0)
                abort();
        ok(before.st_ino == after.st_ino && before.st_mtim.tv_sec == after.st_mtim.tv_sec &&
               before.st_mtim.tv_nsec == after.st_mtim.tv_nsec,
           "check does not write the config");

        /* A name this libseccomp does not know, in a profile the policy leaves alone. */
        harden_to(HR_TEST_DATA "/runc-spec.json", nosc, config,
                  "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\", "
                  "\"hardrun_no_such_call\"], \"action\": \"SCMP_ACT_ALLOW\"}]}");
        run_own(&r, (const char *[]){"hardrun", "check", "--policy", nosc, config, NULL});
        is_int(r.status, HR_EXIT_OK, "a warning alone leaves the config compliant (%s)", r.err);
        ok(strstr(r.out, "does not know 1 syscall the profile names: hardrun_no_such_call;") !=
               NULL,
           "the unknown syscall name is named, and read is not");
        run_done(&r);

        run_own(&r, (const char *[]){"hardrun", "check", "--policy", policy, "no/such.json", NULL});
        is_int(r.status, HR_EXIT_ERROR, "a missing config is an error");
        ok(r.out[0] == '\0' &&
               strncmp(r.err, "hardrun: cannot check: opening directory no: ", 45) == 0,
           "said on stderr: %s", r.err);
        run_done(&r);

        run_own(&r, (const char *[]){"hardrun", "check", "--frobnicate", NULL});
        is_int(r.status, HR_EXIT_ERROR, "an unknown option is a usage error");
        run_done(&r);
}

static void test_policy_runs(void)
{
        char policy[256];
        struct run r;

        snprintf(policy, sizeof(policy), "%s/policy.json", dir);
        write_file(policy, "{\n\"mode\": \"audit\"\n}\n");
        run_own(&r, (const char *[]){"hardrun", "policy", "--policy", policy, NULL});
        is_int(r.status, HR_EXIT_OK, "policy prints the policy (%s)", r.err);
        {
                struct hr_json *doc = NULL;

                ok(hr_json_parse(r.out, strlen(r.out), 0, &doc, NULL) == 0 &&
                       strcmp(hr_json_string(hr_json_get(doc, "mode")), "audit") == 0,
                   "as JSON, with the file's mode");
                hr_json_free(doc);
        }
        run_done(&r);
        run_own(&r, (const char *[]){"hardrun", "policy", "--policy", policy, "--explain",
                                     "--format", "text", NULL});
        ok(r.status == 0 && strstr(r.out, "mode: \"audit\"\n    from ") &&
               strstr(r.out, "policy.json line 2\n"),
           "--explain names the file and line");
        run_done(&r);
        write_file(policy, "{\"mode\": \"lenient\"}");
        run_own(&r, (const char *[]){"hardrun", "policy", "--policy", policy, NULL});
        ok(r.status == HR_EXIT_ERROR && r.out[0] == '\0' && strstr(r.err, "mode must be"),
           "a broken policy is an error: %s", r.err);
        run_done(&r);
}

int main(void)
{
        static const char *const files[] = {"policy.json", "no-seccomp.json", "config.json",
                                            "stdout", "stderr"};
        char path[256];

        if (!mkdtemp(dir))
                return 1;
        test_parse();
        test_is_command();
        test_outcome();
        test_render();
        test_check_runs();
        test_policy_runs();
        for (size_t i = 0; i < HR_ARRAY_SIZE(files); i++) {
                snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
                unlink(path);
        }
        rmdir(dir);
        return tap_done();
}
