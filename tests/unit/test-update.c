/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * update (update.c) against a stand-in runtime that answers `state` with
 * the bundle of a test directory: which updates of the capped limits are
 * let through, what a refusal says, and that resources on stdin reach the
 * runtime unchanged.  The policy caps pids at 2048, memory at 256 MiB and
 * cpus at 0.5; the container's config has a quota of 50000 in 100000 us.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "command.h"
#include "dir-kit.h"
#include "hr-cleanup.h"
#include "tap.h"

static int run(const char *const *words, struct hr_error *err)
{
        char *argv[16];
        _cleanup_free_ char *runtime = strdup(kit_at("runc"));
        struct hr_cmdline cmd;
        struct hr_policy_file pf = {0};
        int argc = 0, r;

        argv[argc++] = (char *)"hardrun";
        for (; *words; words++)
                argv[argc++] = (char *)*words;
        argv[argc] = NULL;
        if ((r = hr_cli_parse(argc, argv, HR_FLAVOUR_RUNC, &cmd, err)) < 0)
                return r;
        if ((r = hr_policy_file_read(&pf, err)) == 0)
                r = hr_command_update(&cmd, runtime, &pf, err);
        hr_policy_file_done(&pf);
        hr_cmdline_done(&cmd);
        return r;
}

static const struct {
        const char *what;
        const char *argv[8];
        const char *error; /* NULL: let through */
} cases[] = {
    {"a lower pids limit", {"update", "--pids-limit", "100", "c1"}, NULL},
    {"pids 0 leaves the limit alone", {"update", "--pids-limit=0", "c1"}, NULL},
    {"pids -1",
     {"update", "--pids-limit", "-1", "c1"},
     "refusing update of container c1: update --pids-limit would remove the pids limit, which "
     "the policy caps at 2048"},
    {"pids above the cap",
     {"update", "--pids-limit", "2049", "c1"},
     "would raise the pids limit to 2049, above the policy's cap of 2048"},
    {"pids not a number",
     {"update", "--pids-limit", "lots", "c1"},
     "cannot read update --pids-limit \"lots\""},
    {"memory at the cap, in MiB", {"update", "--memory", "256MiB", "c1"}, NULL},
    {"memory in bytes", {"update", "--memory", "1048576", "c1"}, NULL},
    {"memory with a space and a b", {"update", "--memory", "128 mb", "c1"}, NULL},
    {"memory above the cap",
     {"update", "--memory", "1g", "c1"},
     "would raise the memory limit to 1073741824, above the policy's cap of 268435456"},
    {"memory -1", {"update", "--memory", "-1", "c1"}, "would remove the memory limit"},
    {"memory with a fraction",
     {"update", "--memory", "1.5g", "c1"},
     "cannot read update --memory \"1.5g\""},
    {"memory that overflows",
     {"update", "--memory", "99999999999999t", "c1"},
     "cannot read update --memory"},
    {"a smaller quota", {"update", "--cpu-quota", "25000", "c1"}, NULL},
    {"a larger quota",
     {"update", "--cpu-quota", "60000", "c1"},
     "update --cpu-quota would give 60000/100000 of a cpu, above the policy's cap of 500 "
     "thousandths"},
    {"a shorter period under the config's quota",
     {"update", "--cpu-period", "50000", "c1"},
     "update --cpu-period would give 50000/50000 of a cpu"},
    {"a longer period", {"update", "--cpu-period", "200000", "c1"}, NULL},
    {"quota and period together",
     {"update", "--cpu-quota", "100000", "--cpu-period", "200000", "c1"},
     NULL},
    {"quota -1", {"update", "--cpu-quota", "-1", "c1"}, "would remove the cpu limit"},
    {"a file that removes the pids limit",
     {"update", "--resources", "RES-1", "c1"},
     "update --resources would remove the pids limit"},
    {"a file with zeros (nothing changes)", {"update", "-r", "RES-0", "c1"}, NULL},
    {"flags and a file are both checked",
     {"update", "--pids-limit", "10", "-r", "RES-1", "c1"},
     "update --resources would remove the pids limit"},
    /* runc's decoder reads "Pids" as "pids": not a way around the check. */
    {"a key runc folds into pids",
     {"update", "-r", "RES-FOLD", "c1"},
     "fold.json: pids: the key \"Pids\" is read by runc as \"pids\""},
    {"a file that is not JSON",
     {"update", "-r", "RES-BAD", "c1"},
     "refusing update of container c1: reading --resources "},
    {"an unknown container",
     {"update", "--pids-limit", "-1", "none"},
     "refusing update of container none: cannot find the container"},
};

