"""`audit-verify`: recompute the audit trail's hash chain and say where it breaks (审计核验)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from cli.common import EXIT_OK, actor, add, database

EXIT_CHAIN_BROKEN = 10  # the chain does not hold: an event was changed or removed


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from core.app.audit import verify_audit_trail

    with database(args) as db:
        verdict = verify_audit_trail(db, actor(args, db))
    print(verdict.summary, file=sys.stdout if verdict.ok else sys.stderr)
    return EXIT_OK if verdict.ok else EXIT_CHAIN_BROKEN


def register(sub: Any) -> None:
    add(
        sub,
        "audit-verify",
        "审计核验：逐条核对办理记录的校验链，指出从哪一条起被改动或删除",
        cmd_audit_verify,
    )
