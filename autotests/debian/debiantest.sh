#!/usr/bin/env bash
# debiantest.sh <build> <work> <cpack> <consumer> <version> <soversion> <qt version>
# See CMakeLists.txt. Writes nothing outside <work>; the installation
# happens in an overlay that only this script's mount namespace sees.
set -euo pipefail
build=$1 work=$2 cpack=$3 consumer=$4 version=$5 soversion=$6 qt_version=$7

skip() {
    if [ "${CROCHET_REQUIRE_DEBIAN_TEST:-}" = 1 ]; then
        echo "debian: cannot run: $* (CROCHET_REQUIRE_DEBIAN_TEST=1)" >&2
        exit 1
    fi
    echo "debian: skipped: $*"
    exit 77
}
fail() {
    echo "debian: $*" >&2
    exit 1
}
[ "$(id -u)" -eq 0 ] || skip "needs root, to install the packages in a scratch root"
for tool in unshare chroot mount dpkg-deb dpkg-architecture apt-get; do
    command -v "$tool" >/dev/null || skip "needs $tool"
done
grep -qx "CMAKE_INSTALL_PREFIX:PATH=/usr" "$build/CMakeCache.txt" ||
    skip "the build's CMAKE_INSTALL_PREFIX is not /usr (Debian packages install there)"

rm -rf "$work"
mkdir -p "$work"
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
libdir=usr/lib/$multiarch
deb_version=$version-1
runtime=libcrochet-qt6-$soversion

echo "== cpack -G DEB"
"$cpack" --config "$build/CPackConfig.cmake" -G DEB -B "$work/packages" >"$work/cpack.log" 2>&1 ||
    fail "cpack failed: $(cat "$work/cpack.log")"

# deb <package>: the file of that package, which must exist.
deb() {
    local file=$work/packages/${1}_${deb_version}_$(dpkg --print-architecture).deb
    [ -f "$file" ] || fail "no package $1 ($file); made: $(ls "$work/packages")"
    echo "$file"
}
# expect <package> <field> <text>...: the control field contains each text.
expect() {
    local package=$1 field=$2 value
    shift 2
    value=$(dpkg-deb -f "$(deb "$package")" "$field")
    for text in "$@"; do
        [[ $value == *"$text"* ]] || fail "$package: $field is '$value', without '$text'"
    done
}
# files <package> <path>...: the package holds each path (under /).
files() {
    local package=$1 contents
    shift
    contents=$(dpkg-deb -c "$(deb "$package")" | awk '{print $6}')
    for path in "$@"; do
        grep -qx "./$path" <<<"$contents" || fail "$package has no /$path:
$contents"
    done
}

echo "== names, versions, dependencies, files"
# Qt's private API ties the runtime library to this exact Qt (qt6-base-abi);
# the rest comes from the libraries the binaries link (dpkg-shlibdeps).
expect "$runtime" Depends "qt6-base-abi (= $qt_version)" libqt6core6 libqt6network6 libc6 libstdc++6
expect "$runtime" Version "$deb_version"
files "$runtime" "$libdir/libcrochet-core-qt6.so.$version" "$libdir/libcrochet-network-qt6.so.$version" \
    "usr/share/doc/Crochet/LICENSE"
expect libcrochet-qt6-dev Depends "$runtime (= $deb_version)" "qt6-base-dev" \
    "qml6-module-crochet (= $deb_version)"
files libcrochet-qt6-dev usr/include/crochet/crochet.h usr/include/crochet/version.h \
    usr/include/crochet/qml.h "$libdir/libcrochet-core-qt6.so" "$libdir/cmake/Crochet/CrochetConfig.cmake" \
    "$libdir/cmake/Crochet/CrochetConfigVersion.cmake" "$libdir/cmake/Crochet/CrochetQmlTargets.cmake"
expect qml6-module-crochet Depends "$runtime (= $deb_version)" libqt6qml6
files qml6-module-crochet "$libdir/libcrochet-qml-qt6.so.$version" "$libdir/qt6/qml/Crochet/qmldir" \
    "$libdir/qt6/qml/Crochet/plugins.qmltypes" "$libdir/qt6/qml/Crochet/libcrochetqmlplugin.so"

