from movement_cli.cli.main import run

run()
