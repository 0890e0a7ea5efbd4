import SmartLeague

await SmartLeagueMain.run()
