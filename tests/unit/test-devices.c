/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The devices knob: no device beyond the standard set, no allow-all device cgroup. */
#include "knob-test.h"

#define PRIVILEGED                                                                                 \
        "privileged containers are not allowed: drop --privileged and add only the devices you "   \
        "need with --device"

/* The engines' own configs pass; Docker --privileged is refused as such. */
static void test_real_configs(void)
{
        struct hr_policy p;

        level(&p, "restricted");
        for (size_t i = 0; i < sizeof(real_configs) / sizeof(real_configs[0]); i++) {
                _cleanup_json_ struct hr_json *c = load(real_configs[i]);
                _cleanup_json_ struct hr_json *orig = load(real_configs[i]);
                bool privileged = strcmp(real_configs[i], "docker-privileged.json") == 0;
                struct hr_report rep;
                struct hr_error err = {0};

                is_int(run_knob("devices", c, &p, &rep, &err), 0, "%s (%s)", real_configs[i],
                       err.msg);
                is_int(rep.n_violations, privileged ? 1 : 0, "%s: violations", real_configs[i]);
                is_int(rep.n_changes, 0, "%s: never a change", real_configs[i]);
                ok(hr_json_equal(c, orig), "%s unchanged", real_configs[i]);
                if (privileged && rep.n_violations == 1) {
                        is_str(rep.violations[0].knob, "devices", "knob");
                        is_str(rep.violations[0].path, "linux.devices", "path");
                        is_str(rep.violations[0].message,
                               "the container asks for every host device, as docker run "
                               "--privileged (privileged: true in a pod) does (/dev/btrfs-control, "
                               "/dev/cpu/0/cpuid, /dev/cpu/1/cpuid and 91 more); " PRIVILEGED,
                               "the --privileged message");
                }
                hr_report_done(&rep);
        }
        hr_policy_done(&p);
}

/* docker.json made privileged by hand: a few devices and an allow-all rule. */
static void test_synthetic_privileged(void)
{
        static const char *const devices =
            "[{\"path\":\"/dev/null\",\"type\":\"c\",\"major\":1,\"minor\":3},"
            "{\"path\":\"/dev/sda\",\"type\":\"b\",\"major\":8,\"minor\":0},"
            "{\"path\":\"/dev/kmsg\",\"type\":\"c\",\"major\":1,\"minor\":11},"
            "{\"path\":\"/dev/mem\",\"type\":\"c\",\"major\":1,\"minor\":1}]";
        static const struct {
                const char *rule, *message;
        } cases[] = {
            {"{\"allow\":true,\"access\":\"rwm\"}",
             "the container asks for every host device, as docker run --privileged (privileged: "
             "true in a pod) does (/dev/sda, /dev/kmsg, /dev/mem); " PRIVILEGED},
            {"{\"allow\":true,\"type\":\"a\"}",
             "the container asks for every host device, as docker run --privileged (privileged: "
             "true in a pod) does (/dev/sda, /dev/kmsg, /dev/mem); " PRIVILEGED},
        };
        struct hr_policy p;

        level(&p, "restricted");
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                _cleanup_json_ struct hr_json *c = load("docker.json");
                _cleanup_json_ struct hr_json *d = parse(devices), *rule = parse(cases[i].rule);
                struct hr_json *lx = hr_json_get(c, "linux");
                struct hr_report rep;
                struct hr_error err = {0};

                hr_json_set(lx, "devices", TAKE_PTR(d));
                hr_json_append(hr_json_get(hr_json_get(lx, "resources"), "devices"),
                               TAKE_PTR(rule));
                is_int(run_knob("devices", c, &p, &rep, &err), 0, "privileged docker.json");
                is_int(rep.n_violations, 1, "one violation for %s", cases[i].rule);
                if (rep.n_violations == 1)
                        is_str(rep.violations[0].message, cases[i].message, "message");
                hr_report_done(&rep);
        }
        hr_policy_done(&p);
}

