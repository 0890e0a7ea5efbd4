import Foundation
import SmartLeague

// As the server does: tasks run on the event loops of the server this program starts and measures.
SmartLeagueMain.runTasksOnEventLoops()

// `swift run -c release smartleague-bench [tree|members|study|lifecycle|volunteers|voice|pages|render]`: figures against baselines measured in
// the same run. Without an argument all run.
let which = CommandLine.arguments.dropFirst().first
if which == nil || which == "tree" { try await treeBenchmark() }
if which == nil || which == "members" { try await memberBenchmark() }
if which == nil || which == "study" { try await studyBenchmark() }
if which == nil || which == "lifecycle" { try await lifecycleBenchmark() }
if which == nil || which == "volunteers" { try await volunteerBenchmark() }
if which == nil || which == "voice" { try await voiceBenchmark() }
if which == nil || which == "pages" { try await pagesBenchmark() }
if which == nil || which == "render" { try await renderBenchmark() }
