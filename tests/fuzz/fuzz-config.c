/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz the hardening pipeline: any config that parses either is refused
 * with an error, or comes out compliant.  The oracle is an independent check
 * written here from the policy's words, not from the knobs' code, and a
 * second pass that must find nothing left to change.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harden/harden.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool is_true(const struct hr_json *v)
{
        return v && v->type == HR_JSON_BOOL && v->u.boolean;
}

static bool mounted(const struct hr_json *mounts, const char *dest)
{
        for (size_t i = 0; mounts && i < mounts->u.arr.len; i++) {
                const char *d = hr_json_string(hr_json_get(mounts->u.arr.items[i], "destination"));
                char *clean;
                bool same;

                if (!d || hr_path_clean(d, &clean) < 0)
                        continue;
                same = strcmp(clean, dest) == 0;
                free(clean);
                if (same)
                        return true;
        }
        return false;
}

/* Compliance with the restricted level's two knobs. */
static void verify(const struct hr_json *config, const struct hr_policy *p)
{
        const struct hr_json *mounts = hr_json_get(config, "mounts");

        if (!is_true(hr_json_get(hr_json_get(config, "process"), "noNewPrivileges")))
                abort();
        if (!is_true(hr_json_get(hr_json_get(config, "root"), "readonly")))
                abort();
        if (!mounts || mounts->type != HR_JSON_ARRAY)
                abort();
        for (size_t i = 0; i < p->readonly_rootfs.n_writable; i++)
                if (!mounted(mounts, p->readonly_rootfs.writable[i]))
                        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static struct hr_policy policy;
        static bool loaded;
        struct hr_json *config = NULL, *again = NULL;
        struct hr_report report = {0};
        struct hr_error err = {0};
        char *text = NULL;
        size_t len;

        if (!loaded) {
                struct hr_policy_file none = {0};

                if (hr_policy_resolve(&none, &policy, &err) < 0)
                        abort();
                loaded = true;
        }
        if (hr_json_parse((const char *)data, size, 0, &config, &err) < 0)
                return 0;
        if (hr_harden(config, &policy, &report, &err) == 0) {
                verify(config, &policy);
                /* What enforce writes must parse back to the same tree and need nothing more. */
                if (hr_json_write(config, HR_JSON_PRETTY, &text, &len, &err) < 0 ||
                    hr_json_parse(text, len, 0, &again, &err) < 0 || !hr_json_equal(config, again))
                        abort();
                hr_report_done(&report);
                if (hr_harden(again, &policy, &report, &err) < 0 || report.n_changes != 0)
                        abort();
        }
        hr_report_done(&report);
        hr_json_free(config);
        hr_json_free(again);
        free(text);
        return 0;
}
