import Foundation
import Runtime
import Topology

/// A failure of the launcher or of one of its children: one line, and the exit code.
public struct LaunchError: Error, CustomStringConvertible {
    public let description: String
    public let exitCode: Int32
}

/// Starts one broker process and one process per firm (all the same binary), forwards
/// their output, forwards Ctrl-C/SIGTERM, and makes sure no child outlives the run.
public final class Launcher {
    public struct Plan: Sendable {
        /// The effective topology file (with command-line overrides) in the run directory.
        public var topologyFile: URL
        public var topology: Topology
        public var runDirectory: URL
        public var dataDirectory: URL
        public var executable: URL
        /// OpenBLAS threads per child process (OPENBLAS_NUM_THREADS), one by default.
        public var blasThreads: Int = 1
        public init(topologyFile: URL, topology: Topology, runDirectory: URL, dataDirectory: URL, executable: URL) {
            self.topologyFile = topologyFile
            self.topology = topology
            self.runDirectory = runDirectory
            self.dataDirectory = dataDirectory
            self.executable = executable
        }
    }

    let plan: Plan
    private var children: [(name: String, process: Process)] = []
    private let lock = NSLock()

    public init(_ plan: Plan) { self.plan = plan }

    /// The command lines of one run, for running the processes by hand or on other hosts.
    public static func commandLines(plan: Plan, broadcast: String, report: String) -> [String] {
        let exe = plan.executable.path
        var lines = ["\(exe) broker --topology \(plan.topologyFile.path) --out \(plan.runDirectory.path)"]
        for f in plan.topology.firms {
            lines.append("OPENBLAS_NUM_THREADS=\(plan.blasThreads) \(exe) firm --topology \(plan.topologyFile.path) --id \(f.id) --broadcast \(broadcast) --report \(report) --data \(plan.dataDirectory.path)")
        }
        return lines
    }

    private func spawn(name: String, arguments: [String], stdout: Pipe?) throws -> Process {
        let p = Process()
        p.executableURL = plan.executable
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env[Runtime.launcherPIDVariable] = "\(getpid())"
        env["OPENBLAS_NUM_THREADS"] = "\(plan.blasThreads)"
        p.environment = env
        if let stdout { p.standardOutput = stdout }
        do { try p.run() } catch {
            throw LaunchError(description: "could not start \(name) (\(plan.executable.path)): \(error.localizedDescription)", exitCode: 1)
        }
        lock.lock(); children.append((name, p)); lock.unlock()
        return p
    }

    /// Sends `signal` to every child still running.
    public func signalChildren(_ signal: Int32) {
        lock.lock(); let all = children; lock.unlock()
        for c in all where c.process.isRunning { kill(c.process.processIdentifier, signal) }
    }

