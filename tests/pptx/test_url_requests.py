"""python-pptx's unused urllib.request is loaded only when something uses it."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import sys
import studydeck.pptx.writer
print("ssl" in sys.modules, "http.client" in sys.modules)
import urllib.request
from urllib.request import url2pathname
print(url2pathname("/a%20b"), urllib.request.quote("a b"), "http.client" in sys.modules)
"""


def test_writing_loads_no_http_and_url_requests_still_work() -> None:
    done = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.split("\n")[:2] == ["False False", "/a b a%20b True"]