static void test_devices(void)
{
        static const struct {
                const char *device, *path, *message; /* NULL: allowed */
        } cases[] = {
            {"{\"path\":\"/dev/loop0\",\"type\":\"b\",\"major\":7,\"minor\":0}",
             "linux.devices[path=/dev/loop0]",
             "the container asks for the host device /dev/loop0 (b 7:0), which the policy does "
             "not allow; remove it (docker run --device, a device plugin), or add its path to "
             "knob devices"},
            {"{\"path\":\"/dev/../dev/sda\",\"type\":\"b\",\"major\":8,\"minor\":0}",
             "linux.devices[path=/dev/sda]",
             "the container asks for the host device /dev/sda (b 8:0), which the policy does not "
             "allow; remove it (docker run --device, a device plugin), or add its path to knob "
             "devices"},
            {"{\"path\":\"/dev/fuse\",\"type\":\"c\",\"major\":10,\"minor\":229}",
             "linux.devices[path=/dev/fuse]",
             "the container asks for the host device /dev/fuse (c 10:229), which the policy does "
             "not allow; remove it (docker run --device, a device plugin), or add its path to "
             "knob devices"},
            {"{\"path\":\"/dev/pts/x/y\",\"type\":\"c\",\"major\":136,\"minor\":0}",
             "linux.devices[path=/dev/pts/x/y]",
             "the container asks for the host device /dev/pts/x/y (c 136:0), which the policy "
             "does not allow; remove it (docker run --device, a device plugin), or add its path "
             "to knob devices"},
            {"{\"path\":\"/dev/kmsg\"}", "linux.devices[path=/dev/kmsg]",
             "the container asks for the host device /dev/kmsg (? *:*), which the policy does not "
             "allow; remove it (docker run --device, a device plugin), or add its path to knob "
             "devices"},
            /* an allowed name with another device's numbers */
            {"{\"path\":\"/dev/null\",\"type\":\"b\",\"major\":8,\"minor\":0}",
             "linux.devices[path=/dev/null]",
             "the device /dev/null in the container is b 8:0, but /dev/null is c 1:3: a device "
             "node may not pose as another; fix its type and numbers, or remove it"},
            {"{\"path\":\"/dev/zero\",\"type\":\"c\",\"major\":1,\"minor\":1}",
             "linux.devices[path=/dev/zero]",
             "the device /dev/zero in the container is c 1:1, but /dev/zero is c 1:5: a device "
             "node may not pose as another; fix its type and numbers, or remove it"},
            {"{\"path\":\"/dev/tty\",\"type\":\"c\"}", "linux.devices[path=/dev/tty]",
             "the device /dev/tty in the container is c *:*, but /dev/tty is c 5:0: a device node "
             "may not pose as another; fix its type and numbers, or remove it"},
            {"{\"path\":\"/dev/pts/3\",\"type\":\"c\",\"major\":4,\"minor\":3}",
             "linux.devices[path=/dev/pts/3]",
             "the device /dev/pts/3 in the container is c 4:3, but /dev/pts/3 is c 136-143:*: a "
             "device node may not pose as another; fix its type and numbers, or remove it"},
            /* the standard ones */
            {"{\"path\":\"/dev/null\",\"type\":\"c\",\"major\":1,\"minor\":3}", NULL, NULL},
            {"{\"path\":\"/dev/null\",\"type\":\"u\",\"major\":1,\"minor\":3}", NULL, NULL},
            {"{\"path\":\"//dev/./urandom\",\"type\":\"c\",\"major\":1,\"minor\":9}", NULL, NULL},
            {"{\"path\":\"/dev/pts/0\",\"type\":\"c\",\"major\":136,\"minor\":0}", NULL, NULL},
            {"{\"path\":\"/dev/pts/12\",\"type\":\"c\",\"major\":143,\"minor\":1048575}", NULL,
             NULL},
            {"{\"path\":\"/dev/console\",\"type\":\"c\",\"major\":5,\"minor\":1}", NULL, NULL},
            {"{\"path\":\"/dev/ptmx\",\"type\":\"c\",\"major\":5,\"minor\":2}", NULL, NULL},
        };
        struct hr_policy p;

        level(&p, "restricted");
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char buf[512];
                _cleanup_json_ struct hr_json *c = NULL;
                struct hr_report rep;
                struct hr_error err = {0};

                snprintf(buf, sizeof(buf), "{\"linux\":{\"devices\":[%s]}}", cases[i].device);
                c = parse(buf);
                is_int(run_knob("devices", c, &p, &rep, &err), 0, "%s (%s)", cases[i].device,
                       err.msg);
                is_int(rep.n_violations, cases[i].message ? 1 : 0, "violations for %s",
                       cases[i].device);
                if (cases[i].message && rep.n_violations == 1) {
                        is_str(rep.violations[0].path, cases[i].path, "path");
                        is_str(rep.violations[0].message, cases[i].message, "message");
                }
                is_str(text(c), buf, "config unchanged");
                hr_report_done(&rep);
        }
        hr_policy_done(&p);
}

