/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The MCS reservation store (mcs.h) against a temp directory: unique pairs,
 * the same pair for the same container, reuse after release, the file's
 * format, corrupt files refused without being touched, concurrent
 * reservations from several processes kept apart by the lock.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hr-cleanup.h"
#include "mcs.h"
#include "tap.h"

static char dir[] = "/tmp/hardrun-test-mcs-XXXXXX";
static uint32_t seed_value;

static uint32_t fixed_seed(void)
{
        return seed_value;
}

static const struct hr_mcs_store store = {.dir = dir, .seed = fixed_seed};

static char *path_of(const char *name)
{
        static char buf[256];

        snprintf(buf, sizeof(buf), "%s/%s", dir, name);
        return buf;
}

static char *slurp(const char *name)
{
        FILE *f = fopen(path_of(name), "re");
        char *buf = NULL;
        size_t cap = 0, len;

        if (!f)
                return NULL;
        len = getdelim(&buf, &cap, '\0', f);
        fclose(f);
        if (len == (size_t)-1) {
                free(buf);
                return strdup("");
        }
        return buf;
}

static void put_n(const char *name, const char *data, size_t len)
{
        FILE *f = fopen(path_of(name), "we");

        if (!f || fwrite(data, 1, len, f) != len)
                abort();
        fclose(f);
}

static void put(const char *name, const char *text)
{
        put_n(name, text, strlen(text));
}

static void test_pairs(void)
{
        uint8_t *seen = calloc(HR_MCS_CATEGORIES, HR_MCS_CATEGORIES);
        unsigned a, b;
        bool all_ok = true;

        if (!seen)
                abort();
        for (uint32_t i = 0; i < HR_MCS_PAIRS; i++) {
                hr_mcs_pair(i, &a, &b);
                if (a >= b || b >= HR_MCS_CATEGORIES || seen[a * HR_MCS_CATEGORIES + b]++)
                        all_ok = false;
        }
        ok(all_ok, "the %u indices give every pair a < b < %u once", HR_MCS_PAIRS,
           HR_MCS_CATEGORIES);
        free(seen);
        hr_mcs_pair(0, &a, &b);
        ok(a == 0 && b == 1, "index 0 is c0,c1");
        hr_mcs_pair(HR_MCS_PAIRS - 1, &a, &b);
        ok(a == 1022 && b == 1023, "the last index is c1022,c1023");
        hr_mcs_pair(HR_MCS_PAIRS + 1, &a, &b);
        ok(a == 0 && b == 2, "indices wrap around");
}

static void test_parse(void)
{
        static const struct {
                const char *text, *error; /* error NULL: parses */
                size_t n;
        } cases[] = {
            {"", NULL, 0},
            {"# only a comment\n", NULL, 0},
            {"1 2 ctr -\n3 4 ctr /run/x\n", NULL, 2},
            {"1 2 ctr /a root with spaces\n", NULL, 1},
            {"0 1023 c -\n", NULL, 1},
            {"1 2 ctr -", "the last line is cut short", 0},
            {"1 2 ctr\n", "line 1 is not \"A B ID ROOT\"", 0},
            {"\n", "line 1 is not \"A B ID ROOT\"", 0},
            {"# x\n2 1 ctr -\n", "line 2: the categories must be two numbers 0 <= A < B < 1024", 0},
            {"5 5 ctr -\n", "line 1: the categories must be", 0},
            {"1 1024 ctr -\n", "line 1: the categories must be", 0},
            {"-1 2 ctr -\n", "line 1: the categories must be", 0},
            {"x 2 ctr -\n", "line 1: the categories must be", 0},
            {"1 2 a -\n1 2 b -\n", "line 2: the pair c1,c2 is reserved twice", 0},
            {"1 2 a -\n3 4 b -\n5 6 a -\n", "container a (root -) holds two pairs", 0},
            {"1 2 a -\n3 4 a /r\n", NULL, 2},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                struct hr_mcs_table t = {0};
                struct hr_error err = {0};
                int r = hr_mcs_parse(cases[i].text, &t, &err);

                if (cases[i].error)
                        ok(r == -EINVAL && strstr(err.msg, cases[i].error), "corrupt: %s (%s)",
                           cases[i].error, err.msg);
                else
                        ok(r == 0 && t.n == cases[i].n, "parses: %zu entries (%s)", cases[i].n,
                           err.msg);
                hr_mcs_table_done(&t);
        }
}

