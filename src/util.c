/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

int hr_write_all(int fd, const char *buf, size_t len)
{
        while (len > 0) {
                ssize_t n = write(fd, buf, len);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                buf += n;
                len -= (size_t)n;
        }
        return 0;
}

int hr_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out, struct hr_error *err)
{
        unsigned long long v;
        char *end;

        if (!s || !isdigit((unsigned char)s[0]))
                return hr_error_set(err, EINVAL, "\"%s\" is not a non-negative integer",
                                    s ? s : "");
        errno = 0;
        v = strtoull(s, &end, 10);
        if (errno == ERANGE || *end != '\0' || v < min || v > max)
                return hr_error_set(err, *end ? EINVAL : ERANGE,
                                    "\"%s\" is not an integer between %llu and %llu", s,
                                    (unsigned long long)min, (unsigned long long)max);
        *out = v;
        return 0;
}

int hr_parse_int(const char *s, int64_t *out)
{
        bool neg = s && s[0] == '-';
        uint64_t mag;

        if (!s ||
            hr_parse_uint(s + neg, 0, neg ? (uint64_t)INT64_MAX + 1 : INT64_MAX, &mag, NULL) < 0)
                return -EINVAL;
        *out = neg ? (int64_t)(0 - mag) : (int64_t)mag;
        return 0;
}

void hr_rfc3339_now(char *buf, size_t size)
{
        struct timespec ts;
        struct tm tm;
        size_t n;

        clock_gettime(CLOCK_REALTIME, &ts);
        gmtime_r(&ts.tv_sec, &tm);
        n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
        snprintf(buf + n, size - n, ".%09dZ", (int)(ts.tv_nsec % 1000000000));
}

int hr_path_clean(const char *path, char **out)
{
        size_t len = strlen(path), o = 0;
        char *buf = malloc(len + 2);
        const char *p = path;

        if (!buf)
                return -ENOMEM;
        while (*p) {
                const char *end = strchrnul(p, '/');
                size_t n = (size_t)(end - p);

                if (n == 2 && p[0] == '.' && p[1] == '.') {
                        while (o > 0 && buf[o - 1] != '/')
                                o--;
                        if (o > 0)
                                o--;
                } else if (n > 0 && !(n == 1 && p[0] == '.')) {
                        buf[o++] = '/';
                        memcpy(buf + o, p, n);
                        o += n;
                }
                p = *end ? end + 1 : end;
        }
        if (o == 0)
                buf[o++] = '/';
        buf[o] = '\0';
        *out = buf;
        return 0;
}
