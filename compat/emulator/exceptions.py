"""The 2.0 error table and the one exception the emulator raises.

Hierarchy::

    EmulatorError(code, message)     raised anywhere below the dispatcher, serialised by it as
                                     {"Response": {"Error": {"Code", "Message"}, "RequestId"}}

Messages are data (``ERROR_MESSAGES``); a handler raises ``EmulatorError.of(code)`` and only passes a message
when it has something more specific to say. API errors travel with HTTP 200, as the cloud sends them.
"""

from typing import Dict, Optional

ERROR_MESSAGES: Dict[str, str] = {
    # Common to every Tencent Cloud API 3.0 service.
    "AuthFailure.InvalidAuthorization": "Check `Authorization` in the request header: it is not in the right format.",
    "AuthFailure.SecretIdNotFound": "The SecretId is not found, please ensure that your SecretId is correct.",
    "AuthFailure.SignatureExpire": "Signature expired. Timestamp and server time cannot differ by more than 5 minutes.",
    "AuthFailure.SignatureFailure": (
        "The provided credentials could not be validated. Please check your signature is correct."
    ),
    "InvalidAction": "The requested action does not exist.",
    "NoSuchVersion": "The requested version does not exist or the requested version of the interface does not exist.",
    "MissingParameter": "A required parameter is missing.",
    "InvalidParameter": "A parameter is invalid.",
    "UnsupportedRegion": "The action does not support this region.",
    "UnsupportedProtocol": "The HTTP method or content type of the request is not supported.",
    "RequestSizeLimitExceeded": "The request body exceeds the size limit.",
    "RequestLimitExceeded": (
        "Your current request times equals to `20` in a second, which exceeds the frequency limit `20`."
    ),
    "InternalError": "An internal error has occurred. Retry your request.",
    # CompareFace (iai 2020-03-03).
    "FailedOperation.ImageDecodeFailed": "Image decode failed.",
    "FailedOperation.ImageDownloadError": "Image download error.",
    "FailedOperation.ImageResolutionExceed": "Image resolution exceeds the limit.",
    "FailedOperation.ImageResolutionTooSmall": "Image short side is smaller than 64 px.",
    "FailedOperation.ImageSizeExceed": "Image size after base64 encoding exceeds 5 MB.",
    "FailedOperation.FaceQualityNotQualified": "Face quality does not meet the QualityControl requirement.",
    "InvalidParameterValue.FaceModelVersionIllegal": "FaceModelVersion is illegal.",
    "InvalidParameterValue.ImageEmpty": "Image is empty.",
    "InvalidParameterValue.NoFaceInPhoto": "There is no face in the photo.",
    "InvalidParameterValue.QualityControlIllegal": "QualityControl is illegal.",
    "InvalidParameterValue.UrlIllegal": "Url is illegal.",
}


class EmulatorError(Exception):
    """A 2.0 API error: the dispatcher turns it into the cloud's error reply (moto's ServiceException habit)."""

    def __init__(self, code: str, message: Optional[str] = None) -> None:
        self.code = code
        self.message = message if message is not None else ERROR_MESSAGES.get(code, code)
        super().__init__(f"{self.code}: {self.message}")
