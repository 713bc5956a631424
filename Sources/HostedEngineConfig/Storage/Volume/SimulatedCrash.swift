/// What a crash point with `.throwError` throws.
public struct SimulatedCrash: Error, Equatable {}
