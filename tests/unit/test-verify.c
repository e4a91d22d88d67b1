/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * verify, knob by knob: a compliant config passes, and each crafted
 * non-compliance gives exactly one violation, with its knob, path and what
 * the message says.  Disabled knobs are not checked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harden/harden.h"
#include "tap.h"
#include "verify-fixture.h"
#include "verify.h"

/* Compliant with fixture_policy() on the fake host. */
static const char base[] =
    "{\"ociVersion\":\"1.0.2\","
    "\"process\":{\"user\":{\"uid\":65534,\"gid\":65534},\"args\":[\"sh\"],\"cwd\":\"/\","
    " \"capabilities\":{\"bounding\":[\"CAP_NET_BIND_SERVICE\"],"
    "  \"effective\":[\"CAP_NET_BIND_SERVICE\"],\"permitted\":[\"CAP_NET_BIND_SERVICE\"],"
    "  \"inheritable\":[],\"ambient\":[]},"
    " \"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":1024},"
    "  {\"type\":\"RLIMIT_CORE\",\"hard\":0,\"soft\":0}],"
    " \"noNewPrivileges\":true},"
    "\"root\":{\"path\":\"rootfs\",\"readonly\":true},"
    "\"mounts\":["
    " {\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"
    " {\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":\"sysfs\","
    "  \"options\":[\"nosuid\",\"noexec\",\"nodev\",\"ro\"]},"
    " {\"destination\":\"/sys/fs/cgroup\",\"type\":\"cgroup\",\"source\":\"cgroup\","
    "  \"options\":[\"nosuid\",\"noexec\",\"nodev\",\"relatime\",\"ro\"]},"
    " {\"destination\":\"/etc/hosts\",\"type\":\"bind\",\"source\":\"/var/lib/ctr/hosts\","
    "  \"options\":[\"rbind\",\"nosuid\",\"nodev\",\"ro\"]},"
    " {\"destination\":\"/tmp\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
    "  \"options\":[\"nosuid\",\"nodev\",\"mode=1777\"]},"
    " {\"destination\":\"/var/tmp\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"},"
    " {\"destination\":\"/run\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"},"
    " {\"destination\":\"/var/log\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"},"
    " {\"destination\":\"/var/cache\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"}],"
    "\"annotations\":{\"io.kubernetes.pod.namespace\":\"default\"},"
    "\"linux\":{"
    " \"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\"},{\"type\":\"ipc\"},"
    "  {\"type\":\"uts\"},{\"type\":\"mount\"}],"
    " \"maskedPaths\":[\"/proc/acpi\",\"/proc/asound\",\"/proc/interrupts\",\"/proc/kcore\","
    "  \"/proc/keys\",\"/proc/latency_stats\",\"/proc/sched_debug\",\"/proc/scsi\","
    "  \"/proc/timer_list\",\"/proc/timer_stats\",\"/sys/dev/block\","
    "  \"/sys/devices/virtual/powercap\",\"/sys/firmware\",\"/sys/fs/selinux\","
    "  \"/sys/devices/system/cpu/cpu0/thermal_throttle\","
    "  \"/sys/devices/system/cpu/cpu1/thermal_throttle\"],"
    " \"readonlyPaths\":[\"/proc/bus\",\"/proc/fs\",\"/proc/irq\",\"/proc/sys\","
    "  \"/proc/sysrq-trigger\"],"
    " \"rootfsPropagation\":\"private\","
    " \"sysctl\":{\"net.ipv4.ip_unprivileged_port_start\":\"0\","
    "  \"net.ipv4.ping_group_range\":\"0 2147483647\"},"
    " \"resources\":{\"pids\":{\"limit\":2048},\"devices\":[{\"allow\":false,\"access\":\"rwm\"}]},"
    " \"devices\":[{\"path\":\"/dev/null\",\"type\":\"c\",\"major\":1,\"minor\":3}]}}";

#define ALL_CAPS "[\"CAP_SYS_ADMIN\",\"CAP_NET_RAW\",\"CAP_NET_BIND_SERVICE\"]"

