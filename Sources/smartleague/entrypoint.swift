import SmartLeague

// Before the first task: tasks run on the server's event loops (see `runTasksOnEventLoops`).
SmartLeagueMain.runTasksOnEventLoops()
await SmartLeagueMain.run()
