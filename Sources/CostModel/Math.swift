#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// x^y from the C library (the expert-coverage term (1 - k/E)^M needs a real exponent).
@inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
