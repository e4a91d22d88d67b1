/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The knob sysctls, over the real configs and edge cases. */
#include "knob-kit.h"

#define PORT "net.ipv4.ip_unprivileged_port_start"
#define PING "net.ipv4.ping_group_range"

/* The host's namespaces, a path that is the host's netns under another name, and a sibling's. */
static const struct kit_stat stats[] = {
    {"/proc/1/ns/net", 4, 4026531840},
    {"/proc/1/ns/ipc", 4, 4026531839},
    {"/proc/1/ns/uts", 4, 4026531838},
    {"/run/netns/host-alias", 4, 4026531840},
    {"/run/netns/pod", 4, 4026532999},
    {"/proc/77/ns/ipc", 4, 4026533000},
    {NULL, 0, 0},
};

static const char *sysctl_text(const struct hr_json *c)
{
        return kit_text(hr_json_get(hr_json_get(c, "linux"), "sysctl"));
}

static void test_real_configs(void)
{
        static const struct {
                const char *name, *sysctl;
                int changes;
        } cases[] = {
            {"runc-spec.json", "{\"" PORT "\":\"0\",\"" PING "\":\"0 2147483647\"}", 2},
            {"docker.json", "{\"" PORT "\":\"0\",\"" PING "\":\"0 2147483647\"}", 0},
            {"docker-readonly.json", "{\"" PORT "\":\"0\",\"" PING "\":\"0 2147483647\"}", 0},
            /* Podman's narrower ping range is kept */
            {"podman.json", "{\"" PING "\":\"0 0\",\"" PORT "\":\"0\"}", 1},
            {"containerd.json", "{\"" PORT "\":\"0\",\"" PING "\":\"0 2147483647\"}", 2},
            /* a pod's network namespace, joined by path: not ours to change */
            {"containerd-cri-container.json", "(absent)", 0},
            {"containerd-cri-sandbox.json", "(absent)", 0},
        };
        struct hr_policy p;

        kit_host_state.stats = stats;
        kit_policy(&p, NULL);
        for (size_t i = 0; i < HR_ARRAY_SIZE(cases); i++) {
                _cleanup_json_ struct hr_json *c = kit_load(cases[i].name);
                struct hr_report rep;
                struct hr_error err;

                is_int(kit_apply("sysctls", c, &p, &rep, &err), 0, "%s: no error (%s)",
                       cases[i].name, err.msg);
                is_str(sysctl_text(c), cases[i].sysctl, "%s: linux.sysctl", cases[i].name);
                is_int(rep.n_changes, cases[i].changes, "%s: changes", cases[i].name);
                is_int(rep.n_violations, 0, "%s: nothing refused", cases[i].name);
                hr_report_done(&rep);
                kit_idempotent("sysctls", c, &p, cases[i].name);
        }
        {
                _cleanup_json_ struct hr_json *c = kit_load("runc-spec.json");
                struct hr_report rep;
                struct hr_error err;

                kit_apply("sysctls", c, &p, &rep, &err);
                is_int(rep.n_changes, 2, "runc spec: two changes");
                if (rep.n_changes == 2) {
                        is_str(rep.changes[0].knob, "sysctls", "knob named");
                        is_str(rep.changes[0].path, "linux.sysctl." PORT, "port path");
                        is_str(rep.changes[0].before, NULL, "port was absent");
                        is_str(rep.changes[0].after, "\"0\"", "port after");
                        is_str(rep.changes[1].path, "linux.sysctl." PING, "ping path");
                        is_str(rep.changes[1].after, "\"0 2147483647\"", "ping after");
                }
                hr_report_done(&rep);
        }
        hr_policy_done(&p);
}

#define NS_PRIVATE_ALL                                                                             \
        "\"namespaces\":[{\"type\":\"network\"},{\"type\":\"ipc\"},{\"type\":\"uts\"}]"

