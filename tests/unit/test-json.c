/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The JSON tree: refusals and their messages, faithful round trips, the mutators. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "tap.h"

/* A literal with its length, so that inputs may hold NUL bytes. */
#define LIT(s) s, sizeof(s) - 1

static struct hr_json *parse(const char *text, unsigned flags)
{
        struct hr_json *j = NULL;
        struct hr_error err = {0};

        if (hr_json_parse(text, strlen(text), flags, &j, &err) < 0) {
                printf("# parse failed: %s\n", err.msg);
                return NULL;
        }
        return j;
}

static char *write_json(const struct hr_json *j, unsigned flags)
{
        struct hr_error err = {0};
        char *text = NULL;
        size_t len;

        if (hr_json_write(j, flags, &text, &len, &err) < 0) {
                printf("# write failed: %s\n", err.msg);
                return NULL;
        }
        if (strlen(text) != len)
                printf("# write: length %zu, strlen %zu\n", len, strlen(text));
        return text;
}

static const struct refusal {
        const char *name, *text;
        size_t len;
        unsigned flags;
        int code;
        const char *msg;
} refusals[] = {
    {"duplicate key at the top", LIT("{\"a\":1,\"a\":2}"), 0, -EINVAL,
     "duplicate key \"a\" at the top level"},
    {"duplicate key nested", LIT("{\"process\":{\"env\":{\"A\":1,\"B\":2,\"A\":3}}}"), 0, -EINVAL,
     "duplicate key \"A\" at .process.env"},
    {"duplicate key in an array element", LIT("{\"mounts\":[{},{\"type\":1,\"type\":2}]}"), 0,
     -EINVAL, "duplicate key \"type\" at .mounts[1]"},
    {"duplicate key, different values", LIT("[{\"x\":null,\"y\":[],\"x\":{}}]"), 0, -EINVAL,
     "duplicate key \"x\" at [0]"},
    {"duplicate key with control chars is shown safely", LIT("{\"a\\nb\":1,\"a\\nb\":2}"), 0,
     -EINVAL, "duplicate key \"a?b\""},
    {"duplicate escaped spelling", LIT("{\"ab\":1,\"a\\u0062\":2}"), 0, -EINVAL,
     "duplicate key \"ab\""},
    {"key holding U+0000", LIT("{\"a\\u0000b\":1}"), 0, -EINVAL, "key containing U+0000"},
    {"invalid UTF-8 byte", LIT("\"\xff\""), 0, -EINVAL, "invalid UTF-8 at byte 1"},
    {"invalid UTF-8 in a key", LIT("{\"k\xc3\":1}"), 0, -EINVAL, "invalid UTF-8 at byte 3"},
    {"overlong UTF-8", LIT("\"\xc0\xaf\""), 0, -EINVAL, "invalid UTF-8"},
    {"overlong 3-byte UTF-8", LIT("\"\xe0\x80\xaf\""), 0, -EINVAL, "invalid UTF-8"},
    {"UTF-8 encoded surrogate", LIT("\"\xed\xa0\x80\""), 0, -EINVAL, "invalid UTF-8"},
    {"UTF-8 above U+10FFFF", LIT("\"\xf4\x90\x80\x80\""), 0, -EINVAL, "invalid UTF-8"},
    {"truncated UTF-8", LIT("\"\xe2\x82\""), 0, -EINVAL, "invalid UTF-8"},
    {"invalid UTF-8 outside strings", LIT("[1,\x80]"), 0, -EINVAL, "invalid UTF-8"},
    {"lone high surrogate escape", LIT("\"\\uD800abc\""), 0, -EINVAL,
     "invalid UTF-8: unpaired surrogate escape \\uD800"},
    {"lone low surrogate escape", LIT("\"\\udc00\""), 0, -EINVAL, "invalid UTF-8"},
    {"high surrogate then non-surrogate", LIT("\"\\uD800\\u0041\""), 0, -EINVAL, "invalid UTF-8"},
    {"empty input", LIT(""), 0, -EINVAL, "invalid JSON: empty input"},
    {"blank input", LIT(" \n\t\r "), 0, -EINVAL, "invalid JSON: empty input"},
    {"only a comment", LIT("/* nothing */\n// here\n"), HR_JSON_ALLOW_COMMENTS, -EINVAL,
     "invalid JSON: empty input"},
    {"trailing garbage", LIT("{} x"), 0, -EINVAL, "invalid JSON: trailing garbage"},
    {"two top-level values", LIT("[1] [2]"), 0, -EINVAL, "invalid JSON: trailing garbage"},
    {"two top-level numbers", LIT("1 2"), 0, -EINVAL, "invalid JSON"},
    {"leading zero", LIT("01"), 0, -EINVAL, "invalid JSON"},
    {"trailing NUL byte", LIT("{}\0"), 0, -EINVAL, "invalid JSON"},
    {"missing value", LIT("{\"a\":}"), 0, -EINVAL, "invalid JSON: "},
    {"trailing comma", LIT("[1,]"), 0, -EINVAL, "invalid JSON: "},
    {"truncated", LIT("{\"a\":[1,2"), 0, -EINVAL, "invalid JSON: premature EOF at byte 9"},
    {"unterminated string", LIT("\"abc"), 0, -EINVAL, "invalid JSON"},
    {"raw control character in a string", LIT("\"a\tb\""), 0, -EINVAL, "invalid JSON"},
    {"bad escape", LIT("\"\\x\""), 0, -EINVAL, "invalid JSON"},
    {"bad \\u escape", LIT("\"\\u12G4\""), 0, -EINVAL, "invalid JSON"},
    {"byte order mark", LIT("\xef\xbb\xbf{}"), 0, -EINVAL, "invalid JSON"},
    {"comment when not allowed", LIT("{/* c */}"), 0, -EINVAL, "invalid JSON"},
    {"line comment when not allowed", LIT("// c\n{}"), 0, -EINVAL, "invalid JSON"},
    {"unterminated comment", LIT("{} /* c"), HR_JSON_ALLOW_COMMENTS, -EINVAL,
     "invalid JSON: unterminated comment"},
    {"bare word", LIT("nul"), 0, -EINVAL, "invalid JSON"},
    {"NaN", LIT("[NaN]"), 0, -EINVAL, "invalid JSON"},
};

