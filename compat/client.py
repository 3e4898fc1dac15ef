"""``Client``: configuration, one reused SDK client per thread, and ``compare()`` orchestration.

Every entry point (the module-level :func:`compare`, the import swap, the sidecar, the CLI) ends in
:meth:`Client.compare`, and every answer leaves through :func:`v1_result`.
"""
from __future__ import annotations

import json
import logging
import os
import threading
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from . import errors, images
from .errors import CompareError, ServiceFailure, map_sdk_errors
from .migrate.usage import note_call
from .scores import THRESHOLDS, to_legacy_scale
from .transport import DEFAULT_REGION, DEFAULT_RETRIES, DEFAULT_TIMEOUT, ThreadLocalSdk, resolve_credential

logger = logging.getLogger("compat")

V1Result = Dict[str, Any]

#: 2.0 request options a caller may pass, with the values 2.0 accepts (checked locally: no billed call for a typo).
REQUEST_OPTIONS: Dict[str, Tuple[Any, ...]] = {
    "FaceModelVersion": tuple(THRESHOLDS),
    "QualityControl": (0, 1, 2, 3, 4),
    "NeedRotateDetection": (0, 1),
    "FaceMatchingStrategy": (0, 1),
}
#: Options that steer the shim itself.
SHIM_OPTIONS: Dict[str, Tuple[Any, ...]] = {
    "score_scale": ("legacy", "native"),
    "probe_failed_image": (False, True),
    "raise_errors": (False, True),
}
DEFAULT_MODEL_VERSION = "3.0"

_MISSING_CREDENTIALS_HINT = (
    "no API keys: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (or pass secret_id/secret_key), "
    "or point FACE_COMPAT_ENDPOINT at a local emulator ('face-compat emulate'), or use 'face-compat compare --local'"
)


def v1_result(
    code: int,
    message: str,
    session_id: str = "",
    similarity: Optional[float] = None,
    fail_flag: Optional[int] = None,
) -> V1Result:
    """The v1 reply dict, the one shape every answer leaves in (key order as the v1 page's example)."""
    data: Dict[str, Any] = {}
    if similarity is not None:
        data["similarity"] = similarity
    data["session_id"] = session_id
    if fail_flag is not None:
        data["fail_flag"] = fail_flag
    return {"data": data, "code": code, "message": message}


