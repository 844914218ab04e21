from digitize.cli.main import main

main()
