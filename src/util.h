/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small helpers shared by several modules. */
#ifndef HR_UTIL_H
#define HR_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "hr-error.h"

/* Write the whole buffer, retrying on EINTR.  Returns 0 or -errno. */
int hr_write_all(int fd, const char *buf, size_t len);

/* Parse a decimal unsigned integer in [min, max]; the whole string must be the number. */
int hr_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out, struct hr_error *err);

/* A decimal int64 with an optional leading '-', over its whole range; no message. */
int hr_parse_int(const char *s, int64_t *out);

/* The current time as RFC 3339 in UTC with nanoseconds, e.g. 2026-11-22T07:51:05.123456789Z. */
void hr_rfc3339_now(char *buf, size_t size);
#define HR_RFC3339_MAX 64

/*
 * Lexically clean an absolute path as the runtimes do for mount destinations:
 * a relative path is taken from /, repeated and trailing slashes and "."
 * go, ".." takes away the previous component.  *out is malloc'd.
 */
int hr_path_clean(const char *path, char **out);

#endif
