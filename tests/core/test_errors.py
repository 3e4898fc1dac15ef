"""The v1 table and the 2.0 -> v1 map: complete, consistent, and pinned where the issue pins them."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import tencentcloud.iai.v20200303.errorcodes as iai_errorcodes
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

from compat import errors

V1_PAGE = Path(__file__).resolve().parents[2] / "compat" / "data" / "v1_codes.json"

#: Fixed by issue 3: these rows may never change.
PINNED = {
    "AuthFailure.SignatureExpire": 9,
    "AuthFailure.SecretIdNotFound": 11,
    "AuthFailure.InvalidSecretId": 11,
    "AuthFailure.SignatureFailure": 14,
    "AuthFailure.TokenFailure": 14,
    "AuthFailure.SomethingNew": 14,
    "FaceCompat.MissingCredentials": 4,
    "RequestLimitExceeded": 15,
    "RequestLimitExceeded.UinLimitExceeded": 15,
    "RequestLimitExceeded.SomethingNew": 15,
    "FailedOperation.RequestLimitExceeded": 15,
    "ResourceUnavailable.InArrears": 3,
    "ResourceUnavailable.LowBalance": 3,
    "ResourceUnavailable.StopUsing": 3,
    "ResourceUnavailable.Freeze": 3,
    "ResourceUnavailable.GetAuthInfoError": 107,
    "RequestSizeLimitExceeded": 23,
    "FailedOperation.ImageSizeExceed": 23,
    "InvalidParameterValue.NoFaceInPhoto": -1101,
    "FailedOperation.ImageFacedetectFailed": -1101,
    "FailedOperation.ImageDecodeFailed": -1102,
    "FailedOperation.CompareFail": -1103,
    "FailedOperation.FaceQualityNotQualified": -1103,
    "InvalidParameterValue.ImageEmpty": -1300,
    "InvalidParameterValue.ImageEmptyError": -1300,
    "MissingParameter": -1301,
    "MissingParameter.ErrorParameterEmpty": -1301,
    "FailedOperation.ImageDownloadError": -1308,
    "FailedOperation.ImageResolutionExceed": -1400,
    "FailedOperation.ImageResolutionTooSmall": -1400,
    "InvalidParameter": 21,
    "InvalidParameter.InvalidParameter": 21,
    "InvalidParameterValue.FaceModelVersionIllegal": 21,
    "InvalidParameterValue.SomethingNew": 21,
    "InternalError": 213,
    "InternalError.SomethingNew": 213,
    "FailedOperation.ServerError": 213,
    "FailedOperation.RpcFail": 213,
    "FailedOperation.UnKnowError": 213,
    "FailedOperation.RequestTimeout": 213,
    "ClientNetworkError": 213,
    "ServerNetworkError": 213,
    "FaceCompat.MalformedReply": 213,
}


@pytest.mark.parametrize("tc_code, v1_code", sorted(PINNED.items()))
def test_pinned_mappings(tc_code: str, v1_code: int) -> None:
    assert errors.translate(tc_code).v1_code == v1_code


def test_arrears_keep_the_v1_account_message() -> None:
    assert errors.translate("ResourceUnavailable.InArrears").message == "account abnormal,errorno is:2"


def test_every_iai_sdk_error_code_has_a_deliberate_row() -> None:
    """Every code in the SDK's IAI errorcodes.py lands on an exact or prefix row, never the blind default."""
    codes = [v for k, v in vars(iai_errorcodes).items() if k.isupper() and isinstance(v, str)]
    assert len(codes) > 90
    blind = [c for c in codes if errors.translate(c).rule == "default"]
    assert blind == []


def test_every_mapped_v1_code_is_in_the_v1_table() -> None:
    rows = list(errors.ERROR_MAP["exact"].values()) + errors.ERROR_MAP["prefix"] + [errors.ERROR_MAP["default"]]
    assert {row["v1"] for row in rows} <= set(errors.V1_CODES)
    assert all(row["note"] for row in rows)


def test_v1_table_holds_every_code_of_the_v1_page() -> None:
    page = (Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "v1-face-compare-api.md")
    if not page.exists():
        pytest.skip("reference page not beside the checkout")
    listed = {int(m) for m in re.findall(r"^\|\s*(-?\d+)\s*\|", page.read_text(encoding="utf-8"), re.M)}
    assert listed and listed <= set(errors.V1_CODES)


def test_unknown_code_falls_to_default_with_code_in_message() -> None:
    translation = errors.translate("Brand.NewCode")
    assert (translation.v1_code, translation.rule) == (213, "default")
    assert errors.describe(translation, "Brand.NewCode", "detail") == "internal error (2.0 Brand.NewCode: detail)"


def test_longest_prefix_wins() -> None:
    assert errors.translate("InvalidParameterValue.Whatever").rule == "prefix"
    assert errors.translate("ResourceUnavailable.Whatever").v1_code == 3


def test_map_sdk_errors_translates_foreign_exceptions() -> None:
    with pytest.raises(errors.ServiceFailure) as info, errors.map_sdk_errors():
        raise TencentCloudSDKException("AuthFailure.SignatureFailure", "bad", "req-1")
    assert (info.value.tc_code, info.value.request_id) == ("AuthFailure.SignatureFailure", "req-1")
    with pytest.raises(errors.ServiceFailure) as info, errors.map_sdk_errors():
        raise ValueError("Expecting value: line 1 column 1")
    assert info.value.tc_code == errors.MALFORMED_REPLY
    with pytest.raises(errors.ServiceFailure) as info, errors.map_sdk_errors():
        raise ConnectionResetError("reset")
    assert info.value.tc_code == "ClientNetworkError"


def test_long_foreign_detail_is_shortened() -> None:
    with pytest.raises(errors.ServiceFailure) as info, errors.map_sdk_errors():
        raise TencentCloudSDKException("ServerNetworkError", b"<html>" + b"x" * 5000)
    assert len(info.value.detail) < 250
