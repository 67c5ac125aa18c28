"""HTTP Message Signatures (RFC 9421) with Ed25519, as the towns sign their requests to the county.

Every request a town sends to the county's receiving service carries one signature, labelled
``sig1``, over the request's method, path and ``Date`` header and, when the request has them,
the tus headers that say what is being sent (``Upload-Length``, ``Upload-Offset``,
``Upload-Checksum``, ``Upload-Metadata``). The key id is the fingerprint of the office's
signing key, the same fingerprint the county compared when it registered the office. A nonce
and the creation time make every signature single-use: the service refuses a stale one (more
than `MAX_SKEW` away from its clock) and one it has seen before.

Only what the towns send is accepted: one signature, the ``ed25519`` algorithm, and the
components above. That keeps the parser small; it is not a general structured-field parser.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import secrets
from collections.abc import Callable, Mapping
from email.utils import format_datetime, parsedate_to_datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from core.errors import SubsidyDeskError

LABEL = "sig1"
ALGORITHM = "ed25519"
MAX_SKEW = dt.timedelta(minutes=5)
REQUIRED = ("@method", "@path", "date")
# Covered whenever the request carries them; a request that has one but does not cover it is refused.
WHEN_PRESENT = ("upload-length", "upload-offset", "upload-checksum", "upload-metadata")

_INPUT = re.compile(
    r'^(?P<label>[a-z][a-z0-9_-]*)=\((?P<components>(?:"[a-z0-9@-]+"(?: "[a-z0-9@-]+")*)?)\)'
    r'(?P<params>(?:;[a-z]+=(?:[0-9]+|"[^"\\]*"))*)$'
)
_PARAM = re.compile(r';([a-z]+)=([0-9]+|"[^"\\]*")')
_SIGNATURE = re.compile(r"^(?P<label>[a-z][a-z0-9_-]*)=:(?P<value>[A-Za-z0-9+/=]+):$")


class SignatureRefused(SubsidyDeskError):
    """A request whose signature does not prove who sent it, or proves it too late or twice."""


def http_date(at: dt.datetime) -> str:
    """The ``Date`` header (IMF-fixdate, always GMT)."""
    return format_datetime(at.astimezone(dt.UTC), usegmt=True)


def sign(
    method: str,
    path: str,
    headers: Mapping[str, str],
    key: Ed25519PrivateKey,
    keyid: str,
    *,
    now: dt.datetime | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    """The ``Date``, ``Signature-Input`` and ``Signature`` headers to add to a request."""
    at = now or dt.datetime.now(dt.UTC)
    lower = {k.lower(): v for k, v in headers.items()}
    lower["date"] = http_date(at)
    components = [*REQUIRED, *(name for name in WHEN_PRESENT if name in lower)]
    params = {
        "created": str(int(at.timestamp())),
        "keyid": keyid,
        "alg": ALGORITHM,
        "nonce": nonce or secrets.token_urlsafe(18),
    }
    signature_params = _signature_params(components, params)
    base = _base(method, path, lower, components, signature_params)
    value = base64.b64encode(key.sign(base)).decode("ascii")
    return {
        "Date": lower["date"],
        "Signature-Input": f"{LABEL}={signature_params}",
        "Signature": f"{LABEL}=:{value}:",
    }


def verify(
    method: str,
    path: str,
    headers: Mapping[str, str],
    lookup: Callable[[str], Ed25519PublicKey | None],
    remember: Callable[[str, str, dt.datetime], bool],
    *,
    now: dt.datetime | None = None,
) -> str:
    """Check a request's signature and return the key id (the signer's fingerprint).

    `lookup` gives the public key registered under a key id, or None. `remember` records a
    (key id, nonce) pair until the given time and says False when it was already there: the
    replay check. Raises SignatureRefused with a code for each kind of failure.
    """
    at = now or dt.datetime.now(dt.UTC)
    lower = {k.lower(): v for k, v in headers.items()}
    raw_input, raw_signature = lower.get("signature-input"), lower.get("signature")
    if not raw_input or not raw_signature:
        raise SignatureRefused("SIG_MISSING", "请求没有签名：只有登记过的站所可以上报。")
    components, params, signature_params = _parse_input(raw_input.strip())
    signature = _parse_signature(raw_signature.strip())
    missing = [c for c in (*REQUIRED, *(n for n in WHEN_PRESENT if n in lower)) if c not in components]
    if missing or any(c not in lower for c in components if not c.startswith("@")):
        raise SignatureRefused("SIG_COMPONENTS", "请求的签名没有覆盖必需的内容，已拒收。")
    if params.get("alg") != ALGORITHM or not params.get("keyid") or not params.get("nonce"):
        raise SignatureRefused("SIG_MALFORMED", "请求的签名格式不对，已拒收。")
    _check_time(lower["date"], params.get("created", ""), at)
    keyid = params["keyid"]
    public = lookup(keyid)
    if public is None:
        raise SignatureRefused("SIG_UNKNOWN_KEY", "发送请求的站所没有在县局登记，或它的密钥已停用。")
    base = _base(method, path, lower, components, signature_params)
    try:
        public.verify(signature, base)
    except InvalidSignature:
        raise SignatureRefused(
            "SIG_BAD", "请求的签名不对：内容在路上被改动，或不是登记的站所发出的。"
        ) from None
    if not remember(keyid, params["nonce"], at + MAX_SKEW):
        raise SignatureRefused("SIG_REPLAY", "这个请求已经收到过一次（重放），已拒收。")
    return keyid


def _signature_params(components: list[str], params: Mapping[str, str]) -> str:
    inner = " ".join(f'"{c}"' for c in components)
    rendered = "".join(f";{k}={v}" if k == "created" else f';{k}="{v}"' for k, v in params.items())
    return f"({inner}){rendered}"


def _base(method: str, path: str, headers: Mapping[str, str], components: list[str], params: str) -> bytes:
    lines = []
    for name in components:
        if name == "@method":
            value = method.upper()
        elif name == "@path":
            value = path or "/"
        else:
            value = " ".join(headers[name].split())
        lines.append(f'"{name}": {value}')
    lines.append(f'"@signature-params": {params}')
    try:
        return "\n".join(lines).encode("ascii")
    except UnicodeEncodeError:
        raise SignatureRefused("SIG_MALFORMED", "请求头里有不允许的字符，已拒收。") from None


def _parse_input(raw: str) -> tuple[list[str], dict[str, str], str]:
    match = _INPUT.match(raw)
    if match is None or match["label"] != LABEL:
        raise SignatureRefused("SIG_MALFORMED", "请求的签名格式不对，已拒收。")
    components = [c.strip('"') for c in match["components"].split()] if match["components"] else []
    params: dict[str, str] = {}
    for name, value in _PARAM.findall(match["params"]):
        if name in params:
            raise SignatureRefused("SIG_MALFORMED", "请求的签名格式不对，已拒收。")
        params[name] = value.strip('"')
    if len(set(components)) != len(components):
        raise SignatureRefused("SIG_MALFORMED", "请求的签名格式不对，已拒收。")
    return components, params, raw[len(LABEL) + 1 :]


def _parse_signature(raw: str) -> bytes:
    match = _SIGNATURE.match(raw)
    if match is None or match["label"] != LABEL:
        raise SignatureRefused("SIG_MALFORMED", "请求的签名格式不对，已拒收。")
    try:
        value = base64.b64decode(match["value"], validate=True)
    except ValueError:
        raise SignatureRefused("SIG_MALFORMED", "请求的签名格式不对，已拒收。") from None
    if len(value) != 64:
        raise SignatureRefused("SIG_MALFORMED", "请求的签名格式不对，已拒收。")
    return value


def _check_time(date_header: str, created: str, now: dt.datetime) -> None:
    try:
        sent = parsedate_to_datetime(date_header)
    except (TypeError, ValueError):
        raise SignatureRefused("SIG_MALFORMED", "请求的日期格式不对，已拒收。") from None
    if sent.tzinfo is None or not created.isdigit():
        raise SignatureRefused("SIG_MALFORMED", "请求的日期格式不对，已拒收。")
    made = dt.datetime.fromtimestamp(int(created), dt.UTC)
    if abs(sent - made) > dt.timedelta(seconds=1) or abs(now - sent) > MAX_SKEW:
        raise SignatureRefused(
            "SIG_STALE",
            "请求的时间与县局服务器相差超过5分钟，已拒收。请核对本机的日期和时间后再发送。",
        )
