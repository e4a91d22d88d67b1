/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Policy rules and io.hardrun.* annotations: which level and knobs a container gets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy.h"
#include "tap.h"

static char dir[] = "/tmp/hardrun-test-rules-XXXXXX";

static struct hr_json *parse(const char *text)
{
        struct hr_json *j = NULL;
        struct hr_error err = {0};

        if (hr_json_parse(text, strlen(text), 0, &j, &err) < 0) {
                printf("# bad test JSON: %s\n", err.msg);
                abort();
        }
        return j;
}

/* Resolve policy text (NULL: no file) for a container; 0 or -errno. */
static int resolve(const char *policy, const char *id, const char *bundle, const char *annotations,
                   struct hr_policy *out, struct hr_error *err)
{
        _cleanup_json_ struct hr_json *ann = annotations ? parse(annotations) : NULL;
        struct hr_policy_ctx ctx = {.id = id, .bundle = bundle, .annotations = ann};
        struct hr_policy_file f = {0};
        char path[256];
        FILE *fp;
        int r;

        snprintf(path, sizeof(path), "%s/policy.json", dir);
        if (policy) {
                if (!(fp = fopen(path, "we")))
                        abort();
                fputs(policy, fp);
                fclose(fp);
                setenv(HR_POLICY_ENV, path, 1);
        } else {
                /* no file at all: the built-in default */
                setenv(HR_POLICY_ENV, "", 1);
                unlink(path);
        }
        r = hr_policy_file_read(&f, err);
        if (r == 0)
                r = hr_policy_resolve_for(&f, &ctx, out, err);
        hr_policy_file_done(&f);
        return r;
}

#define K8S_NS(ns) "{\"io.kubernetes.pod.namespace\":\"" ns "\"}"

static const char rules[] =
    "{\"level\": \"restricted\", \"readonly_rootfs\": {\"tmpfs_size\": \"32m\"},\n"
    " \"rules\": [\n"
    "  {\"name\": \"system pods\", \"match\": {\"annotations\": "
    "{\"io.kubernetes.pod.namespace\": \"kube-*\"}}, \"level\": \"baseline\"},\n"
    "  {\"match\": {\"id\": \"nginx-*\"}, \"readonly_rootfs\": {\"writable\": [\"/tmp\", "
    "\"/var/lib/nginx\"]}},\n"
    "  {\"name\": \"ci\", \"match\": {\"bundle\": \"/var/lib/ci/*\", \"id\": \"job-*\"}, "
    "\"mode\": \"audit\"},\n"
    "  {\"name\": \"never\", \"match\": {\"id\": \"nginx-1\"}, \"level\": \"baseline\"}\n"
    " ]}";

