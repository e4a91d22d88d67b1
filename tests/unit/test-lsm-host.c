/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The real host's AppArmor and SELinux answers (lsm-host.h): the parsers of
 * securityfs's profile list and of lxc_contexts, table-driven, and the real
 * calls on this host, which enforces neither LSM: they must fail cleanly,
 * never claim a profile is loaded.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <selinux/selinux.h>

#include "host.h"
#include "hr-cleanup.h"
#include "lsm-host.h"
#include "tap.h"

static void test_listed(void)
{
        static const char profiles[] = "docker-default (enforce)\n"
                                       "/usr/sbin/ntpd (enforce)\n"
                                       "hardrun-default-old (complain)\n"
                                       "cri-containerd.apparmor.d (enforce)\n"
                                       "weird (name) (enforce)\n"
                                       "podman//child (enforce)\n"
                                       "last (unconfined)";
        static const struct {
                const char *name;
                bool listed;
        } cases[] = {
            {"docker-default", true},
            {"/usr/sbin/ntpd", true},
            {"cri-containerd.apparmor.d", true},
            {"last", true},
            {"podman//child", true},
            {"hardrun-default", false},
            {"docker", false},
            {"default", false},
            {"weird", false},
            {"podman", false},
            {"", false},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
                is_int(hr_apparmor_listed(profiles, cases[i].name), cases[i].listed,
                       "profile \"%s\" %s", cases[i].name,
                       cases[i].listed ? "listed" : "not listed");
        ok(!hr_apparmor_listed("", "docker-default"), "an empty list lists nothing");
}

static void test_lxc_contexts(void)
{
        static const char fedora[] =
            "process = \"system_u:system_r:container_t:s0\"\n"
            "content = \"system_u:object_r:virt_var_lib_t:s0\"\n"
            "file = \"system_u:object_r:container_file_t:s0\"\n"
            "ro_file=\"system_u:object_r:container_ro_file_t:s0\"\n"
            "sandbox_kvm_process = \"system_u:system_r:container_kvm_t:s0\"\n"
            "sandbox_lxc_process = \"system_u:system_r:container_init_t:s0\"\n";
        static const struct {
                const char *text, *process, *file, *error;
        } cases[] = {
            {fedora, "system_u:system_r:container_t:s0", "system_u:object_r:container_file_t:s0",
             NULL},
            {"# a comment\n  process=u:r:t:s0  # trailing\n\tfile =\t'x'\nfile=u:o:f:s0\r\n",
             "u:r:t:s0", "u:o:f:s0", NULL},
            {"process = \"a:b:c\"\nprocess = \"d:e:f\"\nfile = \"g:h:i\"\n", "d:e:f", "g:h:i",
             NULL},
            {"file = \"a:b:c\"\n", NULL, NULL, "it has no process entry"},
            {"process = \"a:b:c\"\nfile = \"\"\n", NULL, NULL, "it has no file entry"},
            {"process\nfile\n", NULL, NULL, "it has no process entry"},
            {"", NULL, NULL, "it has no process entry"},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                _cleanup_free_ char *process = NULL, *file = NULL;
                struct hr_error err = {0};
                int r = hr_selinux_lxc_parse(cases[i].text, &process, &file, &err);

                if (cases[i].error) {
                        ok(r == -EINVAL && strcmp(err.msg, cases[i].error) == 0,
                           "lxc_contexts case %zu: %s (%s)", i, cases[i].error, err.msg);
                        continue;
                }
                is_int(r, 0, "lxc_contexts case %zu parses (%s)", i, err.msg);
                is_str(process, cases[i].process, "case %zu: process", i);
                is_str(file, cases[i].file, "case %zu: file", i);
        }
}

/* This host enforces neither LSM: the real calls fail cleanly. */
static void test_this_host(void)
{
        _cleanup_free_ char *process = NULL, *file = NULL;
        struct hr_error err = {0};
        const char *path;
        bool loaded = true;
        int r;

        if (hr_host_real.apparmor_enabled() || hr_host_real.selinux_enabled()) {
                printf("# this host enforces an LSM: the checks of its absence do not apply\n");
                return;
        }
        r = hr_host_real.apparmor_loaded("hardrun-default", &loaded);
        ok(r < 0 || !loaded, "no AppArmor: hardrun-default is not reported loaded (%d)", r);
        r = hr_host_real.apparmor_load(hr_apparmor_default_profile, &err);
        if (access("/usr/sbin/apparmor_parser", X_OK) == 0 ||
            access("/sbin/apparmor_parser", X_OK) == 0)
                ok(r == -EIO && strstr(err.msg, "apparmor_parser exited with status"),
                   "loading fails with the parser's own words (%s)", err.msg);
        else
                ok(r == -ENOENT && strstr(err.msg, "apparmor_parser is not installed"),
                   "loading says the parser is missing (%s)", err.msg);
        path = selinux_lxc_contexts_path();
        if (path && access(path, F_OK) == 0) {
                printf("# %s exists here: its contexts are not checked\n", path);
                return;
        }
        err = (struct hr_error){0};
        r = hr_host_real.selinux_contexts(&process, &file, &err);
        ok(r < 0 && path && strstr(err.msg, path),
           "no SELinux policy: reading the container contexts fails, naming %s (%s)",
           path ? path : "no file", err.msg);
}

int main(void)
{
        test_listed();
        test_lxc_contexts();
        test_this_host();
        return tap_done();
}
