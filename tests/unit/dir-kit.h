/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the unit tests that need files: one temporary directory per test
 * program (kit_dir, made by kit_mkdir()), paths in it, and files written
 * there with a mode.
 */
#ifndef HR_DIR_KIT_H
#define HR_DIR_KIT_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static char kit_dir[] = "/tmp/hardrun-test-XXXXXX";

static inline void kit_mkdir(void)
{
        if (!mkdtemp(kit_dir))
                abort();
}

/* kit_dir/name, in a static buffer: copy it before the next call. */
static inline const char *kit_at(const char *name)
{
        static char buf[512];

        snprintf(buf, sizeof(buf), "%s/%s", kit_dir, name);
        return buf;
}

static inline void kit_put(const char *name, const char *text, mode_t mode)
{
        FILE *f = fopen(kit_at(name), "we");

        if (!f)
                abort();
        fputs(text, f);
        fclose(f);
        if (chmod(kit_at(name), mode) < 0)
                abort();
}

#endif
