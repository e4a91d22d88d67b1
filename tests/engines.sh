#!/usr/bin/env bash
# The engine tier: hardrun under real containerd, Docker and Podman.
#
#   tests/engines.sh [BATS FILE...]   start the engines, run tests/engines/*.bats
#                                     (or the files given) as TAP on stdout, stop
#   tests/engines.sh start DIR        start the engines in the empty directory DIR
#                                     and write DIR/env (for debugging by hand)
#   tests/engines.sh stop DIR         stop what `start DIR` started and remove DIR
#
# Everything lives under one fresh directory: containerd and dockerd on
# private sockets with their own roots, Podman with its own storage and a
# CONTAINERS_CONF of its own, so a system engine, if any, is left alone, and
# only the processes started here (by their pid) are stopped.  Three fixed
# places are shared with a system engine, by design of the engines and
# without collisions: containerd's shim keeps runc's state under
# /run/containerd/runc/NAMESPACE/ID and its sockets in /run/containerd/s
# (named by a hash of our socket), ctr its fifos in /run/containerd/fifo, and
# Podman updates its digest cache, /var/lib/containers/cache.  Each engine gets the
# same image, hrt-bb: static busybox, the probe at /bin/probe, and an
# /etc/passwd with root and nobody.
#
# The engines reach hardrun's policy through HARDRUN_POLICY=DIR/policy.json:
# containerd (and so the runc shim, and Docker through it) from its own
# environment, Podman through conmon_env_vars.  Tests rewrite that file and
# put back the default ({"runtime": "runc"}) afterwards.
#
# When an engine is missing or fails to start, DIR/env says why, and the
# tests that need it skip with that reason (CI, which installs every engine,
# fails on a skip).  The daemons' logs are kept in build/engines/.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
log_keep=$top/build/engines

say() { printf 'engines: %s\n' "$*" >&2; }

# Wait up to 30 s for a command to succeed, while the daemon PID lives.
wait_for_pid() { # PID CMD...
	local pid=$1 _
	shift
	for _ in $(seq 60); do
		"$@" >/dev/null 2>&1 && return 0
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.5
	done
	return 1
}

# The engines' Docker client: the one that comes with dockerd (a newer
# client elsewhere in PATH may not speak this daemon's API).
docker_cli() {
	if [ -x /usr/bin/docker ]; then echo /usr/bin/docker; else command -v docker; fi
}

# ---- the image -----------------------------------------------------------------

build_probe() {
	local probe=$top/build/probe src=$top/tests/probe/probe.c
	if [ ! -x "$probe" ] || [ "$src" -nt "$probe" ]; then
		mkdir -p "$top/build"
		gcc -static -O2 -Wall -Wextra -Werror -o "$probe.tmp.$$" "$src" &&
			mv -f "$probe.tmp.$$" "$probe" || return 1
	fi
	printf '%s\n' "$probe"
}

make_image_tar() { # DIR: writes DIR/image/rootfs.tar
	local r=$1/image/rootfs bb probe a
	bb=$(command -v busybox) || return 1
	LC_ALL=C ldd "$bb" 2>&1 | grep -q 'not a dynamic executable' || return 1
	probe=$(build_probe) || return 1
	mkdir -p "$r/bin" "$r/etc" "$r"/{proc,sys,dev,tmp,var/tmp,var/log,var/cache,run,root}
	chmod 1777 "$r/tmp" "$r/var/tmp"
	cp "$bb" "$r/bin/busybox"
	for a in $("$bb" --list); do
		[ "$a" = busybox ] || ln -sf busybox "$r/bin/$a"
	done
	cp "$probe" "$r/bin/probe"
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' \
		>"$r/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$r/etc/group"
	tar -C "$r" --numeric-owner -cf "$1/image/rootfs.tar" .
}

# ---- start ---------------------------------------------------------------------

start_containerd() { # DIR
	local d=$1
	if ! command -v containerd >/dev/null || ! command -v ctr >/dev/null; then
		echo "containerd is not installed"
		return 1
	fi
	command -v containerd-shim-runc-v2 >/dev/null ||
		{ echo "containerd-shim-runc-v2 is not installed"; return 1; }
	cat >"$d/containerd.toml" <<-EOF
		version = 2
		root = "$d/containerd/root"
		state = "$d/containerd/state"
		[grpc]
		  address = "$d/containerd.sock"
		[ttrpc]
		  address = "$d/containerd.sock.ttrpc"
		[plugins."io.containerd.internal.v1.opt"]
		  path = "$d/containerd/opt"
	EOF
	HARDRUN_POLICY=$d/policy.json setsid containerd --config "$d/containerd.toml" \
		</dev/null >"$d/containerd.log" 2>&1 &
	echo $! >"$d/containerd.pid"
	wait_for_pid "$(cat "$d/containerd.pid")" ctr -a "$d/containerd.sock" version ||
		{ echo "containerd did not answer on $d/containerd.sock (see build/engines/containerd.log)"; return 1; }
	ctr -a "$d/containerd.sock" images import --index-name hrt-bb:latest "$d/image/oci.tar" \
		>/dev/null 2>"$d/ctr-import.err" ||
		{ echo "ctr images import failed: $(cat "$d/ctr-import.err")"; return 1; }
}

