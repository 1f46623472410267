import Foundation
import SCIM
import Testing

/// Replays every seed and every input that fuzzing ever found trouble with
/// (`Tests/Fuzz/regressions/TARGET/`) through the same code the fuzz
/// targets run: each must come back without crashing.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    static func inputs(_ target: String) -> [(String, [UInt8])] {
        var result: [(String, [UInt8])] = []
        for folder in ["corpus", "regressions"] {
            let dir = root.appendingPathComponent("\(folder)/\(target)")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            for name in names.sorted() {
                if let data = FileManager.default.contents(atPath: dir.appendingPathComponent(name).path) {
                    result.append(("\(folder)/\(target)/\(name)", Array(data)))
                }
            }
        }
        return result
    }

    @Test(arguments: ["filter", "patchpath", "user", "group", "patchop", "json"])
    func replays(_ target: String) {
        let body = FuzzBodies.targets[target]!
        let inputs = Self.inputs(target)
        #expect(!inputs.isEmpty, "the seed corpus of \(target) is missing")
        for (_, bytes) in inputs { body(bytes) }
    }

    /// Shapes a fuzzer takes long to build but a hostile client sends at once:
    /// each is refused with a SCIM error (not a crash), and the fuzz bodies survive them.
    @Test func pathologicalShapes() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        FuzzBodies.user(Array(deep.utf8))
        FuzzBodies.patchOp(Array(("{\"Operations\":" + deep + "}").utf8))
        let nested = String(repeating: "(", count: 5_000) + "userName eq \"a\"" + String(repeating: ")", count: 5_000)
        FuzzBodies.filter(Array(nested.utf8))
        let nots = String(repeating: "not (", count: 3_000) + "active pr" + String(repeating: ")", count: 3_000)
        FuzzBodies.filter(Array(nots.utf8))
        FuzzBodies.patchPath(Array((String(repeating: "a[", count: 2_000) + "b eq 1" + String(repeating: "]", count: 2_000)).utf8))
        FuzzBodies.user([0xFF, 0xFE, 0x7B, 0x22])
        FuzzBodies.filter(Array(String(repeating: "x", count: 1 << 20).utf8))

        #expect(scimType { () throws(SCIMError) in _ = try Filter.parse(nested) } == "invalidFilter")
        #expect(scimType { () throws(SCIMError) in _ = try Filter.parse(nots) } == "invalidFilter")
        #expect(scimType { () throws(SCIMError) in _ = try Filter.parse(String(repeating: "x", count: 1 << 20)) } == "invalidFilter")
        #expect(scimType { () throws(SCIMError) in _ = try PatchPath.parse("members[" + String(repeating: "(", count: 40) + "value eq 1" + String(repeating: ")", count: 40) + "]") } == "invalidPath")
        #expect(scimType { () throws(SCIMError) in _ = try JSONCoding.parse(deep) } == "invalidSyntax")
        #expect(scimType { () throws(SCIMError) in _ = try JSONCoding.parse([0xFF, 0xFE, 0x7B, 0x22]) } == "invalidSyntax")
        // The nesting limit leaves room for any real filter.
        let fine = String(repeating: "(", count: Filter.maxDepth) + "userName eq \"a\"" + String(repeating: ")", count: Filter.maxDepth)
        #expect(scimType { () throws(SCIMError) in _ = try Filter.parse(fine) } == nil)
    }

    /// The `scimType` a call failed with, or nil when it did not.
    func scimType(_ body: () throws(SCIMError) -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return error.scimType?.rawValue ?? "none"
        }
    }
}
