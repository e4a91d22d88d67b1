/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The knobs no_new_privileges and readonly_rootfs, over real and edge-case configs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
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

/* The restricted level, as the policy module resolves it with no file. */
static void restricted(struct hr_policy *p)
{
        struct hr_policy_file none = {0};
        struct hr_error err = {0};

        if (hr_policy_resolve(&none, p, &err) < 0) {
                printf("# %s\n", err.msg);
                abort();
        }
        /* The change counts here are those of no_new_privileges and readonly_rootfs;
         * test-mounts.c covers the mounts knob (which sets linux.rootfsPropagation). */
        p->mounts = (struct hr_mounts_policy){0};
}

/* The options of the mount at dest joined with commas, or NULL when there is none. */
static char *mount_options(const struct hr_json *config, const char *dest)
{
        const struct hr_json *mounts = hr_json_get(config, "mounts");
        static char buf[512];
        int count = 0;

        for (size_t i = 0; mounts && i < mounts->u.arr.len; i++) {
                const struct hr_json *m = mounts->u.arr.items[i];
                const struct hr_json *opts = hr_json_get(m, "options");

                if (strcmp(hr_json_string(hr_json_get(m, "destination")), dest) != 0)
                        continue;
                count++;
                buf[0] = '\0';
                for (size_t j = 0; opts && j < opts->u.arr.len; j++)
                        snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", j ? "," : "",
                                 hr_json_string(opts->u.arr.items[j]));
        }
        return count == 1 ? buf : NULL;
}

static int run(struct hr_json *config, const struct hr_policy *p, struct hr_report *report,
               struct hr_error *err)
{
        *report = (struct hr_report){0};
        return hr_harden(config, p, report, err);
}

/* Only the two knobs this file is about, in their order. */
static int run_two(struct hr_json *config, const struct hr_policy *p, struct hr_report *report,
                   struct hr_error *err)
{
        int r;

        *report = (struct hr_report){0};
        r = hr_knob_no_new_privileges.apply(config, p, report, err);
        return r < 0 ? r : hr_knob_readonly_rootfs.apply(config, p, report, err);
}

static void test_nnp(const struct hr_policy *p)
{
        static const struct {
                const char *config;
                int changes;
                const char *before;
        } cases[] = {
            {"{\"process\":{},\"root\":{\"readonly\":true}}", 1, NULL},
            {"{\"process\":{\"noNewPrivileges\":false},\"root\":{\"readonly\":true}}", 1, "false"},
            {"{\"process\":{\"noNewPrivileges\":\"yes\"},\"root\":{\"readonly\":true}}", 1,
             "\"yes\""},
            {"{\"process\":{\"noNewPrivileges\":true},\"root\":{\"readonly\":true}}", 0, NULL},
        };
        struct hr_policy only = *p;

        only.readonly_rootfs.enabled = false;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                _cleanup_json_ struct hr_json *c = parse(cases[i].config);
                struct hr_report rep;
                struct hr_error err = {0};
                const struct hr_json *v;

                is_int(run_two(c, &only, &rep, &err), 0, "nnp on %s", cases[i].config);
                v = hr_json_get(hr_json_get(c, "process"), "noNewPrivileges");
                ok(v && v->type == HR_JSON_BOOL && v->u.boolean, "nnp is true after %s",
                   cases[i].config);
                is_int(rep.n_changes, cases[i].changes, "nnp change count for %s", cases[i].config);
                if (rep.n_changes == 1) {
                        is_str(rep.changes[0].knob, "no_new_privileges", "knob named");
                        is_str(rep.changes[0].path, "process.noNewPrivileges", "path named");
                        is_str(rep.changes[0].before, cases[i].before, "before recorded");
                        is_str(rep.changes[0].after, "true", "after recorded");
                }
                hr_report_done(&rep);
        }
}

