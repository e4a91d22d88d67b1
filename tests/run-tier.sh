#!/usr/bin/env bash
# Run one test tier and keep its TAP in build/tap/TIER.tap.
#   tests/run-tier.sh unit BIN...          each binary prints TAP
#   tests/run-tier.sh asan BIN...          same, sanitizer build
#   tests/run-tier.sh fuzz "BIN DIR"...    replay a corpus through a harness
#   tests/run-tier.sh asan-fuzz "BIN DIR"...  same, sanitizer build
#   tests/run-tier.sh tidy CFLAGS...         clang-tidy over src/
#   tests/run-tier.sh integration|engines|bench-smoke|format|shellcheck|man
set -u
tier=$1
shift
out=build/tap
mkdir -p "$out"
tap="$out/$tier.tap"
: >"$tap"

# "12 - what" or "12 what" (bats) -> "what"
describe() {
	local d=${1#* }
	printf '%s\n' "${d#- }"
}

# Append one test binary's TAP, renumbered so that a tier is one TAP stream.
n=0
add_tap() { # name, then TAP on stdin
	local name=$1 line
	while IFS= read -r line; do
		case $line in
		"ok "*) n=$((n + 1)); echo "ok $n - $name: $(describe "${line#ok }")" ;;
		"not ok "*) n=$((n + 1)); echo "not ok $n - $name: $(describe "${line#not ok }")" ;;
		"1.."*) ;;
		*) echo "$line" ;;
		esac
	done >>"$tap"
}

# One pass/fail line for a check that is not itself TAP.
add_check() { # status, name
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi >>"$tap"
}

case $tier in
unit | asan)
	for bin in "$@"; do
		res=$("$bin" 2>&1)
		st=$?
		add_tap "$(basename "$bin")" <<<"$res"
		[ "$st" -eq 0 ] || add_check 1 "$(basename "$bin") exited with status $st"
	done
	;;
fuzz | asan-fuzz)
	for pair in "$@"; do
		read -r bin dir <<<"$pair"
		res=$("$bin" "$dir" 2>&1)
		st=$?
		add_tap "$(basename "$bin")" <<<"$res"
		[ "$st" -eq 0 ] || add_check 1 "$(basename "$bin") exited with status $st"
	done
	;;
integration)
	if ! command -v bats >/dev/null; then
		echo "ok 1 # SKIP bats is not installed" >>"$tap"
	else
		res=$(bats --tap tests/integration 2>&1)
		add_tap integration <<<"$res"
	fi
	;;
engines)
	# Starts and stops its own containerd, dockerd and Podman storage.
	res=$(tests/engines.sh 2>&1)
	add_tap engines <<<"$res"
	;;
bench-smoke)
	# The bench harness on tiny counts: a well-formed results.json, never timings.
	res=$(tests/bench/smoke.sh)
	add_tap bench-smoke <<<"$res"
	;;
format)
	if ! command -v clang-format >/dev/null; then
		echo "ok 1 # SKIP clang-format is not installed" >>"$tap"
	else
		for f in $(git ls-files '*.c' '*.h'); do
			clang-format --dry-run --Werror "$f" >/dev/null 2>&1
			add_check $? "clang-format $f"
		done
	fi
	;;
shellcheck)
	if ! command -v shellcheck >/dev/null; then
		echo "ok 1 # SKIP shellcheck is not installed" >>"$tap"
	else
		for f in $(git ls-files '*.sh' '*.bash' '*.bats' .ci/run); do
			shellcheck -x -s bash "$f" >&2
			add_check $? "shellcheck $f"
		done
	fi
	;;
tidy)
	if ! command -v clang-tidy >/dev/null; then
		echo "ok 1 # SKIP clang-tidy is not installed" >>"$tap"
	else
		# The compiler flags come after the tier name; gcc-only ones are dropped.
		flags=()
		for f in "$@"; do
			case $f in -fstack-protector-strong | -D_FORTIFY_SOURCE=*) ;; *) flags+=("$f") ;; esac
		done
		for f in $(git ls-files 'src/*.c'); do
			clang-tidy -quiet "$f" -- "${flags[@]}" >&2 2>/dev/null
			add_check $? "clang-tidy $f"
		done
	fi
	;;
man)
	for f in man/*.[0-9]; do
		warnings=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 \
			groff -man -ww -z -rCHECKSTYLE=3 "$f" 2>&1)
		[ -z "$warnings" ] || printf '%s\n' "$warnings" >&2
		add_check "$([ -z "$warnings" ] && echo 0 || echo 1)" "man page lint (groff) $f"
		if command -v mandoc >/dev/null; then
			# Warnings and errors; mandoc's style notes (line length, and
			# references to pages of other packages) are left out.
			warnings=$(mandoc -Tlint -Wwarning "$f" 2>&1)
			[ -z "$warnings" ] || printf '%s\n' "$warnings" >&2
			add_check "$([ -z "$warnings" ] && echo 0 || echo 1)" "man page lint (mandoc -Tlint) $f"
		else
			echo "ok $((n += 1)) - mandoc -Tlint $f # SKIP mandoc is not installed" >>"$tap"
		fi
		# What man(1) shows: it renders, with a NAME section, and no
		# formatter diagnostic ("troff: FILE:LINE: warning: ...") among it.
		# (Not any "warning": a page may use the word.)
		if command -v man >/dev/null; then
			page=$(MANWIDTH=80 MANPAGER=cat man -l "$f" 2>&1)
			grep -q '^NAME' <<<"$page" && ! grep -qi 'warning:' <<<"$page"
			add_check $? "man -l renders $f"
		fi
	done
	;;
*)
	echo "run-tier.sh: unknown tier $tier" >&2
	exit 2
	;;
esac

cat "$tap"
! grep -q '^not ok' "$tap"
