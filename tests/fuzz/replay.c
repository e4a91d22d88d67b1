/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Replay a fuzz corpus without libFuzzer: feed every file in DIR to
 * LLVMFuzzerTestOneInput, in name order, and print TAP.  A harness aborts on a
 * finding, so reaching "ok" means the input passed.  Shared by every harness.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The whole of path in a buffer of exactly its size (so overreads are caught). */
static int slurp(const char *path, uint8_t **out, size_t *out_len)
{
        struct stat st;
        uint8_t *buf = NULL;
        size_t got = 0;
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
                close(fd);
                return -EINVAL;
        }
        buf = malloc(st.st_size > 0 ? (size_t)st.st_size : 1);
        while (buf && got < (size_t)st.st_size) {
                ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

                if (n <= 0)
                        break;
                got += (size_t)n;
        }
        close(fd);
        if (!buf || got != (size_t)st.st_size) {
                free(buf);
                return -EIO;
        }
        *out = buf;
        *out_len = got;
        return 0;
}

static int visible(const struct dirent *d)
{
        return d->d_name[0] != '.';
}

int main(int argc, char **argv)
{
        struct dirent **names = NULL;
        int n, failed = 0;

        if (argc != 2) {
                fprintf(stderr, "usage: %s CORPUS-DIR\n", argv[0]);
                return 2;
        }
        n = scandir(argv[1], &names, visible, alphasort);
        if (n <= 0) {
                printf("not ok 1 - replay %s: %s\n1..1\n", argv[1],
                       n < 0 ? strerror(errno) : "no files");
                return 1;
        }
        for (int i = 0; i < n; i++) {
                char path[4096];
                uint8_t *data = NULL;
                size_t len = 0;
                int r;

                snprintf(path, sizeof(path), "%s/%s", argv[1], names[i]->d_name);
                r = slurp(path, &data, &len);
                if (r < 0) {
                        printf("not ok %d - replay %s: %s\n", i + 1, path, strerror(-r));
                        failed++;
                } else {
                        fflush(stdout);
                        LLVMFuzzerTestOneInput(data, len);
                        printf("ok %d - replay %s\n", i + 1, path);
                        free(data);
                }
                free(names[i]);
        }
        free(names);
        printf("1..%d\n", n);
        return failed ? 1 : 0;
}
