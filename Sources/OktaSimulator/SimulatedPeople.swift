/// Realistic names, non-ASCII ones included, with the ASCII logins Okta orgs use.
enum SimulatedPeople {
    static let first: [(display: String, login: String)] = [
        ("Ada", "ada"), ("Zoë", "zoe"), ("José", "jose"), ("Søren", "soren"), ("Chloé", "chloe"), ("Łukasz", "lukasz"),
        ("Anaïs", "anais"), ("Mårten", "marten"), ("Aiko", "aiko"), ("Dmitri", "dmitri"), ("Nuño", "nuno"),
        ("Grace", "grace"), ("Björn", "bjorn"), ("Fatimah", "fatimah"), ("Kwame", "kwame"), ("Priya", "priya"),
    ]
    static let last: [(display: String, login: String)] = [
        ("Lovelace", "lovelace"), ("Müller", "muller"), ("Álvarez", "alvarez"), ("Kierkegaard", "kierkegaard"),
        ("Dubois", "dubois"), ("Wałęsa", "walesa"), ("Nin", "nin"), ("Ångström", "angstrom"), ("山田", "yamada"),
        ("Иванов", "ivanov"), ("Peña", "pena"), ("Hopper", "hopper"), ("Ødegård", "odegard"), ("Al-Sayed", "alsayed"),
    ]
    static let titles = ["Engineer", "Site Reliability Engineer", "Product Manager", "Designer", "Data Scientist", "Support"]
    static let teams = ["Engineering", "Platform", "Observability", "Product", "Design", "Support", "Data", "Security",
                        "Växjö Office", "東京チーム"]

    struct Person {
        var userName: String
        var givenName: String
        var familyName: String
        var oktaID: String
        var title: String
        var displayName: String { "\(givenName) \(familyName)" }
    }

    static func person(_ i: Int, run: String) -> Person {
        let f = first[i % first.count]
        let l = last[(i / first.count + i) % last.count]
        return Person(userName: "\(f.login).\(l.login).\(run)\(i)@example.com", givenName: f.display, familyName: l.display,
                      oktaID: "00u\(run)\(String(i, radix: 36))", title: titles[i % titles.count])
    }

    static func team(_ j: Int, run: String) -> String {
        j < teams.count ? "\(teams[j]) \(run)" : "Team \(j + 1) \(run)"
    }
}
