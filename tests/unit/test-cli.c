/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The runtime command line: real argv from engines, every option form, and refusals. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "runtime.h"
#include "tap.h"

#define MAX_WORDS 64

struct want {
        const char *line; /* words separated by single spaces; argv[0] included */
        enum hr_flavour flavour;
        int ok;            /* 1: parses; 0: refused */
        const char *error; /* substring of the refusal */
        enum hr_kind kind;
        const char *command, *id, *bundle, *config, *log, *process, *root;
        enum hr_log_format log_format;
};

#define RUNC HR_FLAVOUR_RUNC
#define CRUN HR_FLAVOUR_CRUN

static const struct want cases[] = {
    /* containerd and Docker through containerd */
    {"runc --root /run/containerd/runc/default --log /b/log.json --log-format json create "
     "--bundle /b --pid-file /b/init.pid ctr1",
     RUNC, 1, NULL, HR_KIND_HARDEN, "create", "ctr1", "/b", NULL, "/b/log.json", NULL,
     "/run/containerd/runc/default", HR_LOG_JSON},
    {"runc --root /r --log /b/log.json --log-format json start ctr1", RUNC, 1, NULL, HR_KIND_PASS,
     "start", NULL, NULL, NULL, "/b/log.json", NULL, "/r", HR_LOG_JSON},
    {"runc --root /r delete --force ctr1", RUNC, 1, NULL, HR_KIND_PASS, "delete"},
    {"runc exec --process /tmp/x.json --detach --pid-file /p ctr1", RUNC, 1, NULL, HR_KIND_EXEC,
     "exec", "ctr1", NULL, NULL, NULL, "/tmp/x.json"},
    {"runc update --resources=- ctr1", RUNC, 1, NULL, HR_KIND_UPDATE, "update", "ctr1"},
    /* Podman through conmon, CRI-O */
    {"runc --systemd-cgroup --log-format=json --log /u/oci-log create --bundle /u --pid-file "
     "/u/pidfile --console-socket /u/sock pod1",
     RUNC, 1, NULL, HR_KIND_HARDEN, "create", "pod1", "/u", NULL, "/u/oci-log", NULL, NULL,
     HR_LOG_JSON},
    {"runc --root=/run/runc create --bundle /c --pid-file /c/pid crio1", RUNC, 1, NULL,
     HR_KIND_HARDEN, "create", "crio1", "/c", NULL, NULL, NULL, "/run/runc"},
    /* every form of --bundle that Go's flag package accepts */
    {"runc create -b /x id", RUNC, 1, NULL, HR_KIND_HARDEN, "create", "id", "/x"},
    {"runc create -b=/x id", RUNC, 1, NULL, HR_KIND_HARDEN, "create", "id", "/x"},
    {"runc create --bundle /x id", RUNC, 1, NULL, HR_KIND_HARDEN, "create", "id", "/x"},
    {"runc create --bundle=/x id", RUNC, 1, NULL, HR_KIND_HARDEN, "create", "id", "/x"},
    {"runc create -bundle /x id", RUNC, 1, NULL, HR_KIND_HARDEN, "create", "id", "/x"},
    {"runc create -bundle=/x id", RUNC, 1, NULL, HR_KIND_HARDEN, "create", "id", "/x"},
    {"runc create --b /x id", RUNC, 1, NULL, HR_KIND_HARDEN, "create", "id", "/x"},
    {"runc run -d --bundle /x id", RUNC, 1, NULL, HR_KIND_HARDEN, "run", "id", "/x"},
    {"runc restore --image-path /img --bundle /x id", RUNC, 1, NULL, HR_KIND_HARDEN, "restore",
     "id", "/x"},
    /* options after the id, the cwd default, --, Go booleans */
    {"runc create id --bundle /x", RUNC, 1, NULL, HR_KIND_HARDEN, "create", "id", "/x"},
    {"runc create id", RUNC, 1, NULL, HR_KIND_HARDEN, "create", "id", NULL},
    {"runc create --bundle /x -- id", RUNC, 1, NULL, HR_KIND_HARDEN, "create", "id", "/x"},
    {"runc --debug=true create id", RUNC, 1, NULL, HR_KIND_HARDEN, "create", "id"},
    {"runc create --no-pivot=false id", RUNC, 1, NULL, HR_KIND_HARDEN, "create", "id"},
    {"runc run --bundle /x -- -id", RUNC, 1, NULL, HR_KIND_HARDEN, "run", "-id", "/x"},
    /* crun: argp forms, --config, log targets */
    {"crun --cgroup-manager=systemd --log-level=debug --log=file:/l create -f other.json -b "
     "/b id",
     CRUN, 1, NULL, HR_KIND_HARDEN, "create", "id", "/b", "other.json", "/l"},
    {"crun create -b/b --config=/c.json id", CRUN, 1, NULL, HR_KIND_HARDEN, "create", "id", "/b",
     "/c.json"},
    {"crun run --bund /b id", CRUN, 1, NULL, HR_KIND_HARDEN, "run", "id", "/b"},
    {"crun run -db /b id", CRUN, 1, NULL, HR_KIND_HARDEN, "run", "id", "/b"},
    {"crun create -b=x id", CRUN, 1, NULL, HR_KIND_HARDEN, "create", "id", "=x"},
    {"crun --log=journald:x --log-format json create id", CRUN, 1, NULL, HR_KIND_HARDEN, "create",
     "id", NULL, NULL, NULL},
    /* pass-through and version */
    {"runc --version", RUNC, 1, NULL, HR_KIND_VERSION},
    {"runc -v", RUNC, 1, NULL, HR_KIND_VERSION},
    {"crun --version", CRUN, 1, NULL, HR_KIND_VERSION},
    {"runc --help create id", RUNC, 1, NULL, HR_KIND_PASS},
    {"runc features", RUNC, 1, NULL, HR_KIND_PASS, "features"},
    {"runc spec --rootless", RUNC, 1, NULL, HR_KIND_PASS, "spec"},
    {"crun mounts add id x", CRUN, 1, NULL, HR_KIND_PASS, "mounts"},
    {"runc", RUNC, 1, NULL, HR_KIND_PASS},
    {"runc create --help", RUNC, 1, NULL, HR_KIND_PASS, "create"},
    {"runc create -h --bundle /x id", RUNC, 1, NULL, HR_KIND_PASS, "create", NULL, "/x"},
    {"crun run -?", CRUN, 1, NULL, HR_KIND_PASS, "run"},
    {"crun create --usage", CRUN, 1, NULL, HR_KIND_PASS, "create"},
    {"crun -v", CRUN, 1, NULL, HR_KIND_VERSION},
    /* a false Go boolean is no flag at all: these still create */
    {"runc create --help=false --bundle /x id", RUNC, 1, NULL, HR_KIND_HARDEN, "create", "id",
     "/x"},
    {"runc --help=0 --version=f create -h=False id", RUNC, 1, NULL, HR_KIND_HARDEN, "create", "id"},
    {"runc create -h=yes id", RUNC, 0, "invalid boolean"},
    {"crun -V", CRUN, 1, NULL, HR_KIND_VERSION},
    {"runc exec -t id sh -c --bundle", RUNC, 1, NULL, HR_KIND_EXEC, "exec", "id"},
    /* refused: ambiguous or unknown */
    {"runc create --bundle /a --bundle /b id", RUNC, 0, "more than once"},
    {"runc create -b /a --bundle=/b id", RUNC, 0, "more than once"},
    {"runc create id --bundle", RUNC, 0, "needs a value"},
    {"runc create --bundle= id", RUNC, 0, "empty value"},
    {"runc create --frobnicate x id", RUNC, 0, "unknown option --frobnicate"},
    {"runc create -f other.json id", RUNC, 0, "unknown option --f"},
    {"runc create a b", RUNC, 0, "exactly one container id"},
    {"runc create --bundle /b", RUNC, 0, "needs a container id"},
    {"runc --frobnicate create id", RUNC, 0, "unknown option --frobnicate"},
    {"runc ---bundle create id", RUNC, 0, "bad option syntax"},
    {"runc create --detach=yes id", RUNC, 0, "unknown option --detach"},
    {"runc run --detach=yes id", RUNC, 0, "invalid boolean"},
    {"crun create --no id", CRUN, 0, "ambiguous abbreviation"},
    {"crun create -x id", CRUN, 0, "unknown option -x"},
    {"crun create --bundle=/a -b /b id", CRUN, 0, "more than once"},
    {"crun run --keep=1 id", CRUN, 0, "takes no value"},
};

