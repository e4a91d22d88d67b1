/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The error type shared by every module.
 *
 * A fallible function returns 0 (or a count) on success and a negative errno
 * on failure, and fills a struct hr_error with the errno and a message.
 * Callers add context on the way up with hr_error_prefix().
 */
#ifndef HR_ERROR_H
#define HR_ERROR_H

#include <stddef.h>

#define HR_ERROR_MSG_MAX 1024

struct hr_error {
        int code; /* positive errno, 0 when unset */
        char msg[HR_ERROR_MSG_MAX];
};

#define HR_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Set err (when not NULL) and return -code.  code is a positive errno. */
int hr_error_set(struct hr_error *err, int code, const char *fmt, ...) HR_PRINTF(3, 4);

/* Like hr_error_set(), appending ": strerror(code)". */
int hr_error_errno(struct hr_error *err, int code, const char *fmt, ...) HR_PRINTF(3, 4);

/* Prepend "context: " to the message already in err. Returns -err->code. */
int hr_error_prefix(struct hr_error *err, const char *fmt, ...) HR_PRINTF(2, 3);

#endif
