/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The resolved policy as a document (hardrun policy): it holds every knob,
 * it resolves back to the same policy, and the sources name the file and
 * line, the level, or the default.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harden/harden.h"
#include "hr-cleanup.h"
#include "policy-json.h"
#include "tap.h"

static char dir[] = "/tmp/hardrun-test-policy-json-XXXXXX";
static char path[256];

/* Write text as the policy file and read it back. */
static int load_file(const char *text, struct hr_policy_file *f, struct hr_error *err)
{
        FILE *out = fopen(path, "we");

        if (!out)
                abort();
        fputs(text, out);
        fclose(out);
        return hr_policy_file_load(path, f, err);
}

/* Resolve text as a policy and write the result as a document; NULL on failure. */
static struct hr_json *resolved(const char *text, struct hr_error *err)
{
        struct hr_policy_file f = {0};
        struct hr_policy p = {0};
        struct hr_json *doc = NULL;

        if (load_file(text, &f, err) == 0 && hr_policy_resolve(&f, &p, err) == 0)
                (void)hr_policy_to_json(&p, &doc, err);
        hr_policy_done(&p);
        hr_policy_file_done(&f);
        return doc;
}

static char *text_of(const struct hr_json *doc)
{
        char *text = NULL;
        size_t len;

        if (hr_json_write(doc, 0, &text, &len, NULL) < 0)
                abort();
        return text;
}

/* The document, read as a policy file, resolves to the same document. */
static void round_trip(const char *what, const char *policy)
{
        struct hr_error err = {0};
        _cleanup_json_ struct hr_json *doc = resolved(policy, &err), *again = NULL;
        _cleanup_free_ char *text = NULL;

        if (!ok(doc, "%s resolves (%s)", what, err.msg))
                return;
        text = text_of(doc);
        again = resolved(text, &err);
        if (!ok(again && hr_json_equal(doc, again), "%s: the document resolves to itself (%s)",
                what, err.msg))
                printf("#   %s\n", text);
}

static const char everything[] =
    "{\"level\": \"baseline\", \"mode\": \"audit\", \"runtime\": [\"crun\", \"/usr/bin/runc\"],"
    " \"audit_file\": \"/var/log/hardrun.log\", \"annotation_may_relax\": [\"limits\"],"
    " \"user\": {\"allow_root\": false, \"fallback_user\": \"1000:1001\"},"
    " \"capabilities\": {\"allowed\": [\"chown\", \"CAP_KILL\"]},"
    " \"no_new_privileges\": false, \"readonly_rootfs\": {\"enabled\": true, \"writable\": "
    "[\"/data\"], \"tmpfs_size\": \"8m\"},"
    " \"masked_paths\": [\"/sys/*/y\", \"/proc/x\"], \"readonly_paths\": [],"
    " \"mounts\": false, \"sensitive_mounts\": [\"/srv\"], \"namespaces\": [\"pid\"],"
    " \"sysctls\": {\"unprivileged_net\": false, \"allowed\": [\"kernel/shm*\"]},"
    " \"limits\": {\"pids\": null, \"nofile\": null, \"core\": null, \"memory\": \"1g\","
    " \"cpus\": 1.25},"
    " \"annotations\": {\"strip\": []}, \"devices\": false, \"lsm\": {\"mode\": \"required\"},"
    " \"seccomp\": {\"learn\": true}}";