/* What format writes, parse reads back. */
static void test_format(void)
{
        struct hr_mcs_table t = {0}, back = {0};
        struct hr_error err = {0};
        _cleanup_free_ char *text = NULL;
        size_t len = 0;

        is_int(hr_mcs_parse("7 9 one -\n0 1023 two /run/containerd/runc/k8s.io\n", &t, &err), 0,
               "parse");
        is_int(hr_mcs_format(&t, &text, &len, &err), 0, "format");
        ok(text && strlen(text) == len && text[0] == '#' &&
               strstr(text, "\n7 9 one -\n0 1023 two /run/containerd/runc/k8s.io\n"),
           "the lines as written: %s", text ? text : "");
        is_int(hr_mcs_parse(text, &back, &err), 0, "reads back");
        ok(back.n == 2 && back.v[1].a == 0 && back.v[1].b == 1023 &&
               strcmp(back.v[1].root, "/run/containerd/runc/k8s.io") == 0,
           "the same table");
        hr_mcs_table_done(&t);
        hr_mcs_table_done(&back);
}

static void test_pick_full(void)
{
        struct hr_mcs_table t = {.v = calloc(HR_MCS_PAIRS, sizeof(struct hr_mcs_entry)),
                                 .n = HR_MCS_PAIRS};
        unsigned a = 0, b = 0;

        if (!t.v)
                abort();
        for (uint32_t i = 0; i < HR_MCS_PAIRS; i++)
                hr_mcs_pair(i, &t.v[i].a, &t.v[i].b);
        is_int(hr_mcs_pick(&t, 12345, &a, &b), -ENOSPC, "every pair taken: ENOSPC");
        t.n--; /* c1022,c1023 is free again */
        is_int(hr_mcs_pick(&t, 12345, &a, &b), 0, "one pair free");
        ok(a == 1022 && b == 1023, "and it is found from anywhere (c%u,c%u)", a, b);
        free(t.v);
}

static bool reserve(const char *root, const char *id, struct hr_mcs_reservation *res)
{
        struct hr_error err = {0};
        int r = hr_mcs_reserve(&store, root, id, res, &err);

        if (r < 0)
                printf("# reserve %s: %s\n", id, err.msg);
        return r == 0;
}

