import sys

from saidwho.cli import main

sys.exit(main())
