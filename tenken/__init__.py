"""tenken (点検): ICT・デジタル行動計画のPDCAを支えるシステム。"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tenken")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