    /// Runs the broker and the firms to the end; returns the exit code (0 only if every
    /// child exited 0).
    public func run() throws -> Int32 {
        // Broker first: it binds, prints its resolved endpoints, and the firms connect to them.
        let brokerOut = Pipe()
        let broker = try spawn(name: "broker", arguments: ["broker", "--topology", plan.topologyFile.path,
                                                           "--out", plan.runDirectory.path], stdout: brokerOut)
        let endpoints = EndpointReader(brokerOut.fileHandleForReading)
        guard let (broadcast, report) = endpoints.waitForEndpoints() else {
            broker.waitUntilExit()
            throw LaunchError(description: "broker exited (status \(broker.terminationStatus)) before binding its endpoints", exitCode: 1)
        }
        var firms: [(String, Process)] = []
        for f in plan.topology.firms {
            let p = try spawn(name: "firm \(f.id)", arguments: [
                "firm", "--topology", plan.topologyFile.path, "--id", f.id,
                "--broadcast", broadcast, "--report", report, "--data", plan.dataDirectory.path,
            ], stdout: nil)
            firms.append(("firm \(f.id)", p))
        }

        // Wait. A firm that dies early makes the broker wait for nothing: stop the run.
        var failures: [String] = []
        while broker.isRunning {
            if Runtime.interrupted != 0 {
                signalChildren(Runtime.interrupted)
                break
            }
            for (name, p) in firms where !p.isRunning && p.terminationStatus != 0 && !failures.contains(where: { $0.hasPrefix(name + " ") }) {
                failures.append(Self.describeExit(name, p))
                kill(broker.processIdentifier, SIGTERM)
            }
            usleep(50_000)  // polling child status; synchronisation itself is done by the broker's protocol
        }
        broker.waitUntilExit()
        endpoints.drain()
        // The broker has said shutdown; give firms a moment to say bye, then make sure.
        let deadline = Date().addingTimeInterval(15)
        while firms.contains(where: { $0.1.isRunning }) && Date() < deadline { usleep(50_000) }
        signalChildren(SIGTERM)
        // A stopped or wedged child ignores SIGTERM: make sure after a grace period.
        let killAt = Date().addingTimeInterval(5)
        while firms.contains(where: { $0.1.isRunning }) && Date() < killAt { usleep(50_000) }
        signalChildren(SIGKILL)
        let firmFailedFirst = !failures.isEmpty
        for (name, p) in firms {
            p.waitUntilExit()
            // Firms stopped by us after the broker ended are not failures of their own.
            if p.terminationStatus != 0 && !failures.contains(where: { $0.hasPrefix(name + " ") }) && !firmFailedFirst
                && broker.terminationStatus == 0 {
                failures.append(Self.describeExit(name, p))
            }
        }
        if Runtime.interrupted != 0 {
            throw LaunchError(description: "interrupted by signal \(Runtime.interrupted); all processes stopped", exitCode: 128 + Runtime.interrupted)
        }
        if firmFailedFirst {
            // The broker only saw a SIGTERM; the run ended because a firm died: say so in the record.
            recordFailure("failed: " + failures.joined(separator: "; "))
            throw LaunchError(description: failures.joined(separator: "; ") + " (run stopped; see \(plan.runDirectory.path)/summary.json)", exitCode: 1)
        }
        if broker.terminationStatus != 0 {
            failures.insert("broker exited with status \(broker.terminationStatus)\(brokerReason())", at: 0)
        }
        if !failures.isEmpty {
            throw LaunchError(description: failures.joined(separator: "; "), exitCode: broker.terminationStatus != 0 ? broker.terminationStatus : 1)
        }
        return 0
    }
}

extension Launcher {
    /// "firm low exited with status 2" or "firm low was killed by signal 9".
    static func describeExit(_ name: String, _ p: Process) -> String {
        p.terminationReason == .uncaughtSignal ? "\(name) was killed by signal \(p.terminationStatus)"
            : "\(name) exited with status \(p.terminationStatus)"
    }

    /// Puts the real cause of a failed run into summary.json's status (keeping the broker's as broker_status).
    func recordFailure(_ status: String) {
        let url = plan.runDirectory.appendingPathComponent("summary.json")
        guard let data = try? Data(contentsOf: url),
              var obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return }
        obj["broker_status"] = obj["status"]
        obj["status"] = status
        if let out = try? JSONSerialization.data(withJSONObject: obj, options: [.prettyPrinted, .sortedKeys]) {
            try? out.write(to: url)
        }
    }

    /// The broker's own account of a failed run, from summary.json (": reason"), or "".
    func brokerReason() -> String {
        let url = plan.runDirectory.appendingPathComponent("summary.json")
        guard let data = try? Data(contentsOf: url),
              let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let status = obj["status"] as? String, status != "completed" else { return "" }
        return ": " + status
    }
}

/// Reads the broker's standard output on a background thread, echoes it, and picks out
/// the line `endpoints broadcast=EP report=EP` that the broker prints once bound.
final class EndpointReader: @unchecked Sendable {
    private let handle: FileHandle
    private let found = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private var endpoints: (String, String)?

    init(_ handle: FileHandle) {
        self.handle = handle
        Thread.detachNewThread { [self] in self.pump() }
    }

    private func pump() {
        var buffer = Data()
        var signalled = false
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            while let nl = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[buffer.startIndex..<nl], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...nl)
                if !signalled, line.hasPrefix("endpoints ") {
                    let fields = Dictionary(uniqueKeysWithValues: line.split(separator: " ").dropFirst().compactMap { part -> (String, String)? in
                        guard let eq = part.firstIndex(of: "=") else { return nil }
                        return (String(part[..<eq]), String(part[part.index(after: eq)...]))
                    })
                    if let b = fields["broadcast"], let r = fields["report"] { endpoints = (b, r) }
                    signalled = true
                    found.signal()
                    continue
                }
                Runtime.say(line)
            }
        }
        if !buffer.isEmpty { Runtime.say(String(decoding: buffer, as: UTF8.self)) }
        if !signalled { found.signal() }
        done.signal()
    }

    func waitForEndpoints() -> (String, String)? {
        found.wait()
        return endpoints
    }

    /// Waits until the broker's output is fully echoed (after it exited).
    func drain() { done.wait() }
}
