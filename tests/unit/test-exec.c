/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * exec hardening (exec.c) against a stand-in runtime: a script that answers
 * `state` with the bundle of a test directory, or fails as runc does for an
 * unknown container.  Table-driven over real command lines; each case says
 * whether the exec is let through, what the refusal says, and what the
 * --process file holds afterwards.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"
#include "cli.h"
#include "command.h"
#include "dir-kit.h"
#include "hr-cleanup.h"
#include "tap.h"

/* The file's text; compact: as compact JSON, when it parses. */
static char *slurp(const char *name, bool compact)
{
        struct hr_file f = HR_FILE_INIT;
        struct hr_error err = {0};
        _cleanup_json_ struct hr_json *j = NULL;
        char *s = NULL;
        size_t len;

        if (hr_file_read(kit_at(name), false, 1u << 20, &f, &err) < 0)
                return NULL;
        if (!compact || hr_json_parse(f.data, f.len, 0, &j, &err) < 0 ||
            hr_json_write(j, 0, &s, &len, &err) < 0)
                s = strdup(f.data);
        hr_file_done(&f);
        return s;
}

/* The container's config, as hardrun leaves it at create. */
static const char hardened[] =
    "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\","
    "\"user\":{\"uid\":65534,\"gid\":65534},\"noNewPrivileges\":true,"
    "\"capabilities\":{\"bounding\":[\"CAP_NET_BIND_SERVICE\"],\"effective\":["
    "\"CAP_NET_BIND_SERVICE\"],\"permitted\":[\"CAP_NET_BIND_SERVICE\"],\"inheritable\":[],"
    "\"ambient\":[]},\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":1024},"
    "{\"type\":\"RLIMIT_CORE\",\"hard\":0,\"soft\":0}]},\"root\":{\"path\":\"rootfs\","
    "\"readonly\":true},\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}}";

/* c2: the same, created on a host that enforces AppArmor and SELinux (knob lsm labelled it). */
#define LABEL "system_u:system_r:container_t:s0:c3,c7"
static const char hardened_lsm[] =
    "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\","
    "\"user\":{\"uid\":65534,\"gid\":65534},\"noNewPrivileges\":true,"
    "\"capabilities\":{\"bounding\":[],\"effective\":[],\"permitted\":[],\"inheritable\":[],"
    "\"ambient\":[]},\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":1024},"
    "{\"type\":\"RLIMIT_CORE\",\"hard\":0,\"soft\":0}],\"apparmorProfile\":\"hardrun-default\","
    "\"selinuxLabel\":\"" LABEL "\"},\"root\":{\"path\":\"rootfs\",\"readonly\":true},"
    "\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],"
    "\"mountLabel\":\"system_u:object_r:container_file_t:s0:c3,c7\"}}";

/* What `docker exec --privileged` sends: root, a capability beyond the set, no NNP. */
static const char privileged[] =
    "{\"args\":[\"id\"],\"cwd\":\"/\",\"user\":{\"uid\":0,\"gid\":0,\"additionalGids\":[0]},"
    "\"noNewPrivileges\":false,\"capabilities\":{\"bounding\":[\"CAP_SYS_ADMIN\"],"
    "\"effective\":[\"CAP_SYS_ADMIN\"],\"permitted\":[\"CAP_SYS_ADMIN\"],"
    "\"inheritable\":[\"CAP_SYS_ADMIN\"],\"ambient\":[\"CAP_SYS_ADMIN\"]},"
    "\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":1024},"
    "{\"type\":\"RLIMIT_CORE\",\"hard\":0,\"soft\":0}],\"apparmorProfile\":\"unconfined\"}";

