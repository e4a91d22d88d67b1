/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * exec (DESIGN §3.6): an exec'd process gets the same process hardening as
 * the container's init: user, capabilities, no_new_privileges, rlimits and
 * the container's own LSM labels: those knob lsm set at create
 * (hardrun-default, the SELinux label at the container's MCS categories),
 * or the engine's where it kept them.
 *
 * - The container is found as the runtime's `state` finds it (container.h):
 *   its bundle holds the config.json hardrun hardened at create.  That
 *   config supplies the labels, the user namespace mappings and what the
 *   policy's rules match on (id, bundle, annotations).
 * - A --process FILE (containerd, Docker, CRI) is hardened like config.json
 *   and replaced atomically.  containerd builds it from the spec as it was
 *   before hardrun rewrote it, so `docker exec --privileged` arrives here
 *   with every capability.
 * - Without one, the runtime builds the process from config.json and the
 *   flags.  hardrun cannot rewrite flags, so it works out the process they
 *   give and refuses the exec when that process is not compliant: --cap
 *   outside the allowed set, -u 0 where root is not allowed, --apparmor or
 *   --process-label other than the container's.  runc ignores the flags
 *   when --process is given and crun may not, so they are checked then too.
 *
 * A container that cannot be found, or whose config cannot be read, is
 * refused: fail closed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bundle.h"
#include "command.h"
#include "container.h"
#include "harden/caps.h"
#include "harden/harden.h"
#include "hr-cleanup.h"
#include "runtime.h"
#include "util.h"

/* ---- the process --------------------------------------------------------- */

/*
 * process.KEY as the container has it (its LSM label), or absent.  Read as
 * runc reads it: a key it would fold into KEY is refused.
 */
static int same_label(struct hr_json *process, const struct hr_json *container_process,
                      const char *key, struct hr_report *report, struct hr_error *err)
{
        struct hr_json *want, *have;
        char path[64];
        int r;

        snprintf(path, sizeof(path), "process.%s", key);
        if ((r = hr_harden_get(container_process, key, path, &want, err)) < 0 ||
            (r = hr_harden_get(process, key, path, &have, err)) < 0)
                return r;
        if (hr_json_equal(have, want) || (!have && !want))
                return 0;
        if ((r = hr_report_change(report, "lsm", path, have, want, err)) < 0)
                return r;
        if (!want) {
                hr_json_remove(process, key);
                return 0;
        }
        return hr_json_set(process, key, hr_json_copy(want)) < 0
                   ? hr_error_set(err, ENOMEM, "out of memory")
                   : 0;
}

/*
 * What of linux the process knobs read: the user knob looks for a user
 * namespace that maps root elsewhere.  Keys that match but for case come
 * along, so that hr_harden_get() still refuses what runc would fold.  The
 * rest (the seccomp profile above all) is not copied for every exec.
 */
static struct hr_json *userns_view(const struct hr_json *lx)
{
        _cleanup_json_ struct hr_json *v = hr_json_new_object();

        for (size_t i = 0; v && lx->type == HR_JSON_OBJECT && i < lx->u.obj.len; i++) {
                const struct hr_json_member *m = &lx->u.obj.members[i];

                if ((strcasecmp(m->key, "namespaces") == 0 ||
                     strcasecmp(m->key, "uidMappings") == 0) &&
                    hr_json_set(v, m->key, hr_json_copy(m->value)) < 0)
                        return NULL;
        }
        return TAKE_PTR(v);
}

/*
 * Harden process as if it were the container's: the process knobs run over a
 * config holding a copy of process and the user namespace of the container's
 * (userns_view()), and *out gets the hardened process.
 */
static int harden_process(const struct hr_json *config, const struct hr_json *process,
                          const struct hr_policy *policy, struct hr_report *report,
                          struct hr_json **out, struct hr_error *err)
{
        static const char *const knobs[] = {"capabilities", "user", "no_new_privileges"};
        _cleanup_json_ struct hr_json *c = hr_json_new_object();
        const struct hr_json *lx = hr_json_get(config, "linux");
        struct hr_json *p;
        int r;

        if (!c || hr_json_set(c, "process", hr_json_copy(process)) < 0 ||
            (lx && hr_json_set(c, "linux", userns_view(lx)) < 0))
                return hr_error_set(err, ENOMEM, "out of memory");
        for (size_t i = 0; i < HR_ARRAY_SIZE(knobs); i++) {
                const struct hr_knob *k = hr_knob_find(knobs[i]);

                if ((r = k->apply(c, policy, report, err)) < 0)
                        return hr_error_prefix(err, "knob %s", k->name);
        }
        if ((r = hr_limits_rlimits(c, policy, report, err)) < 0)
                return hr_error_prefix(err, "knob limits");
        p = hr_json_get(c, "process");
        if ((r = same_label(p, hr_json_get(config, "process"), "apparmorProfile", report, err)) <
                0 ||
            (r = same_label(p, hr_json_get(config, "process"), "selinuxLabel", report, err)) < 0)
                return r;
        if (!(*out = hr_json_copy(p)))
                return hr_error_set(err, ENOMEM, "out of memory");
        return 0;
}

/* Add name to process.capabilities.SET, as runc and crun do for --cap; a set has it once. */
static int add_cap(struct hr_json *caps, const char *set, const char *name)
{
        struct hr_json *list = hr_json_get(caps, set);
        int cap = hr_cap_from_name(name);

        if (!list || list->type != HR_JSON_ARRAY) {
                if (hr_json_set(caps, set, hr_json_new_array()) < 0)
                        return -ENOMEM;
                list = hr_json_get(caps, set);
        }
        for (size_t i = 0; cap >= 0 && i < list->u.arr.len; i++) {
                const char *have = hr_json_string(list->u.arr.items[i]);

                if (have && hr_cap_from_name(have) == cap)
                        return 0;
        }
        return hr_json_append(list, hr_json_new_string(name));
}

/* process with the exec flags laid over it, as the runtime will build it. */
static int apply_flags(const struct hr_cmdline *cmd, struct hr_json *process, struct hr_error *err)
{
        static const char *const sets[] = {"bounding", "effective", "permitted"};
        struct hr_json *caps = hr_json_get(process, "capabilities");

        if (cmd->n_caps && (!caps || caps->type != HR_JSON_OBJECT)) {
                if (hr_json_set(process, "capabilities", hr_json_new_object()) < 0)
                        return hr_error_set(err, ENOMEM, "out of memory");
                caps = hr_json_get(process, "capabilities");
        }
        for (size_t i = 0; i < cmd->n_caps; i++)
                for (size_t j = 0; j < HR_ARRAY_SIZE(sets); j++)
                        if (add_cap(caps, sets[j], cmd->caps[i]) < 0)
                                return hr_error_set(err, ENOMEM, "out of memory");
        if (cmd->user) {
                _cleanup_free_ char *copy = strdup(cmd->user);
                struct hr_json *user;
                uint64_t id;
                char *gid;

                if (!copy)
                        return hr_error_set(err, ENOMEM, "out of memory");
                if ((gid = strchr(copy, ':')))
                        *gid++ = '\0';
                if (hr_parse_uint(copy, 0, UINT32_MAX, &id, NULL) < 0 ||
                    (gid && hr_parse_uint(gid, 0, UINT32_MAX, &id, NULL) < 0))
                        return hr_error_set(err, EINVAL,
                                            "exec --user \"%s\" is not UID[:GID] with numeric "
                                            "ids",
                                            cmd->user);
                if (hr_json_set(process, "user", hr_json_new_object()) < 0)
                        return hr_error_set(err, ENOMEM, "out of memory");
                user = hr_json_get(process, "user");
                if (hr_json_set(user, "uid", hr_json_new_number(copy)) < 0 ||
                    (gid && hr_json_set(user, "gid", hr_json_new_number(gid)) < 0))
                        return hr_error_set(err, ENOMEM, "out of memory");
        }
        if ((cmd->apparmor &&
             hr_json_set(process, "apparmorProfile", hr_json_new_string(cmd->apparmor)) < 0) ||
            (cmd->process_label &&
             hr_json_set(process, "selinuxLabel", hr_json_new_string(cmd->process_label)) < 0) ||
            (cmd->no_new_privs &&
             hr_json_set(process, "noNewPrivileges", hr_json_new_bool(true)) < 0))
                return hr_error_set(err, ENOMEM, "out of memory");
        return 0;
}

static bool widens(const struct hr_cmdline *cmd)
{
        return cmd->n_caps || cmd->user || cmd->apparmor || cmd->process_label;
}

/*
 * The process the runtime will build from base and the flags.  Neither can
 * be rewritten here (base is config.json's own process, or the --process
 * file already hardened), so whatever hardening would still change in it
 * becomes a violation, naming its source.
 */
static int check_built(const struct hr_cmdline *cmd, const struct hr_json *config,
                       const struct hr_json *base, bool crun_defaults,
                       const struct hr_policy *policy, struct hr_report *report,
                       struct hr_error *err)
{
        _cleanup_json_ struct hr_json *p = hr_json_copy(base), *hardened = NULL;
        const char *source = "the container's own process (config.json)";
        const char *fix = "recreate the container through hardrun";
        struct hr_report found = {0};
        int r;

        if (!p)
                return hr_error_set(err, ENOMEM, "out of memory");
        if (widens(cmd)) {
                source = "the exec flags (--cap, --user, --apparmor, --process-label)";
                fix = "drop the flag";
        }
        /*
         * crun 1.8 builds an exec'd process without --process as uid 0 and
         * without no_new_privs, whatever config.json says; only --user and
         * --no-new-privs change that.
         */
        if (crun_defaults) {
                _cleanup_json_ struct hr_json *root = hr_json_new_object();

                if (!root || hr_json_set(root, "uid", hr_json_new_number("0")) < 0 ||
                    hr_json_set(root, "gid", hr_json_new_number("0")) < 0 ||
                    hr_json_set(p, "user", TAKE_PTR(root)) < 0 ||
                    hr_json_set(p, "noNewPrivileges", hr_json_new_bool(false)) < 0)
                        return hr_error_set(err, ENOMEM, "out of memory");
                source = "crun's exec without --process (uid 0 and no no_new_privs unless "
                         "--user and --no-new-privs say otherwise)";
                fix = "pass --user UID:GID and --no-new-privs, or the process with --process";
        }
        if ((r = apply_flags(cmd, p, err)) < 0) {
                char msg[HR_ERROR_MSG_MAX];

                snprintf(msg, sizeof(msg), "%s", err->msg);
                return hr_report_violation(report, err, "user", "process.user", "%s", msg);
        }
        r = harden_process(config, p, policy, &found, &hardened, err);
        for (size_t i = 0; r == 0 && i < found.n_changes; i++) {
                const struct hr_change *c = &found.changes[i];

                r = hr_report_violation(report, err, c->knob, c->path,
                                        "%s would give %s %.200s where the policy allows %.200s; "
                                        "%s",
                                        source, c->path, c->before ? c->before : "nothing",
                                        c->after ? c->after : "none", fix);
        }
        hr_report_done(&found);
        return r;
}

/* ---- the command ---------------------------------------------------------- */

struct exec_ctx {
        const struct hr_cmdline *cmd;
        struct hr_json *config; /* the container's, as hardrun left it */
        struct hr_policy policy;
        struct hr_report report;
        struct hr_file process_file;
        struct hr_json *process; /* the --process file, parsed then hardened */
};

static int read_process(struct exec_ctx *x, struct hr_error *err)
{
        const struct hr_json *original;
        struct hr_json *hardened = NULL;
        int r;

        if ((r = hr_file_read(x->cmd->process, false, HR_JSON_MAX_SIZE, &x->process_file, err)) <
                0 ||
            (r = hr_json_parse(x->process_file.data, x->process_file.len, 0, &x->process, err)) < 0)
                return hr_error_prefix(err, "reading --process %s", x->cmd->process);
        if (x->process->type != HR_JSON_OBJECT)
                return hr_error_set(err, EINVAL, "--process %s is not a JSON object",
                                    x->cmd->process);
        original = x->process;
        if ((r = harden_process(x->config, original, &x->policy, &x->report, &hardened, err)) < 0)
                return hr_error_prefix(err, "hardening --process %s", x->cmd->process);
        hr_json_free(x->process);
        x->process = hardened;
        return 0;
}

/* Everything before the decision; an error here is not yet a policy refusal. */
static int exec_prepare(struct exec_ctx *x, const char *runtime,
                        const struct hr_policy_file *policy_file, struct hr_error *err)
{
        _cleanup_free_ char *bundle = NULL;
        const struct hr_json *base;
        int r;

        if ((r = hr_container_config(runtime, x->cmd, &bundle, &x->config, err)) < 0)
                return r;
        if ((r = hr_command_policy_for(x->cmd->id, bundle, policy_file, x->config, &x->policy,
                                       err)) < 0)
                return r;
        if (x->cmd->process && (r = read_process(x, err)) < 0)
                return r;
        /* A hardened --process file needs no second look unless flags come on top. */
        if (x->process && !widens(x->cmd))
                return 0;
        base = x->process ? x->process : hr_json_get(x->config, "process");
        if (!base || base->type != HR_JSON_OBJECT)
                return hr_error_set(err, EINVAL, "the container's config has no process object");
        return check_built(x->cmd, x->config, base,
                           !x->process && hr_runtime_flavour(runtime) == HR_FLAVOUR_CRUN,
                           &x->policy, &x->report, err);
}

int hr_command_exec(const struct hr_cmdline *cmd, const char *runtime,
                    const struct hr_policy_file *policy_file, struct hr_error *err)
{
        struct exec_ctx x = {.cmd = cmd, .process_file = HR_FILE_INIT};
        int r;

        r = exec_prepare(&x, runtime, policy_file, err);
        if (r < 0)
                hr_error_prefix(err, "refusing exec in container %s", cmd->id);
        else
                r = hr_command_decide(cmd, &x.policy, cmd->process ? &x.process_file : NULL,
                                      x.process, &x.report, err);
        hr_json_free(x.config);
        hr_json_free(x.process);
        hr_report_done(&x.report);
        hr_policy_done(&x.policy);
        hr_file_done(&x.process_file);
        return r;
}
