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

        // then(onValue, onError): which function was called, with what, how often.
        function recorder() {
            const calls = []
            return {
                calls: calls,
                onValue: function(value) { calls.push({ kind: "value", argument: value }) },
                onError: function(error) { calls.push({ kind: "error", argument: error }) }
            }
        }

        // Lets the event loop run, so that a second call would have come.
        function settle() {
            const later = Work.square(2)
            tryCompare(later, "ready", true, 30000)
            wait(20)
        }

        function test_thenValue() {
            root.result = Work.start()
            const record = recorder()
            root.result.then(record.onValue, record.onError)
            Work.finish("done")
            tryCompare(record.calls, "length", 1, 30000)
            compare(record.calls[0].kind, "value")
            compare(record.calls[0].argument.text, "done")
            // After finished(): the properties are final.
            compare(root.result.ready, true)
            settle()
            compare(record.calls.length, 1)
        }

        function test_thenError() {
            root.result = Work.start()
            const record = recorder()
            root.result.then(record.onValue, record.onError)
            Work.fail("boom")
            tryCompare(record.calls, "length", 1, 30000)
            compare(record.calls[0].kind, "error")
            compare(record.calls[0].argument, "boom")
            settle()
            compare(record.calls.length, 1)
        }

        function test_thenErrorWithoutOnError() {
            root.result = Work.start()
            const record = recorder()
            root.result.then(record.onValue)
            Work.fail("unseen")
            tryCompare(root.result, "ready", true, 30000)
            settle()
            compare(record.calls.length, 0)
        }

        function test_thenCancel() {
            root.result = Work.start()
            const record = recorder()
            root.result.then(record.onValue, record.onError)
            root.result.cancel()
            // Never from inside cancel(), though the properties changed there.
            compare(root.result.cancelled, true)
            compare(record.calls.length, 0)
            tryCompare(record.calls, "length", 1, 30000)
            compare(record.calls[0].kind, "error")
            compare(record.calls[0].argument, root.result.error)
            verify(record.calls[0].argument.length > 0)
            settle()
            compare(record.calls.length, 1)
        }

        function test_thenAlreadyReady() {
            root.result = Work.square(7)
            tryCompare(root.result, "ready", true, 30000)
            const record = recorder()
            root.result.then(record.onValue, record.onError)
            // Asynchronously, even though the value is there.
            compare(record.calls.length, 0)
            tryCompare(record.calls, "length", 1, 30000)
            compare(record.calls[0].kind, "value")
            compare(record.calls[0].argument, 49)
            // Again: another pair, called once too.
            const again = recorder()
            root.result.then(again.onValue)
            tryCompare(again.calls, "length", 1, 30000)
            settle()
            compare(record.calls.length, 1)
            compare(again.calls.length, 1)
        }

        function test_thenInOrder() {
            root.result = Work.start()
            const order = []
            root.result.then(function() { order.push(1) })
            root.result.then(function() { order.push(2) }, null)
            root.result.then(null, function() { order.push(-1) })
            Work.finish("done")
            tryCompare(order, "length", 2, 30000)
            compare(order, [1, 2])
        }

        function test_thenDestroyedFirst() {
            let result = Work.start()
            const record = recorder()
            result.then(record.onValue, record.onError)
            result.destroy()
            result = null
            tryVerify(function() { return !Work.lastStartedExists() }, 30000)
            Work.finish("too late")
            settle()
            compare(record.calls.length, 0)
        }

        function test_thenThrowingFunction() {
            root.result = Work.square(3)
            const record = recorder()
            ignoreWarning(new RegExp("EventualResult\\.then\\(\\): a function threw: Error: oops"))
            root.result.then(function() { throw new Error("oops") })
            root.result.then(record.onValue)
            // The next pair is still called.
            tryCompare(record.calls, "length", 1, 30000)
            compare(record.calls[0].argument, 9)
        }

        function test_thenNotAFunction() {
            root.result = Work.square(3)
            let error = null
            try {
                root.result.then(42)
            } catch (e) {
                error = e
            }
            verify(error instanceof TypeError, String(error))
            verify(error.message.indexOf("must be a function") >= 0, error.message)
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
