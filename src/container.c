/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bundle.h"
#include "container.h"
#include "hr-cleanup.h"
#include "runtime.h"

#define STATE_MAX (1024u * 1024u)

extern char **environ;

/* The last non-empty line of what the runtime said on stderr, for the message. */
static void last_line(int fd, char *buf, size_t size)
{
        _cleanup_free_ char *text = NULL;
        size_t len = 0;
        char *end, *start, *msg, *quote;

        buf[0] = '\0';
        if (lseek(fd, 0, SEEK_SET) < 0 ||
            hr_fd_read_all(fd, "stderr", 64 * 1024, &text, &len, NULL) < 0)
                return;
        while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
                text[--len] = '\0';
        end = text + len;
        start = end;
        while (start > text && start[-1] != '\n')
                start--;
        /* runc logs as time=... level=error msg="...": keep the msg. */
        if ((msg = strstr(start, "msg=\"")) && (quote = strrchr(msg + 5, '"'))) {
                start = msg + 5;
                *quote = '\0';
        }
        snprintf(buf, size, "%s", start);
}

/* Start `runtime [--root R] state ID`, its stdout on a pipe and stderr in errfd. */
static int spawn_state(const char *runtime, const struct hr_cmdline *cmd, int outfd, int errfd,
                       pid_t *pid, struct hr_error *err)
{
        const char *argv[6];
        posix_spawn_file_actions_t fa;
        size_t n = 0;
        int r;

        argv[n++] = runtime;
        if (cmd->root) {
                argv[n++] = "--root";
                argv[n++] = cmd->root;
        }
        argv[n++] = "state";
        argv[n++] = cmd->id;
        argv[n] = NULL;
        /* The runtime must not come back to hardrun through a wrapper (runtime.h). */
        if (setenv(HR_LOOP_MARKER, "1", 1) < 0)
                return hr_error_errno(err, errno, "setting %s", HR_LOOP_MARKER);
        if ((r = posix_spawn_file_actions_init(&fa)) != 0)
                return hr_error_errno(err, r, "starting %s state", runtime);
        /* stdin is the exec'd process's: the state call gets none of it. */
        r = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
        if (r == 0)
                r = posix_spawn_file_actions_adddup2(&fa, outfd, 1);
        if (r == 0)
                r = posix_spawn_file_actions_adddup2(&fa, errfd, 2);
        if (r == 0)
                r = posix_spawn(pid, runtime, &fa, NULL, (char *const *)argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        if (r != 0)
                return hr_error_errno(err, r, "starting %s state %s", runtime, cmd->id);
        return 0;
}

/* What `runtime state ID` printed, parsed; -ESRCH when it failed (an unknown container). */
static int container_state(const char *runtime, const struct hr_cmdline *cmd, struct hr_json **out,
                           struct hr_error *err)
{
        _cleanup_close_ int errfd = -1, rd = -1, wr = -1;
        _cleanup_free_ char *text = NULL;
        int fds[2], status = 0, r;
        size_t len = 0;
        pid_t pid;

        if ((errfd = memfd_create("hardrun-state-stderr", MFD_CLOEXEC)) < 0)
                return hr_error_errno(err, errno, "creating a buffer for %s state", runtime);
        if (pipe2(fds, O_CLOEXEC) < 0)
                return hr_error_errno(err, errno, "creating a pipe for %s state", runtime);
        rd = fds[0];
        wr = fds[1];
        if ((r = spawn_state(runtime, cmd, wr, errfd, &pid, err)) < 0)
                return r;
        close(TAKE_FD(wr));
        r = hr_fd_read_all(rd, "what the runtime's state printed", STATE_MAX, &text, &len, err);
        if (r < 0)
                kill(pid, SIGKILL);
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return hr_error_errno(err, errno, "waiting for %s state", runtime);
        if (r < 0)
                return hr_error_prefix(err, "%s state %s", runtime, cmd->id);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                char said[512];

                last_line(errfd, said, sizeof(said));
                return hr_error_set(err, ESRCH, "cannot find the container: %s state %s failed%s%s",
                                    runtime, cmd->id, said[0] ? ": " : "", said);
        }
        if ((r = hr_json_parse(text, len, 0, out, err)) < 0)
                return hr_error_prefix(err, "reading what %s state %s printed", runtime, cmd->id);
        return 0;
}

static int container_bundle(const char *runtime, const struct hr_cmdline *cmd, char **out,
                            struct hr_error *err)
{
        _cleanup_json_ struct hr_json *state = NULL;
        const char *bundle;
        int r;

