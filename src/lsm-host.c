/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <selinux/selinux.h>
#include <sys/apparmor.h>

#include "bundle.h"
#include "hr-cleanup.h"
#include "lsm-host.h"
#include "util.h"

#define PROFILES_MAX (8u * 1024u * 1024u)
#define CONTEXTS_MAX (64u * 1024u)

extern char **environ;

/* ---- parsers ---------------------------------------------------------------- */

bool hr_apparmor_listed(const char *text, const char *name)
{
        size_t n = strlen(name);

        for (const char *line = text; line && *line;) {
                const char *end = strchrnul(line, '\n');

                /* "NAME (MODE)": the name is all before the last " (". */
                size_t len = (size_t)(end - line);

                if (len > n + 2 && strncmp(line, name, n) == 0 && line[n] == ' ' &&
                    line[n + 1] == '(' && !memchr(line + n + 2, '(', len - n - 2))
                        return true;
                line = *end ? end + 1 : NULL;
        }
        return false;
}

static char *trim(char *s)
{
        char *end;

        while (*s == ' ' || *s == '\t')
                s++;
        end = s + strlen(s);
        while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
                *--end = '\0';
        return s;
}

int hr_selinux_lxc_parse(const char *text, char **process, char **file, struct hr_error *err)
{
        _cleanup_free_ char *copy = strdup(text), *p = NULL, *f = NULL;
        char *line, *save = NULL;

        if (!copy)
                return hr_error_set(err, ENOMEM, "out of memory");
        for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *eq = strchr(line, '='), *key, *value, **slot;
                size_t len;

                if (strchr(line, '#'))
                        *strchr(line, '#') = '\0';
                if (!eq)
                        continue;
                *eq = '\0';
                key = trim(line);
                value = trim(eq + 1);
                len = strlen(value);
                if (len >= 2 && value[0] == '"' && value[len - 1] == '"') {
                        value[len - 1] = '\0';
                        value++;
                }
                slot = strcmp(key, "process") == 0 ? &p : strcmp(key, "file") == 0 ? &f : NULL;
                if (!slot || !*value)
                        continue;
                free(*slot);
                if (!(*slot = strdup(value)))
                        return hr_error_set(err, ENOMEM, "out of memory");
        }
        if (!p || !f)
                return hr_error_set(err, EINVAL, "it has no %s entry", !p ? "process" : "file");
        *process = TAKE_PTR(p);
        *file = TAKE_PTR(f);
        return 0;
}

/* ---- the real host ------------------------------------------------------------ */

int hr_apparmor_real_loaded(const char *name, bool *loaded)
{
        _cleanup_free_ char *mnt = NULL, *path = NULL;
        struct hr_file f = HR_FILE_INIT;
        int r;

        if (aa_find_mountpoint(&mnt) < 0)
                return -errno;
        if (asprintf(&path, "%s/profiles", mnt) < 0)
                return -ENOMEM;
        if ((r = hr_file_read(path, false, PROFILES_MAX, &f, NULL)) < 0)
                return r;
        *loaded = hr_apparmor_listed(f.data, name);
        hr_file_done(&f);
        return 0;
}

/* The first executable of HR_APPARMOR_PARSERS, or NULL. */
static const char *find_parser(void)
{
        static const char *const candidates[] = {HR_APPARMOR_PARSERS};

        for (size_t i = 0; i < HR_ARRAY_SIZE(candidates); i++)
                if (access(candidates[i], X_OK) == 0)
                        return candidates[i];
        return NULL;
}

/* The last non-empty line of what fd holds (its last 4 KiB), for the message. */
static void last_line(int fd, char *buf, size_t size)
{
        char text[4096];
        off_t end_off = lseek(fd, 0, SEEK_END);
        off_t from = end_off > (off_t)sizeof(text) - 1 ? end_off - (off_t)sizeof(text) + 1 : 0;
        ssize_t n;
        char *end, *start;

        buf[0] = '\0';
        if (end_off <= 0 || (n = pread(fd, text, sizeof(text) - 1, from)) <= 0)
                return;
        text[n] = '\0';
        end = text + n;
        while (end > text && (end[-1] == '\n' || end[-1] == ' '))
                *--end = '\0';
        start = end;
        while (start > text && start[-1] != '\n')
                start--;
        snprintf(buf, size, "%.*s", (int)(size - 1), start);
}

/* `parser -K -r` with text on stdin, stdout on /dev/null and stderr in errfd; its exit status. */
static int run_parser(const char *parser, const char *text, int errfd, int *status,
                      struct hr_error *err)
{
        const char *argv[] = {parser, "--skip-cache", "--replace", NULL};
        _cleanup_close_ int in = memfd_create("hardrun-apparmor-profile", MFD_CLOEXEC);
        posix_spawn_file_actions_t fa;
        pid_t pid;
        int r;

        if (in < 0)
                return hr_error_errno(err, errno, "creating a buffer for the profile");
        if ((r = hr_write_all(in, text, strlen(text))) < 0 || lseek(in, 0, SEEK_SET) < 0)
                return hr_error_errno(err, r < 0 ? -r : errno, "buffering the profile");
        if ((r = posix_spawn_file_actions_init(&fa)) != 0)
                return hr_error_errno(err, r, "starting %s", parser);
        r = posix_spawn_file_actions_adddup2(&fa, in, 0);
        if (r == 0)
                r = posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
        if (r == 0)
                r = posix_spawn_file_actions_adddup2(&fa, errfd, 2);
        if (r == 0)
                r = posix_spawn(&pid, parser, &fa, NULL, (char *const *)argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        if (r != 0)
                return hr_error_errno(err, r, "starting %s", parser);
        while (waitpid(pid, status, 0) < 0)
                if (errno != EINTR)
                        return hr_error_errno(err, errno, "waiting for %s", parser);
        return 0;
}

int hr_apparmor_real_load(const char *text, struct hr_error *err)
{
        const char *parser = find_parser();
        _cleanup_close_ int errfd = -1;
        char said[512];
        int status = 0, r;

        if (!parser)
                return hr_error_set(err, ENOENT,
                                    "apparmor_parser is not installed (looked for it in "
                                    "/usr/sbin and /sbin)");
        if ((errfd = memfd_create("hardrun-apparmor-stderr", MFD_CLOEXEC)) < 0)
                return hr_error_errno(err, errno, "creating a buffer for %s", parser);
        if ((r = run_parser(parser, text, errfd, &status, err)) < 0)
                return r;
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
                return 0;
        last_line(errfd, said, sizeof(said));
        if (WIFEXITED(status))
                return hr_error_set(err, EIO, "%s exited with status %d%s%s", parser,
                                    WEXITSTATUS(status), said[0] ? ": " : "", said);
        return hr_error_set(err, EIO, "%s was killed by signal %d", parser,
                            WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

int hr_selinux_real_contexts(char **process, char **file, struct hr_error *err)
{
        const char *path = selinux_lxc_contexts_path();
        struct hr_file f = HR_FILE_INIT;
        int r;

        if (!path)
                return hr_error_set(err, ENOENT, "the SELinux policy names no lxc_contexts file");
        if ((r = hr_file_read(path, true, CONTEXTS_MAX, &f, err)) == 0)
                r = hr_selinux_lxc_parse(f.data, process, file, err);
        hr_file_done(&f);
        return r < 0 ? hr_error_prefix(err, "reading %s", path) : 0;
}
