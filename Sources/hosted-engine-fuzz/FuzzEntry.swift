// The libFuzzer driver over FuzzTargets; scripts/fuzz builds it with
// -sanitize=fuzzer,address -DFUZZING. Built plainly (as `swift build` does) it only says how.
import FuzzTargets

#if FUZZING
    import CFuzzerDriver
    import Glibc

    @main
    struct FuzzEntry {
        static func main() {
            if let script = getenv("HE_CONFIGPARSER_ORACLE") {
                FuzzTargets.oracle = try? ConfigparserOracle(script: String(cString: script))
            }
            var argc = CommandLine.argc
            var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
            exit(
                LLVMFuzzerRunDriver(&argc, &argv) { data, size in
                    FuzzTargets.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
                    return 0
                })
        }
    }
#else
    @main
    struct FuzzEntry {
        static func main() {
            print("hosted-engine-fuzz is a libFuzzer target: run scripts/fuzz SECONDS.")
        }
    }
#endif