static void test_refusals(void)
{
        for (size_t i = 0; i < HR_ARRAY_SIZE(refusals); i++) {
                const struct refusal *t = &refusals[i];
                static struct hr_json sentinel;
                struct hr_json *j = &sentinel; /* must stay untouched */
                struct hr_error err = {0};
                int r = hr_json_parse(t->text, t->len, t->flags, &j, &err);

                is_int(r, t->code, "refuse %s: return code", t->name);
                is_int(err.code, -t->code, "refuse %s: error code", t->name);
                if (!ok(strstr(err.msg, t->msg), "refuse %s: message", t->name))
                        printf("#   message \"%s\", want \"%s\"\n", err.msg, t->msg);
                ok(j == &sentinel, "refuse %s: output untouched", t->name);
        }
}

/* Syntax errors all start with "invalid JSON" and say where. */
static void test_syntax_messages(void)
{
        static const char *const bad[] = {"{\"a\" 1}", "[1 2]", "{1:2}", "tru",
                                          "[-]",       "1.",    "\"\\",  "{\"a\":1,,}"};

        for (size_t i = 0; i < HR_ARRAY_SIZE(bad); i++) {
                struct hr_json *j = NULL;
                struct hr_error err = {0};
                int r = hr_json_parse(bad[i], strlen(bad[i]), 0, &j, &err);

                is_int(r, -EINVAL, "syntax error %s: -EINVAL", bad[i]);
                ok(strncmp(err.msg, "invalid JSON: ", 14) == 0 && strstr(err.msg, " at byte "),
                   "syntax error %s: message \"%s\"", bad[i], err.msg);
        }
}

/* depth levels of {"k":[{"k":[0]}]} into buf; returns the length. */
static size_t nest(char *buf, int depth)
{
        size_t n = 0;

        for (int i = 0; i < depth; i++)
                n += (size_t)sprintf(buf + n, "%s", i % 2 ? "[" : "{\"k\":");
        buf[n++] = '0';
        for (int i = depth - 1; i >= 0; i--)
                buf[n++] = i % 2 ? ']' : '}';
        return n;
}

