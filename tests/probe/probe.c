/* probe: what can a process inside the container really do?
 *
 * Built static (gcc -static -O2 -Wall -Wextra -Werror) and copied into the
 * bundle's rootfs as /bin/probe; integration tests run it as the container's
 * command and parse its output.
 *
 *   probe            print one key=value line per fact (see report() below)
 *   probe sleep N    sleep N seconds (SIGTERM/SIGINT end it with status 0),
 *                    for create/start/exec/ps/kill tests
 *   probe env        print the environment, one VAR=value per line
 *   probe net        what an unprivileged network user can do:
 *                      bind_tcp_80     bind and listen on TCP port 80
 *                      icmp_dgram      open an ICMP echo (ping) socket
 *                      port_start ping_group_range   the two sysctls, as read
 *                    each "1" or "0 ERRNAME" (sysctls: the value, or "?")
 *   probe fork N     fork up to N children that wait, until fork fails:
 *                      forked          how many were forked
 *                      fork_error      ERRNAME of the failure, or "none"
 *                    then kill them all and exit 0
 *
 * Keys printed by the report:
 *   uid gid groups                    ids; groups comma-separated, "" if none
 *   CapEff CapBnd CapAmb              hex, as in /proc/self/status
 *   NoNewPrivs Seccomp                as in /proc/self/status
 *   root_writable tmp_writable        "1", or "0 ERRNAME" (e.g. "0 EROFS")
 *   writable_P                        same, for P in /, /tmp, /var/tmp, /run,
 *                                     /var/log, /var/cache
 *   mode_P                            octal permission bits of P, or "none"
 *   mount_fstype_P mount_opts_P       from /proc/self/mountinfo, for the
 *   mount_super_P                     topmost mount exactly at P, or "none";
 *                                     opts are the per-mount options
 *                                     (rw/ro,nosuid,nodev,...), super the
 *                                     filesystem's (size=,mode=,...)
 *
 * Every line is "key=value\n" with no spaces around '='. A fact that cannot
 * be read prints "?" (status keys) so a test always sees every key.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *const paths[] = {"/", "/tmp", "/var/tmp", "/run", "/var/log", "/var/cache"};
#define NPATHS (sizeof(paths) / sizeof(paths[0]))

static const char *errno_name(int e)
{
        static char buf[32];
        static const struct {
                int e;
                const char *name;
        } names[] = {
            {EROFS, "EROFS"},     {EACCES, "EACCES"},
            {EPERM, "EPERM"},     {ENOENT, "ENOENT"},
            {ENOSPC, "ENOSPC"},   {EEXIST, "EEXIST"},
            {ENOTDIR, "ENOTDIR"}, {EDQUOT, "EDQUOT"},
            {EIO, "EIO"},         {ENOSYS, "ENOSYS"},
            {EINVAL, "EINVAL"},   {EISDIR, "EISDIR"},
            {ELOOP, "ELOOP"},     {ENAMETOOLONG, "ENAMETOOLONG"},
            {EAGAIN, "EAGAIN"},   {EADDRINUSE, "EADDRINUSE"},
            {ENOMEM, "ENOMEM"},   {EAFNOSUPPORT, "EAFNOSUPPORT"},
        };
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
                if (names[i].e == e)
                        return names[i].name;
        snprintf(buf, sizeof(buf), "E%d", e);
        return buf;
}

/* Print the value of a "Key:\tvalue" line of /proc/self/status, or "?". */
static void status_fields(void)
{
        static const char *const keys[] = {"CapEff", "CapBnd", "CapAmb", "NoNewPrivs", "Seccomp"};
        char found[sizeof(keys) / sizeof(keys[0])][64];
        char line[512];
        FILE *f;

        for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
                strcpy(found[i], "?");
        f = fopen("/proc/self/status", "re");
        if (f) {
                while (fgets(line, sizeof(line), f)) {
                        char *colon = strchr(line, ':');
                        char *v;
                        size_t len;
                        if (!colon)
                                continue;
                        *colon = '\0';
                        v = colon + 1;
                        v += strspn(v, " \t");
                        len = strcspn(v, "\n");
                        v[len] = '\0';
                        for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
                                if (strcmp(line, keys[i]) == 0)
                                        snprintf(found[i], sizeof(found[i]), "%s", v);
                }
                fclose(f);
        }
        for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
                printf("%s=%s\n", keys[i], found[i]);
}

