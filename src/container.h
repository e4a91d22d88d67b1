/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A running container, as exec, update and delete see it: its bundle comes from the
 * runtime's state file (runc's ROOT/ID/state.json, crun's ROOT/ID/status),
 * or, where there is none, from asking the runtime (`RUNTIME [--root R]
 * state ID`, with stdin from /dev/null and its stderr kept for the
 * message); the config hardrun hardened at create is read from there,
 * safely.  A container the runtime does not know is an error carrying the
 * runtime's own words.
 */
#ifndef HR_CONTAINER_H
#define HR_CONTAINER_H

#include "cli.h"
#include "hr-error.h"
#include "json.h"

int hr_container_config(const char *runtime, const struct hr_cmdline *cmd, char **bundle,
                        struct hr_json **config, struct hr_error *err);

/*
 * The container's status as the runtime reports it ("created", "running",
 * "paused", "stopped"); -ESRCH when the runtime does not know it.  Always
 * asks the runtime: the status is not in its state file.
 */
int hr_container_status(const char *runtime, const struct hr_cmdline *cmd, char **status,
                        struct hr_error *err);

#endif
