/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz enforce against verify.  The oracle: when hr_harden() in enforce mode
 * succeeds with no violation, hr_verify() of its output reports none; when
 * enforce refuses, verify flags the same knob on the input.  verify also
 * runs over every input as it came, malformed or not, and must only judge.
 * Levels restricted and baseline, and the hand-built fixture policy, on the
 * fake host.  The knobs held to the oracle are fixture_asserted().
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/verify-fixture.h"
#include "harden/harden.h"
#include "verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A level as the policy module resolves a file naming it, without the file. */
static struct hr_policy level(const char *name)
{
        struct hr_policy_file f = {0};
        struct hr_policy p;
        struct hr_error err = {0};
        char text[64];

        snprintf(text, sizeof(text), "{\"level\":\"%s\"}", name);
        if (hr_json_parse(text, strlen(text), 0, &f.doc, &err) < 0 ||
            !(f.path = strdup("fuzz-policy.json")) || hr_policy_resolve(&f, &p, &err) < 0) {
                fprintf(stderr, "level %s: %s\n", name, err.msg);
                abort();
        }
        hr_policy_file_done(&f);
        p.host = &fixture_host;
        return p;
}

static void must_verify(const struct hr_json *config, const struct hr_policy *p, const char *knob,
                        struct hr_report *rep)
{
        struct hr_error err = {0};
        int r = knob ? hr_verify_knob(config, p, knob, rep, &err) : hr_verify(config, p, rep, &err);

        if (r < 0) {
                fprintf(stderr, "verify failed: %s\n", err.msg);
                abort();
        }
}

static bool has_knob(const struct hr_report *rep, const char *knob)
{
        for (size_t i = 0; i < rep->n_violations; i++)
                if (strcmp(rep->violations[i].knob, knob) == 0)
                        return true;
        return false;
}

static void oracle(const struct hr_json *config, const struct hr_policy *p)
{
        _cleanup_json_ struct hr_json *out = hr_json_copy(config);
        struct hr_report enf = {0}, ver = {0};
        struct hr_error err = {0};

        must_verify(config, p, NULL, &ver); /* verify judges anything */
        hr_report_done(&ver);
        if (!out || hr_harden(out, p, &enf, &err) < 0) {
                hr_report_done(&enf);
                return; /* a malformed config is refused with an error: nothing to check */
        }
        for (size_t i = 0; i < enf.n_violations; i++) {
                const char *knob = enf.violations[i].knob;

                if (!fixture_asserted(knob))
                        continue;
                must_verify(config, p, knob, &ver);
                if (!has_knob(&ver, knob)) {
                        fprintf(stderr, "%s: enforce refuses %s at %s; verify does not\n", p->level,
                                knob, enf.violations[i].path);
                        abort();
                }
                hr_report_done(&ver);
        }
        if (enf.n_violations == 0) {
                must_verify(out, p, NULL, &ver);
                for (size_t i = 0; i < ver.n_violations; i++)
                        if (fixture_asserted(ver.violations[i].knob)) {
                                fprintf(stderr, "%s: after enforce, %s %s: %s\n", p->level,
                                        ver.violations[i].knob, ver.violations[i].path,
                                        ver.violations[i].message);
                                abort();
                        }
                hr_report_done(&ver);
        }
        hr_report_done(&enf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static struct hr_policy policies[3];
        static bool loaded;
        struct hr_json *config = NULL;
        struct hr_error err = {0};

        if (!loaded) {
                policies[0] = level("restricted");
                policies[1] = level("baseline");
                policies[2] = fixture_policy();
                loaded = true;
        }
        if (hr_json_parse((const char *)data, size, 0, &config, &err) < 0)
                return 0;
        for (size_t i = 0; i < sizeof(policies) / sizeof(policies[0]); i++)
                oracle(config, &policies[i]);
        hr_json_free(config);
        return 0;
}
