/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The knobs user and capabilities, over real engine configs and edge cases. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "harden/caps.h"
#include "harden/harden.h"
#include "tap.h"

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

static struct hr_json *load(const char *name)
{
        struct hr_file f = HR_FILE_INIT;
        struct hr_error err = {0};
        char path[256];
        struct hr_json *j;

        snprintf(path, sizeof(path), HR_TEST_DATA "/%s", name);
        if (hr_file_read(path, false, HR_JSON_MAX_SIZE, &f, &err) < 0) {
                printf("# %s\n", err.msg);
                abort();
        }
        j = parse(f.data);
        hr_file_done(&f);
        return j;
}

/* The named level with a policy file {"level": name}, resolved as hardrun does. */
static void level(const char *name, struct hr_policy *p)
{
        char path[] = "/tmp/hardrun-test-caps-XXXXXX";
        struct hr_policy_file f = {0};
        struct hr_error err = {0};
        int fd = mkstemp(path);
        FILE *out;

        if (fd < 0 || !(out = fdopen(fd, "w")))
                abort();
        fprintf(out, "{\"level\": \"%s\"}", name);
        fclose(out);
        setenv(HR_POLICY_ENV, path, 1);
        if (hr_policy_file_read(&f, &err) < 0 || hr_policy_resolve(&f, p, &err) < 0) {
                printf("# %s\n", err.msg);
                abort();
        }
        hr_policy_file_done(&f);
        unlink(path);
}

/* Run one knob; the report is fresh. */
static int run(const struct hr_knob *k, struct hr_json *c, const struct hr_policy *p,
               struct hr_report *rep, struct hr_error *err)
{
        *rep = (struct hr_report){0};
        return k->apply(c, p, rep, err);
}

/* The compact JSON at a dotted path ("process.user.uid"), or NULL. */
static char *at(const struct hr_json *c, const char *path)
{
        static char *last;
        char *copy = strdup(path), *save = NULL;
        const struct hr_json *v = c;
        struct hr_error err = {0};
        size_t len;

        for (char *k = strtok_r(copy, ".", &save); k && v; k = strtok_r(NULL, ".", &save))
                v = hr_json_get(v, k);
        free(copy);
        free(last);
        last = NULL;
        if (v && hr_json_write(v, 0, &last, &len, &err) < 0)
                abort();
        return last;
}

static const char *change_path(const struct hr_report *rep, size_t i)
{
        return i < rep->n_changes ? rep->changes[i].path : "(none)";
}

static void test_names(void)
{
        static const struct {
                const char *name;
                const char *canon; /* NULL: refused */
        } cases[] = {
            {"CAP_CHOWN", "CAP_CHOWN"},
            {"cap_chown", "CAP_CHOWN"},
            {"chown", "CAP_CHOWN"},
            {"Net_Bind_Service", "CAP_NET_BIND_SERVICE"},
            {"CAP_CHECKPOINT_RESTORE", "CAP_CHECKPOINT_RESTORE"},
            {"CAP_BPF", "CAP_BPF"},
            {"CAP_", NULL},
            {"", NULL},
            {"CAP_FOO", NULL},
            {"CAP_CHOWN,CAP_KILL", NULL},
            {"all", NULL},
        };

        for (size_t i = 0; i < HR_ARRAY_SIZE(cases); i++) {
                int cap = hr_cap_from_name(cases[i].name);
                char buf[64] = "";

                if (!cases[i].canon) {
                        ok(cap < 0, "\"%s\" is not a capability", cases[i].name);
                        continue;
                }
                ok(cap >= 0 && hr_cap_name(cap, buf, sizeof(buf)) == 0, "\"%s\" is known",
                   cases[i].name);
                is_str(buf, cases[i].canon, "\"%s\" is written as %s", cases[i].name,
                       cases[i].canon);
        }
}