static void test_depth(void)
{
        char buf[8 * (HR_JSON_MAX_DEPTH + 2)];
        struct hr_json *j = NULL, *arr, *inner;
        struct hr_error err = {0};
        char *text = NULL;
        size_t len, n;

        for (int depth = HR_JSON_MAX_DEPTH - 1; depth <= HR_JSON_MAX_DEPTH + 2; depth++) {
                n = nest(buf, depth);
                j = NULL;
                if (depth <= HR_JSON_MAX_DEPTH) {
                        is_int(hr_json_parse(buf, n, 0, &j, &err), 0, "nesting of %d parses",
                               depth);
                        is_int(hr_json_write(j, HR_JSON_PRETTY, &text, &len, &err), 0,
                               "nesting of %d writes", depth);
                        free(text);
                        hr_json_free(j);
                        continue;
                }
                is_int(hr_json_parse(buf, n, 0, &j, &err), -EINVAL, "nesting of %d refused", depth);
                ok(strstr(err.msg, "nesting deeper than 64"), "nesting of %d: %s", depth, err.msg);
        }

        /* A tree built deeper than the parser allows is not written either. */
        arr = hr_json_new_array();
        inner = arr;
        for (int i = 0; i < HR_JSON_MAX_DEPTH; i++) {
                struct hr_json *next = hr_json_new_array();

                hr_json_append(inner, next);
                inner = next;
        }
        text = NULL;
        is_int(hr_json_write(arr, 0, &text, &len, &err), -EINVAL, "writing 65 levels is refused");
        ok(strstr(err.msg, "nesting deeper than 64") && !text, "writing 65 levels: %s", err.msg);
        hr_json_free(arr);
}

static void test_size(void)
{
        size_t max = HR_JSON_MAX_SIZE;
        char *buf = malloc(max + 1);
        struct hr_json *j = NULL;
        struct hr_error err = {0};

        if (!buf)
                abort();
        memset(buf, ' ', max + 1);
        buf[0] = '[';
        buf[max - 1] = ']';
        is_int(hr_json_parse(buf, max, 0, &j, &err), 0, "exactly 16 MiB is accepted");
        hr_json_free(j);
        j = NULL;
        is_int(hr_json_parse(buf, max + 1, 0, &j, &err), -EFBIG, "16 MiB + 1 is refused");
        ok(strstr(err.msg, "16 MiB"), "size message: %s", err.msg);
        ok(!j, "size: output untouched");
        free(buf);
}

/* Large objects: duplicates found without quadratic time, and the first repeat is named. */
static void test_large_objects(void)
{
        size_t n = 200000, cap = n * 16 + 64, o = 0;
        char *buf = malloc(cap);
        struct hr_json *j = NULL;
        struct hr_error err = {0};

        if (!buf)
                abort();
        buf[o++] = '{';
        for (size_t i = 0; i < n; i++)
                o += (size_t)sprintf(buf + o, "%s\"k%zu\":%zu", i ? "," : "", i, i);
        buf[o] = '}';
        is_int(hr_json_parse(buf, o + 1, 0, &j, &err), 0, "200000 distinct keys parse");
        is_int(j ? (long long)j->u.obj.len : -1, n, "200000 members kept");
        ok(j && strcmp(j->u.obj.members[n - 1].key, "k199999") == 0, "last key in order");
        hr_json_free(j);
        o += (size_t)sprintf(buf + o, ",\"k777\":0,\"k5\":1}");
        is_int(hr_json_parse(buf, o, 0, &j, &err), -EINVAL, "large object duplicate refused");
        ok(strstr(err.msg, "duplicate key \"k777\" at the top level"), "large duplicate: %s",
           err.msg);
        free(buf);
}

