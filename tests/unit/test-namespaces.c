/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The namespaces knob: no host namespace, by a missing entry or by the host's own inode. */
#include "knob-test.h"

#define NSFS 4
static const struct fake_path host[] = {
    /* the host's own */
    {"/proc/1/ns/ipc", NULL, NSFS, 4026531839},
    {"/proc/1/ns/mnt", NULL, NSFS, 4026531841},
    {"/proc/1/ns/net", NULL, NSFS, 4026531840},
    {"/proc/1/ns/pid", NULL, NSFS, 4026531836},
    {"/proc/1/ns/uts", NULL, NSFS, 4026531838},
    {"/proc/1/ns/cgroup", NULL, NSFS, 4026531835},
    {"/proc/1/ns/user", NULL, NSFS, 4026531837},
    /* hardrun runs in them too */
    {"/proc/self/ns/ipc", NULL, NSFS, 4026531839},
    {"/proc/self/ns/mnt", NULL, NSFS, 4026531841},
    {"/proc/self/ns/net", NULL, NSFS, 4026531840},
    {"/proc/self/ns/pid", NULL, NSFS, 4026531836},
    {"/proc/self/ns/uts", NULL, NSFS, 4026531838},
    {"/proc/self/ns/cgroup", NULL, NSFS, 4026531835},
    {"/proc/self/ns/user", NULL, NSFS, 4026531837},
    /* a pod sandbox (tests/data/containerd-cri-container.json joins it) */
    {"/proc/11776/ns/ipc", NULL, NSFS, 4026532300},
    {"/proc/11776/ns/uts", NULL, NSFS, 4026532301},
    {"/proc/11776/ns/net", NULL, NSFS, 4026532302},
    /* a CNI netns file (tests/data/containerd-cri-sandbox.json) */
    {"/var/run/netns/cni-eb85603c-07c9-b606-e23b-0e3c1bad85ce", NULL, NSFS, 4026532400},
    /* the host's network namespace, bind-mounted under another name */
    {"/run/netns/host", NULL, NSFS, 4026531840},
    /* the same inode number on another device is not the host's */
    {"/run/netns/other-dev", NULL, NSFS + 1, 4026531840},
    {"/proc/4242/ns/pid", NULL, NSFS, 0, EACCES},
};

#define REMEDY "; give it its own, or exempt this container with a rule"

static const struct {
        const char *type, *how;
} hows[] = {
    {"ipc", "docker run --ipc host, hostIPC: true"},
    {"mount", "a config without a mount namespace"},
    {"network", "docker run --network host, hostNetwork: true"},
    {"pid", "docker run --pid host, hostPID: true"},
    {"uts", "docker run --uts host, hostNetwork: true"},
};

/* Each real config passes; without one of its namespaces, that one is refused. */
static void test_real_configs(void)
{
        struct hr_policy p;

        FAKE_PATHS(host);
        level(&p, "restricted");
        for (size_t i = 0; i < sizeof(real_configs) / sizeof(real_configs[0]); i++) {
                _cleanup_json_ struct hr_json *c = load(real_configs[i]);
                _cleanup_json_ struct hr_json *orig = load(real_configs[i]);
                struct hr_report rep;
                struct hr_error err = {0};

                is_int(run_knob("namespaces", c, &p, &rep, &err), 0, "%s (%s)", real_configs[i],
                       err.msg);
                is_int(rep.n_violations, 0, "%s has every namespace of its own", real_configs[i]);
                ok(hr_json_equal(c, orig), "%s unchanged", real_configs[i]);
                hr_report_done(&rep);

                for (size_t t = 0; t < sizeof(hows) / sizeof(hows[0]); t++) {
                        _cleanup_json_ struct hr_json *d = load(real_configs[i]);
                        struct hr_json *nss = hr_json_get(hr_json_get(d, "linux"), "namespaces");
                        char want[256], path[64];
                        size_t k = 0, kept = 0;

                        /* drop the entry of this type */
                        for (k = 0; k < nss->u.arr.len; k++) {
                                struct hr_json *ns = nss->u.arr.items[k];

                                if (strcmp(hr_json_string(hr_json_get(ns, "type")), hows[t].type) ==
                                    0)
                                        hr_json_free(ns);
                                else
                                        nss->u.arr.items[kept++] = ns;
                        }
                        nss->u.arr.len = kept;
                        is_int(run_knob("namespaces", d, &p, &rep, &err), 0, "%s without %s",
                               real_configs[i], hows[t].type);
                        is_int(rep.n_violations, 1, "%s without %s: refused", real_configs[i],
                               hows[t].type);
                        if (rep.n_violations != 1) {
                                hr_report_done(&rep);
                                continue;
                        }
                        snprintf(want, sizeof(want),
                                 "the container shares the host's %s namespace (%s)" REMEDY,
                                 hows[t].type, hows[t].how);
                        snprintf(path, sizeof(path), "linux.namespaces[type=%s]", hows[t].type);
                        is_str(rep.violations[0].message, want, "message");
                        is_str(rep.violations[0].path, path, "path");
                        is_str(rep.violations[0].knob, "namespaces", "knob");
                        hr_report_done(&rep);
                }
        }
        hr_policy_done(&p);
}

