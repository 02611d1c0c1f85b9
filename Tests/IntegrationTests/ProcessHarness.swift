import Foundation
import Testing

/// Runs the real `oligopoly` binary as a child process.
enum Harness {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let mnist = root.appendingPathComponent("../shared/data/mnist").standardizedFileURL

    /// The binary built beside this test bundle (same configuration).
    static var binary: URL {
        #if DEBUG
        let config = "debug"
        #else
        let config = "release"
        #endif
        return root.appendingPathComponent(".build/\(config)/oligopoly")
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("oligopoly-it-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Starts the binary; `onLine` sees each stdout line as it arrives (for reacting mid-run).
    static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 600,
                    onLine: ((String, Process) -> Void)? = nil) throws -> Result {
        try #require(FileManager.default.isExecutableFile(atPath: binary.path),
                     "build the binary first: \(binary.path) is missing (scripts/test.sh builds it)")
        let p = Process()
        p.executableURL = binary
        p.arguments = arguments
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        p.currentDirectoryURL = root
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let errData = Locked(Data())
        let errDone = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            errData.set(err.fileHandleForReading.readDataToEndOfFile())
            errDone.signal()
        }
        var stdout = Data()
        var pending = Data()
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            stdout.append(chunk)
            pending.append(chunk)
            while let nl = pending.firstIndex(of: 10) {
                let line = String(decoding: pending[pending.startIndex..<nl], as: UTF8.self)
                pending.removeSubrange(pending.startIndex...nl)
                onLine?(line, p)
            }
            if Date() > deadline { p.terminate() }
        }
        p.waitUntilExit()
        errDone.wait()
        return Result(status: p.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: errData.get(), as: UTF8.self))
    }

    /// A small duopoly on real MNIST: 200-image shards, 1,000-image target set.
    static func smallTopology(rounds: Int = 3, timeout: Double = 120, extra: String = "") -> String {
        """
        {"name": "it-duopoly", "seed": 3, "rounds": \(rounds), "timeout_s": \(timeout)\(extra),
         "training": {"batch_size": 32, "learning_rate": 0.05, "target_size": 1000},
         "firms": [{"id": "low", "shard_size": 200, "low_label_fraction": 0.8, "pretrain_epochs": 0},
                   {"id": "high", "shard_size": 200, "low_label_fraction": 0.2, "pretrain_epochs": 4}]}
        """
    }

    static func write(_ text: String, to dir: URL, name: String) throws -> URL {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// The pid in a broker line `broker: firm ID ready (pid N, ...)` for `firm` (any firm if nil).
    static func readyPID(_ line: String, firm: String? = nil) -> Int32? {
        guard line.contains("\(firm.map { "firm \($0) " } ?? "")ready (pid ") else { return nil }
        return line.split(separator: " ").dropFirst(5).first.flatMap { Int32($0.filter(\.isNumber)) }
    }

    /// rounds.csv as rows of column → value.
    static func csv(_ url: URL) throws -> (header: [String], rows: [[String: String]]) {
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let rows = lines.dropFirst().map { line in
            Dictionary(uniqueKeysWithValues: zip(header, line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)))
        }
        return (header, rows)
    }
}

/// A value shared with a reader thread.
final class Locked<T>: @unchecked Sendable {
    private var value: T
    private let lock = NSLock()
    init(_ v: T) { value = v }
    func set(_ v: T) { lock.lock(); value = v; lock.unlock() }
    func get() -> T { lock.lock(); defer { lock.unlock() }; return value }
}
