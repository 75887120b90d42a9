// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Crochet
import CrochetTest

Item {
    id: root
    width: 200
    height: 100

    property EventualResult result: null

    Text {
        id: label
        text: !root.result ? ""
            : root.result.ready ? (root.result.error || root.result.value.text)
            : "loading " + Math.round(Math.max(0, root.result.progress) * 100) + "%"
    }

    SignalSpy {
        id: finishedSpy
        signalName: "finished"
    }

    TestCase {
        name: "EventualResult"

        function init() {
            root.result = null
            finishedSpy.clear()
        }

        function test_success() {
            const result = Work.start()
            compare(result.ready, false)
            compare(result.value, undefined)
            compare(result.error, "")
            compare(result.cancelled, false)
            compare(result.progress, -1)
            finishedSpy.target = result
            Work.finish("done")
            finishedSpy.wait(30000)
            compare(finishedSpy.count, 1)
            compare(result.ready, true)
            compare(result.value.text, "done")
            compare(result.error, "")
            compare(result.cancelled, false)
            compare(result.progress, 1)
        }

        function test_plainValue() {
            const result = Work.square(7)
            tryCompare(result, "ready", true, 30000)
            compare(result.value, 49)
        }

        function test_failure() {
            const result = Work.start()
            Work.fail("boom")
            tryCompare(result, "ready", true, 30000)
            compare(result.error, "boom")
            compare(result.value, undefined)
            compare(result.cancelled, false)
        }

        function test_progress() {
            const result = Work.start()
            Work.setProgress(40)
            tryCompare(result, "progress", 0.4, 30000)
            compare(result.ready, false)
            Work.setProgress(90)
            tryCompare(result, "progress", 0.9, 30000)
            Work.finish("done")
            tryCompare(result, "progress", 1, 30000)
        }

        function test_cancelFromQml() {
            const result = Work.start()
            finishedSpy.target = result
            tryVerify(function() { return Work.operationStarted() }, 30000)
            result.cancel()
            // On the object's own thread the properties change at once.
            compare(result.ready, true)
            compare(result.cancelled, true)
            verify(result.error.length > 0)
            compare(result.value, undefined)
            compare(finishedSpy.count, 1)
            // The operation behind it was told to stop.
            tryVerify(function() { return Work.operationCancelled() }, 30000)
            result.cancel()
            compare(finishedSpy.count, 1)
        }

        function test_bindings() {
            root.result = Work.start()
            gc() // the typed property keeps the object alive
            compare(label.text, "loading 0%")
            Work.setProgress(30)
            tryCompare(label, "text", "loading 30%", 30000)
            Work.setProgress(75)
            tryCompare(label, "text", "loading 75%", 30000)
            Work.finish("hello")
            tryCompare(label, "text", "hello", 30000)
            root.result = Work.start()
            compare(label.text, "loading 0%")
            Work.fail("no luck")
            tryCompare(label, "text", "no luck", 30000)
        }

        function test_destroyedBeforeResult() {
            let result = Work.start()
            result.destroy()
            result = null
            tryVerify(function() { return !Work.lastStartedExists() }, 30000)
            Work.finish("too late")
            // Any stale completion was queued before this one's.
            const later = Work.square(3)
            tryCompare(later, "ready", true, 30000)
            compare(later.value, 9)
        }

        function test_notCreatableInQml() {
            let error = ""
            try {
                Qt.createQmlObject("import Crochet; EventualResult {}", root)
            } catch (e) {
                error = e.qmlErrors[0].message
            }
            verify(error.indexOf("Crochet::toQml()") >= 0, error)
        }
    }
}
