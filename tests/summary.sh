#!/usr/bin/env bash
# Add up the TAP of every tier and print the final "N passed, N failed, N skipped" line.
set -u
dir=${1:-build/tap}
passed=0 failed=0 skipped=0
for tap in "$dir"/*.tap; do
	[ -e "$tap" ] || continue
	p=$(grep -cE '^ok ' "$tap")
	s=$(grep -cE '^ok .*# ?[Ss][Kk][Ii][Pp]' "$tap")
	f=$(grep -cE '^not ok ' "$tap")
	printf '%-12s %4d passed, %d failed, %d skipped\n' "$(basename "$tap" .tap)" \
		$((p - s)) "$f" "$s"
	passed=$((passed + p - s)) failed=$((failed + f)) skipped=$((skipped + s))
done
grep -hE '^not ok ' "$dir"/*.tap 2>/dev/null | sed 's/^/FAILED: /'
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
