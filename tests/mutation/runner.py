"""The test command mutmut runs: pytest, with every failure reported as exit code 1.

mutmut 2 counts only exit code 1 as "killed"; a mutant that breaks the module's
import makes pytest exit with 2 (collection error) and would be counted as
surviving.
"""
import sys

import pytest

if __name__ == "__main__":
    sys.exit(0 if pytest.main(sys.argv[1:]) == 0 else 1)