static void test_refusals(void)
{
        static const struct {
                const char *lx;             /* the members of linux */
                const char *path, *message; /* of the one violation, or NULL for none */
                int changes;
        } cases[] = {
            {NS_PRIVATE_ALL ",\"sysctl\":{\"vm.overcommit_memory\":\"1\"}",
             "linux.sysctl.vm.overcommit_memory",
             "sysctl vm.overcommit_memory is not allowed; remove it, or allow it in the policy's "
             "sysctls.allowed",
             2},
            {NS_PRIVATE_ALL ",\"sysctl\":{\"kernel.panic\":\"1\"}", "linux.sysctl.kernel.panic",
             "sysctl kernel.panic is not allowed", 2},
            {NS_PRIVATE_ALL ",\"sysctl\":{\"kernel.domainname\":\"x\"}",
             "linux.sysctl.kernel.domainname", "sysctl kernel.domainname is not allowed", 2},
            {NS_PRIVATE_ALL ",\"sysctl\":{\"net.ipv4.conf.all.forwarding\":\"1\"}",
             "linux.sysctl.net.ipv4.conf.all.forwarding", "is not allowed", 2},
            {NS_PRIVATE_ALL ",\"sysctl\":{\"net.ipv4.ip_forward\":\"1\"}",
             "linux.sysctl.net.ipv4.ip_forward", "is not allowed", 2},
            /* allowed ones, in either spelling */
            {NS_PRIVATE_ALL ",\"sysctl\":{\"kernel/shm_rmid_forced\":\"1\"}", NULL, NULL, 2},
            {NS_PRIVATE_ALL ",\"sysctl\":{\"net/ipv4/ip_local_port_range\":\"1024 2048\"}", NULL,
             NULL, 2},
            {NS_PRIVATE_ALL ",\"sysctl\":{\"fs.mqueue.msg_max\":\"20\",\"kernel.sem\":\"1 2 3 4\"}",
             NULL, NULL, 2},
            /* the slash form of ours counts as set */
            {NS_PRIVATE_ALL ",\"sysctl\":{\"net/ipv4/ip_unprivileged_port_start\":\"1024\"}", NULL,
             NULL, 1},
            /* a namespaced sysctl in a namespace shared with the host */
            {"\"namespaces\":[{\"type\":\"network\"}],\"sysctl\":{\"kernel.shmmax\":\"1\"}",
             "linux.sysctl.kernel.shmmax",
             "sysctl kernel.shmmax belongs to the IPC namespace, which the container shares with "
             "the host, so setting it would change the host; remove it, or give the container "
             "its own IPC namespace",
             2},
            {"\"namespaces\":[{\"type\":\"ipc\"}],\"sysctl\":{\"net.ipv4.tcp_syncookies\":\"1\"}",
             "linux.sysctl.net.ipv4.tcp_syncookies",
             "belongs to the network namespace, which the container shares with the host", 0},
            {"\"namespaces\":[{\"type\":\"network\",\"path\":\"/run/netns/host-alias\"}],"
             "\"sysctl\":{\"net.ipv4.tcp_syncookies\":\"1\"}",
             "linux.sysctl.net.ipv4.tcp_syncookies", "belongs to the network namespace", 0},
            {"\"namespaces\":[{\"type\":\"ipc\",\"path\":\"/proc/1/ns/ipc\"},{\"type\":\"network\"}"
             "],\"sysctl\":{\"fs.mqueue.queues_max\":\"1\"}",
             "linux.sysctl.fs.mqueue.queues_max", "belongs to the IPC namespace", 2},
            /* a sibling's namespaces (a pod) are fine, and get nothing added */
            {"\"namespaces\":[{\"type\":\"network\",\"path\":\"/run/netns/pod\"},"
             "{\"type\":\"ipc\",\"path\":\"/proc/77/ns/ipc\"}],"
             "\"sysctl\":{\"net.ipv4.tcp_syncookies\":\"1\",\"kernel.msgmax\":\"9\"}",
             NULL, NULL, 0},
            /* an empty path is a new namespace, as in runc */
            {"\"namespaces\":[{\"type\":\"network\",\"path\":\"\"}]", NULL, NULL, 2},
            /* no namespaces at all: the host's network, nothing added */
            {"\"sysctl\":{}", NULL, NULL, 0},
        };
        struct hr_policy p;

        kit_host_state.stats = stats;
        kit_policy(&p, NULL);
        for (size_t i = 0; i < HR_ARRAY_SIZE(cases); i++) {
                char text[1024];
                struct hr_json *c;
                struct hr_report rep;
                struct hr_error err;

                snprintf(text, sizeof(text), "{\"linux\":{%s}}", cases[i].lx);
                c = kit_parse(text);
                is_int(kit_apply("sysctls", c, &p, &rep, &err), 0, "%s: no error (%s)", text,
                       err.msg);
                is_int(rep.n_violations, cases[i].path ? 1 : 0, "%s: violations", text);
                if (cases[i].path && rep.n_violations == 1) {
                        is_str(rep.violations[0].knob, "sysctls", "violation knob");
                        is_str(rep.violations[0].path, cases[i].path, "violation path");
                        ok(strstr(rep.violations[0].message, cases[i].message) != NULL,
                           "message has \"%s\" (%s)", cases[i].message, rep.violations[0].message);
                }
                is_int(rep.n_changes, cases[i].changes, "%s: changes", text);
                hr_report_done(&rep);
                kit_idempotent("sysctls", c, &p, text);
                hr_json_free(c);
        }
        hr_policy_done(&p);
}