start_dockerd() { # DIR
	local d=$1 docker
	command -v dockerd >/dev/null || { echo "dockerd is not installed"; return 1; }
	docker=$(docker_cli) || { echo "the docker client is not installed"; return 1; }
	mkdir -p "$d/docker"
	# contrib/docker/daemon.json, with this tree's hardrun, plus what makes a
	# private daemon: no bridge or iptables, its own paths, our containerd
	# (deprecated-key-path: Docker 20.10 otherwise writes /etc/docker/key.json).
	jq --arg hr "$top/hardrun" --arg d "$d" '.runtimes.hardrun.path = $hr | . + {
		"iptables": false, "bridge": "none",
		"data-root": "\($d)/docker/data", "exec-root": "\($d)/docker/exec",
		"pidfile": "\($d)/docker/docker.pid", "hosts": ["unix://\($d)/docker.sock"],
		"containerd": "\($d)/containerd.sock",
		"deprecated-key-path": "\($d)/docker/key.json",
		"default-ulimits": {"nofile": {"Name": "nofile", "Hard": 1024, "Soft": 1024}}}' \
		"$top/contrib/docker/daemon.json" >"$d/docker/daemon.json" ||
		{ echo "cannot write daemon.json"; return 1; }
	HARDRUN_POLICY=$d/policy.json setsid dockerd --config-file "$d/docker/daemon.json" </dev/null >"$d/dockerd.log" 2>&1 &
	echo $! >"$d/dockerd.pid"
	wait_for_pid "$(cat "$d/dockerd.pid")" env DOCKER_HOST="unix://$d/docker.sock" "$docker" version ||
		{ echo "dockerd did not answer on $d/docker.sock (see build/engines/dockerd.log)"; return 1; }
	DOCKER_HOST="unix://$d/docker.sock" "$docker" import --change "ENV PATH=/bin" \
		"$d/image/rootfs.tar" hrt-bb >/dev/null 2>"$d/docker-import.err" ||
		{ echo "docker import failed: $(cat "$d/docker-import.err")"; return 1; }
}

podman_cmd() { # DIR: the podman command line of this tier
	printf '%s\n' podman --root "$1/podman/root" --runroot "$1/podman/run" \
		--tmpdir "$1/podman/tmp" --storage-driver overlay
}

start_podman() { # DIR
	local d=$1 p
	command -v podman >/dev/null || { echo "podman is not installed"; return 1; }
	command -v conmon >/dev/null || { echo "conmon is not installed"; return 1; }
	mkdir -p "$d/podman"
	# This host has no systemd; Podman's default ulimits exceed its hard limits.
	cat >"$d/podman/containers.conf" <<-EOF
		[containers]
		default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
		[engine]
		cgroup_manager = "cgroupfs"
		events_logger = "file"
		conmon_env_vars = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HARDRUN_POLICY=$d/policy.json"]
	EOF
	mapfile -t p < <(podman_cmd "$d")
	CONTAINERS_CONF=$d/podman/containers.conf "${p[@]}" import --change "ENV PATH=/bin" \
		"$d/image/rootfs.tar" hrt-bb >/dev/null 2>"$d/podman-import.err" ||
		{ echo "podman import failed: $(cat "$d/podman-import.err")"; return 1; }
	# containerd's copy of the image comes from Podman, as an OCI archive.
	CONTAINERS_CONF=$d/podman/containers.conf "${p[@]}" save --format oci-archive \
		-o "$d/image/oci.tar" hrt-bb >/dev/null 2>"$d/podman-save.err" ||
		{ echo "podman save failed: $(cat "$d/podman-save.err")"; return 1; }
}