/* Policy tweaks. */
static void memory_1g(struct hr_policy *p)
{
        p->limits.memory = 1073741824;
}
static void cpu_half(struct hr_policy *p)
{
        p->limits.cpu_millis = 500;
}
static void lsm_required(struct hr_policy *p)
{
        p->lsm.mode = HR_LSM_REQUIRED;
}
static bool yes(void)
{
        return true;
}
static const struct hr_host apparmor_host = {
    .stat = fixture_stat,
    .realpath = fixture_realpath,
    .glob = fixture_glob,
    .apparmor_enabled = yes,
    .selinux_enabled = fixture_no,
};
static const struct hr_host selinux_host = {
    .stat = fixture_stat,
    .realpath = fixture_realpath,
    .glob = fixture_glob,
    .apparmor_enabled = fixture_no,
    .selinux_enabled = yes,
};
static void with_apparmor(struct hr_policy *p)
{
        p->host = &apparmor_host;
}
static void required_apparmor(struct hr_policy *p)
{
        p->host = &apparmor_host;
        p->lsm.mode = HR_LSM_REQUIRED;
}
static void with_selinux(struct hr_policy *p)
{
        p->host = &selinux_host;
}
static void nofile_uncapped(struct hr_policy *p)
{
        p->limits.nofile_soft = p->limits.nofile_hard = HR_LIMIT_UNSET;
        p->limits.core = HR_LIMIT_UNSET;
}

struct vcase {
        const char *what;
        const char *edits[4][2]; /* path, JSON value (NULL removes) */
        void (*tweak)(struct hr_policy *p);
        const char *knob, *path, *msg; /* the one violation expected; knob NULL: none */
};

