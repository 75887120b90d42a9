// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Private: Qt Network in a process with no QCoreApplication.

namespace Crochet::detail {

/*!
    When there is no application object, creates Qt Network's
    application-wide objects now and keeps the warnings that creating them
    prints from reaching the user (see withoutapplication.cpp). Run by a
    reactor thread before its first call. Does nothing when an application
    object exists, or after the first time.
*/
void prepareNetworkWithoutApplication();

} // namespace Crochet::detail
