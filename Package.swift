// swift-tools-version:6.0
// oligopoly: a multi-process simulator of defection-free collaboration between
// competing firms (Werner, Karimireddy, Jordan). See docs/architecture.md.
import PackageDescription

let package = Package(
    name: "oligopoly",
    products: [
        .executable(name: "oligopoly", targets: ["oligopoly"]),
    ],
    targets: [
        // C libraries from Debian, one thin module map each.
        .systemLibrary(name: "CZMQ", path: "Sources/CZMQ", pkgConfig: "libzmq",
                       providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),

        // Pure cores: no I/O.
        .target(name: "Random"),
        .target(name: "Market"),
        .target(name: "Learning", dependencies: ["COpenBLAS", "Random"]),

        // Data, configuration, wire format and transport.
        .target(name: "Dataset", dependencies: ["CZlib", "Random"]),
        .target(name: "Topology"),
        .target(name: "Wire"),
        .target(name: "Bus", dependencies: ["CZMQ", "Wire"]),
        // Process plumbing shared by every process: clocks, memory, signals.
        .systemLibrary(name: "CLinux", path: "Sources/CLinux"),
        .target(name: "Runtime", dependencies: ["CLinux"]),

        // Processes.
        .target(name: "Broker", dependencies: ["Market", "Wire", "Bus", "Topology", "Runtime"]),
        .target(name: "Firm", dependencies: ["Learning", "Dataset", "Wire", "Bus", "Topology", "Random", "Runtime"]),
        .target(name: "Launcher", dependencies: ["Topology", "Runtime"]),
        .target(name: "Monitor", dependencies: ["Wire", "Bus"]),
        .target(name: "CLI", dependencies: ["Market", "Learning", "Dataset", "Topology", "Wire",
                                            "Bus", "Broker", "Firm", "Launcher", "Monitor", "Runtime"]),
        .executableTarget(name: "oligopoly", dependencies: ["CLI"]),

        .testTarget(name: "MarketTests", dependencies: ["Market"]),
        .testTarget(name: "LearningTests", dependencies: ["Learning", "Random"]),
        .testTarget(name: "DatasetTests", dependencies: ["Dataset", "Random"]),
        .testTarget(name: "WireBusTests", dependencies: ["Wire", "Bus"]),
        .testTarget(name: "TopologyTests", dependencies: ["Topology"]),
        .testTarget(name: "BrokerTests", dependencies: ["Broker", "Market", "Wire", "Bus"]),
        .testTarget(name: "FirmTests", dependencies: ["Firm", "Learning", "Dataset", "Topology"]),
        .testTarget(name: "IntegrationTests", dependencies: ["Topology"]),
    ],
    swiftLanguageModes: [.v6]
)
