import Foundation

/// Copies text to the system clipboard with OSC 52, which terminals honour
/// over SSH; inside tmux the sequence is also wrapped for passthrough. The
/// caller shows the text as well, so it can be selected by hand where OSC 52
/// is not allowed.
public enum Clipboard {
    /// The escape sequences that ask the terminal to copy `text`.
    public static func sequence(for text: String, insideTmux: Bool) -> String {
        let payload = Data(text.utf8).base64EncodedString()
        let osc = "\u{1B}]52;c;\(payload)\u{07}"
        guard insideTmux else { return osc }
        // tmux passes a DCS-wrapped sequence through to the outer terminal (escape bytes doubled).
        let wrapped = "\u{1B}Ptmux;" + osc.replacingOccurrences(of: "\u{1B}", with: "\u{1B}\u{1B}") + "\u{1B}\\"
        return osc + wrapped
    }
}
