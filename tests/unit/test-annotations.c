/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The knob annotations, over the real configs and edge cases. */
#include "knob-kit.h"

static void test_real_configs(void)
{
        struct hr_policy p;

        kit_policy(&p, NULL);
        for (size_t i = 0; i < HR_ARRAY_SIZE(kit_data); i++) {
                _cleanup_json_ struct hr_json *c = kit_load(kit_data[i]);
                _cleanup_json_ struct hr_json *orig = hr_json_copy(c);
                struct hr_report rep;
                struct hr_error err;

                is_int(kit_apply("annotations", c, &p, &rep, &err), 0, "%s: no error (%s)",
                       kit_data[i], err.msg);
                is_int(rep.n_changes, 0, "%s: engine annotations are kept", kit_data[i]);
                ok(hr_json_equal(c, orig), "%s: config untouched", kit_data[i]);
                hr_report_done(&rep);
        }
        hr_policy_done(&p);
}

static void test_strip(void)
{
        static const struct {
                const char *key, *before; /* removed, in config order */
        } removed[] = {
            {"run.oci.seccomp_bpf_data", "\"AAAA\""},
            {"org.systemd.property.CPUQuota", "\"0\""},
            {"run.oci.keep_original_groups", "\"1\""},
            {"org.criu.config", "\"/x.conf\""},
            {"bundle", "\"/elsewhere\""},
        };
        _cleanup_json_ struct hr_json *c = kit_parse(
            "{\"annotations\":{\"com.example.keep\":\"yes\","
            "\"run.oci.seccomp_bpf_data\":\"AAAA\",\"io.hardrun.level\":\"restricted\","
            "\"org.systemd.property.CPUQuota\":\"0\",\"run.oci.keep_original_groups\":\"1\","
            "\"bundle.extra\":\"k\",\"run.ocix\":\"k\",\"org.criu.config\":\"/x.conf\","
            "\"bundle\":\"/elsewhere\",\"org.criu.configx\":\"k\"}}");
        struct hr_policy p;
        struct hr_report rep;
        struct hr_error err;

        kit_policy(&p, NULL);
        is_int(kit_apply("annotations", c, &p, &rep, &err), 0, "strip: no error (%s)", err.msg);
        is_str(kit_text(c),
               "{\"annotations\":{\"com.example.keep\":\"yes\","
               "\"io.hardrun.level\":\"restricted\",\"bundle.extra\":\"k\",\"run.ocix\":\"k\","
               "\"org.criu.configx\":\"k\"}}",
               "strip: what is left, in order");
        is_int(rep.n_changes, HR_ARRAY_SIZE(removed), "strip: one change per removal");
        for (size_t i = 0; i < HR_ARRAY_SIZE(removed) && i < rep.n_changes; i++) {
                char path[128];

                snprintf(path, sizeof(path), "annotations.%s", removed[i].key);
                is_str(rep.changes[i].knob, "annotations", "strip %s: knob", removed[i].key);
                is_str(rep.changes[i].path, path, "strip %s: path", removed[i].key);
                is_str(rep.changes[i].before, removed[i].before, "strip %s: before",
                       removed[i].key);
                is_str(rep.changes[i].after, NULL, "strip %s: removed", removed[i].key);
        }
        is_int(rep.n_violations, 0, "strip: nothing refused");
        hr_report_done(&rep);
        kit_idempotent("annotations", c, &p, "strip");
        hr_policy_done(&p);
}

static void test_policy(void)
{
        static const struct {
                const char *text, *error;
        } bad[] = {
            {"{\"annotations\": []}", "knob annotations must be an object"},
            {"{\"annotations\": {\"remove\": []}}", "unknown knob annotations.remove"},
            {"{\"annotations\": {\"strip\": [1]}}",
             "knob annotations.strip must be a string or a list"},
        };
        struct hr_policy p;

        for (size_t i = 0; i < HR_ARRAY_SIZE(bad); i++) {
                const char *e = kit_policy_error(bad[i].text);

                ok(e && strstr(e, bad[i].error), "policy %s refused: \"%s\" (%s)", bad[i].text,
                   bad[i].error, e ? e : "loaded");
        }

        /* Strip everything: io.hardrun.* still stays. */
        kit_policy(&p, "{\"annotations\": {\"strip\": \"*\"}}");
        {
                _cleanup_json_ struct hr_json *c =
                    kit_parse("{\"annotations\":{\"a\":\"1\",\"io.hardrun.level\":\"baseline\","
                              "\"io.hardrun.x.y\":\"z\",\"b\":\"2\"}}");
                struct hr_report rep;
                struct hr_error err;

                is_int(kit_apply("annotations", c, &p, &rep, &err), 0, "strip *: no error");
                is_str(kit_text(c),
                       "{\"annotations\":{\"io.hardrun.level\":\"baseline\","
                       "\"io.hardrun.x.y\":\"z\"}}",
                       "strip *: io.hardrun.* is never removed");
                is_int(rep.n_changes, 2, "strip *: two removed");
                hr_report_done(&rep);
        }
        hr_policy_done(&p);

        /* Strip nothing. */
        kit_policy(&p, "{\"annotations\": {\"strip\": []}}");
        {
                _cleanup_json_ struct hr_json *c =
                    kit_parse("{\"annotations\":{\"run.oci.seccomp_bpf_data\":\"x\"}}");
                struct hr_report rep;
                struct hr_error err;

                is_int(kit_apply("annotations", c, &p, &rep, &err), 0, "strip []: no error");
                is_int(rep.n_changes, 0, "strip []: nothing removed");
                hr_report_done(&rep);
        }
        hr_policy_done(&p);
}

static void test_malformed(void)
{
        static const struct {
                const char *config, *error; /* error NULL: fine, unchanged */
        } cases[] = {
            {"{\"annotations\":null}", NULL},
            {"{\"annotations\":{}}", NULL},
            {"{}", NULL},
            {"{\"annotations\":[]}", "annotations must be an object, not array"},
            {"{\"annotations\":{\"bundle\":1}}", "annotations.bundle must be a string, not number"},
            {"{\"annotations\":{\"x\":null}}", "annotations.x must be a string, not null"},
            {"{\"Annotations\":{}}", "the key \"Annotations\" is read by runc as \"annotations\""},
        };
        struct hr_policy p;

        kit_policy(&p, NULL);
        for (size_t i = 0; i < HR_ARRAY_SIZE(cases); i++) {
                _cleanup_json_ struct hr_json *c = kit_parse(cases[i].config);
                struct hr_report rep;
                struct hr_error err;
                int r = kit_apply("annotations", c, &p, &rep, &err);

                if (!cases[i].error) {
                        is_int(r, 0, "fine: %s", cases[i].config);
                        is_str(kit_text(c), cases[i].config, "unchanged: %s", cases[i].config);
                } else {
                        ok(r < 0, "refused: %s", cases[i].config);
                        ok(strstr(err.msg, cases[i].error) != NULL, "message has \"%s\" (%s)",
                           cases[i].error, err.msg);
                }
                hr_report_done(&rep);
        }
        hr_policy_done(&p);
}

int main(void)
{
        test_real_configs();
        test_strip();
        test_policy();
        test_malformed();
        return tap_done();
}
