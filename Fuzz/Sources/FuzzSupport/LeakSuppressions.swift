/// LeakSanitizer's built-in suppressions for every harness (LSan calls this hook at start-up; a
/// `suppressions=` file in `LSAN_OPTIONS` adds to it). Built in, so a crash file reproduces with the
/// harness alone, with no `LSAN_OPTIONS` to remember.
///
/// One entry, for a leak in the toolchain's Foundation, not in this project and not a false positive:
/// on Linux, `FileManager.contents(atPath:)` (so `AtomicFile.read`) of an EMPTY regular file leaks a
/// 4 KiB buffer. swift-foundation's `readBytesFromFile` mallocs a chunk when `fstat` reports size 0
/// (for /proc files), and `readDataFromFile` returns `Data()` for a zero length without freeing it
/// (FoundationEssentials, Data+Reading.swift, Swift 6.3.1). libFuzzer runs the empty input first, so
/// without this every harness would stop there. The pattern matches only allocations made inside that
/// one function, so any other leak, in Foundation or in the readers, is still reported.
///
/// The Swift runtime itself reported nothing: its metadata caches and interned strings stay reachable
/// from globals, which LeakSanitizer does not count as leaks.
///
/// A literal, not a Swift global: LSan may call this before the Swift runtime has initialised
/// anything. `StaticString` literals are stored NUL-terminated.
@_cdecl("__lsan_default_suppressions")
public func lsanDefaultSuppressions() -> UnsafeRawPointer {
    let suppressions: StaticString = """
        leak:FoundationEssentials16readDataFromFile

        """
    return UnsafeRawPointer(suppressions.utf8Start)
}
