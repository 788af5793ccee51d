from precepts.cli.app import main

main()