class Client:
    """A configured face-compat client: one per application, safe to share between threads.

    Arguments override the environment; anything left ``None`` falls back to it:
    ``TENCENTCLOUD_SECRET_ID``/``TENCENTCLOUD_SECRET_KEY`` (then the SDK profile file, then a CVM role
    named by ``TENCENTCLOUD_CVM_ROLE``), ``TENCENTCLOUD_REGION`` (default ``ap-guangzhou``),
    ``FACE_COMPAT_ENDPOINT`` (base URL replacing the 2.0 endpoint, e.g. ``http://127.0.0.1:9000``),
    ``FACE_COMPAT_TIMEOUT`` (seconds, default 30), ``FACE_COMPAT_RETRIES`` (default 2),
    ``FACE_COMPAT_MODEL_VERSION`` (default "3.0", scores remapped onto the legacy scale),
    ``FACE_COMPAT_QUALITY_CONTROL`` (default: 2.0's). A bad value never raises: every call answers v1 code 21
    naming it.
    """

    def __init__(
        self,
        secret_id: Optional[str] = None,
        secret_key: Optional[str] = None,
        *,
        token: Optional[str] = None,
        region: Optional[str] = None,
        endpoint: Optional[str] = None,
        timeout: Optional[float] = None,
        retries: Optional[int] = None,
        proxy: Optional[str] = None,
        role: Optional[str] = None,
        certification: Any = None,
        **options: Any,
    ) -> None:
        env = os.environ
        problems: List[str] = []
        self.region = region or env.get("TENCENTCLOUD_REGION") or DEFAULT_REGION
        self.endpoint = endpoint or env.get("FACE_COMPAT_ENDPOINT") or None
        self.timeout = _setting(timeout, "timeout", "FACE_COMPAT_TIMEOUT", float, DEFAULT_TIMEOUT, problems, 0.001)
        self.retries = _setting(retries, "retries", "FACE_COMPAT_RETRIES", int, DEFAULT_RETRIES, problems, 0)
        defaults: Dict[str, Any] = {
            "FaceModelVersion": env.get("FACE_COMPAT_MODEL_VERSION") or DEFAULT_MODEL_VERSION,
            "score_scale": "legacy",
            "probe_failed_image": False,
            "raise_errors": False,
        }
        if env.get("FACE_COMPAT_QUALITY_CONTROL"):
            defaults["QualityControl"] = _setting(
                None, "QualityControl", "FACE_COMPAT_QUALITY_CONTROL", int, 0, problems, 0)
        defaults.update(options)
        self.options = defaults
        # A bad setting must not raise here: the module-level compare() builds its client on the first legacy
        # call, which promises a v1 answer. Every call answers code 21 naming the setting instead.
        self._options_problem = "; ".join(problems) or _check_options(defaults)
        self._credential = resolve_credential(secret_id, secret_key, token, role)
        self._sdk = (
            None
            if self._credential is None
            else ThreadLocalSdk(
                self._credential, self.region, self.endpoint, self.timeout, self.retries, proxy, certification
            )
        )

    def compare(
        self,
        urlA: Optional[str] = None,
        urlB: Optional[str] = None,
        *,
        imageA: Any = None,
        imageB: Any = None,
        appid: Any = None,
        **options: Any,
    ) -> V1Result:
        """Compare the faces in A and B; answer the v1 dict (see :func:`compat.compare`)."""
        note_call()  # deprecation path: one boolean check unless FACE_COMPAT_DEPRECATIONS is on
        if options:
            merged = dict(self.options)
            merged.update(options)
            problem = _check_options(merged)
        else:
            merged, problem = self.options, self._options_problem
        result, tc_code = self._compare(urlA, urlB, imageA, imageB, merged, problem)
        if result["code"] != 0 and merged.get("raise_errors") is True:
            data = result["data"]
            raise CompareError(
                result["code"],
                result["message"],
                tc_code=tc_code,
                request_id=data["session_id"],
                fail_flag=data.get("fail_flag"),
                result=result,
            )
        return result

    def _compare(
        self, urlA: Any, urlB: Any, imageA: Any, imageB: Any, options: Mapping[str, Any], problem: Optional[str]
    ) -> Tuple[V1Result, str]:
        """The v1 dict, and the 2.0 (or pseudo) code behind a failure ("" when none)."""
        if problem:
            return v1_result(21, "%s: %s" % (errors.v1_message(21), problem)), ""
        params: Dict[str, Any] = {}
        for fail_flag, side, url, image in ((1, "A", urlA, imageA), (2, "B", urlB, imageB)):
            try:
                if url is not None:
                    params["Url" + side] = images.check_url(url)
                elif image is not None:
                    params["Image" + side] = images.prepare_image(images.read_image(image))
                else:
                    raise images.ImageRejected(-1301, "neither url%s nor image%s given" % (side, side))
            except images.ImageRejected as rejected:
                message = "%s: %s%s: %s" % (
                    errors.v1_message(rejected.v1_code), "url" if url is not None else "image", side, rejected.reason)
                return v1_result(rejected.v1_code, message, fail_flag=fail_flag), ""
        for name in REQUEST_OPTIONS:
            if name in options:
                params[name] = options[name]
        if self._sdk is None:
            return self._failure(ServiceFailure(errors.MISSING_CREDENTIALS, _MISSING_CREDENTIALS_HINT), None, options)
        try:
            reply = self._call(params)
        except ServiceFailure as failure:
            return self._failure(failure, params, options)
        try:
            score = float(reply["Score"])
            if not 0.0 <= score <= 100.0:  # also false for NaN: never hand legacy code a score off the scale
                raise ValueError(score)
            version = str(reply.get("FaceModelVersion") or params["FaceModelVersion"])
            similarity = to_legacy_scale(score, version) if options["score_scale"] == "legacy" else score
        except (KeyError, TypeError, ValueError):
            request_id = str(reply.get("RequestId", ""))
            malformed = ServiceFailure(errors.MALFORMED_REPLY, "2.0 reply has no usable Score", request_id)
            return self._failure(malformed, params, options)
        return v1_result(0, "OK", str(reply.get("RequestId", "")), similarity), ""

    def _call(self, params: Dict[str, Any]) -> Dict[str, Any]:
        """One CompareFace through the SDK: the ``Response`` object of a successful reply."""
        assert self._sdk is not None
        with map_sdk_errors():
            body = self._sdk.call("CompareFace", params)
            response = json.loads(body)["Response"]
            if not isinstance(response, dict):
                raise ValueError("Response is not an object")
            error = response.get("Error")
            if error is not None:  # the SDK only checks replies whose Content-Type is exactly application/json
                raise ServiceFailure(str(error.get("Code")), str(error.get("Message")), response.get("RequestId", ""))
            return response

    def _failure(
        self, failure: ServiceFailure, params: Optional[Dict[str, Any]], options: Mapping[str, Any]
    ) -> Tuple[V1Result, str]:
        translation = errors.translate(failure.tc_code)
        fail_flag = None
        if translation.per_image and params is not None and options.get("probe_failed_image") is True:
            fail_flag = self._probe_failed_side(params)
        if failure.request_id:
            logger.info("face-compat: 2.0 %s (RequestId %s) -> v1 %d", failure.tc_code, failure.request_id,
                        translation.v1_code)
        message = errors.describe(translation, failure.tc_code, failure.detail)
        return v1_result(translation.v1_code, message, failure.request_id, fail_flag=fail_flag), failure.tc_code

    def _probe_failed_side(self, params: Dict[str, Any]) -> Optional[int]:
        """Which image 2.0 is unhappy with: compare each image with itself (two more billed calls at most)."""
        options = {k: v for k, v in params.items() if k in REQUEST_OPTIONS}
        for fail_flag, side in ((1, "A"), (2, "B")):
            field = "Url" + side if "Url" + side in params else "Image" + side
            value = params[field]
            kind = field[:-1]
            probe = dict(options, **{kind + "A": value, kind + "B": value})
            try:
                self._call(probe)
            except ServiceFailure as failure:
                if errors.translate(failure.tc_code).per_image:
                    return fail_flag
        return None