static void test_values(void)
{
        struct hr_error err = {0};
        _cleanup_json_ struct hr_json *doc = resolved(everything, &err);
        static const struct {
                const char *key, *want;
        } cases[] = {
            {"level", "\"baseline\""},
            {"mode", "\"audit\""},
            {"runtime", "[\"crun\",\"/usr/bin/runc\"]"},
            {"audit_file", "\"/var/log/hardrun.log\""},
            {"annotation_may_relax", "[\"limits\"]"},
            {"user", "{\"allow_root\":false,\"fallback_user\":\"1000:1001\"}"},
            {"capabilities", "{\"allowed\":[\"CAP_CHOWN\",\"CAP_KILL\"]}"},
            {"no_new_privileges", "false"},
            {"readonly_rootfs",
             "{\"enabled\":true,\"writable\":[\"/data\"],\"tmpfs_size\":\"8m\"}"},
            {"masked_paths", "[\"/proc/x\",\"/sys/*/y\"]"},
            {"readonly_paths", "[]"},
            {"mounts", "{\"bind_nosuid_nodev\":false,\"bind_recursive\":false,\"readonly_sys\":"
                       "false,\"private_propagation\":false}"},
            {"sensitive_mounts", "[\"/srv\"]"},
            {"namespaces", "[\"pid\"]"},
            {"sysctls", "{\"unprivileged_net\":false,\"allowed\":[\"kernel.shm*\"]}"},
            {"limits", "{\"pids\":null,\"nofile\":null,\"core\":null,\"memory\":1073741824,"
                       "\"cpus\":1.25}"},
            {"annotations", "{\"strip\":[]}"},
            {"seccomp", "{\"enabled\":true,\"profile\":\"default\",\"learn\":true}"},
        };

        if (!ok(doc, "a policy setting every knob resolves (%s)", err.msg))
                return;
        for (size_t i = 0; i < HR_ARRAY_SIZE(cases); i++) {
                _cleanup_free_ char *got = NULL;
                const struct hr_json *v = hr_json_get(doc, cases[i].key);

                got = v ? text_of(v) : NULL;
                is_str(got, cases[i].want, "%s is written as the knob enforces it", cases[i].key);
        }
        ok(hr_json_get(hr_json_get(doc, "devices"), "enabled")->u.boolean == false,
           "devices: false is written as enabled false");
        is_str(hr_json_string(hr_json_get(hr_json_get(doc, "lsm"), "mode")), "required",
               "lsm.mode required");
}

static void test_cpus(void)
{
        static const char *const cases[][2] = {
            {"0.01", "0.01"}, {"2", "2"}, {"2.000", "2"}, {"0.5", "0.5"}, {"12.345", "12.345"},
        };

        for (size_t i = 0; i < HR_ARRAY_SIZE(cases); i++) {
                char policy[128];
                struct hr_error err = {0};
                _cleanup_json_ struct hr_json *doc = NULL;
                const struct hr_json *cpus;
                const char *got;

                snprintf(policy, sizeof(policy), "{\"limits\": {\"cpus\": %s}}", cases[i][0]);
                doc = resolved(policy, &err);
                cpus = hr_json_get(hr_json_get(doc, "limits"), "cpus");
                got = cpus ? cpus->u.str.text : "(none)";
                if (!ok(strcmp(got, cases[i][1]) == 0, "cpus %s is written as %s", cases[i][0],
                        cases[i][1]))
                        printf("#   got %s\n", got);
        }
}

/* Every key a level file sets is in the document, and every other key there is a knob. */
static void test_every_knob(const char *level)
{
        static const char *const policy_keys[] = {"level", "runtime", "audit_file", "mode",
                                                  "annotation_may_relax"};
        const char *text = hr_policy_level_text(level);
        _cleanup_json_ struct hr_json *level_doc = NULL, *doc = NULL;
        struct hr_error err = {0};
        char policy[64];
        bool all = true;

        snprintf(policy, sizeof(policy), "{\"level\": \"%s\"}", level);
        if (!ok(text &&
                    hr_json_parse(text, strlen(text), HR_JSON_ALLOW_COMMENTS, &level_doc, &err) ==
                        0 &&
                    (doc = resolved(policy, &err)),
                "level %s parses and resolves (%s)", level, err.msg))
                return;
        for (size_t i = 0; i < level_doc->u.obj.len; i++) {
                const char *key = level_doc->u.obj.members[i].key;

                if (strcmp(key, "description") != 0 && !hr_json_get(doc, key)) {
                        printf("#   %s is missing\n", key);
                        all = false;
                }
        }
        ok(all, "the document holds every knob level %s sets", level);
        all = true;
        for (size_t i = 0; i < doc->u.obj.len; i++) {
                const char *key = doc->u.obj.members[i].key;
                bool known = hr_knob_find(key) != NULL;

                for (size_t k = 0; k < HR_ARRAY_SIZE(policy_keys); k++)
                        known |= strcmp(key, policy_keys[k]) == 0;
                if (!known) {
                        printf("#   %s is not a knob\n", key);
                        all = false;
                }
        }
        ok(all, "every other key of the document is a knob");
}

