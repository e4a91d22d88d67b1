/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Time hardrun against the runtime it wraps, in one run, interleaved, and
 * report medians.  Each sample is fork+exec+wait of a whole command, which
 * must exit 0.
 *
 *   bench N PREP_DIRECT PREP_WRAPPED -- DIRECT... -- WRAPPED...
 *
 * A PREP is "-" or "copy:SRC:DST": copy SRC over DST before every sample of
 * that side (outside the timed region), so that every hardened create starts
 * from the original config, and direct runc can be given the config hardrun
 * would have written.  Prints one line:
 *   direct_ms=M wrapped_ms=M overhead_ms=D ratio=R wrapped_maxrss_kib=K
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int copy_file(const char *src, const char *dst)
{
        char buf[65536];
        int in = open(src, O_RDONLY | O_CLOEXEC), out;
        ssize_t n;

        if (in < 0)
                return -1;
        out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (out < 0) {
                close(in);
                return -1;
        }
        while ((n = read(in, buf, sizeof(buf))) > 0)
                if (write(out, buf, (size_t)n) != n)
                        break;
        close(in);
        close(out);
        return n == 0 ? 0 : -1;
}

static int prep(const char *spec)
{
        char *copy, *src, *dst;
        int r;

        if (strcmp(spec, "-") == 0)
                return 0;
        if (strncmp(spec, "copy:", 5) != 0 || !(copy = strdup(spec + 5)))
                return -1;
        src = copy;
        dst = strchr(copy, ':');
        if (!dst) {
                free(copy);
                return -1;
        }
        *dst++ = '\0';
        r = copy_file(src, dst);
        free(copy);
        return r;
}

/* One sample in ms; the child's stdout and stderr go to /dev/null. */
static double sample(char **argv, long *maxrss)
{
        struct timespec a, b;
        struct rusage ru;
        int status;
        pid_t pid;

        clock_gettime(CLOCK_MONOTONIC, &a);
        pid = fork();
        if (pid == 0) {
                int null = open("/dev/null", O_WRONLY);

                dup2(null, 1);
                dup2(null, 2);
                execv(argv[0], argv);
                _exit(127);
        }
        if (pid < 0 || wait4(pid, &status, 0, &ru) < 0)
                return -1;
        clock_gettime(CLOCK_MONOTONIC, &b);
        if (ru.ru_maxrss > *maxrss)
                *maxrss = ru.ru_maxrss;
        /* Every command measured must succeed: a quick failure is no sample. */
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return -1;
        return (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
}

static int cmp(const void *x, const void *y)
{
        double a = *(const double *)x, b = *(const double *)y;

        return (a > b) - (a < b);
}

static double median(double *v, int n)
{
        qsort(v, (size_t)n, sizeof(*v), cmp);
        return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
        char **direct = NULL, **wrapped = NULL;
        double *d, *w;
        long rss_d = 0, rss_w = 0;
        int n, i, sep = 0;

        if (argc < 8 || (n = (int)strtol(argv[1], NULL, 10)) < 1 || n > 100000) {
                fprintf(stderr,
                        "usage: bench N PREP_DIRECT PREP_WRAPPED -- DIRECT... -- WRAPPED...\n");
                return 2;
        }
        for (i = 4; i < argc; i++)
                if (strcmp(argv[i], "--") == 0) {
                        argv[i] = NULL;
                        if (sep++ == 0)
                                direct = &argv[i + 1];
                        else
                                wrapped = &argv[i + 1];
                }
        if (sep != 2)
                return 2;
        d = calloc((size_t)n, sizeof(*d));
        w = calloc((size_t)n, sizeof(*w));
        for (i = 0; i < n; i++) {
                if (prep(argv[2]) < 0 || (d[i] = sample(direct, &rss_d)) < 0 || prep(argv[3]) < 0 ||
                    (w[i] = sample(wrapped, &rss_w)) < 0) {
                        fprintf(stderr, "bench: sample %d failed\n", i);
                        return 1;
                }
        }
        {
                double md = median(d, n), mw = median(w, n);

                printf("direct_ms=%.3f wrapped_ms=%.3f overhead_ms=%.3f ratio=%.3f "
                       "wrapped_maxrss_kib=%ld\n",
                       md, mw, mw - md, mw / md, rss_w);
        }
        free(d);
        free(w);
        return 0;
}
