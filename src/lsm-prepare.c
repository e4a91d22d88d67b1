/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "harden/harden.h"
#include "host.h"
#include "hr-cleanup.h"
#include "lsm-host.h"
#include "lsm-prepare.h"

/* hardrun-default loaded, from the copy built in when it is not: fail closed. */
static int ensure_profile(const struct hr_host *host, struct hr_error *err)
{
        char cause[HR_ERROR_MSG_MAX];
        bool loaded = false;
        int r = host->apparmor_loaded(HR_APPARMOR_PROFILE, &loaded);

        if (r < 0)
                return hr_error_errno(err, -r,
                                      "the host enforces AppArmor, but hardrun cannot tell "
                                      "whether the profile " HR_APPARMOR_PROFILE " is loaded");
        if (loaded)
                return 0;
        if ((r = host->apparmor_load(hr_apparmor_default_profile, err)) == 0)
                return 0;
        snprintf(cause, sizeof(cause), "%s", err->msg);
        return hr_error_set(err, -r,
                            "the host enforces AppArmor, and hardrun could not load its "
                            "profile " HR_APPARMOR_PROFILE
                            " (apparmor_parser --replace): %s; install "
                            "apparmor_parser, or load the profile at boot (see "
                            "hardrun-profiles(7))",
                            cause);
}

int hr_lsm_prepare(const struct hr_cmdline *cmd, const struct hr_json *config,
                   const struct hr_mcs_store *store, struct hr_policy *policy,
                   struct hr_lsm_prepared *out, struct hr_error *err)
{
        const struct hr_host *host = policy->host;
        struct hr_mcs_reservation res;
        char *cats = NULL;
        int r;

        *out = (struct hr_lsm_prepared){0};
        if (policy->mode == HR_MODE_AUDIT)
                return 0;
        if (host->apparmor_enabled() && (r = ensure_profile(host, err)) < 0)
                return r;
        if (policy->mode != HR_MODE_ENFORCE || !host->selinux_enabled() ||
            !hr_lsm_needs_mcs(config))
                return 0;
        if ((r = hr_mcs_reserve(store, cmd->root, cmd->id, &res, err)) < 0)
                return hr_error_prefix(err, "the host enforces SELinux, and hardrun could not "
                                            "reserve MCS categories for the container");
        out->reserved = res.fresh;
        if (asprintf(&cats, "c%u,c%u", res.a, res.b) < 0) {
                hr_lsm_unprepare(cmd, store, out);
                *out = (struct hr_lsm_prepared){0};
                return hr_error_set(err, ENOMEM, "out of memory");
        }
        free(policy->lsm.mcs_categories);
        policy->lsm.mcs_categories = cats;
        return 0;
}

void hr_lsm_unprepare(const struct hr_cmdline *cmd, const struct hr_mcs_store *store,
                      const struct hr_lsm_prepared *prepared)
{
        if (prepared->reserved)
                (void)hr_mcs_release(store, cmd->root, cmd->id, NULL);
}

/* Is the container gone, or would `delete` without --force remove it? */
static bool deletable(const char *runtime, const struct hr_cmdline *cmd)
{
        _cleanup_free_ char *status = NULL;
        int r = hr_container_status(runtime, cmd, &status, NULL);

        if (r == -ESRCH)
                return true;
        return r == 0 && (strcmp(status, "created") == 0 || strcmp(status, "stopped") == 0);
}

void hr_lsm_delete(int argc, char *const argv[], const struct hr_cmdline *cmd, const char *runtime,
                   const struct hr_mcs_store *store)
{
        struct hr_cmdline c = *cmd;
        bool force = false, held = false;

        if (!cmd->command || strcmp(cmd->command, "delete") != 0 || !hr_mcs_any(store))
                return;
        if (hr_cli_delete(argc, argv, cmd, &c.id, &force) < 0 ||
            hr_mcs_held(store, cmd->root, c.id, &held, NULL) < 0 || !held)
                return;
        if (!force && !deletable(runtime, &c))
                return;
        (void)hr_mcs_release(store, cmd->root, c.id, NULL);
}
