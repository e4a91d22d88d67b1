/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Knob sensitive_mounts: no bind mount of an engine socket or of a host
 * system directory.  These are refused, not fixed: the mount is what the
 * container asked for.
 *
 * A bind mount is refused when its source is a listed path or an ancestor
 * of one (binding /run exposes /run/docker.sock, binding / everything).  A
 * descendant is fine (/etc/localtime), except under an entry that ends in
 * a slash and two stars, which covers the whole subtree (/proc/sys is as
 * dangerous as /proc).  Paths are compared cleaned, and also as the host
 * resolves them, because /var/run is a symlink to /run and /lib one to
 * /usr/lib on Debian, and /proc/1/root leads to /.  A relative source is
 * resolved by the runtime against the bundle, which the knob does not see,
 * so it is refused rather than guessed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "harden.h"
#include "host.h"
#include "hr-cleanup.h"
#include "util.h"

#define KNOB    "sensitive_mounts"
#define SUBTREE "/**"

/* What each well-known path is, for the message. */
static const struct known {
        const char *path;
        const char *what;
        bool socket;
} known[] = {
    {"/", "the host's root filesystem", false},
    {"/boot", "the host's kernel and boot loader", false},
    {"/dev", "the host's devices", false},
    {"/etc", "the host's configuration", false},
    {"/lib", "the host's libraries", false},
    {"/proc", "the host's /proc", false},
    {"/run", "the host's run-time state, with the engine sockets", false},
    {"/run/containerd/containerd.sock", "the containerd socket", true},
    {"/run/crio/crio.sock", "the CRI-O socket", true},
    {"/run/docker.sock", "the Docker engine socket", true},
    {"/run/podman/podman.sock", "the Podman API socket", true},
    {"/sys", "the host's /sys", false},
    {"/usr", "the host's programs and libraries", false},
    {"/var/run", "the host's run-time state, with the engine sockets", false},
    {"/var/run/containerd/containerd.sock", "the containerd socket", true},
    {"/var/run/crio/crio.sock", "the CRI-O socket", true},
    {"/var/run/docker.sock", "the Docker engine socket", true},
    {"/var/run/podman/podman.sock", "the Podman API socket", true},
};

static const struct known *lookup(const char *path)
{
        for (size_t i = 0; i < HR_ARRAY_SIZE(known); i++)
                if (strcmp(known[i].path, path) == 0)
                        return &known[i];
        return NULL;
}

/* An entry is a clean absolute path, with an optional trailing SUBTREE. */
static int check_entry(const char *entry, struct hr_error *err)
{
        size_t len = strlen(entry), sl = strlen(SUBTREE);
        _cleanup_free_ char *base = strdup(entry), *clean = NULL;

        if (!base)
                return hr_error_set(err, ENOMEM, "out of memory");
        if (len >= sl && strcmp(entry + len - sl, SUBTREE) == 0)
                base[len - sl > 0 ? len - sl : 1] = '\0';
        if (base[0] != '/' || strchr(base, '*') || hr_path_clean(base, &clean) < 0 ||
            strcmp(clean, base) != 0)
                return hr_error_set(err, EINVAL,
                                    "knob " KNOB ": \"%s\" is not a clean absolute path "
                                    "(optionally ending in " SUBTREE ")",
                                    entry);
        return 0;
}

static int configure(struct hr_policy *policy, const struct hr_json *value, struct hr_error *err)
{
        struct hr_strv s = {0};
        int r;

        if ((r = hr_policy_strv(value, KNOB, &s, err)) < 0)
                return r;
        for (size_t i = 0; i < s.n; i++)
                if ((r = check_entry(s.v[i], err)) < 0) {
                        hr_strv_done(&s);
                        return r;
                }
        hr_strv_done(&policy->sensitive_mounts);
        policy->sensitive_mounts = s;
        return 0;
}

/* The sensitive paths as the knob compares them. */
struct entry {
        char *path; /* clean, without SUBTREE */
        char *real; /* the host's realpath of it, or NULL when it does not exist */
        bool subtree;
        const struct known *known;
};

struct entries {
        struct entry *v;
        size_t n;
};

static void entries_done(struct entries *e)
{
        for (size_t i = 0; i < e->n; i++) {
                free(e->v[i].path);
                free(e->v[i].real);
        }
        free(e->v);
        *e = (struct entries){0};
}

/* realpath through the host; a path that does not exist gives NULL. */
static int host_realpath(const struct hr_host *host, const char *path, char **out,
                         struct hr_error *err)
{
        int r = host->realpath(path, out);

        if (r == -ENOENT || r == -ENOTDIR) {
                *out = NULL;
                return 0;
        }
        return r < 0 ? hr_error_errno(err, -r, "resolving %s on the host", path) : 0;
}

static int entries_load(const struct hr_policy *policy, struct entries *out, struct hr_error *err)
{
        const struct hr_strv *s = &policy->sensitive_mounts;
        size_t sl = strlen(SUBTREE);
        int r;

        if (!(out->v = calloc(s->n ? s->n : 1, sizeof(*out->v))))
                return hr_error_set(err, ENOMEM, "out of memory");
        for (size_t i = 0; i < s->n; i++) {
                struct entry *e = &out->v[out->n++];
                size_t len = strlen(s->v[i]);

                e->subtree = len >= sl && strcmp(s->v[i] + len - sl, SUBTREE) == 0;
                if (!(e->path = strndup(s->v[i], e->subtree ? len - sl : len)))
                        return hr_error_set(err, ENOMEM, "out of memory");
                if (!*e->path) {
                        free(e->path);
                        if (!(e->path = strdup("/")))
                                return hr_error_set(err, ENOMEM, "out of memory");
                }
                e->known = lookup(e->path);
                /* A path hardrun cannot resolve (rootless: a root-only directory) is
                 * compared as written: whoever cannot resolve it cannot mount it. */
                if ((r = policy->host->realpath(e->path, &e->real)) < 0)
                        e->real = NULL;
        }
        return 0;
}

