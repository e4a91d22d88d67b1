/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading config.json safely and replacing it atomically. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"
#include "json.h"
#include "tap.h"

static char dir[] = "/tmp/hardrun-test-bundle-XXXXXX";

static void put(const char *name, const char *text, mode_t mode)
{
        char path[256];
        int fd;

        snprintf(path, sizeof(path), "%s/%s", dir, name);
        unlink(path);
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
        if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
                abort();
        fchmod(fd, mode);
        close(fd);
}

static int entries(void)
{
        DIR *d = opendir(dir);
        struct dirent *e;
        int n = 0;

        while (d && (e = readdir(d)))
                n += e->d_name[0] != '.' || (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."));
        if (d)
                closedir(d);
        return n;
}

static void test_read(void)
{
        struct hr_file f = HR_FILE_INIT;
        struct hr_error err = {0};
        char path[256];

        put("config.json", "{\"a\":1}", 0640);
        if (ok(hr_bundle_read_config(dir, NULL, &f, &err) == 0, "reads <bundle>/config.json")) {
                is_str(f.data, "{\"a\":1}", "content read whole");
                is_int(f.len, 7, "length");
                hr_file_done(&f);
        }

        snprintf(path, sizeof(path), "%s/other.json", dir);
        put("other.json", "{}", 0600);
        if (ok(hr_bundle_read_config("/nonexistent", path, &f, &err) == 0,
               "crun --config names the file; the bundle is not used for it"))
                hr_file_done(&f);

        unlink(path);
        snprintf(path, sizeof(path), "%s/config.json", dir);
        unlink(path);
        if (symlink("/etc/hostname", path) < 0)
                abort();
        ok(hr_bundle_read_config(dir, NULL, &f, &err) < 0, "a symlinked config.json is refused");
        ok(strstr(err.msg, "is a symbolic link") != NULL, "symlink message (%s)", err.msg);
        unlink(path);

        if (mkfifo(path, 0600) < 0)
                abort();
        ok(hr_bundle_read_config(dir, NULL, &f, &err) < 0, "a FIFO config.json is refused");
        ok(strstr(err.msg, "not a regular file") != NULL, "FIFO message (%s)", err.msg);
        unlink(path);

        ok(hr_bundle_read_config(dir, NULL, &f, &err) < 0, "a missing config.json is an error");
        ok(strstr(err.msg, "config.json") != NULL, "missing message names it (%s)", err.msg);

        {
                int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

                if (fd < 0 || ftruncate(fd, HR_JSON_MAX_SIZE + 1) < 0)
                        abort();
                close(fd);
        }
        ok(hr_bundle_read_config(dir, NULL, &f, &err) < 0, "a config over 16 MiB is refused");
        ok(strstr(err.msg, "16 MiB") != NULL, "size message (%s)", err.msg);
        unlink(path);
}

static void test_replace(void)
{
        struct hr_file f = HR_FILE_INIT;
        struct hr_error err = {0};
        struct stat before, after;
        char path[256];
        int n;

        snprintf(path, sizeof(path), "%s/config.json", dir);
        put("config.json", "old", 0640);
        if (chown(path, 12345, 23456) < 0)
                abort();
        stat(path, &before);
        n = entries();
        if (!ok(hr_bundle_read_config(dir, NULL, &f, &err) == 0, "read before replace"))
                return;
        is_int(hr_file_replace(&f, "new content", 11, &err), 0, "replace succeeds");
        stat(path, &after);
        is_int(after.st_mode & 07777, 0640, "mode kept");
        is_int(after.st_uid, 12345, "owner kept");
        is_int(after.st_gid, 23456, "group kept");
        ok(after.st_ino != before.st_ino, "a new inode was renamed into place");
        is_int(entries(), n, "no temporary file left behind");
        hr_file_done(&f);

        /* Someone else replaces the file between our read and our write. */
        if (!ok(hr_bundle_read_config(dir, NULL, &f, &err) == 0, "read again"))
                return;
        put("config.json", "theirs", 0644);
        ok(hr_file_replace(&f, "ours", 4, &err) < 0, "a file changed under us is not replaced");
        ok(strstr(err.msg, "changed while") != NULL, "race message (%s)", err.msg);
        is_int(entries(), n, "no temporary file left after a failed replace");
        hr_file_done(&f);
        {
                struct hr_file g = HR_FILE_INIT;

                if (hr_bundle_read_config(dir, NULL, &g, &err) == 0) {
                        is_str(g.data, "theirs", "their content survives");
                        hr_file_done(&g);
                }
        }
        unlink(path);
}

int main(void)
{
        if (!mkdtemp(dir))
                return 1;
        test_read();
        test_replace();
        rmdir(dir);
        return tap_done();
}
