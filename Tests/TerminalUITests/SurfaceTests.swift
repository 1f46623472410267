import Testing
@testable import TerminalUI

@Suite("Surface and display width")
struct SurfaceTests {
    @Test func widths() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("山田") == 4)
        #expect(DisplayWidth.of("🚀") == 2)
        #expect(DisplayWidth.of("e\u{301}") == 1)  // e + combining acute
        #expect(DisplayWidth.of("❤️") == 2)  // text symbol + emoji presentation selector
        #expect(DisplayWidth.of("Zoë 🚀") == 6)
    }

    @Test func clippingUsesDisplayWidth() {
        #expect(DisplayWidth.clip("hello world", to: 8) == "hello w…")
        #expect(DisplayWidth.clip("山田太郎", to: 5) == "山田…")
        #expect(DisplayWidth.clip("山田太郎", to: 8) == "山田太郎")
        #expect(DisplayWidth.clip("abc", to: 0) == "")
        #expect(DisplayWidth.fit("山", to: 4) == "山  ")
        #expect(DisplayWidth.fit("7", to: 3, alignRight: true) == "  7")
    }

    @Test func gridPlacesWideCharactersInTwoCells() {
        let grid = CellGrid(width: 10, height: 2)
        grid.put("a山b", at: Point(x: 0, y: 0), style: .normal)
        #expect(grid.line(0) == "a山b      ")
        #expect(DisplayWidth.of(grid.line(0)) == 10)
        // A wide character that would cross the edge is not drawn half.
        grid.put("123456789山", at: Point(x: 0, y: 1), style: .normal)
        #expect(grid.line(1) == "123456789 ")
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        let grid = CellGrid(width: 6, height: 1)
        grid.put("山田", at: Point(x: 0, y: 0), style: .normal)
        grid.put("x", at: Point(x: 1, y: 0), style: .normal)
        #expect(grid.line(0) == " x田  ")
    }

    /// Printable ASCII is laid out byte by byte (`DisplayWidth.isPrintableASCII`), apart
    /// from the general path: clipped at both edges, and blanking the other half of a wide
    /// character it overwrites, as the general path does.
    @Test func asciiIsClippedAndOverwritesWideCharacters() {
        let grid = CellGrid(width: 8, height: 3)
        grid.put("hello", at: Point(x: -2, y: 0), style: .normal)
        grid.put("abcdef", at: Point(x: 5, y: 0), style: Style(.ok))
        #expect(grid.line(0) == "llo  abc")
        #expect(grid.style(at: Point(x: 7, y: 0)) == Style(.ok))
        grid.put("山田太郎", at: Point(x: 0, y: 1), style: .normal)
        grid.put("x", at: Point(x: 2, y: 1), style: .normal)    // the left half of 田
        grid.put("yz", at: Point(x: 5, y: 1), style: .normal)   // the right half of 太, the left of 郎
        #expect(grid.line(1) == "山x  yz ")
        #expect(DisplayWidth.of(grid.line(1)) == 8)
        grid.put("e\u{301}", at: Point(x: 0, y: 2), style: .normal)
        grid.put("!", at: Point(x: 1, y: 2), style: .normal)
        #expect(grid.dump().split(separator: "\n").last == "e\u{301}!")
        #expect(DisplayWidth.isPrintableASCII("plain text, 100% ~ascii~"))
        #expect(!DisplayWidth.isPrintableASCII("tab\there"))
        #expect(!DisplayWidth.isPrintableASCII("José"))
        #expect(DisplayWidth.of("plain text") == 10)
        #expect(DisplayWidth.clip("plain text", to: 6) == "plain…")
    }

    @Test func combiningMarksJoinTheirBase() {
        let grid = CellGrid(width: 5, height: 1)
        grid.put("Zoe\u{308}!", at: Point(x: 0, y: 0), style: .normal)
        #expect(grid.dump() == "Zoë!")
    }

    @Test func styledDump() {
        let grid = CellGrid(width: 12, height: 1)
        grid.put("ok", at: Point(x: 0, y: 0), style: Style(.ok))
        grid.put("sel", at: Point(x: 3, y: 0), style: Style(.selection, bold: true))
        #expect(grid.dumpStyled() == "[ok]ok[/] [selection*]sel[/]")
    }

    @Test func textHelperClipsWithEllipsis() {
        let grid = CellGrid(width: 20, height: 1)
        grid.text("José Álvarez-Fernández", at: Point(x: 0, y: 0), width: 10)
        #expect(grid.dump() == "José Álva…")
    }
}