static void test_caps_cases(const struct hr_policy *restricted, const struct hr_policy *baseline)
{
        static const struct {
                const char *level, *caps, *want;
                int changes;
        } cases[] = {
            /* restricted keeps NET_BIND_SERVICE only */
            {"restricted",
             "{\"bounding\":[\"CAP_CHOWN\",\"CAP_NET_BIND_SERVICE\"],\"effective\":[\"CAP_CHOWN\"],"
             "\"permitted\":[\"net_bind_service\"],\"inheritable\":[\"CAP_NET_BIND_SERVICE\"],"
             "\"ambient\":[\"CAP_NET_BIND_SERVICE\"]}",
             "{\"bounding\":[\"CAP_NET_BIND_SERVICE\"],\"effective\":[],\"permitted\":[\"CAP_NET_"
             "BIND_SERVICE\"],\"inheritable\":[],\"ambient\":[]}",
             5},
            /* already compliant: nothing to do */
            {"restricted", "{\"bounding\":[\"CAP_NET_BIND_SERVICE\"],\"effective\":[]}",
             "{\"bounding\":[\"CAP_NET_BIND_SERVICE\"],\"effective\":[]}", 0},
            /* absent sets stay absent; repeats go */
            {"baseline", "{\"bounding\":[\"CAP_KILL\",\"CAP_SYS_ADMIN\",\"CAP_KILL\"]}",
             "{\"bounding\":[\"CAP_KILL\"]}", 1},
            /* baseline keeps its compat set, in the config's order */
            {"baseline",
             "{\"effective\":[\"CAP_SETUID\",\"CAP_NET_RAW\",\"CAP_CHOWN\",\"CAP_MKNOD\"],"
             "\"ambient\":null}",
             "{\"effective\":[\"CAP_SETUID\",\"CAP_CHOWN\"],\"ambient\":null}", 1},
        };

        for (size_t i = 0; i < HR_ARRAY_SIZE(cases); i++) {
                const struct hr_policy *p =
                    strcmp(cases[i].level, "baseline") == 0 ? baseline : restricted;
                _cleanup_json_ struct hr_json *c = NULL;
                _cleanup_json_ struct hr_json *want = parse(cases[i].want);
                char text[1024];
                struct hr_report rep;
                struct hr_error err = {0};

                snprintf(text, sizeof(text), "{\"process\":{\"capabilities\":%s}}", cases[i].caps);
                c = parse(text);
                is_int(run(&hr_knob_capabilities, c, p, &rep, &err), 0, "%s: caps case %zu (%s)",
                       cases[i].level, i, err.msg);
                ok(hr_json_equal(hr_json_get(hr_json_get(c, "process"), "capabilities"), want),
                   "caps case %zu gives %s (got %s)", i, cases[i].want,
                   at(c, "process.capabilities"));
                is_int(rep.n_changes, cases[i].changes, "caps case %zu: %d changes", i,
                       cases[i].changes);
                if (rep.n_changes)
                        is_str(rep.changes[0].knob, "capabilities", "caps case %zu: knob named", i);
                hr_report_done(&rep);
        }
}

static void test_caps_errors(const struct hr_policy *p)
{
        static const struct {
                const char *config, *error;
        } cases[] = {
            {"{\"process\":{\"capabilities\":{\"bounding\":[\"CAP_FOO\"]}}}",
             "process.capabilities.bounding[0]: \"CAP_FOO\" is not a capability name"},
            {"{\"process\":{\"capabilities\":{\"effective\":[1]}}}",
             "effective[0]: not a string is not"},
            {"{\"process\":{\"capabilities\":{\"effective\":\"CAP_KILL\"}}}",
             "process.capabilities.effective must be an array"},
            {"{\"process\":{\"capabilities\":[]}}", "process.capabilities must be an object"},
            {"{\"process\":{\"capabilities\":{\"Bounding\":[]}}}",
             "the key \"Bounding\" is read by runc as \"bounding\""},
        };

        for (size_t i = 0; i < HR_ARRAY_SIZE(cases); i++) {
                _cleanup_json_ struct hr_json *c = parse(cases[i].config);
                struct hr_report rep;
                struct hr_error err = {0};

                ok(run(&hr_knob_capabilities, c, p, &rep, &err) < 0, "refused: %s",
                   cases[i].config);
                ok(strstr(err.msg, cases[i].error) != NULL, "message has \"%s\" (%s)",
                   cases[i].error, err.msg);
                hr_report_done(&rep);
        }
}