static void ids(void)
{
        gid_t groups[NGROUPS_MAX];
        int n = getgroups(NGROUPS_MAX, groups);

        printf("uid=%u\n", (unsigned)getuid());
        printf("gid=%u\n", (unsigned)getgid());
        printf("groups=");
        for (int i = 0; i < n; i++)
                printf("%s%u", i ? "," : "", (unsigned)groups[i]);
        printf("%s\n", n < 0 ? "?" : "");
}

/* "1" when a new file can be created in dir, else "0 ERRNAME". */
static const char *writable(const char *dir)
{
        static char res[48];
        char name[PATH_MAX];
        int fd;

        snprintf(name, sizeof(name), "%s%s.probe-%ld", dir, strcmp(dir, "/") ? "/" : "",
                 (long)getpid());
        fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) {
                snprintf(res, sizeof(res), "0 %s", errno_name(errno));
                return res;
        }
        close(fd);
        unlink(name);
        return "1";
}

/* Undo mountinfo's octal escapes (\040 for space etc.) in place. */
static void unescape(char *s)
{
        char *out = s;
        while (*s) {
                if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
                    s[3] >= '0' && s[3] <= '7') {
                        *out++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
                        s += 4;
                } else {
                        *out++ = *s++;
                }
        }
        *out = '\0';
}

/* For each path, the fstype and per-mount options of the last (topmost)
 * mountinfo entry mounted exactly there. */
static void mounts(void)
{
        char opts[NPATHS][256], super[NPATHS][256], fstype[NPATHS][64];
        char *line = NULL;
        size_t cap = 0;
        FILE *f;

        for (size_t i = 0; i < NPATHS; i++) {
                strcpy(opts[i], "none");
                strcpy(super[i], "none");
                strcpy(fstype[i], "none");
        }
        f = fopen("/proc/self/mountinfo", "re");
        if (f) {
                /* id parent major:minor root mountpoint opts [optional...] - fstype src superopts
                 */
                while (getline(&line, &cap, f) > 0) {
                        char *field[6] = {0}, *save = NULL, *tok, *fs = NULL, *so = NULL;
                        int n = 0;
                        line[strcspn(line, "\n")] = '\0';
                        for (tok = strtok_r(line, " ", &save); tok;
                             tok = strtok_r(NULL, " ", &save)) {
                                if (n < 6)
                                        field[n++] = tok;
                                else if (strcmp(tok, "-") == 0) {
                                        fs = strtok_r(NULL, " ", &save);
                                        if (fs && strtok_r(NULL, " ", &save))
                                                so = strtok_r(NULL, " ", &save);
                                        break;
                                }
                        }
                        if (n < 6 || !fs)
                                continue;
                        unescape(field[4]);
                        for (size_t i = 0; i < NPATHS; i++) {
                                if (strcmp(field[4], paths[i]) != 0)
                                        continue;
                                snprintf(opts[i], sizeof(opts[i]), "%s", field[5]);
                                snprintf(fstype[i], sizeof(fstype[i]), "%s", fs);
                                snprintf(super[i], sizeof(super[i]), "%s", so ? so : "");
                        }
                }
                free(line);
                fclose(f);
        }
        for (size_t i = 0; i < NPATHS; i++) {
                printf("mount_fstype_%s=%s\n", paths[i], fstype[i]);
                printf("mount_opts_%s=%s\n", paths[i], opts[i]);
                printf("mount_super_%s=%s\n", paths[i], super[i]);
        }
}

static int report(void)
{
        struct stat st;

        ids();
        status_fields();
        printf("root_writable=%s\n", writable("/"));
        printf("tmp_writable=%s\n", writable("/tmp"));
        for (size_t i = 0; i < NPATHS; i++) {
                printf("writable_%s=%s\n", paths[i], writable(paths[i]));
                if (stat(paths[i], &st) == 0)
                        printf("mode_%s=%04o\n", paths[i], (unsigned)(st.st_mode & 07777));
                else
                        printf("mode_%s=none\n", paths[i]);
        }
        mounts();
        return fflush(stdout) == 0 ? 0 : 1;
}

