/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The sensitive_mounts knob: no bind mount of an engine socket or a host system directory. */
#include "knob-test.h"

/* A Debian-like host: /var/run and /lib are symlinks, the Docker socket exists. */
static const struct fake_path debian[] = {
    {"/", NULL},
    {"/boot", NULL},
    {"/dev", NULL},
    {"/etc", NULL},
    {"/etc/hosts", NULL},
    {"/etc/localtime", "/usr/share/zoneinfo/Etc/UTC"},
    {"/lib", "/usr/lib"},
    {"/usr/lib", NULL},
    {"/proc", NULL},
    {"/proc/1/root", "/"},
    {"/proc/sys", NULL},
    {"/sys", NULL},
    {"/usr", NULL},
    {"/usr/share", NULL},
    {"/var", NULL},
    {"/var/lib", NULL},
    {"/var/run", "/run"},
    {"/run", NULL},
    {"/run/docker.sock", NULL},
    {"/var/run/docker.sock", "/run/docker.sock"},
    {"/srv/link-to-socket", "/run/docker.sock"},
    {"/srv/data", NULL},
    {"/denied", NULL, 0, 0, EACCES},
    /* as a rootless engine sees a root-only directory: compared as written */
    {"/var/run/crio/crio.sock", NULL, 0, 0, EACCES},
};

#define REMEDY "; remove the mount, or exempt this container with a rule"

