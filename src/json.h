/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A mutable JSON tree that round-trips faithfully.
 *
 * Parsing keeps key order, unknown keys and the exact source text of every
 * number.  It refuses duplicate keys (anywhere), nesting deeper than
 * HR_JSON_MAX_DEPTH, input over HR_JSON_MAX_SIZE bytes and invalid UTF-8.
 * json.c is the only file that includes yajl.
 */
#ifndef HR_JSON_H
#define HR_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "hr-cleanup.h"
#include "hr-error.h"

#define HR_JSON_MAX_DEPTH 64
#define HR_JSON_MAX_SIZE  (16u * 1024u * 1024u)

enum hr_json_type {
        HR_JSON_NULL,
        HR_JSON_BOOL,
        HR_JSON_NUMBER, /* kept as its source text */
        HR_JSON_STRING,
        HR_JSON_ARRAY,
        HR_JSON_OBJECT,
};

struct hr_json;

struct hr_json_member {
        char *key; /* NUL-terminated; keys holding "\u0000" are refused */
        struct hr_json *value;
        unsigned line; /* of the key, 1-based, when parsed with HR_JSON_LINES; else 0 */
};

struct hr_json {
        enum hr_json_type type;
        union {
                bool boolean;
                struct {
                        char *text; /* NUL-terminated copy */
                        size_t len; /* may hold embedded NULs for strings */
                } str;              /* HR_JSON_STRING and HR_JSON_NUMBER */
                struct {
                        struct hr_json **items;
                        size_t len, cap;
                } arr;
                struct {
                        struct hr_json_member *members;
                        size_t len, cap;
                } obj;
        } u;
};

enum hr_json_parse_flags {
        HR_JSON_ALLOW_COMMENTS = 1 << 0, /* policy files; never config.json */
        HR_JSON_LINES = 1 << 1,          /* record the line of every key (policy files) */
        /*
         * hardrun's own data, built into it and checked by its tests (the
         * default seccomp profile): the UTF-8 and duplicate-key checks are
         * skipped.  Never for anything read from outside.
         */
        HR_JSON_TRUSTED = 1 << 2,
};

/* Parse buf[0..len).  *out is set only on success. */
int hr_json_parse(const char *buf, size_t len, unsigned flags, struct hr_json **out,
                  struct hr_error *err);

enum hr_json_write_flags {
        HR_JSON_PRETTY = 1 << 0, /* tab-indented, as `runc spec` writes */
};

/* Serialise to a NUL-terminated malloc'd buffer; out and out_len are set only on success. */
int hr_json_write(const struct hr_json *node, unsigned flags, char **out, size_t *out_len,
                  struct hr_error *err);

void hr_json_free(struct hr_json *node);
DEFINE_CLEANUP_FUNC(struct hr_json *, hr_json_free)
#define _cleanup_json_ _cleanup_(hr_json_freep)

/*
 * From now on, nodes come from an arena and hr_json_free() does nothing: for
 * a process that execs soon after (main), never for tests or long-lived use.
 */
void hr_json_arena(void);

/* Constructors return NULL only when out of memory. */
struct hr_json *hr_json_new_null(void);
struct hr_json *hr_json_new_bool(bool value);
struct hr_json *hr_json_new_string(const char *s);
struct hr_json *hr_json_new_number(const char *text); /* text must be valid JSON number */
struct hr_json *hr_json_new_array(void);
struct hr_json *hr_json_new_object(void);
struct hr_json *hr_json_copy(const struct hr_json *node);

/* Structural equality; numbers compare by source text. */
bool hr_json_equal(const struct hr_json *a, const struct hr_json *b);

/* Object access.  get returns NULL when node is not an object or key is absent. */
struct hr_json *hr_json_get(const struct hr_json *obj, const char *key);
/* Typed get: NULL unless the member exists and has that type. */
struct hr_json *hr_json_get_type(const struct hr_json *obj, const char *key,
                                 enum hr_json_type type);
/*
 * Set key to value, taking ownership of value (also on failure).  An existing
 * member is replaced in place, keeping its position; a new one is appended.
 */
int hr_json_set(struct hr_json *obj, const char *key, struct hr_json *value);
/* Remove key if present; returns 1 when removed, 0 when absent. */
int hr_json_remove(struct hr_json *obj, const char *key);

/* Append to an array, taking ownership of value (also on failure). */
int hr_json_append(struct hr_json *arr, struct hr_json *value);

/* Convenience: string contents, or NULL when node is not a string. */
const char *hr_json_string(const struct hr_json *node);

const char *hr_json_type_name(enum hr_json_type type);

#endif
