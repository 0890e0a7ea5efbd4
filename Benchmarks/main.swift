import Foundation

// `swift run -c release smartleague-bench [tree|members|study]`: figures against baselines measured in
// the same run. Without an argument all run.
let which = CommandLine.arguments.dropFirst().first
if which == nil || which == "tree" { try await treeBenchmark() }
if which == nil || which == "members" { try await memberBenchmark() }
if which == nil || which == "study" { try await studyBenchmark() }
