"""The town's client of the county's receiving service (httpx, tus 1.0, signed requests).

The certificate is pinned: before anything is sent, the first connection reads the service's
certificate and compares its SHA-256 fingerprint with the one the town typed from the county's
slip; the connections that follow trust exactly that certificate and no other. Every request
is signed with the office key (core/net/signatures.py). Every failure is a NetworkError with a
code and a Chinese message the outbox shows as it is.
"""

from __future__ import annotations

import datetime as dt
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.errors import SubsidyDeskError
from core.net import tus
from core.net.certificate import certificate_fingerprint, normalise_fingerprint
from core.net.signatures import sign

# Each PATCH carries one chunk: small on a slow line (an interruption loses at most one), large
# on a fast one (every chunk waits for the county's answer). The size adapts to take about
# CHUNK_SECONDS, between the bounds.
FIRST_CHUNK = 2 << 20
SMALLEST_CHUNK, LARGEST_CHUNK = 256 << 10, 32 << 20
CHUNK_SECONDS = 2.0


class NetworkError(SubsidyDeskError):
    """Sending or fetching failed; `retry` says whether trying again later may help."""

    def __init__(self, code: str, message_zh: str, retry: bool = True) -> None:
        super().__init__(code, message_zh)
        self.retry = retry


class Cancelled(SubsidyDeskError):
    def __init__(self) -> None:
        super().__init__("NET_CANCELLED", "已停止发送；下次从已送达的位置接着发送。")


@dataclass(frozen=True)
class ServiceAddress:
    url: str  # https://县局地址:8443/
    fingerprint: str = ""  # the certificate's SHA-256, from the county's slip; required for https
    proxy: str = ""
    timeout_s: float = 30.0


_REFUSALS = {
    "SIG_UNKNOWN_KEY": (
        "NET_NOT_REGISTERED",
        "县局没有登记本所的密钥（或已停用）。请把本所的公钥文件交县局登记后再发送。",
    ),
    "SIG_STALE": ("NET_CLOCK", "本机的日期或时间与县局相差超过5分钟。请核对本机时间后再发送。"),
}


