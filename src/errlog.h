/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reporting a failure, once: one line on stderr and, when the engine gave
 * --log, one line appended to that file (JSON with --log-format json, as
 * containerd and Podman read it; logrus-style text otherwise).
 */
#ifndef HR_ERRLOG_H
#define HR_ERRLOG_H

#include "cli.h"

void hr_errlog(const struct hr_cmdline *cmd, const char *msg);

#endif
