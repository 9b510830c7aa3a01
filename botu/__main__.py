import sys

from botu.cli import main

sys.exit(main())
