/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A minimal TAP producer for the unit tests.  Each test binary prints TAP on stdout. */
#ifndef HR_TAP_H
#define HR_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_count;
static int tap_failed;

static inline void tap_vreport(int pass, const char *file, int line, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
static inline void tap_vreport(int pass, const char *file, int line, const char *fmt, va_list ap)
{
        tap_count++;
        if (!pass)
                tap_failed++;
        printf("%sok %d - ", pass ? "" : "not ", tap_count);
        vprintf(fmt, ap);
        printf("\n");
        if (!pass)
                printf("#   failed at %s:%d\n", file, line);
}

static inline int tap_ok(int pass, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static inline int tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        tap_vreport(pass, file, line, fmt, ap);
        va_end(ap);
        return pass;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define is_int(got, want, ...)                                                                     \
        do {                                                                                       \
                long long _g = (long long)(got), _w = (long long)(want);                           \
                if (!ok(_g == _w, __VA_ARGS__))                                                    \
                        printf("#   got %lld, want %lld\n", _g, _w);                               \
        } while (0)

#define is_str(got, want, ...)                                                                     \
        do {                                                                                       \
                const char *_g = (got), *_w = (want);                                              \
                int _p = (_g == NULL && _w == NULL) || (_g && _w && strcmp(_g, _w) == 0);          \
                if (!ok(_p, __VA_ARGS__))                                                          \
                        printf("#   got \"%s\", want \"%s\"\n", _g ? _g : "(null)",                \
                               _w ? _w : "(null)");                                                \
        } while (0)

/* Print the plan and return the exit status for main(). */
static inline int tap_done(void)
{
        printf("1..%d\n", tap_count);
        return tap_failed ? 1 : 0;
}

#endif