static const struct vcase knob_cases[] = {
    {"the base config", {{0}}, NULL, NULL, NULL, NULL},
    /* user */
    {"uid 0", {{"process/user/uid", "0"}}, NULL, "user", "process.user.uid", "runs as root"},
    {"no user at all", {{"process/user", NULL}}, NULL, "user", "process.user.uid", "uid 0"},
    {"a uid that is a string",
     {{"process/user/uid", "\"0\""}},
     NULL,
     "user",
     "process.user.uid",
     "not a number"},
    {"a non-root user in root's group",
     {{"process/user/additionalGids", "[10,0]"}},
     NULL,
     "user",
     "process.user.additionalGids",
     "gid 0"},
    {"root mapped to host uid 100000",
     {{"process/user", "{\"uid\":0,\"gid\":0,\"additionalGids\":[0]}"},
      {"linux/namespaces/+", "{\"type\":\"user\"}"},
      {"linux/uidMappings", "[{\"containerID\":0,\"hostID\":100000,\"size\":65536}]"}},
     NULL,
     NULL,
     NULL,
     NULL},
    {"root mapped to host root",
     {{"process/user/uid", "0"},
      {"linux/namespaces/+", "{\"type\":\"user\"}"},
      {"linux/uidMappings", "[{\"containerID\":0,\"hostID\":0,\"size\":65536}]"}},
     NULL,
     "user",
     "process.user.uid",
     "runs as root"},
    {"uid mappings without a user namespace",
     {{"process/user/uid", "0"},
      {"linux/uidMappings", "[{\"containerID\":0,\"hostID\":100000,\"size\":1}]"}},
     NULL,
     "user",
     "process.user.uid",
     "runs as root"},
    {"a joined user namespace, whose map hardrun cannot see",
     {{"process/user/uid", "0"},
      {"linux/namespaces/+", "{\"type\":\"user\",\"path\":\"/proc/77/ns/user\"}"},
      {"linux/uidMappings", "[{\"containerID\":0,\"hostID\":100000,\"size\":1}]"}},
     NULL,
     "user",
     "process.user.uid",
     "runs as root"},
    /* capabilities */
    {"CAP_SYS_ADMIN in bounding",
     {{"process/capabilities/bounding/+", "\"CAP_SYS_ADMIN\""}},
     NULL,
     "capabilities",
     "process.capabilities.bounding",
     "CAP_SYS_ADMIN is not in the allowed set"},
    {"two caps in effective",
     {{"process/capabilities/effective", ALL_CAPS}},
     NULL,
     "capabilities",
     "process.capabilities.effective",
     "CAP_SYS_ADMIN, CAP_NET_RAW are not in the allowed set"},
    {"an unknown cap",
     {{"process/capabilities/permitted", "[\"CAP_BOGUS\"]"}},
     NULL,
     "capabilities",
     "process.capabilities.permitted",
     "unknown CAP_BOGUS"},
    {"an allowed cap in ambient",
     {{"process/capabilities/ambient", "[\"CAP_NET_BIND_SERVICE\"]"}},
     NULL,
     "capabilities",
     "process.capabilities.ambient",
     "must be empty"},
    {"inheritable caps",
     {{"process/capabilities/inheritable", ALL_CAPS}},
     NULL,
     "capabilities",
     "process.capabilities.inheritable",
     "holds 3 capabilities"},
    {"a set that is a string",
     {{"process/capabilities/permitted", "\"CAP_SYS_ADMIN\""}},
     NULL,
     "capabilities",
     "process.capabilities.permitted",
     "not a list"},
    {"lower-case and prefixed names",
     {{"process/capabilities/bounding", "[\"net_bind_service\",\"cap_net_bind_service\"]"}},
     NULL,
     NULL,
     NULL,
     NULL},
    {"no capabilities object (the runtime gives none)",
     {{"process/capabilities", NULL}},
     NULL,
     NULL,
     NULL,
     NULL},
    /* no_new_privileges */
    {"nnp false",
     {{"process/noNewPrivileges", "false"}},
     NULL,
     "no_new_privileges",
     "process.noNewPrivileges",
     "set process.noNewPrivileges to true"},
    {"nnp absent",
     {{"process/noNewPrivileges", NULL}},
     NULL,
     "no_new_privileges",
     "process.noNewPrivileges",
     "not set"},
    {"nnp a string",
     {{"process/noNewPrivileges", "\"true\""}},
     NULL,
     "no_new_privileges",
     "process.noNewPrivileges",
     "not set"},
    /* readonly_rootfs */
    {"rw root", {{"root/readonly", "false"}}, NULL, "readonly_rootfs", "root.readonly", "writable"},
    {"no tmpfs on /var/log",
     {{"mounts/7", NULL}},
     NULL,
     "readonly_rootfs",
     "mounts[destination=/var/log]",
     "nothing is mounted on /var/log"},
    {"a bind mount on an unclean /var/log/ counts",
     {{"mounts/7", "{\"destination\":\"var//log/.\",\"type\":\"bind\",\"source\":\"/srv/log\","
                   "\"options\":[\"rbind\",\"nosuid\",\"nodev\"]}"}},
     NULL,
     NULL,
     NULL,
     NULL},
    {"/run/lock is not /run",
     {{"mounts/6/destination", "\"/run/lock\""}},
     NULL,
     "readonly_rootfs",
     "mounts[destination=/run]",
     "mount a tmpfs there"},
    /* masked_paths and readonly_paths */
    {"/proc/kcore not masked",
     {{"linux/maskedPaths/3", NULL}},
     NULL,
     "masked_paths",
     "linux.maskedPaths",
     "/proc/kcore is not masked"},
    {"a thermal_throttle not masked",
     {{"linux/maskedPaths/15", NULL}},
     NULL,
     "masked_paths",
     "linux.maskedPaths",
     "cpu1/thermal_throttle is not masked"},
    {"masked paths written unclean",
     {{"linux/maskedPaths/3", "\"/proc//kcore/\""}},
     NULL,
     NULL,
     NULL,
     NULL},
    {"/proc/sys not read-only",
     {{"linux/readonlyPaths/3", NULL}},
     NULL,
     "readonly_paths",
     "linux.readonlyPaths",
     "/proc/sys is not read-only"},
    {"readonlyPaths an object",
     {{"linux/readonlyPaths", "{}"}},
     NULL,
     "readonly_paths",
     "linux.readonlyPaths",
     "not a list"},
    /* mounts */
    {"a bind mount without nosuid,nodev",
     {{"mounts/3/options", "[\"rbind\"]"}},
     NULL,
     "mounts",
     "mounts[destination=/etc/hosts]",
     "add nosuid,nodev"},
    {"a bind mount whose suid comes last",
     {{"mounts/3/options/+", "\"suid\""}},
     NULL,
     "mounts",
     "mounts[destination=/etc/hosts]",
     "allows setuid files; add nosuid"},
    {"a bind by option with dev",
     {{"mounts/3", "{\"destination\":\"/data\",\"type\":\"none\",\"source\":\"/srv\","
                   "\"options\":[\"bind\",\"nosuid\",\"dev\"]}"}},
     NULL,
     "mounts",
     "mounts[destination=/data]",
     "allows devices; add nodev"},
    {"nosuid after suid wins",
     {{"mounts/3/options", "[\"rbind\",\"suid\",\"dev\",\"nosuid\",\"nodev\"]"}},
     NULL,
     NULL,
     NULL,
     NULL},
    {"rw /sys",
     {{"mounts/1/options/+", "\"rw\""}},
     NULL,
     "mounts",
     "mounts[destination=/sys]",
     "/sys is mounted read-write"},
    {"a cgroup mount without ro",
     {{"mounts/2/options", "[\"nosuid\"]"}},
     NULL,
     "mounts",
     "mounts[destination=/sys/fs/cgroup]",
     "add ro"},
    {"shared propagation",
     {{"linux/rootfsPropagation", "\"rshared\""}},
     NULL,
     "mounts",
     "linux.rootfsPropagation",
     "\"rshared\"; set it to private"},
    {"no propagation (runc's rslave)",
     {{"linux/rootfsPropagation", NULL}},
     NULL,
     "mounts",
     "linux.rootfsPropagation",
     "rslave"},
    {"rprivate propagation", {{"linux/rootfsPropagation", "\"rprivate\""}}, NULL, NULL, NULL, NULL},
    /* sensitive_mounts */
    {"docker.sock",
     {{"mounts/+", "{\"destination\":\"/var/run/docker.sock\",\"type\":\"bind\","
                   "\"source\":\"/var/run/docker.sock\",\"options\":[\"rbind\",\"nosuid\","
                   "\"nodev\"]}"}},
     NULL,
     "sensitive_mounts",
     "mounts[destination=/var/run/docker.sock]",
     "bind mount of /var/run/docker.sock into the container exposes the host's "
     "/var/run/docker.sock; remove the mount or exempt this container with a rule"},
    {"/var, above /var/run",
     {{"mounts/3/source", "\"/var\""}},
     NULL,
     "sensitive_mounts",
     "mounts[destination=/etc/hosts]",
     "exposes the host's /var/run"},
    {"host /",
     {{"mounts/3/source", "\"/\""}},
     NULL,
     "sensitive_mounts",
     "mounts[destination=/etc/hosts]",
     "exposes the host's /;"},
    {"/etc written unclean",
     {{"mounts/3/source", "\"/srv/../etc/\""}},
     NULL,
     "sensitive_mounts",
     "mounts[destination=/etc/hosts]",
     "bind mount of /etc into"},
    {"a symlink to docker.sock",
     {{"mounts/3/source", "\"/srv/sock-link\""}},
     NULL,
     "sensitive_mounts",
     "mounts[destination=/etc/hosts]",
     "/srv/sock-link (/run/docker.sock)"},
    {"a file under /etc is no ancestor",
     {{"mounts/3/source", "\"/etc/resolv.conf\""}},
     NULL,
     NULL,
     NULL,
     NULL},
    {"/etcetera is not /etc", {{"mounts/3/source", "\"/etcetera\""}}, NULL, NULL, NULL, NULL},
    {"a missing source is judged by its text",
     {{"mounts/3/source", "\"/missing/x\""}},
     NULL,
     NULL,
     NULL,
     NULL},
    {"a tmpfs named /etc is no bind mount",
     {{"mounts/4/source", "\"/etc\""}},
     NULL,
     NULL,
     NULL,
     NULL},
    /* namespaces */
    {"no network namespace",
     {{"linux/namespaces/1", NULL}},
     NULL,
     "namespaces",
     "linux.namespaces",
     "shares the host's network namespace"},
    {"the host's network namespace by path",
     {{"linux/namespaces/1/path", "\"/proc/1/ns/net\""}},
     NULL,
     "namespaces",
     "linux.namespaces[type=network]",
     "/proc/1/ns/net is the host's network namespace"},
    {"the host's network namespace under another name",
     {{"linux/namespaces/1/path", "\"/run/netns/host\""}},
     NULL,
     "namespaces",
     "linux.namespaces[type=network]",
     "/run/netns/host is the host's"},
    {"a namespace that cannot be stat'ed",
     {{"linux/namespaces/0/path", "\"/missing/ns/pid\""}},
     NULL,
     "namespaces",
     "linux.namespaces[type=pid]",
     "cannot stat /missing/ns/pid"},
    {"a pod's network namespace, without the net sysctls",
     {{"linux/namespaces/1/path", "\"/proc/4242/ns/net\""}, {"linux/sysctl", "{}"}},
     NULL,
     NULL,
     NULL,
     NULL},
    /* sysctls */
    {"an unsafe sysctl",
     {{"linux/sysctl/kernel.core_pattern", "\"|/bin/sh\""}},
     NULL,
     "sysctls",
     "linux.sysctl.kernel.core_pattern",
     "outside the safe set"},
    {"an unsafe sysctl with slashes",
     {{"linux/sysctl/kernel.yama.ptrace_scope", "\"0\""}},
     NULL,
     "sysctls",
     "linux.sysctl.kernel.yama.ptrace_scope",
     "kernel.yama.ptrace_scope is outside"},
    {"allowed sysctls, a glob and slashes",
     {{"linux/sysctl", "{\"fs.mqueue.msg_max\":\"100\",\"kernel.sem\":\"1 2 3 4\","
                       "\"net.ipv4.ip_unprivileged_port_start\":\"0\","
                       "\"net.ipv4.ping_group_range\":\"0 0\"}"}},
     NULL,
     NULL,
     NULL,
     NULL},
    {"no unprivileged port sysctl in a private netns",
     {{"linux/sysctl/net.ipv4.ip_unprivileged_port_start", NULL}},
     NULL,
     "sysctls",
     "linux.sysctl.net.ipv4.ip_unprivileged_port_start",
     "set it to \"0\""},
    {"linux.sysctl an array",
     {{"linux/sysctl", "[]"}},
     NULL,
     "sysctls",
     "linux.sysctl",
     "not an object"},
    /* limits */
    {"no pids limit",
     {{"linux/resources/pids", NULL}},
     NULL,
     "limits",
     "linux.resources.pids.limit",
     "no pids limit"},
    {"pids -1",
     {{"linux/resources/pids/limit", "-1"}},
     NULL,
     "limits",
     "linux.resources.pids.limit",
     "-1 means unlimited"},
    {"pids above the cap",
     {{"linux/resources/pids/limit", "4096"}},
     NULL,
     "limits",
     "linux.resources.pids.limit",
     "4096 is above 2048"},
    {"a lower pids limit", {{"linux/resources/pids/limit", "100"}}, NULL, NULL, NULL, NULL},
    {"nofile 1048576",
     {{"process/rlimits/0/soft", "1048576"}, {"process/rlimits/0/hard", "1048576"}},
     NULL,
     "limits",
     "process.rlimits[type=RLIMIT_NOFILE]",
     "RLIMIT_NOFILE is 1048576:1048576, above 1024:524288"},
    {"no nofile",
     {{"process/rlimits/0", NULL}},
     NULL,
     "limits",
     "process.rlimits[type=RLIMIT_NOFILE]",
     "inherits the runtime's"},
    {"core unlimited",
     {{"process/rlimits/1/soft", "18446744073709551615"},
      {"process/rlimits/1/hard", "18446744073709551615"}},
     NULL,
     "limits",
     "process.rlimits[type=RLIMIT_CORE]",
     "above 0:0"},
    {"a soft core limit that is not a number",
     {{"process/rlimits/1/soft", "1.5"}},
     NULL,
     "limits",
     "process.rlimits[type=RLIMIT_CORE]",
     "must be integers"},
    {"no rlimits, uncapped by the policy",
     {{"process/rlimits", NULL}},
     nofile_uncapped,
     NULL,
     NULL,
     NULL},
    {"no memory limit", {{0}}, memory_1g, "limits", "linux.resources.memory.limit", "no memory"},
    {"memory above the cap",
     {{"linux/resources/memory/limit", "2147483648"}},
     memory_1g,
     "limits",
     "linux.resources.memory.limit",
     "above 1073741824"},
    {"memory under the cap",
     {{"linux/resources/memory/limit", "536870912"}},
     memory_1g,
     NULL,
     NULL,
     NULL},
    {"no cpu quota", {{0}}, cpu_half, "limits", "linux.resources.cpu.quota", "no cpu quota"},
    {"a whole cpu",
     {{"linux/resources/cpu", "{\"quota\":100000,\"period\":100000}"}},
     cpu_half,
     "limits",
     "linux.resources.cpu.quota",
     "above 500 thousandths"},
    {"half a cpu", {{"linux/resources/cpu/quota", "50000"}}, cpu_half, NULL, NULL, NULL},
    /* annotations */
    {"the crun seccomp override",
     {{"annotations/run.oci.seccomp_bpf_data", "\"AAAA\""}},
     NULL,
     "annotations",
     "annotations.run.oci.seccomp_bpf_data",
     "the annotation run.oci.seccomp_bpf_data lets the runtime bypass hardening"},
    {"bundle",
     {{"annotations/bundle", "\"/x\""}},
     NULL,
     "annotations",
     "annotations.bundle",
     "remove it"},
    {"run.ocifoo is not run.oci.*", {{"annotations/run.ocifoo", "\"x\""}}, NULL, NULL, NULL, NULL},
    /* devices */
    {"/dev/sda",
     {{"linux/devices/+", "{\"path\":\"/dev/sda\",\"type\":\"b\",\"major\":8,\"minor\":0}"}},
     NULL,
     "devices",
     "linux.devices[path=/dev/sda]",
     "--privileged"},
    {"/dev/sda by way of /dev/pts",
     {{"linux/devices/0/path", "\"/dev/pts/../sda\""}},
     NULL,
     "devices",
     "linux.devices[path=/dev/sda]",
     "/dev/sda is not allowed"},
    {"a glob matches one component only",
     {{"linux/devices/0/path", "\"/dev/pts/x/y\""}},
     NULL,
     "devices",
     "linux.devices[path=/dev/pts/x/y]",
     "not allowed"},
    {"a pts device", {{"linux/devices/0/path", "\"/dev/pts/0\""}}, NULL, NULL, NULL, NULL},
    {"an allow-all device cgroup",
     {{"linux/resources/devices/+", "{\"allow\":true,\"access\":\"rwm\"}"}},
     NULL,
     "devices",
     "linux.resources.devices[1]",
     "allows every device"},
    {"allow-all written with a and -1",
     {{"linux/resources/devices/0",
       "{\"allow\":true,\"type\":\"a\",\"major\":-1,\"minor\":-1,\"access\":\"rwm\"}"}},
     NULL,
     "devices",
     "linux.resources.devices[0]",
     "allows every device"},
    {"every pts device",
     {{"linux/resources/devices/+",
       "{\"allow\":true,\"type\":\"c\",\"major\":136,\"access\":\"rwm\"}"}},
     NULL,
     NULL,
     NULL,
     NULL},
    /* lsm */
    {"spc_t",
     {{"process/selinuxLabel", "\"system_u:system_r:spc_t:s0\""}},
     NULL,
     "lsm",
     "process.selinuxLabel",
     "the SELinux type spc_t is not allowed"},
    {"a label that is no context",
     {{"process/selinuxLabel", "\"spc_t\""}},
     NULL,
     "lsm",
     "process.selinuxLabel",
     "not an SELinux context"},
    {"container_t with categories",
     {{"process/selinuxLabel", "\"system_u:system_r:container_t:s0:c1,c2\""}},
     NULL,
     NULL,
     NULL,
     NULL},
    {"unconfined AppArmor",
     {{"process/apparmorProfile", "\"unconfined\""}},
     NULL,
     "lsm",
     "process.apparmorProfile",
     "unconfined"},
    {"lsm required on a host without one",
     {{0}},
     lsm_required,
     "lsm",
     "process",
     "enforces neither"},
    {"no profile on an AppArmor host",
     {{0}},
     with_apparmor,
     "lsm",
     "process.apparmorProfile",
     "has no profile"},
    {"required, with a profile on an AppArmor host",
     {{"process/apparmorProfile", "\"hardrun-default\""}},
     required_apparmor,
     NULL,
     NULL,
     NULL},
    {"no label on an SELinux host",
     {{0}},
     with_selinux,
     "lsm",
     "process.selinuxLabel",
     "has no label"},
};

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

