// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "capturedstack_p.h"

#include <QtCore/QByteArray>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>

#include <cxxabi.h>
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unwind.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <utility>
#include <vector>

namespace Crochet::detail {

static_assert(sizeof(CapturedStack) % alignof(void *) == 0,
              "the frames follow the header in the same block");

namespace {

// The frame address of the function that made this thread's innermost
// CaptureBoundary; null when there is none.
thread_local const void *captureBoundary = nullptr;

// Room for the frames inside the capture: capture()'s own and its caller's.
constexpr int InnerFrames = 2;

//! What _Unwind_Backtrace() collects, one frame per call of collectFrame().
struct Walk
{
    void *frames[InnerFrames + CapturedStack::MaxFrames];
    int count = 0;
    _Unwind_Word boundary = 0; // the boundary's frame address, or 0
    bool full = false;
};

_Unwind_Reason_Code collectFrame(_Unwind_Context *context, void *data)
{
    auto &walk = *static_cast<Walk *>(data);
    // For a frame, _Unwind_GetCFA() gives the stack pointer at its call
    // instruction (the canonical frame address of the frame it called). In
    // the function that made the boundary and the ones it called, that lies
    // below the function's frame address; in its caller, above.
    if (walk.boundary && _Unwind_GetCFA(context) > walk.boundary)
        return _URC_END_OF_STACK;
    if (walk.count == int(std::size(walk.frames))) {
        walk.full = true;
        return _URC_END_OF_STACK;
    }
    walk.frames[walk.count++] = reinterpret_cast<void *>(_Unwind_GetIP(context));
    return _URC_NO_REASON;
}

} // namespace

CaptureBoundary::CaptureBoundary(const void *frame) noexcept
    : m_previous(std::exchange(captureBoundary, frame))
{}

CaptureBoundary::~CaptureBoundary()
{
    captureBoundary = m_previous;
}

const CapturedStack *CapturedStack::capture(const void *from) noexcept
{
    Walk walk;
    walk.boundary = reinterpret_cast<_Unwind_Word>(captureBoundary);
    _Unwind_Backtrace(&collectFrame, &walk);
    int first = 1; // if \a from is not found: all but this function's frame
    for (int i = 0; i < std::min(walk.count, InnerFrames + 1); ++i) {
        if (walk.frames[i] == from) {
            first = i;
            break;
        }
    }
    const int count = std::min(walk.count - first, MaxFrames);
    if (count <= 0)
        return nullptr;
    void *block =
        ::operator new(sizeof(CapturedStack) + size_t(count) * sizeof(void *), std::nothrow);
    if (!block)
        return nullptr;
    auto *stack = new (block) CapturedStack(count, walk.full);
    std::memcpy(static_cast<void *>(stack + 1), walk.frames + first,
                size_t(count) * sizeof(void *));
    return stack;
}

void CapturedStack::deref() const noexcept
{
    if (m_refs.fetch_sub(1, std::memory_order_acq_rel) != 1)
        return;
    this->~CapturedStack();
    ::operator delete(const_cast<CapturedStack *>(this));
}

std::span<void *const> CapturedStack::frames() const noexcept
{
    return {reinterpret_cast<void *const *>(this + 1), m_count};
}

namespace {

//! One return address, and what is known about the code around it.
struct Frame
{
    quintptr address = 0;  // the return address
    quintptr bias = 0;     // its object's load bias: link-time address = address - bias
    QByteArray objectPath; // the file to read symbols from; empty when unknown
    QString objectName;    // shown: the object's file name
    QByteArray symbol;     // the (mangled) function name; empty while unknown