static void test_paths(void)
{
        static const struct {
                const char *namespaces, *message; /* NULL: allowed */
        } cases[] = {
            {"{\"type\":\"network\",\"path\":\"/proc/1/ns/net\"}",
             "the container joins the host's network namespace through /proc/1/ns/net, so it "
             "shares it (docker run --network host, hostNetwork: true)" REMEDY},
            {"{\"type\":\"network\",\"path\":\"/run/netns/host\"}",
             "the container joins the host's network namespace through /run/netns/host, so it "
             "shares it (docker run --network host, hostNetwork: true)" REMEDY},
            {"{\"type\":\"pid\",\"path\":\"/proc/1/ns/pid\"}",
             "the container joins the host's pid namespace through /proc/1/ns/pid, so it shares "
             "it (docker run --pid host, hostPID: true)" REMEDY},
            {"{\"type\":\"mount\",\"path\":\"/proc/1/ns/mnt\"}",
             "the container joins the host's mount namespace through /proc/1/ns/mnt, so it "
             "shares it (a config without a mount namespace)" REMEDY},
            /* the pid namespace path compared with the network's: not the host's pid */
            {"{\"type\":\"pid\",\"path\":\"/proc/1/ns/net\"}", NULL},
            {"{\"type\":\"network\",\"path\":\"/proc/11776/ns/net\"}", NULL},
            {"{\"type\":\"network\",\"path\":\"/run/netns/other-dev\"}", NULL},
            {"{\"type\":\"network\",\"path\":\"\"}", NULL},
            {"{\"type\":\"network\",\"path\":null}", NULL},
            {"{\"type\":\"network\"}", NULL},
        };
        struct hr_policy p;

        FAKE_PATHS(host);
        level(&p, "restricted");
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                _cleanup_json_ struct hr_json *c = NULL;
                const char *type;
                char buf[512];
                struct hr_report rep;
                struct hr_error err = {0};

                /* the others of their own, and this one as the case has it */
                c = parse(cases[i].namespaces);
                type = hr_json_string(hr_json_get(c, "type"));
                snprintf(buf, sizeof(buf), "{\"linux\":{\"namespaces\":[%s", cases[i].namespaces);
                for (size_t t = 0; t < sizeof(hows) / sizeof(hows[0]); t++)
                        if (strcmp(hows[t].type, type) != 0)
                                snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
                                         ",{\"type\":\"%s\"}", hows[t].type);
                snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "]}}");
                hr_json_free(c);
                c = parse(buf);
                is_int(run_knob("namespaces", c, &p, &rep, &err), 0, "%s (%s)", cases[i].namespaces,
                       err.msg);
                is_int(rep.n_violations, cases[i].message ? 1 : 0, "violations for %s",
                       cases[i].namespaces);
                if (cases[i].message && rep.n_violations == 1)
                        is_str(rep.violations[0].message, cases[i].message, "message for %s",
                               cases[i].namespaces);
                is_int(rep.n_changes, 0, "never a change");
                hr_report_done(&rep);
        }
        hr_policy_done(&p);
}