static int split(const char *line, char *buf, size_t size, char **argv)
{
        int argc = 0;

        snprintf(buf, size, "%s", line);
        for (char *tok = strtok(buf, " "); tok && argc < MAX_WORDS - 1; tok = strtok(NULL, " "))
                argv[argc++] = tok;
        argv[argc] = NULL;
        return argc;
}

static void check_case(const struct want *w)
{
        char buf[1024], *argv[MAX_WORDS];
        int argc = split(w->line, buf, sizeof(buf), argv);
        struct hr_cmdline cmd;
        struct hr_error err = {0};
        int r = hr_cli_parse(argc, argv, w->flavour, &cmd, &err);

        if (!w->ok) {
                ok(r < 0, "refused: %s", w->line);
                ok(r < 0 && strstr(err.msg, w->error), "message for \"%s\" has \"%s\" (%s)",
                   w->line, w->error, err.msg);
                return;
        }
        if (!ok(r == 0, "parses: %s", w->line)) {
                printf("#   error: %s\n", err.msg);
                return;
        }
        is_int(cmd.kind, w->kind, "kind of %s", w->line);
        is_str(cmd.command, w->command, "command of %s", w->line);
        if (w->kind == HR_KIND_HARDEN || w->kind == HR_KIND_EXEC || w->kind == HR_KIND_UPDATE)
                is_str(cmd.id, w->id, "id of %s", w->line);
        is_str(cmd.bundle, w->bundle, "bundle of %s", w->line);
        is_str(cmd.config, w->config, "config of %s", w->line);
        is_str(cmd.log, w->log, "log of %s", w->line);
        is_str(cmd.process, w->process, "process of %s", w->line);
        if (w->root)
                is_str(cmd.root, w->root, "root of %s", w->line);
        if (w->log)
                is_int(cmd.log_format, w->log_format, "log format of %s", w->line);
        hr_cmdline_done(&cmd);
}

