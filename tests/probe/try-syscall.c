/* try-syscall: what does the seccomp filter do to each call, from inside the container?
 *
 * Built static (gcc -static -pthread -O2 -Wall -Wextra -Werror) and copied
 * into the bundle's rootfs; the integration tests run it as the container's
 * command and parse its output, one "key=value" line per fact.
 *
 *   try-syscall             every probe below, then the ordinary calls
 *   try-syscall NAME...     only those probes (e.g. one call, to find its log record)
 *   try-syscall -x NAME...  all but those (e.g. a call the profile kills the process for)
 *
 * Each probe makes one system call with arguments that make the kernel fail
 * it in a known, harmless way when the filter lets it through, so that the
 * errno printed says who answered: "EPERM" or "ENOSYS" from the filter, or
 * the kernel's own answer (EFAULT, EINVAL, ESRCH, EAFNOSUPPORT...), or "0"
 * when the call succeeded.  Calls that would change the probe itself
 * (unshare, clone, personality) run in a child process.
 *
 * Then the calls every program makes, each "ok" or "fail ERRNAME":
 *   threads    pthread_create and join (glibc tries clone3 first)
 *   fork_exec  fork, execve of this program, wait
 *   socket_unix, socket_inet, socket_netlink   make and use a socket
 *   files      create, write, sync, read, stat, rename, list and remove
 * And: Seccomp (as in /proc/self/status), pid (to find log records).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef AF_ALG
#define AF_ALG 38
#endif
#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif
#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef SYS_io_uring_setup
#define SYS_io_uring_setup 425
#endif
/* Newer than the libseccomp hardrun is built with, so outside its profile. */
#define SYS_fchmodat2_x86_64 452
/* Past every syscall table. */
#define SYS_BEYOND    1000
#define BAD_POINTER   ((void *)1)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *errno_name(int e)
{
        static char buf[16];
        static const struct {
                int e;
                const char *name;
        } names[] = {
            {EPERM, "EPERM"},
            {ENOSYS, "ENOSYS"},
            {EINVAL, "EINVAL"},
            {EFAULT, "EFAULT"},
            {ESRCH, "ESRCH"},
            {EAFNOSUPPORT, "EAFNOSUPPORT"},
            {EACCES, "EACCES"},
            {EOPNOTSUPP, "EOPNOTSUPP"},
            {EBADF, "EBADF"},
            {ENOENT, "ENOENT"},
            {EIO, "EIO"},
            {ENOMEM, "ENOMEM"},
            {EPROTONOSUPPORT, "EPROTONOSUPPORT"},
        };

        for (size_t i = 0; i < ARRAY_SIZE(names); i++)
                if (names[i].e == e)
                        return names[i].name;
        snprintf(buf, sizeof(buf), "E%d", e);
        return buf;
}

/* The result of a raw call: "0" (or a non-negative value) or the errno's name. */
static const char *result(long r)
{
        return r >= 0 ? "0" : errno_name(errno);
}

/* Run fn in a child and report what it returned there. */
static const char *in_child(long (*fn)(void))
{
        int pipefd[2], status, e = 0;
        long r;
        pid_t pid;

        if (pipe(pipefd) < 0)
                return errno_name(errno);
        pid = fork();
        if (pid < 0)
                return errno_name(errno);
        if (pid == 0) {
                r = fn();
                e = r < 0 ? errno : 0;
                if (write(pipefd[1], &e, sizeof(e)) != sizeof(e))
                        _exit(1);
                _exit(0);
        }
        close(pipefd[1]);
        if (read(pipefd[0], &e, sizeof(e)) != sizeof(e))
                e = EIO;
        close(pipefd[0]);
        waitpid(pid, &status, 0);
        return e ? errno_name(e) : "0";
}

static long do_unshare(void)
{
        return unshare(CLONE_NEWUSER);
}

static long do_personality(void)
{
        return personality(READ_IMPLIES_EXEC);
}

/* clone(2) with a namespace flag; the child, if any, leaves at once. */
static long do_clone_newuser(void)
{
        long r = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);

        if (r == 0)
                _exit(0);
        if (r > 0)
                waitpid((pid_t)r, NULL, 0);
        return r;
}

