/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The JSON tree, read with yajl's callback parser and written with yajl_gen.
 *
 * yajl decides the syntax.  A pre-scan of the raw text adds what yajl does not
 * check: strict UTF-8 (no overlongs, no surrogates) and paired \u surrogate
 * escapes (yajl turns a lone \uD800 into "?" and eats the next character).
 * The callbacks add the limits: depth, duplicate keys and keys with U+0000.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_parse.h>

#include "json-mem.h"
#include "json.h"

/* Objects up to this size are checked for duplicate keys pairwise, larger ones sorted. */
#define DUP_PAIRWISE_MAX 16
/* Longest key or path shown in a message, in bytes. */
#define SHOW_MAX      64
#define PATH_MAX_SHOW 256

/* ---- nodes ----------------------------------------------------------- */

static struct hr_json *node_new(enum hr_json_type type)
{
        struct hr_json *n = hr_jmem_zalloc(sizeof(*n));

        if (n)
                n->type = type;
        return n;
}

static struct hr_json *text_new(enum hr_json_type type, const char *s, size_t len)
{
        struct hr_json *n = node_new(type);

        if (n && (n->u.str.text = hr_jmem_strndup(s, len))) {
                n->u.str.len = len;
                return n;
        }
        hr_jmem_free(n);
        return NULL;
}

/* Room for one more element of size bytes: the (maybe moved) array, or NULL. */
static void *grow(void *items, size_t *cap, size_t len, size_t size)
{
        size_t n;
        void *p;

        if (len < *cap)
                return items;
        n = *cap ? *cap * 2 : 4;
        if (n < *cap || n > SIZE_MAX / size)
                return NULL;
        p = hr_jmem_realloc(items, *cap * size, n * size);
        if (p)
                *cap = n;
        return p;
}

struct hr_json *hr_json_new_null(void)
{
        return node_new(HR_JSON_NULL);
}

struct hr_json *hr_json_new_bool(bool value)
{
        struct hr_json *n = node_new(HR_JSON_BOOL);

        if (n)
                n->u.boolean = value;
        return n;
}

struct hr_json *hr_json_new_string(const char *s)
{
        return text_new(HR_JSON_STRING, s, strlen(s));
}

struct hr_json *hr_json_new_number(const char *text)
{
        return text_new(HR_JSON_NUMBER, text, strlen(text));
}

struct hr_json *hr_json_new_array(void)
{
        return node_new(HR_JSON_ARRAY);
}

struct hr_json *hr_json_new_object(void)
{
        return node_new(HR_JSON_OBJECT);
}

void hr_json_free(struct hr_json *node)
{
        if (!node || hr_jmem_arena_on())
                return;
        switch (node->type) {
        case HR_JSON_NUMBER:
        case HR_JSON_STRING:
                free(node->u.str.text);
                break;
        case HR_JSON_ARRAY:
                for (size_t i = 0; i < node->u.arr.len; i++)
                        hr_json_free(node->u.arr.items[i]);
                free(node->u.arr.items);
                break;
        case HR_JSON_OBJECT:
                for (size_t i = 0; i < node->u.obj.len; i++) {
                        free(node->u.obj.members[i].key);
                        hr_json_free(node->u.obj.members[i].value);
                }
                free(node->u.obj.members);
                break;
        default:
                break;
        }
        free(node);
}

/* Append key: value to obj, taking both (also on failure, and either may be NULL). */
static int push_member(struct hr_json *obj, char *key, struct hr_json *value, unsigned line)
{
        struct hr_json_member *m = NULL;

        if (key && value)
                m = grow(obj->u.obj.members, &obj->u.obj.cap, obj->u.obj.len, sizeof(*m));
        if (!m) {
                hr_jmem_free(key);
                hr_json_free(value);
                return -ENOMEM;
        }
        obj->u.obj.members = m;
        m[obj->u.obj.len++] = (struct hr_json_member){key, value, line};
        return 0;
}

static struct hr_json *copy_container(const struct hr_json *src)
{
        bool is_obj = src->type == HR_JSON_OBJECT;
        size_t n = is_obj ? src->u.obj.len : src->u.arr.len;
        struct hr_json *dst = node_new(src->type);

