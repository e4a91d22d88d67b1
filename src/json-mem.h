/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where json.c gets its memory: malloc, or, once hr_json_arena() was called
 * (json.h), an arena whose blocks are never returned one by one.  For
 * json.c alone.
 */
#ifndef HR_JSON_MEM_H
#define HR_JSON_MEM_H

#include <stdbool.h>
#include <stddef.h>

/* Whether the arena is on: freeing is then a no-op. */
bool hr_jmem_arena_on(void);

void *hr_jmem_alloc(size_t n);
void *hr_jmem_zalloc(size_t n);
/* Grow p from old to n bytes (old is needed by the arena, which cannot look it up). */
void *hr_jmem_realloc(void *p, size_t old, size_t n);
void hr_jmem_free(void *p);
char *hr_jmem_strndup(const char *s, size_t len);
char *hr_jmem_strdup(const char *s);

#endif
