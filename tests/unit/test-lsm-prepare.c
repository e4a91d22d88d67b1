/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The host side of knob lsm (lsm-prepare.h) on the fake host, with the MCS
 * store in a temp directory: hardrun-default loaded when missing (and a
 * failure refusing the container), MCS categories reserved only where
 * SELinux is enforced, enforce mode is on and the container needs them,
 * given back on a refusal; and delete releasing them, asking a stand-in
 * runtime for the container's state when it is not forced.
 */
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "hr-cleanup.h"
#include "knob-test.h"
#include "lsm-prepare.h"

static char dir[] = "/tmp/hardrun-test-lsm-prepare-XXXXXX";
static char store_dir[300];
static uint32_t seed(void)
{
        return 4242;
}
static const struct hr_mcs_store store = {.dir = store_dir, .seed = seed};

static const char *const none_loaded[] = {NULL};
static const char *const default_loaded[] = {"hardrun-default", NULL};

static char *at(const char *name)
{
        static char buf[400];

        snprintf(buf, sizeof(buf), "%s/%s", dir, name);
        return buf;
}

static void put(const char *name, const char *text, mode_t mode)
{
        FILE *f = fopen(at(name), "we");

        if (!f)
                abort();
        fputs(text, f);
        fclose(f);
        if (chmod(at(name), mode) < 0)
                abort();
}

static bool held(const char *root, const char *id)
{
        bool h = false;

        return hr_mcs_held(&store, root, id, &h, NULL) == 0 && h;
}

static struct hr_cmdline cmd_for(const char *root, const char *id)
{
        return (struct hr_cmdline){
            .kind = HR_KIND_HARDEN, .command = "create", .root = root, .id = id};
}

static void test_apparmor(void)
{
        static const struct {
                enum hr_mode mode;
                const char *const *loaded;
                int loaded_error, load_error;
                int loads;         /* apparmor_load calls */
                const char *error; /* NULL: prepared */
        } cases[] = {
            {HR_MODE_ENFORCE, none_loaded, 0, 0, 1, NULL},
            {HR_MODE_ENFORCE, default_loaded, 0, 0, 0, NULL},
            {HR_MODE_REFUSE, none_loaded, 0, 0, 1, NULL},
            {HR_MODE_AUDIT, none_loaded, 0, 0, 0, NULL},
            {HR_MODE_AUDIT, none_loaded, 0, EIO, 0, NULL},
            {HR_MODE_ENFORCE, none_loaded, 0, EIO, 1,
             "the host enforces AppArmor, and hardrun could not load its profile hardrun-default "
             "(apparmor_parser --replace): apparmor_parser exited with status 1; install "
             "apparmor_parser, or load the profile at boot (see hardrun-profiles(7))"},
            {HR_MODE_ENFORCE, none_loaded, EACCES, 0, 0,
             "the host enforces AppArmor, but hardrun cannot tell whether the profile "
             "hardrun-default is loaded: Permission denied"},
        };

        for (size_t i = 0; i < HR_ARRAY_SIZE(cases); i++) {
                struct hr_cmdline cmd = cmd_for(NULL, "aa1");
                _cleanup_json_ struct hr_json *c = parse("{\"process\":{}}");
                struct hr_lsm_prepared prep;
                struct hr_policy p;
                struct hr_error err = {0};
                int r;

                fake_aa = true;
                fake_se = false;
                fake_loaded = cases[i].loaded;
                fake_loaded_error = cases[i].loaded_error;
                fake_load_error = cases[i].load_error;
                fake_loads = 0;
                level(&p, "restricted");
                p.mode = cases[i].mode;
                r = hr_lsm_prepare(&cmd, c, &store, &p, &prep, &err);
                if (cases[i].error)
                        ok(r < 0 && strcmp(err.msg, cases[i].error) == 0, "case %zu refused: %s", i,
                           err.msg);
                else
                        is_int(r, 0, "case %zu (%s) prepared (%s)", i, hr_mode_name(cases[i].mode),
                               err.msg);
                is_int(fake_loads, cases[i].loads, "case %zu: hardrun-default loaded %d times", i,
                       cases[i].loads);
                ok(!prep.reserved && !p.lsm.mcs_categories, "case %zu: no MCS reservation", i);
                hr_policy_done(&p);
        }
        fake_loaded_error = fake_load_error = 0;
        fake_aa = false;
}

