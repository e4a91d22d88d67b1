/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Time hardrun against the runtime it wraps, in one run, interleaved, and
 * report order statistics.  Each sample is fork+exec+wait of a whole command,
 * which must exit 0.
 *
 *   bench [-w WARMUP] N PREP_DIRECT PREP_WRAPPED -- DIRECT... -- WRAPPED...
 *
 * WARMUP pairs (default 3) run first and are not recorded.  Then N pairs,
 * each one sample of DIRECT and one of WRAPPED; which of the two goes first
 * alternates from pair to pair, so that a drift in the machine's speed
 * weighs on both sides alike.
 *
 * A PREP is "-" or "copy:SRC:DST": copy SRC over DST before every sample of
 * that side (outside the timed region), so that every hardened create starts
 * from the original config, and direct runc can be given the config hardrun
 * would have written.
 *
 * Prints one JSON object on one line:
 *   {"n":N,"warmup":W,
 *    "direct":{"median_ms":M,"p10_ms":P,"p90_ms":P,"maxrss_kib":K},
 *    "wrapped":{...the same...},
 *    "added_ms":{"median":D,"p10":D,"p90":D,"ci95_lo":D,"ci95_hi":D},
 *    "ratio":{"median":R,"p10":R,"p90":R,"ci95_lo":R,"ci95_hi":R}}
 * added_ms and ratio are taken pair by pair (WRAPPED - DIRECT and
 * WRAPPED / DIRECT of the same pair), then summarised, with a 95% confidence
 * interval for their median: on a noisy machine it says whether a target's
 * verdict could be noise.  maxrss_kib is the
 * largest ru_maxrss of that side's children; Linux keeps it across execve, so
 * for hardrun it covers hardrun's own work before it hands over.
 *
 * A command that fails stops the run: its status and the end of its stderr
 * are printed on stderr, and bench exits 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct side {
        const char *name;
        const char *prep;
        char **argv;
        double *ms;
        long maxrss;
};

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
                if (write(out, buf, (size_t)n) != n) {
                        n = -1;
                        break;
                }
        close(in);
        if (close(out) < 0)
                n = -1;
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

/* The last part of what a failed command wrote on stderr. */
static void show_stderr(int fd)
{
        char buf[2048];
        off_t end = lseek(fd, 0, SEEK_END);
        off_t from = end > (off_t)sizeof(buf) - 1 ? end - (off_t)sizeof(buf) + 1 : 0;
        ssize_t n = pread(fd, buf, sizeof(buf) - 1, from);

        if (n > 0) {
                buf[n] = '\0';
                fprintf(stderr, "bench: its stderr:\n%s\n", buf);
        }
}

/*
 * One sample in ms, or -1.  The child's stdin and stdout are /dev/null, its
 * stderr goes to errfd, emptied first, to be shown if the command fails.
 */
static double sample(struct side *s, int errfd)
{
        struct timespec a, b;
        struct rusage ru;
        int status;
        pid_t pid;

        if (prep(s->prep) < 0) {
                fprintf(stderr, "bench: %s: prepare %s: %s\n", s->name, s->prep, strerror(errno));
                return -1;
        }
        if (ftruncate(errfd, 0) < 0 || lseek(errfd, 0, SEEK_SET) < 0)
                return -1;
        clock_gettime(CLOCK_MONOTONIC, &a);
        pid = fork();
        if (pid == 0) {
                int null = open("/dev/null", O_RDWR);

                if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(errfd, 2) < 0)
                        _exit(126);
                execv(s->argv[0], s->argv);
                _exit(127);
        }
        if (pid < 0 || wait4(pid, &status, 0, &ru) < 0) {
                fprintf(stderr, "bench: %s: fork or wait: %s\n", s->name, strerror(errno));
                return -1;
        }
        clock_gettime(CLOCK_MONOTONIC, &b);
        if (ru.ru_maxrss > s->maxrss)
                s->maxrss = ru.ru_maxrss;
        /* Every command measured must succeed: a quick failure is no sample. */
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                fprintf(stderr, "bench: %s: %s exited with status 0x%x\n", s->name, s->argv[0],
                        (unsigned)status);
                show_stderr(errfd);
                return -1;
        }
        return (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
}

static int cmp(const void *x, const void *y)
{
        double a = *(const double *)x, b = *(const double *)y;

        return (a > b) - (a < b);
}