static void test_errors(void)
{
        static const struct {
                const char *config, *error;
        } cases[] = {
            {"{\"linux\":{\"namespaces\":[{\"type\":\"network\",\"path\":\"/proc/999/ns/net\"}]}}",
             "linux.namespaces: cannot look at the network namespace path /proc/999/ns/net: No "
             "such file or directory"},
            {"{\"linux\":{\"namespaces\":[{\"type\":\"pid\",\"path\":\"/proc/4242/ns/pid\"}]}}",
             "cannot look at the pid namespace path /proc/4242/ns/pid: Permission denied"},
            {"{\"linux\":{\"namespaces\":{}}}", "linux.namespaces must be an array, not object"},
            {"{\"linux\":{\"namespaces\":[\"pid\"]}}",
             "linux.namespaces[0] must be an object, not string"},
            {"{\"linux\":{\"namespaces\":[{\"type\":1}]}}",
             "linux.namespaces[0].type must be a string, not number"},
            {"{\"linux\":{\"namespaces\":[{\"type\":\"pid\",\"path\":true}]}}",
             "linux.namespaces[0].path must be a string, not boolean"},
            {"{\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"pid\"}]}}",
             "linux.namespaces has the type pid more than once"},
            {"{\"linux\":{\"namespaces\":[{\"type\":\"pid\",\"Path\":\"/proc/1/ns/pid\"}]}}",
             "the key \"Path\" is read by runc as \"path\""},
            {"{\"linux\":{\"Namespaces\":[]}}",
             "the key \"Namespaces\" is read by runc as \"namespaces\""},
            {"{\"linux\":7}", "linux must be an object, not number"},
        };
        struct hr_policy p;

        FAKE_PATHS(host);
        level(&p, "restricted");
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                _cleanup_json_ struct hr_json *c = parse(cases[i].config);
                struct hr_report rep;
                struct hr_error err = {0};

                ok(run_knob("namespaces", c, &p, &rep, &err) < 0, "error: %s", cases[i].config);
                ok(strstr(err.msg, cases[i].error) != NULL, "message has \"%s\" (%s)",
                   cases[i].error, err.msg);
                hr_report_done(&rep);
        }
        hr_policy_done(&p);
}

/* pid 1's namespace, hardrun's own, or neither, as the host lets hardrun see them. */
static void test_own(void)
{
        /* hardrun in a network namespace of its own (4, 2); pid 1 in (4, 1) */
        static const struct fake_path apart[] = {
            {"/proc/1/ns/net", NULL, NSFS, 1},     {"/proc/self/ns/net", NULL, NSFS, 2},
            {"/run/netns/pid1", NULL, NSFS, 1},    {"/run/netns/self", NULL, NSFS, 2},
            {"/run/netns/sibling", NULL, NSFS, 3},
        };
        /* pid 1 out of reach (EACCES, as on a host where hardrun lacks one of its caps) */
        static const struct fake_path hidden[] = {
            {"/proc/1/ns/net", NULL, NSFS, 1, EACCES}, {"/proc/self/ns/net", NULL, NSFS, 2},
            {"/run/netns/self", NULL, NSFS, 2},        {"/run/netns/sibling", NULL, NSFS, 3},
            {"/proc/1/ns/pid", NULL, NSFS, 1, EACCES},
        };
        static const struct fake_path blind[] = {
            {"/run/netns/sibling", NULL, NSFS, 3},
            {"/proc/1/ns/pid", NULL, NSFS, 1, EACCES},
        };
        static const struct {
                const struct fake_path *host;
                size_t n;
                const char *type, *path, *error; /* error NULL: violations */
                size_t violations;
        } cases[] = {
            {apart, 5, "network", "/run/netns/pid1", NULL, 1},
            {apart, 5, "network", "/run/netns/self", NULL, 1},
            {apart, 5, "network", "/run/netns/sibling", NULL, 0},
            {hidden, 5, "network", "/run/netns/self", NULL, 1},
            {hidden, 5, "network", "/run/netns/sibling", NULL, 0},
            {hidden, 5, "network", "/proc/1/ns/net",
             "linux.namespaces: cannot look at the network namespace path /proc/1/ns/net: "
             "Permission denied",
             0},
            {blind, 2, "network", "/run/netns/sibling",
             "cannot look at the host's network namespace (/proc/1/ns/net): No such file or "
             "directory",
             0},
            {blind, 2, "pid", "/run/netns/sibling",
             "cannot look at the host's pid namespace (/proc/self/ns/pid): No such file or "
             "directory",
             0},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                _cleanup_json_ struct hr_json *c = NULL;
                char buf[256];
                struct hr_policy p;
                struct hr_report rep;
                struct hr_error err = {0};
                int r;

                fake_paths = cases[i].host;
                n_fake_paths = cases[i].n;
                snprintf(buf, sizeof(buf),
                         "{\"linux\":{\"namespaces\":[{\"type\":\"%s\",\"path\":\"%s\"}]}}",
                         cases[i].type, cases[i].path);
                c = parse(buf);
                level(&p, "restricted");
                snprintf(buf, sizeof(buf), "[\"%s\"]", cases[i].type);
                configure_knob(&p, "namespaces", buf, &err);
                r = run_knob("namespaces", c, &p, &rep, &err);
                if (cases[i].error) {
                        ok(r < 0, "case %zu: %s %s is an error", i, cases[i].type, cases[i].path);
                        is_str(err.msg, cases[i].error, "message");
                } else {
                        is_int(r, 0, "case %zu: %s %s (%s)", i, cases[i].type, cases[i].path,
                               err.msg);
                        is_int(rep.n_violations, cases[i].violations, "case %zu: violations", i);
                }
                hr_report_done(&rep);
                hr_policy_done(&p);
        }
}