static void test_sources(void)
{
        static const struct {
                const char *source, *message; /* message NULL: allowed */
        } cases[] = {
            {"/var/run/docker.sock",
             "bind mount of /var/run/docker.sock (the Docker engine socket, "
             "and 1 more sensitive path) into the container at /x is not "
             "allowed" REMEDY},
            {"/run/docker.sock",
             "bind mount of /run/docker.sock (the Docker engine socket, and 1 "
             "more sensitive path) into the container at /x is not allowed" REMEDY},
            {"/run/containerd/containerd.sock",
             "bind mount of /run/containerd/containerd.sock (the containerd socket) into the "
             "container at /x is not allowed" REMEDY},
            {"/var/run/crio/crio.sock", "bind mount of /var/run/crio/crio.sock (the CRI-O socket) "
                                        "into the container at /x is not allowed" REMEDY},
            {"/run/podman/podman.sock", "bind mount of /run/podman/podman.sock (the Podman API "
                                        "socket) into the container at /x is not allowed" REMEDY},
            /* an ancestor of the sockets; on this host /run is /var/run */
            {"/run", "bind mount of /run into the container at /x exposes /var/run (the host's "
                     "run-time state, with the engine sockets, and 5 more sensitive paths)" REMEDY},
            {"/var", "bind mount of /var into the container at /x exposes "
                     "/var/run/containerd/containerd.sock (the containerd socket, and 4 more "
                     "sensitive paths)" REMEDY},
            {"/var/run", "bind mount of /var/run (the host's run-time state, with the engine "
                         "sockets, and 8 more sensitive paths) into the container at /x is not "
                         "allowed" REMEDY},
            {"/", "bind mount of / (the host's root filesystem, and 16 more sensitive paths) into "
                  "the container at /x is not allowed" REMEDY},
            {"/etc", "bind mount of /etc (the host's configuration) into the container at /x is "
                     "not allowed" REMEDY},
            {"//etc/", "bind mount of /etc (the host's configuration) into the container at /x is "
                       "not allowed" REMEDY},
            {"/etc/../etc/.", "bind mount of /etc (the host's configuration) into the container "
                              "at /x is not allowed" REMEDY},
            {"/lib", "bind mount of /lib (the host's libraries) into the container at /x is not "
                     "allowed" REMEDY},
            /* /lib is /usr/lib on this host */
            {"/usr/lib", "bind mount of /usr/lib into the container at /x exposes /lib (the "
                         "host's libraries)" REMEDY},
            {"/boot", "bind mount of /boot (the host's kernel and boot loader) into the container "
                      "at /x is not allowed" REMEDY},
            {"/dev", "bind mount of /dev (the host's devices) into the container at /x is not "
                     "allowed" REMEDY},
            /* it holds /usr/lib, which is /lib */
            {"/usr", "bind mount of /usr (the host's programs and libraries, and 1 more "
                     "sensitive path) into the container at /x is not allowed" REMEDY},
            /* subtree entries: /proc and /sys and everything under them */
            {"/proc", "bind mount of /proc (the host's /proc) into the container at /x is not "
                      "allowed" REMEDY},
            {"/proc/sys", "bind mount of /proc/sys into the container at /x is inside /proc (the "
                          "host's /proc)" REMEDY},
            {"/sys/fs/cgroup/memory", "bind mount of /sys/fs/cgroup/memory into the container at "
                                      "/x is inside /sys (the host's /sys)" REMEDY},
            /* a magic link to the host's / */
            {"/proc/1/root", "bind mount of /proc/1/root into the container at /x exposes / (the "
                             "host's root filesystem, and 16 more sensitive paths)" REMEDY},
            /* a symlink to a socket */
            {"/srv/link-to-socket", "bind mount of /srv/link-to-socket into the container at /x "
                                    "exposes /run/docker.sock (the Docker engine socket, and 1 "
                                    "more sensitive path)" REMEDY},
            {"data", "bind mount source \"data\" (at /x) is a relative path, which the runtime "
                     "resolves against the bundle; hardrun cannot check it against the sensitive "
                     "host paths: give an absolute path"},
            /* descendants of ancestor-only entries are fine */
            {"/etc/localtime", NULL},
            {"/etc/hosts", NULL},
            {"/usr/share", NULL},
            {"/var/lib", NULL},
            {"/srv/data", NULL},
            {"/run/containers/storage/overlay-containers/abc/userdata/hosts", NULL},
            {"/dev/shm", NULL},
            {"/does/not/exist", NULL},
        };
        struct hr_policy p;

        FAKE_PATHS(debian);
        level(&p, "restricted");
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char buf[512];
                _cleanup_json_ struct hr_json *c = NULL, *orig = NULL;
                struct hr_report rep;
                struct hr_error err = {0};

                snprintf(buf, sizeof(buf),
                         "{\"mounts\":[{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"%s\","
                         "\"options\":[\"rbind\"]}]}",
                         cases[i].source);
                c = parse(buf);
                orig = parse(buf);
                is_int(run_knob("sensitive_mounts", c, &p, &rep, &err), 0, "source %s (%s)",
                       cases[i].source, err.msg);
                ok(hr_json_equal(c, orig), "config unchanged for %s", cases[i].source);
                is_int(rep.n_changes, 0, "no change for %s", cases[i].source);
                is_int(rep.n_violations, cases[i].message ? 1 : 0, "violations for %s",
                       cases[i].source);
                if (cases[i].message && rep.n_violations == 1) {
                        is_str(rep.violations[0].message, cases[i].message, "message for %s",
                               cases[i].source);
                        is_str(rep.violations[0].knob, "sensitive_mounts", "knob named");
                        is_str(rep.violations[0].path, "mounts[destination=/x].source",
                               "path named");
                }
                hr_report_done(&rep);
        }
        hr_policy_done(&p);
}