static void check_exec_args(void)
{
        char *argv[] = {"runc",          "exec", "-t",        "--user", "1000:1000", "--cap",
                        "CAP_KILL",      "-c",   "CAP_CHOWN", "id",     "sh",        "-c",
                        "echo --bundle", NULL};
        struct hr_cmdline cmd;
        struct hr_error err = {0};

        if (!ok(hr_cli_parse(13, argv, RUNC, &cmd, &err) == 0, "exec with flags parses"))
                return;
        is_str(cmd.user, "1000:1000", "exec --user");
        is_int(cmd.n_caps, 2, "exec --cap repeats");
        is_str(cmd.n_caps == 2 ? cmd.caps[1] : NULL, "CAP_CHOWN", "exec -c value");
        is_int(cmd.exec_args_index, 10, "the process argv starts after the id");
        hr_cmdline_done(&cmd);
}

static void check_find_log(void)
{
        char *argv[] = {"runc",     "--log", "/l.json",  "--log-format", "json", "create",
                        "--bundle", "/a",    "--bundle", "/b",           "id",   NULL};
        struct hr_cmdline cmd = {0};
        struct hr_error err = {0};

        ok(hr_cli_parse(11, argv, RUNC, &cmd, &err) < 0, "a refused line still has a log");
        hr_cli_find_log(11, argv, RUNC, &cmd);
        is_str(cmd.log, "/l.json", "find_log recovers --log");
        is_int(cmd.log_format, HR_LOG_JSON, "find_log recovers --log-format");
}

