import sys

from digitize.cli.main import main

sys.exit(main())
