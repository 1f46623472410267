/// libFuzzer entry point for the group target (see Tests/Fuzz/run.sh).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzBodies.group(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