/* Is a the same path as b, or an ancestor of it? */
static bool covers(const char *a, const char *b)
{
        size_t n = strlen(a);

        if (strcmp(a, "/") == 0)
                return true;
        return strncmp(a, b, n) == 0 && (b[n] == '\0' || b[n] == '/');
}

/* How a source meets an entry, best first; the best is named in the message. */
enum relation {
        NONE,
        INSIDE,   /* a descendant, under a subtree entry */
        ANCESTOR, /* it holds the entry */
        SOCKET,   /* it holds (or is, on the host) an engine socket */
        SAME,     /* it is the entry on the host, through symlinks */
        EXACT,    /* it is the entry as written */
};

static enum relation match(const char *src, const char *real, const struct entry *e)
{
        const char *a[2] = {src, real}, *b[2] = {e->path, e->real};
        enum relation rel = NONE;

        if (strcmp(src, e->path) == 0)
                return EXACT;
        for (size_t i = 0; i < 2; i++)
                for (size_t j = 0; j < 2; j++) {
                        if (!a[i] || !b[j])
                                continue;
                        if (strcmp(a[i], b[j]) == 0)
                                return e->known && e->known->socket ? SOCKET : SAME;
                        if (covers(a[i], b[j]))
                                rel = e->known && e->known->socket ? SOCKET : ANCESTOR;
                        else if (e->subtree && covers(b[j], a[i]) && rel == NONE)
                                rel = INSIDE;
                }
        return rel;
}

static int refuse_relative(const struct hr_cfg_mount *m, struct hr_report *report,
                           struct hr_error *err)
{
        _cleanup_free_ char *path = NULL;

        if (asprintf(&path, "mounts[destination=%s].source", m->destination) < 0)
                return hr_error_set(err, ENOMEM, "out of memory");
        return hr_report_violation(report, err, KNOB, path,
                                   "bind mount source \"%s\" (at %s) is a relative path, which "
                                   "the runtime resolves against the bundle; hardrun cannot check "
                                   "it against the sensitive host paths: give an absolute path",
                                   m->source, m->destination);
}

static int check_mount(const struct hr_cfg_mount *m, const struct hr_policy *policy,
                       const struct entries *es, struct hr_report *report, struct hr_error *err)
{
        _cleanup_free_ char *src = NULL, *real = NULL, *path = NULL;
        const struct entry *best = NULL;
        enum relation best_rel = NONE;
        const char *what, *how;
        size_t hits = 0;
        char more[64] = "";
        int r;

        if (!m->source || !*m->source)
                return hr_error_set(err, EINVAL, "the bind mount at %s has no source",
                                    m->destination);
        if (m->source[0] != '/')
                return refuse_relative(m, report, err);
        if (hr_path_clean(m->source, &src) < 0)
                return hr_error_set(err, ENOMEM, "out of memory");
        /* A source that cannot be resolved is an error, unless it is refused as written. */
        r = host_realpath(policy->host, src, &real, err);
        for (size_t i = 0; i < es->n; i++) {
                enum relation rel = match(src, real, &es->v[i]);

                hits += rel != NONE;
                if (rel > best_rel) {
                        best_rel = rel;
                        best = &es->v[i];
                }
        }
        if (!best)
                return r;
        if (hits > 1)
                snprintf(more, sizeof(more), ", and %zu more sensitive path%s", hits - 1,
                         hits > 2 ? "s" : "");
        if (asprintf(&path, "mounts[destination=%s].source", m->destination) < 0)
                return hr_error_set(err, ENOMEM, "out of memory");
        what = best->known ? best->known->what : "a sensitive host path";
        if (best_rel == EXACT)
                return hr_report_violation(report, err, KNOB, path,
                                           "bind mount of %s (%s%s) into the container at %s is "
                                           "not allowed; remove the mount, or exempt this "
                                           "container with a rule",
                                           src, what, more, m->destination);
        how = best_rel == INSIDE ? "is inside" : "exposes";
        return hr_report_violation(report, err, KNOB, path,
                                   "bind mount of %s into the container at %s %s %s (%s%s); "
                                   "remove the mount, or exempt this container with a rule",
                                   src, m->destination, how, best->path, what, more);
}

static int apply(struct hr_json *config, const struct hr_policy *policy, struct hr_report *report,
                 struct hr_error *err)
{
        struct entries es = {0};
        struct hr_json *mounts;
        int r;

        if (policy->sensitive_mounts.n == 0)
                return 0;
        if ((r = hr_cfg_array(config, "mounts", "mounts", &mounts, err)) < 0)
                return r;
        for (size_t i = 0; mounts && i < mounts->u.arr.len && r == 0; i++) {
                struct hr_cfg_mount m;

                if ((r = hr_cfg_mount(mounts, i, &m, err)) < 0)
                        break;
                if (m.bind && !es.v)
                        r = entries_load(policy, &es, err);
                if (r == 0 && m.bind)
                        r = check_mount(&m, policy, &es, report, err);
                hr_cfg_mount_done(&m);
        }
        entries_done(&es);
        return r;
}

const struct hr_knob hr_knob_sensitive_mounts = {
    .name = KNOB,
    .configure = configure,
    .apply = apply,
};
