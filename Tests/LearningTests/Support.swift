import Foundation
import Learning
import Random

/// Standard normal draws (Box–Muller) from a seeded SplitMix64.
func gaussians(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
    var rng = SplitMix64(seed: seed)
    var out = [Float]()
    out.reserveCapacity(count)
    while out.count < count {
        let u1 = Double(rng.nextUnitFloat()) + 1e-9, u2 = Double(rng.nextUnitFloat())
        let r = (-2 * log(u1)).squareRoot()
        out.append(Float(r * cos(2 * .pi * u2)) * scale)
        if out.count < count { out.append(Float(r * sin(2 * .pi * u2)) * scale) }
    }
    return out
}

func randomLabels(_ count: Int, seed: UInt64) -> [UInt8] {
    var rng = SplitMix64(seed: seed)
    return (0..<count).map { _ in UInt8(rng.next() % 10) }
}

/// A learnable, MNIST-shaped problem: class c is a bright 4×8 bar at one of ten places
/// (two rows of five) on a dark background, plus unit Gaussian pixel noise.
func syntheticDigits(_ count: Int, seed: UInt64, noise: Float = 1) -> (images: [Float], labels: [UInt8]) {
    let labels = randomLabels(count, seed: seed)
    var images = gaussians(count * LeNet5.imageSize, seed: seed &+ 1, scale: noise)
    for i in 0..<count {
        let c = Int(labels[i])
        let top = c < 5 ? 4 : 16, left = 2 + (c % 5) * 5
        for y in 0..<28 {
            for x in 0..<28 {
                let inside = (top..<(top + 8)).contains(y) && (left..<(left + 4)).contains(x)
                images[i * LeNet5.imageSize + y * 28 + x] += inside ? 2.5 : -0.4
            }
        }
    }
    return (images, labels)
}