static long do_socket(int family, int type)
{
        long r = socket(family, type, 0);

        if (r >= 0)
                close((int)r);
        return r;
}

static const char *p_keyctl(void)
{
        return result(syscall(SYS_keyctl, -1L, 0L, 0L, 0L, 0L));
}
static const char *p_add_key(void)
{
        return result(syscall(SYS_add_key, BAD_POINTER, BAD_POINTER, NULL, 0L, 0L));
}
static const char *p_request_key(void)
{
        return result(syscall(SYS_request_key, BAD_POINTER, BAD_POINTER, NULL, 0L));
}
static const char *p_bpf(void)
{
        return result(syscall(SYS_bpf, -1L, NULL, 0L));
}
static const char *p_perf_event_open(void)
{
        return result(syscall(SYS_perf_event_open, BAD_POINTER, 0L, -1L, -1L, 0L));
}
static const char *p_userfaultfd(void)
{
        return result(syscall(SYS_userfaultfd, -1L));
}
static const char *p_unshare(void)
{
        return in_child(do_unshare);
}
static const char *p_clone_newuser(void)
{
        return in_child(do_clone_newuser);
}
static const char *p_mount(void)
{
        return result(syscall(SYS_mount, "none", BAD_POINTER, "tmpfs", 0L, NULL));
}
static const char *p_ptrace(void)
{
        return result(syscall(SYS_ptrace, 16L /* PTRACE_ATTACH */, 0x7ffffff0L, NULL, NULL));
}
static const char *p_personality(void)
{
        return in_child(do_personality);
}
static const char *p_af_alg(void)
{
        return result(do_socket(AF_ALG, SOCK_SEQPACKET));
}
static const char *p_af_vsock(void)
{
        return result(do_socket(AF_VSOCK, SOCK_STREAM));
}
static const char *p_clone3(void)
{
        return result(syscall(SYS_clone3, NULL, 0L));
}
static const char *p_io_uring_setup(void)
{
        return result(syscall(SYS_io_uring_setup, 0L, NULL));
}
static const char *p_fchmodat2(void)
{
#ifdef __x86_64__
        return result(syscall(SYS_fchmodat2_x86_64, AT_FDCWD, "/", 0L, -1L));
#else
        return "?";
#endif
}
static const char *p_beyond_table(void)
{
        return result(syscall(SYS_BEYOND, 0L));
}

static const struct probe {
        const char *name;
        const char *(*fn)(void);
} probes[] = {
    {"keyctl", p_keyctl},
    {"add_key", p_add_key},
    {"request_key", p_request_key},
    {"bpf", p_bpf},
    {"perf_event_open", p_perf_event_open},
    {"userfaultfd", p_userfaultfd},
    {"unshare_newuser", p_unshare},
    {"clone_newuser", p_clone_newuser},
    {"mount", p_mount},
    {"ptrace", p_ptrace},
    {"personality_read_implies_exec", p_personality},
    {"socket_af_alg", p_af_alg},
    {"socket_af_vsock", p_af_vsock},
    {"clone3", p_clone3},
    {"io_uring_setup", p_io_uring_setup},
    {"fchmodat2", p_fchmodat2},
    {"beyond_table", p_beyond_table},
};

/* ---- the ordinary calls -------------------------------------------------- */

static int thread_token;

static void *thread_main(void *arg)
{
        return arg;
}

static int threads(void)
{
        pthread_t t;
        void *ret = NULL;
        int e;

        if ((e = pthread_create(&t, NULL, thread_main, &thread_token)) != 0)
                return e;
        if ((e = pthread_join(t, &ret)) != 0)
                return e;
        return ret == &thread_token ? 0 : EIO;
}

static int fork_exec(void)
{
        char *argv[] = {"try-syscall", "--exit", NULL};
        int status;
        pid_t pid = fork();

        if (pid < 0)
                return errno;
        if (pid == 0) {
                execv("/proc/self/exe", argv);
                _exit(127);
        }
        if (waitpid(pid, &status, 0) < 0)
                return errno;
        return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : EIO;
}