static void test_selinux(void)
{
        static const struct {
                bool se;
                enum hr_mode mode;
                const char *config;
                bool reserved;
        } cases[] = {
            {true, HR_MODE_ENFORCE, "{\"process\":{}}", true},
            {true, HR_MODE_ENFORCE, "{\"process\":{\"selinuxLabel\":\"u:r:container_t:s0\"}}",
             true},
            {true, HR_MODE_ENFORCE, "{\"process\":{\"selinuxLabel\":\"u:r:container_t:s0:c1,c2\"}}",
             false},
            {true, HR_MODE_AUDIT, "{\"process\":{}}", false},
            {true, HR_MODE_REFUSE, "{\"process\":{}}", false},
            {false, HR_MODE_ENFORCE, "{\"process\":{}}", false},
        };

        fake_aa = false;
        for (size_t i = 0; i < HR_ARRAY_SIZE(cases); i++) {
                struct hr_cmdline cmd = cmd_for(NULL, "se1");
                _cleanup_json_ struct hr_json *c = parse(cases[i].config);
                struct hr_lsm_prepared prep;
                struct hr_policy p;
                struct hr_error err = {0};

                fake_se = cases[i].se;
                level(&p, "restricted");
                p.mode = cases[i].mode;
                is_int(hr_lsm_prepare(&cmd, c, &store, &p, &prep, &err), 0, "case %zu (%s)", i,
                       err.msg);
                is_int(prep.reserved, cases[i].reserved, "case %zu: reserved", i);
                is_int(held(NULL, "se1"), cases[i].reserved, "case %zu: in the store", i);
                ok(cases[i].reserved
                       ? p.lsm.mcs_categories && strncmp(p.lsm.mcs_categories, "c", 1) == 0 &&
                             strstr(p.lsm.mcs_categories, ",c")
                       : !p.lsm.mcs_categories,
                   "case %zu: categories %s", i,
                   p.lsm.mcs_categories ? p.lsm.mcs_categories : "none");
                hr_lsm_unprepare(&cmd, &store, &prep);
                ok(!held(NULL, "se1"), "case %zu: given back", i);
                hr_policy_done(&p);
        }
        fake_se = false;
}

/* The whole create on an SELinux host: reserved, applied, kept, released only when fresh. */
static void test_create_flow(void)
{
        struct hr_cmdline cmd = cmd_for("/run/x", "flow");
        _cleanup_json_ struct hr_json *c = load("runc-spec.json");
        _cleanup_json_ struct hr_json *c2 = load("runc-spec.json");
        struct hr_lsm_prepared prep, prep2;
        struct hr_policy p, p2;
        struct hr_report rep = {0};
        struct hr_error err = {0};
        char want[64];

        fake_aa = false;
        fake_se = true;
        level(&p, "restricted");
        is_int(hr_lsm_prepare(&cmd, c, &store, &p, &prep, &err), 0, "prepare (%s)", err.msg);
        is_int(hr_harden(c, &p, &rep, &err), 0, "harden (%s)", err.msg);
        snprintf(want, sizeof(want), "system_u:system_r:container_t:s0:%s",
                 p.lsm.mcs_categories ? p.lsm.mcs_categories : "?");
        is_str(hr_json_string(hr_json_get(hr_json_get(c, "process"), "selinuxLabel")), want,
               "the label carries the reserved categories");
        /* The same container again (a retried create): the same pair, not fresh. */
        level(&p2, "restricted");
        is_int(hr_lsm_prepare(&cmd, c2, &store, &p2, &prep2, &err), 0, "prepare again");
        ok(!prep2.reserved && p2.lsm.mcs_categories &&
               strcmp(p2.lsm.mcs_categories, p.lsm.mcs_categories) == 0,
           "a second create of the same container gets its pair, not a fresh one");
        hr_lsm_unprepare(&cmd, &store, &prep2);
        ok(held("/run/x", "flow"), "undoing the second keeps the first's pair");
        hr_lsm_unprepare(&cmd, &store, &prep);
        ok(!held("/run/x", "flow"), "undoing the first gives it back");
        hr_report_done(&rep);
        hr_policy_done(&p);
        hr_policy_done(&p2);

        /* A corrupt store refuses the container. */
        put("store/mcs", "garbage\n", 0600);
        level(&p, "restricted");
        ok(hr_lsm_prepare(&cmd, c2, &store, &p, &prep, &err) < 0 &&
               strstr(err.msg, "the host enforces SELinux, and hardrun could not reserve MCS "
                               "categories for the container: ") &&
               strstr(err.msg, "/mcs is corrupt: line 1 is not \"A B ID ROOT\""),
           "a corrupt store fails closed (%s)", err.msg);
        unlink(at("store/mcs"));
        hr_policy_done(&p);
        fake_se = false;
}

/* ---- delete ------------------------------------------------------------------ */

