"""Request parsing and reply serialisation in the cloud's exact JSON shapes (no HTTP here).

Success: ``{"Response": {<fields>..., "RequestId": "<uuid4>"}}``.
Error:   ``{"Response": {"Error": {"Code": "...", "Message": "..."}, "RequestId": "<uuid4>"}}``.
Both go out as HTTP 200 with ``Content-Type: application/json`` (the SDK only parses errors from exactly
``application/json`` or ``text/plain``).
"""

import json
import uuid
from typing import Any, Dict
from urllib.parse import parse_qsl

from .exceptions import EmulatorError

CONTENT_TYPE = "application/json"


def new_request_id() -> str:
    """A fresh RequestId, formatted like the cloud's (uuid4)."""
    return str(uuid.uuid4())


def parse_json_params(body: bytes) -> Dict[str, Any]:
    """The request parameters of a JSON POST body, or ``InvalidParameter`` when it is not a JSON object."""
    if not body.strip():
        return {}
    try:
        params = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise EmulatorError("InvalidParameter", "The request body is not valid JSON.") from exc
    if not isinstance(params, dict):
        raise EmulatorError("InvalidParameter", "The request body must be a JSON object.")
    return params


def parse_query_params(query: str) -> Dict[str, Any]:
    """The parameters of a GET request (flat ``key=value`` pairs)."""
    return dict(parse_qsl(query, keep_blank_values=True))


def success_body(fields: Dict[str, Any], request_id: str) -> bytes:
    """Serialise a successful reply."""
    response = dict(fields)
    response["RequestId"] = request_id
    return json.dumps({"Response": response}).encode("utf-8")


def error_body(error: EmulatorError, request_id: str) -> bytes:
    """Serialise an error reply."""
    return json.dumps(
        {"Response": {"Error": {"Code": error.code, "Message": error.message}, "RequestId": request_id}}
    ).encode("utf-8")
