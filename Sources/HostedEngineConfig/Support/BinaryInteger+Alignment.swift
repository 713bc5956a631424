extension BinaryInteger {
    /// The smallest multiple of `unit` that is at least this value.
    func roundedUp(toMultipleOf unit: Self) -> Self {
        (self + unit - 1) / unit * unit
    }

    /// The largest multiple of `unit` that is at most this value.
    func roundedDown(toMultipleOf unit: Self) -> Self {
        self / unit * unit
    }
}
