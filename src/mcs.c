/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hr-cleanup.h"
#include "mcs.h"
#include "util.h"

#define FILE_NAME "mcs"
#define LOCK_NAME "mcs.lock"
#define TEMP_NAME "mcs.tmp"
#define FILE_MAX  (16u * 1024u * 1024u)
#define HEADER                                                                                     \
        "# hardrun: the SELinux MCS pairs of the containers it labelled (hardrun-policy(5)).\n"    \
        "# Changed only under flock(mcs.lock); one line per container: A B ID ROOT.\n"

static uint32_t real_seed(void)
{
        uint32_t v = 0;

        /* Without entropy the search still finds a free pair, only a predictable one. */
        if (getrandom(&v, sizeof(v), GRND_NONBLOCK) != (ssize_t)sizeof(v))
                v = (uint32_t)getpid();
        return v;
}

const struct hr_mcs_store hr_mcs_store_real = {.dir = HR_MCS_DIR, .seed = real_seed};

void hr_mcs_table_done(struct hr_mcs_table *t)
{
        for (size_t i = 0; i < t->n; i++) {
                free(t->v[i].id);
                free(t->v[i].root);
        }
        free(t->v);
        *t = (struct hr_mcs_table){0};
}

void hr_mcs_pair(uint32_t i, unsigned *a, unsigned *b)
{
        unsigned first = 0;

        i %= HR_MCS_PAIRS;
        while (i >= HR_MCS_CATEGORIES - 1 - first) {
                i -= HR_MCS_CATEGORIES - 1 - first;
                first++;
        }
        *a = first;
        *b = first + 1 + i;
}

static const char *key_root(const char *root)
{
        return root ? root : HR_MCS_NO_ROOT;
}

static ssize_t find(const struct hr_mcs_table *t, const char *root, const char *id)
{
        for (size_t i = 0; i < t->n; i++)
                if (strcmp(t->v[i].id, id) == 0 && strcmp(t->v[i].root, key_root(root)) == 0)
                        return (ssize_t)i;
        return -1;
}

static int append(struct hr_mcs_table *t, unsigned a, unsigned b, const char *id, const char *root)
{
        struct hr_mcs_entry *v = realloc(t->v, (t->n + 1) * sizeof(*v));

        if (!v)
                return -ENOMEM;
        t->v = v;
        v[t->n] = (struct hr_mcs_entry){.a = a, .b = b, .id = strdup(id), .root = strdup(root)};
        if (!v[t->n].id || !v[t->n].root) {
                free(v[t->n].id);
                free(v[t->n].root);
                return -ENOMEM;
        }
        t->n++;
        return 0;
}

/* A bit per pair a < b, set for the pairs a table holds. */
struct pairset {
        uint8_t *bits;
};

static size_t pair_bit(unsigned a, unsigned b)
{
        return (size_t)a * HR_MCS_CATEGORIES + b;
}

static bool pairset_test_and_set(struct pairset *set, unsigned a, unsigned b)
{
        size_t bit = pair_bit(a, b);
        bool was = set->bits[bit / 8] & (1u << (bit % 8));

        set->bits[bit / 8] |= (uint8_t)(1u << (bit % 8));
        return was;
}

static int pairset_of(const struct hr_mcs_table *t, struct pairset *out)
{
        if (!(out->bits = calloc(HR_MCS_CATEGORIES, HR_MCS_CATEGORIES / 8)))
                return -ENOMEM;
        for (size_t i = 0; i < t->n; i++)
                (void)pairset_test_and_set(out, t->v[i].a, t->v[i].b);
        return 0;
}

/* One line "A B ID ROOT" (without its newline) into t. */
static int parse_line(char *line, size_t number, struct pairset *pairs, struct hr_mcs_table *t,
                      struct hr_error *err)
{
        char *fields[3], *root, *save = NULL;
        uint64_t a, b;