/* No capabilities object: the runtime would keep them all, so hardrun spells the set out. */
static void test_caps_absent(const struct hr_policy *p)
{
        _cleanup_json_ struct hr_json *c = parse("{\"process\":{}}");
        struct hr_report rep;
        struct hr_error err = {0};

        is_int(run(&hr_knob_capabilities, c, p, &rep, &err), 0, "no capabilities object");
        is_str(at(c, "process.capabilities"),
               "{\"bounding\":[\"CAP_NET_BIND_SERVICE\"],\"effective\":[\"CAP_NET_BIND_SERVICE\"],"
               "\"permitted\":[\"CAP_NET_BIND_SERVICE\"],\"inheritable\":[],\"ambient\":[]}",
               "the allowed set, explicitly");
        is_str(change_path(&rep, 0), "process.capabilities", "one change for the whole object");
        ok(rep.n_changes == 1 && rep.changes[0].before == NULL, "before is absent");
        hr_report_done(&rep);
}

static void test_policy_values(void)
{
        static const struct {
                const char *value, *error; /* error NULL: accepted */
                uint64_t mask;
        } cases[] = {
            {"{\"allowed\":[]}", NULL, 0},
            {"{\"allowed\":[\"chown\",\"CAP_KILL\"]}", NULL, (1u << 0) | (1u << 5)},
            {"{}", NULL, 1u << 10}, /* unchanged: the level's */
            {"{\"allowed\":[\"CAP_NOPE\"]}", "\"CAP_NOPE\" is not a capability"},
            {"{\"allowed\":\"CAP_KILL\"}", "must be a list of names"},
            {"{\"allowed\":[7]}", "an entry is not a capability"},
            {"{\"add\":[]}", "unknown knob capabilities.add"},
            {"[\"CAP_KILL\"]", "knob capabilities must be an object"},
        };

        for (size_t i = 0; i < HR_ARRAY_SIZE(cases); i++) {
                _cleanup_json_ struct hr_json *v = parse(cases[i].value);
                struct hr_policy p = {.capabilities.allowed = 1u << 10};
                struct hr_error err = {0};
                int r = hr_knob_capabilities.configure(&p, v, &err);

                if (cases[i].error) {
                        ok(r < 0 && strstr(err.msg, cases[i].error), "policy %s refused (%s)",
                           cases[i].value, err.msg);
                } else {
                        is_int(r, 0, "policy %s accepted", cases[i].value);
                        ok(p.capabilities.allowed == cases[i].mask, "policy %s: mask %#llx",
                           cases[i].value, (unsigned long long)p.capabilities.allowed);
                }
        }
}

