"""face-compat: legacy Face Recognition v1 ``compare`` answered by Face Recognition 2.0 (IAI) ``CompareFace``.

Swap one import line::

    from compat import compare
    result = compare(urlA, urlB)        # the v1 dict: {"data": {...}, "code": 0, "message": "OK"}
"""
from ._version import __version__
from .client import Client, compare
from .errors import CompareError
from .migrate.usage import FaceCompatDeprecationWarning

__all__ = ["Client", "CompareError", "FaceCompatDeprecationWarning", "__version__", "compare"]
