import Foundation

/// The project's `fixtures/` and `scripts/`, found from this file's place in the clone.
public enum Fixtures {
    public static let projectRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    public static func path(_ relative: String) -> String {
        projectRoot + "/fixtures/" + relative
    }

    public static func bytes(_ relative: String) throws -> [UInt8] {
        try Files.read(path(relative))
    }

    public static func text(_ relative: String) throws -> String {
        String(decoding: try bytes(relative), as: UTF8.self)
    }

    public static func script(_ name: String) -> String {
        projectRoot + "/scripts/" + name
    }

    /// The four OVFs of the engine VM from oVirt's own tests, in fixtures/upstream.
    public static let upstreamOVFs = ["ovf_test.xml", "ovf_test_max_vcpu.xml", "ovf_test_v4.2.xml", "ovf_test_v4.2_unsafe.xml"]

    /// The five members of a realistic configuration archive, in upstream's editor order.
    public static func configMembers() throws -> [(name: String, bytes: [UInt8])] {
        try ["version", "fhanswers.conf", "hosted-engine.conf", "broker.conf", "vm.conf"].map {
            ($0, try bytes("config-volume/" + $0))
        }
    }
}
