/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hardrun policy: the effective policy, after the level, the policy file and
 * its overrides, for a container that no rule matches (hr_policy_resolve()),
 * and with --explain where each top-level value came from.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hr-cleanup.h"
#include "own.h"
#include "policy-json.h"

/* The policy file's rules, each {"name":..,"line":..}: they apply per container. */
static struct hr_json *rules_list(const struct hr_policy_file *f)
{
        const struct hr_json *rules = hr_json_get_type(f->doc, "rules", HR_JSON_ARRAY);
        _cleanup_json_ struct hr_json *list = hr_json_new_array();

        for (size_t i = 0; list && rules && i < rules->u.arr.len; i++) {
                const struct hr_json *rule = rules->u.arr.items[i];
                const char *name = hr_json_string(hr_json_get(rule, "name"));
                struct hr_json *o = hr_json_new_object();
                char fallback[32], line[16];

                snprintf(fallback, sizeof(fallback), "rules[%zu]", i);
                /* An array element has no line of its own: that of its first key. */
                snprintf(line, sizeof(line), "%u",
                         rule->type == HR_JSON_OBJECT && rule->u.obj.len
                             ? rule->u.obj.members[0].line
                             : 0);
                if (hr_json_append(list, o) < 0 ||
                    hr_json_set(o, "name", hr_json_new_string(name ? name : fallback)) < 0 ||
                    hr_json_set(o, "line", hr_json_new_number(line)) < 0)
                        return NULL;
        }
        return TAKE_PTR(list);
}

static void write_source(FILE *out, const struct hr_json *s)
{
        const char *from = hr_json_string(hr_json_get(s, "from"));
        const char *file = hr_json_string(hr_json_get(s, "file"));
        const char *over = hr_json_string(hr_json_get(s, "over_level"));
        const struct hr_json *line = hr_json_get(s, "line");

        if (from && strcmp(from, "policy") == 0) {
                fprintf(out, "    from %s", file);
                if (line)
                        fprintf(out, " line %s", line->u.str.text);
                if (over)
                        fprintf(out, ", over level %s", over);
                fputc('\n', out);
        } else if (from && strcmp(from, "level") == 0) {
                fprintf(out, "    from level %s (%s)\n", hr_json_string(hr_json_get(s, "level")),
                        file);
        } else {
                fputs("    built-in default\n", out);
        }
}

static void write_rules(FILE *out, const struct hr_policy_file *f, const struct hr_json *rules)
{
        if (!rules || rules->u.arr.len == 0)
                return;
        fprintf(out,
                "\n%zu rule%s in %s, applied per container and not in the values above (hardrun "
                "check --id ID --bundle DIR shows what one container gets):\n",
                rules->u.arr.len, rules->u.arr.len == 1 ? "" : "s", f->path);
        for (size_t i = 0; i < rules->u.arr.len; i++) {
                const struct hr_json *r = rules->u.arr.items[i];

                fprintf(out, "  \"%s\" (line %s)\n", hr_json_string(hr_json_get(r, "name")),
                        hr_json_get(r, "line")->u.str.text);
        }
}

int hr_policy_write_text(FILE *out, const struct hr_policy_file *f, const struct hr_json *doc,
                         const struct hr_json *sources)
{
        _cleanup_json_ struct hr_json *rules = rules_list(f);

        if (!rules)
                return -ENOMEM;
        fprintf(out, "policy: %s\n", f->path ? f->path : "built-in (no policy file)");
        for (size_t i = 0; i < doc->u.obj.len; i++) {
                const struct hr_json_member *m = &doc->u.obj.members[i];
                _cleanup_free_ char *value = NULL;
                size_t len;

                if (hr_json_write(m->value, 0, &value, &len, NULL) < 0)
                        return -ENOMEM;
                fprintf(out, "%s: %s\n", m->key, value);
                if (sources)
                        write_source(out, hr_json_get(sources, m->key));
        }
        write_rules(out, f, rules);
        return ferror(out) ? -EIO : 0;
}

static int explained(const struct hr_policy_file *f, struct hr_json *doc, struct hr_json *sources,
                     struct hr_json **out)
{
        _cleanup_json_ struct hr_json *o = hr_json_new_object();

        if (hr_json_set(o, "file", f->path ? hr_json_new_string(f->path) : hr_json_new_null()) <
                0 ||
            hr_json_set(o, "policy", hr_json_copy(doc)) < 0 ||
            hr_json_set(o, "sources", hr_json_copy(sources)) < 0 ||
            hr_json_set(o, "rules", rules_list(f)) < 0)
                return -ENOMEM;
        *out = TAKE_PTR(o);
        return 0;
}

static int render(const struct hr_own_cmdline *cmd, const struct hr_policy_file *f,
                  struct hr_json *doc, struct hr_json *sources, struct hr_error *err)
{
        _cleanup_json_ struct hr_json *whole = NULL;
        _cleanup_free_ char *text = NULL;
        size_t len = 0;
        FILE *stream;
        int r;

        if (cmd->format == HR_FORMAT_JSON) {
                if (sources && explained(f, doc, sources, &whole) < 0)
                        return hr_error_set(err, ENOMEM, "out of memory");
                return hr_own_print_json(whole ? whole : doc, err);
        }
        if (!(stream = open_memstream(&text, &len)))
                return hr_error_errno(err, errno, "out of memory");
        r = hr_policy_write_text(stream, f, doc, sources);
        if (fclose(stream) != 0 || r < 0)
                return hr_error_set(err, ENOMEM, "out of memory");
        return hr_own_print(text, len, err);
}

int hr_own_policy(const struct hr_own_cmdline *cmd, struct hr_error *err)
{
        struct hr_policy_file f = {0};
        struct hr_policy p = {0};
        _cleanup_json_ struct hr_json *doc = NULL, *sources = NULL;
        int r;

        if ((r = hr_own_policy_file(cmd, &f, err)) < 0)
                return r;
        if ((r = hr_policy_resolve(&f, &p, err)) == 0 &&
            (r = hr_policy_to_json(&p, &doc, err)) == 0 &&
            (!cmd->explain || (r = hr_policy_sources(&f, &p, doc, &sources, err)) == 0))
                r = render(cmd, &f, doc, sources, err);
        hr_policy_done(&p);
        hr_policy_file_done(&f);
        return r;
}
