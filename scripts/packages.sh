#!/usr/bin/env bash
# Installs, with apt-get, the Debian 12 packages that building and testing
# Crochet for Qt needs and that are missing. Sourced by scripts/demo and
# scripts/test; does nothing when everything is there.
set -euo pipefail

CROCHET_PACKAGES=(
    g++ clang cmake ninja-build pkg-config
    qt6-base-dev qt6-base-private-dev qt6-declarative-dev qt6-httpserver-dev qt6-websockets-dev
    qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
    qml6-module-qtquick-window qml6-module-qtquick-templates qml6-module-qtqml-workerscript
    qml6-module-qttest qcoro-qt6-dev
    python3 nginx-light openssl valgrind clang-format
    doxygen qt6-declarative-dev-tools qml6-module-qtqml qml6-module-qtqml-models dpkg-dev
)

crochet_install_packages() {
    local missing=()
    local package
    for package in "${CROCHET_PACKAGES[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$package")
        fi
    done
    if [ ${#missing[@]} -eq 0 ]; then
        return 0
    fi
    echo "Installing missing packages: ${missing[*]}"
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        sudo=(sudo)
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