static void print_report(const struct hr_report *r)
{
        for (size_t i = 0; i < r->n_violations; i++)
                printf("#   violation %s %s: %s\n", r->violations[i].knob, r->violations[i].path,
                       r->violations[i].message);
}

static void run_case(const struct vcase *c)
{
        _cleanup_json_ struct hr_json *config = parse(base);
        struct hr_policy p = fixture_policy();
        struct hr_report rep = {0};
        struct hr_error err = {0};

        for (size_t i = 0; i < 4 && c->edits[i][0]; i++)
                if (fixture_edit(config, c->edits[i][0], c->edits[i][1]) < 0) {
                        printf("# cannot edit %s\n", c->edits[i][0]);
                        abort();
                }
        if (c->tweak)
                c->tweak(&p);
        if (!ok(hr_verify(config, &p, &rep, &err) == 0, "%s: verify runs", c->what)) {
                printf("#   %s\n", err.msg);
                return;
        }
        if (!c->knob) {
                if (!ok(rep.n_violations == 0, "%s: compliant", c->what))
                        print_report(&rep);
        } else if (!ok(rep.n_violations == 1, "%s: exactly one violation", c->what)) {
                print_report(&rep);
        } else {
                const struct hr_violation *v = &rep.violations[0];

                is_str(v->knob, c->knob, "%s: knob", c->what);
                is_str(v->path, c->path, "%s: path", c->what);
                if (c->msg && !ok(strstr(v->message, c->msg) != NULL, "%s: message says \"%s\"",
                                  c->what, c->msg))
                        printf("#   message: %s\n", v->message);
        }
        hr_report_done(&rep);
}