start() { # DIR
	local d=$1 why docker
	: >"$d/env"
	printf '{"runtime": "runc"}\n' >"$d/policy.json"
	docker=$(docker_cli 2>/dev/null || true)
	{
		printf 'export HR_E=%q\n' "$d"
		printf 'export HR_E_POLICY=%q\n' "$d/policy.json"
		printf 'export CTR_SOCK=%q\n' "$d/containerd.sock"
		printf 'export DOCKER_HOST=%q\n' "unix://$d/docker.sock"
		printf 'export HR_DOCKER=%q\n' "$docker"
		printf 'export CONTAINERS_CONF=%q\n' "$d/podman/containers.conf"
		printf 'HR_PODMAN=(%s)\n' "$(podman_cmd "$d" | while read -r w; do printf '%q ' "$w"; done)"
	} >>"$d/env"
	if [ "$(id -u)" -ne 0 ]; then
		why="the engine tier needs root"
		printf 'export HR_NO_PODMAN=%q HR_NO_CONTAINERD=%q HR_NO_DOCKER=%q\n' \
			"$why" "$why" "$why" >>"$d/env"
		return 0
	fi
	if ! why=$(make_image_tar "$d" 2>&1); then
		why="cannot build the image (static busybox and gcc are needed): $why"
		printf 'export HR_NO_PODMAN=%q HR_NO_CONTAINERD=%q HR_NO_DOCKER=%q\n' \
			"$why" "$why" "$why" >>"$d/env"
		return 0
	fi
	# Podman first: containerd's image is Podman's OCI archive.
	if ! why=$(start_podman "$d"); then
		{
			printf 'export HR_NO_PODMAN=%q\n' "$why"
			printf 'export HR_NO_CONTAINERD=%q\n' "no image for containerd: $why"
			printf 'export HR_NO_DOCKER=%q\n' "no containerd for dockerd: $why"
		} >>"$d/env"
		return 0
	fi
	if ! why=$(start_containerd "$d"); then
		{
			printf 'export HR_NO_CONTAINERD=%q\n' "$why"
			printf 'export HR_NO_DOCKER=%q\n' "no containerd for dockerd: $why"
		} >>"$d/env"
		return 0
	fi
	if ! why=$(start_dockerd "$d"); then
		printf 'export HR_NO_DOCKER=%q\n' "$why" >>"$d/env"
	fi
	return 0
}

# ---- stop ----------------------------------------------------------------------

stop_pid() { # PIDFILE
	local pid _
	[ -s "$1" ] || return 0
	pid=$(cat "$1")
	kill -TERM "$pid" 2>/dev/null || return 0
	for _ in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.2
	done
	say "pid $pid did not stop on SIGTERM; sending SIGKILL"
	kill -KILL "$pid" 2>/dev/null || true
}

stop() { # DIR
	local d=$1 docker ns t c m p
	[ -f "$d/env" ] || return 0
	docker=$(docker_cli 2>/dev/null || true)
	if [ -s "$d/dockerd.pid" ] && [ -n "$docker" ]; then
		# shellcheck disable=SC2046 # one id per word
		DOCKER_HOST="unix://$d/docker.sock" "$docker" rm -f \
			$(DOCKER_HOST="unix://$d/docker.sock" "$docker" ps -aq 2>/dev/null) >/dev/null 2>&1
		stop_pid "$d/dockerd.pid"
	fi
	if [ -s "$d/containerd.pid" ]; then
		# Every task and container in every namespace (default, moby), so
		# that no shim outlives its containerd.
		for ns in $(ctr -a "$d/containerd.sock" namespaces ls -q 2>/dev/null); do
			for t in $(ctr -a "$d/containerd.sock" -n "$ns" tasks ls -q 2>/dev/null); do
				ctr -a "$d/containerd.sock" -n "$ns" tasks kill -s KILL "$t" >/dev/null 2>&1
				ctr -a "$d/containerd.sock" -n "$ns" tasks rm -f "$t" >/dev/null 2>&1
			done
			for c in $(ctr -a "$d/containerd.sock" -n "$ns" containers ls -q 2>/dev/null); do
				ctr -a "$d/containerd.sock" -n "$ns" containers rm "$c" >/dev/null 2>&1
			done
		done
		stop_pid "$d/containerd.pid"
	fi
	if [ -d "$d/podman" ] && command -v podman >/dev/null; then
		mapfile -t p < <(podman_cmd "$d")
		CONTAINERS_CONF=$d/podman/containers.conf "${p[@]}" rm -af -t 0 >/dev/null 2>&1
		CONTAINERS_CONF=$d/podman/containers.conf "${p[@]}" system reset -f >/dev/null 2>&1
	fi
	mkdir -p "$log_keep"
	for f in containerd.log dockerd.log; do
		[ -f "$d/$f" ] && cp "$d/$f" "$log_keep/$f"
	done
	# Whatever is still mounted below DIR (storage drivers' private mounts),
	# deepest first.
	while read -r m; do
		umount -l "$m" 2>/dev/null || true
	done < <(awk -v d="$d/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r)
	rm -rf "$d"
}

# ---- main ----------------------------------------------------------------------

case ${1:-} in
start)
	[ -d "${2:-}" ] || { echo "usage: $0 start DIR" >&2; exit 2; }
	start "$(cd "$2" && pwd)"
	cat "$2/env"
	;;
stop)
	[ -d "${2:-}" ] || { echo "usage: $0 stop DIR" >&2; exit 2; }
	stop "$(cd "$2" && pwd)"
	;;
*)
	command -v bats >/dev/null || { echo "ok 1 # SKIP bats is not installed"; exit 0; }
	d=$(mktemp -d /tmp/hre.XXXXXX)
	trap 'stop "$d"' EXIT
	trap 'exit 130' INT TERM
	start "$d"
	[ $# -gt 0 ] || set -- "$top"/tests/engines/*.bats
	HR_ENGINES_ENV=$d/env bats --tap "$@"
	;;
esac
