/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The seccomp knob end to end: its policy values, and the knob over real
 * engine configs (the same code for enforce, refuse and audit).  The other
 * knobs are not run, but for one test of the whole chain's message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle.h"
#include "harden/harden.h"
#include "knob-kit.h"
#include "seccomp-oci.h"
#include "tap.h"

static char dir[] = "/tmp/hardrun-test-seccomp-XXXXXX";

static char *write_file(const char *name, const char *text)
{
        static char path[256];
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s", dir, name);
        if (!(f = fopen(path, "we")))
                abort();
        fputs(text, f);
        fclose(f);
        return path;
}

/* The policy text, resolved. */
static int policy(const char *text, struct hr_policy *p, struct hr_error *err)
{
        struct hr_policy_file f = {0};
        int r;

        setenv(HR_POLICY_ENV, write_file("policy.json", text), 1);
        r = hr_policy_file_read(&f, err);
        if (r == 0)
                r = hr_policy_resolve(&f, p, err);
        hr_policy_file_done(&f);
        if (r == 0) {
                p->no_new_privileges = false;
                p->readonly_rootfs.enabled = false;
        }
        return r;
}

/* The seccomp knob alone, so that no other knob's checks or changes come first. */
static int harden(struct hr_json *config, const struct hr_policy *p, struct hr_report *r,
                  struct hr_error *err)
{
        *r = (struct hr_report){0};
        return hr_knob_find("seccomp")->apply(config, p, r, err);
}

/* The seccomp knob's changes (other knobs may change things too), and the first of them. */
static size_t seccomp_changes(const struct hr_report *r, const struct hr_change **first)
{
        size_t n = 0;

        *first = NULL;
        for (size_t i = 0; i < r->n_changes; i++)
                if (strcmp(r->changes[i].knob, "seccomp") == 0 && n++ == 0)
                        *first = &r->changes[i];
        return n;
}

static const struct hr_json *seccomp_of(const struct hr_json *config)
{
        return hr_json_get(hr_json_get(config, "linux"), "seccomp");
}

static void test_levels(void)
{
        struct hr_policy p;
        struct hr_error err = {0};

        if (ok(policy("{}", &p, &err) == 0, "restricted loads (%s)", err.msg)) {
                ok(p.seccomp.enabled, "restricted: seccomp on");
                is_str(p.seccomp.profile, "default", "restricted: the built-in profile");
                ok(!p.seccomp.learn && !p.seccomp.doc, "restricted: not learning, nothing read");
                hr_policy_done(&p);
        }
        if (ok(policy("{\"level\":\"baseline\"}", &p, &err) == 0, "baseline loads (%s)", err.msg)) {
                ok(p.seccomp.enabled && !p.seccomp.learn, "baseline: seccomp on, not learning");
                hr_policy_done(&p);
        }
        if (ok(policy("{\"seccomp\":{\"learn\":true}}", &p, &err) == 0, "learn loads (%s)",
               err.msg)) {
                ok(p.seccomp.enabled && p.seccomp.learn, "learn: an override keeps the rest");
                is_str(p.seccomp.profile, "default", "learn: profile from the level");
                hr_policy_done(&p);
        }
        if (ok(policy("{\"seccomp\":false}", &p, &err) == 0, "off loads (%s)", err.msg)) {
                ok(!p.seccomp.enabled, "seccomp: false switches the knob off");
                hr_policy_done(&p);
        }
}

static void test_policy_errors(void)
{
        static const struct {
                const char *policy, *error;
        } cases[] = {
            {"{\"seccomp\":\"on\"}", "knob seccomp must be a boolean or an object"},
            {"{\"seccomp\":{\"profil\":\"default\"}}", "unknown knob seccomp.profil"},
            {"{\"seccomp\":{\"learn\":1}}", "knob seccomp.learn must be true or false"},
            {"{\"seccomp\":{\"profile\":\"\"}}", "knob seccomp.profile must be a non-empty string"},
            {"{\"seccomp\":{\"profile\":\"docker.json\"}}",
             "knob seccomp.profile must be \"default\" or the absolute path of a profile"},
            {"{\"seccomp\":{\"profile\":\"/nonexistent/profile.json\"}}",
             "knob seccomp.profile /nonexistent/profile.json: opening directory /nonexistent: "
             "No such file or directory; fix the file or use \"default\" (see "
             "hardrun-profiles(7))"},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                struct hr_policy p;
                struct hr_error err = {0};

                ok(policy(cases[i].policy, &p, &err) < 0, "refused: %s", cases[i].policy);
                ok(strstr(err.msg, cases[i].error) != NULL, "message has \"%s\" (%s)",
                   cases[i].error, err.msg);
        }
}