static int run(const char *runtime, const char *const *words, struct hr_error *err)
{
        char *argv[16];
        struct hr_cmdline cmd;
        struct hr_policy_file pf = {0};
        int argc = 0, r;

        argv[argc++] = (char *)"hardrun";
        for (; *words; words++)
                argv[argc++] = (char *)*words;
        argv[argc] = NULL;
        r = hr_cli_parse(argc, argv, strstr(runtime, "crun") ? HR_FLAVOUR_CRUN : HR_FLAVOUR_RUNC,
                         &cmd, err);
        if (r < 0)
                return r;
        if ((r = hr_policy_file_read(&pf, err)) == 0)
                r = hr_command_exec(&cmd, runtime, &pf, err);
        hr_policy_file_done(&pf);
        hr_cmdline_done(&cmd);
        return r;
}

struct exec_case {
        const char *what;
        const char *runtime; /* "runc" or "crun": the stand-in's name */
        const char *argv[12];
        const char *process; /* the --process file's text before, or NULL */
        const char *error;   /* expected in the refusal; NULL: let through */
        const char *after;   /* expected in the --process file afterwards */
};

static const struct exec_case cases[] = {
    {"no flags: the container's own process", "runc", {"exec", "c1", "id"}, NULL, NULL, NULL},
    {"an allowed --cap",
     "runc",
     {"exec", "--cap", "CAP_NET_BIND_SERVICE", "c1", "id"},
     NULL,
     NULL,
     NULL},
    {"a capability beyond the set",
     "runc",
     {"exec", "--cap", "CAP_SYS_ADMIN", "c1", "id"},
     NULL,
     "refusing exec in container c1: the exec flags (--cap, --user, --apparmor, "
     "--process-label) would give process.capabilities.bounding "
     "[\"CAP_NET_BIND_SERVICE\",\"CAP_SYS_ADMIN\"] where the policy allows "
     "[\"CAP_NET_BIND_SERVICE\"]; drop the flag (policy knob capabilities",
     NULL},
    {"-u 0",
     "runc",
     {"exec", "-u", "0", "c1", "id"},
     NULL,
     "would give process.user.uid 0 where the policy allows 65534; drop the flag",
     NULL},
    {"--user=0:0", "runc", {"exec", "--user=0:0", "c1", "id"}, NULL, "process.user.uid 0", NULL},
    {"-u 1000", "runc", {"exec", "-u", "1000", "c1", "id"}, NULL, NULL, NULL},
    {"a user name",
     "runc",
     {"exec", "-u", "root", "c1", "id"},
     NULL,
     "exec --user \"root\" is not UID[:GID] with numeric ids (policy knob user",
     NULL},
    {"--apparmor unconfined",
     "runc",
     {"exec", "--apparmor", "unconfined", "c1", "id"},
     NULL,
     "process.apparmorProfile \"unconfined\" where the policy allows none; drop the flag "
     "(policy knob lsm",
     NULL},
    {"--process-label spc_t",
     "runc",
     {"exec", "--process-label", "system_u:system_r:spc_t:s0", "c1", "id"},
     NULL,
     "process.selinuxLabel \"system_u:system_r:spc_t:s0\"",
     NULL},
    {"--no-new-privs only tightens",
     "runc",
     {"exec", "--no-new-privs", "c1", "id"},
     NULL,
     NULL,
     NULL},
    {"a privileged --process file is rewritten",
     "runc",
     {"exec", "--process", "PROCESS", "c1"},
     privileged,
     NULL,
     "\"user\":{\"uid\":65534,\"gid\":65534},\"noNewPrivileges\":true,\"capabilities\":"
     "{\"bounding\":[],\"effective\":[],\"permitted\":[],\"inheritable\":[],\"ambient\":[]}"},
    {"a compliant --process file is left as it is",
     "runc",
     {"exec", "--process", "PROCESS", "c1"},
     "{\"args\":[\"id\"],\"cwd\":\"/\",\"user\":{\"uid\":65534,\"gid\":65534},"
     "\"noNewPrivileges\":true,\"capabilities\":{\"bounding\":[],\"effective\":[],"
     "\"permitted\":[],\"inheritable\":[],\"ambient\":[]},\"rlimits\":[{\"type\":"
     "\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":1024},{\"type\":\"RLIMIT_CORE\",\"hard\":0,"
     "\"soft\":0}]}",
     NULL,
     "{\"args\":[\"id\"],\"cwd\":\"/\""},
    {"flags on top of a --process file",
     "runc",
     {"exec", "-u", "0", "--process", "PROCESS", "c1"},
     privileged,
     "process.user.uid 0",
     "\"apparmorProfile\":\"unconfined\""},
    /* runc's decoder reads "ApparmorProfile" as "apparmorProfile": refused, not skipped. */
    {"a label under a key runc folds",
     "runc",
     {"exec", "--process", "PROCESS", "c1"},
     "{\"args\":[\"id\"],\"cwd\":\"/\",\"user\":{\"uid\":65534,\"gid\":65534},"
     "\"ApparmorProfile\":\"unconfined\"}",
     "process.apparmorProfile: the key \"ApparmorProfile\" is read by runc as \"apparmorProfile\"",
     "\"ApparmorProfile\":\"unconfined\""},
    {"a --process file that is not an object",
     "runc",
     {"exec", "--process", "PROCESS", "c1"},
     "[1]",
     "--process ",
     "[1]"},
    {"an unknown container",
     "runc",
     {"exec", "none", "id"},
     NULL,
     "refusing exec in container none: cannot find the container: ",
     NULL},
    {"crun without --user and --no-new-privs",
     "crun",
     {"exec", "c1", "id"},
     NULL,
     "crun's exec without --process (uid 0 and no no_new_privs unless --user and "
     "--no-new-privs say otherwise) would give process.user.uid 0",
     NULL},
    {"crun with --user and --no-new-privs",
     "crun",
     {"exec", "--user", "65534:65534", "--no-new-privs", "c1", "id"},
     NULL,
     NULL,
     NULL},
    {"crun with a --process file",
     "crun",
     {"exec", "--process", "PROCESS", "c1"},
     privileged,
     NULL,
     "\"noNewPrivileges\":true"},
    /* The labels knob lsm set at create reach what an exec runs. */
    {"labels: a --process file without them gets the container's",
     "runc",
     {"exec", "--process", "PROCESS", "c2"},
     "{\"args\":[\"id\"],\"cwd\":\"/\",\"user\":{\"uid\":65534,\"gid\":65534},"
     "\"noNewPrivileges\":true}",
     NULL,
     "\"apparmorProfile\":\"hardrun-default\",\"selinuxLabel\":\"" LABEL "\""},
    {"labels: `docker exec --privileged` gets the container's, not unconfined",
     "runc",
     {"exec", "--process", "PROCESS", "c2"},
     privileged,
     NULL,
     "\"apparmorProfile\":\"hardrun-default\",\"selinuxLabel\":\"" LABEL "\""},
    {"labels: a --process file with another label gets the container's",
     "crun",
     {"exec", "--process", "PROCESS", "c2"},
     "{\"args\":[\"id\"],\"cwd\":\"/\",\"user\":{\"uid\":65534,\"gid\":65534},"
     "\"noNewPrivileges\":true,\"apparmorProfile\":\"docker-default\","
     "\"selinuxLabel\":\"system_u:system_r:container_t:s0:c1,c2\"}",
     NULL,
     "\"apparmorProfile\":\"hardrun-default\",\"selinuxLabel\":\"" LABEL "\""},
    {"labels: no flags, the container's own process carries them",
     "runc",
     {"exec", "c2", "id"},
     NULL,
     NULL,
     NULL},
    {"labels: --apparmor naming the container's profile",
     "runc",
     {"exec", "--apparmor", "hardrun-default", "c2", "id"},
     NULL,
     NULL,
     NULL},
    {"labels: --apparmor naming another loaded profile",
     "runc",
     {"exec", "--apparmor", "docker-default", "c2", "id"},
     NULL,
     "process.apparmorProfile \"docker-default\" where the policy allows \"hardrun-default\"; "
     "drop the flag (policy knob lsm",
     NULL},
    {"labels: --process-label with other categories",
     "crun",
     {"exec", "--user", "65534:65534", "--no-new-privs", "--process-label",
      "system_u:system_r:container_t:s0:c1,c2", "c2", "id"},
     NULL,
     "process.selinuxLabel \"system_u:system_r:container_t:s0:c1,c2\" where the policy allows "
     "\"" LABEL "\"",
     NULL},
    {"labels: --process-label naming the container's own",
     "crun",
     {"exec", "--user", "65534:65534", "--no-new-privs", "--process-label", LABEL, "c2", "id"},
     NULL,
     NULL,
     NULL},
};

