// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Shared plumbing of crochet-bench: options, repeated measurements, the
// report (tables, targets, JSON) and the baseline workers that Crochet is
// compared with. One .cpp per measurement family declares its entry point
// at the bottom of this file.

#include <QtCore/QByteArray>
#include <QtCore/QFuture>
#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QUrl>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <future>
#include <latch>
#include <mutex>
#include <thread>
#include <vector>

#include <pthread.h>

QT_BEGIN_NAMESPACE
class QObject;
class QThread;
QT_END_NAMESPACE

namespace Bench {

struct Options
{
    bool quick = false;
    int repetitions = 5;
    QUrl url1k;
    QUrl url1m;
    int slowHostDelayMs = 50; // the slowhost family's server answers after this long
    QStringList only;         // empty: every family
    bool wants(const QString &family) const { return only.isEmpty() || only.contains(family); }
    //! \a full normally, \a quick with --quick.
    int count(int full, int quick) const { return this->quick ? quick : full; }
};

using Clock = std::chrono::steady_clock;

inline double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

//! The repetitions of one measurement.
struct Samples
{
    std::vector<double> values;
    double median() const;
    double min() const;
    double max() const;
    //! "18.2 [17.9..19.0]": the median and the range.
    QString text(int precision) const;
};

//! Runs \a measure (which returns one figure) \a count times.
template <typename F>
Samples repeat(int count, F measure)
{
    Samples samples;
    for (int i = 0; i < count; ++i)
        samples.values.push_back(measure());
    return samples;
}

/*!
    Runs \a body(index) in \a count threads released together and returns
    the wall-clock seconds from their release until the last one ended. The
    first exception a thread throws is re-thrown here.
*/
template <typename Body>
double runTogether(int count, const Body &body)
{
    std::latch start(count + 1);
    std::mutex errorMutex;
    std::exception_ptr error;
    std::vector<std::thread> threads;
    for (int i = 0; i < count; ++i) {
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            try {
                body(i);
            } catch (...) {
                const std::lock_guard guard(errorMutex);
                if (!error)
                    error = std::current_exception();
            }
        });
    }
    start.arrive_and_wait();
    const auto begin = Clock::now();
    for (auto &thread : threads)
        thread.join();
    const double seconds = secondsSince(begin);
    if (error)
        std::rethrow_exception(error);
    return seconds;
}

//! The p-th percentile (0..100) of \a values (sorted in place).
double percentile(std::vector<double> &values, double p);

//! A plain text table, columns sized to fit, printed to stdout.
class Table
{
public:
    explicit Table(QStringList headers)
        : m_rows{std::move(headers)}
    {}
    void addRow(QStringList cells) { m_rows.push_back(std::move(cells)); }
    void print() const;

private:
    std::vector<QStringList> m_rows;
};

void printHeading(const QString &title);
void printNote(const QString &text);
QString number(double value, int precision);

/*!
    The figures of a run: the JSON document (nested objects addressed by
    dotted paths, e.g. "roundtrip_us.crochet.1") and the targets of issue 5
    with whether each is met.
*/
class Report
{
public:
    //! Records \a value at \a path; NaN is written as null.
    void set(const QString &path, double value);
    void setNull(const QString &path);
    //! A target "measured <= limit" (or >= with \a atLeast).
    void addTarget(const QString &name, const QString &measurement, double measured, double limit,
                   bool atLeast);
    void printTargets() const;
    bool writeJson(const QString &fileName) const;

private:
    struct Target
    {
        QString name;
        QString measurement;
        double measured;
        double limit;
        bool atLeast;
    };
    QJsonObject m_root;
    std::vector<Target> m_targets;
};

//! CPU seconds \a thread has used so far (NaN if unknown).
double threadCpuSeconds(pthread_t thread);
//! CPU seconds Crochet's reactor thread has used so far.
double reactorCpuSeconds();
//! CPU seconds the whole process (every thread) has used so far.
double processCpuSeconds();

//! What the counting operator new saw between start and stop (allocations.cpp).
struct AllocationCount
{
    long long bytes;       // usable bytes allocated minus freed
    long long allocations; // operator new calls
};
void startCountingAllocations();
AllocationCount stopCountingAllocations();