/* "1" when ok, else "0 ERRNAME" of errno. */
static const char *outcome(int ok)
{
        static char res[48];

        if (ok)
                return "1";
        snprintf(res, sizeof(res), "0 %s", errno_name(errno));
        return res;
}

static int bind_tcp(unsigned short port)
{
        struct sockaddr_in sa;
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), ok, err;

        if (fd < 0)
                return 0;
        memset(&sa, 0, sizeof(sa));
        sa.sin_family = AF_INET;
        sa.sin_port = htons(port);
        sa.sin_addr.s_addr = htonl(INADDR_ANY);
        ok = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 && listen(fd, 1) == 0;
        err = errno;
        close(fd);
        errno = err;
        return ok;
}

static int icmp_dgram(void)
{
        int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_ICMP);

        if (fd < 0)
                return 0;
        close(fd);
        return 1;
}

/* The first line of a file, or "?". */
static void print_file(const char *key, const char *path)
{
        char line[256] = "?";
        FILE *f = fopen(path, "re");

        if (f) {
                if (!fgets(line, sizeof(line), f))
                        strcpy(line, "?");
                fclose(f);
        }
        line[strcspn(line, "\n")] = '\0';
        printf("%s=%s\n", key, line);
}

static int net(void)
{
        printf("bind_tcp_80=%s\n", outcome(bind_tcp(80)));
        printf("icmp_dgram=%s\n", outcome(icmp_dgram()));
        print_file("port_start", "/proc/sys/net/ipv4/ip_unprivileged_port_start");
        print_file("ping_group_range", "/proc/sys/net/ipv4/ping_group_range");
        return fflush(stdout) == 0 ? 0 : 1;
}

static int do_fork(const char *arg)
{
        static pid_t kids[100000];
        unsigned long max, n = 0;
        int err = 0;
        char *end;

        errno = 0;
        max = strtoul(arg, &end, 10);
        if (errno || end == arg || *end || max > sizeof(kids) / sizeof(kids[0])) {
                fprintf(stderr, "probe: bad number of children: %s\n", arg);
                return 2;
        }
        fflush(stdout);
        while (n < max) {
                pid_t pid = fork();

                if (pid < 0) {
                        err = errno;
                        break;
                }
                if (pid == 0) {
                        pause();
                        _exit(0);
                }
                kids[n++] = pid;
        }
        for (unsigned long i = 0; i < n; i++)
                kill(kids[i], SIGKILL);
        for (unsigned long i = 0; i < n; i++)
                waitpid(kids[i], NULL, 0);
        printf("forked=%lu\n", n);
        printf("fork_error=%s\n", err ? errno_name(err) : "none");
        return fflush(stdout) == 0 ? 0 : 1;
}

static void on_term(int sig)
{
        (void)sig;
        _exit(0);
}

static int do_sleep(const char *arg)
{
        char *end;
        unsigned long secs;
        struct sigaction sa;
        struct timespec ts;

        errno = 0;
        secs = strtoul(arg, &end, 10);
        if (errno || end == arg || *end || secs > 86400) {
                fprintf(stderr, "probe: bad number of seconds: %s\n", arg);
                return 2;
        }
        /* As pid 1 a signal without a handler is ignored: make TERM/INT end us. */
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_term;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGINT, &sa, NULL);
        ts.tv_sec = (time_t)secs;
        ts.tv_nsec = 0;
        while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
                ;
        return 0;
}

int main(int argc, char **argv)
{
        extern char **environ;

        if (argc == 1)
                return report();
        if (argc == 3 && strcmp(argv[1], "sleep") == 0)
                return do_sleep(argv[2]);
        if (argc == 2 && strcmp(argv[1], "net") == 0)
                return net();
        if (argc == 3 && strcmp(argv[1], "fork") == 0)
                return do_fork(argv[2]);
        if (argc == 2 && strcmp(argv[1], "env") == 0) {
                for (char **e = environ; *e; e++)
                        printf("%s\n", *e);
                return fflush(stdout) == 0 ? 0 : 1;
        }
        fprintf(stderr, "usage: probe [sleep SECONDS | env | net | fork N]\n");
        return 2;
}