static void test_case(const struct exec_case *c)
{
        const char *words[12];
        _cleanup_free_ char *runtime = NULL, *process = NULL, *after = NULL;
        struct hr_error err = {0};
        int r;

        if (!(runtime = strdup(kit_at(c->runtime))) || !(process = strdup(kit_at("process.json"))))
                abort();
        for (size_t i = 0; i < 12; i++)
                words[i] = c->argv[i] && strcmp(c->argv[i], "PROCESS") == 0 ? process : c->argv[i];
        if (c->process)
                kit_put("process.json", c->process, 0640);
        r = run(runtime, words, &err);
        if (c->error)
                ok(r < 0 && strstr(err.msg, c->error), "%s: refused, \"%s\" (%s)", c->what,
                   c->error, r < 0 ? err.msg : "let through");
        else
                is_int(r, 0, "%s: let through (%s)", c->what, err.msg);
        if (!c->process)
                return;
        after = slurp("process.json", true);
        ok(after && strstr(after, c->after), "%s: the file has %s (%s)", c->what, c->after,
           after ? after : "?");
        if (c->error) {
                _cleanup_free_ char *raw = slurp("process.json", false);

                ok(raw && strcmp(raw, c->process) == 0, "%s: the file is unchanged", c->what);
        }
        struct stat st;
        ok(stat(kit_at("process.json"), &st) == 0 && (st.st_mode & 07777) == 0640,
           "%s: the file keeps its mode", c->what);
}

