/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bpf-len: how long is the BPF program libseccomp makes of a linux.seccomp?
 *
 *   make build/bench/bpf-len
 *   build/bench/bpf-len [--optimize] [FILE]
 *
 * FILE (default: standard input) is a config.json, whose linux.seccomp is
 * used, or a linux.seccomp object on its own.  The filter is built the way
 * runc 1.1 builds it: seccomp_init() with the default action, the listed
 * architectures added, the flags LOG and SPEC_ALLOW set, then every rule in
 * order and every name in it, skipping a rule whose action is the default
 * one and a name libseccomp does not know, and adding each condition of a
 * rule that compares one argument twice as a rule of its own.  It prints one
 * line, the number of BPF instructions seccomp_export_bpf() writes, and exits
 * 0; on an error it prints nothing on stdout and exits 1.
 *
 * --optimize also asks for libseccomp's binary tree (SCMP_FLTATR_CTL_OPTIMIZE
 * 2) when there are more than 32 syscall names, as runc 1.2 and later do;
 * runc 1.1.5, the one on Debian 12, does not.  Neither count includes the
 * -ENOSYS stub runc puts in front of the program (a dozen instructions or so,
 * none for a profile whose default errno is ENOSYS already).
 */
#include <errno.h>
#include <linux/filter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"
#include "hr-cleanup.h"
#include "seccomp-oci.h"

static int count(const struct hr_json *doc, unsigned flags, long *out, struct hr_error *err)
{
        const struct hr_json *sc = hr_json_get(hr_json_get(doc, "linux"), "seccomp");
        _cleanup_seccomp_ scmp_filter_ctx ctx = NULL;
        _cleanup_close_ int fd = -1;
        struct hr_sc parsed;
        struct stat st;
        int r;

        if (!sc)
                sc = doc;
        if ((r = hr_sc_parse(sc, "linux.seccomp", &parsed, err)) < 0)
                return r;
        r = hr_sc_build(&parsed, flags, &ctx, err);
        hr_sc_done(&parsed);
        if (r < 0)
                return r;
        if ((fd = memfd_create("bpf", MFD_CLOEXEC)) < 0)
                return hr_error_errno(err, errno, "memfd_create");
        if ((r = seccomp_export_bpf(ctx, fd)) < 0)
                return hr_error_errno(err, -r, "seccomp_export_bpf");
        if (fstat(fd, &st) < 0)
                return hr_error_errno(err, errno, "fstat");
        *out = (long)(st.st_size / (off_t)sizeof(struct sock_filter));
        return 0;
}

/* All of standard input, NUL-terminated, up to HR_JSON_MAX_SIZE bytes. */
static char *read_stdin(size_t *len)
{
        size_t cap = 0, n = 0;
        char *buf = NULL;

        for (;;) {
                ssize_t r;

                if (n == cap) {
                        char *bigger;

                        cap = cap ? cap * 2 : 1 << 16;
                        if (cap > HR_JSON_MAX_SIZE || !(bigger = realloc(buf, cap + 1)))
                                break;
                        buf = bigger;
                }
                r = read(STDIN_FILENO, buf + n, cap - n);
                if (r < 0 && errno == EINTR)
                        continue;
                if (r < 0)
                        break;
                if (r == 0) {
                        buf[n] = '\0';
                        *len = n;
                        return buf;
                }
                n += (size_t)r;
        }
        free(buf);
        return NULL;
}

int main(int argc, char **argv)
{
        const char *path = "standard input";
        struct hr_file f = HR_FILE_INIT;
        _cleanup_free_ char *in = NULL;
        _cleanup_json_ struct hr_json *doc = NULL;
        struct hr_error err = {0};
        unsigned flags = 0;
        long n = 0;
        int i = 1, r = 0;

        if (i < argc && strcmp(argv[i], "--optimize") == 0) {
                flags |= HR_SC_BUILD_OPTIMIZE;
                i++;
        }
        if (i + 1 < argc) {
                fprintf(stderr, "usage: bpf-len [--optimize] [FILE]\n");
                return 1;
        }
        if (i < argc) {
                path = argv[i];
                r = hr_file_read(path, true, HR_JSON_MAX_SIZE, &f, &err);
        } else if ((in = read_stdin(&f.len))) {
                f.data = TAKE_PTR(in);
        } else {
                r = hr_error_errno(&err, errno ? errno : EFBIG, "reading");
        }
        if (r < 0 || hr_json_parse(f.data, f.len, 0, &doc, &err) < 0 ||
            count(doc, flags, &n, &err) < 0) {
                fprintf(stderr, "bpf-len: %s: %s\n", path, err.msg);
                hr_file_done(&f);
                return 1;
        }
        hr_file_done(&f);
        printf("%ld\n", n);
        return fflush(stdout) == 0 ? 0 : 1;
}
