// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// OpenSSL keeps per-thread state (random generators, the error queue) for
// every thread that used it: Qt Network's TLS backend, QSslConfiguration,
// QHttpServer and HTTPS requests fill it in the reactor thread and in the
// HTTP threads. OpenSSL frees that state from a thread-exit destructor,
// which runs after QThread::wait() has returned, so a program that exits
// right after shutdown() races OpenSSL's own exit-time cleanup in the main
// thread, and LeakSanitizer reports the thread's state as leaked. Releasing
// it before the thread reports finished takes the race away.

#include "coreservices_p.h"

#include <dlfcn.h>
#include <link.h>

#include <cstring>

namespace Crochet::detail {

namespace {

// dl_iterate_phdr() callback: the path of the loaded libcrypto, if any (Qt
// loads it as libcrypto.so when the development symlink exists, else by its
// versioned name).
int findLoadedCrypto(dl_phdr_info *info, size_t, void *path)
{
    if (!info->dlpi_name || !std::strstr(info->dlpi_name, "/libcrypto.so"))
        return 0;
    *static_cast<const char **>(path) = info->dlpi_name;
    return 1;
}

} // namespace

// The library is looked up among those loaded rather than dlopen()ed by
// name: a dlopen() that fails leaves a per-thread error record behind,
// which glibc frees at thread exit too, with the same race.
void releaseThreadLibraryState() noexcept
{
    const char *path = nullptr;
    dl_iterate_phdr(&findLoadedCrypto, &path);
    if (!path)
        return;
    void *crypto = dlopen(path, RTLD_LAZY | RTLD_NOLOAD);
    if (!crypto)
        return;
    using ThreadStop = void (*)();
    if (auto stop = reinterpret_cast<ThreadStop>(dlsym(crypto, "OPENSSL_thread_stop")))
        stop(); // in OpenSSL 1.1.1 and 3, the versions Qt 6 supports
    dlclose(crypto);
}

} // namespace Crochet::detail
