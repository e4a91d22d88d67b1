/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <selinux/selinux.h>
#include <sys/apparmor.h>

#include "host.h"
#include "lsm-host.h"

static int real_stat(const char *path, uint64_t *dev, uint64_t *ino)
{
        struct stat st;

        if (stat(path, &st) < 0)
                return -errno;
        *dev = st.st_dev;
        *ino = st.st_ino;
        return 0;
}

static int real_realpath(const char *path, char **out)
{
        char *r = realpath(path, NULL);

        if (!r)
                return -errno;
        *out = r;
        return 0;
}

static int real_glob(const char *pattern, struct hr_strv *out)
{
        glob_t g = {0};
        char **v;
        int r = glob(pattern, GLOB_NOSORT, NULL, &g);

        if (r == GLOB_NOMATCH) {
                globfree(&g);
                *out = (struct hr_strv){0};
                return 0;
        }
        if (r != 0) {
                globfree(&g);
                return r == GLOB_NOSPACE ? -ENOMEM : -EIO;
        }
        if (!(v = calloc(g.gl_pathc + 1, sizeof(*v)))) {
                globfree(&g);
                return -ENOMEM;
        }
        for (size_t i = 0; i < g.gl_pathc; i++)
                if (!(v[i] = strdup(g.gl_pathv[i]))) {
                        hr_strv_free(v, i);
                        globfree(&g);
                        return -ENOMEM;
                }
        qsort(v, g.gl_pathc, sizeof(*v), hr_strv_cmp);
        *out = (struct hr_strv){.v = v, .n = g.gl_pathc};
        globfree(&g);
        return 0;
}

static int real_rlimit(int resource, uint64_t *soft, uint64_t *hard)
{
        struct rlimit rl;

        if (getrlimit(resource, &rl) < 0)
                return -errno;
        *soft = rl.rlim_cur == RLIM_INFINITY ? UINT64_MAX : (uint64_t)rl.rlim_cur;
        *hard = rl.rlim_max == RLIM_INFINITY ? UINT64_MAX : (uint64_t)rl.rlim_max;
        return 0;
}

static bool real_apparmor_enabled(void)
{
        return aa_is_enabled() == 1;
}

static bool real_selinux_enabled(void)
{
        return is_selinux_enabled() > 0 && security_getenforce() == 1;
}

const struct hr_host hr_host_real = {
    .stat = real_stat,
    .realpath = real_realpath,
    .glob = real_glob,
    .rlimit = real_rlimit,
    .apparmor_enabled = real_apparmor_enabled,
    .selinux_enabled = real_selinux_enabled,
    .apparmor_loaded = hr_apparmor_real_loaded,
    .apparmor_load = hr_apparmor_real_load,
    .selinux_contexts = hr_selinux_real_contexts,
};
