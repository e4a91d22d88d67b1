/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The MCS pairs hardrun gives containers on an SELinux host (DESIGN §5).
 *
 * A container that comes without an SELinux label gets container_t with a
 * level s0:cA,cB whose category pair no other container hardrun labelled
 * holds, so that MCS keeps containers apart from each other.  hardrun is no
 * daemon, so the reservations live in a file that outlives the process:
 * DIR/mcs (DIR is /run/hardrun, a tmpfs: a reboot, which ends every
 * container, clears it).
 *
 * The file is changed only under flock() of DIR/mcs.lock, and replaced
 * whole: written to DIR/mcs.tmp, fsync'ed and renamed over DIR/mcs, so a
 * reader never sees half of it and a crash leaves the old file or the new.
 * Its format, one line per container, '#' lines being comments:
 *
 *     A B ID ROOT
 *
 * the categories (0 <= A < B < 1024), the container id, and the runtime's
 * --root it was created under ("-" for the runtime's default), which is the
 * rest of the line.  A pair appears at most once, and so does a container.
 * A file that breaks these rules is corrupt: reserving then fails closed,
 * since hardrun cannot tell which pairs are in use, and releasing leaves
 * the file as it is.
 *
 * The store is an interface so that tests run it against a temp directory.
 */
#ifndef HR_MCS_H
#define HR_MCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hr-error.h"

#define HR_MCS_DIR        "/run/hardrun"
#define HR_MCS_CATEGORIES 1024u
#define HR_MCS_PAIRS      (HR_MCS_CATEGORIES * (HR_MCS_CATEGORIES - 1u) / 2u)
#define HR_MCS_NO_ROOT    "-" /* the key's root when --root is not given */

struct hr_mcs_store {
        const char *dir;
        /* Where the search for a free pair starts (any number); random in the real store. */
        uint32_t (*seed)(void);
};

/* /run/hardrun, seeded from getrandom(2). */
extern const struct hr_mcs_store hr_mcs_store_real;

struct hr_mcs_entry {
        unsigned a, b; /* a < b */
        char *id;
        char *root;
};

struct hr_mcs_table {
        struct hr_mcs_entry *v;
        size_t n;
};

/* Parse the file's text; a line that breaks the format is -EINVAL, naming the line. */
int hr_mcs_parse(const char *text, struct hr_mcs_table *out, struct hr_error *err);

/* The file's text for t (malloc'd, NUL-terminated). */
int hr_mcs_format(const struct hr_mcs_table *t, char **out, size_t *len, struct hr_error *err);

void hr_mcs_table_done(struct hr_mcs_table *t);

/* The pair with index i (taken modulo HR_MCS_PAIRS): every pair a < b has exactly one. */
void hr_mcs_pair(uint32_t i, unsigned *a, unsigned *b);

/* The first pair from index start on that t does not hold; -ENOSPC when it holds them all. */
int hr_mcs_pick(const struct hr_mcs_table *t, uint32_t start, unsigned *a, unsigned *b);

struct hr_mcs_reservation {
        unsigned a, b; /* a < b */
        bool fresh;    /* reserved by this call, not held before */
};

/*
 * The pair reserved for the container (root, id): the one it already holds,
 * or a free one, recorded.  root NULL stands for the runtime's default.
 */
int hr_mcs_reserve(const struct hr_mcs_store *s, const char *root, const char *id,
                   struct hr_mcs_reservation *out, struct hr_error *err);

/* Is a pair reserved for (root, id)?  A read without the lock (the file is replaced whole). */
int hr_mcs_held(const struct hr_mcs_store *s, const char *root, const char *id, bool *held,
                struct hr_error *err);

/*
 * Release the pair of (root, id).  Releasing what is not reserved is no
 * error and writes nothing; the file goes when its last line does.
 */
int hr_mcs_release(const struct hr_mcs_store *s, const char *root, const char *id,
                   struct hr_error *err);

/* Does DIR/mcs exist?  One stat(2): all that a delete costs on a host where nothing is reserved. */
bool hr_mcs_any(const struct hr_mcs_store *s);

#endif
