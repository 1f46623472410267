import Foundation
import PlainErrors
import Yams

/// A theme file problem, located: the file, the line, and the key.
public struct ThemeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var key: String?
    public var message: String

    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        if let key { s += ": \(key)" }
        return s + ": " + message
    }
}

/// Reads theme files: YAML (comments with `#`), parsed by Yams.
///
/// ```yaml
/// # A theme names an appearance per role.
/// name: light
/// roles:
///   title: { fg: blue, attrs: [bold] }
///   selection: { fg: white, bg: blue }
/// ```
/// Colours: `default` (the terminal's own), `black` … `white`,
/// `bright_black` … `bright_white`, or 0–255. Attributes: bold, dim,
/// reverse, underline, italic. A role in one of the 256 colours may name
/// its look on terminals with 8 or 16 (`fallback: { fg: black }`); without
/// one, the nearest of the 16 is used.
public enum ThemeFile {
    public static func parse(_ text: String, file: String) throws(ThemeError) -> Theme {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ThemeError(file: file, line: Self.line(of: error), key: nil, message: "not valid YAML: \(Self.problem(of: error))")
        } catch {
            throw ThemeError(file: file, line: nil, key: nil, message: "not valid YAML")
        }
        guard let root = node?.mapping else {
            throw ThemeError(file: file, line: node?.mark?.line, key: nil, message: "a theme is a mapping with \"name\" and \"roles\"")
        }
        var name = (file as NSString).lastPathComponent.replacingOccurrences(of: ".yaml", with: "")
        var roles: [Role: RoleAppearance] = [:]
        for (keyNode, value) in root {
            let key = keyNode.string ?? ""
            switch key {
            case "name":
                guard let n = value.string, !n.isEmpty else {
                    throw ThemeError(file: file, line: value.mark?.line, key: "name", message: "must be a string")
                }
                name = n
            case "description":
                continue
            case "roles":
                guard let mapping = value.mapping else {
                    throw ThemeError(file: file, line: value.mark?.line, key: "roles", message: "must be a mapping of role names")
                }
                for (roleNode, spec) in mapping {
                    let roleName = roleNode.string ?? ""
                    guard let role = Role(rawValue: roleName) else {
                        throw ThemeError(file: file, line: roleNode.mark?.line, key: "roles.\(roleName)",
                                         message: "unknown role; roles are \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    roles[role] = try appearance(spec, key: "roles.\(roleName)", file: file)
                }
            default:
                throw ThemeError(file: file, line: keyNode.mark?.line, key: key,
                                 message: "unknown key; a theme has \"name\", \"description\" and \"roles\"")
            }
        }
        return Theme(name: name, roles: roles)
    }

    static func appearance(_ node: Node, key: String, file: String) throws(ThemeError) -> RoleAppearance {
        guard let mapping = node.mapping else {
            throw ThemeError(file: file, line: node.mark?.line, key: key, message: "must be a mapping with fg, bg and attrs")
        }
        var result = RoleAppearance()
        for (k, v) in mapping {
            let field = k.string ?? ""
            let path = "\(key).\(field)"
            switch field {
            case "fg", "bg":
                guard let text = v.string, let color = ThemeColor(name: text) else {
                    throw ThemeError(file: file, line: v.mark?.line, key: path,
                                     message: "\"\(v.string ?? "?")\" is not a colour; use default, a name like red or bright_blue, or 0–255")
                }
                if field == "fg" { result.foreground = color } else { result.background = color }
            case "fallback":
                // `fallback: { fg: black, bg: white }`: what a 256-colour role is on a terminal with 8 or 16.
                guard let fallback = v.mapping else {
                    throw ThemeError(file: file, line: v.mark?.line, key: path, message: "must be a mapping with fg and bg")
                }
                for (fk, fv) in fallback {
                    let which = fk.string ?? ""
                    guard which == "fg" || which == "bg" else {
                        throw ThemeError(file: file, line: fk.mark?.line, key: "\(path).\(which)", message: "unknown key; use fg or bg")
                    }
                    guard let text = fv.string, let color = ThemeColor(name: text),
                        color == .terminalDefault || color.index(onTerminalWith: 16) == color.index(onTerminalWith: 256)
                    else {
                        throw ThemeError(file: file, line: fv.mark?.line, key: "\(path).\(which)",
                                         message: "\"\(fv.string ?? "?")\" is not one of the 16 colours; use default, black … white or bright_black … bright_white")
                    }
                    if which == "fg" { result.fallback.foreground = color } else { result.fallback.background = color }
                }
            case "attrs":
                let items = v.sequence.map { Array($0) } ?? [v]
                for item in items {
                    guard let n = item.string, let attr = ThemeAttributes.names[n.lowercased()] else {
                        throw ThemeError(file: file, line: item.mark?.line, key: path,
                                         message: "\"\(item.string ?? "?")\" is not an attribute; use bold, dim, reverse, underline or italic")
                    }
                    result.attributes.insert(attr)
                }
            default:
                throw ThemeError(file: file, line: k.mark?.line, key: path, message: "unknown key; use fg, bg, attrs or fallback")
            }
        }
        return result
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return nil
        }
    }