static void test_store(void)
{
        struct hr_mcs_reservation r1, r2, r3, r4, r5;
        struct hr_error err = {0};
        bool held = true;
        _cleanup_free_ char *text = NULL;
        char want[128];

        ok(!hr_mcs_any(&store), "an empty store has no file");
        is_int(hr_mcs_held(&store, NULL, "a", &held, &err), 0, "held, with no file");
        ok(!held, "nothing is held");
        seed_value = 1000;
        ok(reserve(NULL, "a", &r1) && r1.fresh, "reserve a");
        ok(hr_mcs_any(&store), "the file exists");
        ok(reserve(NULL, "a", &r2) && !r2.fresh && r2.a == r1.a && r2.b == r1.b,
           "a again: the same pair, not fresh");
        ok(reserve(NULL, "b", &r3) && r3.fresh && (r3.a != r1.a || r3.b != r1.b),
           "b, from the same seed: another pair");
        ok(reserve("/run/other", "a", &r4) && r4.fresh && (r4.a != r1.a || r4.b != r1.b) &&
               (r4.a != r3.a || r4.b != r3.b),
           "a under another --root: another pair");
        text = slurp("mcs");
        snprintf(want, sizeof(want), "%u %u a -\n%u %u b -\n%u %u a /run/other\n", r1.a, r1.b, r3.a,
                 r3.b, r4.a, r4.b);
        ok(text && text[0] == '#' && strstr(text, want), "the file: %s", text ? text : "");
        is_int(hr_mcs_held(&store, NULL, "a", &held, &err), 0, "held");
        ok(held, "a is held");
        is_int(hr_mcs_release(&store, NULL, "a", &err), 0, "release a (%s)", err.msg);
        is_int(hr_mcs_held(&store, NULL, "a", &held, &err), 0, "held");
        ok(!held, "a is no longer held");
        ok(reserve(NULL, "c", &r5) && r5.a == r1.a && r5.b == r1.b, "c gets a's pair back");
        is_int(hr_mcs_release(&store, NULL, "nobody", &err), 0, "releasing what is not held");
        is_int(hr_mcs_release(&store, NULL, "b", &err), 0, "release b");
        is_int(hr_mcs_release(&store, NULL, "c", &err), 0, "release c");
        is_int(hr_mcs_release(&store, "/run/other", "a", &err), 0, "release the other a");
        ok(!hr_mcs_any(&store), "the last release removes the file");
        ok(access(path_of("mcs.tmp"), F_OK) < 0, "no temp file is left");
}

/* Many distinct containers, all from the same seed: every pair unique. */
static void test_unique(void)
{
        struct hr_mcs_table t = {0};
        struct hr_error err = {0};
        _cleanup_free_ char *text = NULL;
        bool all = true;
        char id[32];

        seed_value = HR_MCS_PAIRS - 3; /* the search wraps around past the last pair */
        for (int i = 0; i < 300; i++) {
                struct hr_mcs_reservation r;

                snprintf(id, sizeof(id), "ctr-%d", i);
                all &= reserve(NULL, id, &r) && r.fresh;
        }
        ok(all, "300 reservations");
        text = slurp("mcs");
        is_int(text ? hr_mcs_parse(text, &t, &err) : -1, 0, "the file parses (%s)", err.msg);
        is_int(t.n, 300, "with 300 lines, unique pairs and keys (parse checks both)");
        for (size_t i = 0; i < t.n; i++)
                (void)hr_mcs_release(&store, NULL, t.v[i].id, &err);
        ok(!hr_mcs_any(&store), "all released");
        hr_mcs_table_done(&t);
}

/* Several processes reserving at once, from the same seed: the lock keeps them apart. */
static void test_concurrent(void)
{
        enum { PROCS = 6, EACH = 25 };
        struct hr_mcs_table t = {0};
        struct hr_error err = {0};
        _cleanup_free_ char *text = NULL;
        int failed = 0;

        seed_value = 77;
        for (int p = 0; p < PROCS; p++) {
                pid_t pid = fork();

                if (pid < 0)
                        abort();
                if (pid == 0) {
                        int bad = 0;

                        for (int i = 0; i < EACH; i++) {
                                struct hr_mcs_reservation r;
                                char id[32];

                                snprintf(id, sizeof(id), "p%d-%d", p, i);
                                bad |= hr_mcs_reserve(&store, NULL, id, &r, NULL) < 0;
                        }
                        _exit(bad);
                }
        }
        for (int p = 0; p < PROCS; p++) {
                int status = 0;

                if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
                        failed++;
        }
        is_int(failed, 0, "%d processes reserved %d pairs each", PROCS, EACH);
        text = slurp("mcs");
        is_int(text ? hr_mcs_parse(text, &t, &err) : -1, 0, "the file parses (%s)", err.msg);
        is_int(t.n, PROCS * EACH, "every reservation is there, each with its own pair");
        hr_mcs_table_done(&t);
        unlink(path_of("mcs"));
}

