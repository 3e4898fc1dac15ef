"""The public methods of the original ``qcloud_image.Client`` that the shim does not back.

Data, not code: :mod:`compat.qcloud_image.api` turns every row into a method that answers a v1-shaped
error, so legacy code reaching one gets a readable ``code`` instead of an ``AttributeError``. A test
checks this list against the installed original, so a method cannot be forgotten.
"""
from __future__ import annotations

from typing import Tuple

__all__ = ["UNSUPPORTED_METHODS"]

#: (method name, where the job lives in today's Tencent Cloud APIs: "product Action")
UNSUPPORTED_METHODS: Tuple[Tuple[str, str], ...] = (
    ("porn_detect", "Image Moderation (ims) ImageModeration"),
    ("tag_detect", "Image Tagging (tiia) DetectLabel"),
    ("idcard_detect", "OCR (ocr) IDCardOCR"),
    ("namecard_detect", "OCR (ocr) BusinessCardOCR"),
    ("face_newperson", "Face Recognition 2.0 (iai) CreatePerson"),
    ("face_delperson", "Face Recognition 2.0 (iai) DeletePerson"),
    ("face_addface", "Face Recognition 2.0 (iai) CreateFace"),
    ("face_delface", "Face Recognition 2.0 (iai) DeleteFace"),
    ("face_setinfo", "Face Recognition 2.0 (iai) ModifyPersonBaseInfo"),
    ("face_getinfo", "Face Recognition 2.0 (iai) GetPersonBaseInfo"),
    ("face_getgroupids", "Face Recognition 2.0 (iai) GetGroupList"),
    ("face_getpersonids", "Face Recognition 2.0 (iai) GetPersonList"),
    ("face_getfaceids", "Face Recognition 2.0 (iai) GetPersonBaseInfo (FaceIds)"),
    ("face_getfaceinfo", "Face Recognition 2.0 (iai): no per-face lookup; keep face data on your side"),
    ("face_identify", "Face Recognition 2.0 (iai) SearchFaces"),
    ("face_verify", "Face Recognition 2.0 (iai) VerifyFace"),
    ("face_detect", "Face Recognition 2.0 (iai) DetectFace"),
    ("face_shape", "Face Recognition 2.0 (iai) AnalyzeFace"),
    ("face_idcardcompare", "FaceID (faceid) ImageRecognition"),
    ("face_livegetfour", "FaceID (faceid) GetLiveCode"),
    ("face_livedetectfour", "FaceID (faceid) LivenessCompare"),
    ("face_idcardlivedetectfour", "FaceID (faceid) LivenessRecognition"),
)