        if ((r = container_state(runtime, cmd, &state, err)) < 0)
                return r;
        bundle = hr_json_string(hr_json_get(state, "bundle"));
        if (!bundle || bundle[0] != '/')
                return hr_error_set(err, EINVAL,
                                    "%s state %s gave no absolute bundle directory; cannot find "
                                    "the container's config",
                                    runtime, cmd->id);
        if (!(*out = strdup(bundle)))
                return hr_error_set(err, ENOMEM, "out of memory");
        return 0;
}

int hr_container_status(const char *runtime, const struct hr_cmdline *cmd, char **status,
                        struct hr_error *err)
{
        _cleanup_json_ struct hr_json *state = NULL;
        const char *s;
        int r;

        if ((r = container_state(runtime, cmd, &state, err)) < 0)
                return r;
        if (!(s = hr_json_string(hr_json_get(state, "status"))))
                return hr_error_set(err, EINVAL, "%s state %s gave no status", runtime, cmd->id);
        if (!(*status = strdup(s)))
                return hr_error_set(err, ENOMEM, "out of memory");
        return 0;
}

/* runc's container ids: letters, digits and _+-. (and so never a path). */
static bool plain_id(const char *id)
{
        if (!id[0] || strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
                return false;
        for (const char *c = id; *c; c++)
                if (!isalnum((unsigned char)*c) && !strchr("_+-.", *c))
                        return false;
        return true;
}

/*
 * The bundle from the runtime's own state file, without starting the
 * runtime: runc keeps ROOT/ID/state.json with the label "bundle=DIR", crun
 * ROOT/ID/status with "bundle" (runc and crun 1.x).  That is what their
 * `state` reads too.  -ENOENT when the file is not there or does not say:
 * then the runtime is asked.
 */
static int bundle_from_state_file(const char *runtime, const struct hr_cmdline *cmd, char **out)
{
        bool crun = hr_runtime_flavour(runtime) == HR_FLAVOUR_CRUN;
        const char *root = cmd->root ? cmd->root : crun ? "/run/crun" : "/run/runc";
        _cleanup_free_ char *path = NULL;
        _cleanup_json_ struct hr_json *state = NULL;
        struct hr_file file = HR_FILE_INIT;
        struct hr_error ignored = {0};
        const char *bundle = NULL;
        int r;

        /* A rootless runtime's default root depends on its environment. */
        if (!plain_id(cmd->id) || (!cmd->root && geteuid() != 0))
                return -ENOENT;
        if (asprintf(&path, "%s/%s/%s", root, cmd->id, crun ? "status" : "state.json") < 0)
                return -ENOMEM;
        r = hr_file_read(path, false, STATE_MAX * 16, &file, &ignored);
        if (r == 0)
                r = hr_json_parse(file.data, file.len, 0, &state, &ignored);
        hr_file_done(&file);
        if (r < 0)
                return -ENOENT;
        if (crun) {
                bundle = hr_json_string(hr_json_get(state, "bundle"));
        } else {
                const struct hr_json *labels = hr_json_get(hr_json_get(state, "config"), "labels");

                for (size_t i = 0; labels && labels->type == HR_JSON_ARRAY && i < labels->u.arr.len;
                     i++) {
                        const char *l = hr_json_string(labels->u.arr.items[i]);

                        if (l && strncmp(l, "bundle=", 7) == 0)
                                bundle = l + 7;
                }
        }
        if (!bundle || bundle[0] != '/')
                return -ENOENT;
        return (*out = strdup(bundle)) ? 0 : -ENOMEM;
}

int hr_container_config(const char *runtime, const struct hr_cmdline *cmd, char **bundle,
                        struct hr_json **config, struct hr_error *err)
{
        _cleanup_free_ char *dir = NULL;
        _cleanup_json_ struct hr_json *c = NULL;
        struct hr_file file = HR_FILE_INIT;
        int r;

        r = bundle_from_state_file(runtime, cmd, &dir);
        if (r == -ENOMEM)
                return hr_error_set(err, ENOMEM, "out of memory");
        if (r < 0 && (r = container_bundle(runtime, cmd, &dir, err)) < 0)
                return r;
        r = hr_bundle_read_config(dir, NULL, &file, err);
        if (r == 0)
                r = hr_json_parse(file.data, file.len, 0, &c, err);
        if (r == 0 && c->type != HR_JSON_OBJECT)
                r = hr_error_set(err, EINVAL, "%s is not a JSON object", file.display);
        hr_file_done(&file);
        if (r < 0)
                return hr_error_prefix(err, "reading the container's config");
        *bundle = TAKE_PTR(dir);
        *config = TAKE_PTR(c);
        return 0;
}
