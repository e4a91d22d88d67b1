/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "hr-error.h"

static int set_v(struct hr_error *err, int code, bool with_errno, const char *fmt, va_list ap)
    HR_PRINTF(4, 0);
static int set_v(struct hr_error *err, int code, bool with_errno, const char *fmt, va_list ap)
{
        if (code <= 0)
                code = EINVAL;
        if (err) {
                int n;

                err->code = code;
                n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
                if (with_errno && n >= 0 && (size_t)n < sizeof(err->msg))
                        snprintf(err->msg + n, sizeof(err->msg) - (size_t)n, ": %s",
                                 strerror(code));
        }
        return -code;
}

int hr_error_set(struct hr_error *err, int code, const char *fmt, ...)
{
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = set_v(err, code, false, fmt, ap);
        va_end(ap);
        return r;
}

int hr_error_errno(struct hr_error *err, int code, const char *fmt, ...)
{
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = set_v(err, code, true, fmt, ap);
        va_end(ap);
        return r;
}

int hr_error_prefix(struct hr_error *err, const char *fmt, ...)
{
        char old[HR_ERROR_MSG_MAX];
        size_t n, keep;
        va_list ap;

        if (!err)
                return -EINVAL;
        if (err->code <= 0)
                err->code = EINVAL;
        memcpy(old, err->msg, sizeof(old));
        old[sizeof(old) - 1] = '\0';
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
        n = strlen(err->msg);
        if (n + 3 < sizeof(err->msg)) {
                memcpy(err->msg + n, ": ", 2);
                n += 2;
                keep = strlen(old);
                if (keep > sizeof(err->msg) - 1 - n)
                        keep = sizeof(err->msg) - 1 - n;
                memcpy(err->msg + n, old, keep);
                err->msg[n + keep] = '\0';
        }
        return -err->code;
}
