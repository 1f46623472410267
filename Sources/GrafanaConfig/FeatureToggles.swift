/// What an ini file says about a feature toggle, in either of Grafana's forms:
/// `[feature_toggles] enableSCIM = true`, or the older list `enable = a,b`
/// (commas and/or spaces, or a JSON array). A per-toggle key wins over the list.
public enum ToggleState: String, Sendable, Equatable {
    case on, off, unset
}

extension IniFile {
    public static let featureToggleSection = "feature_toggles"

    public func toggleState(_ toggle: String) -> ToggleState {
        if let value = value(section: Self.featureToggleSection, key: toggle) {
            return Self.parseBool(value) == true ? .on : .off
        }
        if let list = value(section: Self.featureToggleSection, key: "enable"),
            Self.toggleList(list).contains(toggle)
        {
            return .on
        }
        return .unset
    }

    /// Go's `strconv.ParseBool`, which Grafana uses for toggle values.
    public static func parseBool(_ s: String) -> Bool? {
        switch s {
        case "1", "t", "T", "TRUE", "true", "True": return true
        case "0", "f", "F", "FALSE", "false", "False": return false
        default: return nil
        }
    }

    static func toggleList(_ value: String) -> [String] {
        value.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" || $0 == "[" || $0 == "]" })
            .map { $0.trimmingCharacters(in: ["\""]) }
            .filter { !$0.isEmpty }
    }

    /// Every toggle this file turns on, in either form, sorted.
    public var enabledToggles: [String] {
        var names = Set<String>()
        for entry in entries where entry.section == Self.featureToggleSection && entry.key != "enable" {
            names.insert(entry.key)
        }
        if let list = value(section: Self.featureToggleSection, key: "enable") {
            names.formUnion(Self.toggleList(list))
        }
        return names.filter { toggleState($0) == .on }.sorted()
    }

    /// Turns a toggle on in its per-toggle form, leaving everything else as it was.
    public mutating func enableToggle(_ toggle: String) {
        set(section: Self.featureToggleSection, key: toggle, value: "true")
    }
}

extension String {
    func trimmingCharacters(in set: Set<Character>) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