static void test_matching(void)
{
        static const struct {
                const char *policy, *id, *bundle, *annotations;
                const char *level, *rule; /* expected */
                enum hr_mode mode;
                const char *size; /* readonly_rootfs.tmpfs_size */
                size_t writable;  /* readonly_rootfs.n_writable */
        } cases[] = {
            {rules, "abc", "/run/b/abc", NULL, "restricted", NULL, HR_MODE_ENFORCE, "32m", 5},
            {rules, "abc", "/run/b/abc", K8S_NS("kube-system"), "baseline", "system pods",
             HR_MODE_ENFORCE, "32m", 5},
            {rules, "abc", "/run/b/abc", K8S_NS("default"), "restricted", NULL, HR_MODE_ENFORCE,
             "32m", 5},
            /* the first matching rule wins: "never" is shadowed */
            {rules, "nginx-1", "/run/b/x", NULL, "restricted", "rules[1]", HR_MODE_ENFORCE, "32m",
             2},
            /* every criterion of a match must hold */
            {rules, "job-7", "/var/lib/ci/job-7", NULL, "restricted", "ci", HR_MODE_AUDIT, "32m",
             5},
            {rules, "job-7", "/var/lib/other/job-7", NULL, "restricted", NULL, HR_MODE_ENFORCE,
             "32m", 5},
            /* bundle globs do not cross / */
            {rules, "job-7", "/var/lib/ci/a/job-7", NULL, "restricted", NULL, HR_MODE_ENFORCE,
             "32m", 5},
            /* io.hardrun.level always tightens */
            {rules, "abc", "/b",
             "{\"io.kubernetes.pod.namespace\":\"kube-system\","
             "\"io.hardrun.level\":\"restricted\"}",
             "restricted", "system pods", HR_MODE_ENFORCE, "32m", 5},
            {NULL, "abc", "/b", "{\"io.hardrun.level\":\"restricted\"}", "restricted", NULL,
             HR_MODE_ENFORCE, "64m", 5},
            /* and relaxes when the policy says so */
            {"{\"annotation_may_relax\": [\"level\"]}", "abc", "/b",
             "{\"io.hardrun.level\":\"baseline\"}", "baseline", NULL, HR_MODE_ENFORCE, "64m", 5},
            /* knob annotations, for the knobs listed */
            {"{\"annotation_may_relax\": \"readonly_rootfs\"}", "abc", "/b",
             "{\"io.hardrun.readonly_rootfs\":\"{\\\"writable\\\":[\\\"/data\\\"]}\"}",
             "restricted", NULL, HR_MODE_ENFORCE, "64m", 1},
        };

        for (size_t i = 0; i < HR_ARRAY_SIZE(cases); i++) {
                struct hr_policy p;
                struct hr_error err = {0};

                if (!ok(resolve(cases[i].policy, cases[i].id, cases[i].bundle, cases[i].annotations,
                                &p, &err) == 0,
                        "case %zu resolves (%s)", i, err.msg))
                        continue;
                is_str(p.level, cases[i].level, "case %zu: level", i);
                is_str(p.rule, cases[i].rule, "case %zu: rule %s", i,
                       cases[i].rule ? cases[i].rule : "none");
                is_int(p.mode, cases[i].mode, "case %zu: mode", i);
                is_str(p.readonly_rootfs.tmpfs_size, cases[i].size, "case %zu: file knobs apply",
                       i);
                is_int(p.readonly_rootfs.n_writable, cases[i].writable,
                       "case %zu: rule knobs apply over the file's", i);
                if (strcmp(cases[i].level, "baseline") == 0)
                        ok(p.user.allow_root, "case %zu: baseline allows root", i);
                else
                        ok(!p.user.allow_root, "case %zu: restricted does not allow root", i);
                hr_policy_done(&p);
        }
}

