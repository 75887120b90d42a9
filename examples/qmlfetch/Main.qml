// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Crochet
import QmlFetch // this module: the C++ type Backend

ApplicationWindow {
    id: window
    width: 640
    height: 400
    visible: true
    title: "Crochet for Qt: fetch from QML"

    required property Backend backend // made in main.cpp
    required property string initialUrl
    // The current fetch: an EventualResult made by Crochet::toQml().
    property EventualResult page: null

    // Emitted once a result is on screen, and the reactor's figures (which
    // lag by up to 250 ms) have caught up with it (the example's --screenshot).
    signal resultShown()
    readonly property bool settled: page !== null && page.ready && Reactor.pendingResults === 0
                                    && Reactor.repliesInFlight === 0
    onSettledChanged: if (settled) shownLater.start()

    function fetch() {
        page = backend.fetch(urlField.text)
    }

    function status() {
        if (!page)
            return ""
        if (!page.ready)
            return page.progress < 0 ? "Connecting…"
                                     : "Downloading… " + Math.round(page.progress * 100) + "%"
        if (page.cancelled)
            return "Cancelled"
        if (page.error)
            return "Error: " + page.error
        return "HTTP " + page.value.statusCode + ", " + page.value.body.byteLength
                + " bytes from " + page.value.url
    }

    Component.onCompleted: fetch()

    // Emits resultShown() from the event loop, once the window shows the
    // new state.
    Timer {
        id: shownLater
        interval: 0
        onTriggered: window.resultShown()
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 12
        spacing: 8

        RowLayout {
            Layout.fillWidth: true
            TextField {
                id: urlField
                Layout.fillWidth: true
                text: window.initialUrl
                onAccepted: window.fetch()
            }
            Button {
                text: "Fetch"
                onClicked: window.fetch()
            }
            Button {
                text: "Cancel"
                enabled: window.page !== null && !window.page.ready
                onClicked: window.page.cancel()
            }
        }

        // A plain bar: Qt 6.4's Basic-style ProgressBar keeps an image
        // texture alive past exit, which LeakSanitizer reports.
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: 8
            radius: 4
            color: "#d0d0d0"
            Rectangle {
                // A failed result's progress is 1 too: show an empty bar then.
                width: parent.width * (window.page && !window.page.error
                                       ? Math.max(0, window.page.progress) : 0)
                height: parent.height
                radius: parent.radius
                color: palette.highlight
            }
        }

        Label {
            Layout.fillWidth: true
            text: window.status()
            color: window.page && window.page.ready && window.page.error ? "firebrick" : palette.text
            elide: Text.ElideRight
        }

        ScrollView {
            Layout.fillWidth: true
            Layout.fillHeight: true
            TextArea {
                readOnly: true
                wrapMode: TextEdit.Wrap
                font.family: "monospace"
                text: window.page && window.page.ready && !window.page.error ? window.page.value.text : ""
            }
        }
    }

    // The reactor at a glance: the singleton Reactor, updated 4 times a second.
    Rectangle {
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: 12
        width: reactorFigures.implicitWidth + 16
        height: reactorFigures.implicitHeight + 10
        radius: 4
        color: "#d0303030"
        Text {
            id: reactorFigures
            anchors.centerIn: parent
            color: "white"
            font.family: "monospace"
            font.pixelSize: 11
            text: "reactor   pending " + Reactor.pendingResults + " · queued " + Reactor.queuedCalls
                  + " · replies " + Reactor.repliesInFlight + "\n"
                  + "last 10 s lag p50 " + Reactor.lagP50.toFixed(1) + " ms · p99 "
                  + Reactor.lagP99.toFixed(1) + " ms · busy " + Math.round(Reactor.busyFraction * 100) + "%"
        }
    }
}
