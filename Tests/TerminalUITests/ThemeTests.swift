import Foundation
import Testing
@testable import TerminalUI
import TestSupport

@Suite("Themes")
struct ThemeTests {
    static let themesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Themes").path

    @Test func shippedThemesParseAndCoverEveryRole() throws {
        for name in ["default", "light", "high-contrast", "monochrome"] {
            let path = "\(Self.themesFolder)/\(name).yaml"
            let theme = try ThemeFile.parse(String(contentsOfFile: path, encoding: .utf8), file: path)
            #expect(theme.name == name)
            #expect(Set(theme.roles.keys) == Set(Role.allCases), "\(name)")
        }
    }

    @Test func builtInDefaultMatchesTheDefaultFile() throws {
        let path = "\(Self.themesFolder)/default.yaml"
        #expect(try ThemeFile.parse(String(contentsOfFile: path, encoding: .utf8), file: path) == Theme.builtInDefault)
        let mono = "\(Self.themesFolder)/monochrome.yaml"
        let monoTheme = try ThemeFile.parse(String(contentsOfFile: mono, encoding: .utf8), file: mono)
        #expect(monoTheme == Theme.monochrome)
        #expect(!monoTheme.usesColor)
    }

    @Test(arguments: [
        ("name: x\nroles:\n  title: { fg: purplish }\n", 3, "roles.title.fg", "is not a colour"),
        ("name: x\nroles:\n  # comment\n  titel: { fg: red }\n", 4, "roles.titel", "unknown role"),
        ("name: x\nroles:\n  title: { attrs: [bold, blinking] }\n", 3, "roles.title.attrs", "is not an attribute"),
        ("name: x\ncolours: {}\n", 2, "colours", "unknown key"),
        ("name: x\nroles:\n  title: { fg: red\n", 4, nil, "not valid YAML"),
    ] as [(String, Int, String?, String)])
    func errorsNameFileLineAndKey(text: String, line: Int, key: String?, message: String) {
        do {
            _ = try ThemeFile.parse(text, file: "Themes/broken.yaml")
            Issue.record("parsed")
        } catch {
            #expect(error.file == "Themes/broken.yaml")
            #expect(error.line == line, "\(error)")
            #expect(error.key == key)
            #expect(error.message.contains(message), "\(error)")
        }
    }

    @Test func resolution() throws {
        let folder = ScratchFolder.make("themes")
        try "name: mine\nroles:\n  title: { fg: 33 }\n".write(toFile: "\(folder)/mine.yaml", atomically: true, encoding: .utf8)
        try "roles: [".write(toFile: "\(folder)/bad.yaml", atomically: true, encoding: .utf8)
        let library = ThemeLibrary(folders: [folder, Self.themesFolder])
        #expect(library.resolve("mine", environment: [:]).theme.appearance(.title).foreground == .indexed(33))
        // Roles a theme leaves out look as in the default.
        #expect(library.resolve("mine", environment: [:]).theme.appearance(.error) == Theme.builtInDefault.appearance(.error))
        #expect(library.resolve("\(folder)/mine.yaml", environment: [:]).theme.name == "mine")
        #expect(library.resolve("light", environment: [:]).theme.name == "light")
        let bad = library.resolve("bad", environment: [:])
        #expect(bad.theme == Theme.builtInDefault)
        #expect(bad.warning?.contains("bad.yaml") == true)
        let missing = library.resolve("nope", environment: [:])
        #expect(missing.theme == Theme.builtInDefault)
        #expect(missing.warning?.contains("No theme named \"nope\"") == true)
        #expect(library.resolve("light", environment: ["NO_COLOR": "1"]).theme == Theme.monochrome)
        // No folders at all: the built-in default keeps the console usable.
        #expect(ThemeLibrary(folders: []).resolve(nil, environment: [:]).theme == Theme.builtInDefault)
        #expect(library.available.contains("mine"))
    }

    @Test func colourFallsBackToTheNearestOfTheTerminalsOwn() {
        // 153 (a pale blue) is nearest white among the 8, not red (153 % 8 would be 1).
        #expect(ThemeColor.indexed(153).index(onTerminalWith: 8) == 7)
        #expect(ThemeColor.indexed(153).index(onTerminalWith: 256) == 153)
        #expect(ThemeColor.indexed(160).index(onTerminalWith: 16) == 1)
        #expect(ThemeColor.indexed(9).index(onTerminalWith: 8) == 1)  // bright red is red on 8
        #expect(ThemeColor.terminalDefault.index(onTerminalWith: 8) == -1)
        // A named fallback wins over the nearest.
        let look = RoleAppearance(.indexed(130), .terminalDefault, [], fallback: (.indexed(5), nil))
        #expect(look.colorIndexes(onTerminalWith: 8) == (5, -1))
        #expect(look.colorIndexes(onTerminalWith: 256) == (130, -1))
    }

    @Test func everyShippedRoleInThe256ColoursNamesItsFallback() throws {
        for name in ["default", "light", "high-contrast"] {
            let path = "\(Self.themesFolder)/\(name).yaml"
            let theme = try ThemeFile.parse(String(contentsOfFile: path, encoding: .utf8), file: path)
            for (role, look) in theme.roles {
                if case .indexed(let n) = look.foreground, n >= 16 { #expect(look.fallback.foreground != nil, "\(name).\(role)") }
                if case .indexed(let n) = look.background, n >= 16 { #expect(look.fallback.background != nil, "\(name).\(role)") }
            }
            #expect(theme.usesColor, "\(name) draws in colour")
        }
    }

    @Test func aFallbackMustBeOneOfTheSixteen() {
        #expect(throws: ThemeError.self) {
            try ThemeFile.parse("name: x\nroles:\n  title: { fg: 130, fallback: { fg: 130 } }\n", file: "x.yaml")
        }
        #expect(throws: ThemeError.self) {
            try ThemeFile.parse("name: x\nroles:\n  title: { fg: 130, fallback: { fx: red } }\n", file: "x.yaml")
        }
    }
}