/* Compact input comes back byte for byte. */
static const char *const identity[] = {
    "[18446744073709551615,-9223372036854775808,4294967295,2147483647]",
    "{\"errnoRet\":1,\"mask\":18446744073709551615,\"x\":1.0}",
    "[1e3,1E+3,1e-3,-0,-0.0,0.10,0.0000,123456789012345678901234567890,6.02214076e23]",
    "{\"z\":1,\"a\":2,\"m\":{\"y\":null,\"b\":true,\"c\":false},\"0\":[]}",
    "{\"\":\"\",\"empty\":{},\"list\":[[],{}],\"s\":\"\\\"\\\\\\n\\t\\r\\b\\f\"}",
    "\"caf\xc3\xa9 \xf0\x9f\x98\x80 \xe2\x82\xac \xf4\x8f\xbf\xbf\"",
    "\"a\\u0000b\\u001F\x7f\"",
    "12",
    "-0",
    "null",
    "true",
    "{\"vendor.example/x\":{\"deep\":[1,[2,[3,{\"k\":\"v\"}]]]}}",
};

static void test_identity(void)
{
        for (size_t i = 0; i < HR_ARRAY_SIZE(identity); i++) {
                struct hr_json *j = parse(identity[i], 0);
                char *text = j ? write_json(j, 0) : NULL;

                is_str(text, identity[i], "compact round trip %zu", i);
                hr_json_free(j);
                free(text);
        }
}

/* Input whose escapes are written back in yajl's canonical form. */
static const struct {
        const char *in, *out;
} normalised[] = {
    {"\"\\u00e9\\u20AC\"", "\"\xc3\xa9\xe2\x82\xac\""},
    {"\"\\ud83d\\ude00\"", "\"\xf0\x9f\x98\x80\""},
    {"\"\\uDBFF\\uDFFF\"", "\"\xf4\x8f\xbf\xbf\""},
    {"\"\\/\\u0041\"", "\"/A\""},
    {"\"\\u0001\"", "\"\\u0001\""},
    {" { \"a\" : [ 1 , 2 ] } ", "{\"a\":[1,2]}"},
};

static void test_normalised(void)
{
        for (size_t i = 0; i < HR_ARRAY_SIZE(normalised); i++) {
                struct hr_json *j = parse(normalised[i].in, 0);
                char *text = j ? write_json(j, 0) : NULL;

                is_str(text, normalised[i].out, "escapes normalised: %s", normalised[i].in);
                hr_json_free(j);
                free(text);
        }
}

static void test_strings(void)
{
        struct hr_json *j = parse("[\"a\\u0000b\", \"\\u00e9\", \"x\"]", 0);
        struct hr_json *s = j ? j->u.arr.items[0] : NULL;

        ok(s && s->type == HR_JSON_STRING && s->u.str.len == 3 &&
               memcmp(s->u.str.text, "a\0b", 4) == 0,
           "embedded U+0000 kept with its length");
        is_str(j ? hr_json_string(j->u.arr.items[1]) : NULL, "\xc3\xa9", "\\u00e9 decoded");
        is_str(j ? hr_json_string(j->u.arr.items[2]) : NULL, "x", "hr_json_string");
        ok(!hr_json_string(j), "hr_json_string of an array is NULL");
        hr_json_free(j);
}

static void test_comments(void)
{
        static const char text[] =
            "// policy\n{\"a\": /* one */ 1, \"b\": [2 // two\n]}\n/* end */";
        struct hr_json *j = NULL;
        struct hr_error err = {0};
        char *out;

        is_int(hr_json_parse(LIT(text), 0, &j, &err), -EINVAL, "comments refused by default");
        ok(strncmp(err.msg, "invalid JSON", 12) == 0, "comments: %s", err.msg);
        is_int(hr_json_parse(LIT(text), HR_JSON_ALLOW_COMMENTS, &j, &err), 0,
               "comments accepted with HR_JSON_ALLOW_COMMENTS");
        out = j ? write_json(j, 0) : NULL;
        is_str(out, "{\"a\":1,\"b\":[2]}", "comments dropped");
        hr_json_free(j);
        free(out);
        j = parse("[\"/* not a comment */\", \"//\"]", HR_JSON_ALLOW_COMMENTS);
        is_str(j ? hr_json_string(j->u.arr.items[0]) : NULL, "/* not a comment */",
               "comment marks inside strings are text");
        hr_json_free(j);
}