static void test_malformed(const struct hr_policy *p)
{
        static const struct {
                const char *config, *error;
        } cases[] = {
            {"{\"root\":{}}", "has no process"},
            {"{\"process\":[],\"root\":{}}", "process must be an object, not array"},
            {"{\"process\":{}}", "has no root"},
            {"{\"process\":{},\"root\":{},\"mounts\":{}}", "mounts must be an array, not object"},
            {"{\"process\":{\"user\":{\"uid\":-1}},\"root\":{}}",
             "process.user.uid is not a valid"},
            {"{\"process\":{\"user\":{\"uid\":1,\"gid\":\"x\"}},\"root\":{}}", "not a valid gid"},
            {"[]", "not a JSON object"},
            /* keys runc's Go decoder folds together with the ones hardrun sets */
            {"{\"process\":{},\"Process\":{},\"root\":{}}",
             "the key \"Process\" is read by runc as \"process\""},
            {"{\"PROCESS\":{},\"root\":{}}", "\"PROCESS\" is read by runc as \"process\""},
            {"{\"process\":{\"NoNewPrivileges\":false},\"root\":{}}",
             "process.noNewPrivileges: the key \"NoNewPrivileges\""},
            {"{\"process\":{\"noNewPrivilege\xc5\xbf\":false},\"root\":{}}",
             "is read by runc as \"noNewPrivileges\""},
            {"{\"process\":{},\"root\":{\"readonly\":true,\"ReadOnly\":false}}",
             "root.readonly: the key \"ReadOnly\""},
            {"{\"process\":{},\"root\":{},\"mounts\":[],\"Mounts\":[]}",
             "\"Mounts\" is read by runc as \"mounts\""},
            {"{\"process\":{},\"root\":{},\"mounts\":[{\"Destination\":\"/tmp\"}]}",
             "mounts[]: the key \"Destination\""},
            {"{\"process\":{\"user\":{\"UID\":0}},\"root\":{}}",
             "process.user.uid: the key \"UID\""},
            {"{\"process\":{},\"root\":{},\"mountſ\":[]}", "read by runc"},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                _cleanup_json_ struct hr_json *c = parse(cases[i].config);
                struct hr_report rep;
                struct hr_error err = {0};

                ok(run(c, p, &rep, &err) < 0, "refused: %s", cases[i].config);
                ok(strstr(err.msg, cases[i].error) != NULL, "message has \"%s\" (%s)",
                   cases[i].error, err.msg);
                hr_report_done(&rep);
        }
}

static void test_rootfs_spec(const struct hr_policy *p)
{
        _cleanup_json_ struct hr_json *c = load("runc-spec.json");
        const struct hr_json *ro;
        struct hr_report rep;
        struct hr_error err = {0};

        is_int(run_two(c, p, &rep, &err), 0, "runc spec config hardens");
        ro = hr_json_get(hr_json_get(c, "root"), "readonly");
        ok(ro && ro->type == HR_JSON_BOOL && ro->u.boolean, "root.readonly is true");
        is_str(mount_options(c, "/tmp"), "nosuid,nodev,mode=1777,size=64m,tmpcopyup",
               "/tmp tmpfs options");
        is_str(mount_options(c, "/var/tmp"), "nosuid,nodev,mode=1777,size=64m,tmpcopyup",
               "/var/tmp tmpfs options");
        is_str(mount_options(c, "/run"), "nosuid,nodev,mode=755,size=64m,tmpcopyup",
               "/run tmpfs options for root");
        ok(mount_options(c, "/var/log") && mount_options(c, "/var/cache"),
           "/var/log and /var/cache get a tmpfs");
        is_int(rep.n_changes, 5,
               "4 knobs changes: nnp is already true in runc spec, root "
               "readonly too; five mounts");
        hr_report_done(&rep);

        is_int(run_two(c, p, &rep, &err), 0, "hardening again succeeds");
        is_int(rep.n_changes, 0, "a hardened config needs no change (idempotent)");
        hr_report_done(&rep);
}

