/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Policy files: levels, overrides, modes, the runtime key, and the errors that fail closed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy.h"
#include "tap.h"

static char dir[] = "/tmp/hardrun-test-policy-XXXXXX";

/* Write text as the policy file and point HARDRUN_POLICY at it. */
static void use_policy(const char *text)
{
        char path[256];
        FILE *f;

        snprintf(path, sizeof(path), "%s/policy.json", dir);
        f = fopen(path, "we");
        if (!f)
                abort();
        fputs(text, f);
        fclose(f);
        setenv(HR_POLICY_ENV, path, 1);
}

static int load(struct hr_policy *p, struct hr_error *err)
{
        struct hr_policy_file f = {0};
        int r = hr_policy_file_read(&f, err);

        if (r == 0)
                r = hr_policy_resolve(&f, p, err);
        hr_policy_file_done(&f);
        return r;
}

static void test_good(void)
{
        struct hr_policy p;
        struct hr_error err = {0};

        use_policy("{}");
        if (ok(load(&p, &err) == 0, "an empty policy loads (%s)", err.msg)) {
                is_str(p.level, "restricted", "default level is restricted");
                is_int(p.mode, HR_MODE_ENFORCE, "default mode is enforce");
                ok(p.no_new_privileges, "restricted sets no_new_privileges");
                ok(p.readonly_rootfs.enabled, "restricted sets readonly_rootfs");
                is_int(p.readonly_rootfs.n_writable, 5, "five writable paths by default");
                is_str(p.readonly_rootfs.tmpfs_size, "64m", "default tmpfs size");
                ok(p.runtime == NULL, "no runtime key");
                hr_policy_done(&p);
        }

        use_policy("/* comments are fine */ {\"level\": \"baseline\", \"mode\": \"audit\",\n"
                   "  // a line comment\n"
                   "  \"runtime\": [\"crun\", \"runc\"], \"audit_file\": \"/var/log/x\"}");
        if (ok(load(&p, &err) == 0, "baseline in audit mode loads (%s)", err.msg)) {
                is_str(p.level, "baseline", "level baseline");
                is_int(p.mode, HR_MODE_AUDIT, "mode audit");
                ok(!p.readonly_rootfs.enabled, "baseline leaves the rootfs writable");
                is_int(p.n_runtime, 2, "two runtime names");
                is_str(p.n_runtime == 2 ? p.runtime[0] : NULL, "crun", "runtime order kept");
                is_str(p.audit_file, "/var/log/x", "audit file");
                hr_policy_done(&p);
        }

        use_policy("{\"mode\":\"refuse\",\"runtime\":\"/usr/sbin/runc\",\"readonly_rootfs\":"
                   "{\"writable\":[\"/tmp\",\"/var/lib/nginx\"],\"tmpfs_size\":\"10%\"},"
                   "\"no_new_privileges\":false}");
        if (ok(load(&p, &err) == 0, "overrides load (%s)", err.msg)) {
                is_int(p.mode, HR_MODE_REFUSE, "mode refuse");
                is_int(p.n_runtime, 1, "a runtime path");
                ok(p.readonly_rootfs.enabled, "enabled kept from the level");
                is_int(p.readonly_rootfs.n_writable, 2, "writable list replaced");
                is_str(p.readonly_rootfs.writable[1], "/var/lib/nginx", "rule path kept");
                is_str(p.readonly_rootfs.tmpfs_size, "10%", "percent size");
                ok(!p.no_new_privileges, "a knob can be switched off");
                hr_policy_done(&p);
        }

        use_policy("{\"readonly_rootfs\": false}");
        if (ok(load(&p, &err) == 0, "boolean readonly_rootfs loads")) {
                ok(!p.readonly_rootfs.enabled, "readonly_rootfs false");
                hr_policy_done(&p);
        }
}

static void test_bad(void)
{
        static const struct {
                const char *text, *error;
        } cases[] = {
            {"{\"no_new_privilege\": true}", "unknown knob \"no_new_privilege\""},
            {"{\"level\": \"lax\"}", "unknown level \"lax\""},
            {"{\"mode\": \"warn\"}", "mode must be"},
            {"{\"mode\": 1}", "mode must be"},
            {"{\"runtime\": []}", "runtime must be"},
            {"{\"runtime\": [\"runc\", 3]}", "runtime must be"},
            {"{\"no_new_privileges\": \"yes\"}", "must be true or false"},
            {"{\"readonly_rootfs\": {\"writable\": [\"tmp\"]}}", "not a clean absolute"},
            {"{\"readonly_rootfs\": {\"writable\": [\"/tmp/../etc\"]}}", "not a clean absolute"},
            {"{\"readonly_rootfs\": {\"writable\": [\"/\"]}}", "not a clean absolute"},
            {"{\"readonly_rootfs\": {\"tmpfs_size\": \"64mb\"}}", "not a size"},
            {"{\"readonly_rootfs\": {\"tmpfs_size\": \"m\"}}", "not a size"},
            {"{\"readonly_rootfs\": {\"enable\": true}}", "unknown knob readonly_rootfs.enable"},
            {"{\"readonly_rootfs\": 1}", "must be a boolean or an object"},
            {"{\"audit_file\": \"relative\"}", "absolute path"},
            {"{\"mode\": \"audit\", \"mode\": \"enforce\"}", "duplicate key"},
            {"{\"mode\": \"audit\"", "invalid JSON"},
            {"[]", "not a JSON object"},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                struct hr_policy p;
                struct hr_error err = {0};

                use_policy(cases[i].text);
                if (!ok(load(&p, &err) < 0, "refused: %s", cases[i].text)) {
                        hr_policy_done(&p);
                        continue;
                }
                ok(strstr(err.msg, cases[i].error) != NULL, "message has \"%s\" (%s)",
                   cases[i].error, err.msg);
        }
}

/* The example shipped for admins is a valid policy. */
static void test_example(void)
{
        struct hr_policy p;
        struct hr_error err = {0};

        setenv(HR_POLICY_ENV, "contrib/policy.json.example", 1);
        if (ok(load(&p, &err) == 0, "contrib/policy.json.example loads (%s)", err.msg))
                hr_policy_done(&p);
}

static void test_missing(void)
{
        struct hr_policy p;
        struct hr_error err = {0};
        char path[256];

        snprintf(path, sizeof(path), "%s/absent.json", dir);
        setenv(HR_POLICY_ENV, path, 1);
        ok(load(&p, &err) < 0, "HARDRUN_POLICY naming a missing file is an error");
        ok(strstr(err.msg, "absent.json") != NULL, "the message names the file (%s)", err.msg);
}

int main(void)
{
        char path[256];

        if (!mkdtemp(dir))
                return 1;
        test_good();
        test_bad();
        test_missing();
        test_example();
        snprintf(path, sizeof(path), "%s/policy.json", dir);
        unlink(path);
        rmdir(dir);
        return tap_done();
}
