from precepts.cli.app import run

run()
