// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Small helpers shared by the network tests.

#include <crochet/crochet.h>

#include <QtNetwork/QHostAddress>
#include <QtNetwork/QNetworkProxyFactory>
#include <QtNetwork/QTcpServer>

#include <exception>
#include <optional>
#include <typeinfo>

namespace CrochetTest {

/*!
    Returns what \a call returns; an exception becomes a warning and nullopt,
    because an exception escaping a QTest function aborts the whole binary.
*/
template <typename Call>
auto valueOf(Call call) -> std::optional<decltype(call())>
{
    try {
        return call();
    } catch (const std::exception &error) {
        qWarning("%s was thrown: %s", typeid(error).name(), error.what());
    } catch (...) {
        qWarning("an exception of an unknown type was thrown");
    }
    return std::nullopt;
}

/*!
    Runs \a call and returns the NetworkError it threw; nullopt, after a
    warning, when it threw another exception or none (the test then fails on
    the nullopt).
*/
template <typename Call>
std::optional<Crochet::NetworkError> networkErrorOf(Call call)
{
    try {
        call();
        qWarning("no exception was thrown");
    } catch (const Crochet::NetworkError &error) {
        return error;
    } catch (const std::exception &error) {
        qWarning("a %s was thrown instead: %s", typeid(error).name(), error.what());
    }
    return std::nullopt;
}

/*!
    initTestCase() of the tests against a local server: sets up the global
    reactor with no system proxy, since everything they reach is on 127.0.0.1.
*/
inline void setupLocalNetwork()
{
    QNetworkProxyFactory::setUseSystemConfiguration(false);
    Crochet::setup();
}

//! A port of 127.0.0.1 where nothing listens (it did a moment ago), 0 if none.
inline quint16 closedPort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

} // namespace CrochetTest
