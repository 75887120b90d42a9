// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// What QML calls to start work in examples/qmlfetch. A type of the module
// QmlFetch (QML_ELEMENT), so that qmllint and Qt Creator know Main.qml's
// `backend` and what its methods return: Crochet's EventualResult.
#pragma once

#include <crochet/crochet.h>
#include <crochet/qml.h>

#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkRequest>
#include <QtQml/qqmlregistration.h>

class Backend : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The Backend is made in C++ (main.cpp) and given to Main.qml")

public:
    //! Starts a download in the reactor; QML owns the returned object (it has no parent).
    Q_INVOKABLE Crochet::QmlEventualResult *fetch(const QUrl &url)
    {
        // Runs in the reactor thread: the reply's NetworkResponse is the result.
        static const auto fetchPage = Crochet::runInReactor([](const QUrl &page) {
            return Crochet::networkAccessManager()->get(QNetworkRequest(page));
        });
        return Crochet::toQml(fetchPage(url));
    }
};
