import Testing
@testable import GrafanaConfig

@Suite("Grafana ini and feature toggles")
struct IniFileTests {
    func enabled(_ text: String) -> String {
        var ini = IniFile(text: text)
        ini.enableToggle("enableSCIM")
        return ini.text
    }

    @Test func readsBothToggleForms() {
        #expect(IniFile(text: "[feature_toggles]\nenableSCIM = true\n").toggleState("enableSCIM") == .on)
        #expect(IniFile(text: "[feature_toggles]\nenableSCIM = false\n").toggleState("enableSCIM") == .off)
        #expect(IniFile(text: "[feature_toggles]\nenable = foo, enableSCIM bar\n").toggleState("enableSCIM") == .on)
        #expect(IniFile(text: "[feature_toggles]\nenable = [\"enableSCIM\"]\n").toggleState("enableSCIM") == .on)
        #expect(IniFile(text: "[feature_toggles]\n;enable = enableSCIM\n").toggleState("enableSCIM") == .unset)
        #expect(IniFile(text: "[other]\nenableSCIM = true\n").toggleState("enableSCIM") == .unset)
        // A per-toggle key wins over the list.
        #expect(IniFile(text: "[feature_toggles]\nenable = enableSCIM\nenableSCIM = false\n").toggleState("enableSCIM") == .off)
        // The last duplicate wins.
        #expect(IniFile(text: "[feature_toggles]\nenableSCIM = false\nenableSCIM = true\n").toggleState("enableSCIM") == .on)
    }

    @Test func roundTripsExactly() {
        for text in ["", "a = 1", "; c\r\n[s]\r\nk = v\r\n", "x\r", "[s]\nk=v\n\n\n# é 日本\n"] {
            #expect(IniFile(text: text).text == text)
        }
    }

    @Test func noSectionAppendsOne() {
        #expect(enabled("[server]\nhttp_port = 3000\n")
            == "[server]\nhttp_port = 3000\n\n[feature_toggles]\nenableSCIM = true\n")
        #expect(enabled("") == "[feature_toggles]\nenableSCIM = true\n")
        #expect(enabled("[server]\nhttp_port = 3000") == "[server]\nhttp_port = 3000\n\n[feature_toggles]\nenableSCIM = true\n")
    }

    @Test func existingSectionGetsALineAfterItsLastKey() {
        #expect(enabled("[feature_toggles]\n;enable =\nenable = foo\n\n[auth]\nx = 1\n")
            == "[feature_toggles]\n;enable =\nenable = foo\nenableSCIM = true\n\n[auth]\nx = 1\n")
    }

    @Test func falseBecomesTrueKeepingSpacing() {
        #expect(enabled("[feature_toggles]\nenableSCIM =   false\n") == "[feature_toggles]\nenableSCIM =   true\n")
    }

    @Test func crlfAndNonASCIIArePreserved() {
        #expect(enabled("; grafana.ini — café\r\n[feature_toggles]\r\nfoo = true\r\n")
            == "; grafana.ini — café\r\n[feature_toggles]\r\nfoo = true\r\nenableSCIM = true\r\n")
    }

    @Test func sectionValuesAreRead() {
        let ini = IniFile(text: "[auth.scim]\nuser_sync_enabled = true\n; group_sync_enabled = true\n")
        #expect(ini.value(section: "auth.scim", key: "user_sync_enabled") == "true")
        #expect(ini.value(section: "auth.scim", key: "group_sync_enabled") == nil)
    }

    @Test func namespaces() throws {
        #expect(try GrafanaNamespace.parse("default").get() == .org(1))
        #expect(try GrafanaNamespace.parse("org-7").get() == .org(7))
        #expect(try GrafanaNamespace.parse("stacks-12345").get() == .stack(12345))
        #expect(GrafanaNamespace.parse("org-1") == .failure(.orgOne("org-1")))
        for bad in ["stack-1", "org-", "stacks-x", "Default", "stacks--1", "org-1e3"] {
            #expect(throws: NamespaceError.self) { try GrafanaNamespace.parse(bad).get() }
        }
        #expect(GrafanaNamespace.org(1).description == "default")
        #expect(GrafanaNamespace.stack(9).description == "stacks-9")
    }
}