static void test_pretty(void)
{
        struct hr_json *j = parse("{\"a\":[],\"b\":{},\"c\":[1,{\"d\":\"e\"}]}", 0);
        char *text = j ? write_json(j, HR_JSON_PRETTY) : NULL;

        is_str(text,
               "{\n\t\"a\": [],\n\t\"b\": {},\n\t\"c\": [\n\t\t1,\n\t\t{\n\t\t\t\"d\": \"e\"\n"
               "\t\t}\n\t]\n}\n",
               "pretty: tabs, \"key\": value, [] and {}, final newline");
        hr_json_free(j);
        free(text);
        j = hr_json_new_number("7");
        text = write_json(j, HR_JSON_PRETTY);
        is_str(text, "7\n", "pretty scalar ends with a newline");
        free(text);
        text = write_json(j, 0);
        is_str(text, "7", "compact has no newline");
        hr_json_free(j);
        free(text);
}

static void test_mutators(void)
{
        struct hr_json *o = parse("{\"a\":1,\"b\":2,\"c\":3}", 0), *arr;
        struct hr_json *b_old = hr_json_get(o, "b");
        char *text;

        is_int(hr_json_set(o, "b", hr_json_new_string("x")), 0, "set replaces");
        ok(hr_json_get(o, "b") != b_old, "replaced value is new");
        is_int(hr_json_set(o, "d", hr_json_new_bool(false)), 0, "set appends");
        is_int(hr_json_set(o, "d", hr_json_get(o, "d")), 0, "set to the same value");
        is_int(hr_json_remove(o, "a"), 1, "remove present key");
        is_int(hr_json_remove(o, "zz"), 0, "remove absent key");
        is_int(hr_json_set(o, "e", NULL), -ENOMEM, "set NULL value is -ENOMEM");
        arr = hr_json_new_array();
        is_int(hr_json_append(arr, hr_json_new_number("18446744073709551615")), 0, "append");
        is_int(hr_json_append(arr, hr_json_new_null()), 0, "append null");
        is_int(hr_json_append(arr, NULL), -ENOMEM, "append NULL value is -ENOMEM");
        is_int(hr_json_append(o, hr_json_new_null()), -EINVAL, "append to an object");
        is_int(hr_json_set(arr, "k", hr_json_new_null()), -EINVAL, "set on an array");
        is_int(hr_json_set(o, "e", arr), 0, "set array");
        text = write_json(o, 0);
        is_str(text, "{\"b\":\"x\",\"c\":3,\"d\":false,\"e\":[18446744073709551615,null]}",
               "mutations keep key positions");
        free(text);
        ok(hr_json_get_type(o, "c", HR_JSON_NUMBER), "get_type matching");
        ok(!hr_json_get_type(o, "c", HR_JSON_STRING), "get_type mismatching");
        ok(!hr_json_get_type(o, "q", HR_JSON_NUMBER), "get_type absent");
        ok(!hr_json_get(arr, "k"), "get on an array");
        ok(!hr_json_get(NULL, "k"), "get on NULL");
        hr_json_free(o);
}

