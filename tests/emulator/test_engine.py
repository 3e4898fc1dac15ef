"""Real face comparison through the official SDK (sface engine; skipped without face-compat[emulator])."""

import threading

import pytest
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

from compat.emulator.scores import SFACE_COSINE_ANCHORS, cosine_to_score

from .helpers import compare_request, jpeg_header_bytes, read_photo, sdk_client

pytestmark = pytest.mark.engine
cv2 = pytest.importorskip("cv2")
numpy = pytest.importorskip("numpy")

DIFFERENT_PEOPLE = [
    ("obama.jpg", "biden.jpg"),
    ("obama.jpg", "grace_hopper.jpg"),
    ("obama.jpg", "astronaut.png"),
    ("obama2.jpg", "biden.jpg"),
    ("biden.jpg", "grace_hopper.jpg"),
    ("grace_hopper.jpg", "astronaut.png"),
]


def score(emulator, a: bytes, b: bytes, **fields) -> float:
    return sdk_client(emulator).CompareFace(compare_request(a, b, **fields)).Score


def jpeg(image) -> bytes:
    ok, encoded = cv2.imencode(".jpg", image)
    assert ok
    return encoded.tobytes()


def error_code(emulator, a: bytes, b: bytes, **fields) -> str:
    with pytest.raises(TencentCloudSDKException) as caught:
        score(emulator, a, b, **fields)
    return caught.value.code


def test_same_photo_scores_near_100(iai_emulator):
    photo = read_photo("obama.jpg")
    assert score(iai_emulator, photo, photo) >= 99.0


@pytest.mark.parametrize("version, same_person_threshold", [("3.0", 50), ("2.0", 80)])
def test_same_person_above_same_person_threshold(iai_emulator, version, same_person_threshold):
    value = score(iai_emulator, read_photo("obama.jpg"), read_photo("obama2.jpg"), FaceModelVersion=version)
    assert value > same_person_threshold


@pytest.mark.parametrize("version, far_1e3_threshold", [("3.0", 40), ("2.0", 70)])
@pytest.mark.parametrize("pair", DIFFERENT_PEOPLE, ids=lambda pair: "-".join(pair))
def test_different_people_below_far_1e3_threshold(iai_emulator, pair, version, far_1e3_threshold):
    value = score(iai_emulator, read_photo(pair[0]), read_photo(pair[1]), FaceModelVersion=version)
    assert value < far_1e3_threshold


def test_no_face_in_plain_gray_jpeg(iai_emulator):
    gray = jpeg(numpy.full((480, 640, 3), 128, dtype=numpy.uint8))
    assert error_code(iai_emulator, gray, read_photo("obama.jpg")) == "InvalidParameterValue.NoFaceInPhoto"


def test_corrupt_jpeg_body_is_decode_failed(iai_emulator):
    assert error_code(iai_emulator, jpeg_header_bytes(300, 300), read_photo("obama.jpg")) == (
        "FailedOperation.ImageDecodeFailed"
    )


def test_largest_face_is_used(iai_emulator):
    obama = cv2.imdecode(numpy.frombuffer(read_photo("obama.jpg"), numpy.uint8), cv2.IMREAD_COLOR)
    biden = cv2.imdecode(numpy.frombuffer(read_photo("biden.jpg"), numpy.uint8), cv2.IMREAD_COLOR)
    canvas = numpy.full((1200, 1500, 3), 200, dtype=numpy.uint8)
    canvas[:1137, :910] = obama
    small_biden = cv2.resize(biden, (biden.shape[1] * 500 // biden.shape[0], 500))
    canvas[:500, 920 : 920 + small_biden.shape[1]] = small_biden
    group = jpeg(canvas)
    assert score(iai_emulator, group, read_photo("obama2.jpg")) > 50
    assert score(iai_emulator, group, read_photo("biden.jpg")) < 40


def test_rotated_face_found_with_need_rotate_detection(iai_emulator):
    obama = cv2.imdecode(numpy.frombuffer(read_photo("obama2.jpg"), numpy.uint8), cv2.IMREAD_COLOR)
    rotated = jpeg(cv2.rotate(obama, cv2.ROTATE_90_CLOCKWISE))
    assert score(iai_emulator, rotated, read_photo("obama.jpg"), NeedRotateDetection=1) > 50


def test_quality_control_rejects_small_faces(iai_emulator):
    obama = cv2.imdecode(numpy.frombuffer(read_photo("obama.jpg"), numpy.uint8), cv2.IMREAD_COLOR)
    small = jpeg(cv2.resize(obama, (160, 200), interpolation=cv2.INTER_AREA))
    assert score(iai_emulator, small, read_photo("obama2.jpg"), QualityControl=0) > 0
    assert error_code(iai_emulator, small, read_photo("obama2.jpg"), QualityControl=4) == (
        "FailedOperation.FaceQualityNotQualified"
    )


def test_urls_compare_real_faces(iai_emulator, image_server):
    request = compare_request(read_photo("biden.jpg"), UrlA=image_server + "/obama.jpg",
                              UrlB=image_server + "/obama2.jpg")
    assert sdk_client(iai_emulator).CompareFace(request).Score > 50


def test_eight_threads_get_correct_answers(iai_emulator):
    same = (read_photo("obama.jpg"), read_photo("obama2.jpg"))
    different = (read_photo("obama.jpg"), read_photo("biden.jpg"))
    outcomes = {}
    barrier = threading.Barrier(8)

    def call(index: int) -> None:
        pair = same if index % 2 else different
        client = sdk_client(iai_emulator)
        barrier.wait()
        outcomes[index] = client.CompareFace(compare_request(*pair)).Score

    threads = [threading.Thread(target=call, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(outcomes) == 8
    for index, value in outcomes.items():
        assert (value > 50) == bool(index % 2), outcomes


def test_score_mapping_is_monotone_and_hits_the_official_anchors():
    cosines = [row[0] for row in SFACE_COSINE_ANCHORS]
    assert cosines == sorted(cosines)
    for version, thresholds in (("3.0", (40, 50, 60)), ("2.0", (70, 80, 90))):
        samples = [cosine_to_score(step / 100.0, version) for step in range(-100, 101)]
        assert samples == sorted(samples)
        assert samples[0] == 0.0 and samples[-1] == 100.0
        assert cosine_to_score(0.363, version) == thresholds[1]  # OpenCV's SFace threshold = "same person"
        assert cosine_to_score(0.30, version) == thresholds[0]
        assert cosine_to_score(0.43, version) == thresholds[2]