/* Every argv line captured from a real engine parses (the .txt files in tests/data/argv). */
static void check_captured(void)
{
        DIR *d = opendir(HR_TEST_DATA "/argv");
        struct dirent *e;
        int lines = 0;

        if (!d) {
                ok(0, "captured argv directory %s/argv exists", HR_TEST_DATA);
                return;
        }
        while ((e = readdir(d))) {
                char path[4096], line[2048], buf[4096], *argv[MAX_WORDS];
                FILE *f;

                if (!strstr(e->d_name, ".txt"))
                        continue;
                snprintf(path, sizeof(path), HR_TEST_DATA "/argv/%s", e->d_name);
                if (!(f = fopen(path, "re")))
                        continue;
                while (fgets(line, sizeof(line), f)) {
                        struct hr_cmdline cmd;
                        struct hr_error err = {0};
                        int argc;

                        line[strcspn(line, "\n")] = '\0';
                        if (line[0] == '#' || line[0] == '\0')
                                continue;
                        /* The files hold the arguments after argv[0]. */
                        snprintf(path, sizeof(path), "runc ");
                        argc = split(strncat(path, line, sizeof(path) - 6), buf, sizeof(buf), argv);
                        lines++;
                        if (!ok(hr_cli_parse(argc, argv, HR_FLAVOUR_RUNC, &cmd, &err) == 0,
                                "%s: %.60s", e->d_name, line)) {
                                printf("#   error: %s\n", err.msg);
                                continue;
                        }
                        if (cmd.command && strcmp(cmd.command, "create") == 0)
                                ok(cmd.kind == HR_KIND_HARDEN && cmd.bundle && cmd.id,
                                   "%s: create has a bundle and an id", e->d_name);
                        hr_cmdline_done(&cmd);
                }
                fclose(f);
        }
        closedir(d);
        ok(lines > 0, "captured argv lines were found (%d)", lines);
}

/* delete's id and --force, read leniently: anything else is no id (and no error). */
static void check_delete(void)
{
        static const struct {
                const char *line, *id; /* id NULL: not read */
                bool force;
        } deletes[] = {
            {"runc delete ctr1", "ctr1", false},
            {"runc --root /r delete --force ctr1", "ctr1", true},
            {"runc delete -f ctr1", "ctr1", true},
            {"runc delete -force ctr1", "ctr1", true},
            {"runc delete --force=false ctr1", "ctr1", false},
            {"runc delete --force=true ctr1", "ctr1", true},
            {"runc delete ctr1 --force", "ctr1", true},
            {"runc delete -- ctr1", "ctr1", false},
            {"crun --root /r delete -f ctr1", "ctr1", true},
            {"runc delete --force=maybe ctr1", NULL, false},
            {"crun delete --regex c.* ", NULL, false},
            {"crun delete -r c.*", NULL, false},
            {"runc delete a b", NULL, false},
            {"runc delete --force", NULL, false},
            {"runc delete", NULL, false},
            {"runc kill ctr1", NULL, false},
            {"runc state ctr1", NULL, false},
        };

        for (size_t i = 0; i < sizeof(deletes) / sizeof(deletes[0]); i++) {
                char buf[256], *argv[MAX_WORDS];
                int argc = split(deletes[i].line, buf, sizeof(buf), argv);
                struct hr_cmdline cmd;
                struct hr_error err = {0};
                const char *id = NULL;
                bool force = false;
                int r;

                if (hr_cli_parse(argc, argv, strncmp(argv[0], "crun", 4) ? RUNC : CRUN, &cmd,
                                 &err) < 0) {
                        ok(0, "%s parses (%s)", deletes[i].line, err.msg);
                        continue;
                }
                is_int(cmd.kind, HR_KIND_PASS, "%s passes through", deletes[i].line);
                r = hr_cli_delete(argc, argv, &cmd, &id, &force);
                if (deletes[i].id)
                        ok(r == 0 && id && strcmp(id, deletes[i].id) == 0 &&
                               force == deletes[i].force,
                           "%s: id %s, force %d", deletes[i].line, deletes[i].id, deletes[i].force);
                else
                        is_int(r, -EINVAL, "%s: no id read", deletes[i].line);
                hr_cmdline_done(&cmd);
        }
}

int main(void)
{
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
                check_case(&cases[i]);
        check_exec_args();
        check_delete();
        check_find_log();
        check_captured();
        return tap_done();
}
