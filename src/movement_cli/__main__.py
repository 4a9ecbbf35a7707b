from movement_cli.launch import run

run()
