/// The word of a list nearest to a mistyped one, for `Did you mean ...?`.
public enum NearestWord {
    /// The candidate within a few edits of `word` (a third of its length, at least one, at most
    /// three), the nearest first; nil when none is that near or it is `word` itself.
    public static func suggestion(for word: String, in candidates: [String]) -> String? {
        let typed = Array(word.lowercased().unicodeScalars)
        let limit = min(3, max(1, typed.count / 3))
        var best: (distance: Int, word: String)?
        for candidate in candidates where candidate != word {
            let distance = editDistance(typed, Array(candidate.lowercased().unicodeScalars))
            if distance <= limit, distance < (best?.distance ?? Int.max) { best = (distance, candidate) }
        }
        return best?.word
    }

    /// Levenshtein distance, adjacent transpositions counting as one edit.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { current[j] = min(current[j], previous2[j - 2] + 1) }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