        fields[0] = strtok_r(line, " ", &save);
        fields[1] = strtok_r(NULL, " ", &save);
        fields[2] = strtok_r(NULL, " ", &save);
        root = strtok_r(NULL, "", &save);
        if (!fields[2] || !root || !*root)
                return hr_error_set(err, EINVAL, "line %zu is not \"A B ID ROOT\"", number);
        if (hr_parse_uint(fields[0], 0, HR_MCS_CATEGORIES - 1, &a, NULL) < 0 ||
            hr_parse_uint(fields[1], 0, HR_MCS_CATEGORIES - 1, &b, NULL) < 0 || a >= b)
                return hr_error_set(err, EINVAL,
                                    "line %zu: the categories must be two numbers 0 <= A < B < "
                                    "%u",
                                    number, HR_MCS_CATEGORIES);
        if (pairset_test_and_set(pairs, (unsigned)a, (unsigned)b))
                return hr_error_set(err, EINVAL, "line %zu: the pair c%u,c%u is reserved twice",
                                    number, (unsigned)a, (unsigned)b);
        if (append(t, (unsigned)a, (unsigned)b, fields[2], root) < 0)
                return hr_error_set(err, ENOMEM, "out of memory");
        return 0;
}

static int entry_cmp(const void *x, const void *y)
{
        const struct hr_mcs_entry *a = x, *b = y;
        int r = strcmp(a->id, b->id);

        return r ? r : strcmp(a->root, b->root);
}

/* A container holding two pairs, found in a sorted copy; -EINVAL naming it. */
static int check_unique_keys(const struct hr_mcs_table *t, struct hr_error *err)
{
        _cleanup_free_ struct hr_mcs_entry *sorted = NULL;

        if (t->n < 2)
                return 0;
        if (!(sorted = malloc(t->n * sizeof(*sorted))))
                return hr_error_set(err, ENOMEM, "out of memory");
        memcpy(sorted, t->v, t->n * sizeof(*sorted));
        qsort(sorted, t->n, sizeof(*sorted), entry_cmp);
        for (size_t i = 1; i < t->n; i++)
                if (entry_cmp(&sorted[i - 1], &sorted[i]) == 0)
                        return hr_error_set(err, EINVAL, "container %s (root %s) holds two pairs",
                                            sorted[i].id, sorted[i].root);
        return 0;
}

int hr_mcs_parse(const char *text, struct hr_mcs_table *out, struct hr_error *err)
{
        struct hr_mcs_table t = {0};
        struct pairset pairs = {0};
        _cleanup_free_ char *copy = strdup(text);
        char *line, *next;
        size_t number = 0;
        int r = 0;

        if (!copy || !(pairs.bits = calloc(HR_MCS_CATEGORIES, HR_MCS_CATEGORIES / 8))) {
                free(pairs.bits);
                return hr_error_set(err, ENOMEM, "out of memory");
        }
        if (*copy && copy[strlen(copy) - 1] != '\n')
                r = hr_error_set(err, EINVAL, "the last line is cut short");
        for (line = copy; r == 0 && *line; line = next) {
                next = strchr(line, '\n');
                *next++ = '\0';
                number++;
                if (*line != '#')
                        r = parse_line(line, number, &pairs, &t, err);
        }
        free(pairs.bits);
        if (r == 0)
                r = check_unique_keys(&t, err);
        if (r < 0) {
                hr_mcs_table_done(&t);
                return r;
        }
        *out = t;
        return 0;
}

int hr_mcs_format(const struct hr_mcs_table *t, char **out, size_t *len, struct hr_error *err)
{
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);
        bool failed;

        if (!f)
                return hr_error_set(err, ENOMEM, "out of memory");
        failed = fputs(HEADER, f) < 0;
        for (size_t i = 0; !failed && i < t->n; i++)
                failed =
                    fprintf(f, "%u %u %s %s\n", t->v[i].a, t->v[i].b, t->v[i].id, t->v[i].root) < 0;
        if (fclose(f) != 0 || failed) {
                free(buf);
                return hr_error_set(err, ENOMEM, "out of memory");
        }
        *out = buf;
        *len = size;
        return 0;
}

/* ---- the files ------------------------------------------------------------- */