/* A profile file named by the policy: resolved for the container's capabilities. */
static void test_profile_file(void)
{
        char policy_text[512];
        const char *bad =
            write_file("bad.json", "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":"
                                   "[{\"names\":[\"read\"],\"action\":\"ALLOW\"}]}");
        struct hr_policy p;
        struct hr_error err = {0};

        snprintf(policy_text, sizeof(policy_text), "{\"seccomp\":{\"profile\":\"%s\"}}", bad);
        ok(policy(policy_text, &p, &err) < 0, "a profile with a bad action is refused");
        ok(strstr(err.msg, "knob seccomp.profile") && strstr(err.msg, "unknown action \"ALLOW\""),
           "the message names the knob, the file and the fault (%s)", err.msg);

        _cleanup_free_ char *file = realpath(HR_TEST_DATA "/seccomp/profile.json", NULL);

        snprintf(policy_text, sizeof(policy_text), "{\"seccomp\":{\"profile\":\"%s\"}}",
                 file ? file : "?");
        if (ok(policy(policy_text, &p, &err) == 0, "a profile file loads (%s)", err.msg)) {
                _cleanup_json_ struct hr_json *c = kit_parse(
                    "{\"process\":{\"capabilities\":{\"bounding\":[\"CAP_SYS_PTRACE\"]}}}");
                struct hr_report r;
                char *text = NULL;
                size_t len;

                is_int(harden(c, &p, &r, &err), 0, "hardens with it (%s)", err.msg);
                hr_json_write(seccomp_of(c), 0, &text, &len, &err);
                ok(text && strstr(text, "\"names\":[\"ptrace\"],\"action\":\"SCMP_ACT_ALLOW\""),
                   "its CAP_SYS_PTRACE rule applies (%s)", text ? text : "");
                ok(text && !strstr(text, "set_tls"), "its ARM rule does not");
                free(text);
                hr_report_done(&r);
                hr_policy_done(&p);
        }
}

static void test_unconfined(void)
{
        const struct hr_change *c0;
        _cleanup_json_ struct hr_json *c = kit_load("runc-spec.json");
        struct hr_policy p;
        struct hr_report r;
        struct hr_error err = {0};

        if (policy("{}", &p, &err) < 0)
                abort();
        is_int(harden(c, &p, &r, &err), 0, "runc spec (no linux.seccomp) hardens (%s)", err.msg);
        is_int(seccomp_changes(&r, &c0), 1, "one change by the seccomp knob");
        if (c0) {
                is_str(c0->path, "linux.seccomp", "at linux.seccomp");
                ok(!c0->before, "which was absent");
                ok(strstr(c0->after, "\"profile\":\"default\",\"learn\":false,"
                                     "\"defaultAction\":\"SCMP_ACT_ERRNO\","
                                     "\"defaultErrnoRet\":38") != NULL,
                   "the record names the profile, not every rule (%s)", c0->after);
        }
        ok(hr_json_get(seccomp_of(c), "syscalls") != NULL, "linux.seccomp now has rules");
        hr_report_done(&r);
        is_int(harden(c, &p, &r, &err), 0, "hardening again works");
        is_int(seccomp_changes(&r, &c0), 0, "and changes nothing");
        hr_report_done(&r);
        hr_policy_done(&p);
}

static void test_engines(void)
{
        const struct hr_change *c0;
        static const char *const configs[] = {"docker.json", "podman.json", "docker-readonly.json",
                                              "containerd.json", "containerd-cri-container.json"};
        struct hr_policy p;
        struct hr_error err = {0};

        if (policy("{}", &p, &err) < 0)
                abort();
        for (size_t i = 0; i < sizeof(configs) / sizeof(configs[0]); i++) {
                _cleanup_json_ struct hr_json *c = kit_load(configs[i]);
                struct hr_report r;

                is_int(harden(c, &p, &r, &err), 0, "%s hardens (%s)", configs[i], err.msg);
                ok(seccomp_changes(&r, &c0) > 0 && r.n_violations == 0,
                   "%s: the seccomp knob changed it, no violation", configs[i]);
                hr_report_done(&r);
                is_int(harden(c, &p, &r, &err), 0, "%s hardens again", configs[i]);
                is_int(seccomp_changes(&r, &c0), 0, "%s: nothing left to change", configs[i]);
                hr_report_done(&r);
        }
        hr_policy_done(&p);
}

