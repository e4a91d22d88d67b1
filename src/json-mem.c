/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json-mem.h"
#include "json.h"

/*
 * With the arena on, nodes, strings and arrays come from large chunks that
 * are never returned one by one: hardrun's command path builds its trees,
 * writes one file and execs, and the exec returns everything at once.  That
 * spares the allocator a third of the work of a create.  Off (the default,
 * and in every test), each is its own malloc block, so that sanitizers see
 * every node.
 */
#define ARENA_CHUNK (128u * 1024u)
#define ARENA_ALIGN 16u

static struct {
        bool on;
        char *cur;
        size_t left;
} arena;

void hr_json_arena(void)
{
        arena.on = true;
}

bool hr_jmem_arena_on(void)
{
        return arena.on;
}

void *hr_jmem_alloc(size_t n)
{
        void *p;

        if (!arena.on)
                return malloc(n);
        if (n > SIZE_MAX - ARENA_ALIGN)
                return NULL;
        n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
        if (n > arena.left) {
                /* A large block gets its own; a small one starts a new chunk. */
                if (n > ARENA_CHUNK / 8)
                        return malloc(n);
                if (!(p = malloc(ARENA_CHUNK)))
                        return NULL;
                arena.cur = p;
                arena.left = ARENA_CHUNK;
        }
        p = arena.cur;
        arena.cur += n;
        arena.left -= n;
        return p;
}

void *hr_jmem_zalloc(size_t n)
{
        void *p;

        if (!arena.on)
                return calloc(1, n);
        if ((p = hr_jmem_alloc(n)))
                memset(p, 0, n);
        return p;
}

/* Grow p from old to n bytes. */
void *hr_jmem_realloc(void *p, size_t old, size_t n)
{
        void *q;

        if (!arena.on)
                return realloc(p, n);
        if ((q = hr_jmem_alloc(n)) && p)
                memcpy(q, p, old < n ? old : n);
        return q;
}

void hr_jmem_free(void *p)
{
        if (!arena.on)
                free(p);
}

char *hr_jmem_strndup(const char *s, size_t len)
{
        char *d = len < SIZE_MAX ? hr_jmem_alloc(len + 1) : NULL;

        if (d) {
                memcpy(d, s, len);
                d[len] = '\0';
        }
        return d;
}

char *hr_jmem_strdup(const char *s)
{
        return hr_jmem_strndup(s, strlen(s));
}
