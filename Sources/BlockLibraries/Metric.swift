/// A quality metric a library scores its candidates with.
///
/// An architecture's estimate is the **sum** of its blocks' scores (replace-1-block scoring), so
/// `.lower` metrics (KL divergence, LM loss) are minimised and `.higher` ones (accuracy) maximised.
public struct Metric: Sendable, Hashable {
    /// Which way is better.
    public enum Direction: String, Sendable, Hashable {
        case lower, higher
    }

    public var name: String
    public var direction: Direction

    public init(_ name: String, direction: Direction) {
        self.name = name
        self.direction = direction
    }

    public init(name: String, direction: Direction) {
        self.init(name, direction: direction)
    }

    /// Whether score `a` is better than `b` under this metric.
    public func isBetter(_ a: Double, than b: Double) -> Bool {
        direction == .lower ? a < b : a > b
    }

    /// The direction of a well-known metric name, or nil when the name says nothing.
    ///
    /// Losses, divergences and errors (`kl_div`, `lm_loss`, `cosine_embedding_loss`, `mse`,
    /// `perplexity`) are lower-is-better; accuracies (`mmlu`, `accuracy`, `token_accuracy_top_10`,
    /// `f1`, `exact_match`) are higher-is-better.
    public static func conventionalDirection(of name: String) -> Direction? {
        let n = name.lowercased()
        for token in ["loss", "kl", "div", "mse", "mae", "error", "perplexity", "ppl", "distance"] where n.contains(token) {
            return .lower
        }
        for token in ["acc", "mmlu", "f1", "exact", "match", "score", "win", "pass", "bleu", "rouge"] where n.contains(token) {
            return .higher
        }
        return nil
    }
}