static void test_constructors(void)
{
        struct hr_json *j = hr_json_new_object();
        struct hr_error err = {0};
        char *text = NULL;
        size_t len;

        hr_json_set(j, "n", hr_json_new_null());
        hr_json_set(j, "t", hr_json_new_bool(true));
        hr_json_set(j, "s", hr_json_new_string("q\"\\\n"));
        hr_json_set(j, "num", hr_json_new_number("-1.5e-10"));
        hr_json_set(j, "o", hr_json_new_object());
        text = write_json(j, 0);
        is_str(text, "{\"n\":null,\"t\":true,\"s\":\"q\\\"\\\\\\n\",\"num\":-1.5e-10,\"o\":{}}",
               "constructors");
        free(text);
        text = NULL;
        hr_json_set(j, "num", hr_json_new_number("1."));
        is_int(hr_json_write(j, 0, &text, &len, &err), -EINVAL, "invalid number text refused");
        ok(strstr(err.msg, "invalid number") && !text, "invalid number: %s", err.msg);
        hr_json_set(j, "num", hr_json_new_string("\xff"));
        is_int(hr_json_write(j, 0, &text, &len, &err), -EINVAL, "invalid UTF-8 string refused");
        ok(strstr(err.msg, "invalid UTF-8") && !text, "invalid UTF-8 write: %s", err.msg);
        hr_json_free(j);
        is_str(hr_json_type_name(HR_JSON_NULL), "null", "type name null");
        is_str(hr_json_type_name(HR_JSON_BOOL), "boolean", "type name bool");
        is_str(hr_json_type_name(HR_JSON_NUMBER), "number", "type name number");
        is_str(hr_json_type_name(HR_JSON_STRING), "string", "type name string");
        is_str(hr_json_type_name(HR_JSON_ARRAY), "array", "type name array");
        is_str(hr_json_type_name(HR_JSON_OBJECT), "object", "type name object");
}

static const struct {
        const char *a, *b;
        bool equal;
} equality[] = {
    {"{\"a\":[1,{\"b\":null}]}", "{ \"a\" : [1, {\"b\": null}] }", true},
    {"1", "1.0", false},
    {"-0", "0", false},
    {"1e3", "1E3", false},
    {"[1,2]", "[2,1]", false},
    {"[1,2]", "[1,2,3]", false},
    {"{\"a\":1,\"b\":2}", "{\"b\":2,\"a\":1}", false},
    {"{\"a\":1}", "{\"a\":1,\"b\":2}", false},
    {"{\"a\":1}", "{\"b\":1}", false},
    {"\"a\\u0000b\"", "\"a\\u0000c\"", false},
    {"\"a\\u0000b\"", "\"a\\u0000b\"", true},
    {"\"a\"", "\"a\\u0000\"", false},
    {"null", "false", false},
    {"true", "false", false},
    {"\"\\u00e9\"", "\"\xc3\xa9\"", true},
    {"{}", "[]", false},
};

static void test_equal_copy(void)
{
        for (size_t i = 0; i < HR_ARRAY_SIZE(equality); i++) {
                struct hr_json *a = parse(equality[i].a, 0), *b = parse(equality[i].b, 0);
                struct hr_json *c = hr_json_copy(a);

                ok(a && b && hr_json_equal(a, b) == equality[i].equal, "equal(%s, %s) is %s",
                   equality[i].a, equality[i].b, equality[i].equal ? "true" : "false");
                ok(c && c != a && hr_json_equal(a, c), "copy of %s is equal", equality[i].a);
                hr_json_free(a);
                hr_json_free(b);
                hr_json_free(c);
        }
        ok(hr_json_equal(NULL, NULL), "equal(NULL, NULL)");
        ok(!hr_json_copy(NULL), "copy(NULL) is NULL");
}

static char *read_file(const char *path, size_t *len)
{
        FILE *f = fopen(path, "rbe");
        char *buf = NULL;
        long n;

        if (!f)
                return NULL;
        if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
            (buf = malloc((size_t)n + 1)) && fread(buf, 1, (size_t)n, f) == (size_t)n) {
                buf[n] = '\0';
                *len = (size_t)n;
        } else {
                free(buf);
                buf = NULL;
        }
        fclose(f);
        return buf;
}

