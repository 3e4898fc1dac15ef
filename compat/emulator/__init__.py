"""A local Face Recognition 2.0 (IAI 2020-03-03) CompareFace endpoint, faithful enough for the official SDK.

Shares no code with the shim (``compat.client`` and friends), only the reference facts, so it can catch the
shim's mistakes. The protocol part is stdlib only; the real face engine needs ``face-compat[emulator]``.
"""

from .exceptions import ERROR_MESSAGES, EmulatorError
from .server import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, Emulator

__all__ = ["DEFAULT_SECRET_ID", "DEFAULT_SECRET_KEY", "ERROR_MESSAGES", "Emulator", "EmulatorError"]