/* Each knob switched off in the policy lets its non-compliance pass. */
static void off_user(struct hr_policy *p)
{
        p->user.allow_root = true;
}
static void off_nnp(struct hr_policy *p)
{
        p->no_new_privileges = false;
}
static void off_rootfs(struct hr_policy *p)
{
        p->readonly_rootfs.enabled = false;
}
static void off_masked(struct hr_policy *p)
{
        p->masked_paths = (struct hr_strv){0};
}
static void off_readonly(struct hr_policy *p)
{
        p->readonly_paths = (struct hr_strv){0};
}
static void off_mounts(struct hr_policy *p)
{
        p->mounts = (struct hr_mounts_policy){0};
}
static void off_sensitive(struct hr_policy *p)
{
        p->sensitive_mounts = (struct hr_strv){0};
}
static void off_namespaces(struct hr_policy *p)
{
        p->namespaces = (struct hr_strv){0};
}
static void off_sysctls(struct hr_policy *p)
{
        p->sysctls = (struct hr_sysctl_policy){0};
}
static void off_limits(struct hr_policy *p)
{
        p->limits = (struct hr_limits_policy){
            .nofile_soft = HR_LIMIT_UNSET, .nofile_hard = HR_LIMIT_UNSET, .core = HR_LIMIT_UNSET};
}
static void off_annotations(struct hr_policy *p)
{
        p->annotations_strip = (struct hr_strv){0};
}
static void off_devices(struct hr_policy *p)
{
        p->devices = (struct hr_strv){0};
}

