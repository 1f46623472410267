// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "scim-console",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "scim-console", targets: ["scim-console"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // JSON text, one token at a time: the one scanner under the parser, stored documents and the console's highlighter.
        .target(name: "JSONTokens"),
        // The protocol, pure: resources, filter language, PATCH, errors, discovery.
        .target(name: "SCIM", dependencies: ["JSONTokens"]),
        // Grafana's own formats, pure: namespaces, the ini file and its feature toggles.
        .target(name: "GrafanaConfig"),
        // Why a file or socket operation failed, in plain words (an errno's meaning, not Foundation's text).
        .target(name: "PlainErrors"),
        // SQLite store and the rules over provisioned state.
        .target(
            name: "Directory",
            dependencies: [
                "SCIM", "PlainErrors",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, to read a page's stored bytes in place (`CursorRow`).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                // Its background work is a service (`DirectoryService`) on a thread pool it owns.
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The console's read models over the Directory and its request log: browse windows, summaries, search.
        .target(name: "ConsoleQueries", dependencies: ["Directory", "SCIM", .product(name: "GRDB", package: "GRDB.swift")]),
        // ncurses, wide-character build: module map plus static-inline shims.
        .systemLibrary(name: "CNcursesw", pkgConfig: "ncursesw", providers: [.apt(["libncurses-dev"])]),
        // Terminal toolkit: ncurses and in-memory surfaces, widgets, themes.
        .target(
            name: "TerminalUI",
            dependencies: ["CNcursesw", "PlainErrors", "JSONTokens", .product(name: "Yams", package: "Yams")]
        ),
        // The console's budgets, measured: frame render times, events, memory (see Tests/Benchmarks).
        .executableTarget(name: "console-bench", dependencies: [
            "Console", "ConsoleQueries", "Directory", "Endpoint", "GrafanaConfig", "SCIM", "TerminalUI",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // A small scene the tmux tests drive; also a quick way to try a theme.
        .executableTarget(name: "tui-demo", dependencies: ["TerminalUI"]),
        // The app: the setup wizard's screens and the live pane.
        .target(name: "Console", dependencies: ["TerminalUI", "Directory", "ConsoleQueries", "SCIM", "Setup", "GrafanaConfig", "PlainErrors",
                                              "GrafanaMirror"]),
        // The guide as code, UI-free: Grafana client, ini toggle editor, connector URL and test, saved progress.
        .target(
            name: "Setup",
            dependencies: [
                "SCIM", "Directory", "GrafanaConfig", "PlainErrors",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // A real Grafana's users and teams, mirrored into a data set of their own, and acted on there.
        .target(
            name: "GrafanaMirror",
            dependencies: [
                "Directory", "SCIM", "Setup",
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Okta's SCIM traffic, simulated over real HTTP.
        .target(
            name: "OktaSimulator",
            dependencies: ["SCIM", .product(name: "AsyncHTTPClient", package: "async-http-client")]
        ),
        // HTTP server: routes, auth, namespace gate, request log.
        .target(
            name: "Endpoint",
            dependencies: [
                "SCIM", "Directory", "GrafanaConfig", "Setup",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "scim-console",
            dependencies: [
                "SCIM", "Directory", "Endpoint", "GrafanaConfig", "Console", "TerminalUI", "OktaSimulator", "Setup", "PlainErrors",
                "GrafanaMirror",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "SCIMTests", dependencies: ["SCIM", "JSONTokens"]),
        // Replays the fuzz corpora and every input fuzzing found (Tests/Fuzz/run.sh does the fuzzing).
        .testTarget(
            name: "FuzzRegressionTests", dependencies: ["SCIM"], path: "Tests/Fuzz",
            exclude: ["Entry", "corpus", "regressions", "run.sh"]
        ),
        // Opens and closes a data dir 100 times and counts threads and file descriptors (CLITests runs it).
        .executableTarget(
            name: "lifecycle-probe",
            dependencies: ["Directory", "SCIM", .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "Logging", package: "swift-log")],
            path: "Tests/LifecycleProbe"
        ),
        // The tmux end-to-end harness, shared by the test targets.
        .target(name: "TmuxTesting", path: "Tests/TmuxTesting"),
        // Temporary folders for tests, removed when the test process ends.
        .target(
            name: "TestSupport",
            dependencies: ["Directory", "Endpoint", "GrafanaConfig", "SCIM", .product(name: "Logging", package: "swift-log"),
                           .product(name: "GRDB", package: "GRDB.swift")],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "TmuxTesting", "tui-demo", "TestSupport"]),
        .testTarget(
            name: "ConsoleTests",
            dependencies: ["Console", "ConsoleQueries", "TerminalUI", "Directory", "SCIM", "Endpoint", "GrafanaConfig", "OktaSimulator",
                           "Setup", "TmuxTesting", "TestSupport", "GrafanaMirror", .product(name: "Hummingbird", package: "hummingbird")]
        ),
        .testTarget(name: "GrafanaConfigTests", dependencies: ["GrafanaConfig"]),
        .testTarget(
            name: "GrafanaMirrorTests",
            dependencies: ["GrafanaMirror", "Directory", "Endpoint", "OktaSimulator", "SCIM", "Setup", "TestSupport"]
        ),
        .testTarget(
            name: "SetupTests",
            dependencies: ["Setup", "Endpoint", "Directory", "GrafanaConfig", "SCIM", "TestSupport",
                           .product(name: "Hummingbird", package: "hummingbird")]
        ),
        // Runs the built executable: `swift build` (or `--build-tests`) first.
        .testTarget(name: "CLITests", dependencies: ["scim-console", "Directory", "TestSupport", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "DirectoryTests",
            dependencies: ["Directory", "ConsoleQueries", "SCIM", "TestSupport", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "ConsoleQueriesTests",
            dependencies: ["ConsoleQueries", "Directory", "SCIM", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "EndpointTests",
            dependencies: [
                "Endpoint", "Directory", "SCIM", "GrafanaConfig", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
    ]
)