class CountyService:
    def __init__(self, address: ServiceAddress, key: Ed25519PrivateKey, keyid: str) -> None:
        self.address = address
        self._key = key
        self._keyid = keyid
        self._client: httpx.Client | None = None

    def __enter__(self) -> CountyService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    # -- connection -------------------------------------------------------------------------

    def _base(self) -> str:
        url = self.address.url.strip()
        if not url:
            raise NetworkError(
                "NET_NO_ADDRESS", "还没有填写县局上报服务的地址（上报 → 上报服务设置）。", retry=False
            )
        if "://" not in url:
            url = "https://" + url
        return url if url.endswith("/") else url + "/"

    def _connect(self) -> httpx.Client:
        if self._client is not None:
            return self._client
        base = self._base()
        timeout = httpx.Timeout(self.address.timeout_s)
        proxy = self.address.proxy.strip() or None
        verify: ssl.SSLContext | bool = False
        if urlsplit(base).scheme == "https":
            verify = self._pinned_context(base, timeout, proxy)
        self._client = httpx.Client(
            base_url=base, timeout=timeout, proxy=proxy, verify=verify, trust_env=False
        )
        return self._client

    def _pinned_context(self, base: str, timeout: httpx.Timeout, proxy: str | None) -> ssl.SSLContext:
        pin = normalise_fingerprint(self.address.fingerprint)
        if len(pin) != 64:
            raise NetworkError(
                "NET_NO_PIN", "请填写县局上报服务的证书指纹（64位，见县局的密钥登记表）。", retry=False
            )
        probe = ssl.create_default_context()
        probe.check_hostname = False
        probe.verify_mode = ssl.CERT_NONE
        with httpx.Client(timeout=timeout, proxy=proxy, verify=probe, trust_env=False) as c:
            response = self._send(c, "OPTIONS", urljoin(base, "tus/"), sign_it=False)
            der = _peer_certificate(response)
        if der is None or certificate_fingerprint(der) != pin:
            raise NetworkError(
                "NET_CERT_CHANGED",
                "县局服务器的证书与登记的指纹不一致，没有发送任何数据。可能是地址填错，或有人冒充县局；"
                "请与县局核对证书指纹。",
                retry=False,
            )
        context = ssl.create_default_context(cadata=x509.load_der_x509_certificate(der).public_bytes(
            serialization.Encoding.PEM).decode("ascii"))  # fmt: skip
        context.check_hostname = False  # the pin is the identity, whatever name the office typed
        context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
        return context

    def _send(
        self,
        client: httpx.Client,
        method: str,
        url: str,
        headers: dict[str, str] | None = None,
        content: bytes | None = None,
        sign_it: bool = True,
    ) -> httpx.Response:
        headers = {"Tus-Resumable": tus.VERSION, **(headers or {})}
        if sign_it:
            path = urlsplit(str(client.base_url.join(url))).path
            headers.update(sign(method, path, headers, self._key, self._keyid, now=dt.datetime.now(dt.UTC)))
        try:
            response = client.request(method, url, headers=headers, content=content)
        except httpx.TimeoutException:
            raise NetworkError("NET_TIMEOUT", "连接县局服务超时。网络恢复后会自动重新发送。") from None
        except httpx.ProxyError:
            raise NetworkError("NET_PROXY", "无法通过代理服务器连接县局，请核对代理地址。") from None
        except (httpx.ConnectError, httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError):
            raise NetworkError(
                "NET_OFFLINE", "连不上县局服务（没有网络，或县局服务没有开）。网络恢复后会自动重新发送。"
            ) from None
        except httpx.HTTPError:
            raise NetworkError("NET_OFFLINE", "与县局服务的连接中断。网络恢复后会自动重新发送。") from None
        if response.status_code == 401:
            code, message = _refusal(response)
            mapped = _REFUSALS.get(code, ("NET_REFUSED", f"县局服务拒绝了请求：{message}"))
            raise NetworkError(mapped[0], mapped[1], retry=False)
        if response.status_code >= 500:
            raise NetworkError("NET_SERVER", "县局服务暂时出错。稍后会自动重新发送。")
        return response

    # -- uploads ----------------------------------------------------------------------------

    def create(self, length: int, metadata: dict[str, str]) -> tuple[str, int]:
        """Announce a package; the upload's address and the offset the county already has."""
        client = self._connect()
        headers = {"Upload-Length": str(length), "Upload-Metadata": tus.encode_metadata(metadata)}
        response = self._send(client, "POST", "tus/", headers)
        if response.status_code == 413:
            raise NetworkError("NET_TOO_LARGE", f"县局服务拒收：{_refusal(response)[1]}", retry=False)
        location = response.headers.get("location")
        if response.status_code != 201 or not location:
            raise NetworkError("NET_PROTOCOL", "县局服务的回答不对，稍后会自动重新发送。")
        offset = response.headers.get("upload-offset")
        return location, int(offset) if offset and offset.isdigit() else 0

    def offset(self, url: str) -> int | None:
        """How much of the upload the county has on disk; None when it does not know it."""
        response = self._send(self._connect(), "HEAD", url)
        if response.status_code in (404, 410):
            return None
        value = response.headers.get("upload-offset", "")
        if response.status_code != 200 or not value.isdigit():
            raise NetworkError("NET_PROTOCOL", "县局服务的回答不对，稍后会自动重新发送。")
        return int(value)

    def send(
        self,
        url: str,
        path: Path,
        offset: int,
        progress: Callable[[int], None] = lambda _: None,
        cancelled: Callable[[], bool] = lambda: False,
        chunk_bytes: int | None = None,
    ) -> int:
        """PATCH the file from `offset` to its end, a chunk at a time; the final offset.

        `chunk_bytes` fixes the chunk size; by default it adapts to the line (see CHUNK_SECONDS).
        """
        import time

        client = self._connect()
        size = chunk_bytes or FIRST_CHUNK
        length = path.stat().st_size
        with path.open("rb") as fh:
            while offset < length:
                if cancelled():
                    raise Cancelled()
                fh.seek(offset)
                chunk = fh.read(size)
                began = time.monotonic()
                headers = {
                    "Upload-Offset": str(offset),
                    "Content-Type": tus.OFFSET_CONTENT_TYPE,
                    "Upload-Checksum": tus.checksum_header(chunk),
                }
                response = self._send(client, "PATCH", url, headers, chunk)
                if response.status_code == 409:  # the county has a different offset: ask it
                    known = self.offset(url)
                    if known is None:
                        raise NetworkError("NET_UPLOAD_LOST", "县局服务已不记得这次上传，将重新发送。")
                    offset = known
                    continue
                if response.status_code == tus.CHECKSUM_MISMATCH:
                    continue  # damaged on the way: the county kept nothing of it; send it again
                if response.status_code in (404, 410):
                    raise NetworkError("NET_UPLOAD_LOST", "县局服务已不记得这次上传，将重新发送。")
                value = response.headers.get("upload-offset", "")
                if response.status_code != 204 or not value.isdigit():
                    raise NetworkError("NET_PROTOCOL", "县局服务的回答不对，稍后会自动重新发送。")
                offset = int(value)
                progress(offset)
                if chunk_bytes is None:
                    took = max(time.monotonic() - began, 1e-3)
                    size = int(min(max(size * CHUNK_SECONDS / took, SMALLEST_CHUNK), LARGEST_CHUNK, size * 4))
        return offset

    def receipt(self, url: str) -> dict[str, Any] | None:
        upload_id = url.rstrip("/").rsplit("/", 1)[-1]
        response = self._send(self._connect(), "GET", f"receipts/{upload_id}")
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise NetworkError("NET_PROTOCOL", "县局服务的回答不对，稍后会自动重新发送。")
        try:
            document: dict[str, Any] = response.json()
        except ValueError:
            raise NetworkError("NET_PROTOCOL", "县局服务的回答不对，稍后会自动重新发送。") from None
        return document

    # -- what the county publishes ----------------------------------------------------------

    def published(self) -> list[tuple[str, int]]:
        response = self._send(self._connect(), "GET", "outbound/")
        try:
            files = response.json()["files"]
            return [(str(f["name"]), int(f["size"])) for f in files]
        except (ValueError, KeyError, TypeError):
            raise NetworkError("NET_PROTOCOL", "县局服务的回答不对，稍后再试。") from None

    def fetch(self, name: str, target: Path) -> Path:
        response = self._send(self._connect(), "GET", f"outbound/{name}")
        if response.status_code != 200:
            raise NetworkError("NET_PROTOCOL", "没能从县局服务取回文件，稍后再试。")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.part")
        partial.write_bytes(response.content)
        partial.replace(target)
        return target


def _refusal(response: httpx.Response) -> tuple[str, str]:
    try:
        body = response.json()
        return str(body.get("code", "")), str(body.get("message", ""))
    except ValueError:
        return "", "（没有说明原因）"


def _peer_certificate(response: httpx.Response) -> bytes | None:
    stream = response.extensions.get("network_stream")
    ssl_object = stream.get_extra_info("ssl_object") if stream is not None else None
    if ssl_object is None:
        return None
    der: bytes | None = ssl_object.getpeercert(True)
    return der
