// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// The context of README.md's fragments (see tst_docsnippets.cpp): the
// headers the README names, and what its fragments take from the text
// around them.

#include <crochet/crochet.h>
#include <crochet/task.h>

#include <QtCore/QList>
#include <QtCore/QLoggingCategory>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QStringList>
#include <QtCore/QUrl>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkRequest>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPlainTextEdit>

#include <chrono>

using namespace std::chrono_literals;

// "Asynchronous calls": the function that "Keeping results for later" stashes.
static const auto download = Crochet::runInReactor(
    [](const QUrl &url) { return Crochet::networkAccessManager()->get(QNetworkRequest(url)); });

// "From the GUI thread": a runInReactor function that fetches pages.
Crochet::EventualResult<QStringList> fetchAll(const QList<QUrl> &urls);

//! `this` of the statements: a window with the widgets "From the GUI
//! thread" fills in.
struct FragmentContext : QObject
{
    QUrl url;         // "Keeping results for later": what to download
    QList<QUrl> urls; // "From the GUI thread": what to fetch
    QPlainTextEdit *output = nullptr;
    QLabel *status = nullptr;
};
