"""face-compat: legacy Face Recognition v1 ``compare`` answered by IAI 2.0 ``CompareFace``."""
from ._version import __version__

__all__ = ["__version__"]