static void test_refusals_all(void)
{
        _cleanup_json_ struct hr_json *c =
            kit_parse("{\"linux\":{\"sysctl\":{\"a.b\":\"1\",\"net.core.somaxconn\":\"1\","
                      "\"kernel.shmall\":\"1\"}}}");
        struct hr_policy p;
        struct hr_report rep;
        struct hr_error err;

        kit_policy(&p, NULL);
        kit_apply("sysctls", c, &p, &rep, &err);
        is_int(rep.n_violations, 3, "every refused sysctl is reported");
        hr_report_done(&rep);
        hr_policy_done(&p);
}

static void test_policy(void)
{
        static const struct {
                const char *text, *error;
        } bad[] = {
            {"{\"sysctls\": []}", "knob sysctls must be an object"},
            {"{\"sysctls\": {\"allow\": []}}", "unknown knob sysctls.allow"},
            {"{\"sysctls\": {\"unprivileged_net\": 1}}",
             "knob sysctls.unprivileged_net must be true or false"},
            {"{\"sysctls\": {\"allowed\": [\"kernel.sem\", 1]}}",
             "knob sysctls.allowed must be a string or a list"},
            {"{\"sysctls\": {\"allowed\": [\"\"]}}", "must be a non-empty string"},
        };
        struct hr_policy p;

        for (size_t i = 0; i < HR_ARRAY_SIZE(bad); i++) {
                const char *e = kit_policy_error(bad[i].text);

                ok(e && strstr(e, bad[i].error), "policy %s refused: \"%s\" (%s)", bad[i].text,
                   bad[i].error, e ? e : "loaded");
        }
        kit_host_state.stats = stats;

        /* No unprivileged sysctls: nothing added, nothing created. */
        kit_policy(&p, "{\"sysctls\": {\"unprivileged_net\": false}}");
        {
                _cleanup_json_ struct hr_json *c = kit_load("runc-spec.json");
                struct hr_report rep;
                struct hr_error err;

                is_int(kit_apply("sysctls", c, &p, &rep, &err), 0, "unprivileged_net false");
                is_int(rep.n_changes, 0, "unprivileged_net false: no change");
                is_str(sysctl_text(c), "(absent)", "unprivileged_net false: no linux.sysctl");
                hr_report_done(&rep);
        }
        hr_policy_done(&p);

        /*
         * An allowed list without the ping range: it is not added, and a
         * config that sets it is refused.  Slash spellings in the policy
         * are normalised, and a slash inside a dotted name is a dot of the
         * slash form (eth0.100).
         */
        kit_policy(&p, "{\"sysctls\": {\"allowed\": [\"" PORT "\", \"kernel/*\","
                       " \"net/ipv4/conf/eth0.100/rp_filter\"]}}");
        is_str(p.sysctls.allowed.n == 3 ? p.sysctls.allowed.v[2] : NULL,
               "net.ipv4.conf.eth0/100.rp_filter", "a slash-separated glob is normalised");
        {
                _cleanup_json_ struct hr_json *c =
                    kit_parse("{\"linux\":{\"namespaces\":[{\"type\":\"network\"}],\"sysctl\":{"
                              "\"" PING "\":\"0 0\",\"kernel.panic\":\"1\","
                              "\"net.ipv4.conf.eth0/100.rp_filter\":\"1\","
                              "\"net.ipv4.conf.eth0.100.rp_filter\":\"1\"}}}");
                struct hr_report rep;
                struct hr_error err;

                is_int(kit_apply("sysctls", c, &p, &rep, &err), 0, "custom allowed list");
                is_int(rep.n_violations, 2, "ping range and eth0.100 in dotted form refused");
                is_str(rep.n_violations > 0 ? rep.violations[0].path : NULL, "linux.sysctl." PING,
                       "the ping range is refused");
                is_str(rep.n_violations > 1 ? rep.violations[1].path : NULL,
                       "linux.sysctl.net.ipv4.conf.eth0.100.rp_filter",
                       "net.ipv4.conf.eth0.100.rp_filter is another name");
                is_int(rep.n_changes, 1, "only the port sysctl is added");
                hr_report_done(&rep);
        }
        hr_policy_done(&p);
}

