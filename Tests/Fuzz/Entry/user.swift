/// libFuzzer entry point for the user target (see Tests/Fuzz/run.sh).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzBodies.user(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