static int count_lines(const char *name)
{
        FILE *f = fopen(at(name), "re");
        int n = 0, ch;

        if (!f)
                return 0;
        while ((ch = fgetc(f)) != EOF)
                n += ch == '\n';
        fclose(f);
        return n;
}

static void run_delete(const char *line)
{
        char buf[256], *argv[16];
        int argc = 0;
        struct hr_cmdline cmd;
        struct hr_error err = {0};

        snprintf(buf, sizeof(buf), "%s", line);
        for (char *t = strtok(buf, " "); t && argc < 15; t = strtok(NULL, " "))
                argv[argc++] = t;
        argv[argc] = NULL;
        if (hr_cli_parse(argc, argv, HR_FLAVOUR_RUNC, &cmd, &err) < 0)
                abort();
        hr_lsm_delete(argc, argv, &cmd, at("runc"), &store);
        hr_cmdline_done(&cmd);
}

static void test_delete(void)
{
        static const struct {
                const char *line, *status; /* status: what state says; NULL: unknown container */
                const char *root;          /* the reservation's root */
                bool released;
                int asked; /* state calls */
        } cases[] = {
            {"hardrun delete --force d1", "running", NULL, true, 0},
            {"hardrun delete d1", "stopped", NULL, true, 1},
            {"hardrun delete d1", "created", NULL, true, 1},
            {"hardrun delete d1", NULL, NULL, true, 1},
            {"hardrun delete d1", "running", NULL, false, 1},
            {"hardrun delete d1", "paused", NULL, false, 1},
            {"hardrun --root /r delete -f d1", "running", "/r", true, 0},
            {"hardrun --root /r delete -f d1", "running", NULL, false, 0},
            {"hardrun delete -f d1", "running", "/r", false, 0},
            {"hardrun delete --force other", "running", NULL, false, 0},
            {"hardrun delete -f d1 d2", "running", NULL, false, 0},
            {"hardrun kill d1 KILL", "running", NULL, false, 0},
        };
        struct hr_error err = {0};

        for (size_t i = 0; i < HR_ARRAY_SIZE(cases); i++) {
                struct hr_mcs_reservation r;

                unlink(at("asked"));
                if (cases[i].status)
                        put("status", cases[i].status, 0644);
                else
                        unlink(at("status"));
                is_int(hr_mcs_reserve(&store, cases[i].root, "d1", &r, &err), 0, "reserve");
                run_delete(cases[i].line);
                is_int(!held(cases[i].root, "d1"), cases[i].released, "%s (state %s): %s",
                       cases[i].line, cases[i].status ? cases[i].status : "unknown",
                       cases[i].released ? "released" : "kept");
                is_int(count_lines("asked"), cases[i].asked, "%s: the runtime asked %d times",
                       cases[i].line, cases[i].asked);
                (void)hr_mcs_release(&store, cases[i].root, "d1", NULL);
        }
        /* With no reservation file, a delete looks at nothing else. */
        unlink(at("asked"));
        put("status", "stopped", 0644);
        run_delete("hardrun delete d1");
        is_int(count_lines("asked"), 0, "no reservation file: the runtime is not asked");
        ok(!hr_mcs_any(&store), "and none is made");
        /* A corrupt store: the delete goes on, the file stays as it was. */
        put("store/mcs", "garbage\n", 0600);
        run_delete("hardrun delete --force d1");
        ok(hr_mcs_any(&store), "a corrupt store is left alone by delete");
        unlink(at("store/mcs"));
}

int main(void)
{
        char script[1024];

        if (!mkdtemp(dir))
                abort();
        snprintf(store_dir, sizeof(store_dir), "%s/store", dir);
        /* The stand-in runtime: `[--root R] state ID`, answering with the status in DIR/status. */
        snprintf(script, sizeof(script),
                 "#!/bin/sh\n"
                 "echo \"$*\" >>%s/asked\n"
                 "while [ \"$1\" != state ]; do shift; done\n"
                 "[ -f %s/status ] || { echo 'container does not exist' >&2; exit 1; }\n"
                 "printf '{\"id\":\"%%s\",\"status\":\"%%s\",\"bundle\":\"/b\"}\\n' \"$2\" "
                 "\"$(cat %s/status)\"\n",
                 dir, dir, dir);
        put("runc", script, 0755);
        test_apparmor();
        test_selinux();
        test_create_flow();
        test_delete();
        unlink(at("runc"));
        unlink(at("status"));
        unlink(at("asked"));
        unlink(at("store/mcs.lock"));
        rmdir(store_dir);
        rmdir(dir);
        return tap_done();
}