/* A mount is judged as a bind by type or option; others are not looked at. */
static void test_kinds(void)
{
        static const struct {
                const char *mount;
                size_t violations;
        } cases[] = {
            {"{\"destination\":\"/x\",\"type\":\"none\",\"source\":\"/"
             "etc\",\"options\":[\"bind\"]}",
             1},
            {"{\"destination\":\"/x\",\"source\":\"/etc\",\"options\":[\"rbind\"]}", 1},
            {"{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/etc\"}", 1},
            {"{\"destination\":\"/x\",\"type\":\"tmpfs\",\"source\":\"/etc\"}", 0},
            {"{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"}", 0},
            {"{\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":\"/sys\"}", 0},
        };
        struct hr_policy p;

        FAKE_PATHS(debian);
        level(&p, "restricted");
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char buf[512];
                _cleanup_json_ struct hr_json *c = NULL;
                struct hr_report rep;
                struct hr_error err = {0};

                snprintf(buf, sizeof(buf), "{\"mounts\":[%s]}", cases[i].mount);
                c = parse(buf);
                is_int(run_knob("sensitive_mounts", c, &p, &rep, &err), 0, "%s", cases[i].mount);
                is_int(rep.n_violations, cases[i].violations, "violations for %s", cases[i].mount);
                hr_report_done(&rep);
        }
        hr_policy_done(&p);
}

static void test_errors(void)
{
        static const struct {
                const char *config, *error;
        } cases[] = {
            {"{\"mounts\":[{\"destination\":\"/x\",\"type\":\"bind\"}]}",
             "the bind mount at /x has no source"},
            {"{\"mounts\":[{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"\"}]}",
             "the bind mount at /x has no source"},
            {"{\"mounts\":[{\"destination\":\"/x\",\"type\":\"bind\",\"source\":[]}]}",
             "mounts[0].source must be a string, not array"},
            {"{\"mounts\":[{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/denied\"}]}",
             "resolving /denied on the host: Permission denied"},
            {"{\"mounts\":[{\"destination\":\"/x\",\"type\":\"bind\",\"Source\":\"/\"}]}",
             "the key \"Source\" is read by runc as \"source\""},
            {"{\"mounts\":[{\"destination\":\"/x\",\"type\":\"bind\","
             "\"source\":\"/srv/data\\u0000/../../etc\"}]}",
             "mounts[0].source holds a NUL character"},
        };
        struct hr_policy p;

        FAKE_PATHS(debian);
        level(&p, "restricted");
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                _cleanup_json_ struct hr_json *c = parse(cases[i].config);
                struct hr_report rep;
                struct hr_error err = {0};

                ok(run_knob("sensitive_mounts", c, &p, &rep, &err) < 0, "error: %s",
                   cases[i].config);
                ok(strstr(err.msg, cases[i].error) != NULL, "message has \"%s\" (%s)",
                   cases[i].error, err.msg);
                hr_report_done(&rep);
        }
        hr_policy_done(&p);
}

/* The engines' own bind mounts pass, on the fake host and on this real one. */
static void test_real_configs(void)
{
        for (int real = 0; real < 2; real++) {
                struct hr_policy p;

                FAKE_PATHS(debian);
                level(&p, "restricted");
                if (real)
                        p.host = &hr_host_real;
                for (size_t i = 0; i < sizeof(real_configs) / sizeof(real_configs[0]); i++) {
                        _cleanup_json_ struct hr_json *c = load(real_configs[i]);
                        _cleanup_json_ struct hr_json *orig = load(real_configs[i]);
                        struct hr_report rep;
                        struct hr_error err = {0};

                        is_int(run_knob("sensitive_mounts", c, &p, &rep, &err), 0, "%s (%s)",
                               real_configs[i], err.msg);
                        is_int(rep.n_violations, 0, "%s passes on the %s host", real_configs[i],
                               real ? "real" : "fake");
                        ok(hr_json_equal(c, orig), "%s unchanged", real_configs[i]);
                        hr_report_done(&rep);
                }
                hr_policy_done(&p);
        }
}

