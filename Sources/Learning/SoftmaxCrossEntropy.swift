import Foundation

/// Softmax cross-entropy through log-sum-exp, so any finite logits (±1e4 and beyond) give a
/// finite loss: loss_i = log Σ_j exp(z_ij − m_i) + m_i − z_i,label with m_i = max_j z_ij.
/// Each row is reduced in Double; there are only `classes` terms per image.
public enum SoftmaxCrossEntropy {
    /// Σ_i loss_i over `batch` rows of `classes` logits. If `dLogits` is given it receives
    /// `scale`·(softmax(z_i) − onehot(label_i)), i.e. d(scale·Σ loss)/dz.
    public static func sum(logits: UnsafePointer<Float>, labels: UnsafePointer<UInt8>, batch: Int,
                           classes: Int, dLogits: UnsafeMutablePointer<Float>? = nil,
                           scale: Float = 1) -> Double {
        var total = 0.0
        for i in 0..<batch {
            let z = logits + i * classes
            let label = Int(labels[i])
            precondition(label < classes, "label \(label) out of range 0..<\(classes)")
            var m = z[0]
            for j in 1..<classes where z[j] > m { m = z[j] }
            let md = Double(m)
            var s = 0.0
            for j in 0..<classes { s += exp(Double(z[j]) - md) }
            let lse = md + log(s)
            total += lse - Double(z[label])
            if let dLogits {
                let d = dLogits + i * classes
                let sc = Double(scale)
                for j in 0..<classes {
                    let p = exp(Double(z[j]) - lse)
                    d[j] = Float(sc * (j == label ? p - 1 : p))
                }
            }
        }
        return total
    }

    /// Mean loss over rows of `logits` ([batch × classes], row-major).
    public static func mean(logits: [Float], labels: [UInt8], classes: Int) -> Float {
        precondition(logits.count == labels.count * classes && !labels.isEmpty)
        return logits.withUnsafeBufferPointer { z in
            labels.withUnsafeBufferPointer { y in
                Float(sum(logits: z.baseAddress!, labels: y.baseAddress!, batch: labels.count,
                          classes: classes) / Double(labels.count))
            }
        }
    }
}