        for (size_t i = 0; dst && i < n; i++) {
                const struct hr_json_member *m = is_obj ? &src->u.obj.members[i] : NULL;
                int r =
                    m ? push_member(dst, hr_jmem_strdup(m->key), hr_json_copy(m->value), m->line)
                      : hr_json_append(dst, hr_json_copy(src->u.arr.items[i]));

                if (r < 0) {
                        hr_json_free(dst);
                        dst = NULL;
                }
        }
        return dst;
}

struct hr_json *hr_json_copy(const struct hr_json *node)
{
        if (!node)
                return NULL;
        switch (node->type) {
        case HR_JSON_BOOL:
                return hr_json_new_bool(node->u.boolean);
        case HR_JSON_NUMBER:
        case HR_JSON_STRING:
                return text_new(node->type, node->u.str.text, node->u.str.len);
        case HR_JSON_ARRAY:
        case HR_JSON_OBJECT:
                return copy_container(node);
        default:
                return node_new(node->type);
        }
}

/* Objects are equal when they hold equal members in the same order. */
bool hr_json_equal(const struct hr_json *a, const struct hr_json *b)
{
        if (!a || !b)
                return a == b;
        if (a->type != b->type)
                return false;
        switch (a->type) {
        case HR_JSON_BOOL:
                return a->u.boolean == b->u.boolean;
        case HR_JSON_NUMBER:
        case HR_JSON_STRING:
                return a->u.str.len == b->u.str.len &&
                       memcmp(a->u.str.text, b->u.str.text, a->u.str.len) == 0;
        case HR_JSON_ARRAY:
                if (a->u.arr.len != b->u.arr.len)
                        return false;
                for (size_t i = 0; i < a->u.arr.len; i++)
                        if (!hr_json_equal(a->u.arr.items[i], b->u.arr.items[i]))
                                return false;
                return true;
        case HR_JSON_OBJECT:
                if (a->u.obj.len != b->u.obj.len)
                        return false;
                for (size_t i = 0; i < a->u.obj.len; i++)
                        if (strcmp(a->u.obj.members[i].key, b->u.obj.members[i].key) != 0 ||
                            !hr_json_equal(a->u.obj.members[i].value, b->u.obj.members[i].value))
                                return false;
                return true;
        default:
                return true;
        }
}

static struct hr_json_member *find(const struct hr_json *obj, const char *key)
{
        if (!obj || obj->type != HR_JSON_OBJECT || !key)
                return NULL;
        for (size_t i = 0; i < obj->u.obj.len; i++)
                if (strcmp(obj->u.obj.members[i].key, key) == 0)
                        return &obj->u.obj.members[i];
        return NULL;
}

struct hr_json *hr_json_get(const struct hr_json *obj, const char *key)
{
        struct hr_json_member *m = find(obj, key);

        return m ? m->value : NULL;
}

struct hr_json *hr_json_get_type(const struct hr_json *obj, const char *key, enum hr_json_type type)
{
        struct hr_json *v = hr_json_get(obj, key);

        return v && v->type == type ? v : NULL;
}

int hr_json_set(struct hr_json *obj, const char *key, struct hr_json *value)
{
        struct hr_json_member *m;

        if (!value)
                return -ENOMEM;
        if (!obj || obj->type != HR_JSON_OBJECT || !key) {
                hr_json_free(value);
                return -EINVAL;
        }
        m = find(obj, key);
        if (!m)
                return push_member(obj, hr_jmem_strdup(key), value, 0);
        if (m->value != value)
                hr_json_free(m->value);
        m->value = value;
        return 0;
}

int hr_json_remove(struct hr_json *obj, const char *key)
{
        struct hr_json_member *m = find(obj, key);
        size_t i;

        if (!m)
                return 0;
        i = (size_t)(m - obj->u.obj.members);
        hr_jmem_free(m->key);
        hr_json_free(m->value);
        memmove(m, m + 1, (obj->u.obj.len - i - 1) * sizeof(*m));
        obj->u.obj.len--;
        return 1;
}

int hr_json_append(struct hr_json *arr, struct hr_json *value)
{
        struct hr_json **items;

        if (!value)
                return -ENOMEM;
        if (!arr || arr->type != HR_JSON_ARRAY) {
                hr_json_free(value);
                return -EINVAL;
        }
        items = grow(arr->u.arr.items, &arr->u.arr.cap, arr->u.arr.len, sizeof(*items));
        if (!items) {
                hr_json_free(value);
                return -ENOMEM;
        }
        arr->u.arr.items = items;
        items[arr->u.arr.len++] = value;
        return 0;
}