static void test_disabled(void)
{
        static const struct {
                const char *knob;
                void (*off)(struct hr_policy *p);
                const char *edits[3][2];
        } cases[] = {
            {"user", off_user, {{"process/user/uid", "0"}, {"process/user/additionalGids", "[0]"}}},
            {"no_new_privileges", off_nnp, {{"process/noNewPrivileges", "false"}}},
            {"readonly_rootfs", off_rootfs, {{"root/readonly", "false"}, {"mounts/4", NULL}}},
            {"masked_paths", off_masked, {{"linux/maskedPaths", NULL}}},
            {"readonly_paths", off_readonly, {{"linux/readonlyPaths", NULL}}},
            {"mounts",
             off_mounts,
             {{"mounts/3/options", "[\"rbind\"]"},
              {"mounts/1/options", "[\"rw\"]"},
              {"linux/rootfsPropagation", "\"shared\""}}},
            {"sensitive_mounts", off_sensitive, {{"mounts/3/source", "\"/\""}}},
            {"namespaces", off_namespaces, {{"linux/namespaces", "[{\"type\":\"mount\"}]"}}},
            {"sysctls", off_sysctls, {{"linux/sysctl", "{\"kernel.core_pattern\":\"x\"}"}}},
            {"limits", off_limits, {{"process/rlimits", NULL}, {"linux/resources/pids", NULL}}},
            {"annotations", off_annotations, {{"annotations/bundle", "\"/b\""}}},
            {"devices",
             off_devices,
             {{"linux/devices/0/path", "\"/dev/sda\""},
              {"linux/resources/devices/+", "{\"allow\":true}"}}},
        };

        for (size_t i = 0; i < HR_ARRAY_SIZE(cases); i++) {
                _cleanup_json_ struct hr_json *config = parse(base);
                struct hr_policy p = fixture_policy();
                struct hr_report rep = {0};
                struct hr_error err = {0};

                for (size_t j = 0; j < 3 && cases[i].edits[j][0]; j++)
                        if (fixture_edit(config, cases[i].edits[j][0], cases[i].edits[j][1]) < 0)
                                abort();
                hr_verify(config, &p, &rep, &err);
                ok(rep.n_violations > 0, "%s on: its non-compliance is caught", cases[i].knob);
                hr_report_done(&rep);
                cases[i].off(&p);
                ok(!hr_verify_enabled(&p, cases[i].knob), "%s off: not enabled", cases[i].knob);
                is_int(hr_verify(config, &p, &rep, &err), 0, "%s off: verify runs", cases[i].knob);
                if (!ok(rep.n_violations == 0, "%s off: not checked", cases[i].knob))
                        print_report(&rep);
                hr_report_done(&rep);
        }
}

