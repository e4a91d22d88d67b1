/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * verify, the process knobs (user, capabilities, no_new_privileges,
 * annotations, lsm) and seccomp: a compliant config passes, and each crafted
 * non-compliance gives exactly one violation, with its knob, path and what
 * the message says.  Disabled knobs are not checked; the knob list is the
 * policy's.
 */
#include "harden/harden.h"
#include "verify-cases.h"

/* Policy tweaks. */
static void lsm_required(struct hr_policy *p)
{
        p->lsm.mode = HR_LSM_REQUIRED;
}
static void with_apparmor(struct hr_policy *p)
{
        p->host = &fixture_apparmor_host;
}
static void required_apparmor(struct hr_policy *p)
{
        p->host = &fixture_apparmor_host;
        p->lsm.mode = HR_LSM_REQUIRED;
}
static void with_selinux(struct hr_policy *p)
{
        p->host = &fixture_selinux_host;
}
static void apparmor_unconfined_allowed(struct hr_policy *p)
{
        p->host = &fixture_apparmor_host;
        p->lsm.apparmor_unconfined = true;
}
static void no_apparmor_profiles(struct hr_policy *p)
{
        p->host = &fixture_apparmor_host;
        p->lsm.apparmor_profiles = (struct hr_strv){0};
}

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
    {"docker-default, loaded and allowed, on an AppArmor host",
     {{"process/apparmorProfile", "\"docker-default\""}},
     with_apparmor,
     NULL,
     NULL,
     NULL},
    {"docker-default when the policy allows no other profile",
     {{"process/apparmorProfile", "\"docker-default\""}},
     no_apparmor_profiles,
     "lsm",
     "process.apparmorProfile",
     "neither hardrun-default nor a loaded profile that lsm.apparmor_profiles allows"},
    {"a loaded profile the policy does not allow",
     {{"process/apparmorProfile", "\"custom\""}},
     with_apparmor,
     "lsm",
     "process.apparmorProfile",
     "the AppArmor profile custom is neither"},
    {"an allowed profile that is not loaded",
     {{"process/apparmorProfile", "\"docker-default-x\""}},
     with_apparmor,
     "lsm",
     "process.apparmorProfile",
     "neither"},
    {"unconfined, which the policy allows",
     {{"process/apparmorProfile", "\"unconfined\""}},
     apparmor_unconfined_allowed,
     NULL,
     NULL,
     NULL},
    {"a profile on a host without AppArmor is not checked",
     {{"process/apparmorProfile", "\"custom\""}},
     NULL,
     NULL,
     NULL,
     NULL},
    {"labels with MCS categories on an SELinux host",
     {{"process/selinuxLabel", "\"system_u:system_r:container_t:s0:c1,c2\""},
      {"linux/mountLabel", "\"system_u:object_r:container_file_t:s0:c1,c2\""}},
     with_selinux,
     NULL,
     NULL,
     NULL},
    {"a label without categories on an SELinux host",
     {{"process/selinuxLabel", "\"system_u:system_r:container_t:s0\""},
      {"linux/mountLabel", "\"system_u:object_r:container_file_t:s0\""}},
     with_selinux,
     "lsm",
     "process.selinuxLabel",
     "carries no MCS categories"},
    {"every category, as a range",
     {{"process/selinuxLabel", "\"system_u:system_r:container_t:s0-s0:c0.c1023\""},
      {"linux/mountLabel", "\"system_u:object_r:container_file_t:s0-s0:c0.c1023\""}},
     with_selinux,
     "lsm",
     "process.selinuxLabel",
     "carries no MCS categories"},
    {"a category past c1023",
     {{"process/selinuxLabel", "\"system_u:system_r:container_t:s0:c1,c1024\""},
      {"linux/mountLabel", "\"system_u:object_r:container_file_t:s0:c1,c1024\""}},
     with_selinux,
     "lsm",
     "process.selinuxLabel",
     "carries no MCS categories"},
    {"no mount label on an SELinux host",
     {{"process/selinuxLabel", "\"system_u:system_r:container_t:s0:c1,c2\""}},
     with_selinux,
     "lsm",
     "linux.mountLabel",
     "the mounts get no label"},
    {"a mount label at another level",
     {{"process/selinuxLabel", "\"system_u:system_r:container_t:s0:c1,c2\""},
      {"linux/mountLabel", "\"system_u:object_r:container_file_t:s0:c3,c4\""}},
     with_selinux,
     "lsm",
     "linux.mountLabel",
     "level s0:c3,c4 is not the process's, s0:c1,c2"},
    {"a mount label of a type not allowed",
     {{"linux/mountLabel", "\"system_u:object_r:etc_t:s0\""}},
     NULL,
     "lsm",
     "linux.mountLabel",
     "the SELinux type etc_t is not allowed"},
};

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
        p->masked_globs = (struct hr_strv){0};
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
            {"namespaces",
             off_namespaces,
             {{"linux/namespaces", "[{\"type\":\"mount\"}]"}, {"linux/sysctl", NULL}}},
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
        run_cases(knob_cases, HR_ARRAY_SIZE(knob_cases));
        test_disabled();
        test_knob_names();
        test_seccomp();
        test_everything_wrong();
        return tap_done();
}