static void test_user_cases(const struct hr_policy *restricted, const struct hr_policy *baseline)
{
        static const struct {
                const char *level, *process, *linux_, *want_user;
                int changes;
        } cases[] = {
            /* root becomes 65534:65534 and loses its groups */
            {"restricted", "{\"user\":{\"uid\":0,\"gid\":0,\"additionalGids\":[0,10]}}", "{}",
             "{\"uid\":65534,\"gid\":65534}", 4},
            /* no user object at all is root too */
            {"restricted", "{}", "{}", "{\"uid\":65534,\"gid\":65534}", 3},
            /* a non-root user is left alone, groups and all */
            {"restricted", "{\"user\":{\"uid\":1000,\"gid\":0,\"additionalGids\":[0]}}", "{}",
             "{\"uid\":1000,\"gid\":0,\"additionalGids\":[0]}", 0},
            /* a user namespace that maps root to 100000 on the host */
            {"restricted", "{\"user\":{\"uid\":0,\"gid\":0}}",
             "{\"namespaces\":[{\"type\":\"user\"}],\"uidMappings\":[{\"containerID\":0,"
             "\"hostID\":100000,\"size\":65536}]}",
             "{\"uid\":0,\"gid\":0}", 0},
            /* a user namespace that maps root to host root protects nothing */
            {"restricted", "{\"user\":{\"uid\":0,\"gid\":0}}",
             "{\"namespaces\":[{\"type\":\"user\"}],\"uidMappings\":[{\"containerID\":0,"
             "\"hostID\":0,\"size\":1}]}",
             "{\"uid\":65534,\"gid\":65534}", 3},
            /* mappings without a user namespace mean nothing */
            {"restricted", "{\"user\":{\"uid\":0,\"gid\":0}}",
             "{\"uidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}]}",
             "{\"uid\":65534,\"gid\":65534}", 3},
            /* joining a user namespace by path: its mappings are unknown */
            {"restricted", "{\"user\":{\"uid\":0}}",
             "{\"namespaces\":[{\"type\":\"user\",\"path\":\"/proc/9/ns/user\"}],\"uidMappings\":"
             "[{\"containerID\":0,\"hostID\":100000,\"size\":1}]}",
             "{\"uid\":65534,\"gid\":65534}", 3},
            /* baseline allows root */
            {"baseline", "{\"user\":{\"uid\":0,\"gid\":0,\"additionalGids\":[10]}}", "{}",
             "{\"uid\":0,\"gid\":0,\"additionalGids\":[10]}", 0},
        };

        for (size_t i = 0; i < HR_ARRAY_SIZE(cases); i++) {
                const struct hr_policy *p =
                    strcmp(cases[i].level, "baseline") == 0 ? baseline : restricted;
                _cleanup_json_ struct hr_json *c = NULL;
                _cleanup_json_ struct hr_json *want = parse(cases[i].want_user);
                char text[1024];
                struct hr_report rep;
                struct hr_error err = {0};

                snprintf(text, sizeof(text), "{\"process\":%s,\"linux\":%s}", cases[i].process,
                         cases[i].linux_);
                c = parse(text);
                is_int(run(&hr_knob_user, c, p, &rep, &err), 0, "%s: user case %zu (%s)",
                       cases[i].level, i, err.msg);
                ok(hr_json_equal(hr_json_get(hr_json_get(c, "process"), "user"), want),
                   "user case %zu gives %s (got %s)", i, cases[i].want_user, at(c, "process.user"));
                is_int(rep.n_changes, cases[i].changes, "user case %zu: %d changes", i,
                       cases[i].changes);
                hr_report_done(&rep);
        }
}

/* Docker's default config, as dockerd wrote it, through both knobs in order. */
static void test_docker(const struct hr_policy *p)
{
        _cleanup_json_ struct hr_json *c = load("docker.json");
        struct hr_report rep;
        struct hr_error err = {0};

        is_int(run(&hr_knob_capabilities, c, p, &rep, &err), 0, "docker.json: capabilities");
        is_str(at(c, "process.capabilities.bounding"), "[\"CAP_NET_BIND_SERVICE\"]",
               "Docker's default set shrinks to NET_BIND_SERVICE");
        hr_report_done(&rep);
        is_int(run(&hr_knob_user, c, p, &rep, &err), 0, "docker.json: user (%s)", err.msg);
        is_str(at(c, "process.user.uid"), "65534", "docker.json runs as 65534");
        is_str(change_path(&rep, 0), "process.user.uid", "first change: the uid");
        is_str(rep.n_changes ? rep.changes[0].before : NULL, "0", "before: 0");
        is_str(change_path(&rep, rep.n_changes - 1), "process.capabilities",
               "last change: root's capabilities dropped");
        hr_report_done(&rep);
        is_str(at(c, "process.capabilities"),
               "{\"bounding\":[],\"effective\":[],\"permitted\":[],\"inheritable\":[],"
               "\"ambient\":[]}",
               "every set empty");
        is_int(run(&hr_knob_capabilities, c, p, &rep, &err), 0, "docker.json: capabilities again");
        is_int(rep.n_changes, 0, "capabilities has nothing left to do");
        hr_report_done(&rep);
        is_int(run(&hr_knob_user, c, p, &rep, &err), 0, "docker.json: user again");
        is_int(rep.n_changes, 0, "user is idempotent");
        hr_report_done(&rep);
}