/* The knob list: every name is a knob of the policy, and each is on in the fixture. */
static void test_knob_names(void)
{
        struct hr_policy p = fixture_policy(), zero = {0};
        _cleanup_json_ struct hr_json *config = parse(base);
        struct hr_report rep = {0};
        struct hr_error err = {0};
        size_t n = 0;

        for (const char *name; (name = hr_verify_knob_name(n)); n++) {
                ok(hr_knob_find(name) != NULL, "verify's knob %s is a policy knob", name);
                ok(hr_verify_enabled(&p, name), "%s is on in the fixture policy", name);
        }
        is_int(n, 14, "verify checks the 14 knobs of DESIGN 3.3 other than seccomp");
        ok(hr_verify_enabled(&zero, "capabilities") && hr_verify_enabled(&zero, "lsm"),
           "capabilities and lsm are always checked");
        ok(!hr_verify_enabled(&p, "seccomp") && !hr_verify_enabled(&p, "nonsense"),
           "seccomp is apart; an unknown name is not enabled");
        ok(hr_verify_knob(config, &p, "nonsense", &rep, &err) < 0 &&
               strstr(err.msg, "no knob \"nonsense\""),
           "hr_verify_knob refuses an unknown name (%s)", err.msg);
        fixture_edit(config, "process/noNewPrivileges", "false");
        fixture_edit(config, "root/readonly", "false");
        is_int(hr_verify_knob(config, &p, "readonly_rootfs", &rep, &err), 0, "one knob runs");
        ok(rep.n_violations == 1 && strcmp(rep.violations[0].knob, "readonly_rootfs") == 0,
           "hr_verify_knob checks only its knob");
        hr_report_done(&rep);
}

