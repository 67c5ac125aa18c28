"""Start the receiving service on the county's database: `main.py serve`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.app import inbox
from core.app.storage import Database
from service.app import Backend, create_app


def backend(db: Database, *, require_signatures: bool = True) -> Backend:
    settings = inbox.load_service_settings(db.path.parent)

    def receive(upload_id: str, path: Path, office_code: str, claimed: str) -> dict[str, Any]:
        return inbox.receive(
            db, upload_id=upload_id, path=path, office_code=office_code, claimed_manifest=claimed
        )

    return Backend(
        keys=lambda fp: inbox.office_key(db, fp),
        receive=receive,
        receipt=lambda upload_id: inbox.receipt_for(db, upload_id=upload_id),
        published=lambda office: inbox.published(db, office_code=office),
        folder=inbox.service_dir(db),
        max_bytes=settings.max_mb << 20,
        require_signatures=require_signatures,
    )


def serve(db: Database, *, host: str | None = None, port: int | None = None) -> None:
    """Run until stopped (Ctrl+C, or the service manager); logs go to the data folder's log."""
    import uvicorn

    settings = inbox.load_service_settings(db.path.parent)
    inbox.check_can_serve(db)
    tls: dict[str, Any] = {}
    if settings.certificate:
        tls = {"ssl_certfile": settings.certificate, "ssl_keyfile": settings.private_key}
    uvicorn.run(
        create_app(backend(db)),
        host=host or settings.host,
        port=port or settings.port,
        log_config=None,
        access_log=True,
        timeout_keep_alive=30,
        **tls,
    )