const char *hr_json_string(const struct hr_json *node)
{
        return node && node->type == HR_JSON_STRING ? node->u.str.text : NULL;
}

const char *hr_json_type_name(enum hr_json_type type)
{
        static const char *const names[] = {
            [HR_JSON_NULL] = "null",     [HR_JSON_BOOL] = "boolean", [HR_JSON_NUMBER] = "number",
            [HR_JSON_STRING] = "string", [HR_JSON_ARRAY] = "array",  [HR_JSON_OBJECT] = "object",
        };

        if ((unsigned)type < HR_ARRAY_SIZE(names))
                return names[type];
        return "unknown";
}

/* ---- text checks ----------------------------------------------------- */

/*
 * Length of the UTF-8 sequence at s[0..n), or 0 when it is invalid (RFC 3629:
 * no overlong forms, no surrogates, nothing above U+10FFFF, nothing cut short).
 */
static size_t utf8_len(const unsigned char *s, size_t n)
{
        unsigned char lo = 0x80, hi = 0xbf;
        size_t len;

        if (s[0] < 0x80)
                return 1;
        if (s[0] < 0xc2)
                return 0;
        if (s[0] < 0xe0) {
                len = 2;
        } else if (s[0] < 0xf0) {
                len = 3;
                lo = s[0] == 0xe0 ? 0xa0 : lo;
                hi = s[0] == 0xed ? 0x9f : hi;
        } else if (s[0] < 0xf5) {
                len = 4;
                lo = s[0] == 0xf0 ? 0x90 : lo;
                hi = s[0] == 0xf4 ? 0x8f : hi;
        } else {
                return 0;
        }
        if (n < len || s[1] < lo || s[1] > hi)
                return 0;
        for (size_t i = 2; i < len; i++)
                if ((s[i] & 0xc0) != 0x80)
                        return 0;
        return len;
}

static bool utf8_valid(const char *s, size_t n)
{
        for (size_t i = 0, l; i < n; i += l)
                if (!(l = utf8_len((const unsigned char *)s + i, n - i)))
                        return false;
        return true;
}