static void test_seccomp(void)
{
        static const struct {
                const char *seccomp, *path, *msg; /* path NULL: compliant */
        } cases[] = {
            {NULL, "linux.seccomp", "no seccomp filter"},
            {"{\"defaultAction\":\"SCMP_ACT_ALLOW\"}", "linux.seccomp.defaultAction",
             "SCMP_ACT_ALLOW lets every other syscall through"},
            {"{\"defaultAction\":\"SCMP_ACT_LOG\"}", "linux.seccomp.defaultAction", "SCMP_ACT_LOG"},
            {"{\"defaultAction\":\"SCMP_ACT_NOTIFY\"}", "linux.seccomp.defaultAction",
             "SCMP_ACT_NOTIFY"},
            {"{\"syscalls\":[]}", "linux.seccomp.defaultAction", "no default action"},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38}", NULL, NULL},
            {"{\"defaultAction\":\"SCMP_ACT_KILL_PROCESS\"}", NULL, NULL},
        };

        for (size_t i = 0; i < HR_ARRAY_SIZE(cases); i++) {
                _cleanup_json_ struct hr_json *config = parse(base);
                struct hr_report rep = {0};
                struct hr_error err = {0};
                const char *what = cases[i].seccomp ? cases[i].seccomp : "no linux.seccomp";

                if (cases[i].seccomp && fixture_edit(config, "linux/seccomp", cases[i].seccomp) < 0)
                        abort();
                is_int(hr_verify_seccomp(config, &rep, &err), 0, "seccomp %s: runs", what);
                if (!cases[i].path) {
                        is_int(rep.n_violations, 0, "seccomp %s: compliant", what);
                } else if (ok(rep.n_violations == 1, "seccomp %s: one violation", what)) {
                        is_str(rep.violations[0].knob, "seccomp", "seccomp %s: knob", what);
                        is_str(rep.violations[0].path, cases[i].path, "seccomp %s: path", what);
                        ok(strstr(rep.violations[0].message, cases[i].msg) != NULL,
                           "seccomp %s: message (%s)", what, rep.violations[0].message);
                }
                hr_report_done(&rep);
        }
}

/* A config wrong everywhere: every knob reports, and nothing else goes wrong. */
static void test_everything_wrong(void)
{
        static const char *const edits[][2] = {
            {"process/user/uid", "0"},
            {"process/capabilities/ambient", ALL_CAPS},
            {"process/noNewPrivileges", "false"},
            {"root/readonly", "false"},
            {"linux/maskedPaths", "[]"},
            {"linux/readonlyPaths", NULL},
            {"linux/rootfsPropagation", "\"shared\""},
            {"mounts/3/source", "\"/var/run/docker.sock\""},
            {"linux/namespaces", "[]"},
            {"linux/sysctl/kernel.core_pattern", "\"x\""},
            {"linux/resources/pids", NULL},
            {"annotations/org.criu.config", "\"x\""},
            {"linux/devices/0/path", "\"/dev/mem\""},
            {"process/apparmorProfile", "\"unconfined\""},
        };
        _cleanup_json_ struct hr_json *config = parse(base);
        struct hr_policy p = fixture_policy();
        struct hr_report rep = {0};
        struct hr_error err = {0};

        for (size_t i = 0; i < HR_ARRAY_SIZE(edits); i++)
                if (fixture_edit(config, edits[i][0], edits[i][1]) < 0)
                        abort();
        is_int(hr_verify(config, &p, &rep, &err), 0, "verify runs over a config wrong everywhere");
        for (size_t k = 0; hr_verify_knob_name(k); k++) {
                const char *name = hr_verify_knob_name(k);
                bool seen = false;

                for (size_t i = 0; i < rep.n_violations; i++)
                        seen |= strcmp(rep.violations[i].knob, name) == 0;
                ok(seen, "a config wrong everywhere violates %s", name);
        }
        hr_report_done(&rep);
}

int main(void)
{
        for (size_t i = 0; i < HR_ARRAY_SIZE(knob_cases); i++)
                run_case(&knob_cases[i]);
        test_disabled();
        test_knob_names();
        test_seccomp();
        test_everything_wrong();
        return tap_done();
}
