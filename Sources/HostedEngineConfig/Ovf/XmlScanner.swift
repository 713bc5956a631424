/// Finds elements and attribute values in XML text by their byte offsets, so an edit can change
/// one element's text and leave every other byte alone (a parser and serializer would reorder
/// attributes and re-escape text).
///
/// The same scanner reads XML embedded as escaped text in another document (the libvirt domain
/// in an OVF's `EngineXml`): there a tag opens with `&lt;` and closes with `&gt;`.
struct XmlScanner {
    struct Element: Equatable {
        /// Where `<name` starts.
        let start: Int
        /// Just past the open tag's `>`.
        let openEnd: Int
        /// The text between the tags; nil for `<name/>`.
        let content: Range<Int>?
        /// Just past the close tag.
        let end: Int
    }

    let bytes: [UInt8]
    let open: [UInt8]
    let close: [UInt8]

    init(bytes: [UInt8], escaped: Bool = false) {
        self.bytes = bytes
        open = Array((escaped ? "&lt;" : "<").utf8)
        close = Array((escaped ? "&gt;" : ">").utf8)
    }

    /// Every element named `name` in `range`, in order, not looking inside the ones found.
    func elements(named name: String, in range: Range<Int>) -> [Element] {
        var found: [Element] = []
        var position = range.lowerBound
        while let element = firstElement(named: name, in: position..<range.upperBound) {
            found.append(element)
            position = element.end
        }
        return found
    }

    func firstElement(named name: String, in range: Range<Int>) -> Element? {
        let head = open + Array(name.utf8)
        var position = range.lowerBound
        while let start = find(head, in: position..<range.upperBound) {
            position = start + head.count
            guard position < range.upperBound else { return nil }
            // `<name` must end there: not `<names`.
            let next = bytes[position]
            guard next == 32 || next == 9 || next == 10 || next == 13 || next == UInt8(ascii: "/") || matches(close, at: position) else {
                continue
            }
            guard let tagClose = find(close, in: position..<range.upperBound) else { return nil }
            let openEnd = tagClose + close.count
            if bytes[tagClose - 1] == UInt8(ascii: "/") {
                return Element(start: start, openEnd: openEnd, content: nil, end: openEnd)
            }
            let tail = open + Array("/\(name)".utf8) + close
            guard let closeStart = find(tail, in: openEnd..<range.upperBound) else { return nil }
            return Element(start: start, openEnd: openEnd, content: openEnd..<closeStart, end: closeStart + tail.count)
        }
        return nil
    }

    /// The range of an attribute's value inside an element's open tag.
    func attribute(_ name: String, of element: Element) -> Range<Int>? {
        var position = element.start + open.count
        let tagEnd = element.openEnd - close.count
        let key = Array(name.utf8)
        while let at = find(key, in: position..<tagEnd) {
            position = at + key.count
            // Preceded by a space, followed by = and a quote.
            guard bytes[at - 1] == 32 || bytes[at - 1] == 9 || bytes[at - 1] == 10, position + 1 < tagEnd,
                bytes[position] == UInt8(ascii: "="), bytes[position + 1] == UInt8(ascii: "\"") || bytes[position + 1] == UInt8(ascii: "'")
            else { continue }
            let quote = bytes[position + 1]
            let valueStart = position + 2
            guard let valueEnd = bytes[valueStart..<tagEnd].firstIndex(of: quote) else { return nil }
            return valueStart..<valueEnd
        }
        return nil
    }

    func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    func find(_ needle: [UInt8], in range: Range<Int>) -> Int? {
        guard !needle.isEmpty, range.count >= needle.count else { return nil }
        let first = needle[0]
        var index = range.lowerBound
        let last = range.upperBound - needle.count
        while index <= last {
            if bytes[index] == first, matches(needle, at: index) { return index }
            index += 1
        }
        return nil
    }

    private func matches(_ needle: [UInt8], at index: Int) -> Bool {
        guard index + needle.count <= bytes.count else { return false }
        for offset in needle.indices where bytes[index + offset] != needle[offset] { return false }
        return true
    }
}