static const char *source_text(const struct hr_json *sources, const char *key)
{
        static char buf[512];
        char *text = text_of(hr_json_get(sources, key));

        snprintf(buf, sizeof(buf), "%s", text);
        free(text);
        return buf;
}

static void test_sources(void)
{
        static const char policy[] = "{\n"
                                     "  \"level\": \"baseline\",\n"
                                     "  \"limits\": {\"pids\": 100},\n"
                                     "  \"seccomp\": false,\n"
                                     "  \"namespaces\": [\"pid\"]\n"
                                     "}\n";
        struct hr_policy_file f = {0};
        struct hr_policy p = {0};
        _cleanup_json_ struct hr_json *doc = NULL, *sources = NULL;
        struct hr_error err = {0};
        char want[512];

        if (!ok(load_file(policy, &f, &err) == 0 && hr_policy_resolve(&f, &p, &err) == 0 &&
                    hr_policy_to_json(&p, &doc, &err) == 0 &&
                    hr_policy_sources(&f, &p, doc, &sources, &err) == 0,
                "sources of a policy file (%s)", err.msg))
                goto out;
        snprintf(want, sizeof(want), "{\"from\":\"policy\",\"file\":\"%s\",\"line\":2}", path);
        is_str(source_text(sources, "level"), want, "level: the file's line 2");
        snprintf(want, sizeof(want),
                 "{\"from\":\"policy\",\"file\":\"%s\",\"line\":3,\"over_level\":\"baseline\"}",
                 path);
        is_str(source_text(sources, "limits"), want, "limits: line 3, over the level's values");
        snprintf(want, sizeof(want),
                 "{\"from\":\"policy\",\"file\":\"%s\",\"line\":4,\"over_level\":\"baseline\"}",
                 path);
        is_str(source_text(sources, "seccomp"), want, "seccomp: false keeps the level's profile");
        snprintf(want, sizeof(want), "{\"from\":\"policy\",\"file\":\"%s\",\"line\":5}", path);
        is_str(source_text(sources, "namespaces"), want, "namespaces: a list replaces the level's");
        is_str(source_text(sources, "user"),
               "{\"from\":\"level\",\"level\":\"baseline\",\"file\":\"baseline.json\"}",
               "user: from the level file");
        is_str(source_text(sources, "mode"), "{\"from\":\"default\"}", "mode: the default");
        is_int(sources->u.obj.len, doc->u.obj.len, "a source for every key");
out:
        hr_policy_done(&p);
        hr_policy_file_done(&f);
}

static void test_builtin_sources(void)
{
        struct hr_policy_file f = {0};
        struct hr_policy p = {0};
        _cleanup_json_ struct hr_json *doc = NULL, *sources = NULL;
        struct hr_error err = {0};

        if (ok(hr_policy_resolve(&f, &p, &err) == 0 && hr_policy_to_json(&p, &doc, &err) == 0 &&
                   hr_policy_sources(&f, &p, doc, &sources, &err) == 0,
               "sources of the built-in policy (%s)", err.msg)) {
                is_str(source_text(sources, "level"), "{\"from\":\"default\"}", "level: default");
                is_str(source_text(sources, "seccomp"),
                       "{\"from\":\"level\",\"level\":\"restricted\",\"file\":\"restricted.json\"}",
                       "seccomp: from restricted.json");
        }
        hr_policy_done(&p);
}

static void test_profile_file(void)
{
        _cleanup_free_ char *file = realpath(HR_TEST_DATA "/seccomp/profile.json", NULL);
        char policy[512];

        if (!ok(file, "tests/data/seccomp/profile.json exists"))
                return;
        snprintf(policy, sizeof(policy), "{\"seccomp\": {\"profile\": \"%s\"}}", file);
        round_trip("a seccomp profile file", policy);
}

int main(void)
{
        if (!mkdtemp(dir))
                return 1;
        snprintf(path, sizeof(path), "%s/policy.json", dir);
        round_trip("restricted", "{}");
        round_trip("baseline", "{\"level\": \"baseline\"}");
        round_trip("a policy setting every knob", everything);
        test_profile_file();
        test_values();
        test_cpus();
        test_every_knob("restricted");
        test_every_knob("baseline");
        test_sources();
        test_builtin_sources();
        unlink(path);
        rmdir(dir);
        return tap_done();
}