    static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): return problem
        default: return "\(error)"
        }
    }
}

/// Where themes are found, and which one a console uses.
public struct ThemeLibrary: Sendable {
    /// Folders searched for `NAME.yaml`, in order.
    public var folders: [String]

    public init(folders: [String]) { self.folders = folders }

    /// The usual folders: `$SCIM_CONSOLE_THEMES`, `$XDG_CONFIG_HOME/scim-console/themes`
    /// (else `~/.config/scim-console/themes`), `./Themes`, and the `Themes`
    /// folder of the package the executable was built in.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment,
                                executable: String = CommandLine.arguments.first ?? "") -> ThemeLibrary {
        var folders: [String] = []
        if let env = environment["SCIM_CONSOLE_THEMES"], !env.isEmpty { folders += env.split(separator: ":").map(String.init) }
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(NSHomeDirectory())/.config"
        folders.append("\(config)/scim-console/themes")
        folders.append(FileManager.default.currentDirectoryPath + "/Themes")
        var dir = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            let candidate = dir.appendingPathComponent("Themes")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("default.yaml").path) {
                folders.append(candidate.path)
                break
            }
            dir = dir.deletingLastPathComponent()
        }
        return ThemeLibrary(folders: folders)
    }

    /// The theme to use. `NO_COLOR` means monochrome; a name is looked up in
    /// `folders`, a path read directly; a theme with an error is reported in
    /// `warning` and the built-in default used instead.
    public func resolve(_ request: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> (theme: Theme, warning: String?)
    {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty {
            return (Theme.monochrome, nil)
        }
        let wanted = request ?? "default"
        let path: String?
        if wanted.contains("/") || wanted.hasSuffix(".yaml") || wanted.hasSuffix(".yml") {
            path = (wanted as NSString).expandingTildeInPath
        } else {
            path = folders.map { "\($0)/\(wanted).yaml" }.first { FileManager.default.fileExists(atPath: $0) }
        }
        guard let path else {
            if request == nil { return (Theme.builtInDefault, nil) }
            if wanted == "monochrome" { return (Theme.monochrome, nil) }
            return (Theme.builtInDefault, "No theme named \"\(wanted)\" in \(folders.joined(separator: ", ")); using the built-in default.")
        }
        do {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            return (try ThemeFile.parse(text, file: path), nil)
        } catch let error as ThemeError {
            return (Theme.builtInDefault, "\(error) — using the built-in default theme.")
        } catch {
            return (Theme.builtInDefault, "\(path) cannot be read (\(PlainErrorText.reason(error))); using the built-in default theme.")
        }
    }

    /// Names of the themes in `folders`.
    public var available: [String] {
        var names = Set<String>()
        for folder in folders {
            for file in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where file.hasSuffix(".yaml") {
                names.insert(String(file.dropLast(5)))
            }
        }
        return names.sorted()
    }
}