/* The store's directory: created 0700 when asked, and refused unless it is ours alone. */
static int open_dir(const struct hr_mcs_store *s, bool create, int *out, struct hr_error *err)
{
        _cleanup_close_ int fd = -1;
        struct stat st;

        if (create && mkdir(s->dir, 0700) < 0 && errno != EEXIST)
                return hr_error_errno(err, errno, "creating %s", s->dir);
        if ((fd = open(s->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
                return hr_error_errno(err, errno, "opening %s", s->dir);
        if (fstat(fd, &st) < 0)
                return hr_error_errno(err, errno, "checking %s", s->dir);
        if (st.st_uid != geteuid() || (st.st_mode & 022))
                return hr_error_set(err, EPERM,
                                    "%s belongs to uid %u with mode %04o; hardrun keeps its "
                                    "reservations only in a directory of its own user that no "
                                    "one else may write",
                                    s->dir, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
        *out = TAKE_FD(fd);
        return 0;
}

static int lock_dir(int dirfd, const char *dir, int *out, struct hr_error *err)
{
        _cleanup_close_ int fd = -1;

        fd = openat(dirfd, LOCK_NAME, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
                return hr_error_errno(err, errno, "opening %s/" LOCK_NAME, dir);
        while (flock(fd, LOCK_EX) < 0)
                if (errno != EINTR)
                        return hr_error_errno(err, errno, "locking %s/" LOCK_NAME, dir);
        *out = TAKE_FD(fd);
        return 0;
}

/* DIR/mcs into t; a missing file is an empty table. */
static int load(int dirfd, const char *dir, struct hr_mcs_table *t, struct hr_error *err)
{
        _cleanup_close_ int fd = -1;
        _cleanup_free_ char *text = NULL;
        struct stat st;
        size_t used = 0;
        int r;

        *t = (struct hr_mcs_table){0};
        fd = openat(dirfd, FILE_NAME, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT)
                return 0;
        if (fd < 0 || fstat(fd, &st) < 0)
                return hr_error_errno(err, errno, "reading %s/" FILE_NAME, dir);
        if (!S_ISREG(st.st_mode) || st.st_size < 0 || (uint64_t)st.st_size > FILE_MAX)
                return hr_error_set(err, EINVAL,
                                    "%s/" FILE_NAME " is not a regular file of at "
                                    "most 16 MiB",
                                    dir);
        if (!(text = malloc((size_t)st.st_size + 1)))
                return hr_error_set(err, ENOMEM, "out of memory");
        while (used < (size_t)st.st_size) {
                ssize_t n = read(fd, text + used, (size_t)st.st_size - used);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return hr_error_errno(err, errno, "reading %s/" FILE_NAME, dir);
                if (n == 0)
                        break;
                used += (size_t)n;
        }
        text[used] = '\0';
        if (strlen(text) != used)
                return hr_error_set(err, EINVAL,
                                    "%s/" FILE_NAME " is corrupt: it holds a NUL "
                                    "byte",
                                    dir);
        if ((r = hr_mcs_parse(text, t, err)) < 0)
                return hr_error_prefix(err, "%s/" FILE_NAME " is corrupt", dir);
        return 0;
}

/* Replace DIR/mcs with t (under the lock); an empty table removes it. */
static int store(int dirfd, const char *dir, const struct hr_mcs_table *t, struct hr_error *err)
{
        _cleanup_free_ char *text = NULL;
        _cleanup_close_ int fd = -1;
        size_t len;
        int r;

        if (t->n == 0) {
                if (unlinkat(dirfd, FILE_NAME, 0) < 0 && errno != ENOENT)
                        return hr_error_errno(err, errno, "removing %s/" FILE_NAME, dir);
                return 0;
        }
        if ((r = hr_mcs_format(t, &text, &len, err)) < 0)
                return r;
        /* Only a crash leaves a temp file behind, and the lock is held: it is ours to remove. */
        if (unlinkat(dirfd, TEMP_NAME, 0) < 0 && errno != ENOENT)
                return hr_error_errno(err, errno, "removing %s/" TEMP_NAME, dir);
        fd = openat(dirfd, TEMP_NAME, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
                return hr_error_errno(err, errno, "creating %s/" TEMP_NAME, dir);
        r = hr_write_all(fd, text, len);
        if (r == 0 && fsync(fd) < 0)
                r = -errno;
        if (r == 0 && renameat(dirfd, TEMP_NAME, dirfd, FILE_NAME) < 0)
                r = -errno;
        if (r < 0) {
                (void)unlinkat(dirfd, TEMP_NAME, 0);
                return hr_error_errno(err, -r, "writing %s/" FILE_NAME, dir);
        }
        return 0;
}

int hr_mcs_pick(const struct hr_mcs_table *t, uint32_t start, unsigned *a, unsigned *b)
{
        struct pairset used = {0};
        int r = -ENOSPC;

        if (pairset_of(t, &used) < 0)
                return -ENOMEM;
        for (uint32_t k = 0; k < HR_MCS_PAIRS; k++) {
                size_t bit;

                hr_mcs_pair(start % HR_MCS_PAIRS + k, a, b);
                bit = pair_bit(*a, *b);
                if (!(used.bits[bit / 8] & (1u << (bit % 8)))) {
                        r = 0;
                        break;
                }
        }
        free(used.bits);
        return r;
}

static int check_key(const char *root, const char *id, struct hr_error *err)
{
        if (!*id || strpbrk(id, " \t\n"))
                return hr_error_set(err, EINVAL,
                                    "the container id \"%s\" cannot key an MCS reservation (it "
                                    "is empty or holds white space)",
                                    id);
        if (root && (!*root || strchr(root, '\n')))
                return hr_error_set(err, EINVAL,
                                    "the runtime root \"%s\" cannot key an MCS reservation", root);
        return 0;
}

int hr_mcs_reserve(const struct hr_mcs_store *s, const char *root, const char *id,
                   struct hr_mcs_reservation *out, struct hr_error *err)
{
        _cleanup_close_ int dirfd = -1, lockfd = -1;
        struct hr_mcs_table t = {0};
        struct hr_mcs_reservation res = {0};
        ssize_t held;
        int r;

        if ((r = check_key(root, id, err)) < 0 || (r = open_dir(s, true, &dirfd, err)) < 0 ||
            (r = lock_dir(dirfd, s->dir, &lockfd, err)) < 0 ||
            (r = load(dirfd, s->dir, &t, err)) < 0)
                return r;
        if ((held = find(&t, root, id)) >= 0) {
                res.a = t.v[held].a;
                res.b = t.v[held].b;
        } else if ((r = hr_mcs_pick(&t, s->seed(), &res.a, &res.b)) < 0) {
                r = r == -ENOSPC ? hr_error_set(err, ENOSPC,
                                                "all %u MCS pairs are reserved in %s/" FILE_NAME,
                                                HR_MCS_PAIRS, s->dir)
                                 : hr_error_set(err, ENOMEM, "out of memory");
        } else if (append(&t, res.a, res.b, id, key_root(root)) < 0) {
                r = hr_error_set(err, ENOMEM, "out of memory");
        } else {
                res.fresh = true;
                r = store(dirfd, s->dir, &t, err);
        }
        hr_mcs_table_done(&t);
        if (r < 0)
                return r;
        *out = res;
        return 0;
}

int hr_mcs_held(const struct hr_mcs_store *s, const char *root, const char *id, bool *held,
                struct hr_error *err)
{
        _cleanup_close_ int dirfd = -1;
        struct hr_mcs_table t = {0};
        int r;

        *held = false;
        if ((r = open_dir(s, false, &dirfd, err)) < 0)
                return r == -ENOENT ? 0 : r;
        if ((r = load(dirfd, s->dir, &t, err)) < 0)
                return r;
        *held = find(&t, root, id) >= 0;
        hr_mcs_table_done(&t);
        return 0;
}

int hr_mcs_release(const struct hr_mcs_store *s, const char *root, const char *id,
                   struct hr_error *err)
{
        _cleanup_close_ int dirfd = -1, lockfd = -1;
        struct hr_mcs_table t = {0};
        ssize_t i;
        int r;

        if ((r = open_dir(s, false, &dirfd, err)) < 0)
                return r == -ENOENT ? 0 : r;
        if ((r = lock_dir(dirfd, s->dir, &lockfd, err)) < 0 ||
            (r = load(dirfd, s->dir, &t, err)) < 0)
                return r;
        if ((i = find(&t, root, id)) >= 0) {
                free(t.v[i].id);
                free(t.v[i].root);
                memmove(&t.v[i], &t.v[i + 1], (t.n - (size_t)i - 1) * sizeof(*t.v));
                t.n--;
                r = store(dirfd, s->dir, &t, err);
        }
        hr_mcs_table_done(&t);
        return r;
}

bool hr_mcs_any(const struct hr_mcs_store *s)
{
        _cleanup_free_ char *path = NULL;
        struct stat st;

        if (asprintf(&path, "%s/" FILE_NAME, s->dir) < 0)
                return true; /* cannot tell: let the caller look */
        return lstat(path, &st) == 0;
}
