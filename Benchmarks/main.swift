import Foundation

// `swift run -c release smartleague-bench [tree|members]`: figures against baselines measured in
// the same run. Without an argument both run.
let which = CommandLine.arguments.dropFirst().first
if which == nil || which == "tree" { try await treeBenchmark() }
if which == nil || which == "members" { try await memberBenchmark() }
