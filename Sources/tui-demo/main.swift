import Foundation
import TerminalUI

// tui-demo [--parity] [--theme NAME|PATH] [--mouse]
let arguments = CommandLine.arguments.dropFirst()
var themeName: String?
if let i = arguments.firstIndex(of: "--theme"), arguments.index(after: i) < arguments.endIndex {
    themeName = arguments[arguments.index(after: i)]
}
let (theme, warning) = ThemeLibrary.standard().resolve(themeName)
if let warning { FileHandle.standardError.write(Data((warning + "\n").utf8)) }
let options = TerminalOptions(theme: theme, mouse: arguments.contains("--mouse"))

do {
    let status: Int32
    if arguments.contains("--parity") {
        status = try TerminalRunner(app: ParityApp(), options: options).run()
    } else {
        status = try TerminalRunner(app: DemoApp(), options: options).run()
    }
    exit(status)
} catch {
    FileHandle.standardError.write(Data("tui-demo: \(error)\n".utf8))
    exit(1)
}
