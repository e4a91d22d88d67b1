#!/usr/bin/env bash
# Build the Debian package from the tree with dpkg-deb (`make deb`).
#   contrib/debian/mkdeb.sh VERSION OUTDIR
# Stages `make install PREFIX=/usr` under OUTDIR/root, adds what Debian's
# policy asks of a binary package (compressed man pages, copyright,
# changelog, md5sums, conffiles) and writes OUTDIR/hardrun_VERSION_ARCH.deb.
# The engine configuration examples go to /usr/share/doc/hardrun/examples.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
version=${1:?usage: mkdeb.sh VERSION OUTDIR}
out=${2:?usage: mkdeb.sh VERSION OUTDIR}
command -v dpkg-deb >/dev/null || { echo "mkdeb: dpkg-deb is not installed" >&2; exit 1; }
arch=$(dpkg --print-architecture)
mkdir -p "$out"
out=$(cd "$out" && pwd)
root=$out/root
rm -rf "$root"
# Files in the package are dated by the last commit, for a reproducible build.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$top" log -1 --format=%ct 2>/dev/null || date +%s)}

make -C "$top" --no-print-directory -s install DESTDIR="$root" PREFIX=/usr SYSCONFDIR=/etc >&2
strip --remove-section=.comment --remove-section=.note --strip-unneeded "$root/usr/sbin/hardrun"

# Man pages compressed (and the links pointing at the compressed page).
find "$root/usr/share/man" -type f -name '*.[1-9]' -exec gzip -9n {} +
find "$root/usr/share/man" -type l -name '*.[1-9]' | while read -r l; do
	t=$(readlink "$l")
	rm "$l"
	ln -s "$t.gz" "$l.gz"
done

doc=$root/usr/share/doc/hardrun
install -d "$doc/examples"
install -m 0644 "$top/contrib/debian/copyright" "$doc/copyright"
# A native package: its changelog is changelog.gz.
gzip -9n <"$top/contrib/debian/changelog" >"$doc/changelog.gz"
chmod 0644 "$doc/changelog.gz"
install -d "$root/usr/share/lintian/overrides"
install -m 0644 "$top/contrib/debian/lintian-overrides" "$root/usr/share/lintian/overrides/hardrun"
install -m 0644 "$top/README.md" "$doc/README.md"
install -m 0644 "$top/contrib/README.md" "$doc/examples/README.md"
for d in docker podman containerd cri-o kubernetes; do
	install -d "$doc/examples/$d"
	find "$top/contrib/$d" -maxdepth 1 -type f -exec install -m 0644 {} "$doc/examples/$d/" \;
done

install -d "$root/DEBIAN"
(cd "$root" && find etc -type f | sed 's|^|/|' | sort) >"$root/DEBIAN/conffiles"
(cd "$root" && find usr -type f -print0 | sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
size=$(du -sk --apparent-size --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" \
	"$top/contrib/debian/control" >"$root/DEBIAN/control"
chmod 0644 "$root/DEBIAN/"*
find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

deb=$out/hardrun_${version}_$arch.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >&2
printf '%s\n' "$deb"