static bool is_digit(char c)
{
        return c >= '0' && c <= '9';
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? and nothing else. */
static bool number_valid(const char *s, size_t n)
{
        size_t i = 0, start;

        if (i < n && s[i] == '-')
                i++;
        if (i < n && s[i] == '0')
                i++;
        else if (i < n && is_digit(s[i]))
                while (i < n && is_digit(s[i]))
                        i++;
        else
                return false;
        if (i < n && s[i] == '.') {
                for (start = ++i; i < n && is_digit(s[i]);)
                        i++;
                if (i == start)
                        return false;
        }
        if (i < n && (s[i] == 'e' || s[i] == 'E')) {
                if (++i < n && (s[i] == '+' || s[i] == '-'))
                        i++;
                for (start = i; i < n && is_digit(s[i]);)
                        i++;
                if (i == start)
                        return false;
        }
        return i == n;
}

/* The \uXXXX escape at s[i..n) as a code point, or -1 when it is not one. */
static long hex4(const char *s, size_t n, size_t i)
{
        long v = 0;

        if (n < 6 || i > n - 6 || s[i] != '\\' || s[i + 1] != 'u')
                return -1;
        for (size_t k = i + 2; k < i + 6; k++) {
                char c = s[k];
                int d = is_digit(c)            ? c - '0'
                        : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                               : -1;

                if (d < 0)
                        return -1;
                v = v * 16 + d;
        }
        return v;
}

/* Check the escape at s[i] inside a string; set *next past it. */
static int scan_escape(const char *s, size_t n, size_t i, size_t *next, struct hr_error *err)
{
        long cp = hex4(s, n, i), lo;

        *next = i + 2;
        if (cp < 0)
                return 0; /* not \uXXXX: yajl judges it */
        *next = i + 6;
        if (cp >= 0xd800 && cp <= 0xdbff) {
                lo = hex4(s, n, i + 6);
                if (lo >= 0xdc00 && lo <= 0xdfff) {
                        *next = i + 12;
                        return 0;
                }
        } else if (cp < 0xdc00 || cp > 0xdfff) {
                return 0;
        }
        return hr_error_set(err, EINVAL,
                            "invalid UTF-8: unpaired surrogate escape \\u%04lX at byte %zu", cp, i);
}

enum scan_state { SCAN_OUT, SCAN_STRING, SCAN_LINE_COMMENT, SCAN_BLOCK_COMMENT };

/* One ASCII byte at s[i] outside strings and comments; returns the next index. */
static size_t scan_out(const char *s, size_t n, size_t i, bool comments, enum scan_state *st,
                       bool *content)
{
        if (s[i] == '/' && i + 1 < n && (s[i + 1] == '/' || s[i + 1] == '*')) {
                *st = s[i + 1] == '/' ? SCAN_LINE_COMMENT : SCAN_BLOCK_COMMENT;
                *content |= !comments;
                return i + 2;
        }
        if (!strchr(" \t\n\r\v\f", s[i]) || s[i] == '\0')
                *content = true;
        if (s[i] == '"')
                *st = SCAN_STRING;
        return i + 1;
}

/*
 * Check the raw text for what yajl lets through: invalid UTF-8 and unpaired
 * surrogate escapes.  *content tells whether there is anything but blanks.
 */
static int prescan(const char *s, size_t n, bool comments, bool *content, struct hr_error *err)
{
        enum scan_state st = SCAN_OUT;
        size_t i = 0, l;
        int r;

        *content = false;
        while (i < n) {
                if ((unsigned char)s[i] >= 0x80) {
                        if (!(l = utf8_len((const unsigned char *)s + i, n - i)))
                                return hr_error_set(err, EINVAL, "invalid UTF-8 at byte %zu", i);
                        *content |= st == SCAN_OUT;
                        i += l;
                } else if (st == SCAN_OUT) {
                        i = scan_out(s, n, i, comments, &st, content);
                } else if (st == SCAN_STRING && s[i] == '\\') {
                        if ((r = scan_escape(s, n, i, &i, err)) < 0)
                                return r;
                } else if (st == SCAN_STRING) {
                        st = s[i++] == '"' ? SCAN_OUT : st;
                } else if (st == SCAN_LINE_COMMENT) {
                        st = s[i++] == '\n' ? SCAN_OUT : st;
                } else if (s[i] == '*' && i + 1 < n && s[i + 1] == '/') {
                        st = SCAN_OUT;
                        i += 2;
                } else {
                        i++;
                }
        }
        if (st == SCAN_BLOCK_COMMENT && comments)
                return hr_error_set(err, EINVAL, "invalid JSON: unterminated comment at byte %zu",
                                    n);
        return 0;
}

/* ---- parser ------------------------------------------------------------ */

struct frame {
        struct hr_json *node; /* an array or an object */
        char *key;            /* objects: the key waiting for its value */
        unsigned key_line;    /* and its line, with HR_JSON_LINES */
};

struct parser {
        yajl_handle handle;
        const char *buf;
        size_t len;
        bool lines;     /* HR_JSON_LINES: count lines up to each key */
        bool trusted;   /* HR_JSON_TRUSTED: no UTF-8 or duplicate-key checks */
        size_t counted; /* bytes of buf whose newlines are in line */
        unsigned line;
        struct hr_json *root;
        struct frame stack[HR_JSON_MAX_DEPTH];
        size_t depth;
        struct hr_error *err;
        int r; /* the error that stopped the parse from a callback */
};

/* s for a message: control characters become '?', long text is cut. */
static void show(char *out, size_t size, const char *s, size_t max)
{
        size_t len = strlen(s), cut = len > max ? max : len, o = 0;

        while (cut < len && cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
                cut--;
        for (size_t i = 0; i < cut && o + 1 < size; i++) {
                unsigned char c = (unsigned char)s[i];

                out[o++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
        }
        out[o] = '\0';
        if (cut < len && o + 4 <= size)
                memcpy(out + o, "...", 4);
}

/* The path of the innermost open container, as ".process.env" or ".mounts[2]". */
static void path_of(const struct parser *p, char *out, size_t size)
{
        size_t o = 0;

        if (p->depth <= 1) {
                snprintf(out, size, "the top level");
                return;
        }
        out[0] = '\0';
        for (size_t i = 0; i + 1 < p->depth && o + 1 < size; i++) {
                const struct hr_json *n = p->stack[i].node;
                char name[SHOW_MAX + 4];

                if (n->type == HR_JSON_ARRAY) {
                        snprintf(out + o, size - o, "[%zu]", n->u.arr.len - 1);
                } else {
                        show(name, sizeof(name), n->u.obj.members[n->u.obj.len - 1].key, SHOW_MAX);
                        snprintf(out + o, size - o, ".%s", name);
                }
                o += strlen(out + o);
        }
}

static int stop(struct parser *p, int code, const char *what)
{
        char path[PATH_MAX_SHOW];

        path_of(p, path, sizeof(path));
        p->r = hr_error_set(p->err, code, "%s at %s", what, path);
        return 0;
}

/* Attach a new node to the open container (or make it the root). */
static int add(struct parser *p, struct hr_json *n)
{
        struct frame *top = p->depth ? &p->stack[p->depth - 1] : NULL;
        int r;

        if (!n)
                return stop(p, ENOMEM, "out of memory");
        if (!top) {
                if (p->root) {
                        hr_json_free(n);
                        return stop(p, EINVAL, "invalid JSON: more than one value");
                }
                p->root = n;
                return 1;
        }
        if (top->node->type == HR_JSON_ARRAY)
                r = hr_json_append(top->node, n);
        else
                r = push_member(top->node, TAKE_PTR(top->key), n,
                                top->key_line); /* yajl gave the key */
        return r < 0 ? stop(p, ENOMEM, "out of memory") : 1;
}

static int on_null(void *ctx)
{
        return add(ctx, hr_json_new_null());
}

static int on_boolean(void *ctx, int value)
{
        return add(ctx, hr_json_new_bool(value));
}

static int on_number(void *ctx, const char *s, size_t len)
{
        return add(ctx, text_new(HR_JSON_NUMBER, s, len));
}

static int on_string(void *ctx, const unsigned char *s, size_t len)
{
        return add(ctx, text_new(HR_JSON_STRING, (const char *)s, len));
}

static int open_container(struct parser *p, enum hr_json_type type)
{
        struct hr_json *n;

        if (p->depth >= HR_JSON_MAX_DEPTH) {
                p->r =
                    hr_error_set(p->err, EINVAL, "invalid JSON: nesting deeper than %d at byte %zu",
                                 HR_JSON_MAX_DEPTH, yajl_get_bytes_consumed(p->handle));
                return 0;
        }
        n = node_new(type);
        if (!add(p, n))
                return 0;
        p->stack[p->depth++] = (struct frame){.node = n};
        return 1;
}

static int on_start_map(void *ctx)
{
        return open_container(ctx, HR_JSON_OBJECT);
}

static int on_start_array(void *ctx)
{
        return open_container(ctx, HR_JSON_ARRAY);
}

static int on_map_key(void *ctx, const unsigned char *key, size_t len)
{
        struct parser *p = ctx;
        struct frame *top = &p->stack[p->depth - 1];

        if (memchr(key, '\0', len))
                return stop(p, EINVAL, "invalid JSON: key containing U+0000");
        hr_jmem_free(top->key);
        top->key = hr_jmem_strndup((const char *)key, len);
        if (p->lines) {
                size_t upto = yajl_get_bytes_consumed(p->handle);

                for (; p->counted < upto && p->counted < p->len; p->counted++)
                        p->line += p->buf[p->counted] == '\n';
                top->key_line = p->line;
        }
        return top->key ? 1 : stop(p, ENOMEM, "out of memory");
}

static int member_cmp(const void *a, const void *b)
{
        const struct hr_json_member *const *x = a, *const *y = b;
        int r = strcmp((*x)->key, (*y)->key);

        return r ? r : (*x > *y) - (*x < *y);
}

/* The first key, in source order, that repeats an earlier one: *dup, or NULL. */
static int find_duplicate(const struct hr_json *obj, const char **dup)
{
        const struct hr_json_member *m = obj->u.obj.members;
        _cleanup_free_ const struct hr_json_member **v = NULL;
        size_t n = obj->u.obj.len, best = SIZE_MAX;

        *dup = NULL;
        if (n <= DUP_PAIRWISE_MAX) {
                for (size_t j = 1; j < n && !*dup; j++)
                        for (size_t i = 0; i < j && !*dup; i++)
                                if (strcmp(m[i].key, m[j].key) == 0)
                                        *dup = m[j].key;
                return 0;
        }
        if (!(v = calloc(n, sizeof(*v))))
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                v[i] = &m[i];
        qsort(v, n, sizeof(*v), member_cmp);
        for (size_t i = 1; i < n; i++)
                if (strcmp(v[i - 1]->key, v[i]->key) == 0 && (size_t)(v[i] - m) < best)
                        best = (size_t)(v[i] - m);
        if (best != SIZE_MAX)
                *dup = m[best].key;
        return 0;
}

static int on_end_map(void *ctx)
{
        struct parser *p = ctx;
        char what[SHOW_MAX + 32], name[SHOW_MAX + 4];
        const char *dup;

        if (p->trusted) {
                p->depth--;
                return 1;
        }
        if (find_duplicate(p->stack[p->depth - 1].node, &dup) < 0)
                return stop(p, ENOMEM, "out of memory");
        if (dup) {
                show(name, sizeof(name), dup, SHOW_MAX);
                snprintf(what, sizeof(what), "duplicate key \"%s\"", name);
                return stop(p, EINVAL, what);
        }
        p->depth--;
        return 1;
}

static int on_end_array(void *ctx)
{
        struct parser *p = ctx;

        p->depth--;
        return 1;
}

static const yajl_callbacks callbacks = {
    .yajl_null = on_null,
    .yajl_boolean = on_boolean,
    .yajl_number = on_number,
    .yajl_string = on_string,
    .yajl_start_map = on_start_map,
    .yajl_map_key = on_map_key,
    .yajl_end_map = on_end_map,
    .yajl_start_array = on_start_array,
    .yajl_end_array = on_end_array,
};

/* Turn yajl's "parse error: trailing garbage\n" into "invalid JSON: trailing garbage at byte N". */
static int syntax_error(struct parser *p, const char *buf, size_t offset)
{
        unsigned char *msg = yajl_get_error(p->handle, 0, (const unsigned char *)buf, p->len);
        const char *text = msg ? strstr((const char *)msg, ": ") : NULL;
        size_t n;

        text = text ? text + 2 : "syntax error";
        n = strcspn(text, "\n");
        while (n > 0 && text[n - 1] == '.')
                n--;
        hr_error_set(p->err, EINVAL, "invalid JSON: %.*s at byte %zu", (int)n, text, offset);
        if (msg)
                yajl_free_error(p->handle, msg);
        return -EINVAL;
}

static int run_parser(struct parser *p, const char *buf, unsigned flags)
{
        yajl_status st;

        p->handle = yajl_alloc(&callbacks, NULL, p);
        if (!p->handle)
                return hr_error_set(p->err, ENOMEM, "out of memory");
        yajl_config(p->handle, yajl_allow_comments, (flags & HR_JSON_ALLOW_COMMENTS) ? 1 : 0);
        yajl_config(p->handle, yajl_dont_validate_strings, p->trusted ? 1 : 0);
        st = yajl_parse(p->handle, (const unsigned char *)buf, p->len);
        if (st == yajl_status_ok) {
                st = yajl_complete_parse(p->handle);
                if (st != yajl_status_ok && p->r == 0)
                        return syntax_error(p, buf, p->len);
        }
        if (p->r < 0)
                return p->r;
        if (st != yajl_status_ok)
                return syntax_error(p, buf, yajl_get_bytes_consumed(p->handle));
        if (!p->root)
                return hr_error_set(p->err, EINVAL, "invalid JSON: empty input");
        return 0;
}

int hr_json_parse(const char *buf, size_t len, unsigned flags, struct hr_json **out,
                  struct hr_error *err)
{
        struct parser p = {.buf = buf,
                           .len = len,
                           .err = err,
                           .lines = flags & HR_JSON_LINES,
                           .trusted = flags & HR_JSON_TRUSTED,
                           .line = 1};
        bool content = true;
        int r;

        if (len > HR_JSON_MAX_SIZE)
                return hr_error_set(err, EFBIG, "JSON input of %zu bytes is larger than 16 MiB",
                                    len);
        if (!p.trusted &&
            (r = prescan(buf, len, flags & HR_JSON_ALLOW_COMMENTS, &content, err)) < 0)
                return r;
        if (!content)
                return hr_error_set(err, EINVAL, "invalid JSON: empty input");
        r = run_parser(&p, buf, flags);
        for (size_t i = 0; i < HR_JSON_MAX_DEPTH; i++)
                hr_jmem_free(p.stack[i].key);
        if (p.handle)
                yajl_free(p.handle);
        if (r < 0) {
                hr_json_free(p.root);
                return r;
        }
        *out = p.root;
        return 0;
}

/* ---- writer ------------------------------------------------------------ */

static int gen_node(yajl_gen g, const struct hr_json *n, unsigned depth, struct hr_error *err);

static int gen_status(yajl_gen_status s, struct hr_error *err)
{
        if (s == yajl_gen_status_ok)
                return 0;
        return hr_error_set(err, EINVAL, "writing JSON: yajl_gen error %d", (int)s);
}

/* A key or a string; yajl_gen does not check UTF-8 strictly, so check here. */
static int gen_text(yajl_gen g, const char *s, size_t len, struct hr_error *err)
{
        if (!utf8_valid(s, len))
                return hr_error_set(err, EINVAL, "writing JSON: invalid UTF-8 in \"%.32s\"", s);
        return gen_status(yajl_gen_string(g, (const unsigned char *)s, len), err);
}

/* Empty containers go out as one atom, so that beautify writes "[]" and not "[\n\n]". */
static int gen_container(yajl_gen g, const struct hr_json *n, unsigned depth, struct hr_error *err)
{
        bool is_obj = n->type == HR_JSON_OBJECT;
        size_t len = is_obj ? n->u.obj.len : n->u.arr.len;
        int r;

        if (depth > HR_JSON_MAX_DEPTH)
                return hr_error_set(err, EINVAL, "writing JSON: nesting deeper than %d",
                                    HR_JSON_MAX_DEPTH);
        if (len == 0)
                return gen_status(yajl_gen_number(g, is_obj ? "{}" : "[]", 2), err);
        if ((r = gen_status(is_obj ? yajl_gen_map_open(g) : yajl_gen_array_open(g), err)) < 0)
                return r;
        for (size_t i = 0; i < len; i++) {
                const struct hr_json_member *m = is_obj ? &n->u.obj.members[i] : NULL;

                if (m && (r = gen_text(g, m->key, strlen(m->key), err)) < 0)
                        return r;
                if ((r = gen_node(g, m ? m->value : n->u.arr.items[i], depth, err)) < 0)
                        return r;
        }
        return gen_status(is_obj ? yajl_gen_map_close(g) : yajl_gen_array_close(g), err);
}

static int gen_node(yajl_gen g, const struct hr_json *n, unsigned depth, struct hr_error *err)
{
        if (!n)
                return hr_error_set(err, EINVAL, "writing JSON: missing value");
        switch (n->type) {
        case HR_JSON_NULL:
                return gen_status(yajl_gen_null(g), err);
        case HR_JSON_BOOL:
                return gen_status(yajl_gen_bool(g, n->u.boolean), err);
        case HR_JSON_NUMBER:
                if (!number_valid(n->u.str.text, n->u.str.len))
                        return hr_error_set(err, EINVAL, "writing JSON: invalid number \"%.32s\"",
                                            n->u.str.text);
                return gen_status(yajl_gen_number(g, n->u.str.text, n->u.str.len), err);
        case HR_JSON_STRING:
                return gen_text(g, n->u.str.text, n->u.str.len, err);
        case HR_JSON_ARRAY:
        case HR_JSON_OBJECT:
                return gen_container(g, n, depth + 1, err);
        default:
                return hr_error_set(err, EINVAL, "writing JSON: unknown node type %d",
                                    (int)n->type);
        }
}

int hr_json_write(const struct hr_json *node, unsigned flags, char **out, size_t *out_len,
                  struct hr_error *err)
{
        const unsigned char *buf;
        size_t len;
        char *text;
        yajl_gen g;
        int r;

        g = yajl_gen_alloc(NULL);
        if (!g)
                return hr_error_set(err, ENOMEM, "out of memory");
        if (flags & HR_JSON_PRETTY) {
                yajl_gen_config(g, yajl_gen_beautify, 1);
                yajl_gen_config(g, yajl_gen_indent_string, "\t");
        }
        r = gen_node(g, node, 0, err);
        if (r == 0)
                r = gen_status(yajl_gen_get_buf(g, &buf, &len), err);
        if (r == 0 && !(text = malloc(len + 1)))
                r = hr_error_set(err, ENOMEM, "out of memory");
        if (r == 0) {
                memcpy(text, buf, len);
                text[len] = '\0';
                *out = text;
                *out_len = len;
        }
        yajl_gen_free(g);
        return r;
}
