/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errlog.h"
#include "hr-cleanup.h"
#include "json.h"
#include "util.h"

/* {"level":"error","msg":"hardrun: ...","time":"..."} */
static char *json_line(const char *msg, const char *time)
{
        _cleanup_json_ struct hr_json *o = hr_json_new_object();
        char *text = NULL;
        size_t len;

        if (!o || hr_json_set(o, "level", hr_json_new_string("error")) < 0 ||
            hr_json_set(o, "msg", hr_json_new_string(msg)) < 0 ||
            hr_json_set(o, "time", hr_json_new_string(time)) < 0 ||
            hr_json_write(o, 0, &text, &len, NULL) < 0)
                return NULL;
        return text;
}

/* time="..." level=error msg="..." with quotes and backslashes escaped. */
static char *text_line(const char *msg, const char *time)
{
        size_t len = strlen(msg), o = 0;
        _cleanup_free_ char *quoted = malloc(2 * len + 1);
        char *line;

        if (!quoted)
                return NULL;
        for (size_t i = 0; i < len; i++) {
                if (msg[i] == '"' || msg[i] == '\\')
                        quoted[o++] = '\\';
                quoted[o++] = msg[i] == '\n' ? ' ' : msg[i];
        }
        quoted[o] = '\0';
        if (asprintf(&line, "time=\"%s\" level=error msg=\"%s\"", time, quoted) < 0)
                return NULL;
        return line;
}

void hr_errlog(const struct hr_cmdline *cmd, const char *msg)
{
        _cleanup_free_ char *full = NULL, *line = NULL, *record = NULL;
        char time[HR_RFC3339_MAX];
        _cleanup_close_ int fd = -1;

        if (asprintf(&full, "hardrun: %s\n", msg) < 0)
                return;
        (void)hr_write_all(STDERR_FILENO, full, strlen(full));
        if (!cmd || !cmd->log)
                return;
        full[strlen(full) - 1] = '\0';
        hr_rfc3339_now(time, sizeof(time));
        line = cmd->log_format == HR_LOG_JSON ? json_line(full, time) : text_line(full, time);
        fd = open(cmd->log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
        if (!line || fd < 0 || asprintf(&record, "%s\n", line) < 0)
                return;
        /* One write, so that an O_APPEND line never interleaves with another. */
        (void)hr_write_all(fd, record, strlen(record));
}
