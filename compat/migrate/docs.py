"""Render MIGRATION.md from the code's own data, so the document cannot drift from the shim.

Tables come from ``compat/data/v1_codes.json``, ``compat/data/error_map.json`` (through
:mod:`compat.errors`) and :mod:`compat.scores`; the prose and the field mapping live here. Regenerate with::

    python -m compat.migrate.docs            # writes MIGRATION.md at the repository top level
    python -m compat.migrate.docs --check    # exit 1 when the committed file is stale

``tests/migrate/test_docs.py`` fails whenever the committed MIGRATION.md differs from :func:`render`.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Iterable, List, NamedTuple, Optional, Sequence

from compat import errors, scores

#: MIGRATION.md sits next to pyproject.toml, one level above the ``compat`` package.
DEFAULT_OUTPUT = Path(__file__).resolve().parents[2] / "MIGRATION.md"


class FieldRow(NamedTuple):
    """One line of the v1 -> 2.0 field mapping."""

    v1: str
    v2: str
    shim: str


#: How each v1 request/response field reaches 2.0 and back.
FIELD_MAP: Sequence[FieldRow] = (
    FieldRow("`appid` (request field, `Client(appid, ...)`)", "none",
             "accepted and ignored: 2.0 identifies the account by the API keys"),
    FieldRow("`bucket` (`Client(..., bucket)`, multipart field)", "none", "accepted and ignored"),
    FieldRow("`secret_id` / `secret_key`", "`SecretId` / `SecretKey`",
             "the same API keys; they now sign a TC3-HMAC-SHA256 2.0 request instead of a v1 HMAC-SHA1 signature"),
    FieldRow("host `recognition.image.myqcloud.com` / `service.image.myqcloud.com`",
             "`iai.tencentcloudapi.com` + region",
             "region from `TENCENTCLOUD_REGION` (default `ap-guangzhou`); `FACE_COMPAT_ENDPOINT` overrides the URL"),
    FieldRow("`urlA` / `urlB`", "`UrlA` / `UrlB`",
             "passed unchanged; when a side has both a URL and an image, the URL wins (v1 and 2.0 agree)"),
    FieldRow("`imageA` / `imageB` (multipart binary)", "`ImageA` / `ImageB` (base64)",
             "the shim reads bytes, a path or a binary file, checks it locally and base64-encodes it"),
    FieldRow("none", "`FaceModelVersion`",
             "\"3.0\" by default (`FACE_COMPAT_MODEL_VERSION`, or `FaceModelVersion=` per client or call)"),
    FieldRow("none", "`QualityControl`, `NeedRotateDetection`, `FaceMatchingStrategy`",
             "2.0 defaults; pass them as keyword options to `compare` / `Client`"),
    FieldRow("`data.session_id`", "`RequestId`", "the 2.0 request id (empty when the shim answered locally)"),
    FieldRow("`data.similarity`", "`Score`",
             "remapped onto the legacy scale by default (see *Score thresholds*); `score_scale=\"native\"` keeps it"),
    FieldRow("`data.fail_flag`", "none", "derived by the shim (see *Which image failed*)"),
    FieldRow("`code`", "`Error.Code` (a string)", "translated by the error table below; 0 on success"),
    FieldRow("`message`", "`Error.Message`",
             "the short v1 text, followed by `(2.0 <Code>: <Message>)` so the original stays visible"),
    FieldRow("`httpcode` (`qcloud_image` only)", "none",
             "added by the import swap as the original SDK did: 200 for a service answer, 0 for its client-side "
             "errors (-1 param, -3 file path, ...)"),
)  # fmt: skip


#: v1 codes ``compat.images`` answers before any call (tests/migrate/test_docs.py checks this against its source).
LOCAL_CHECK_CODES = frozenset({21, 23, -1102, -1300, -1301, -1400})
#: v1 codes the sidecar answers from its own request checks (signature, appid/bucket, replay, body size),
#: as listed in ``compat/server/signature.py`` and ``compat/server/app.py``; test_docs.py checks them.
SIDECAR_CODES = frozenset({4, 5, 6, 9, 10, 11, 12, 13, 14, 16, 23, 108})


class Snippet(NamedTuple):
    """A legacy code fragment and its native 2.0 equivalent."""

    title: str
    legacy: str
    native: str
    #: How the legacy fragment keeps working until it is rewritten.
    bridge: str = "the import swap"


_NATIVE_CLIENT = """\
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.iai.v20200303 import iai_client, models