/* parse -> pretty -> parse is the same tree, and the second write gives the same bytes. */
static void round_trip_file(const char *path)
{
        struct hr_json *a = NULL, *b = NULL, *c;
        struct hr_error err = {0};
        char *text, *t1 = NULL, *t2 = NULL;
        size_t len = 0, l1 = 0, l2 = 0;

        text = read_file(path, &len);
        if (!ok(text && hr_json_parse(text, len, 0, &a, &err) == 0, "%s parses", path))
                printf("#   %s\n", text ? err.msg : "cannot read the file");
        ok(a && hr_json_write(a, HR_JSON_PRETTY, &t1, &l1, &err) == 0, "%s writes", path);
        ok(t1 && hr_json_parse(t1, l1, 0, &b, &err) == 0 && hr_json_equal(a, b),
           "%s: written text parses to an equal tree", path);
        ok(b && hr_json_write(b, HR_JSON_PRETTY, &t2, &l2, &err) == 0 && l1 == l2 &&
               memcmp(t1, t2, l1) == 0,
           "%s: second write is byte-identical", path);
        c = hr_json_copy(a);
        ok(c && hr_json_equal(a, c), "%s: copy is equal", path);
        /* `runc spec` output is already in our pretty form, minus the final newline. */
        if (strstr(path, "runc-spec") && text && t1)
                ok(l1 == len + 1 && memcmp(t1, text, len) == 0 && t1[len] == '\n',
                   "%s: written exactly as runc writes it", path);
        hr_json_free(a);
        hr_json_free(b);
        hr_json_free(c);
        free(text);
        free(t1);
        free(t2);
}

static int json_file(const struct dirent *d)
{
        size_t n = strlen(d->d_name);

        return d->d_name[0] != '.' && n > 5 && strcmp(d->d_name + n - 5, ".json") == 0;
}

static void test_data_files(void)
{
        struct dirent **names = NULL;
        int n = scandir(HR_TEST_DATA, &names, json_file, alphasort);

        ok(n > 0, "%s holds *.json files (%d)", HR_TEST_DATA, n);
        for (int i = 0; i < n; i++) {
                char path[4096];

                snprintf(path, sizeof(path), "%s/%s", HR_TEST_DATA, names[i]->d_name);
                round_trip_file(path);
                free(names[i]);
        }
        free(names);
}

/* What HR_JSON_TRUSTED skips, and what it still refuses. */
static void test_trusted(void)
{
        static const char dup[] = "{\"a\":1,\"a\":2}";
        struct hr_json *j = NULL;
        struct hr_error err = {0};

        ok(hr_json_parse(dup, strlen(dup), 0, &j, &err) < 0, "a duplicate key is refused");
        is_int(hr_json_parse(dup, strlen(dup), HR_JSON_TRUSTED, &j, &err), 0,
               "trusted data skips the duplicate-key check");
        hr_json_free(j);
        j = NULL;
        ok(hr_json_parse("{\"a\":", 5, HR_JSON_TRUSTED, &j, &err) < 0 && !j,
           "trusted data is still parsed as JSON (%s)", err.msg);
}

/* With the arena on, trees are built and read as before; freeing does nothing. */
static void test_arena(void)
{
        static const char text[] = "{\"k\":[1,\"two\",{\"x\":null}],\"n\":18446744073709551615}";
        static const char head[] = "{\"k\":[1,\"two\",{\"x\":null},\"grown\"";
        struct hr_json *j = NULL, *copy;
        struct hr_error err = {0};
        char *out = NULL;
        size_t len;
        int grown = 0;

        hr_json_arena();
        is_int(hr_json_parse(text, strlen(text), 0, &j, &err), 0, "arena: parses");
        for (int i = 0; i < 100; i++)
                grown += hr_json_append(hr_json_get(j, "k"), hr_json_new_string("grown")) == 0;
        ok(grown == 100 && hr_json_get(j, "k")->u.arr.len == 103, "arena: arrays grow");
        copy = hr_json_copy(j);
        ok(hr_json_equal(j, copy), "arena: a copy is equal");
        hr_json_remove(copy, "k");
        hr_json_free(copy);
        is_int(hr_json_write(j, 0, &out, &len, &err), 0, "arena: writes");
        ok(out && strncmp(out, head, strlen(head)) == 0,
           "arena: the tree is intact after frees (%s)", out ? out : "");
        ok(out && strstr(out, "\"n\":18446744073709551615}"), "arena: numbers keep their text");
        free(out);
        hr_json_free(j);
}

int main(void)
{
        test_refusals();
        test_syntax_messages();
        test_depth();
        test_size();
        test_large_objects();
        test_identity();
        test_normalised();
        test_strings();
        test_comments();
        test_pretty();
        test_mutators();
        test_constructors();
        test_equal_copy();
        test_data_files();
        test_trusted();
        /* Last: the arena stays on. */
        test_arena();
        return tap_done();
}