/*
 * The user knob reads the container's user namespace: root in one that maps
 * it to an unprivileged host uid may exec as root; mapped to host root, not.
 * The container's seccomp profile is beside it, as in a real config.
 */
static void test_userns(const char *config)
{
        static const char *const host_ids[] = {"100000", "0"};
        const char *tail = strstr(config, "\"namespaces\"");
        const char *words[] = {"exec", "-u", "0", "c1", "id", NULL};
        _cleanup_free_ char *runc = strdup(kit_at("runc"));
        char text[2048];
        struct hr_error err = {0};
        int r[2];

        if (!tail || !runc)
                abort();
        for (size_t i = 0; i < 2; i++) {
                snprintf(text, sizeof(text),
                         "%.*s\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"user\"}],"
                         "\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\"},\"uidMappings\":"
                         "[{\"containerID\":0,\"hostID\":%s,\"size\":65536}]}}",
                         (int)(tail - config), config, host_ids[i]);
                kit_put("bundle/config.json", text, 0644);
                r[i] = run(runc, words, &err);
        }
        is_int(r[0], 0, "userns: root mapped to 100000 may exec -u 0");
        ok(r[1] < 0 && strstr(err.msg, "process.user.uid 0"),
           "userns: root mapped to host root may not (%s)", err.msg);
}