cred = credential.Credential(secret_id, secret_key)  # or credential.EnvironmentVariableCredential().get_credential()
client = iai_client.IaiClient(cred, "ap-guangzhou")  # a region is required
"""

SNIPPETS: Sequence[Snippet] = (
    Snippet(
        "Compare two URLs",
        """\
from qcloud_image import Client, CIUrl

client = Client(appid, secret_id, secret_key, bucket)
result = client.face_compare(CIUrl(url_a), CIUrl(url_b))
similarity = result["data"]["similarity"]
""",
        _NATIVE_CLIENT + """
request = models.CompareFaceRequest()
request.UrlA, request.UrlB = url_a, url_b
request.FaceModelVersion = "3.0"
response = client.CompareFace(request)
score = response.Score  # model 3.0 scale
""",
    ),
    Snippet(
        "Compare a file and bytes",
        """\
from qcloud_image import Client, CIFile, CIBuffer

result = client.face_compare(CIFile("a.jpg"), CIBuffer(open("b.jpg", "rb").read()))
""",
        """\
import base64

with open("a.jpg", "rb") as a, open("b.jpg", "rb") as b:
    request = models.CompareFaceRequest()
    request.ImageA = base64.b64encode(a.read()).decode()
    request.ImageB = base64.b64encode(b.read()).decode()
response = client.CompareFace(request)
""",
    ),
    Snippet(
        "Decide \"same person\"",
        """\
if result["code"] == 0 and result["data"]["similarity"] > 80:
    accept()
""",
        """\
# FAR 1/10000: 50 on model 3.0 (80 on model 2.0)
if response.Score > 50:
    accept()
""",
    ),
    Snippet(
        "Handle errors",
        """\
if result["code"] in (-1101, -1102):
    ask_for_another_photo(result["data"].get("fail_flag"))
elif result["code"] != 0:
    log(result["code"], result["message"])
""",
        """\
try:
    response = client.CompareFace(request)
except TencentCloudSDKException as e:
    if e.code in ("InvalidParameterValue.NoFaceInPhoto", "FailedOperation.ImageFacedetectFailed",
                  "FailedOperation.ImageDecodeFailed"):
        ask_for_another_photo(None)  # 2.0 does not say which image
    else:
        log(e.code, e.message, e.requestId)
""",
    ),
    Snippet(
        "Raw HTTP to the v1 endpoint",
        """\
reply = requests.post("https://recognition.image.myqcloud.com/face/compare",
                      json={"appid": appid, "urlA": url_a, "urlB": url_b},
                      headers={"Authorization": v1_signature})
body = reply.json()
""",
        """\