    //! The address of the call itself, one byte back: still inside the
    //! calling function when the call was its last instruction (noreturn).
    quintptr callSite() const { return address - 1; }
};

//! Finds the object \a address belongs to, and its exported symbol if any.
Frame locate(void *address)
{
    Frame frame;
    frame.address = reinterpret_cast<quintptr>(address);
    Dl_info info{};
    link_map *map = nullptr;
    if (!dladdr1(reinterpret_cast<void *>(frame.callSite()), &info, reinterpret_cast<void **>(&map),
                 RTLD_DL_LINKMAP) ||
        !map) {
        return frame;
    }
    frame.bias = map->l_addr;
    if (map->l_name && map->l_name[0]) {
        frame.objectPath = map->l_name;
        frame.objectName = QFileInfo(QFile::decodeName(frame.objectPath)).fileName();
    } else {
        // The main program has no name in its link map.
        frame.objectPath = "/proc/self/exe";
        frame.objectName =
            QFileInfo(QFile::symLinkTarget(QStringLiteral("/proc/self/exe"))).fileName();
    }
    // dladdr() sees only exported symbols, and names one only when the
    // address lies inside it (sized symbols).
    if (info.dli_sname && info.dli_saddr)
        frame.symbol = info.dli_sname;
    return frame;
}

//! A read-only mapping of a file, for reading its ELF headers and symbols.
class MappedFile
{
public:
    explicit MappedFile(const QByteArray &path)
    {
        const int fd = ::open(path.constData(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return;
        struct stat status = {};
        if (::fstat(fd, &status) == 0 && status.st_size > 0) {
            void *data = ::mmap(nullptr, size_t(status.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
            if (data != MAP_FAILED) {
                m_data = static_cast<const char *>(data);
                m_size = size_t(status.st_size);
            }
        }
        ::close(fd);
    }
    ~MappedFile()
    {
        if (m_data)
            ::munmap(const_cast<char *>(m_data), m_size);
    }
    MappedFile(const MappedFile &) = delete;
    MappedFile &operator=(const MappedFile &) = delete;

    //! The \a count objects of type T at \a offset, or nullptr when they do
    //! not lie within the file (a truncated or foreign file).
    template <typename T>
    const T *at(quint64 offset, quint64 count = 1) const
    {
        if (!m_data || offset > m_size || count > (m_size - offset) / sizeof(T) ||
            offset % alignof(T) != 0) {
            return nullptr;
        }
        return reinterpret_cast<const T *>(m_data + offset);
    }

private:
    const char *m_data = nullptr;
    size_t m_size = 0;
};

/*!
    Names the unnamed \a frames, all in the object file at \a path, from its
    ELF symbol table (.symtab), which unlike the dynamic symbols also holds
    the functions that are not exported: a library's internals, a program's
    own functions. A stripped file has none; its frames stay unnamed.
*/
void nameFromSymbolTable(const QByteArray &path, const std::vector<Frame *> &frames)
{
    const MappedFile file(path);
    const auto *header = file.at<ElfW(Ehdr)>(0);
    constexpr unsigned char NativeClass = __ELF_NATIVE_CLASS == 64 ? ELFCLASS64 : ELFCLASS32;
    if (!header || std::memcmp(header->e_ident, ELFMAG, SELFMAG) != 0 ||
        header->e_ident[EI_CLASS] != NativeClass || header->e_shentsize != sizeof(ElfW(Shdr))) {
        return;
    }
    const auto *sections = file.at<ElfW(Shdr)>(header->e_shoff, header->e_shnum);
    if (!sections)
        return;
    for (int i = 0; i < header->e_shnum; ++i) {
        const ElfW(Shdr) &table = sections[i];
        if (table.sh_type != SHT_SYMTAB || table.sh_entsize != sizeof(ElfW(Sym)) ||
            table.sh_link >= header->e_shnum) {
            continue;
        }
        const ElfW(Shdr) &strings = sections[table.sh_link];
        const quint64 count = table.sh_size / sizeof(ElfW(Sym));
        const auto *symbols = file.at<ElfW(Sym)>(table.sh_offset, count);
        const char *names = file.at<char>(strings.sh_offset, strings.sh_size);
        if (!symbols || !names)
            return;
        for (quint64 s = 0; s < count; ++s) {
            const ElfW(Sym) &symbol = symbols[s];
            // ELF32_ST_TYPE: the same for both classes.
            if (ELF32_ST_TYPE(symbol.st_info) != STT_FUNC || symbol.st_shndx == SHN_UNDEF ||
                symbol.st_size == 0 || symbol.st_name >= strings.sh_size) {
                continue;
            }
            for (Frame *frame : frames) {
                const quintptr linked = frame->callSite() - frame->bias;
                if (frame->symbol.isEmpty() && linked >= symbol.st_value &&
                    linked - symbol.st_value < symbol.st_size) {
                    const char *name = names + symbol.st_name;
                    frame->symbol =
                        QByteArray(name, qstrnlen(name, strings.sh_size - symbol.st_name));
                }
            }
        }
        return;
    }
}

//! \a symbol demangled; a C function's name as it is.
QString demangled(const QByteArray &symbol)
{
    int status = 0;
    const std::unique_ptr<char, decltype(&std::free)> name(
        abi::__cxa_demangle(symbol.constData(), nullptr, nullptr, &status), &std::free);
    return QString::fromUtf8(status == 0 && name ? name.get() : symbol.constData());
}

} // namespace

QString CapturedStack::toText() const
{
    std::vector<Frame> resolved;
    resolved.reserve(m_count);
    for (void *address : frames())
        resolved.push_back(locate(address));

    // Each object that left frames unnamed is read once, for all of them.
    std::vector<QByteArray> read;
    for (size_t i = 0; i < resolved.size(); ++i) {
        const QByteArray path = resolved[i].objectPath;
        if (path.isEmpty() || !resolved[i].symbol.isEmpty() ||
            std::find(read.begin(), read.end(), path) != read.end()) {
            continue;
        }
        read.push_back(path);
        std::vector<Frame *> unnamed;
        for (Frame &frame : resolved) {
            if (frame.objectPath == path && frame.symbol.isEmpty())
                unnamed.push_back(&frame);
        }
        nameFromSymbolTable(path, unnamed);
    }

    QString text;
    if (m_truncated)
        text += QStringLiteral("    ...\n");
    for (size_t i = resolved.size(); i-- > 0;) {
        const Frame &frame = resolved[i];
        const QString function =
            frame.symbol.isEmpty() ? QStringLiteral("??") : demangled(frame.symbol);
        const QString number = QString::number(i);
        if (frame.objectPath.isEmpty()) {
            text += QStringLiteral("    #%1 %2 (0x%3)\n")
                        .arg(number, function, QString::number(frame.address, 16));
        } else {
            text += QStringLiteral("    #%1 %2 (%3+0x%4)\n")
                        .arg(number, function, frame.objectName,
                             QString::number(frame.address - frame.bias, 16));
        }
    }
    return text;
}

} // namespace Crochet::detail
