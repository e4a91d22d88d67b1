/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * syscall-loop: what does one cheap system call cost under the container's
 * seccomp filter?  Built static and run as a container's command by
 * `make bench`, once with no filter, once under Docker's profile and once
 * under the profile hardrun writes.
 *
 *   syscall-loop [ITERATIONS [NAME]]
 *
 * Makes the call NAME (default getpid) ITERATIONS times (default 1000000)
 * through syscall(2), so that no library cache answers instead of the
 * kernel, and prints one line:
 *   syscall=NAME iterations=N ns_per_call=X
 * The clock is read through the vDSO, outside the filter.  Each call must
 * give the answer the kernel gives without a filter (a filter that denies it
 * would measure something else); otherwise it prints why on stderr and exits
 * 1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* One call with harmless arguments, and the errno the kernel answers with. */
struct call {
        const char *name;
        long nr;
        long arg;
        int expect_errno;
};

static const struct call calls[] = {
    {"close", SYS_close, -1, EBADF},
    {"getpid", SYS_getpid, 0, 0},
    {"getppid", SYS_getppid, 0, 0},
    {"sched_yield", SYS_sched_yield, 0, 0},
};

static const struct call *find(const char *name)
{
        for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
                if (strcmp(calls[i].name, name) == 0)
                        return &calls[i];
        return NULL;
}

int main(int argc, char **argv)
{
        const struct call *c = find(argc > 2 ? argv[2] : "getpid");
        struct timespec a, b;
        long n = 1000000;
        double ns;

        if (argc > 1) {
                char *end;

                errno = 0;
                n = strtol(argv[1], &end, 10);
                if (errno || end == argv[1] || *end || n < 1 || n > 1000000000L)
                        n = 0;
        }
        if (!c || n == 0 || argc > 3) {
                fprintf(stderr, "usage: syscall-loop [ITERATIONS [close|getpid|getppid|"
                                "sched_yield]]\n");
                return 2;
        }
        errno = 0;
        if (syscall(c->nr, c->arg) < 0 ? errno != c->expect_errno : c->expect_errno != 0) {
                fprintf(stderr, "syscall-loop: %s: %s, where the kernel says %s\n", c->name,
                        strerror(errno), strerror(c->expect_errno));
                return 1;
        }
        clock_gettime(CLOCK_MONOTONIC, &a);
        for (long i = 0; i < n; i++)
                syscall(c->nr, c->arg);
        clock_gettime(CLOCK_MONOTONIC, &b);
        ns = ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / (double)n;
        printf("syscall=%s iterations=%ld ns_per_call=%.2f\n", c->name, n, ns);
        return fflush(stdout) == 0 ? 0 : 1;
}
