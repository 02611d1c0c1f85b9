import CLinux
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Process plumbing shared by the broker, the firms and the launcher.
public enum Runtime {
    /// Monotonic seconds (CLOCK_MONOTONIC), for durations.
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// Peak resident set size of this process in bytes (VmHWM from /proc/self/status).
    public static func peakResidentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.split(separator: " ").compactMap { Int($0) }
            if let kb = digits.first { return kb * 1024 }
        }
        return 0
    }

    /// Environment variable through which the launcher tells children its pid.
    public static let launcherPIDVariable = "OLIGOPOLY_LAUNCHER_PID"

    /// If started by the launcher, die with it: ask the kernel for SIGTERM when the parent
    /// exits (PR_SET_PDEATHSIG), and exit now if it is already gone. No orphans.
    public static func dieWithLauncher() {
        guard let raw = ProcessInfo.processInfo.environment[launcherPIDVariable], let pid = Int32(raw) else { return }
        _ = clinux_set_parent_death_signal(SIGTERM)
        if getppid() != pid { exit(1) }
    }

    /// Installs a SIGINT/SIGTERM/SIGHUP handler that only sets a flag (see `interrupted`), without
    /// SA_RESTART so blocking waits return early with EINTR.
    public static func catchInterrupts() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in interruptSignal = signal }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
        sigaction(SIGTERM, &action, nil)
        sigaction(SIGHUP, &action, nil)
        // A closed output pipe (`oligopoly run | head`) must not kill the run: writes fail instead.
        signal(SIGPIPE, SIG_IGN)
        // A process started from a thread that blocks signals (libdispatch workers do)
        // inherits that mask: unblock, or Ctrl-C would never arrive.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGHUP)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// The signal that interrupted the process, or 0.
    public static var interrupted: Int32 { interruptSignal }

    /// Writes a line to standard error; a closed stream is ignored, never fatal.
    public static func log(_ line: String) {
        try? FileHandle.standardError.write(contentsOf: Data((line + "\n").utf8))
    }

    /// Writes a line to standard output at once; a closed pipe is ignored, never fatal.
    public static func say(_ line: String) {
        try? FileHandle.standardOutput.write(contentsOf: Data((line + "\n").utf8))
    }

    /// Seconds since the Unix epoch, for log timestamps.
    public static func wallClock() -> Double { Date().timeIntervalSince1970 }
}

nonisolated(unsafe) private var interruptSignal: Int32 = 0