# Let the SDK sign (TC3-HMAC-SHA256) and send; hand-rolled 2.0 signing is rarely worth it.
request = models.CompareFaceRequest()
request.UrlA, request.UrlB = url_a, url_b
body = client.CompareFace(request).to_json_string()  # or read response.Score / response.RequestId
""",
        "the sidecar, `face-compat serve`",
    ),
)


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _number(value: float) -> str:
    return ("%.2f" % value).rstrip("0").rstrip(".")


def _v1_label(code: int) -> str:
    row = errors.V1_CODES.get(code)
    return "%d (%s)" % (code, row["message"]) if row else str(code)


def error_rows() -> List[List[str]]:
    """Every 2.0 code the table knows, in table order: code, v1 code, message override, note."""
    rows = []
    for tc_code, row in errors.ERROR_MAP["exact"].items():
        note = row.get("note", "")
        if row.get("per_image"):
            note += " (one image is to blame: see *Which image failed*)"
        rows.append(["`%s`" % tc_code, _v1_label(row["v1"]), row.get("message", ""), note])
    return rows


def prefix_rows() -> List[List[str]]:
    """The prefix fallbacks, longest prefix first (the order the shim tries them)."""
    ordered = sorted(errors.ERROR_MAP["prefix"], key=lambda row: -len(row["prefix"]))
    return [["`%s*`" % row["prefix"], _v1_label(row["v1"]), row.get("note", "")] for row in ordered]


def _mapped_v1_codes() -> List[int]:
    mapped = {row["v1"] for row in errors.ERROR_MAP["exact"].values()}
    mapped |= {row["v1"] for row in errors.ERROR_MAP["prefix"]}
    mapped.add(errors.ERROR_MAP["default"]["v1"])
    return sorted(mapped)


def v1_code_rows() -> List[List[str]]:
    """Every v1 code from the v1 page, with the 2.0 codes that now produce it."""
    rows = []
    mapped = set(_mapped_v1_codes())
    for code, row in sorted(errors.V1_CODES.items(), key=lambda item: (item[0] < 0, abs(item[0]))):
        sources = ["`%s`" % tc for tc, r in errors.ERROR_MAP["exact"].items() if r["v1"] == code]
        sources += ["`%s*`" % r["prefix"] for r in errors.ERROR_MAP["prefix"] if r["v1"] == code]
        if code == 0:
            sources = ["success"]
        elif code in mapped and not sources:
            sources = ["default for unknown 2.0 codes"]
        if code in LOCAL_CHECK_CODES:
            sources.append("local image/URL checks (with `fail_flag`)")
        if code in SIDECAR_CODES:
            sources.append("the sidecar's v1 request checks")
        origin = ", ".join(sources) or "never: a face-library operation or notice `compare` has no use for"
        rows.append([str(code), row["message"], row.get("meaning", ""), origin])
    return rows


def threshold_rows() -> List[List[str]]:
    """The official score-at-FAR table, one row per false-accept rate."""
    labels = [label for label in scores.THRESHOLDS[scores.LEGACY_MODEL_VERSION] if label.startswith("FAR")]
    return [
        [label] + [_number(scores.THRESHOLDS[version][label]) for version in ("3.0", "2.0")]
        + [_number(scores.to_legacy_scale(scores.THRESHOLDS["3.0"][label], "3.0"))]
        for label in labels
    ]


def remap_rows() -> List[List[str]]:
    """Sample points of the 3.0 -> legacy remap, straight from :func:`compat.scores.to_legacy_scale`."""
    samples = sorted({0.0, 20.0, 30.0, 40.0, 45.0, 50.0, 55.0, 60.0, 70.0, 80.0, 90.0, 100.0})
    return [[_number(s), _number(scores.to_legacy_scale(s, "3.0"))] for s in samples]


def _per_image_codes() -> str:
    codes = [(tc, row["v1"]) for tc, row in errors.ERROR_MAP["exact"].items() if row.get("per_image")]
    return "\n".join("- `%s` -> v1 %s" % (tc, _v1_label(v1)) for tc, v1 in codes)


def _snippets() -> str:
    parts = []
    for snippet in SNIPPETS:
        parts.append(
            "### {title}\n\nLegacy (v1, keeps working through {bridge}):\n\n```python\n{legacy}```\n\n"
            "Native 2.0 (`tencentcloud-sdk-python-iai`):\n\n```python\n{native}```\n".format(
                title=snippet.title, legacy=snippet.legacy, native=snippet.native, bridge=snippet.bridge
            )
        )
    return "\n".join(parts)


_HEADER = """\
# Migrating from Face Recognition v1 `compare` to IAI 2.0 `CompareFace`

