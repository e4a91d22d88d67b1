/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The cleanup kit: scope-bound ownership of memory, fds and foreign handles. */
#ifndef HR_CLEANUP_H
#define HR_CLEANUP_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline void hr_freep(void *p)
{
        free(*(void **)p);
}

static inline void hr_closep(const int *fd)
{
        if (*fd >= 0) {
                int saved = errno;
                close(*fd);
                errno = saved;
        }
}

static inline void hr_fclosep(FILE **f)
{
        if (*f)
                fclose(*f);
}

#define _cleanup_(f)     __attribute__((cleanup(f)))
#define _cleanup_free_   _cleanup_(hr_freep)
#define _cleanup_close_  _cleanup_(hr_closep)
#define _cleanup_fclose_ _cleanup_(hr_fclosep)

/*
 * DEFINE_CLEANUP_FUNC(type, fn) defines fn##p(type *), which calls fn on a
 * non-NULL handle, for use with _cleanup_(fn##p).
 */
#define DEFINE_CLEANUP_FUNC(type, fn)                                                              \
        static inline void fn##p(type *p)                                                          \
        {                                                                                          \
                if (*p)                                                                            \
                        fn(*p);                                                                    \
        }

/* Hand over ownership: return the value and leave the variable empty. */
#define TAKE_PTR(p)                                                                                \
        ({                                                                                         \
                __typeof__(p) _tp = (p);                                                           \
                (p) = NULL;                                                                        \
                _tp;                                                                               \
        })

#define TAKE_FD(fd)                                                                                \
        ({                                                                                         \
                int _tf = (fd);                                                                    \
                (fd) = -1;                                                                         \
                _tf;                                                                               \
        })

#define HR_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
