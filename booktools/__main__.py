import sys

from booktools import _main

sys.exit(_main(sys.argv[1:]))