static void test_policy(void)
{
        static const struct {
                const char *value, *config;
                size_t violations;
                const char *error; /* of configure */
        } cases[] = {
            {"[]", "{}", 0, NULL},
            {"[\"network\"]", "{\"linux\":{\"namespaces\":[{\"type\":\"pid\"}]}}", 1, NULL},
            {"\"pid\"", "{\"linux\":{\"namespaces\":[{\"type\":\"pid\"}]}}", 0, NULL},
            {"[\"user\",\"cgroup\"]", "{\"linux\":{\"namespaces\":[{\"type\":\"cgroup\"}]}}", 1,
             NULL},
            {"[\"user\"]",
             "{\"linux\":{\"namespaces\":[{\"type\":\"user\",\"path\":\"/proc/1/ns/user\"}]}}", 1,
             NULL},
            {"[\"net\"]", "{}", 0,
             "knob namespaces: unknown namespace type \"net\" (types: cgroup, ipc, mount, "
             "network, pid, time, user, uts)"},
            {"[1]", "{}", 0, "knob namespaces must be a string or a list of strings"},
        };

        FAKE_PATHS(host);
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                _cleanup_json_ struct hr_json *c = parse(cases[i].config);
                struct hr_policy p;
                struct hr_report rep;
                struct hr_error err = {0};
                int r;

                level(&p, "restricted");
                r = configure_knob(&p, "namespaces", cases[i].value, &err);
                if (cases[i].error) {
                        ok(r < 0, "refused: %s", cases[i].value);
                        ok(strstr(err.msg, cases[i].error) != NULL, "message has \"%s\" (%s)",
                           cases[i].error, err.msg);
                        is_int(p.namespaces.n, 5, "the level's list is kept");
                } else {
                        is_int(r, 0, "policy %s", cases[i].value);
                        is_int(run_knob("namespaces", c, &p, &rep, &err), 0, "%s under %s",
                               cases[i].config, cases[i].value);
                        is_int(rep.n_violations, cases[i].violations, "violations: %s under %s",
                               cases[i].config, cases[i].value);
                        hr_report_done(&rep);
                }
                hr_policy_done(&p);
        }
}

/* No linux.namespaces at all: every listed one is the host's. */
static void test_none(void)
{
        _cleanup_json_ struct hr_json *c = parse("{\"process\":{}}");
        struct hr_policy p;
        struct hr_report rep;
        struct hr_error err = {0};

        FAKE_PATHS(host);
        level(&p, "restricted");
        is_int(run_knob("namespaces", c, &p, &rep, &err), 0, "no linux");
        is_int(rep.n_violations, 5, "five host namespaces");
        if (rep.n_violations == 5) {
                is_str(rep.violations[0].path, "linux.namespaces[type=ipc]", "in the policy order");
                is_str(rep.violations[4].path, "linux.namespaces[type=uts]", "to the last");
        }
        is_str(text(c), "{\"process\":{}}", "config unchanged");
        hr_report_done(&rep);
        hr_policy_done(&p);
}

/* On the real host, hardrun's own network namespace is the host's. */
static void test_real_host(void)
{
        _cleanup_json_ struct hr_json *c = parse(
            "{\"linux\":{\"namespaces\":[{\"type\":\"network\",\"path\":\"/proc/self/ns/net\"}]}}");
        struct hr_policy p;
        struct hr_report rep;
        struct hr_error err = {0};

        level(&p, "restricted");
        p.host = &hr_host_real;
        configure_knob(&p, "namespaces", "[\"network\"]", &err);
        is_int(run_knob("namespaces", c, &p, &rep, &err), 0, "real host (%s)", err.msg);
        is_int(rep.n_violations, 1, "real host: /proc/self/ns/net is the host's");
        hr_report_done(&rep);
        hr_policy_done(&p);
}

int main(void)
{
        test_real_configs();
        test_paths();
        test_errors();
        test_own();
        test_policy();
        test_none();
        test_real_host();
        return tap_done();
}