static void test_rules(void)
{
        static const struct {
                const char *rule, *message; /* NULL: allowed */
        } cases[] = {
            {"{\"allow\":true,\"access\":\"rwm\"}",
             "the device cgroup rule \"a *:* rwm\" lets the container use every device, as docker "
             "run --privileged does; privileged containers are not allowed: remove the rule "
             "(--device-cgroup-rule) and allow only the devices the container needs"},
            /* type a: the kernel allows everything, whatever the numbers and access */
            {"{\"allow\":true,\"type\":\"a\",\"major\":1,\"minor\":3,\"access\":\"m\"}",
             "the device cgroup rule \"a 1:3 m\" lets the container use every device, as docker "
             "run --privileged does; privileged containers are not allowed: remove the rule "
             "(--device-cgroup-rule) and allow only the devices the container needs"},
            {"{\"allow\":true,\"type\":\"c\",\"access\":\"rw\"}",
             "the device cgroup rule \"c *:* rw\" lets the container use every character device, "
             "as docker run --privileged does; privileged containers are not allowed: remove the "
             "rule (--device-cgroup-rule) and allow only the devices the container needs"},
            {"{\"allow\":true,\"type\":\"b\",\"major\":-1,\"minor\":-1,\"access\":\"r\"}",
             "the device cgroup rule \"b *:* r\" lets the container use every block device, as "
             "docker run --privileged does; privileged containers are not allowed: remove the "
             "rule (--device-cgroup-rule) and allow only the devices the container needs"},
            {"{\"allow\":true,\"type\":\"c\"}",
             "the device cgroup rule \"c *:* rwm\" lets the container use every character device, "
             "as docker run --privileged does; privileged containers are not allowed: remove the "
             "rule (--device-cgroup-rule) and allow only the devices the container needs"},
            {"{\"allow\":true,\"type\":\"\",\"access\":\"\"}",
             "the device cgroup rule \"a *:* rwm\" lets the container use every device, as docker "
             "run --privileged does; privileged containers are not allowed: remove the rule "
             "(--device-cgroup-rule) and allow only the devices the container needs"},
            /* Docker's default mknod rules and ordinary ones */
            {"{\"allow\":true,\"type\":\"c\",\"access\":\"m\"}", NULL},
            {"{\"allow\":true,\"type\":\"b\",\"major\":-1,\"minor\":-1,\"access\":\"m\"}", NULL},
            {"{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":3,\"access\":\"rwm\"}", NULL},
            {"{\"allow\":true,\"type\":\"c\",\"major\":136,\"access\":\"rwm\"}", NULL},
            {"{\"allow\":true,\"type\":\"c\",\"major\":10,\"minor\":200,\"access\":\"rwm\"}", NULL},
            {"{\"allow\":false,\"access\":\"rwm\"}", NULL},
            {"{\"allow\":false,\"type\":\"c\",\"major\":10,\"minor\":229,\"access\":\"rwm\"}",
             NULL},
            {"{\"access\":\"rwm\"}", NULL},
            {"{\"allow\":null,\"access\":\"rwm\"}", NULL},
        };
        struct hr_policy p;

        level(&p, "restricted");
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char buf[512];
                _cleanup_json_ struct hr_json *c = NULL;
                struct hr_report rep;
                struct hr_error err = {0};

                snprintf(buf, sizeof(buf),
                         "{\"linux\":{\"resources\":{\"devices\":[{\"allow\":false,\"access\":"
                         "\"rwm\"},%s]}}}",
                         cases[i].rule);
                c = parse(buf);
                is_int(run_knob("devices", c, &p, &rep, &err), 0, "%s (%s)", cases[i].rule,
                       err.msg);
                is_int(rep.n_violations, cases[i].message ? 1 : 0, "violations for %s",
                       cases[i].rule);
                if (cases[i].message && rep.n_violations == 1) {
                        is_str(rep.violations[0].path, "linux.resources.devices[1]", "path");
                        is_str(rep.violations[0].message, cases[i].message, "message");
                }
                is_str(text(c), buf, "config unchanged");
                hr_report_done(&rep);
        }
        hr_policy_done(&p);
}

