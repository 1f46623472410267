import GrafanaConfig
import Testing
@testable import Setup

@Suite("Connector URL")
struct ConnectorURLTests {
    @Test func hostFromPastedText() throws {
        #expect(try ConnectorURL.host(from: "acme.grafana.net").get() == "acme.grafana.net")
        #expect(try ConnectorURL.host(from: "https://acme.grafana.net/").get() == "acme.grafana.net")
        #expect(try ConnectorURL.host(from: "  https://Acme.Grafana.net/a/b?x=1#f ").get() == "acme.grafana.net")
        #expect(try ConnectorURL.host(from: "http://grafana.internal:3000/login").get() == "grafana.internal:3000")
        #expect(try ConnectorURL.host(from: "https://user:pw@grafana.example.com/").get() == "grafana.example.com")
    }

    @Test func badHostsSaySo() {
        #expect(ConnectorURL.host(from: "") == .failure(.emptyHost))
        #expect(ConnectorURL.host(from: "https:///") == .failure(.emptyHost))
        #expect(ConnectorURL.host(from: "grafana example.com") == .failure(.badHost("grafana example.com")))
        #expect(ConnectorURL.host(from: "-bad.example.com") == .failure(.badHost("-bad.example.com")))
        #expect(ConnectorURL.host(from: "grafana.example.com:99999") == .failure(.badPort("99999")))
        #expect(ConnectorURL.host(from: "a..b") == .failure(.badHost("a..b")))
    }

    @Test func namespaces() throws {
        #expect(try ConnectorURL.namespace(stackID: "12345", org: nil).get() == .stack(12345))
        #expect(try ConnectorURL.namespace(stackID: nil, org: nil).get() == .org(1))
        #expect(try ConnectorURL.namespace(stackID: nil, org: "1").get() == .org(1))
        #expect(try ConnectorURL.namespace(stackID: nil, org: "default").get() == .org(1))
        #expect(try ConnectorURL.namespace(stackID: nil, org: "3").get() == .org(3))
        #expect(try ConnectorURL.namespace(stackID: nil, org: "org-3").get() == .org(3))
        #expect(ConnectorURL.namespace(stackID: "12a", org: nil) == .failure(.badStackID("12a")))
        #expect(ConnectorURL.namespace(stackID: "0", org: nil) == .failure(.badStackID("0")))
        #expect(ConnectorURL.namespace(stackID: nil, org: "-2") == .failure(.badOrg("-2")))
        #expect(ConnectorURL.namespace(stackID: "1", org: "2") == .failure(.bothStackAndOrg))
    }

    @Test func buildsTheGuidesURL() {
        #expect(ConnectorURL(host: "acme.grafana.net", namespace: .stack(12345)).description
            == "https://acme.grafana.net/apis/scim.grafana.app/v0alpha1/namespaces/stacks-12345")
        #expect(ConnectorURL(host: "grafana.example.com", namespace: .org(1)).description
            == "https://grafana.example.com/apis/scim.grafana.app/v0alpha1/namespaces/default")
        #expect(ConnectorURL(host: "grafana.example.com", namespace: .org(4)).description
            == "https://grafana.example.com/apis/scim.grafana.app/v0alpha1/namespaces/org-4")
        #expect(ConnectorURL.on(base: "http://127.0.0.1:9310/", namespace: .org(1))
            == "http://127.0.0.1:9310/apis/scim.grafana.app/v0alpha1/namespaces/default")
    }

    @Test func answersDeriveTheURL() {
        var a = SetupAnswers()
        a.target = .cloud
        a.grafanaURL = "https://acme.grafana.net/"
        #expect(ConnectorURLStep.problems(in: GuideContext(answers: a))[.stackID] != nil)
        a.stackID = "12345"
        #expect(ConnectorURLStep.problems(in: GuideContext(answers: a)).isEmpty)
        #expect(a.connectorURL == "https://acme.grafana.net/apis/scim.grafana.app/v0alpha1/namespaces/stacks-12345")
        a.host = "https://sso.acme.example/"
        #expect(a.connectorURL == "https://sso.acme.example/apis/scim.grafana.app/v0alpha1/namespaces/stacks-12345")

        var e = SetupAnswers()
        #expect(ConnectorURLStep.problems(in: GuideContext(answers: e)).isEmpty)
        #expect(!e.hasPublicHost)
        #expect(e.connectorURL == "https://YOUR-PUBLIC-HOST/apis/scim.grafana.app/v0alpha1/namespaces/default")
        e.host = "bad host"
        #expect(ConnectorURLStep.problems(in: GuideContext(answers: e))[.host] != nil)

        var s = SetupAnswers()
        s.target = .selfHosted
        s.grafanaURL = "https://grafana.example.com"
        s.orgID = "2"
        #expect(s.connectorURL == "https://grafana.example.com/apis/scim.grafana.app/v0alpha1/namespaces/org-2")
        #expect(s.apiOrgID == 2)
    }

    @Test func theBaseKeepsAnExplicitSchemeAndGrafanasSubPath() throws {
        #expect(try ConnectorURL.base(from: "proxy.example.com").get() == .init(scheme: "https", host: "proxy.example.com"))
        #expect(try ConnectorURL.base(from: "https://proxy.example.com/grafana/").get()
            == .init(scheme: "https", host: "proxy.example.com", path: "/grafana"))
        #expect(try ConnectorURL.base(from: "http://127.0.0.1:3000").get() == .init(scheme: "http", host: "127.0.0.1:3000"))
        // A page of Grafana's pasted whole: its path ends at Grafana's own route.
        #expect(try ConnectorURL.base(from: "https://acme.grafana.net/d/abc/overview?orgId=1").get()
            == .init(scheme: "https", host: "acme.grafana.net"))
        #expect(try ConnectorURL.base(from: "https://ops.example.com/tools/grafana/login").get().path == "/tools/grafana")
        #expect(ConnectorURL.base(from: "https://bad host/") == .failure(.badHost("bad host")))
        #expect(ConnectorURL(base: .init(host: "proxy.example.com", path: "/grafana"), namespace: .org(1)).description
            == "https://proxy.example.com/grafana/apis/scim.grafana.app/v0alpha1/namespaces/default")
    }
}