static void test_refusals(void)
{
        static const struct {
                const char *policy, *annotations, *error;
        } cases[] = {
            {NULL, "{\"io.hardrun.level\":\"baseline\"}",
             "annotation io.hardrun.level=baseline would relax level restricted"},
            {"{}", "{\"io.hardrun.level\":\"lax\"}", "unknown level \"lax\""},
            {"{\"annotation_may_relax\": [\"capabilities\"]}",
             "{\"io.hardrun.readonly_rootfs\":\"false\"}",
             "annotation io.hardrun.readonly_rootfs may not change knob readonly_rootfs"},
            {"{}", "{\"io.hardrun.readonly_rootf\":\"false\"}",
             "annotation io.hardrun.readonly_rootf names no knob"},
            {"{\"annotation_may_relax\": [\"readonly_rootfs\"]}",
             "{\"io.hardrun.readonly_rootfs\":\"{nope\"}", "annotation io.hardrun.readonly_rootfs"},
            {"{\"annotation_may_relax\": [\"readonly_rootfs\"]}",
             "{\"io.hardrun.readonly_rootfs\":\"7\"}", "must be a boolean or an object"},
            {"{\"annotation_may_relax\": [\"everything\"]}", NULL,
             "\"everything\" is neither \"level\" nor a knob"},
            /* a broken rule fails closed even when it matches nothing */
            {"{\"rules\": [{\"match\": {\"id\": \"zzz\"}, \"readonly_rootfs\": 3}]}", NULL,
             "rules[0]: line 1: knob readonly_rootfs must be a boolean or an object"},
            {"{\"rules\": [{\"match\": {\"id\": \"zzz\"}, \"nope\": 3}]}", NULL,
             "rules[0]: line 1: unknown knob \"nope\""},
            /* the line of the knob, in a file with comments */
            {"{\n  \"level\": \"baseline\",\n  // comment\n  \"rules\": [\n    {\"match\": "
             "{\"id\": \"a\"},"
             "\n     \"user\": {\"fallback_user\": \"0:0\"}}]}",
             NULL, "rules[0]: line 6: knob user.fallback_user"},
            {"/* a\n b */ {\"mode\": \"enforce\",\n\n\"capabilities\": []}", NULL,
             "line 4: knob capabilities must be an object"},
            {"{\"rules\": [{\"match\": {}}]}", NULL, "match must be an object with id"},
            {"{\"rules\": [{\"level\": \"baseline\"}]}", NULL, "match must be an object"},
            {"{\"rules\": [{\"match\": {\"image\": \"x\"}}]}", NULL,
             "match.image: a rule matches on id, bundle or annotations"},
            {"{\"rules\": [{\"match\": {\"id\": 1}}]}", NULL, "match.id must be a glob string"},
            {"{\"rules\": [{\"match\": {\"annotations\": {\"a\": 1}}}]}", NULL,
             "match.annotations.a must be a glob string"},
            {"{\"rules\": [{\"match\": {\"id\": \"*\"}, \"level\": \"lax\"}]}", NULL,
             "rules[0]: level: unknown level \"lax\""},
            {"{\"rules\": [{\"match\": {\"id\": \"*\"}, \"mode\": \"warn\"}]}", NULL,
             "rules[0]: mode must be \"enforce\", \"refuse\" or \"audit\""},
            {"{\"rules\": {}}", NULL, "rules must be a list of rules"},
            {"{\"rules\": [7]}", NULL, "rules[0]: a rule must be an object"},
            {"{\"rules\": [{\"match\": {\"id\": \"*\"}, \"name\": 1}]}", NULL,
             "name and description must be strings"},
        };

        for (size_t i = 0; i < HR_ARRAY_SIZE(cases); i++) {
                struct hr_policy p;
                struct hr_error err = {0};

                if (!ok(resolve(cases[i].policy, "abc", "/b", cases[i].annotations, &p, &err) < 0,
                        "refusal case %zu is refused", i)) {
                        hr_policy_done(&p);
                        continue;
                }
                ok(strstr(err.msg, cases[i].error) != NULL, "message has \"%s\" (%s)",
                   cases[i].error, err.msg);
        }
}

/* Without a container, as `hardrun policy` will resolve it, rules are checked but never match. */
static void test_no_container(void)
{
        struct hr_policy_file f = {0};
        struct hr_policy p;
        struct hr_error err = {0};
        char path[256];
        FILE *fp;

        snprintf(path, sizeof(path), "%s/policy.json", dir);
        if (!(fp = fopen(path, "we")))
                abort();
        fputs(rules, fp);
        fclose(fp);
        setenv(HR_POLICY_ENV, path, 1);
        if (hr_policy_file_read(&f, &err) < 0)
                abort();
        is_int(hr_policy_resolve(&f, &p, &err), 0, "rules resolve without a container");
        is_str(p.rule, NULL, "no rule matched");
        is_str(p.level, "restricted", "the file's level");
        hr_policy_done(&p);
        hr_policy_file_done(&f);
}

int main(void)
{
        if (!mkdtemp(dir))
                abort();
        test_matching();
        test_refusals();
        test_no_container();
        {
                char path[256];

                snprintf(path, sizeof(path), "%s/policy.json", dir);
                unlink(path);
                rmdir(dir);
        }
        return tap_done();
}
