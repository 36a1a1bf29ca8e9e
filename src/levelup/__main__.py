from levelup.cli.main import run

run()