/* On the real host: /var/run and /proc/self/root are resolved as the kernel sees them. */
static void test_real_host(void)
{
        static const char *const sources[] = {"/var/run", "/proc/self/root", "/run/../lib"};
        struct hr_policy p;

        level(&p, "restricted");
        p.host = &hr_host_real;
        for (size_t i = 0; i < sizeof(sources) / sizeof(sources[0]); i++) {
                char buf[256];
                _cleanup_json_ struct hr_json *c = NULL;
                struct hr_report rep;
                struct hr_error err = {0};

                snprintf(
                    buf, sizeof(buf),
                    "{\"mounts\":[{\"destination\":\"/h\",\"type\":\"bind\",\"source\":\"%s\"}]}",
                    sources[i]);
                c = parse(buf);
                is_int(run_knob("sensitive_mounts", c, &p, &rep, &err), 0, "real host: %s",
                       sources[i]);
                is_int(rep.n_violations, 1, "real host refuses %s", sources[i]);
                hr_report_done(&rep);
        }
        hr_policy_done(&p);
}

static void test_configure(void)
{
        static const struct {
                const char *value, *error;
        } cases[] = {
            {"[\"/etc/\"]", "knob sensitive_mounts: \"/etc/\" is not a clean absolute path"},
            {"[\"etc\"]", "\"etc\" is not a clean absolute path"},
            {"[\"/a/../b\"]", "\"/a/../b\" is not a clean absolute path"},
            {"[\"/a/**/**\"]", "\"/a/**/**\" is not a clean absolute path"},
            {"[1]", "knob sensitive_mounts must be a string or a list of strings"},
            {"{}", "knob sensitive_mounts must be a non-empty string"},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                struct hr_policy p;
                struct hr_error err = {0};

                level(&p, "restricted");
                ok(configure_knob(&p, "sensitive_mounts", cases[i].value, &err) < 0, "refused: %s",
                   cases[i].value);
                ok(strstr(err.msg, cases[i].error) != NULL, "message has \"%s\" (%s)",
                   cases[i].error, err.msg);
                is_int(p.sensitive_mounts.n, 17, "the level's list is kept");
                hr_policy_done(&p);
        }
}

/* An admin's own list: a subtree of its own, a path the table does not name, or nothing. */
static void test_custom(void)
{
        static const struct {
                const char *list, *source, *message;
        } cases[] = {
            {"[\"/srv/secret\"]", "/srv/secret",
             "bind mount of /srv/secret (a sensitive host path) into the container at /x is not "
             "allowed" REMEDY},
            {"[\"/srv/secret\"]", "/srv",
             "bind mount of /srv into the container at /x exposes "
             "/srv/secret (a sensitive host path)" REMEDY},
            {"[\"/srv/secret\"]", "/srv/secret/a", NULL},
            {"[\"/srv/secret/**\"]", "/srv/secret/a",
             "bind mount of /srv/secret/a into the container at /x is inside /srv/secret (a "
             "sensitive host path)" REMEDY},
            {"\"/**\"", "/srv/data",
             "bind mount of /srv/data into the container at /x is inside / "
             "(the host's root filesystem)" REMEDY},
            {"[]", "/", NULL},
        };

        FAKE_PATHS(debian);
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                struct hr_policy p;
                char buf[512];
                _cleanup_json_ struct hr_json *c = NULL;
                struct hr_report rep;
                struct hr_error err = {0};

                level(&p, "restricted");
                is_int(configure_knob(&p, "sensitive_mounts", cases[i].list, &err), 0, "list %s",
                       cases[i].list);
                snprintf(
                    buf, sizeof(buf),
                    "{\"mounts\":[{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"%s\"}]}",
                    cases[i].source);
                c = parse(buf);
                is_int(run_knob("sensitive_mounts", c, &p, &rep, &err), 0, "%s with %s",
                       cases[i].source, cases[i].list);
                is_int(rep.n_violations, cases[i].message ? 1 : 0, "violations: %s with %s",
                       cases[i].source, cases[i].list);
                if (cases[i].message && rep.n_violations == 1)
                        is_str(rep.violations[0].message, cases[i].message, "message");
                hr_report_done(&rep);
                hr_policy_done(&p);
        }
}

int main(void)
{
        test_sources();
        test_kinds();
        test_errors();
        test_real_configs();
        test_real_host();
        test_configure();
        test_custom();
        return tap_done();
}