def _setting(value: Any, name: str, env_name: str, cast: Callable[[Any], Any], default: Any, problems: List[str],
             minimum: float) -> Any:
    """``value``, else the environment variable, else ``default``, as ``cast``; a bad one is noted in ``problems``."""
    if value is None:
        name, value = env_name, os.environ.get(env_name) or None
    raw = value
    if raw is None:
        return default
    try:
        number = cast(raw)
        if number >= minimum:
            return number
    except (TypeError, ValueError):
        pass
    problems.append("%s=%r is not a valid setting (a number >= %s)" % (name, raw, minimum))
    return default


def _check_options(options: Mapping[str, Any]) -> Optional[str]:
    """``None`` when every option is known and valid, else what is wrong (answered as v1 code 21)."""
    for name, value in options.items():
        allowed = REQUEST_OPTIONS.get(name) or SHIM_OPTIONS.get(name)
        if allowed is None:
            return "unknown option %r (known: %s)" % (name, ", ".join(list(REQUEST_OPTIONS) + list(SHIM_OPTIONS)))
        if value not in allowed or isinstance(value, bool) is not isinstance(allowed[0], bool):
            return "%s=%r is not one of %s" % (name, value, ", ".join(repr(a) for a in allowed))
    return None


#: Environment variables the default client is built from; a change rebuilds it.
_ENV_KEYS = (
    "TENCENTCLOUD_SECRET_ID",
    "TENCENTCLOUD_SECRET_KEY",
    "TENCENTCLOUD_SESSION_TOKEN",
    "TENCENTCLOUD_REGION",
    "TENCENTCLOUD_CVM_ROLE",
    "FACE_COMPAT_ENDPOINT",
    "FACE_COMPAT_TIMEOUT",
    "FACE_COMPAT_RETRIES",
    "FACE_COMPAT_MODEL_VERSION",
    "FACE_COMPAT_QUALITY_CONTROL",
)
_default: Optional[Tuple[Tuple[Optional[str], ...], Client]] = None
_default_lock = threading.Lock()


def default_client() -> Client:
    """The client behind the module-level :func:`compare`, built lazily from the environment."""
    global _default
    key = tuple(os.environ.get(name) for name in _ENV_KEYS)
    current = _default
    if current is not None and current[0] == key:
        return current[1]
    with _default_lock:
        if _default is None or _default[0] != key:
            _default = (key, Client())
        return _default[1]


def compare(
    urlA: Optional[str] = None,
    urlB: Optional[str] = None,
    *,
    imageA: Any = None,
    imageB: Any = None,
    appid: Any = None,
    **options: Any,
) -> V1Result:
    """Compare the faces in image A and image B, the v1 way, through 2.0 ``CompareFace``.

    ``compare(urlA, urlB)`` is the legacy call: http(s) URLs passed to 2.0 unchanged as ``UrlA``/``UrlB``.
    ``imageA``/``imageB`` take bytes, a path or a binary file object, sent base64 as ``ImageA``/``ImageB``;
    when a side has both, the URL wins (the v1 rule). ``appid`` is accepted and ignored (2.0 needs none).
    ``options`` are 2.0 request fields (``FaceModelVersion``, ``QualityControl``, ``NeedRotateDetection``,
    ``FaceMatchingStrategy``) or shim switches: ``score_scale="native"`` keeps the raw 2.0 score,
    ``probe_failed_image=True`` spends up to two more calls to find which image 2.0 rejected,
    ``raise_errors=True`` raises :class:`compat.CompareError` instead of answering a failure.

    Answers ``{"data": {"similarity": float, "session_id": RequestId}, "code": 0, "message": "OK"}``, or
    on failure ``{"data": {"session_id": ..., "fail_flag": 1|2 when one image is to blame}, "code": <v1 code>,
    "message": ...}``. Never raises for bad input, service errors or network faults (unless asked to).
    """
    return default_client().compare(urlA, urlB, imageA=imageA, imageB=imageB, appid=appid, **options)
