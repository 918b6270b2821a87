import Testing

@testable import Plot

/// Axes of the charts: nice ticks, and never below zero for data that is not.
@Suite struct AxisTests {
    @Test func nonNegativeDataStartsAtZeroOrAtTheData() {
        for values in [[0.0, 23.1], [0.0, 0.41894, 1.2], [3648.0, 14_600.0], [0.0, 0.0], [1e-9, 2e-9], [5.0]] {
            let axis = Axis(covering: values)
            #expect(axis.lower >= 0, "\(values): lower \(axis.lower)")
            #expect(axis.ticks.allSatisfy { $0 >= 0 }, "\(values): ticks \(axis.ticks)")
            #expect(axis.upper >= values.max()!, "\(values): upper \(axis.upper)")
            #expect(axis.lower <= values.min()!)
        }
    }

    @Test func negativeDataKeepsItsPadding() {
        let axis = Axis(covering: [-3, 4])
        #expect(axis.lower < -3)
        #expect(axis.upper > 4)
    }

    @Test func hugeLabelsDoNotTrap() {
        #expect(Axis.label(1e300).hasSuffix("M"))
        #expect(!Axis.trim(9.3e18).isEmpty)
    }
}
