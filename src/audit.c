/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "audit.h"
#include "hr-cleanup.h"
#include "util.h"

static int add(struct hr_json *o, const char *key, const char *value)
{
        return hr_json_set(o, key, value ? hr_json_new_string(value) : hr_json_new_null());
}

static int build(const struct hr_audit *a, const struct hr_report *report, struct hr_json **out,
                 struct hr_error *err)
{
        _cleanup_json_ struct hr_json *o = hr_json_new_object();
        struct hr_json *body = NULL;
        char time[HR_RFC3339_MAX];
        int r;

        hr_rfc3339_now(time, sizeof(time));
        if (!o || add(o, "time", time) < 0 || add(o, "command", a->cmd->command) < 0 ||
            add(o, "id", a->cmd->id) < 0 || add(o, "config", a->config) < 0 ||
            add(o, "policy", a->policy->source) < 0 || add(o, "level", a->policy->level) < 0 ||
            add(o, "mode", hr_mode_name(a->policy->mode)) < 0 ||
            (a->policy->rule && add(o, "rule", a->policy->rule) < 0) ||
            add(o, "decision", a->decision) < 0)
                return hr_error_set(err, ENOMEM, "out of memory");
        if ((r = hr_report_to_json(report, &body, err)) < 0)
                return r;
        /* Move changes and violations into the record, keeping their order. */
        for (size_t i = 0; i < body->u.obj.len; i++) {
                struct hr_json_member *m = &body->u.obj.members[i];

                if (hr_json_set(o, m->key, TAKE_PTR(m->value)) < 0) {
                        hr_json_free(body);
                        return hr_error_set(err, ENOMEM, "out of memory");
                }
        }
        hr_json_free(body);
        *out = TAKE_PTR(o);
        return 0;
}

int hr_audit_record(const struct hr_audit *a, const struct hr_report *report, struct hr_error *err)
{
        _cleanup_json_ struct hr_json *record = NULL;
        _cleanup_free_ char *text = NULL;
        _cleanup_close_ int fd = -1;
        size_t len;
        int r;

        if (report->n_changes == 0 && report->n_violations == 0)
                return 0;
        if ((r = build(a, report, &record, err)) < 0 ||
            (r = hr_json_write(record, 0, &text, &len, err)) < 0)
                return r;
        openlog("hardrun", LOG_PID, LOG_AUTHPRIV);
        syslog(LOG_NOTICE, "%s", text);
        closelog();
        if (!a->policy->audit_file)
                return 0;
        fd =
            open(a->policy->audit_file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
        text[len] = '\n';
        if (fd < 0 || (r = hr_write_all(fd, text, len + 1)) < 0)
                return hr_error_errno(err, fd < 0 ? errno : -r, "writing the audit record to %s",
                                      a->policy->audit_file);
        return 0;
}
