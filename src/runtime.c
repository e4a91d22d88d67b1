/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hr-cleanup.h"
#include "runtime.h"
#include "util.h"

static const char standard_dirs[] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

static const char *base_name(const char *path)
{
        const char *slash = strrchr(path, '/');

        return slash ? slash + 1 : path;
}

enum hr_flavour hr_runtime_flavour(const char *path)
{
        return strstr(base_name(path), "crun") ? HR_FLAVOUR_CRUN : HR_FLAVOUR_RUNC;
}

struct self {
        bool known;
        dev_t dev;
        ino_t ino;
};

/* An executable regular file that is not hardrun itself. */
static bool usable(const char *path, struct self *self)
{
        struct stat st;

        if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || access(path, X_OK) < 0)
                return false;
        if (!self->known) {
                struct stat me;

                if (stat("/proc/self/exe", &me) == 0) {
                        self->dev = me.st_dev;
                        self->ino = me.st_ino;
                }
                self->known = true;
        }
        return !(st.st_dev == self->dev && st.st_ino == self->ino);
}

/* Look name up in a colon-separated directory list. */
static char *search_dirs(const char *dirs, const char *name, struct self *self)
{
        const char *p = dirs;

        while (p && *p) {
                const char *colon = strchr(p, ':');
                size_t len = colon ? (size_t)(colon - p) : strlen(p);
                char *cand;

                if (len > 0 && p[0] == '/') {
                        if (asprintf(&cand, "%.*s/%s", (int)len, p, name) < 0)
                                return NULL;
                        if (usable(cand, self))
                                return cand;
                        free(cand);
                }
                p = colon ? colon + 1 : NULL;
        }
        return NULL;
}

static char *lookup(const char *name, struct self *self)
{
        char *found;

        if (strchr(name, '/'))
                return usable(name, self) ? strdup(name) : NULL;
        found = search_dirs(getenv("PATH"), name, self);
        return found ? found : search_dirs(standard_dirs, name, self);
}

int hr_runtime_find(const char *argv0, char *const *names, size_t n_names, char **path,
                    struct hr_error *err)
{
        static char *const runc_only[] = {"runc"};
        static char *const crun_only[] = {"crun"};
        static char *const either[] = {"runc", "crun"};
        struct self self = {0};
        char buf[256] = "";

        if (getenv(HR_LOOP_MARKER))
                return hr_error_set(err, ELOOP,
                                    "hardrun was started by the runtime it handed over to; the "
                                    "configured runtime leads back to hardrun (policy key "
                                    "runtime; see hardrun-policy(5))");
        if (n_names == 0) {
                const char *base = base_name(argv0 ? argv0 : "");

                names = strcmp(base, "hardrun-crun") == 0   ? crun_only
                        : strcmp(base, "hardrun-runc") == 0 ? runc_only
                                                            : either;
                n_names = names == either ? 2 : 1;
        }
        for (size_t i = 0; i < n_names; i++) {
                char *found;

                errno = 0;
                found = lookup(names[i], &self);

                if (found) {
                        *path = found;
                        return 0;
                }
                if (errno == ENOMEM)
                        return hr_error_set(err, ENOMEM, "out of memory");
                snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", i ? ", " : "",
                         names[i]);
        }
        return hr_error_set(err, ENOENT,
                            "cannot find runtime %s (an executable other than hardrun itself, "
                            "in PATH or %s); set the policy key runtime, see hardrun-policy(5)",
                            buf, standard_dirs);
}

int hr_runtime_print_version(struct hr_error *err)
{
        static const char line[] = "hardrun version " HR_VERSION "\n";
        int r = hr_write_all(STDOUT_FILENO, line, sizeof(line) - 1);

        if (r < 0)
                return hr_error_errno(err, -r, "writing the version");
        return 0;
}

int hr_runtime_exec(const char *path, char *const argv[], struct hr_error *err)
{
        size_t argc = 0;
        _cleanup_free_ char **args = NULL;

        while (argv[argc])
                argc++;
        args = calloc(argc + 1, sizeof(*args));
        if (!args)
                return hr_error_set(err, ENOMEM, "out of memory");
        memcpy(args, argv, argc * sizeof(*args));
        args[0] = (char *)path;
        if (setenv(HR_LOOP_MARKER, "1", 1) < 0)
                return hr_error_errno(err, errno, "setting %s", HR_LOOP_MARKER);
        execv(path, args);
        return hr_error_errno(err, errno, "executing %s", path);
}
