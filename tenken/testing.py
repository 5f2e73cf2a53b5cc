"""pytest plugin loaded first (``addopts = -p tenken.testing``): the test environment.

Settings refuse to start without ``TENKEN_SECRET_KEY`` outside DEBUG, so the suite runs with a test
key — in production mode otherwise (DEBUG off), over plain HTTP (the test client and the browser
tests' live server speak HTTP). Child processes started by tests inherit these variables.
"""

import os

os.environ.setdefault("TENKEN_SECRET_KEY", "tenken-test-only-key-" + "x" * 40)
os.environ.setdefault("TENKEN_HTTPS", "0")