<!-- Generated by `python -m compat.migrate.docs` from compat/data/*.json, compat/scores.py and
     compat/migrate/docs.py. Do not edit by hand: tests/migrate/test_docs.py fails when this file and the
     code disagree. -->

Face Recognition v1 (`recognition.image.myqcloud.com/face/compare`, the `qcloud_image` SDK) has not been
maintained since 2019-06-21. face-compat answers v1-shaped calls through 2.0 `CompareFace` so nothing breaks
today, and this document takes a code base the rest of the way: off v1, then off the shim.
"""

_STEPS = """\
## The four steps

1. **Swap the import.** Find every v1 use, then let the codemod rewrite the imports (comments and formatting
   kept; a second run changes nothing):

   ```sh
   face-compat scan .                 # path:line: kind: suggested change, for every v1 use
   face-compat scan . --fix --dry-run # the diff, nothing written
   face-compat scan . --fix           # from qcloud_image import ...  ->  from compat.qcloud_image import ...
   ```

   `import qcloud_image` becomes `import compat.qcloud_image as qcloud_image`, so the rest of the file is
   untouched. Set `TENCENTCLOUD_SECRET_ID` / `TENCENTCLOUD_SECRET_KEY` (or keep passing the keys to
   `Client(...)`) and `TENCENTCLOUD_REGION`. Code without the SDK can call `compat.compare(urlA, urlB)` or
   `compat.compare(imageA=..., imageB=...)`, which returns the same v1 dict.

2. **Cover the code you cannot touch.**
   - Python that imports `qcloud_image` but cannot be edited (vendored, generated, another team's):
     run it with `python -m compat.qcloud_image.run script.py` (or `... run -m package.module`), or call
     `compat.qcloud_image.install()` before it first imports `qcloud_image` (a `sitecustomize`, the WSGI
     entry file). An unchanged `import qcloud_image` then gets the shim; an installed original is left alone.
   - Anything else that POSTs to `/face/compare` (other languages, binaries, an untouched `qcloud-image`):
     run the sidecar, `face-compat serve --host 127.0.0.1 --port 8080 --appid <APPID>`, and point the
     v1 host at it (`Conf._Conf__SERVICE_ADDR` for `qcloud-image`, or DNS / a hosts entry). It checks
     v1 signatures as v1 did and calls the same shim, so its answers equal the import swap's.

3. **Call 2.0 natively, call site by call site.** Turn on the deprecation path to see which legacy calls
   still run, and how often:

   ```sh
   export FACE_COMPAT_DEPRECATIONS=1 FACE_COMPAT_USAGE_FILE=/var/tmp/face-compat-usage.json
   # ... run the application or its tests ...
   face-compat report                 # calls per file:line, most used first, and the total
   ```

   Each legacy call site then raises one `compat.FaceCompatDeprecationWarning` (a `DeprecationWarning`)
   pointing at its own line. Rewrite the busiest first, using the snippets at the end of this document,
   and re-check thresholds with `face-compat calibrate` on your own pairs.

4. **Remove the shim** once `face-compat report` shows no calls for a representative period and
   `face-compat scan . --fail-on-findings` passes (add it to CI so v1 code does not come back). Then drop
   `face-compat` from your requirements.
"""

_CHANGED = """\
## What changed between v1 and 2.0

- **No appid, no bucket.** 2.0 identifies the account by its API keys. The shim accepts `appid` and
  `bucket` and ignores them (the sidecar still checks them in v1 signatures).
- **API keys and a region are required.** Every 2.0 call is signed with a SecretId/SecretKey pair
  (TC3-HMAC-SHA256) and goes to a region. Without keys the shim answers v1 code {missing_code}
  without calling 2.0.
- **Billing.** v1 and 2.0 bill the same way and share the price tiers, but console statistics are
  separate. Every request that reaches 2.0 may be billed, including the shim's retries (logged with their
  RequestId) and, when enabled, the two extra calls of `probe_failed_image`. Images the shim rejects
  locally are never sent.
- **Scores.** The default 2.0 model ("3.0") scores on a different scale; see *Score thresholds*.
- **Errors.** 2.0 errors are strings such as `FailedOperation.ImageDecodeFailed`; the shim translates them
  with the table below. The v1 `message` texts are kept short, with the 2.0 code and message appended.
- **Which image failed.** 2.0 errors do not say; see the next section.
"""

_WHICH_IMAGE = """\
## Which image failed (`fail_flag`)

v1 answered `data.fail_flag` (1 = image A, 2 = image B) when one image was at fault. 2.0 never says which
image caused an error, so the shim derives it:

1. **Local checks first.** Before any billed call, each side is checked in order A then B: empty input,
   unreadable path or file object, not http(s), not JPEG/PNG/BMP (GIF is refused), over 5 MB after base64,
   long side over 4000 px (JPEG) or 2000 px (PNG, BMP), short side under 64 px, truncated or corrupt
   structure. The first side that fails answers its v1 code with its `fail_flag`, and 2.0 is not called.
2. **2.0 image errors** (listed below) come back with their v1 code but without `fail_flag` by default,
   because finding out costs money. With `probe_failed_image=True` the shim compares each image with
   itself (A first, at most two extra billed calls) and sets `fail_flag` to the first side whose probe
   fails with an image error.
3. Every other error (authentication, throttling, billing state, internal errors) has no `fail_flag`,
   as in v1.

The 2.0 image errors:

{per_image}
"""

_SCORES = """\
## Score thresholds and the remap

Tencent publishes the score at which each model reaches a given false-accept rate (FAR):

{thresholds}

A legacy `similarity > 80` meant "FAR 1/10000" on the v1/2.0 scale. On model 3.0 the same rate sits at 50,
so an unchanged `> 80` would silently reject many genuine pairs. The shim offers three ways to keep the
meaning:

| choice | how | what `similarity` is |
|---|---|---|
| **default** | `FaceModelVersion="3.0"`, `score_scale="legacy"` | the 3.0 `Score` remapped onto the legacy scale |
| pin the old model | `FaceModelVersion="2.0"` (or `FACE_COMPAT_MODEL_VERSION=2.0`) | the 2.0 `Score` (legacy scale) |
| raw | `score_scale="native"` | the 3.0 `Score` unchanged: rewrite thresholds to 40 / 50 / 60 |

The remap is piecewise linear through the equal-FAR anchors, pinned at 0 -> 0 and 100 -> 100
(`compat.scores.to_legacy_scale`):

{remap}

**Why this default.** "3.0" is the model the 2.0 API uses when none is named, so a native rewrite lands
on it anyway; the remap lets legacy thresholds keep working on it in the meantime. At the three published
anchors the remap is exact by construction: a legacy threshold of 70, 80 or 90 keeps the false-accept
rate Tencent documents for it. Between the anchors the remap is linear, an interpolation rather than a
measurement, so
thresholds such as 85 keep their FAR only approximately. If your code relies on such a threshold, or on
the exact ranking of near-threshold scores, pin `FaceModelVersion="2.0"` or measure on your own
labelled pairs:

```sh
face-compat calibrate pairs.csv --plot scores.png   # FAR/FRR at 70, 80, 90 and a recommended threshold
```
"""

_FIELDS = """\
## Field mapping (v1 -> 2.0)

{fields}
"""

_ERRORS = """\
## Error table (2.0 code -> v1 code)

The shim tries the exact rows first, then the prefix rows (longest prefix first), then the default. Codes
starting with `FaceCompat.` or `Client`/`Server` are the shim's own (no request made, or the network failed).

{exact}

### Prefix fallbacks

{prefix}

### Anything else

{default}

### The v1 codes, and where each now comes from

{v1_codes}
"""


def render() -> str:
    """The complete MIGRATION.md text."""
    default = errors.ERROR_MAP["default"]
    missing = errors.translate(errors.MISSING_CREDENTIALS).v1_code
    sections = [
        _HEADER,
        _STEPS,
        _CHANGED.format(missing_code=missing),
        _FIELDS.format(fields=_table(["v1", "2.0", "what the shim does"], FIELD_MAP)),
        _SCORES.format(
            thresholds=_table(
                ["false-accept rate", "model 3.0 score", "model 2.0 (= legacy) score", "3.0 remapped by the shim"],
                threshold_rows(),
            ),
            remap=_table(["model 3.0 score", "legacy-scale similarity"], remap_rows()),
        ),
        _WHICH_IMAGE.format(per_image=_per_image_codes()),
        _ERRORS.format(
            exact=_table(["2.0 code", "v1 code", "v1 message override", "note"], error_rows()),
            prefix=_table(["2.0 code", "v1 code", "note"], prefix_rows()),
            default="v1 code {}: {}".format(_v1_label(default["v1"]), default.get("note", "")),
            v1_codes=_table(["v1 code", "message", "v1 page meaning", "produced by"], v1_code_rows()),
        ),
        "## Legacy code beside native 2.0\n\n" + _snippets(),
    ]
    return "\n".join(section.rstrip("\n") + "\n" for section in sections)


def main(argv: Optional[List[str]] = None) -> int:
    """``python -m compat.migrate.docs [--output PATH] [--check]``."""
    parser = argparse.ArgumentParser(prog="python -m compat.migrate.docs", description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="default: %(default)s")
    parser.add_argument("--check", action="store_true", help="exit 1 when the file differs from the rendering")
    args = parser.parse_args(argv)
    text = render()
    output: Path = args.output
    if args.check:
        current = output.read_text(encoding="utf-8") if output.exists() else ""
        if current != text:
            print("%s is stale: run python -m compat.migrate.docs" % output, file=sys.stderr)
            return 1
        return 0
    output.write_text(text, encoding="utf-8")
    print("wrote %s" % output, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
