/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Knob annotations: remove the annotations that would let the runtime undo
 * what hardrun wrote, each key that matches a glob (fnmatch) of
 * annotations.strip.  crun reads run.oci.*: run.oci.seccomp_bpf_data
 * replaces the seccomp filter with any BPF program, and
 * run.oci.keep_original_groups keeps the caller's supplementary groups.
 * org.systemd.property.* become properties of the container's systemd
 * scope, and org.criu.config names a CRIU configuration for checkpoint and
 * restore.  runc keeps the annotations among the container's labels, where
 * it records the bundle directory under the name bundle: an annotation of
 * that name collides with it.
 *
 * io.hardrun.* annotations are never removed: the policy reads them, and
 * they may only tighten it (or relax what annotation_may_relax lists).
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harden.h"
#include "hr-cleanup.h"

#define KNOB "annotations"

/* Keys this knob leaves alone, whatever the policy says. */
static const char *const kept[] = {"io.hardrun.*"};

static int configure(struct hr_policy *policy, const struct hr_json *value, struct hr_error *err)
{
        int r = 0;

        if (value->type != HR_JSON_OBJECT)
                return hr_error_set(err, EINVAL, "knob " KNOB " must be an object");
        for (size_t i = 0; i < value->u.obj.len && r == 0; i++) {
                const char *key = value->u.obj.members[i].key;
                const struct hr_json *v = value->u.obj.members[i].value;

                if (strcmp(key, "strip") == 0)
                        r = hr_policy_strv(v, KNOB ".strip", &policy->annotations_strip, err);
                else
                        r = hr_error_set(err, EINVAL, "unknown knob " KNOB ".%s", key);
        }
        return r;
}

static bool matches(const char *const *globs, size_t n, const char *key)
{
        for (size_t i = 0; i < n; i++)
                if (fnmatch(globs[i], key, 0) == 0)
                        return true;
        return false;
}

static int apply(struct hr_json *config, const struct hr_policy *policy, struct hr_report *report,
                 struct hr_error *err)
{
        const struct hr_strv *strip = &policy->annotations_strip;
        struct hr_json *annotations;
        size_t i = 0;
        int r;

        if ((r = hr_harden_object(config, "annotations", "annotations", false, &annotations, err)) <
            0)
                return r;
        while (annotations && i < annotations->u.obj.len) {
                const struct hr_json_member *m = &annotations->u.obj.members[i];
                _cleanup_free_ char *where = NULL, *key = NULL;

                if (m->value->type != HR_JSON_STRING)
                        return hr_error_set(err, EINVAL, "annotations.%s must be a string, not %s",
                                            m->key, hr_json_type_name(m->value->type));
                if (matches(kept, HR_ARRAY_SIZE(kept), m->key) ||
                    !matches((const char *const *)strip->v, strip->n, m->key)) {
                        i++;
                        continue;
                }
                if (!(key = strdup(m->key)) || asprintf(&where, "annotations.%s", key) < 0)
                        return hr_error_set(err, ENOMEM, "out of memory");
                if ((r = hr_report_change(report, KNOB, where, m->value, NULL, err)) < 0)
                        return r;
                hr_json_remove(annotations, key);
        }
        return 0;
}

const struct hr_knob hr_knob_annotations = {
    .name = KNOB,
    .configure = configure,
    .apply = apply,
};
