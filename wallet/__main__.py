import sys

from .cli_parser import main

sys.exit(main())