static int socket_unix(void)
{
        int sv[2], e = 0;
        char c = 0;

        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
                return errno;
        if (write(sv[0], "x", 1) != 1 || read(sv[1], &c, 1) != 1 || c != 'x')
                e = errno ? errno : EIO;
        close(sv[0]);
        close(sv[1]);
        return e;
}

static int socket_inet(void)
{
        struct sockaddr_in a = {.sin_family = AF_INET};
        socklen_t len = sizeof(a);
        int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), e = 0;

        if (fd < 0)
                return errno;
        if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
            getsockname(fd, (struct sockaddr *)&a, &len) < 0)
                e = errno;
        close(fd);
        return e;
}

static int socket_netlink(void)
{
        struct sockaddr_nl a = {.nl_family = AF_NETLINK};
        int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE), e = 0;

        if (fd < 0)
                return errno;
        if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
                e = errno;
        close(fd);
        return e;
}

static int files(void)
{
        char name[] = "/tmp/try-syscall.XXXXXX", other[64], buf[4] = {0};
        struct stat st;
        int fd = mkstemp(name), e = 0, found = 0;
        struct dirent *d;
        DIR *dir;

        if (fd < 0)
                return errno;
        snprintf(other, sizeof(other), "%s.moved", name);
        if (write(fd, "abc", 3) != 3 || fsync(fd) < 0 || lseek(fd, 0, SEEK_SET) != 0 ||
            read(fd, buf, 3) != 3 || strcmp(buf, "abc") != 0 || fstat(fd, &st) < 0 ||
            st.st_size != 3 || rename(name, other) < 0)
                e = errno ? errno : EIO;
        close(fd);
        if (e == 0 && (dir = opendir("/tmp"))) {
                while ((d = readdir(dir)))
                        found |= strcmp(d->d_name, other + 5) == 0;
                closedir(dir);
        }
        if (e == 0 && !found)
                e = ENOENT;
        if (unlink(e ? name : other) < 0 && e == 0)
                e = errno;
        return e;
}

static const struct check {
        const char *name;
        int (*fn)(void);
} checks[] = {
    {"threads", threads},         {"fork_exec", fork_exec},           {"socket_unix", socket_unix},
    {"socket_inet", socket_inet}, {"socket_netlink", socket_netlink}, {"files", files},
};

static void seccomp_mode(void)
{
        char line[256];
        FILE *f = fopen("/proc/self/status", "re");

        while (f && fgets(line, sizeof(line), f))
                if (strncmp(line, "Seccomp:", 8) == 0)
                        printf("Seccomp=%ld\n", strtol(line + 8, NULL, 10));
        if (f)
                fclose(f);
}

static int run(const char *name)
{
        for (size_t i = 0; i < ARRAY_SIZE(probes); i++)
                if (strcmp(name, probes[i].name) == 0) {
                        errno = 0;
                        printf("%s=%s\n", name, probes[i].fn());
                        return 0;
                }
        fprintf(stderr, "try-syscall: unknown probe %s\n", name);
        return 2;
}

static bool excluded(int argc, char **argv, const char *name)
{
        for (int i = 2; i < argc; i++)
                if (strcmp(argv[i], name) == 0)
                        return true;
        return false;
}

int main(int argc, char **argv)
{
        bool except = argc > 1 && strcmp(argv[1], "-x") == 0;
        int status = 0;

        if (argc == 2 && strcmp(argv[1], "--exit") == 0)
                return 0;
        printf("pid=%ld\n", (long)getpid());
        seccomp_mode();
        fflush(stdout);
        for (int i = 1; !except && i < argc; i++)
                status |= run(argv[i]);
        if (argc > 1 && !except)
                return fflush(stdout) == 0 ? status : 1;
        for (size_t i = 0; i < ARRAY_SIZE(probes); i++)
                if (!except || !excluded(argc, argv, probes[i].name))
                        run(probes[i].name);
        fflush(stdout);
        for (size_t i = 0; i < ARRAY_SIZE(checks); i++) {
                int e = checks[i].fn();

                printf("%s=%s%s\n", checks[i].name, e ? "fail " : "ok", e ? errno_name(e) : "");
                fflush(stdout);
        }
        return fflush(stdout) == 0 ? 0 : 1;
}
