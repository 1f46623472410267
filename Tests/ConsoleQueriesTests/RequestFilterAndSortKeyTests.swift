import Foundation
import Testing
@testable import ConsoleQueries
@testable import Directory

@Suite("Request filter terms and the person sort key")
struct RequestFilterAndSortKeyTests {
    @Test func termsAreReadAndTheRestIsText() {
        let f = RequestFilter("method:patch status:4xx user:ada groups")
        #expect(f.method == "PATCH" && f.status == .hundreds(4) && f.user == "ada" && f.text == "groups")
        #expect(RequestFilter("status:404").status == .exactly(404))
        // A term that does not parse stays text, so it still finds what it says.
        #expect(RequestFilter("status:abc").status == nil)
        #expect(RequestFilter("status:abc").text == "status:abc")
        #expect(RequestFilter("").condition(userIDs: []).sql == "1")
        let c = RequestFilter("status:5xx user:zoe").condition(userIDs: ["id-1", "id-2"])
        #expect(c.sql == "status BETWEEN ? AND ? AND (search LIKE ? ESCAPE '\\' OR resource_id IN (?,?))")
    }

    @Test func namesSortIgnoringCaseAndAccents() {
        #expect(PersonSortKey.of("Łukasz 山田") == "lukasz 山田")
        #expect(PersonSortKey.of("Zoë Müller") == "zoe muller")
        #expect(PersonSortKey.of("Søren Kierkegaard") == "soren kierkegaard")
        #expect(PersonSortKey.of("Åsa") < PersonSortKey.of("Bo"))
        let names = ["Zoë Müller", "Łukasz 山田", "anna Ávila", "Émile", "Dmitri Иванов"]
        #expect(names.sorted { PersonSortKey.of($0) < PersonSortKey.of($1) }
            == ["anna Ávila", "Dmitri Иванов", "Émile", "Łukasz 山田", "Zoë Müller"])
    }
}