static void test_rootfs_existing(const struct hr_policy *p)
{
        _cleanup_json_ struct hr_json *c = parse(
            "{\"process\":{\"user\":{\"uid\":1000,\"gid\":100}},\"root\":{\"path\":\"rootfs\"},"
            "\"mounts\":[{\"destination\":\"//tmp/\",\"type\":\"bind\",\"source\":\"/x\"},"
            "{\"destination\":\"var/log/.\",\"type\":\"tmpfs\",\"source\":\"t\"}]}");
        const struct hr_json *mounts;
        struct hr_report rep;
        struct hr_error err = {0};

        is_int(run_two(c, p, &rep, &err), 0, "config with mounts hardens");
        mounts = hr_json_get(c, "mounts");
        is_int(mounts->u.arr.len, 5, "/tmp and /var/log kept, three tmpfs added");
        is_str(hr_json_string(hr_json_get(mounts->u.arr.items[0], "type")), "bind",
               "the existing /tmp mount is untouched");
        is_str(mount_options(c, "/run"),
               "nosuid,nodev,mode=755,size=64m,uid=1000,gid=100,tmpcopyup",
               "/run is owned by the non-root process user");
        is_str(mount_options(c, "/var/tmp"), "nosuid,nodev,mode=1777,size=64m,tmpcopyup",
               "/var/tmp stays sticky and root-owned");
        ok(hr_json_get(hr_json_get(c, "root"), "path") != NULL, "root.path kept");
        hr_report_done(&rep);
}

/* ctr mounts its own /run tmpfs: it stays, made nosuid,nodev and the user's. */
static void test_rootfs_engine_tmpfs(const struct hr_policy *p)
{
        _cleanup_json_ struct hr_json *c = parse(
            "{\"process\":{\"user\":{\"uid\":1000,\"gid\":100}},\"root\":{\"path\":\"rootfs\"},"
            "\"mounts\":[{\"destination\":\"/run\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
            "\"options\":[\"nosuid\",\"strictatime\",\"mode=755\",\"size=65536k\"]},"
            "{\"destination\":\"/tmp\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"},"
            "{\"destination\":\"/var/log\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
            "\"options\":[\"uid=5\"]}]}");
        struct hr_report rep;
        struct hr_error err = {0};
        size_t found = 0;

        is_int(run_two(c, p, &rep, &err), 0, "engine tmpfs config hardens");
        is_str(mount_options(c, "/run"),
               "nosuid,strictatime,mode=755,size=65536k,nodev,uid=1000,gid=100",
               "ctr's /run gains nodev and the process user");
        is_str(mount_options(c, "/tmp"), "nosuid,nodev", "/tmp stays root's, gains nosuid,nodev");
        is_str(mount_options(c, "/var/log"), "uid=5,nosuid,nodev",
               "an owner the config chose is kept");
        for (size_t i = 0; i < rep.n_changes; i++)
                found += strcmp(rep.changes[i].path, "mounts[destination=/run].options") == 0;
        is_int(found, 1, "the /run change is reported once, with its path");
        hr_report_done(&rep);
        is_int(run_two(c, p, &rep, &err), 0, "again");
        is_int(rep.n_changes, 0, "idempotent");
        hr_report_done(&rep);
}

static void test_disabled(const struct hr_policy *p)
{
        _cleanup_json_ struct hr_json *c = parse("{\"process\":{},\"root\":{}}");
        _cleanup_json_ struct hr_json *orig = parse("{\"process\":{},\"root\":{}}");
        struct hr_policy off = *p;
        struct hr_report rep;
        struct hr_error err = {0};

        off.no_new_privileges = false;
        off.readonly_rootfs.enabled = false;
        is_int(run_two(c, &off, &rep, &err), 0, "nothing enabled: no error");
        ok(hr_json_equal(c, orig), "nothing enabled: config unchanged");
        is_int(rep.n_changes, 0, "nothing enabled: no changes");
        hr_report_done(&rep);
}

int main(void)
{
        struct hr_policy p;

        restricted(&p);
        p.seccomp.enabled = false; /* the seccomp knob has its own tests */
        test_nnp(&p);
        test_malformed(&p);
        test_rootfs_spec(&p);
        test_rootfs_existing(&p);
        test_rootfs_engine_tmpfs(&p);
        test_disabled(&p);
        hr_policy_done(&p);
        return tap_done();
}
