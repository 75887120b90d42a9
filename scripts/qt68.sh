#!/usr/bin/env bash
# Sourced by scripts/test: the "qt68" variant builds Crochet against Qt 6.8
# (Debian 13's packages) and runs the normal suite there, in a Debian 13 root
# made with debootstrap under build-qt68/ (kept between runs). Needs root and
# Debian's package mirror, as the quick start does.

# What the normal suite needs there: scripts/packages.sh's list, less clang
# and the format check's clang-format (both run on the host) and dpkg-dev
# (the debian test runs on the host). QCoro is Debian 13's 0.12 there.
CROCHET_QT68_PACKAGES=(
    g++ cmake ninja-build pkg-config
    qt6-base-dev qt6-base-private-dev qt6-declarative-dev qt6-httpserver-dev qt6-websockets-dev
    qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
    qml6-module-qtquick-window qml6-module-qtquick-templates qml6-module-qtqml-workerscript
    qml6-module-qttest qcoro-qt6-dev python3 nginx-light openssl valgrind
    doxygen qt6-declarative-dev-tools qml6-module-qtqml qml6-module-qtqml-models
)

# Runs "$@" in the Debian 13 root $1 with /proc and /dev mounted, and the
# source tree $2 at /src when given; unmounts them afterwards.
crochet_in_root() {
    local rootfs=$1 source=$2
    shift 2
    local mounts=("$rootfs/proc" "$rootfs/dev")
    mount --bind /proc "$rootfs/proc"
    mount --bind /dev "$rootfs/dev"
    if [ -n "$source" ]; then
        mkdir -p "$rootfs/src"
        mount --bind "$source" "$rootfs/src"
        mounts=("$rootfs/src" "${mounts[@]}")
    fi
    local status=0
    chroot "$rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
        LANG=C.UTF-8 "$@" || status=$?
    umount "${mounts[@]}"
    return $status
}

# The root with the Qt 6.8 packages, made once; .crochet-ready holds the
# package list it has, so that a root made with an older list gets the rest.
crochet_make_qt68_root() {
    local rootfs=$1
    local wanted="${CROCHET_QT68_PACKAGES[*]}"
    if [ -f "$rootfs/.crochet-ready" ] && [ "$(cat "$rootfs/.crochet-ready")" = "$wanted" ]; then
        return 0
    fi
    if [ ! -f "$rootfs/.crochet-ready" ]; then
        if ! command -v debootstrap >/dev/null; then
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
                debootstrap >/dev/null
        fi
        rm -rf "$rootfs"
        echo "== qt68: debootstrap trixie (Debian 13) into $rootfs"
        debootstrap --variant=minbase trixie "$rootfs" http://deb.debian.org/debian >/dev/null
    fi
    cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
    echo "== qt68: installing packages in $rootfs"
    crochet_in_root "$rootfs" "" /bin/sh -c "export DEBIAN_FRONTEND=noninteractive; \
        apt-get update -qq && apt-get install -y -qq --no-install-recommends $wanted >/dev/null"
    echo "$wanted" >"$rootfs/.crochet-ready"
}

# Builds the project in the root, examples included (not crochet-bench: it
# is no test), and runs the normal suite there.
crochet_run_qt68() {
    local root=$1 jobs=$2 rootfs=$1/build-qt68/root
    crochet_make_qt68_root "$rootfs"
    mkdir -p "$root/build-test-qt68"
    echo "== qt68 build and tests (Qt $(chroot "$rootfs" dpkg-query -W -f='${Version}' qt6-base-dev))"
    crochet_in_root "$rootfs" "$root" /bin/sh -c "\
        cmake -S /src -B /build -G Ninja -DCROCHET_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
            -DCROCHET_BUILD_TESTS=ON -DCROCHET_BUILD_EXAMPLES=ON -DCROCHET_BUILD_BENCHMARKS=OFF \
            >/dev/null && \
        cmake --build /build -j $jobs && \
        ctest --test-dir /build --output-on-failure -j $jobs --timeout 600 \
            --output-junit /src/build-test-qt68/junit.xml"
}
