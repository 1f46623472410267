/// libFuzzer entry point for the json target (see Tests/Fuzz/run.sh).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzBodies.json(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