static void test_learn(void)
{
        const struct hr_change *c0;
        _cleanup_json_ struct hr_json *c = kit_load("runc-spec.json");
        struct hr_policy p;
        struct hr_report r;
        struct hr_error err = {0};

        if (policy("{\"seccomp\":{\"learn\":true}}", &p, &err) < 0)
                abort();
        is_int(harden(c, &p, &r, &err), 0, "learn hardens");
        is_str(hr_json_string(hr_json_get(seccomp_of(c), "defaultAction")), "SCMP_ACT_LOG",
               "learn: the default action logs");
        ok(seccomp_changes(&r, &c0) == 1 && strstr(c0->after, "\"learn\":true"),
           "learn: the record says so");
        hr_report_done(&r);
        hr_policy_done(&p);
}

static void test_config_errors(void)
{
        static const struct {
                const char *config, *error;
        } cases[] = {
            {"{\"linux\":[]}", "linux must be an object"},
            {"{\"linux\":{\"seccomp\":\"unconfined\"}}", "linux.seccomp must be an object"},
            {"{\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":"
             "[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_PERMIT\"}]}}}",
             "linux.seccomp.syscalls[0]: unknown action \"SCMP_ACT_PERMIT\"; fix the "
             "container's seccomp profile (linux.seccomp), or relax the knob"},
            {"{\"linux\":{\"Seccomp\":{},\"seccomp\":{}}}",
             "\"Seccomp\" is read by runc as \"seccomp\""},
            {"{\"process\":{\"capabilities\":{\"bounding\":\"CAP_KILL\"}}}",
             "process.capabilities.bounding must be an array"},
        };
        _cleanup_json_ struct hr_json *spec = kit_load("runc-spec.json");
        struct hr_policy p;
        struct hr_report r;
        struct hr_error err = {0};

        if (policy("{}", &p, NULL) < 0)
                abort();
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                _cleanup_json_ struct hr_json *c = kit_parse(cases[i].config);

                ok(harden(c, &p, &r, &err) < 0, "refused: %s", cases[i].config);
                ok(strstr(err.msg, cases[i].error) != NULL, "message has \"%s\" (%s)",
                   cases[i].error, err.msg);
                hr_report_done(&r);
        }
        /* Through the whole chain the message names the knob. */
        hr_json_set(hr_json_get(spec, "linux"), "seccomp",
                    kit_parse("{\"defaultAction\":\"SCMP_ACT_KILL_ALL\"}"));
        r = (struct hr_report){0};
        ok(hr_harden(spec, &p, &r, &err) < 0,
           "a runc spec config with a broken profile is refused");
        ok(strstr(
               err.msg,
               "knob seccomp: linux.seccomp.defaultAction: unknown action \"SCMP_ACT_KILL_ALL\"") !=
               NULL,
           "and the message names the knob (%s)", err.msg);
        hr_report_done(&r);
        hr_policy_done(&p);
}

/* The linux object is created when a config has none; a null linux.seccomp is unconfined. */
static void test_shapes(void)
{
        static const char *const configs[] = {"{}", "{\"linux\":{}}",
                                              "{\"linux\":{\"seccomp\":null}}"};
        struct hr_policy p;

        if (policy("{}", &p, NULL) < 0)
                abort();
        for (size_t i = 0; i < sizeof(configs) / sizeof(configs[0]); i++) {
                _cleanup_json_ struct hr_json *c = kit_parse(configs[i]);
                struct hr_report r;
                struct hr_error err = {0};

                is_int(harden(c, &p, &r, &err), 0, "%s hardens (%s)", configs[i], err.msg);
                ok(seccomp_of(c) && seccomp_of(c)->type == HR_JSON_OBJECT, "%s gets a profile",
                   configs[i]);
                hr_report_done(&r);
        }
        hr_policy_done(&p);
}

int main(void)
{
        if (!mkdtemp(dir))
                abort();
        test_levels();
        test_policy_errors();
        test_profile_file();
        test_unconfined();
        test_engines();
        test_learn();
        test_config_errors();
        test_shapes();
        unlink(write_file("policy.json", ""));
        unlink(write_file("bad.json", ""));
        rmdir(dir);
        return tap_done();
}
