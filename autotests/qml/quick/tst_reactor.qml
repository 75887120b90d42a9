// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Crochet
import CrochetTest

Item {
    id: root

    // When each busyFractionChanged came, while recording.
    property var changes: []
    property bool recording: false

    Connections {
        target: Reactor
        enabled: root.recording
        function onBusyFractionChanged() { root.changes.push(Date.now()) }
    }

    SignalSpy {
        id: pendingSpy
        target: Reactor
        signalName: "pendingResultsChanged"
    }

    TestCase {
        name: "Reactor"

        function test_properties() {
            compare(typeof Reactor.pendingResults, "number")
            compare(typeof Reactor.queuedCalls, "number")
            compare(typeof Reactor.repliesInFlight, "number")
            compare(typeof Reactor.lagP50, "number")
            compare(typeof Reactor.lagP99, "number")
            verify(Reactor.busyFraction >= 0 && Reactor.busyFraction <= 1)
            verify(Reactor.lagP50 <= Reactor.lagP99)
            compare(Reactor.repliesInFlight, 0)
        }

        function test_readOnly() {
            let error = ""
            // By name: qmllint rightly refuses the assignment written out.
            const property = "pendingResults"
            try {
                Reactor[property] = 5
            } catch (e) {
                error = e.message
            }
            verify(error.length > 0)
        }

        function test_pendingResults() {
            // What other tests started is over (the values lag by up to 250 ms).
            tryCompare(Reactor, "pendingResults", 0, 30000)
            pendingSpy.clear()
            Work.startPending(5)
            tryCompare(Reactor, "pendingResults", 5, 30000)
            verify(pendingSpy.count > 0)
            Work.cancelPending()
            tryCompare(Reactor, "pendingResults", 0, 30000)
        }

        function test_queuedCalls() {
            verify(Work.holdReactor())
            Work.queueCalls(7)
            tryCompare(Reactor, "queuedCalls", 7, 30000)
            Work.releaseReactor()
            tryCompare(Reactor, "queuedCalls", 0, 30000)
        }

        function test_lag() {
            verify(Work.holdReactor())
            // Milliseconds; counted while the reactor is held.
            tryVerify(function() { return Reactor.lagP99 >= 200 }, 30000)
            Work.releaseReactor()
            verify(Reactor.lagP50 <= Reactor.lagP99)
        }

        function test_atMostFourUpdatesASecond() {
            root.changes = []
            root.recording = true
            Work.keepReactorBusy(3000) // the busy fraction changes all the time
            tryVerify(function() { return root.changes.length >= 5 }, 30000)
            root.recording = false
            verify(Reactor.busyFraction > 0)
            for (let i = 1; i < root.changes.length; ++i) {
                const gap = root.changes[i] - root.changes[i - 1]
                verify(gap >= 200, "two updates " + gap + " ms apart")
            }
        }
    }
}