echo "== apt-get install ./*.deb in a scratch root"
root=$work/root
mkdir -p "$root" "$work/upper" "$work/overlaywork"
cat >"$work/inside.sh" <<'INSIDE'
set -euo pipefail
packages=$1 consumer=$2 libdir=$3 soversion=$4
cd "$packages"
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o Dpkg::Use-Pty=0 ./*.deb
dpkg-query -W "libcrochet-qt6-$soversion" libcrochet-qt6-dev qml6-module-crochet

echo "== the consumer, against what the packages installed"
cmake -S "$consumer" -B /tmp/consumer -G Ninja -DCONSUMER_QML=ON -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF >/tmp/configure.log ||
    { cat /tmp/configure.log; exit 1; }
grep -qx "Crochet_DIR:PATH=/$libdir/cmake/Crochet" /tmp/consumer/CMakeCache.txt ||
    { echo "find_package(Crochet) did not find /$libdir/cmake/Crochet:"; grep Crochet_DIR /tmp/consumer/CMakeCache.txt; exit 1; }
cmake --build /tmp/consumer --parallel 2 >/tmp/build.log || { cat /tmp/build.log; exit 1; }
/tmp/consumer/app | tee /tmp/app.txt
grep -qx "add(20, 22) in the reactor: 42" /tmp/app.txt
# The system's copy (the loader may name it by /lib, a link to /usr/lib).
loaded=$(sed -n 's/^library: //p' /tmp/app.txt)
[ "$(readlink -f "$loaded")" = "$(readlink -f "/$libdir/libcrochet-core-qt6.so.$soversion")" ] ||
    { echo "app loaded $loaded, not /$libdir/libcrochet-core-qt6.so.$soversion"; exit 1; }
output=$(/tmp/consumer/core-app)
[[ $output == "core alone: 42"* ]] || { echo "core-app: $output"; exit 1; }

echo "== the QML module, where Qt looks for it"
qt_qml=$(/usr/lib/qt6/bin/qtpaths6 --query QT_INSTALL_QML)
[ "$(cat /tmp/consumer/qml-import-path.txt)" = "$qt_qml" ] ||
    { echo "Crochet_QML_IMPORT_PATH is $(cat /tmp/consumer/qml-import-path.txt), Qt's is $qt_qml"; exit 1; }
# No import path given: the engine and qmllint find it in Qt's own folder.
output=$(/tmp/consumer/qml-app 2>&1) || true
[ "$output" = "QML: import Crochet works" ] || { echo "qml-app: $output"; exit 1; }
printf 'import QtQml\nimport Crochet\nQtObject {\n    property EventualResult result: null\n    property bool done: result !== null && result.ready\n}\n' >/tmp/Lint.qml
/usr/lib/qt6/bin/qmllint /tmp/Lint.qml
echo "installed and used: OK"
INSIDE
# A private mount namespace: the overlay (/ below, $work/upper above) and
# everything written through it disappear with this one command.
unshare --mount --propagation private bash -euo pipefail -c '
    root=$1 work=$2
    mount -t overlay overlay -o "lowerdir=/,upperdir=$work/upper,workdir=$work/overlaywork" "$root"
    mount --rbind /dev "$root/dev"
    mount -t proc proc "$root/proc"
    mount -t tmpfs tmpfs "$root/tmp"
    # Copied into the fresh /tmp: the build folder may itself be under /tmp,
    # which that mount hides.
    mkdir "$root/tmp/in"
    cp "$3" "$root/tmp/in/inside.sh"
    cp -r "$4" "$root/tmp/in/packages"
    cp -r "$5" "$root/tmp/in/consumer"
    exec chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
        bash /tmp/in/inside.sh /tmp/in/packages /tmp/in/consumer "$6" "$7"
' unshare "$root" "$work" "$work/inside.sh" "$work/packages" "$consumer" "$libdir" "$soversion" ||
    fail "installing or using the packages failed (above)"
rm -rf "$work/upper" "$work/overlaywork" "$root"
echo "debian: the packages install with apt-get and work"