//! Heap growth while some objects are held, per object (memory, failures).
struct Footprint
{
    double heapBytes = 0;      // mallinfo2, chunk headers included
    double newBytes = 0;       // operator new, usable size
    double newAllocations = 0; // operator new calls
};

/*!
    Measures the heap between start() and stop(), divided by the number of
    objects made in between (allocations.cpp). The heap is mallinfo2()'s
    bytes in use in every malloc arena, chunk headers included, which also
    sees Qt's own malloc() calls; the counting operator new tells which
    objects cost what.
*/
class HeapMeter
{
public:
    explicit HeapMeter(int objects)
        : m_objects(objects)
    {}
    void start();
    //! The footprint per object, plus \a handleBytes (what the caller keeps per object).
    Footprint stop(std::size_t handleBytes);

private:
    int m_objects;
    long long m_heapBefore = 0;
};

/*!
    The raw-Qt baseline: a QThread running its event loop with one QObject
    living in it, the target of QMetaObject::invokeMethod calls.
*/
class QtWorker
{
public:
    QtWorker();
    ~QtWorker();
    QtWorker(const QtWorker &) = delete;
    QtWorker &operator=(const QtWorker &) = delete;
    QObject *context() const { return m_context; }
    //! CPU seconds the worker thread has used so far.
    double cpuSeconds() const { return threadCpuSeconds(m_pthread); }

private:
    QThread *m_thread;
    QObject *m_context;
    pthread_t m_pthread;
};

/*!
    The raw-Qt way to get a value from another thread: a queued call into
    the thread of \a context that starts a QPromise, adds \a value and
    finishes it. Returns the promise's future; any thread.
*/
QFuture<int> queuedPromise(QObject *context, int value);

/*!
    The std floor: a std::thread that runs queued std::packaged_tasks, with
    a mutex and a condition variable; callers wait on the std::future.
*/
class StdWorker
{
public:
    StdWorker();
    ~StdWorker();
    StdWorker(const StdWorker &) = delete;
    StdWorker &operator=(const StdWorker &) = delete;
    std::future<int> submit(std::packaged_task<int()> task);
    //! CPU seconds the worker thread has used so far.
    double cpuSeconds() { return threadCpuSeconds(m_thread.native_handle()); }

private:
    void serve();
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::packaged_task<int()>> m_queue;
    bool m_stop = false;
    std::thread m_thread;
};

/*!
    Blocking HTTP GETs from many threads, the two ways the http and slowhost
    families compare (httpclients.cpp). Each of \a threads threads, released
    together, GETs \a url \a requestsPerThread times, one after the other;
    every answer must be 200 with a body of \a size bytes, or they throw.
*/
struct HttpThroughput
{
    double perSecond;       // requests, in all threads
    double cpuUsPerRequest; // CPU time of the whole process (the server not included)
};
//! Through Crochet: waitFor() of a function that calls networkAccessManager()->get().
HttpThroughput crochetGets(const QUrl &url, qsizetype size, int threads, int requestsPerThread);
//! The usual alternative: a QNetworkAccessManager per thread, each reply waited
//! for in a nested QEventLoop.
HttpThroughput perThreadManagerGets(const QUrl &url, qsizetype size, int threads,
                                    int requestsPerThread);
//! The body at \a url, fetched once through Crochet; throws unless the status is 200.
QByteArray fetchBody(const QUrl &url);

/*!
    crochet-bench --serve-slow: an HTTP/1.1 server on 127.0.0.1:\a port (0:
    any free port) that answers every GET after \a delayMs (slowserver.cpp).
    Prints "port N" on stdout once it listens, then runs the application's
    event loop (call it in that thread) until its standard input closes.
    Returns the exit code.
*/
int serveSlowHost(quint16 port, int delayMs);

// The measurement families, each in its own file.
void runRoundTrip(const Options &options, Report &report);
void runPipelined(const Options &options, Report &report);
void runMemory(const Options &options, Report &report);
void runScaling(const Options &options, Report &report);
void runHttp(const Options &options, Report &report);
void runSlowHost(const Options &options, Report &report);
void runPingUnderLoad(const Options &options, Report &report);
void runSpaced(const Options &options, Report &report);
void runFailures(const Options &options, Report &report);

} // namespace Bench
