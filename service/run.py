"""Start the receiving service on the county's database: `main.py serve`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.app import inbox
from core.app.storage import Database
from core.errors import SubsidyDeskError
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


class ServiceThread:
    """The service inside the county's program (or a test): uvicorn on a thread, stopped cleanly."""

    def __init__(
        self, db: Database, *, host: str | None = None, port: int | None = None, **backend_args: Any
    ) -> None:
        settings = inbox.load_service_settings(db.path.parent)
        self.db, self.host, self.port = db, host or settings.host, port or settings.port
        self.tls = (settings.certificate, settings.private_key) if settings.certificate else None
        self.backend_args = backend_args
        self.server: Any = None
        self.thread: Any = None
        self.app: Any = None

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}/"

    def start(self, wait_s: float = 10.0) -> ServiceThread:
        import threading
        import time

        import uvicorn

        inbox.check_can_serve(self.db)
        self.app = create_app(backend(self.db, **self.backend_args))
        tls: dict[str, Any] = {"ssl_certfile": self.tls[0], "ssl_keyfile": self.tls[1]} if self.tls else {}
        config = uvicorn.Config(
            self.app, host=self.host, port=self.port, log_config=None, lifespan="off", **tls
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="上报接收服务", daemon=True)
        self.thread.start()
        deadline = time.monotonic() + wait_s
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise SubsidyDeskError(
                    "SERVICE_NOT_STARTED",
                    f"上报接收服务没能启动：端口 {self.port} 可能已被占用，或证书文件不对。详情见日志。",
                )
            time.sleep(0.02)
        return self

    @property
    def running(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def stop(self) -> None:
        if self.server is not None:
            self.server.should_exit = True
        if self.thread is not None:
            self.thread.join(10)
        if self.app is not None:
            self.app.state.nonces.close()
        self.server = self.thread = self.app = None
