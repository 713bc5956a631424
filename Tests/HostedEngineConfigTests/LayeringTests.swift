import Foundation
import TestSupport
import Testing

/// The library's shape, as the README's Architecture section states it: each folder a layer
/// that uses only the layers before it, one main type per file, no file over 350 lines.
@Suite struct LayeringTests {
    static let layers = ["Support", "Storage", "Archive", "ConfigFiles", "Ovf", "Locating", "Workflow"]
    static let library = Fixtures.projectRoot + "/Sources/HostedEngineConfig"

    struct SourceFile {
        let layer: Int
        let name: String
        let text: String
    }

    /// Every Swift file of every layer, in its subsystem folders as well (a file moved into a
    /// subfolder stays under the rules).
    static func sources() throws -> [SourceFile] {
        try layers.enumerated().flatMap { index, layer in
            let folder = library + "/" + layer
            let paths = try #require(FileManager.default.subpathsOfDirectory(atPath: folder) as [String]?)
            return try paths.sorted().filter { $0.hasSuffix(".swift") }.map {
                SourceFile(layer: index, name: layer + "/" + $0, text: try String(contentsOfFile: folder + "/" + $0, encoding: .utf8))
            }
        }
    }

    /// A layer's subsystem folders hold Swift files, or more folders: nothing else.
    @Test func layersAreWalkedToTheBottom() throws {
        let files = try Self.sources()
        #expect(files.count > 130, "every file was found (\(files.count))")
        for layer in Self.layers {
            let folder = Self.library + "/" + layer
            for path in try FileManager.default.subpathsOfDirectory(atPath: folder) {
                var isFolder: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isFolder)
                #expect(isFolder.boolValue || path.hasSuffix(".swift"), "\(layer)/\(path)")
            }
        }
    }

    /// Names of the types a file declares at its top level.
    static func declaredTypes(_ text: String) -> [String] {
        let pattern = try! NSRegularExpression(
            pattern: #"^(?:public |final |indirect )*(?:struct|enum|class|protocol) (\w+)"#, options: .anchorsMatchLines)
        return pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
            String(text[Range($0.range(at: 1), in: text)!])
        }
    }

    @Test func everySourceFileIsInALayerFolder() throws {
        let top = try FileManager.default.contentsOfDirectory(atPath: Self.library).sorted()
        #expect(top == Self.layers.sorted())
    }

    @Test func eachLayerUsesOnlyTheLayersBeforeIt() throws {
        let files = try Self.sources()
        var layerOfType: [String: Int] = [:]
        for file in files {
            for name in Self.declaredTypes(file.text) { layerOfType[name] = file.layer }
        }
        #expect(layerOfType.count > 40, "the types were found")
        let identifier = try NSRegularExpression(pattern: #"\b[A-Z][A-Za-z0-9_]*\b"#)
        for file in files {
            let code = file.text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                line.range(of: "//").map { String(line[..<$0.lowerBound]) } ?? String(line)
            }.joined(separator: "\n")
            let used = Set(
                identifier.matches(in: code, range: NSRange(code.startIndex..., in: code)).map { String(code[Range($0.range, in: code)!]) })
            let later = used.filter { (layerOfType[$0] ?? -1) > file.layer }.sorted()
            #expect(later.isEmpty, "\(file.name) uses \(later), declared in a later layer")
        }
    }

    @Test func oneMainTypePerFileAndNoneTooLong() throws {
        for file in try Self.sources() {
            let types = Self.declaredTypes(file.text)
            let base = String(file.name.split(separator: "/").last!.dropLast(".swift".count))
            if base.contains("+") {
                // An extension file extends the type it is named after and declares no other.
                #expect(types.isEmpty, "\(file.name) declares \(types)")
                let extended = String(base.prefix { $0 != "+" })
                #expect(
                    file.text.contains("extension \(extended) {") || file.text.contains("extension \(extended):"),
                    "\(file.name) extends \(extended)")
            } else {
                #expect(types == [base], "\(file.name) declares \(types)")
            }
            let lines = file.text.split(separator: "\n", omittingEmptySubsequences: false).count - 1
            #expect(lines <= 350, "\(file.name) has \(lines) lines")
        }
    }
}