/* A non-root user in the config keeps the allowed capabilities it asked for. */
static void test_podman_nonroot(const struct hr_policy *p)
{
        _cleanup_json_ struct hr_json *c = load("podman.json");
        struct hr_json *user = hr_json_get(hr_json_get(c, "process"), "user");
        struct hr_report rep;
        struct hr_error err = {0};

        hr_json_set(user, "uid", hr_json_new_number("1000"));
        is_int(run(&hr_knob_user, c, p, &rep, &err), 0, "podman.json as uid 1000: user");
        is_int(rep.n_changes, 0, "uid 1000 is not remapped");
        hr_report_done(&rep);
        is_int(run(&hr_knob_capabilities, c, p, &rep, &err), 0, "podman.json: capabilities");
        is_str(at(c, "process.capabilities.bounding"), "[\"CAP_NET_BIND_SERVICE\"]",
               "bounding keeps NET_BIND_SERVICE, which podman gives");
        is_str(at(c, "process.capabilities.effective"), "[\"CAP_NET_BIND_SERVICE\"]",
               "effective too");
        ok(rep.n_changes >= 3, "bounding, effective and permitted changed (%zu)", rep.n_changes);
        hr_report_done(&rep);
        is_int(run(&hr_knob_capabilities, c, p, &rep, &err), 0, "again");
        is_int(rep.n_changes, 0, "capabilities is idempotent");
        hr_report_done(&rep);
}

static void test_user_errors(const struct hr_policy *p)
{
        static const struct {
                const char *value, *error;
        } policy_cases[] = {
            {"{\"fallback_user\":\"0:0\"}", "not \"UID:GID\" with both numeric and non-zero"},
            {"{\"fallback_user\":\"nobody\"}", "not \"UID:GID\""},
            {"{\"fallback_user\":\"65534\"}", "not \"UID:GID\""},
            {"{\"fallback_user\":65534}", "must be a string"},
            {"{\"allow_root\":\"yes\"}", "user.allow_root must be true or false"},
            {"{\"root\":true}", "unknown knob user.root"},
        };
        _cleanup_json_ struct hr_json *c =
            parse("{\"process\":{\"user\":{\"uid\":0,\"additionalGids\":7}}}");
        struct hr_report rep;
        struct hr_error err = {0};

        for (size_t i = 0; i < HR_ARRAY_SIZE(policy_cases); i++) {
                _cleanup_json_ struct hr_json *v = parse(policy_cases[i].value);
                struct hr_policy q = {0};

                err = (struct hr_error){0};
                ok(hr_knob_user.configure(&q, v, &err) < 0 &&
                       strstr(err.msg, policy_cases[i].error),
                   "user policy %s refused (%s)", policy_cases[i].value, err.msg);
        }
        /* additionalGids of root are dropped, whatever their shape */
        is_int(run(&hr_knob_user, c, p, &rep, &err), 0, "odd additionalGids");
        ok(!hr_json_get(hr_json_get(hr_json_get(c, "process"), "user"), "additionalGids"),
           "additionalGids removed");
        hr_report_done(&rep);
}

int main(void)
{
        struct hr_policy restricted, baseline;

        level("restricted", &restricted);
        level("baseline", &baseline);
        test_names();
        test_policy_values();
        test_caps_cases(&restricted, &baseline);
        test_caps_errors(&restricted);
        test_caps_absent(&restricted);
        test_user_cases(&restricted, &baseline);
        test_user_errors(&restricted);
        test_docker(&restricted);
        test_podman_nonroot(&restricted);
        hr_policy_done(&restricted);
        hr_policy_done(&baseline);
        return tap_done();
}