static void test_cases(void)
{
        _cleanup_free_ char *res1 = strdup(kit_at("res-1.json")),
                            *res0 = strdup(kit_at("res-0.json")), *bad = strdup(kit_at("bad.json")),
                            *fold = strdup(kit_at("fold.json"));

        kit_put("res-1.json", "{\"pids\":{\"limit\":-1}}", 0644);
        kit_put("res-0.json",
                "{\"pids\":{\"limit\":0},\"memory\":{\"limit\":0},\"cpu\":{\"quota\":0}}", 0644);
        kit_put("bad.json", "{\"pids\":", 0644);
        kit_put("fold.json", "{\"Pids\":{\"limit\":-1}}", 0644);
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                const char *words[8];
                struct hr_error err = {0};
                int r;

                for (size_t j = 0; j < 8; j++) {
                        const char *w = cases[i].argv[j];

                        words[j] = !w                           ? NULL
                                   : strcmp(w, "RES-1") == 0    ? res1
                                   : strcmp(w, "RES-0") == 0    ? res0
                                   : strcmp(w, "RES-BAD") == 0  ? bad
                                   : strcmp(w, "RES-FOLD") == 0 ? fold
                                                                : w;
                }
                r = run(words, &err);
                if (cases[i].error)
                        ok(r < 0 && strstr(err.msg, cases[i].error), "%s: refused, \"%s\" (%s)",
                           cases[i].what, cases[i].error, r < 0 ? err.msg : "let through");
                else
                        is_int(r, 0, "%s: let through (%s)", cases[i].what, err.msg);
        }
}

/* containerd's form: the JSON on stdin, read, checked, and there again for the runtime. */
static void test_stdin(void)
{
        static const char lower[] = "{\"pids\":{\"limit\":50}}";
        static const char higher[] = "{\"pids\":{\"limit\":5000}}";
        const char *words[] = {"update", "--resources=-", "c1", NULL};
        struct hr_error err = {0};
        char back[64] = "";
        int fds[2];
        ssize_t n;

        if (pipe(fds) < 0 || write(fds[1], lower, strlen(lower)) < 0 || close(fds[1]) < 0 ||
            dup2(fds[0], 0) < 0)
                abort();
        close(fds[0]);
        is_int(run(words, &err), 0, "stdin: a lower limit is let through (%s)", err.msg);
        n = read(0, back, sizeof(back) - 1);
        ok(n == (ssize_t)strlen(lower) && strcmp(back, lower) == 0,
           "stdin: the runtime reads the same resources (%s)", back);

        if (pipe(fds) < 0 || write(fds[1], higher, strlen(higher)) < 0 || close(fds[1]) < 0 ||
            dup2(fds[0], 0) < 0)
                abort();
        close(fds[0]);
        ok(run(words, &err) < 0 && strstr(err.msg, "update --resources would raise the pids "
                                                   "limit to 5000"),
           "stdin: a higher limit is refused (%s)", err.msg);
}

static void test_modes(void)
{
        const char *remove[] = {"update", "--pids-limit", "-1", "c1", NULL};
        const char *other[] = {"update", "--cpuset-cpus", "0", "c9", NULL};
        struct hr_error err = {0};

        kit_put("policy.json",
                "{\"runtime\":\"/bin/true\",\"mode\":\"audit\",\"audit_file\":\"/dev/null\","
                "\"limits\":{\"memory\":\"256m\",\"cpus\":0.5}}",
                0644);
        is_int(run(remove, &err), 0, "audit mode lets a removal through (%s)", err.msg);
        kit_put("policy.json", "{\"runtime\":\"/bin/true\",\"mode\":\"refuse\"}", 0644);
        ok(run(remove, &err) < 0 && strstr(err.msg, "mode refuse"), "refuse mode refuses (%s)",
           err.msg);
        /* c9 is unknown to the stand-in: a call to it would fail. */
        is_int(run(other, &err), 0,
               "an update of nothing capped is let through without asking the runtime (%s)",
               err.msg);
}

int main(void)
{
        char script[1024];
        static const char config[] =
            "{\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"},\"root\":{\"path\":\"rootfs\"},"
            "\"linux\":{\"resources\":{\"pids\":{\"limit\":2048},\"memory\":{\"limit\":268435456},"
            "\"cpu\":{\"quota\":50000,\"period\":100000}}}}";

        kit_mkdir();
        kit_put("policy.json",
                "{\"runtime\":\"/bin/true\",\"limits\":{\"memory\":\"256m\",\"cpus\":0.5}}", 0644);
        setenv("HARDRUN_POLICY", kit_at("policy.json"), 1);
        if (mkdir(kit_at("bundle"), 0700) < 0)
                abort();
        kit_put("bundle/config.json", config, 0644);
        snprintf(script, sizeof(script),
                 "#!/bin/sh\n"
                 "while [ \"$1\" != state ]; do shift; done\n"
                 "[ \"$2\" = c1 ] || { echo 'container does not exist' >&2; exit 1; }\n"
                 "printf '{\"id\":\"c1\",\"status\":\"running\",\"bundle\":\"%s/bundle\"}\\n'\n",
                 kit_dir);
        kit_put("runc", script, 0755);
        test_cases();
        test_stdin();
        test_modes();
        for (const char *const *f =
                 (const char *const[]){"bundle/config.json", "runc", "policy.json", "res-1.json",
                                       "res-0.json", "bad.json", "fold.json", NULL};
             *f; f++)
                unlink(kit_at(*f));
        rmdir(kit_at("bundle"));
        rmdir(kit_dir);
        return tap_done();
}