static void test_corrupt(void)
{
        static const char *const bad = "1 2 a -\n1 2 b -\n";
        struct hr_mcs_reservation r;
        struct hr_error err = {0};
        _cleanup_free_ char *after = NULL;
        bool held;

        put("mcs", bad);
        ok(hr_mcs_reserve(&store, NULL, "x", &r, &err) == -EINVAL &&
               strstr(err.msg, "/mcs is corrupt: line 2: the pair c1,c2 is reserved twice"),
           "a corrupt file: reserving fails closed (%s)", err.msg);
        ok(hr_mcs_release(&store, NULL, "a", &err) == -EINVAL, "releasing fails too");
        ok(hr_mcs_held(&store, NULL, "a", &held, &err) == -EINVAL, "and looking up");
        after = slurp("mcs");
        is_str(after, bad, "the file is left as it was");
        put_n("mcs", "1 2 a -\n\0003 4 b -\n", 16);
        err = (struct hr_error){0};
        ok(hr_mcs_reserve(&store, NULL, "x", &r, &err) < 0 && strstr(err.msg, "is corrupt"),
           "a file cut at a NUL is corrupt (%s)", err.msg);
        unlink(path_of("mcs"));
        if (symlink("/etc/passwd", path_of("mcs")) < 0)
                abort();
        ok(hr_mcs_reserve(&store, NULL, "x", &r, &err) < 0, "a symlink is not followed (%s)",
           err.msg);
        unlink(path_of("mcs"));
        put("mcs.tmp", "left by a crash");
        ok(reserve(NULL, "x", &r), "a leftover temp file is replaced");
        ok(access(path_of("mcs.tmp"), F_OK) < 0, "and gone");
        is_int(hr_mcs_release(&store, NULL, "x", &err), 0, "release");
}

static void test_keys_and_dir(void)
{
        struct hr_mcs_reservation r;
        struct hr_error err = {0};

        ok(hr_mcs_reserve(&store, NULL, "a b", &r, &err) == -EINVAL &&
               strstr(err.msg, "holds white space"),
           "an id with a space cannot be a key (%s)", err.msg);
        ok(hr_mcs_reserve(&store, "/r\nx", "a", &r, &err) == -EINVAL, "nor a root with a newline");
        ok(hr_mcs_reserve(&store, NULL, "", &r, &err) == -EINVAL, "nor an empty id");
        if (chmod(dir, 0777) < 0)
                abort();
        ok(hr_mcs_reserve(&store, NULL, "a", &r, &err) == -EPERM &&
               strstr(err.msg, "no one else may write"),
           "a directory others may write is refused (%s)", err.msg);
        if (chmod(dir, 0700) < 0)
                abort();
}

/* The store creates its directory, mode 0700. */
static void test_creates_dir(void)
{
        char sub[300];
        struct hr_mcs_store s2 = {.dir = sub, .seed = fixed_seed};
        struct hr_mcs_reservation r;
        struct hr_error err = {0};
        struct stat st;

        snprintf(sub, sizeof(sub), "%s/run", dir);
        ok(!hr_mcs_any(&s2), "nothing there");
        is_int(hr_mcs_release(&s2, NULL, "a", &err), 0, "releasing with no directory");
        ok(stat(sub, &st) < 0, "creates nothing");
        is_int(hr_mcs_reserve(&s2, NULL, "a", &r, &err), 0, "reserve (%s)", err.msg);
        ok(stat(sub, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 0700,
           "the directory is made 0700");
        is_int(hr_mcs_release(&s2, NULL, "a", &err), 0, "release");
        unlink(path_of("run/mcs.lock"));
        rmdir(sub);
}

int main(void)
{
        if (!mkdtemp(dir))
                abort();
        test_pairs();
        test_parse();
        test_format();
        test_pick_full();
        test_store();
        test_unique();
        test_concurrent();
        test_corrupt();
        test_keys_and_dir();
        test_creates_dir();
        unlink(path_of("mcs"));
        unlink(path_of("mcs.lock"));
        unlink(path_of("mcs.tmp"));
        rmdir(dir);
        return tap_done();
}
