import Dataset
import Foundation
import Learning

/// `oligopoly bench`: throughput of the learning core, in the same shape as
/// `../shared/bench/torch_lenet_bench.py` so the two tables compare row by row.
enum BenchCommand: Command {
    static let name = "bench"
    static let summary = "measure LeNet-5 training and evaluation throughput"
    static let help = """
        usage: oligopoly bench [--data DIR] [--threads N] [--repeats R] [--act tanh|relu]

        Training: images/s of forward + backward + SGD step (lr 0.01) at batch 1, 10, 32,
        64 and 256 (2,048 images per repeat below batch 32, else 8,192). Evaluation:
        images/s of argmax accuracy over 10,000 images at batch 1000. Prints min / median /
        max over the repeats, GFLOP/s implied by the analytic FLOP count (as the PyTorch
        reference does) and the peak resident set size.

        Inputs are real MNIST, as in the reference: the first 8,192 training images and
        the 10,000 test images, normalised.

          --data DIR    MNIST directory (default: $MNIST_DIR, else data/mnist)
          --threads N   OpenBLAS threads (default 1, as each firm process runs)
          --repeats R   repeats per row (default 5)
          --act A       tanh (default) or relu
          --chunk N     images per internal pass (default \(LeNet5Network.defaultChunk); for tuning)
          --only W      train or eval: run only those rows
        """

    /// Multiply-accumulates per image of the conv and linear layers.
    static let macs = 6 * 28 * 28 * 25 + 16 * 10 * 10 * 150 + 400 * 120 + 120 * 84 + 84 * 10
    static let forwardFLOPs = 2 * macs

    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, options: ["data", "threads", "repeats", "act", "chunk", "only"])
        _ = try args.requirePositionals([])
        let threads = try args.int("threads", range: 1...256) ?? 1
        let repeats = try args.int("repeats", range: 1...1000) ?? 5
        let actName = args.string("act") ?? "tanh"
        guard let activation = Activation(rawValue: actName) else {
            throw UsageError("--act: '\(actName)' is not one of tanh, relu")
        }
        let chunk = try args.int("chunk", range: 1...10_000) ?? LeNet5Network.defaultChunk
        let only = args.string("only")
        guard only == nil || only == "train" || only == "eval" else {
            throw UsageError("--only: '\(only!)' is not one of train, eval")
        }
        Learning.useBLASThreads(threads)

        let train: ImageSet, test: ImageSet
        do {
            let dir = try dataDirectory(flag: args.string("data"), kind: .mnist)
            train = try MNIST.load(.train, from: dir).subset(Array(0..<8192))
            test = try MNIST.load(.test, from: dir)
        } catch let e as DataError { throw UsageError(e.description) }
        let trainCount = train.count, testCount = test.count
        let trainImages = normalise(pixels: train.pixels), trainLabels = train.labels
        let testImages = normalise(pixels: test.pixels), testLabels = test.labels

        print("oligopoly (Swift, OpenBLAS im2col+sgemm), act=\(activation.rawValue), threads=\(threads),",
              "FLOPs/image fwd=\(grouped(forwardFLOPs)) fwd+bwd~\(grouped(3 * forwardFLOPs)), real MNIST")
        print(pad("what", 12, left: true) + pad("batch", 6) + pad("min", 10) + pad("median", 10) + pad("max", 10)
              + pad("GFLOP/s", 9) + "  (images/s)")
        for batch in [1, 10, 32, 64, 256] where only != "eval" {
            let images = batch < 32 ? 2048 : 8192
            let rates = (0..<repeats).map { r in
                trainRate(activation, batch: batch, chunk: chunk, images: images, seed: UInt64(r),
                          x: trainImages, y: trainLabels, count: trainCount)
            }
            printRow("train", batch, rates, flopsPerImage: 3 * forwardFLOPs)
        }
        if only != "train" {
            let rates = (0..<repeats).map { r in
                evalRate(activation, chunk: chunk, seed: UInt64(r), x: testImages, y: testLabels, count: testCount)
            }
            printRow("eval 10k", 1000, rates, flopsPerImage: forwardFLOPs)
        }
        print("peak RSS \(peakRSSMiB()) MiB")
        return 0
    }

    static func trainRate(_ activation: Activation, batch: Int, chunk: Int, images: Int, seed: UInt64,
                          x: [Float], y: [UInt8], count: Int) -> Double {
        var parameters = LeNet5.initialParameters(seed: seed)
        var gradient = [Float](repeating: 0, count: LeNet5.parameterCount)
        let net = LeNet5Network(activation: activation, maxBatch: batch, chunk: chunk)
        let steps = max(1, images / batch)
        var pos = 0
        var seconds = 0.0
        x.withUnsafeBufferPointer { xs in
            y.withUnsafeBufferPointer { ys in
                parameters.withUnsafeMutableBufferPointer { p in
                    gradient.withUnsafeMutableBufferPointer { g in
                        func step() {
                            if pos + batch > count { pos = 0 }
                            _ = net.lossAndGradient(parameters: p.baseAddress!,
                                                    images: xs.baseAddress! + pos * LeNet5.imageSize,
                                                    labels: ys.baseAddress! + pos, count: batch,
                                                    gradient: g.baseAddress!)
                            SGD.step(parameters: p.baseAddress!, gradient: g.baseAddress!, learningRate: 0.01,
                                     count: LeNet5.parameterCount)
                            pos += batch
                        }
                        for _ in 0..<3 { step() }
                        let start = DispatchTime.now().uptimeNanoseconds
                        for _ in 0..<steps { step() }
                        seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                    }
                }
            }
        }
        return Double(steps * batch) / seconds
    }

    static func evalRate(_ activation: Activation, chunk: Int, seed: UInt64, x: [Float], y: [UInt8], count: Int) -> Double {
        let parameters = LeNet5.initialParameters(seed: seed)
        let net = LeNet5Network(activation: activation, maxBatch: 1000, chunk: chunk)
        var seconds = 0.0
        var correct = 0
        parameters.withUnsafeBufferPointer { p in
            x.withUnsafeBufferPointer { xs in
                y.withUnsafeBufferPointer { ys in
                    _ = net.correctCount(parameters: p.baseAddress!, images: xs.baseAddress!,
                                         labels: ys.baseAddress!, count: 1000)  // warm-up, as torch's
                    let start = DispatchTime.now().uptimeNanoseconds
                    correct = net.correctCount(parameters: p.baseAddress!, images: xs.baseAddress!,
                                               labels: ys.baseAddress!, count: count)
                    seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                }
            }
        }
        precondition(correct >= 0)
        return Double(count) / seconds
    }

    static func printRow(_ what: String, _ batch: Int, _ rates: [Double], flopsPerImage: Int) {
        let sorted = rates.sorted()
        let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2]
            : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        print(pad(what, 12, left: true) + pad("\(batch)", 6) + pad(String(format: "%.0f", sorted.first!), 10)
              + pad(String(format: "%.0f", median), 10) + pad(String(format: "%.0f", sorted.last!), 10)
              + pad(String(format: "%.1f", median * Double(flopsPerImage) / 1e9), 9))
    }

    static func peakRSSMiB() -> Int {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss / 1024  // kilobytes on Linux
    }

    static func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - s.count))
        return left ? s + fill : fill + s
    }

    static func grouped(_ n: Int) -> String {
        let s = String(n)
        var out = ""
        for (i, ch) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out += "," }
            out.append(ch)
        }
        return out
    }
}