int main(void)
{
        char script[1024];

        kit_mkdir();
        kit_put("policy.json", "{\"runtime\":\"/bin/true\"}", 0644);
        setenv("HARDRUN_POLICY", kit_at("policy.json"), 1);
        if (mkdir(kit_at("bundle"), 0700) < 0)
                abort();
        kit_put("bundle/config.json", hardened, 0644);
        if (mkdir(kit_at("bundle2"), 0700) < 0)
                abort();
        kit_put("bundle2/config.json", hardened_lsm, 0644);
        /* The stand-in runtime: `[--root R] state ID`, as runc answers it. */
        snprintf(script, sizeof(script),
                 "#!/bin/sh\n"
                 "while [ \"$1\" != state ]; do shift; done\n"
                 "case \"$2\" in c1) b=bundle ;; c2) b=bundle2 ;; *) echo 'time=\"x\" "
                 "level=error msg=\"container does not exist\"' >&2; exit 1 ;; esac\n"
                 "printf '{\"id\":\"%%s\",\"status\":\"running\",\"bundle\":\"%s/%%s\"}\\n' "
                 "\"$2\" \"$b\"\n",
                 kit_dir);
        kit_put("runc", script, 0755);
        kit_put("crun", script, 0755);
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
                test_case(&cases[i]);
        test_userns(hardened);
        kit_put("bundle/config.json", hardened, 0644);

        /*
         * The state file, read without starting the runtime: the stand-in
         * knows only c1, so c2 is found through its file or not at all.
         */
        char state[1024], root[512];

        snprintf(root, sizeof(root), "%s", kit_at("root"));
        if (mkdir(kit_at("root"), 0700) < 0 || mkdir(kit_at("root/c2"), 0700) < 0 ||
            mkdir(kit_at("root/c3"), 0700) < 0)
                abort();
        snprintf(state, sizeof(state),
                 "{\"id\":\"c2\",\"config\":{\"labels\":[\"x=y\",\"bundle=%s/bundle\"]}}", kit_dir);
        kit_put("root/c2/state.json", state, 0600);
        snprintf(state, sizeof(state), "{\"pid\":1,\"bundle\":\"%s/bundle\"}", kit_dir);
        kit_put("root/c3/status", state, 0600);
        kit_put("root/c3/state.json", "{\"config\":{\"labels\":[]}}", 0600);
        {
                struct hr_error e = {0};
                const char *c2[] = {"--root", root, "exec", "-u", "0", "c2", "id", NULL};
                const char *c3[] = {"--root", root, "exec", "c3", "id", NULL};
                const char *up[] = {"--root", root, "exec", "../root/c2", "id", NULL};
                _cleanup_free_ char *runc = strdup(kit_at("runc")), *crun = strdup(kit_at("crun"));

                ok(run(runc, c2, &e) < 0 && strstr(e.msg, "process.user.uid 0"),
                   "runc's state.json gives the bundle, whose policy applies (%s)", e.msg);
                ok(run(crun, c3, &e) < 0 && strstr(e.msg, "crun's exec without --process"),
                   "crun's status gives the bundle (%s)", e.msg);
                ok(run(runc, c3, &e) < 0 && strstr(e.msg, "cannot find the container"),
                   "a state.json without a bundle label: the runtime is asked (%s)", e.msg);
                ok(run(runc, up, &e) < 0 && strstr(e.msg, "cannot find the container"),
                   "an id that is a path is never looked up as a file (%s)", e.msg);
        }
        unlink(kit_at("root/c2/state.json"));
        unlink(kit_at("root/c3/status"));
        unlink(kit_at("root/c3/state.json"));
        rmdir(kit_at("root/c2"));
        rmdir(kit_at("root/c3"));
        rmdir(kit_at("root"));

        /* The runtime's own words reach the message, without its log prefix. */
        struct hr_error err = {0};
        const char *words[] = {"exec", "none", "id", NULL};
        _cleanup_free_ char *runtime = strdup(kit_at("runc"));

        ok(run(runtime, words, &err) < 0 && strstr(err.msg, "state none failed: container does "
                                                            "not exist"),
           "the runtime's message is kept, its log prefix dropped (%s)", err.msg);

        unlink(kit_at("bundle/config.json"));
        rmdir(kit_at("bundle"));
        unlink(kit_at("bundle2/config.json"));
        rmdir(kit_at("bundle2"));
        unlink(kit_at("process.json"));
        unlink(kit_at("policy.json"));
        unlink(kit_at("runc"));
        unlink(kit_at("crun"));
        rmdir(kit_dir);
        return tap_done();
}
