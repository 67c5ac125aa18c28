"""The receiving service's HTTP routes.

    OPTIONS /tus/                 what the server speaks (tus 1.0: creation, checksum, termination)
    POST    /tus/                 announce a package (Upload-Length, Upload-Metadata)
    HEAD    /tus/{id}             the offset the county has on disk
    PATCH   /tus/{id}             the next part of the package, with its Upload-Checksum
    DELETE  /tus/{id}             give up an upload that is not complete
    GET     /receipts/{id}        the county's signed receipt, once the package is whole
    GET     /outbound/            the result packages and catalog updates this office may fetch
    GET     /outbound/{name}      one of them
    GET     /health               a plain "ok", unsigned, for the service's monitor

Every request but OPTIONS and /health carries an RFC 9421 signature of a registered office
(core/net/signatures.py); one that does not is answered 401 with the reason in Chinese. An
announced package that this office has already sent (the same manifest hash) gets the upload
it already has: sending a batch twice never makes two.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from core.net import tus
from core.net.nonces import NonceStore
from core.net.signatures import SignatureRefused, verify
from core.net.uploads import Upload, UploadError, UploadStore

log = logging.getLogger(__name__)

# Who may send: a signature's key id -> (office code, its public key), or None.
KeyLookup = Callable[[str], "tuple[str, Ed25519PublicKey] | None"]


@dataclass
class Backend:
    """What the routes need of the program; made from the county's database by service/run.py.

    `receive(upload_id, path, office_code, claimed_manifest)` verifies a whole package, files it
    and returns its signed receipt document; `receipt(upload_id)` reads one back;
    `published(office_code)` lists what the office may fetch.
    """

    keys: KeyLookup
    receive: Callable[[str, Path, str, str], dict[str, Any]]
    receipt: Callable[[str], dict[str, Any] | None]
    published: Callable[[str], list[Path]]
    folder: Path
    max_bytes: int
    # Tests of the bare protocol against a second client turn the signature check off; the
    # service started by `main.py serve` never does.
    require_signatures: bool = True


def _tus_headers(**extra: str) -> dict[str, str]:
    return {"Tus-Resumable": tus.VERSION, "Cache-Control": "no-store", **extra}


def _refusal(status: int, code: str, message: str) -> Response:
    body = json.dumps({"code": code, "message": message}, ensure_ascii=False)
    return Response(body, status, headers=_tus_headers(), media_type="application/json")


def create_app(backend: Backend) -> Starlette:
    store = UploadStore(backend.folder / "uploads", backend.max_bytes)
    nonces = NonceStore(backend.folder / "nonces.sqlite")
    busy: dict[str, asyncio.Lock] = {}

    def who(request: Request) -> str:
        """The office code of the request's signer; raises SignatureRefused."""
        if not backend.require_signatures:
            return request.headers.get("x-office-code", "000000000")
        found: dict[str, str] = {}

        def lookup(keyid: str) -> Ed25519PublicKey | None:
            entry = backend.keys(keyid)
            if entry is None:
                return None
            found["office"] = entry[0]
            return entry[1]

        verify(request.method, request.url.path, dict(request.headers), lookup, nonces.remember)
        return found["office"]

    def owned(request: Request, office: str) -> Upload | None:
        upload = store.get(request.path_params["upload_id"])
        return upload if upload is not None and upload.office_code == office else None

    async def options(request: Request) -> Response:
        return Response(
            status_code=204,
            headers=_tus_headers(
                **{
                    "Tus-Version": tus.VERSION,
                    "Tus-Extension": tus.EXTENSIONS,
                    "Tus-Max-Size": str(backend.max_bytes),
                    "Tus-Checksum-Algorithm": ",".join(tus.CHECKSUM_ALGORITHMS),
                }
            ),
        )

    async def create(request: Request) -> Response:
        office = who(request)
        length = tus.parse_count(request.headers.get("upload-length"), "length")
        metadata = tus.decode_metadata(request.headers.get("upload-metadata", ""))
        manifest = metadata.get("manifest", "")
        existing = store.find(office, "manifest", manifest) if manifest else None
        if existing is not None and existing.length == length:
            upload = existing
        else:
            now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
            upload = await run_in_threadpool(store.create, office, length, metadata, now)
            log.info("站所 %s 开始上传 %s（%d 字节）", office, upload.id, length)
        location = str(request.url_for("upload", upload_id=upload.id).path)
        return Response(
            status_code=201, headers=_tus_headers(Location=location, **{"Upload-Offset": str(upload.offset)})
        )

    async def head(request: Request) -> Response:
        upload = owned(request, who(request))
        if upload is None:
            return Response(status_code=404, headers=_tus_headers())
        return Response(
            status_code=200,
            headers=_tus_headers(
                **{"Upload-Offset": str(upload.offset), "Upload-Length": str(upload.length)}
            ),
        )

    async def patch(request: Request) -> Response:
        office = who(request)
        upload = owned(request, office)
        if upload is None:
            return Response(status_code=404, headers=_tus_headers())
        if request.headers.get("content-type") != tus.OFFSET_CONTENT_TYPE:
            return _refusal(415, "TUS_CONTENT_TYPE", "上传数据的类型不对。")
        offset = tus.parse_count(request.headers.get("upload-offset"), "offset")
        raw_checksum = request.headers.get("upload-checksum")
        if raw_checksum is None and backend.require_signatures:
            return _refusal(400, "TUS_CHECKSUM", "每一段上传数据都要带校验值。")
        checksum = tus.parse_checksum(raw_checksum) if raw_checksum else None
        lock = busy.setdefault(upload.id, asyncio.Lock())
        if lock.locked():
            return _refusal(423, "UPLOAD_BUSY", "这个数据包正在另一个连接上传送。")
        async with lock:
            upload = store.get(upload.id) or upload
            upload = await _append(store, upload, offset, request.stream(), checksum)
            if upload.complete and not upload.done:
                path = store.data_path(upload.id)
                await run_in_threadpool(
                    backend.receive, upload.id, path, office, upload.metadata.get("manifest", "")
                )
                upload.done = True
                await run_in_threadpool(store.save, upload)
                log.info("站所 %s 的上传 %s 已收齐", office, upload.id)
        return Response(status_code=204, headers=_tus_headers(**{"Upload-Offset": str(upload.offset)}))

    async def delete(request: Request) -> Response:
        upload = owned(request, who(request))
        if upload is None:
            return Response(status_code=404, headers=_tus_headers())
        if upload.done:
            return _refusal(409, "UPLOAD_DONE", "这个数据包已经完整收到，不能撤回；请联系县局。")
        await run_in_threadpool(store.remove, upload)
        return Response(status_code=204, headers=_tus_headers())

    async def receipt(request: Request) -> Response:
        upload = owned(request, who(request))
        document = backend.receipt(upload.id) if upload is not None else None
        if document is None:
            return _refusal(404, "RECEIPT_NONE", "县局还没有这个数据包的回执。")
        return JSONResponse(document, headers={"Cache-Control": "no-store"})

    async def outbound(request: Request) -> Response:
        office = who(request)
        files = [{"name": p.name, "size": p.stat().st_size} for p in backend.published(office)]
        return JSONResponse({"files": files}, headers={"Cache-Control": "no-store"})

    async def outbound_file(request: Request) -> Response:
        office = who(request)
        name = request.path_params["name"]
        for path in backend.published(office):
            if path.name == name:
                return FileResponse(path, media_type="application/zip")
        return _refusal(404, "OUTBOUND_NONE", "没有这个文件。")

    async def health(request: Request) -> Response:
        return PlainTextResponse("ok")

    async def refused(request: Request, exc: Exception) -> Response:
        if isinstance(exc, SignatureRefused):
            return _refusal(401, exc.code, exc.message_zh)
        if isinstance(exc, UploadError):
            return _refusal(exc.status, exc.code, exc.message_zh)
        if isinstance(exc, tus.ProtocolError):
            return _refusal(400, exc.code, exc.message_zh)
        log.exception("上报接收服务出错")
        return _refusal(500, "SERVICE_ERROR", "县局服务出错，已记入日志。请稍后再发送。")

    routes = [
        Route("/tus/", options, methods=["OPTIONS"]),
        Route("/tus/", create, methods=["POST"]),
        Route("/tus/{upload_id}", head, methods=["HEAD"], name="upload"),
        Route("/tus/{upload_id}", patch, methods=["PATCH"]),
        Route("/tus/{upload_id}", delete, methods=["DELETE"]),
        Route("/receipts/{upload_id}", receipt, methods=["GET"]),
        Route("/outbound/", outbound, methods=["GET"]),
        Route("/outbound/{name}", outbound_file, methods=["GET"]),
        Route("/health", health, methods=["GET"]),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={
            SignatureRefused: refused,
            UploadError: refused,
            tus.ProtocolError: refused,
            Exception: refused,
        },
    )
    app.state.nonces = nonces
    return app


async def _append(
    store: UploadStore,
    upload: Upload,
    offset: int,
    body: AsyncIterator[bytes],
    checksum: tuple[str, bytes] | None,
) -> Upload:
    """Stream the request body to disk as it arrives; fsync and record the offset off the loop.

    Writing a piece of a few dozen kilobytes into the page cache takes microseconds, so it is
    done on the event loop; the fsync, which waits for the disk, runs on a worker thread.
    """
    writer = store.begin(upload, offset, checksum)
    try:
        async for chunk in body:
            if chunk:
                writer.write(chunk)
    except BaseException:
        writer.abort()
        raise
    return await run_in_threadpool(writer.finish)