/* The q-quantile of v (sorted in place), interpolated between ranks. */
static double quantile(double *v, int n, double q)
{
        double pos = q * (n - 1);
        int i = (int)pos;

        qsort(v, (size_t)n, sizeof(*v), cmp);
        if (i + 1 >= n)
                return v[n - 1];
        return v[i] + (pos - i) * (v[i + 1] - v[i]);
}

static void print_summary(const char *key, double *v, int n, const char *suffix)
{
        printf("\"%s\":{\"median%s\":%.4f,\"p10%s\":%.4f,\"p90%s\":%.4f", key, suffix,
               quantile(v, n, 0.5), suffix, quantile(v, n, 0.1), suffix, quantile(v, n, 0.9));
}

/*
 * A 95% confidence interval for the median that assumes nothing of the
 * distribution: the order statistics of ranks (n - 1.96 sqrt(n)) / 2 and
 * 1 + (n + 1.96 sqrt(n)) / 2 (from 1, clamped to the sample); v is sorted
 * (quantile() sorted it).
 */
static void print_ci(const double *v, int n)
{
        double h = 1.96 * sqrt((double)n);
        int lo = (int)floor((n - h) / 2), hi = (int)ceil(1 + (n + h) / 2);

        lo = lo < 1 ? 1 : lo;
        hi = hi > n ? n : hi;
        printf(",\"ci95_lo\":%.4f,\"ci95_hi\":%.4f", v[lo - 1], v[hi - 1]);
}

static int parse_count(const char *s, int min, int *out)
{
        char *end;
        long v;

        errno = 0;
        v = strtol(s, &end, 10);
        if (errno || end == s || *end || v < min || v > 100000)
                return -1;
        *out = (int)v;
        return 0;
}

static int usage(void)
{
        fprintf(stderr, "usage: bench [-w WARMUP] N PREP_DIRECT PREP_WRAPPED -- DIRECT... -- "
                        "WRAPPED...\n");
        return 2;
}

int main(int argc, char **argv)
{
        struct side d = {.name = "direct"}, w = {.name = "wrapped"};
        double *diff, *ratio;
        int n, warmup = 3, i, a = 1, sep = 0, errfd;

        if (a + 1 < argc && strcmp(argv[a], "-w") == 0) {
                if (parse_count(argv[a + 1], 0, &warmup) < 0)
                        return usage();
                a += 2;
        }
        if (argc - a < 7 || parse_count(argv[a], 1, &n) < 0)
                return usage();
        d.prep = argv[a + 1];
        w.prep = argv[a + 2];
        if (strcmp(argv[a + 3], "--") != 0)
                return usage();
        for (i = a + 3; i < argc; i++)
                if (strcmp(argv[i], "--") == 0) {
                        argv[i] = NULL;
                        if (sep++ == 0)
                                d.argv = &argv[i + 1];
                        else
                                w.argv = &argv[i + 1];
                }
        if (sep != 2 || !d.argv[0] || !w.argv[0])
                return usage();

        d.ms = calloc((size_t)(n + warmup), sizeof(double));
        w.ms = calloc((size_t)(n + warmup), sizeof(double));
        diff = calloc((size_t)n, sizeof(double));
        ratio = calloc((size_t)n, sizeof(double));
        errfd = fileno(tmpfile());
        if (!d.ms || !w.ms || !diff || !ratio || errfd < 0) {
                fprintf(stderr, "bench: out of memory or no temporary file\n");
                return 1;
        }
        for (i = 0; i < warmup + n; i++) {
                struct side *first = i % 2 ? &w : &d, *second = i % 2 ? &d : &w;

                if ((first->ms[i] = sample(first, errfd)) < 0 ||
                    (second->ms[i] = sample(second, errfd)) < 0) {
                        fprintf(stderr, "bench: sample %d failed\n", i);
                        return 1;
                }
        }
        /* The warm-up is dropped; the rest is summarised. */
        d.ms += warmup;
        w.ms += warmup;
        for (i = 0; i < n; i++) {
                diff[i] = w.ms[i] - d.ms[i];
                ratio[i] = w.ms[i] / d.ms[i];
        }
        printf("{\"n\":%d,\"warmup\":%d,", n, warmup);
        print_summary("direct", d.ms, n, "_ms");
        printf(",\"maxrss_kib\":%ld},", d.maxrss);
        print_summary("wrapped", w.ms, n, "_ms");
        printf(",\"maxrss_kib\":%ld},", w.maxrss);
        print_summary("added_ms", diff, n, "");
        print_ci(diff, n);
        printf("},");
        print_summary("ratio", ratio, n, "");
        print_ci(ratio, n);
        printf("}}\n");
        return fflush(stdout) == 0 ? 0 : 1;
}