static void test_errors(void)
{
        static const struct {
                const char *config, *error;
        } cases[] = {
            {"{\"linux\":{\"devices\":{}}}", "linux.devices must be an array, not object"},
            {"{\"linux\":{\"devices\":[\"/dev/sda\"]}}",
             "linux.devices[0] must be an object, not string"},
            {"{\"linux\":{\"devices\":[{\"type\":\"b\"}]}}", "linux.devices[0] has no path"},
            {"{\"linux\":{\"devices\":[{\"path\":\"/dev/null\",\"major\":\"1\"}]}}",
             "linux.devices[0].major must be a number, not string"},
            {"{\"linux\":{\"devices\":[{\"path\":\"/dev/null\",\"major\":1.5}]}}",
             "linux.devices[0].major is 1.5, not an integer from -1 to 4294967295"},
            {"{\"linux\":{\"devices\":[{\"path\":\"/dev/null\",\"minor\":-2}]}}",
             "linux.devices[0].minor is -2, not an integer from -1 to 4294967295"},
            {"{\"linux\":{\"devices\":[{\"path\":\"/dev/null\",\"Minor\":8}]}}",
             "the key \"Minor\" is read by runc as \"minor\""},
            {"{\"linux\":{\"resources\":[]}}", "linux.resources must be an object, not array"},
            {"{\"linux\":{\"resources\":{\"devices\":[{\"allow\":\"yes\"}]}}}",
             "linux.resources.devices[0].allow must be a boolean, not string"},
            {"{\"linux\":{\"resources\":{\"devices\":[{\"allow\":true,\"access\":7}]}}}",
             "linux.resources.devices[0].access must be a string, not number"},
            {"{\"linux\":{\"resources\":{\"devices\":[{\"Allow\":true}]}}}",
             "the key \"Allow\" is read by runc as \"allow\""},
            {"{\"linux\":{\"resources\":{\"devices\":[{\"allow\":true,\"major\":1e3}]}}}",
             "linux.resources.devices[0].major is 1e3, not an integer"},
        };
        struct hr_policy p;

        level(&p, "restricted");
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                _cleanup_json_ struct hr_json *c = parse(cases[i].config);
                struct hr_report rep;
                struct hr_error err = {0};

                ok(run_knob("devices", c, &p, &rep, &err) < 0, "error: %s", cases[i].config);
                ok(strstr(err.msg, cases[i].error) != NULL, "message has \"%s\" (%s)",
                   cases[i].error, err.msg);
                hr_report_done(&rep);
        }
        hr_policy_done(&p);
}

static void test_configure(void)
{
        static const char *const privileged = "docker-privileged.json";
        static const struct {
                const char *value, *error;
                bool enabled;
                size_t n, violations; /* on docker-privileged.json */
        } cases[] = {
            {"false", NULL, false, 9, 0},
            {"true", NULL, true, 9, 1},
            {"[\"/dev/null\"]", NULL, true, 1, 1},
            {"{\"enabled\":false,\"allowed\":[\"/dev/*\"]}", NULL, false, 1, 0},
            {"{\"allowed\":[\"/dev/*\",\"/dev/*/*\",\"/dev/*/*/*\"]}", NULL, true, 3, 1},
            {"[\"dev/null\"]", "knob devices.allowed: \"dev/null\" is not an absolute path"},
            {"{\"allow\":[]}", "unknown knob devices.allow"},
            {"{\"enabled\":\"no\"}", "knob devices.enabled must be true or false"},
            {"3", "knob devices.allowed must be a non-empty string"},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                _cleanup_json_ struct hr_json *c = load(privileged);
                struct hr_policy p;
                struct hr_report rep;
                struct hr_error err = {0};
                int r;

                level(&p, "restricted");
                r = configure_knob(&p, "devices", cases[i].value, &err);
                if (cases[i].error) {
                        ok(r < 0, "refused: %s", cases[i].value);
                        ok(strstr(err.msg, cases[i].error) != NULL, "message has \"%s\" (%s)",
                           cases[i].error, err.msg);
                        hr_policy_done(&p);
                        continue;
                }
                is_int(r, 0, "accepted: %s", cases[i].value);
                ok(p.devices_enabled == cases[i].enabled, "enabled after %s", cases[i].value);
                is_int(p.devices.n, cases[i].n, "allowed globs after %s", cases[i].value);
                is_int(run_knob("devices", c, &p, &rep, &err), 0, "privileged config");
                is_int(rep.n_violations, cases[i].violations,
                       "privileged config under %s: violations", cases[i].value);
                hr_report_done(&rep);
                hr_policy_done(&p);
        }
}

/* With every path allowed, the allow-all rule alone is still refused, with its own message. */
static void test_rule_only(void)
{
        _cleanup_json_ struct hr_json *c = load("docker-privileged.json");
        struct hr_policy p;
        struct hr_report rep;
        struct hr_error err = {0};

        level(&p, "restricted");
        configure_knob(&p, "devices", "[\"/dev/*\",\"/dev/*/*\",\"/dev/*/*/*\"]", &err);
        is_int(run_knob("devices", c, &p, &rep, &err), 0, "every path allowed");
        is_int(rep.n_violations, 1, "the rule is refused");
        if (rep.n_violations == 1) {
                is_str(rep.violations[0].path, "linux.resources.devices[0]", "path");
                is_str(rep.violations[0].message,
                       "the device cgroup rule \"a *:* rwm\" lets the container use every device, "
                       "as docker run --privileged does; privileged containers are not allowed: "
                       "remove the rule (--device-cgroup-rule) and allow only the devices the "
                       "container needs",
                       "message");
        }
        hr_report_done(&rep);
        hr_policy_done(&p);
}

int main(void)
{
        test_real_configs();
        test_synthetic_privileged();
        test_devices();
        test_rules();
        test_errors();
        test_configure();
        test_rule_only();
        return tap_done();
}
