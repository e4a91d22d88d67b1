/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hardrun: called exactly as runc or crun.  create, run and restore get
 * their config hardened first; everything else goes straight to the real
 * runtime (delete first gives back an SELinux MCS pair hardrun reserved,
 * when there is one).  On any failure before the hand-over, the container
 * does not start, the engine's log gets one line saying why, and nothing
 * was changed.  hardrun's own commands (check, policy) are recognised
 * first, so that they work where no runtime is installed.
 */
#include <stdlib.h>

#include "cli.h"
#include "command.h"
#include "errlog.h"
#include "json.h"
#include "lsm-prepare.h"
#include "own.h"
#include "policy.h"
#include "runtime.h"

struct state {
        struct hr_policy_file file;
        struct hr_policy runtime_only; /* the runtime key, for every command */
        struct hr_cmdline cmd;
        bool parsed;
        char *runtime;
};

static int prepare(struct state *s, int argc, char *argv[], struct hr_error *err)
{
        int r;

        if ((r = hr_policy_file_read(&s->file, err)) < 0)
                return r;
        if ((r = hr_policy_runtime(&s->file, &s->runtime_only, err)) < 0)
                return hr_error_prefix(err, "policy %s", s->file.path);
        if ((r = hr_runtime_find(argv[0], s->runtime_only.runtime, s->runtime_only.n_runtime,
                                 &s->runtime, err)) < 0)
                return r;
        if ((r = hr_cli_parse(argc, argv, hr_runtime_flavour(s->runtime), &s->cmd, err)) < 0)
                return r;
        s->parsed = true;

        switch (s->cmd.kind) {
        case HR_KIND_VERSION:
                return hr_runtime_print_version(err);
        case HR_KIND_HARDEN:
                return hr_command_harden(&s->cmd, &s->file, err);
        case HR_KIND_EXEC:
                return hr_command_exec(&s->cmd, s->runtime, &s->file, err);
        case HR_KIND_UPDATE:
                return hr_command_update(&s->cmd, s->runtime, &s->file, err);
        case HR_KIND_PASS:
                /* delete gives back the container's SELinux MCS pair; never fails. */
                hr_lsm_delete(argc, argv, &s->cmd, s->runtime, &hr_mcs_store_real);
                break;
        }
        return 0;
}

int main(int argc, char *argv[])
{
        struct state s = {0};
        struct hr_error err = {0};

        if (argc < 1 || !argv[0]) {
                hr_errlog(NULL, "called without argv[0]");
                return EXIT_FAILURE;
        }
        if (hr_own_is_command(argc, argv))
                return hr_own_main(argc, argv);
        /* hardrun execs, or exits, soon: its JSON trees are never freed one by one. */
        hr_json_arena();
        /* hr_runtime_exec() returns only when it failed. */
        if (prepare(&s, argc, argv, &err) == 0)
                (void)hr_runtime_exec(s.runtime, argv, &err);

        if (!s.parsed)
                hr_cli_find_log(argc, argv,
                                s.runtime ? hr_runtime_flavour(s.runtime)
                                          : hr_runtime_flavour(argv[0]),
                                &s.cmd);
        hr_errlog(&s.cmd, err.msg);
        return EXIT_FAILURE;
}