static void test_malformed(void)
{
        static const struct {
                const char *config, *error;
        } cases[] = {
            {"{\"linux\":{\"sysctl\":[]}}", "linux.sysctl must be an object, not array"},
            {"{\"linux\":{\"sysctl\":{\"kernel.sem\":1}}}",
             "linux.sysctl.kernel.sem must be a string, not number"},
            {"{\"linux\":{\"sysctl\":{\"kernel.sem\":null}}}", "must be a string, not null"},
            {"{\"linux\":{\"Sysctl\":{}}}", "the key \"Sysctl\" is read by runc as \"sysctl\""},
            {"{\"linux\":{\"namespaces\":{}}}", "linux.namespaces must be an array, not object"},
            {"{\"linux\":{\"namespaces\":[{\"path\":\"/x\"}]}}",
             "linux.namespaces[0] must be an object with a string type"},
            {"{\"linux\":{\"namespaces\":[\"network\"]}}", "linux.namespaces[0] must be an object"},
            {"{\"linux\":{\"namespaces\":[{\"type\":\"network\",\"path\":3}]}}",
             "linux.namespaces[0] must be"},
            {"{\"linux\":{\"namespaces\":[{\"Type\":\"network\"}]}}",
             "the key \"Type\" is read by runc as \"type\""},
            {"{\"linux\":\"x\"}", "linux must be an object, not string"},
        };
        struct hr_policy p;

        kit_policy(&p, NULL);
        for (size_t i = 0; i < HR_ARRAY_SIZE(cases); i++) {
                _cleanup_json_ struct hr_json *c = kit_parse(cases[i].config);
                struct hr_report rep;
                struct hr_error err;

                ok(kit_apply("sysctls", c, &p, &rep, &err) < 0, "refused: %s", cases[i].config);
                ok(strstr(err.msg, cases[i].error) != NULL, "message has \"%s\" (%s)",
                   cases[i].error, err.msg);
                hr_report_done(&rep);
        }
        hr_policy_done(&p);
}

static void test_levels(void)
{
        static const char *const safe[] = {
            "kernel.shm_rmid_forced",
            "net.ipv4.ip_local_port_range",
            "net.ipv4.ip_unprivileged_port_start",
            "net.ipv4.tcp_syncookies",
            "net.ipv4.ping_group_range",
            "net.ipv4.ip_local_reserved_ports",
            "net.ipv4.tcp_keepalive_time",
            "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl",
            "net.ipv4.tcp_keepalive_probes",
            "net.ipv4.tcp_rmem",
            "net.ipv4.tcp_wmem",
            "kernel.msgmax",
            "kernel.msgmnb",
            "kernel.msgmni",
            "kernel.sem",
            "kernel.shmall",
            "kernel.shmmax",
            "kernel.shmmni",
            "fs.mqueue.msg_max",
        };
        static const char *const levels[] = {"{\"level\":\"restricted\"}",
                                             "{\"level\":\"baseline\"}"};

        for (size_t l = 0; l < HR_ARRAY_SIZE(levels); l++) {
                struct hr_policy p;
                char text[4096] = "{\"linux\":{\"namespaces\":[{\"type\":\"network\"},"
                                  "{\"type\":\"ipc\"}],\"sysctl\":{";
                struct hr_json *c;
                struct hr_report rep;
                struct hr_error err;

                kit_policy(&p, levels[l]);
                ok(p.sysctls.unprivileged_net, "%s: unprivileged_net", levels[l]);
                for (size_t i = 1; i < p.sysctls.allowed.n; i++)
                        ok(strcmp(p.sysctls.allowed.v[i - 1], p.sysctls.allowed.v[i]) < 0,
                           "%s: allowed list sorted and unique at %s", levels[l],
                           p.sysctls.allowed.v[i]);
                for (size_t i = 0; i < HR_ARRAY_SIZE(safe); i++)
                        snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s\"%s\":\"1\"",
                                 i ? "," : "", safe[i]);
                strcat(text, "}}}");
                c = kit_parse(text);
                is_int(kit_apply("sysctls", c, &p, &rep, &err), 0, "%s: safe set", levels[l]);
                is_int(rep.n_violations, 0, "%s: the Kubernetes safe set and IPC sysctls pass",
                       levels[l]);
                is_int(rep.n_changes, 0, "%s: the config sets both of ours already", levels[l]);
                hr_report_done(&rep);
                hr_json_free(c);
                hr_policy_done(&p);
        }
}

int main(void)
{
        test_real_configs();
        test_refusals();
        test_refusals_all();
        test_policy();
        test_malformed();
        test_levels();
        return tap_done();
}
